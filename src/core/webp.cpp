#include "core/webp.hpp"

#if DG_HAVE_LIBWEBP
#include <string>

#include <src/webp/decode.h>
#endif

namespace dg {

#if DG_HAVE_LIBWEBP

namespace {

const char* reasonOf(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OUT_OF_MEMORY: return "not enough memory";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "it uses a feature the decoder does not support";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "the file is cut short";
    default: return "invalid data";
  }
}

Result<Image> damaged(VP8StatusCode status) {
  return Result<Image>::failure(damagedFileError(ImageFormat::Webp, reasonOf(status)));
}

}  // namespace

bool haveLibwebp() { return true; }

Result<Image> decodeWebp(const std::uint8_t* data, std::size_t size, const DecodeLimits& limits) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return damaged(VP8_STATUS_INVALID_PARAM);  // a header/library mismatch
  if (const VP8StatusCode status = WebPGetFeatures(data, size, &config.input); status != VP8_STATUS_OK) {
    return damaged(status);
  }
  if (config.input.has_animation) {
    return Result<Image>::failure(ErrorCode::UnsupportedFormat,
                                  "This is an animated WebP image, which the app cannot decode itself.");
  }
  // libwebp also reads a bare bitstream after the RIFF header, whose size the caller's peek misses.
  if (auto tooLarge = pixelLimitError(config.input.width, config.input.height, limits.maxPixels)) {
    return Result<Image>::failure(*tooLarge);
  }
  // Straight into the Image's pixels: no second copy of the picture.
  Image image(config.input.width, config.input.height);
  config.output.colorspace = MODE_RGBA;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = image.rgba.data();
  config.output.u.RGBA.stride = image.width * 4;
  config.output.u.RGBA.size = image.rgba.size();
  const VP8StatusCode status = WebPDecode(data, size, &config);
  WebPFreeDecBuffer(&config.output);
  if (status != VP8_STATUS_OK) return damaged(status);
  return Result<Image>::success(std::move(image));
}

#else

bool haveLibwebp() { return false; }

#endif

}  // namespace dg
