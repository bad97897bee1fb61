#include "core/request.hpp"

#include <nlohmann/json.hpp>

#include "core/base64.hpp"

namespace dg {
namespace {

using nlohmann::json;

HttpRequest baseRequest(const EndpointConfig& endpoint) {
  HttpRequest request;
  request.url = endpoint.url;
  request.timeoutMs = endpoint.timeoutMs;
  // The token goes only into this header, only to the endpoint the player configured.
  if (!endpoint.token.empty()) request.headers.emplace_back("Authorization", "Bearer " + endpoint.token);
  return request;
}

void setJsonBody(HttpRequest& request, const json& body) {
  const std::string text = body.dump();
  request.body.assign(text.begin(), text.end());
  request.headers.emplace_back("Content-Type", "application/json");
}

json parametersJson(const GenerationParameters& p) {
  json out = json::object();
  if (p.negativePrompt) out["negative_prompt"] = *p.negativePrompt;
  if (p.steps) out["num_inference_steps"] = *p.steps;
  if (p.guidanceScale) out["guidance_scale"] = *p.guidanceScale;
  if (p.width) out["width"] = *p.width;
  if (p.height) out["height"] = *p.height;
  if (p.seed) out["seed"] = *p.seed;
  return out;
}

}  // namespace

HttpRequest buildCaptionRequest(const EndpointConfig& endpoint, const std::vector<std::uint8_t>& image,
                                const std::string& contentType) {
  HttpRequest request = baseRequest(endpoint);
  if (endpoint.style == EndpointStyle::CustomJson) {
    setJsonBody(request, json{{"inputs", base64Encode(image)}});
  } else {
    // Raw bytes, as the official clients send them. The Content-Type must be explicit: the
    // browser sends none for a binary body and strict endpoints answer 400 without it.
    request.body = image;
    request.headers.emplace_back("Content-Type", contentType);
  }
  return request;
}

HttpRequest buildGenerationRequest(const EndpointConfig& endpoint, const std::string& prompt,
                                   const GenerationParameters& parameters) {
  HttpRequest request = baseRequest(endpoint);
  json body{{"inputs", prompt}};
  json chosen = parametersJson(parameters);
  if (!chosen.empty()) body["parameters"] = std::move(chosen);
  // hf-inference answers image bytes, a custom endpoint base64 JSON: no Accept header is needed
  // because the response is decided by content.
  setJsonBody(request, body);
  return request;
}

}  // namespace dg
