// Whatever a server (or something pretending to be one) answers: caption and generation response
// parsing and error-message extraction, over any status, content type and body; and the body as
// JSON, which must read as nlohmann/json reads it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/response.hpp"
#include "json_reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static const int kStatuses[] = {200, 200, 201, 400, 401, 402, 403, 404, 410, 413, 422, 429, 500, 503, 504, 0};
  static const char* const kTypes[] = {"application/json", "text/plain", "text/html; charset=utf-8",
                                       "image/png", "image/jpeg", "application/octet-stream", "", "image/webp"};
  dg::HttpResponse response;
  response.status = kStatuses[data[0] % 16];
  const std::string contentType = kTypes[data[1] % 8];
  response.headers = "content-type: " + contentType + "\r\nx-request-id: fuzz\r\n";
  response.body.assign(data + 2, data + size);
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);

  dg::parseCaptionResponse(response);
  dg::parseGenerationResponse(response);
  dg::extractErrorMessage(body, contentType);

  // nlohmann/json nests without limit; the core stops at 512.
  const bool deep = std::count(body.begin(), body.end(), '[') + std::count(body.begin(), body.end(), '{') > 512;
  if (!deep && !dg::test::parsesAsReference(std::string(body))) std::abort();
  return 0;
}
