#include "core/codec.hpp"

#include <string>

#include "core/jpeg_encoder.hpp"
#include "core/jpeg_decoder.hpp"
#include "core/png.hpp"

// stb is compiled here and nowhere else in the core. No stdio: bytes always come from memory,
// which also lets the wasm build link with -sFILESYSTEM=0.
#define STBI_NO_STDIO
#define STBI_ONLY_GIF
#define STBI_ONLY_BMP
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace dg {
namespace {

bool coreDecodes(ImageFormat format) {
  return format == ImageFormat::Jpeg || format == ImageFormat::Png || format == ImageFormat::Gif ||
         format == ImageFormat::Bmp;
}

std::string dimensions(int width, int height) {
  return std::to_string(width) + "\xC3\x97" + std::to_string(height);
}

std::string megabytes(std::size_t bytes) {
  return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MB";
}

void appendToVector(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(context);
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

// Composited over white: out = c*a + 255*(1-a), rounded.
Image flattenedOntoWhite(const Image& image) {
  Image flat = image;
  for (std::size_t i = 0; i < flat.rgba.size(); i += 4) {
    std::uint8_t* p = &flat.rgba[i];
    const unsigned alpha = p[3];
    for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>((p[c] * alpha + 255u * (255u - alpha) + 127u) / 255u);
    p[3] = 255;
  }
  return flat;
}

Result<std::vector<std::uint8_t>> encodeOpaqueJpeg(const Image& opaque, int quality) {
  auto bytes = encodeBaselineJpeg(opaque, quality);
  if (!bytes) {
    return Result<std::vector<std::uint8_t>>::failure(
        ErrorCode::EncodeFailed, "The image could not be encoded as JPEG (it is " + dimensions(opaque.width, opaque.height) +
                                     "; JPEG holds 1 to " + std::to_string(kMaxJpegSide) + " pixels a side).");
  }
  return Result<std::vector<std::uint8_t>>::success(std::move(*bytes));
}

}  // namespace

std::optional<Error> pixelLimitError(int width, int height, std::uint64_t maxPixels) {
  const std::uint64_t pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  if (pixels <= maxPixels) return std::nullopt;
  return Error{ErrorCode::ImageTooLarge,
               "The image is " + dimensions(width, height) + " (" +
                   std::to_string(pixels / 1'000'000) + " megapixels); the largest accepted is " +
                   std::to_string(maxPixels / 1'000'000) + " megapixels.",
               0,
               {}};
}

Error damagedFileError(ImageFormat format, const std::string& reason) {
  return Error{ErrorCode::DecodeFailed, std::string("The ") + formatName(format) + " file is damaged (" + reason + ").",
               0, {}};
}

Result<Image> decodeImage(const std::uint8_t* data, std::size_t size, const DecodeLimits& limits) {
  return decodeImageAtLeast(data, size, 0x7FFFFFFF, 0x7FFFFFFF, limits);
}

Result<Image> decodeImageAtLeast(const std::uint8_t* data, std::size_t size, int minWidth, int minHeight,
                                 const DecodeLimits& limits) {
  if (size == 0) return Result<Image>::failure(ErrorCode::UnsupportedFormat, "The file is empty.");
  if (size > limits.maxFileBytes) {
    return Result<Image>::failure(ErrorCode::ImageTooLarge, "The file is " + megabytes(size) +
                                                                "; the largest accepted is " +
                                                                megabytes(limits.maxFileBytes) + ".");
  }
  const ImageFormat format = sniffImageFormat(data, size);
  if (format == ImageFormat::Unknown) {
    return Result<Image>::failure(ErrorCode::UnsupportedFormat,
                                  "This file is not an image format the app recognises "
                                  "(JPEG, PNG, WebP, GIF, BMP; AVIF and HEIC where the browser opens them).");
  }
  // Print workflows save CMYK (Adobe) JPEGs; the core does not convert them, browsers do.
  const bool cmyk = format == ImageFormat::Jpeg && peekJpegComponents(data, size) == 4;
  // Before handing a file to any decoder, the browser's included: a few bytes can declare gigapixels.
  // A sequential JPEG may declare more (DecodeLimits); the JPEG decoder checks which kind it is.
  const bool sequentialMayPass = format == ImageFormat::Jpeg && !cmyk;
  const auto [declaredWidth, declaredHeight] = peekDimensions(data, size);
  if (auto tooLarge = pixelLimitError(declaredWidth, declaredHeight,
                                      sequentialMayPass ? limits.maxSequentialJpegPixels : limits.maxPixels)) {
    return Result<Image>::failure(*tooLarge);
  }
  if (!coreDecodes(format)) {
    return Result<Image>::failure(ErrorCode::UnsupportedFormat,
                                  std::string("This is a ") + formatName(format) +
                                      " image, which the app cannot decode itself.");
  }
  if (cmyk) {
    return Result<Image>::failure(ErrorCode::UnsupportedFormat,
                                  "This is a CMYK JPEG, which the app cannot decode itself.");
  }
  if (format == ImageFormat::Png) return decodePng(data, size);
  if (format == ImageFormat::Jpeg) return decodeJpegScaled(data, size, minWidth, minHeight, limits);
  const int length = static_cast<int>(size);
  int width = 0, height = 0, channels = 0;
  stbi_uc* decoded = stbi_load_from_memory(data, length, &width, &height, &channels, 4);
  // stb also "decodes" a GIF whose screen is 0 pixels high (found by fuzz_image): nothing to show or send.
  const char* reason = !decoded ? stbi_failure_reason() : width <= 0 || height <= 0 ? "it has no pixels" : nullptr;
  if (reason) {
    stbi_image_free(decoded);
    return Result<Image>::failure(damagedFileError(format, reason));
  }
  Image image;
  image.width = width;
  image.height = height;
  image.rgba.assign(decoded, decoded + static_cast<std::size_t>(width) * height * 4);
  stbi_image_free(decoded);
  return Result<Image>::success(std::move(image));
}

Result<std::vector<std::uint8_t>> encodeJpeg(const Image& image, int quality) {
  // Photos are opaque and go straight to the encoder, without a copy.
  return isOpaque(image) ? encodeOpaqueJpeg(image, quality) : encodeOpaqueJpeg(flattenedOntoWhite(image), quality);
}

Result<std::vector<std::uint8_t>> encodePng(const Image& image) {
  std::vector<std::uint8_t> out;
  if (!stbi_write_png_to_func(appendToVector, &out, image.width, image.height, 4, image.rgba.data(),
                              image.width * 4)) {
    return Result<std::vector<std::uint8_t>>::failure(ErrorCode::EncodeFailed,
                                                      "The image could not be encoded as PNG.");
  }
  return Result<std::vector<std::uint8_t>>::success(std::move(out));
}

}  // namespace dg
