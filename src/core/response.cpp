#include "core/response.hpp"

#include "core/base64.hpp"
#include "core/failure.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

namespace dg {
namespace {

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

std::string joined(const Json& list, const char* field) {
  std::string out;
  for (const Json& item : list.elements()) {
    const Json* named = field ? item.find(field) : nullptr;
    const Json& text = named ? *named : item;
    if (!text.isString()) continue;
    if (!out.empty()) out += "; ";
    out += text.string();
  }
  return out;
}

std::string joinedParts(const Json& parts) {
  std::string out;
  for (const Json& part : parts.elements()) out += part["text"].string();
  return out;
}

std::string messageFromJson(const Json& body) {
  if (!body.isObject()) return body.string();
  if (const Json* error = body.find("error")) {
    if (error->isString()) return error->string();
    if (error->isArray()) return joined(*error, nullptr);
    if ((*error)["message"].isString()) return (*error)["message"].string();
  }
  if (const Json* detail = body.find("detail")) {
    if (detail->isString()) return detail->string();
    if (detail->isArray()) return joined(*detail, "msg");
  }
  for (const char* key : {"message", "title"}) {
    if (body[key].isString()) return body[key].string();
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

std::string chatContent(const Json& body) {
  const Json& content = body["choices"][0]["message"]["content"];
  return trim(content.isArray() ? joinedParts(content) : content.string());
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
  if (const auto parsed = parseJson(text)) {
    const std::string message = trim(messageFromJson(*parsed));
    if (!message.empty()) return shortened(message);
  }
  return shortened(text);
}

Result<Caption> parseCaptionResponse(const HttpResponse& response) {
  if (response.status < 200 || response.status > 299) return Result<Caption>::failure(describeFailure(response, {}));
  const auto parsed = parseJson(asText(response.body));
  if (!parsed) {
    return malformed<Caption>(response, "The captioning endpoint answered with " + describeUnexpectedBody(response) +
                                            " instead of a caption.");
  }
  // Chat route: choices[0].message.content, a string or a list of {type, text} parts.
  const Json& body = *parsed;
  if (body.find("choices")) {
    const std::string text = chatContent(body);
    if (text.empty()) return malformed<Caption>(response, "The chat model answered without any text.");
    return Result<Caption>::success(Caption{text, requestIdOf(response)});
  }
  // [{"generated_text": ...}, ...] (first wins), {"generated_text": ...}, or a bare string.
  const Json& item = body.isArray() && !body.empty() ? body[0] : body;
  const Json& text = item.isObject() ? item["generated_text"] : item;
  if (!text.isString()) {
    return malformed<Caption>(response, "The captioning endpoint answered JSON without a generated_text caption.");
  }
  Caption caption{trim(text.string()), requestIdOf(response)};
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
  const auto parsed = parseJson(asText(response.body));
  if (!parsed) {
    return malformed<GeneratedImage>(response, "The generation endpoint answered with " +
                                                   describeUnexpectedBody(response) + " instead of an image.");
  }
  // A JSON string (base64 or data URI), or OpenAI style {"data": [{"b64_json": ...} | {"url": ...}]}.
  const Json& body = *parsed;
  const Json* encoded = &body;
  if (const Json& first = body["data"][0]; first.isObject()) {
    if (first["url"].isString()) {
      image.followUrl = first["url"].string();
      return Result<GeneratedImage>::success(std::move(image));
    }
    if (const Json* b64 = first.find("b64_json")) encoded = b64;
  }
  if (encoded->isString()) {
    if (auto bytes = decodeImageText(encoded->string())) {
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
