#include "core/request.hpp"

#include "core/base64.hpp"
#include "core/json.hpp"

namespace dg {
namespace {

HttpRequest baseRequest(const EndpointConfig& endpoint) {
  HttpRequest request;
  request.url = endpoint.url;
  request.timeoutMs = endpoint.timeoutMs;
  // The token goes only into this header, only to the endpoint the player configured.
  if (!endpoint.token.empty()) request.headers.emplace_back("Authorization", "Bearer " + endpoint.token);
  return request;
}

void setJsonBody(HttpRequest& request, const JsonWriter& body) {
  request.body.assign(body.text().begin(), body.text().end());
  request.headers.emplace_back("Content-Type", "application/json");
}

// {"parameters": {...}} with the ones the player chose; nothing when they chose none.
void writeParameters(JsonWriter& body, const GenerationParameters& p) {
  if (!p.negativePrompt && !p.steps && !p.guidanceScale && !p.width && !p.height && !p.seed) return;
  body.key("parameters").beginObject();
  if (p.negativePrompt) body.field("negative_prompt", *p.negativePrompt);
  if (p.steps) body.field("num_inference_steps", *p.steps);
  if (p.guidanceScale) body.field("guidance_scale", *p.guidanceScale);
  if (p.width) body.field("width", *p.width);
  if (p.height) body.field("height", *p.height);
  if (p.seed) body.field("seed", *p.seed);
  body.endObject();
}

}  // namespace

HttpRequest buildCaptionRequest(const EndpointConfig& endpoint, const std::vector<std::uint8_t>& image,
                                const std::string& contentType) {
  HttpRequest request = baseRequest(endpoint);
  if (endpoint.style == EndpointStyle::CustomJson) {
    setJsonBody(request, JsonWriter().beginObject().field("inputs", base64Encode(image)).endObject());
  } else if (endpoint.style == EndpointStyle::Chat) {
    const std::string dataUrl = "data:" + contentType + ";base64," + base64Encode(image);
    JsonWriter body;
    body.beginObject().field("model", endpoint.model).key("messages").beginArray();
    body.beginObject().field("role", "user").key("content").beginArray();
    body.beginObject().field("type", "text").field("text", endpoint.prompt).endObject();
    body.beginObject().field("type", "image_url").key("image_url").beginObject().field("url", dataUrl).endObject().endObject();
    body.endArray().endObject();
    body.endArray().field("max_tokens", 64).field("stream", false).endObject();
    setJsonBody(request, body);
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
    JsonWriter body;
    body.beginObject().field("prompt", prompt).field("model", endpoint.model).field("response_format", "b64_json");
    if (parameters.width && parameters.height) {
      body.field("size", std::to_string(*parameters.width) + "x" + std::to_string(*parameters.height));
    }
    if (parameters.seed) body.field("seed", *parameters.seed);
    setJsonBody(request, body.endObject());
    return request;
  }
  JsonWriter body;
  body.beginObject().field("inputs", prompt);
  writeParameters(body, parameters);
  setJsonBody(request, body.endObject());
  // Without Accept, a dedicated endpoint answers a JSON string of base64 PNG: bytes are smaller.
  // Other styles need none, since the response is decided by content.
  if (endpoint.style == EndpointStyle::Dedicated) request.headers.emplace_back("Accept", "image/png");
  return request;
}

}  // namespace dg
