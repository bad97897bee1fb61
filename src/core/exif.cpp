#include "core/exif.hpp"

#include <cstring>

namespace dg {
namespace {

constexpr std::uint16_t kOrientationTag = 0x0112;

class TiffReader {
 public:
  TiffReader(const std::uint8_t* data, std::size_t size, bool littleEndian)
      : data_(data), size_(size), little_(littleEndian) {}
  bool has(std::size_t offset, std::size_t length) const {
    return offset <= size_ && length <= size_ - offset;
  }
  std::uint16_t u16(std::size_t offset) const {
    return little_ ? data_[offset] | (data_[offset + 1] << 8) : (data_[offset] << 8) | data_[offset + 1];
  }
  std::uint32_t u32(std::size_t offset) const {
    const std::uint32_t a = u16(offset), b = u16(offset + 2);
    return little_ ? a | (b << 16) : (a << 16) | b;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  bool little_;
};

int orientationFromTiff(const std::uint8_t* tiff, std::size_t size) {
  if (size < 8) return 1;
  const bool little = tiff[0] == 'I' && tiff[1] == 'I';
  if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 1;
  const TiffReader reader(tiff, size, little);
  const std::uint32_t ifd = reader.u32(4);
  if (!reader.has(ifd, 2)) return 1;
  const std::uint16_t entries = reader.u16(ifd);
  for (std::uint16_t i = 0; i < entries; ++i) {
    const std::size_t entry = ifd + 2 + static_cast<std::size_t>(i) * 12;
    if (!reader.has(entry, 12)) return 1;
    if (reader.u16(entry) != kOrientationTag) continue;
    const int value = reader.u16(entry + 8);  // SHORT, stored left-aligned in the value field
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

}  // namespace

int readJpegOrientation(const std::uint8_t* data, std::size_t size) {
  int orientation = 1;
  forEachJpegSegment(data, size, [&](std::uint8_t marker, const std::uint8_t* payload, std::size_t length) {
    if (marker != 0xE1 || length < 6 || std::memcmp(payload, "Exif\0\0", 6) != 0) return true;
    orientation = orientationFromTiff(payload + 6, length - 6);
    return false;
  });
  return orientation;
}

Image applyOrientation(Image image, int orientation) {
  if (orientation < 2 || orientation > 8) return image;  // moved, not copied
  const int w = image.width, h = image.height;
  const bool swapsAxes = orientation >= 5;
  Image out(swapsAxes ? h : w, swapsAxes ? w : h);
  for (int oy = 0; oy < out.height; ++oy) {
    for (int ox = 0; ox < out.width; ++ox) {
      int ix = ox, iy = oy;
      switch (orientation) {
        case 2: ix = w - 1 - ox; break;                          // mirrored
        case 3: ix = w - 1 - ox; iy = h - 1 - oy; break;         // upside down
        case 4: iy = h - 1 - oy; break;                          // mirrored vertically
        case 5: ix = oy; iy = ox; break;                         // transposed
        case 6: ix = oy; iy = h - 1 - ox; break;                 // needs 90° clockwise
        case 7: ix = w - 1 - oy; iy = h - 1 - ox; break;         // transversed
        case 8: ix = w - 1 - oy; iy = ox; break;                 // needs 90° counter-clockwise
      }
      std::memcpy(out.pixel(ox, oy), image.pixel(ix, iy), 4);
    }
  }
  return out;
}

}  // namespace dg
