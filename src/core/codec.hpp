#pragma once
// Decoding and encoding with stb_image / stb_image_write, entirely in memory.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/image.hpp"
#include "core/result.hpp"

namespace dg {

struct DecodeLimits {
  std::size_t maxFileBytes = 50u * 1024 * 1024;
  // 50 MP covers every phone camera; the check runs on the header's declared size,
  // before any pixel memory is allocated.
  std::uint64_t maxPixels = 50'000'000;
};

// JPEG, PNG (8/16-bit, palette, grey, alpha), GIF (first frame) and BMP, to RGBA.
// Does not apply EXIF orientation (see exif.hpp).
Result<Image> decodeImage(const std::uint8_t* data, std::size_t size, const DecodeLimits& limits = {});

// JPEG has no alpha: transparent pixels are flattened onto white, as an image viewer would show them.
Result<std::vector<std::uint8_t>> encodeJpeg(const Image& image, int quality);
Result<std::vector<std::uint8_t>> encodePng(const Image& image);

}  // namespace dg
