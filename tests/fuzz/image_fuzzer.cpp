// Hostile image files: every decoder (the core's JPEG, PNG and zlib decoders, stb_image's GIF and BMP),
// the header peeks, the Exif reader and the whole upload path on arbitrary bytes. Limits are kept
// small so that a file declaring a huge size is refused, as in the app, rather than exhausting the
// fuzzer's memory.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/codec.hpp"
#include "core/exif.hpp"
#include "core/image.hpp"
#include "core/png.hpp"
#include "core/prepare.hpp"

// stb_image's PNG decoder, compiled into this file alone, as the reference for the core's.
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

namespace {

// Where both decode a PNG, they must agree on every pixel. (Palette images are left out: stb
// reads indices past a short palette from uninitialised memory, where the core shows black.)
void checkPngAgreesWithStb(const std::uint8_t* data, std::size_t size, std::uint64_t maxPixels) {
  const auto [width, height] = dg::peekDimensions(data, size);
  if (dg::sniffImageFormat(data, size) != dg::ImageFormat::Png || dg::pixelLimitError(width, height, maxPixels) ||
      size < 26 || data[25] == 3) {
    return;
  }
  // Only a file the core accepts reaches stb, which reserves what a chunk declares before reading it.
  const auto core = dg::decodePng(data, size);
  if (!core.ok()) return;
  int stbWidth = 0, stbHeight = 0, channels = 0;
  stbi_uc* pixels = stbi_load_from_memory(data, static_cast<int>(size), &stbWidth, &stbHeight, &channels, 4);
  const bool differ = pixels && (stbWidth != core.value().width || stbHeight != core.value().height ||
                                 std::memcmp(pixels, core.value().rgba.data(), core.value().rgba.size()) != 0);
  stbi_image_free(pixels);
  if (differ) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dg::peekDimensions(data, size);
  dg::peekJpegComponents(data, size);
  dg::readJpegOrientation(data, size);

  dg::PrepareOptions options;
  options.maxSide = 64;  // small: exercises reduced-scale decoding, orientation and resizing
  options.limits.maxPixels = 4'000'000;
  options.limits.maxSequentialJpegPixels = 16'000'000;  // in proportion, to keep each run short
  checkPngAgreesWithStb(data, size, options.limits.maxPixels);
  const auto prepared = dg::prepareUpload(data, size, options);
  if (prepared.ok()) {
    // What the core encodes, the core must read back, at the size it reported.
    const auto& upload = prepared.value();
    const auto again = dg::decodeImage(upload.bytes.data(), upload.bytes.size());
    if (!again.ok() || again.value().width != upload.width || again.value().height != upload.height) __builtin_trap();
  }
  dg::decodeUpright(data, size, options.limits);

  // Pixels as the browser's decoder would hand them over: a small frame from the first bytes, at
  // full size or reduced from a picture up to three times larger.
  if (size >= 2) {
    dg::Image pixels(1 + data[0] % 48, 1 + data[1] % 48);
    const std::size_t n = std::min(pixels.rgba.size(), size - 2);
    std::memcpy(pixels.rgba.data(), data + 2, n);
    const int sourceWidth = pixels.width * (1 + data[1] % 3), sourceHeight = pixels.height * (1 + data[0] % 3);
    options.maxSide = 16 + data[0] % 32;
    options.format = data[1] & 1 ? dg::UploadFormat::Png : dg::UploadFormat::Jpeg;
    if (!dg::preparePixels(std::move(pixels), sourceWidth, sourceHeight, options).ok()) __builtin_trap();
  }
  return 0;
}
