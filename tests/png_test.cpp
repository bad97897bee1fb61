// The fast decoder for RGB and RGBA PNGs (core/png.hpp) against the pictures written and against
// stb_image, which decodes every other PNG: the two must never disagree on a pixel.
#include <catch2/catch.hpp>

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <cstdlib>
#include <cstring>

#include "core/codec.hpp"
#include "core/png.hpp"
#include "image_writers.hpp"

using namespace dg;
using namespace dg::test;

namespace {

// A gradient, noise, and faint noise (whose neighbours are often equally close, the Paeth
// predictor's ties), so every filter has something to predict and to get wrong.
Bytes noisyPixels(int width, int height, int channels) {
  Bytes pixels(static_cast<std::size_t>(width) * height * channels);
  std::uint32_t state = 12345;
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    state = state * 1103515245u + 12345u;
    const int x = static_cast<int>(i / channels % width), random = (state >> 16) & 0xFF;
    pixels[i] = static_cast<std::uint8_t>(x < width / 3 ? x * 7 : x < width * 2 / 3 ? random : random % 4);
  }
  return pixels;
}

Bytes pngWithFilter(const Bytes& pixels, int width, int height, int channels, int filter) {
  stbi_write_force_png_filter = filter;  // -1: stb picks per row, as encoders do
  Bytes png;
  const auto append = [](void* context, void* data, int size) {
    static_cast<Bytes*>(context)->insert(static_cast<Bytes*>(context)->end(), static_cast<std::uint8_t*>(data),
                                         static_cast<std::uint8_t*>(data) + size);
  };
  const int written = stbi_write_png_to_func(append, &png, width, height, channels, pixels.data(), 0);
  stbi_write_force_png_filter = -1;
  REQUIRE(written);
  return png;
}

Image byStb(const Bytes& png) {
  int width = 0, height = 0, channels = 0;
  stbi_uc* pixels = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &width, &height, &channels, 4);
  REQUIRE(pixels);
  Image image(width, height);
  std::memcpy(image.rgba.data(), pixels, image.rgba.size());
  stbi_image_free(pixels);
  return image;
}

// The written RGB or RGBA samples as RGBA: a missing alpha is opaque.
Image expectedRgba(const Bytes& pixels, int width, int height, int channels) {
  Image image(width, height);
  for (std::size_t i = 0; i < static_cast<std::size_t>(width) * height; ++i) {
    const std::uint8_t* in = &pixels[i * channels];
    std::uint8_t* out = &image.rgba[i * 4];
    out[0] = in[0], out[1] = in[1], out[2] = in[2], out[3] = channels == 4 ? in[3] : 255;
  }
  return image;
}

// The first pixel that differs, as "x,y", or "" when none does.
std::string firstDifference(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height) return "size";
  for (std::size_t i = 0; i < a.rgba.size(); ++i) {
    if (a.rgba[i] != b.rgba[i]) return std::to_string(i / 4 % a.width) + "," + std::to_string(i / 4 / a.width);
  }
  return "";
}

}  // namespace

TEST_CASE("RGB and RGBA PNGs decode to the pixels written, as stb_image decodes them, under every filter") {
  for (int channels : {3, 4}) {
    for (int width : {1, 2, 7, 33}) {
      for (int filter : {-1, 0, 1, 2, 3, 4}) {
        INFO("channels " << channels << ", width " << width << ", filter " << filter);
        const int height = 5;
        const Bytes pixels = noisyPixels(width, height, channels);
        const Bytes png = pngWithFilter(pixels, width, height, channels, filter);
        const auto fast = decodeCommonPng(png.data(), png.size());
        REQUIRE(fast);
        CHECK(firstDifference(*fast, expectedRgba(pixels, width, height, channels)) == "");
        CHECK(firstDifference(*fast, byStb(png)) == "");
      }
    }
  }
}

TEST_CASE("PNGs outside the common family are left to stb_image, which decodes or refuses them") {
  const Bytes rgb = noisyPixels(6, 4, 3);
  std::vector<Bytes> rows;
  for (int y = 0; y < 4; ++y) rows.emplace_back(rgb.begin() + y * 18, rgb.begin() + (y + 1) * 18);
  const Bytes plain = pngOf(6, 4, kRgbColour, 8, rows);
  REQUIRE(decodeCommonPng(plain.data(), plain.size()));

  auto leftToStb = [](const Bytes& png) {
    CHECK_FALSE(decodeCommonPng(png.data(), png.size()));
    return decodeImage(png.data(), png.size());
  };
  SECTION("a transparent colour (tRNS)") {
    const auto decoded = leftToStb(pngOf(6, 4, kRgbColour, 8, rows, {}, {0, rgb[0], 0, rgb[1], 0, rgb[2]}));
    REQUIRE(decoded.ok());
    CHECK(decoded.value().pixel(0, 0)[3] == 0);
  }
  SECTION("grey, 16 bits per sample and palettes") {
    CHECK(leftToStb(pngOf(2, 1, kGrey, 8, {Bytes{0x80, 0x40}})).ok());
    CHECK(leftToStb(pngOf(2, 1, kGreyAlpha, 8, {Bytes{0x80, 1, 0x40, 2}})).ok());
    CHECK(leftToStb(pngOf(2, 1, kRgbColour, 16, {Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}})).ok());
    CHECK(leftToStb(pngOf(2, 1, kPalette, 8, {Bytes{0, 1}}, {1, 2, 3, 4, 5, 6})).ok());
  }
  SECTION("more image data than the rows need, which stb accepts") {
    std::vector<Bytes> longer = rows;
    longer.push_back(Bytes(18, 0));  // a fifth row the header does not declare
    Bytes png = pngOf(6, 5, kRgbColour, 8, longer);
    png[8 + 8 + 7] = 4;  // IHDR height: 4
    const auto decoded = leftToStb(png);
    REQUIRE(decoded.ok());
    CHECK(firstDifference(decoded.value(), expectedRgba(rgb, 6, 4, 3)) == "");
  }
  SECTION("an unknown filter, an unknown critical chunk (refused by stb), an interlaced file") {
    Bytes badFilter = plain;
    const std::size_t idat = 8 + 25 + 8;  // signature, IHDR chunk, IDAT length and type
    badFilter[idat + 2 + 5] = 5;          // zlib header, stored-block header: the first row's filter byte
    const auto filterRefused = leftToStb(badFilter);
    CHECK(filterRefused.error().message.find("invalid filter") != std::string::npos);

    Bytes interlaced = plain;
    interlaced[8 + 8 + 12] = 1;
    CHECK_FALSE(decodeCommonPng(interlaced.data(), interlaced.size()));

    Bytes unknown = plain;
    std::memcpy(&unknown[idat - 4], "IDAX", 4);
    CHECK_FALSE(leftToStb(unknown).ok());
  }
}
