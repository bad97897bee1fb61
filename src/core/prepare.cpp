#include "core/prepare.hpp"

#include <nlohmann/json.hpp>

#include "core/exif.hpp"
#include "core/resize.hpp"

namespace dg {

Result<PrepareOptions> parsePrepareOptions(const std::string& text) {
  using Failure = Result<PrepareOptions>;
  PrepareOptions options;
  if (text.empty()) return Failure::success(options);
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return Failure::failure(ErrorCode::InvalidSettings, "Image options must be a JSON object.");
  if (auto it = json.find("maxSide"); it != json.end()) {
    if (!it->is_number_integer() || *it < 16 || *it > 8192) {
      return Failure::failure(ErrorCode::InvalidSettings, "The longest side must be between 16 and 8192 pixels.");
    }
    options.maxSide = it->get<int>();
  }
  if (auto it = json.find("format"); it != json.end()) {
    if (*it == "jpeg") options.format = UploadFormat::Jpeg;
    else if (*it == "png") options.format = UploadFormat::Png;
    else return Failure::failure(ErrorCode::InvalidSettings, "The upload format must be \"jpeg\" or \"png\".");
  }
  if (auto it = json.find("quality"); it != json.end()) {
    if (!it->is_number_integer() || *it < 1 || *it > 100) {
      return Failure::failure(ErrorCode::InvalidSettings, "JPEG quality must be between 1 and 100.");
    }
    options.jpegQuality = it->get<int>();
  }
  return Failure::success(options);
}

Result<PreparedUpload> prepareUpload(const std::uint8_t* data, std::size_t size, const PrepareOptions& options) {
  auto decoded = decodeImage(data, size, options.limits);
  if (!decoded.ok()) return Result<PreparedUpload>::failure(decoded.error());

  const int orientation = sniffImageFormat(data, size) == ImageFormat::Jpeg ? readJpegOrientation(data, size) : 1;
  Image upright = applyOrientation(std::move(decoded).value(), orientation);
  const int uprightWidth = upright.width, uprightHeight = upright.height;
  const Image scaled = resizeToFit(std::move(upright), options.maxSide);

  const bool jpeg = options.format == UploadFormat::Jpeg;
  auto encoded = jpeg ? encodeJpeg(scaled, options.jpegQuality) : encodePng(scaled);
  if (!encoded.ok()) return Result<PreparedUpload>::failure(encoded.error());

  PreparedUpload upload;
  upload.bytes = std::move(encoded).value();
  upload.contentType = jpeg ? "image/jpeg" : "image/png";
  upload.width = scaled.width;
  upload.height = scaled.height;
  upload.sourceWidth = uprightWidth;
  upload.sourceHeight = uprightHeight;
  return Result<PreparedUpload>::success(std::move(upload));
}

}  // namespace dg
