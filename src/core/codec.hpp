#pragma once
// Decoding and encoding entirely in memory: the core's PNG decoder (png.hpp), JPEG decoder
// (jpeg_decoder.hpp) and JPEG encoder (jpeg_encoder.hpp), stb_image for GIF and BMP, and
// stb_image_write for PNG.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/image.hpp"
#include "core/result.hpp"

namespace dg {

struct DecodeLimits {
  std::size_t maxFileBytes = 50u * 1024 * 1024;
  // The most pixels a decoder may hold: 50 MP covers the default mode of every phone camera. The
  // check runs on the header's declared size, before any pixel memory is allocated.
  std::uint64_t maxPixels = 50'000'000;
  // A sequential (single-scan) JPEG is decoded a few rows at a time, at reduced scale for an
  // upload, so only its output counts against maxPixels and it may declare up to this many:
  // phones' 108 and 200 MP modes and their panoramas. A bound all the same, since a few bytes of
  // header can declare gigapixels of blocks for the decoder to walk.
  std::uint64_t maxSequentialJpegPixels = 250'000'000;
};

// JPEG (baseline and progressive), PNG (8/16-bit, palette, grey, alpha), GIF (first frame) and BMP
// to RGBA. Does not apply EXIF orientation (see exif.hpp). Formats only a browser decodes (WebP,
// AVIF, HEIC, TIFF, CMYK JPEG) fail with UnsupportedFormat and a message naming the format, so the
// caller can hand the file to the browser's decoder, whose pixels then come back into the core.
Result<Image> decodeImage(const std::uint8_t* data, std::size_t size, const DecodeLimits& limits = {});

// The ImageTooLarge error for a width×height image past maxPixels; nullopt within it.
std::optional<Error> pixelLimitError(int width, int height, std::uint64_t maxPixels);

// The DecodeFailed error every decoder gives: "The <format> file is damaged (<reason>)."
Error damagedFileError(ImageFormat format, const std::string& reason);

// Like decodeImage, but the decoder may return a smaller image, never smaller than
// minWidth × minHeight (stored orientation), when that is cheaper than a full decode: JPEG is
// then decoded at reduced scale in the DCT domain (see jpeg_decoder.hpp). For callers that
// downscale anyway.
Result<Image> decodeImageAtLeast(const std::uint8_t* data, std::size_t size, int minWidth, int minHeight,
                                 const DecodeLimits& limits = {});

// JPEG has no alpha: transparent pixels are flattened onto white, as an image viewer would show them.
Result<std::vector<std::uint8_t>> encodeJpeg(const Image& image, int quality);
Result<std::vector<std::uint8_t>> encodePng(const Image& image);

}  // namespace dg
