#pragma once
// Synthetic pictures for round-trip tests: distinct solid quadrants survive JPEG well enough to
// be recognised by sampling their centres, which is how orientation and scaling are checked.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/codec.hpp"
#include "core/image.hpp"

namespace dg::test {

struct Rgb {
  int r, g, b;
};

constexpr Rgb kRed{220, 30, 30}, kGreen{30, 200, 40}, kBlue{30, 40, 220}, kYellow{240, 220, 30};

// Top-left red, top-right green, bottom-left blue, bottom-right yellow.
inline Image quadrants(int width, int height) {
  Image image(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Rgb c = y < height / 2 ? (x < width / 2 ? kRed : kGreen) : (x < width / 2 ? kBlue : kYellow);
      std::uint8_t* p = image.pixel(x, y);
      p[0] = c.r, p[1] = c.g, p[2] = c.b, p[3] = 255;
    }
  }
  return image;
}

inline bool near(const std::uint8_t* p, Rgb c, int tolerance = 24) {
  return std::abs(p[0] - c.r) <= tolerance && std::abs(p[1] - c.g) <= tolerance && std::abs(p[2] - c.b) <= tolerance;
}

// Samples the centre of each quadrant.
inline bool hasQuadrants(const Image& image, Rgb topLeft, Rgb topRight, Rgb bottomLeft, Rgb bottomRight,
                         int tolerance = 24) {
  const int x0 = image.width / 4, x1 = image.width * 3 / 4, y0 = image.height / 4, y1 = image.height * 3 / 4;
  return near(image.pixel(x0, y0), topLeft, tolerance) && near(image.pixel(x1, y0), topRight, tolerance) &&
         near(image.pixel(x0, y1), bottomLeft, tolerance) && near(image.pixel(x1, y1), bottomRight, tolerance);
}

// The file decoded by the core; the test stops with the core's message if it is refused.
inline Image decoded(const std::vector<std::uint8_t>& file) {
  auto result = decodeImage(file.data(), file.size());
  INFO(result.error().message);
  REQUIRE(result.ok());
  return std::move(result).value();
}

inline std::vector<std::uint8_t> jpegOf(const Image& image, int quality = 92) {
  return encodeJpeg(image, quality).value();
}

// Inserts an APP1 Exif segment holding just the Orientation tag right after the JPEG's SOI.
inline std::vector<std::uint8_t> withExifOrientation(const std::vector<std::uint8_t>& jpeg, int orientation,
                                                     bool littleEndian = true) {
  auto u16 = [&](std::vector<std::uint8_t>& out, int v) {
    if (littleEndian) out.insert(out.end(), {std::uint8_t(v & 0xFF), std::uint8_t(v >> 8)});
    else out.insert(out.end(), {std::uint8_t(v >> 8), std::uint8_t(v & 0xFF)});
  };
  auto u32 = [&](std::vector<std::uint8_t>& out, std::uint32_t v) {
    if (littleEndian) { u16(out, v & 0xFFFF); u16(out, v >> 16); }
    else { u16(out, v >> 16); u16(out, v & 0xFFFF); }
  };
  std::vector<std::uint8_t> tiff;
  tiff.insert(tiff.end(), littleEndian ? std::initializer_list<std::uint8_t>{'I', 'I'}
                                       : std::initializer_list<std::uint8_t>{'M', 'M'});
  u16(tiff, 42);
  u32(tiff, 8);       // IFD0 right after the header
  u16(tiff, 1);       // one entry
  u16(tiff, 0x0112);  // Orientation
  u16(tiff, 3);       // SHORT
  u32(tiff, 1);       // count
  u16(tiff, orientation);
  u16(tiff, 0);       // value field padding
  u32(tiff, 0);       // no next IFD

  std::vector<std::uint8_t> segment{0xFF, 0xE1};
  const std::size_t length = 2 + 6 + tiff.size();
  segment.push_back(std::uint8_t(length >> 8));
  segment.push_back(std::uint8_t(length & 0xFF));
  for (char c : {'E', 'x', 'i', 'f', '\0', '\0'}) segment.push_back(std::uint8_t(c));
  segment.insert(segment.end(), tiff.begin(), tiff.end());

  std::vector<std::uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
  out.insert(out.end(), segment.begin(), segment.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

}  // namespace dg::test
