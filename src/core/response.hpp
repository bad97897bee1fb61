#pragma once
// Reads what an endpoint answered, deciding by content, never by label (hf-api.md sections 3-4).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/http.hpp"
#include "core/image.hpp"
#include "core/result.hpp"

namespace dg {

struct Caption {
  std::string text;
  std::string requestId;
};

struct GeneratedImage {
  std::vector<std::uint8_t> bytes;
  ImageFormat format = ImageFormat::Unknown;  // sniffed from the bytes
  std::string requestId;
  std::string followUrl;  // OpenAI style {"data":[{"url"}]}: the image is fetched from here, without the token
};

// Non-2xx answers become the failure they stand for (see failure.hpp).
Result<Caption> parseCaptionResponse(const HttpResponse& response);
Result<GeneratedImage> parseGenerationResponse(const HttpResponse& response);

// The server's own reason from an error body, in hf-api.md's order: JSON "error" (string, list,
// or object with "message"), "detail" (string or list of {msg}), "message", "title"; else short
// plain text. HTML is summarised by its <title>, never shown raw. Empty when there is no reason.
std::string extractErrorMessage(std::string_view body, std::string_view contentType);

}  // namespace dg
