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
  } else if (endpoint.style == EndpointStyle::Chat) {
    const std::string dataUrl = "data:" + contentType + ";base64," + base64Encode(image);
    const json content = json::array({json{{"type", "text"}, {"text", endpoint.prompt}},
                                      json{{"type", "image_url"}, {"image_url", {{"url", dataUrl}}}}});
    setJsonBody(request, json{{"model", endpoint.model},
                              {"messages", json::array({json{{"role", "user"}, {"content", content}}})},
                              {"max_tokens", 64},
                              {"stream", false}});
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
  if (endpoint.style == EndpointStyle::OpenAiImages) {
    json body{{"prompt", prompt}, {"model", endpoint.model}, {"response_format", "b64_json"}};
    if (parameters.width && parameters.height) {
      body["size"] = std::to_string(*parameters.width) + "x" + std::to_string(*parameters.height);
    }
    if (parameters.seed) body["seed"] = *parameters.seed;
    setJsonBody(request, body);
    return request;
  }
  json body{{"inputs", prompt}};
  json chosen = parametersJson(parameters);
  if (!chosen.empty()) body["parameters"] = std::move(chosen);
  setJsonBody(request, body);
  // Without Accept, a dedicated endpoint answers a JSON string of base64 PNG: bytes are smaller.
  // Other styles need none, since the response is decided by content.
  if (endpoint.style == EndpointStyle::Dedicated) request.headers.emplace_back("Accept", "image/png");
  return request;
}

}  // namespace dg
