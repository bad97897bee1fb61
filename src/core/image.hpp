#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace dg {

// Decoded pixels: 8-bit RGBA, row-major, no row padding. Alpha is straight (not premultiplied).
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;

  Image() = default;
  Image(int w, int h) : width(w), height(h), rgba(static_cast<std::size_t>(w) * h * 4) {}
  std::uint8_t* pixel(int x, int y) { return &rgba[(static_cast<std::size_t>(y) * width + x) * 4]; }
  const std::uint8_t* pixel(int x, int y) const {
    return &rgba[(static_cast<std::size_t>(y) * width + x) * 4];
  }
};

// Whether every pixel's alpha is 255 (photos): such pictures skip the work transparency needs.
inline bool isOpaque(const Image& image) {
  // Eight bytes (two pixels) per step: wasm has no vector unit to do this bytewise loop for us.
  constexpr std::uint64_t kAlphaBytes = 0xFF000000FF000000ull;
  const std::uint8_t* p = image.rgba.data();
  const std::size_t count = image.rgba.size();
  std::uint64_t all = kAlphaBytes;
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    std::uint64_t pixels;
    std::memcpy(&pixels, p + i, 8);  // little-endian: alpha is each pixel's top byte
    all &= pixels;
  }
  for (i += 3; i < count; i += 4) all &= p[i] == 255 ? kAlphaBytes : 0;
  return (all & kAlphaBytes) == kAlphaBytes;
}

// The big-endian 16-bit number at p (JPEG segment lengths and frame sizes).
inline std::uint16_t readBe16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

// The big-endian 32-bit number at p (PNG chunk lengths, ISO BMFF boxes, ICC profiles).
inline std::uint32_t readBe32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

enum class ImageFormat { Unknown, Jpeg, Png, Gif, Bmp, Webp, Avif, Heic, Tiff };

// Decides by magic bytes, never by a file name or a Content-Type label (both lie).
ImageFormat sniffImageFormat(const std::uint8_t* data, std::size_t size);
inline ImageFormat sniffImageFormat(const std::vector<std::uint8_t>& bytes) {
  return sniffImageFormat(bytes.data(), bytes.size());
}

// Width and height as the file's header declares them, read without decoding, so that limits can
// be checked before any pixel memory is allocated. {0, 0} when the header cannot be read.
std::pair<int, int> peekDimensions(const std::uint8_t* data, std::size_t size);

// Colour components a JPEG's frame header declares: 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK; 0 when unreadable.
int peekJpegComponents(const std::uint8_t* data, std::size_t size);

// Calls visit(marker, payload, payloadSize) for each marker segment of a JPEG before its first
// scan, in file order, until visit returns false or the segments stop making sense.
template <typename Visit>
void forEachJpegSegment(const std::uint8_t* data, std::size_t size, Visit&& visit) {
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return;
  std::size_t offset = 2;
  while (offset + 4 <= size) {
    if (data[offset] != 0xFF) return;
    const std::uint8_t marker = data[offset + 1];
    if (marker == 0xFF) {  // fill byte
      ++offset;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return;
    const std::size_t length = readBe16(data + offset + 2);
    if (length < 2 || offset + 2 + length > size) return;
    if (!visit(marker, data + offset + 4, length - 2)) return;
    offset += 2 + length;
  }
}

const char* formatName(ImageFormat format);  // "JPEG", for messages
const char* mimeType(ImageFormat format);    // "image/jpeg"; "application/octet-stream" when unknown

}  // namespace dg
