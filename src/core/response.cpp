#include "core/response.hpp"

#include "core/base64.hpp"
#include "core/failure.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

namespace dg {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxShownText = 300;

bool looksLikeHtml(std::string_view body, std::string_view contentType) {
  if (containsIgnoringCase(contentType, "text/html")) return true;
  const std::string start = lowercase(trim(body.substr(0, 64)));
  return start.rfind("<!doctype", 0) == 0 || start.rfind("<html", 0) == 0;
}

std::string htmlTitle(std::string_view html) {
  const std::string lower = lowercase(html);
  const auto open = lower.find("<title>");
  const auto close = lower.find("</title>");
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  return trim(html.substr(open + 7, close - open - 7));
}

std::string shortened(std::string text) {
  if (text.size() <= kMaxShownText) return text;
  std::size_t cut = kMaxShownText;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return text.substr(0, cut) + "\xE2\x80\xA6";
}

std::string joined(const json& list, const char* field) {
  std::string out;
  for (const auto& item : list) {
    const json* text = &item;
    if (field && item.is_object() && item.contains(field)) text = &item[field];
    if (!text->is_string()) continue;
    if (!out.empty()) out += "; ";
    out += text->get<std::string>();
  }
  return out;
}

std::string joinedParts(const json& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (part.is_object() && part.contains("text") && part["text"].is_string()) out += part["text"].get<std::string>();
  }
  return out;
}

std::string messageFromJson(const json& body) {
  if (!body.is_object()) return body.is_string() ? body.get<std::string>() : std::string();
  if (auto it = body.find("error"); it != body.end()) {
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array()) return joined(*it, nullptr);
    if (it->is_object() && it->contains("message") && (*it)["message"].is_string()) {
      return (*it)["message"].get<std::string>();
    }
  }
  if (auto it = body.find("detail"); it != body.end()) {
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array()) return joined(*it, "msg");
  }
  for (const char* key : {"message", "title"}) {
    if (auto it = body.find(key); it != body.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

std::string requestIdOf(const HttpResponse& response) { return headerValue(response.headers, "x-request-id"); }

template <typename T>
Result<T> malformed(const HttpResponse& response, const std::string& message) {
  return Result<T>::failure(Error{ErrorCode::MalformedResponse, message, response.status, requestIdOf(response)});
}

std::string describeUnexpectedBody(const HttpResponse& response) {
  const std::string_view body = asText(response.body);
  if (body.empty()) return "an empty body";
  if (looksLikeHtml(body, headerValue(response.headers, "content-type"))) return "an HTML page";
  return "something that is not valid JSON";
}

// A generated image may arrive as JSON text: base64, possibly behind a data: URI prefix.
std::optional<std::vector<std::uint8_t>> decodeImageText(const std::string& text) {
  std::string_view payload = text;
  if (payload.rfind("data:", 0) == 0) {
    const auto comma = payload.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    payload.remove_prefix(comma + 1);
  }
  auto bytes = base64Decode(payload);
  if (!bytes || sniffImageFormat(*bytes) == ImageFormat::Unknown) return std::nullopt;
  return bytes;
}

std::string chatContent(const json& body) {
  const json& choices = body["choices"];
  if (!choices.is_array() || choices.empty() || !choices[0].is_object()) return {};
  const auto message = choices[0].find("message");
  if (message == choices[0].end() || !message->is_object()) return {};
  const auto content = message->find("content");
  if (content == message->end()) return {};
  if (content->is_string()) return trim(content->get<std::string>());
  return content->is_array() ? trim(joinedParts(*content)) : std::string();
}

}  // namespace

std::string headerValue(std::string_view rawHeaders, std::string_view name) {
  const std::string wanted = lowercase(name);
  std::size_t start = 0;
  while (start < rawHeaders.size()) {
    auto end = rawHeaders.find('\n', start);
    if (end == std::string_view::npos) end = rawHeaders.size();
    const std::string_view line = rawHeaders.substr(start, end - start);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos && lowercase(trim(line.substr(0, colon))) == wanted) {
      return trim(line.substr(colon + 1));
    }
    start = end + 1;
  }
  return {};
}

std::string extractErrorMessage(std::string_view body, std::string_view contentType) {
  const std::string text = trim(body);
  if (text.empty()) return {};
  if (looksLikeHtml(text, contentType)) {
    const std::string title = htmlTitle(text);
    return title.empty() ? "The server answered with a web page instead of a message." : shortened(title);
  }
  const auto parsed = parseJson(text);
  if (!parsed.is_discarded()) {
    const std::string message = trim(messageFromJson(parsed));
    if (!message.empty()) return shortened(message);
  }
  return shortened(text);
}

Result<Caption> parseCaptionResponse(const HttpResponse& response) {
  if (response.status < 200 || response.status > 299) return Result<Caption>::failure(describeFailure(response, {}));
  const auto body = parseJson(asText(response.body));
  if (body.is_discarded()) {
    return malformed<Caption>(response, "The captioning endpoint answered with " + describeUnexpectedBody(response) +
                                            " instead of a caption.");
  }
  // Chat route: choices[0].message.content, a string or a list of {type, text} parts.
  if (body.is_object() && body.contains("choices")) {
    const std::string text = chatContent(body);
    if (text.empty()) return malformed<Caption>(response, "The chat model answered without any text.");
    return Result<Caption>::success(Caption{text, requestIdOf(response)});
  }
  // [{"generated_text": ...}, ...] (first wins), {"generated_text": ...}, or a bare string.
  const json* item = body.is_array() && !body.empty() ? &body[0] : &body;
  const json* text = item;
  if (item->is_object()) {
    const auto it = item->find("generated_text");
    text = it != item->end() ? &*it : nullptr;
  }
  if (!text || !text->is_string()) {
    return malformed<Caption>(response, "The captioning endpoint answered JSON without a generated_text caption.");
  }
  Caption caption{trim(text->get<std::string>()), requestIdOf(response)};
  if (caption.text.empty()) return malformed<Caption>(response, "The captioning model returned an empty caption.");
  return Result<Caption>::success(std::move(caption));
}

Result<GeneratedImage> parseGenerationResponse(const HttpResponse& response) {
  if (response.status < 200 || response.status > 299) {
    return Result<GeneratedImage>::failure(describeFailure(response, {}));
  }
  GeneratedImage image;
  image.requestId = requestIdOf(response);
  image.format = sniffImageFormat(response.body);
  if (image.format != ImageFormat::Unknown) {
    image.bytes = response.body;
    return Result<GeneratedImage>::success(std::move(image));
  }
  const auto body = parseJson(asText(response.body));
  if (body.is_discarded()) {
    return malformed<GeneratedImage>(response, "The generation endpoint answered with " +
                                                   describeUnexpectedBody(response) + " instead of an image.");
  }
  // A JSON string (base64 or data URI), or OpenAI style {"data": [{"b64_json": ...} | {"url": ...}]}.
  const json* encoded = &body;
  if (body.is_object() && body.contains("data") && body["data"].is_array() && !body["data"].empty() &&
      body["data"][0].is_object()) {
    const json& first = body["data"][0];
    if (first.contains("url") && first["url"].is_string()) {
      image.followUrl = first["url"].get<std::string>();
      return Result<GeneratedImage>::success(std::move(image));
    }
    if (first.contains("b64_json")) encoded = &first["b64_json"];
  }
  if (encoded->is_string()) {
    if (auto bytes = decodeImageText(encoded->get<std::string>())) {
      image.format = sniffImageFormat(*bytes);
      image.bytes = std::move(*bytes);
      return Result<GeneratedImage>::success(std::move(image));
    }
    return malformed<GeneratedImage>(response, "The generation endpoint answered text that is not a base64 image.");
  }
  const std::string message = messageFromJson(body);
  return malformed<GeneratedImage>(response, message.empty()
                                                 ? "The generation endpoint answered JSON without an image."
                                                 : "The generation endpoint answered without an image: " + shortened(message));
}

}  // namespace dg
