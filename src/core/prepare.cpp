#include "core/prepare.hpp"

#include <string>

#include "core/json.hpp"

#include "core/colour.hpp"
#include "core/exif.hpp"
#include "core/resize.hpp"

namespace dg {

Result<PrepareOptions> parsePrepareOptions(const std::string& text) {
  using Failure = Result<PrepareOptions>;
  PrepareOptions options;
  if (text.empty()) return Failure::success(options);
  const Json values = parseJson(text).value_or(Json());
  if (!values.isObject()) return Failure::failure(ErrorCode::InvalidSettings, "Image options must be a JSON object.");
  if (const Json* maxSide = values.find("maxSide")) {
    if (!maxSide->isInteger() || !numberIn(*maxSide, 16, 8192)) {
      return Failure::failure(ErrorCode::InvalidSettings, "The longest side must be between 16 and 8192 pixels.");
    }
    options.maxSide = static_cast<int>(maxSide->number());
  }
  if (const Json* setting = values.find("format")) {
    const std::string& format = setting->string();
    if (format == "jpeg") options.format = UploadFormat::Jpeg;
    else if (format == "png") options.format = UploadFormat::Png;
    else return Failure::failure(ErrorCode::InvalidSettings, "The upload format must be \"jpeg\" or \"png\".");
  }
  if (const Json* quality = values.find("quality")) {
    if (!quality->isInteger() || !numberIn(*quality, 1, 100)) {
      return Failure::failure(ErrorCode::InvalidSettings, "JPEG quality must be between 1 and 100.");
    }
    options.jpegQuality = static_cast<int>(quality->number());
  }
  return Failure::success(options);
}

namespace {

int orientationOf(const std::uint8_t* data, std::size_t size) {
  return sniffImageFormat(data, size) == ImageFormat::Jpeg ? readJpegOrientation(data, size) : 1;
}

std::optional<SrgbConversion> srgbConversionOf(const std::uint8_t* data, std::size_t size) {
  return srgbConversionFor(embeddedIccProfile(data, size));
}

// The one tail both paths share: fit the upright pixels within maxSide, bring them to sRGB and
// encode. The output size is computed from the full-size source, so a reduced-scale decode gives
// the same upload dimensions as a full one. Colour is converted after the resize, on the fewest
// pixels (the resize then averages profile-encoded values, which no eye can tell apart).
Result<PreparedUpload> finishUpload(Image upright, int sourceWidth, int sourceHeight, const PrepareOptions& options,
                                    const std::optional<SrgbConversion>& toSrgb) {
  int width = 0, height = 0;
  fitWithin(sourceWidth, sourceHeight, options.maxSide, width, height);
  Image scaled =
      upright.width == width && upright.height == height ? std::move(upright) : resize(upright, width, height);
  if (toSrgb) convertToSrgb(scaled, *toSrgb);

  const bool jpeg = options.format == UploadFormat::Jpeg;
  auto encoded = jpeg ? encodeJpeg(scaled, options.jpegQuality) : encodePng(scaled);
  if (!encoded.ok()) return Result<PreparedUpload>::failure(encoded.error());

  PreparedUpload upload;
  upload.bytes = std::move(encoded).value();
  upload.contentType = jpeg ? "image/jpeg" : "image/png";
  upload.width = scaled.width;
  upload.height = scaled.height;
  upload.sourceWidth = sourceWidth;
  upload.sourceHeight = sourceHeight;
  return Result<PreparedUpload>::success(std::move(upload));
}

}  // namespace

Result<PreparedUpload> prepareUpload(const std::uint8_t* data, std::size_t size, const PrepareOptions& options) {
  const int orientation = orientationOf(data, size);
  const bool swapsAxes = orientation >= 5;
  // The upload's size follows from the declared size; the decoder needs to deliver only that much.
  const auto [storedWidth, storedHeight] = peekDimensions(data, size);
  int uprightWidth = swapsAxes ? storedHeight : storedWidth, uprightHeight = swapsAxes ? storedWidth : storedHeight;
  int targetWidth = 0, targetHeight = 0;
  fitWithin(uprightWidth, uprightHeight, options.maxSide, targetWidth, targetHeight);

  // An unreadable header gives no target: then decode in full.
  const bool known = targetWidth > 0 && targetHeight > 0;
  const int minWidth = known ? (swapsAxes ? targetHeight : targetWidth) : 0x7FFFFFFF;
  const int minHeight = known ? (swapsAxes ? targetWidth : targetHeight) : 0x7FFFFFFF;
  auto decoded = decodeImageAtLeast(data, size, minWidth, minHeight, options.limits);
  if (!decoded.ok()) return Result<PreparedUpload>::failure(decoded.error());
  Image upright = applyOrientation(std::move(decoded).value(), orientation);
  // Only a JPEG is decoded at reduced scale, and its declared size comes from the very frame header
  // the decoder reads. For everything else the decoded pixels define the source size.
  const bool reduced = sniffImageFormat(data, size) == ImageFormat::Jpeg &&
                       (upright.width < uprightWidth || upright.height < uprightHeight);
  if (!reduced) {
    uprightWidth = upright.width;
    uprightHeight = upright.height;
  }
  return finishUpload(std::move(upright), uprightWidth, uprightHeight, options, srgbConversionOf(data, size));
}

std::optional<Error> handedOverPixelsError(int width, int height, int sourceWidth, int sourceHeight,
                                           const PrepareOptions& options) {
  if (width <= 0 || height <= 0) return Error{ErrorCode::DecodeFailed, "The decoded image has no pixels.", 0, {}};
  if (width > sourceWidth || height > sourceHeight) {
    return Error{ErrorCode::DecodeFailed, "The decoded image is larger than the picture it came from.", 0, {}};
  }
  return pixelLimitError(sourceWidth, sourceHeight, options.limits.maxPixels);
}

Result<PreparedUpload> preparePixels(Image upright, int sourceWidth, int sourceHeight, const PrepareOptions& options) {
  if (auto refusal = handedOverPixelsError(upright.width, upright.height, sourceWidth, sourceHeight, options)) {
    return Result<PreparedUpload>::failure(*refusal);
  }
  if (upright.rgba.size() != static_cast<std::size_t>(upright.width) * static_cast<std::size_t>(upright.height) * 4) {
    return Result<PreparedUpload>::failure(ErrorCode::DecodeFailed, "The decoded image has no pixels.");
  }
  // The browser's decoder has already brought the picture to sRGB.
  return finishUpload(std::move(upright), sourceWidth, sourceHeight, options, std::nullopt);
}

Result<Image> decodeUpright(const std::uint8_t* data, std::size_t size, const DecodeLimits& limits) {
  auto decoded = decodeImage(data, size, limits);
  if (!decoded.ok()) return decoded;
  Image upright = applyOrientation(std::move(decoded).value(), orientationOf(data, size));
  if (const auto toSrgb = srgbConversionOf(data, size)) convertToSrgb(upright, *toSrgb);
  return Result<Image>::success(std::move(upright));
}

}  // namespace dg
