// The core's PNG decoder (core/png.hpp) against the pixels written and against stb_image's PNG
// decoder, compiled into this file alone as the reference: every colour type and bit depth, every
// filter, Adam7 interlacing, transparency, and damaged files.
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#include <catch2/catch.hpp>

#include <stb/stb_image_write.h>

#include <cstring>
#include <string>

#include "core/codec.hpp"
#include "core/png.hpp"
#include "image_writers.hpp"

using namespace dg;
using namespace dg::test;

namespace {

// A gradient, noise, and faint noise (whose neighbours are often equally close, the Paeth
// predictor's ties), so every filter has something to predict and to get wrong.
Bytes noisyBytes(std::size_t count, int width, int bytesPerPixel) {
  Bytes bytes(count);
  std::uint32_t state = 12345;
  for (std::size_t i = 0; i < count; ++i) {
    state = state * 1103515245u + 12345u;
    const int x = static_cast<int>(i / bytesPerPixel % width), random = (state >> 16) & 0xFF;
    bytes[i] = static_cast<std::uint8_t>(x < width / 3 ? x * 7 : x < width * 2 / 3 ? random : random % 4);
  }
  return bytes;
}

Bytes pngByStbWriter(const Bytes& pixels, int width, int height, int channels, int filter) {
  stbi_write_force_png_filter = filter;  // -1: stb picks per row, as encoders do
  Bytes png;
  const int written = stbi_write_png_to_func(appendToBytes, &png, width, height, channels, pixels.data(), 0);
  stbi_write_force_png_filter = -1;
  REQUIRE(written);
  return png;
}

Image decodedPng(const Bytes& png) {
  auto result = decodePng(png.data(), png.size());
  INFO(result.error().message);
  REQUIRE(result.ok());
  return std::move(result).value();
}

Image byStb(const Bytes& png) {
  int width = 0, height = 0, channels = 0;
  stbi_uc* pixels = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &width, &height, &channels, 4);
  INFO(stbi_failure_reason());
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

std::string damageOf(const Bytes& png) {
  const auto result = decodePng(png.data(), png.size());
  return result.ok() ? "" : result.error().message;
}

}  // namespace

TEST_CASE("8-bit RGB and RGBA PNGs decode to the pixels written, as stb_image decodes them, under every filter") {
  for (int channels : {3, 4}) {
    for (int width : {1, 2, 7, 33}) {
      for (int filter : {-1, 0, 1, 2, 3, 4}) {
        INFO("channels " << channels << ", width " << width << ", filter " << filter);
        const int height = 5;
        const Bytes pixels = noisyBytes(static_cast<std::size_t>(width) * height * channels, width, channels);
        const Bytes png = pngByStbWriter(pixels, width, height, channels, filter);
        const Image image = decodedPng(png);
        CHECK(firstDifference(image, expectedRgba(pixels, width, height, channels)) == "");
        CHECK(firstDifference(image, byStb(png)) == "");
      }
    }
  }
}

TEST_CASE("every colour type and bit depth decodes as stb_image decodes it, filtered and interlaced") {
  struct Kind {
    PngColour colour;
    int depth;
    Bytes transparency;  // a tRNS payload
  };
  const Kind kinds[] = {
      {kGrey, 1, {}},           {kGrey, 2, {0, 2}},      {kGrey, 4, {}},         {kGrey, 8, {0, 3}},
      {kGrey, 16, {0x01, 0x02}}, {kGreyAlpha, 8, {}},    {kGreyAlpha, 16, {}},   {kRgbColour, 8, {0, 3, 0, 3, 0, 3}},
      {kRgbColour, 16, {}},     {kRgbaColour, 16, {}},   {kPalette, 1, {0}},     {kPalette, 2, {}},
      {kPalette, 4, {10, 200}}, {kPalette, 8, {0, 128, 255, 7}},
  };
  for (const Kind& kind : kinds) {
    const int bitsPerPixel = detail::pngChannels(kind.colour) * kind.depth;
    // Every palette entry the indices can name, so stb never reads past its palette.
    Bytes palette;
    if (kind.colour == kPalette) palette = noisyBytes(3u << kind.depth, 1 << kind.depth, 3);
    for (int width : {1, 3, 9, 17}) {
      const int height = 11;
      std::vector<Bytes> rows;
      for (int y = 0; y < height; ++y) {
        Bytes row = noisyBytes((static_cast<std::size_t>(width) * bitsPerPixel + 7) / 8, width, std::max(1, bitsPerPixel / 8));
        // Faint noise makes small samples: keep the values a transparent colour names common.
        for (std::uint8_t& byte : row) byte = static_cast<std::uint8_t>(byte ^ (y * 29));
        rows.push_back(row);
      }
      const Image plain = decodedPng(pngOf(width, height, kind.colour, kind.depth, rows, palette, kind.transparency));
      for (int filter = 0; filter <= 4; ++filter) {
        for (bool interlaced : {false, true}) {
          INFO("colour type " << int(kind.colour) << ", depth " << kind.depth << ", width " << width << ", filter "
                              << filter << (interlaced ? ", interlaced" : ""));
          const Bytes png = pngOf(width, height, kind.colour, kind.depth, rows, palette, kind.transparency,
                                  PngLayout{filter, interlaced});
          const Image image = decodedPng(png);
          CHECK(firstDifference(image, byStb(png)) == "");
          CHECK(firstDifference(image, plain) == "");  // the same picture however it is stored
        }
      }
    }
  }
}

TEST_CASE("transparency: a palette's alpha entries and a grey or RGB colour key") {
  const Image palette = decodedPng(pngOf(3, 1, kPalette, 8, {Bytes{0, 1, 2}}, {9, 8, 7, 6, 5, 4, 3, 2, 1}, {0, 128}));
  CHECK(palette.pixel(0, 0)[3] == 0);
  CHECK(palette.pixel(1, 0)[3] == 128);
  CHECK(palette.pixel(2, 0)[3] == 255);  // entries past the tRNS payload stay opaque
  CHECK(palette.pixel(2, 0)[0] == 3);

  const Image grey = decodedPng(pngOf(2, 1, kGrey, 16, {Bytes{0x12, 0x34, 0x12, 0x35}}, {}, {0x12, 0x34}));
  CHECK(grey.pixel(0, 0)[3] == 0);  // all 16 bits are compared
  CHECK(grey.pixel(1, 0)[3] == 255);
  CHECK(grey.pixel(1, 0)[0] == 0x12);

  const Image lowByte = decodedPng(pngOf(2, 1, kGrey, 8, {Bytes{5, 6}}, {}, {0x01, 0x05}));
  CHECK(lowByte.pixel(0, 0)[3] == 0);  // an 8-bit image's key is its low byte
  CHECK(lowByte.pixel(1, 0)[3] == 255);

  const Image rgb = decodedPng(pngOf(2, 1, kRgbColour, 8, {Bytes{1, 2, 3, 1, 2, 4}}, {}, {0, 1, 0, 2, 0, 3}));
  CHECK(rgb.pixel(0, 0)[3] == 0);
  CHECK(rgb.pixel(1, 0)[3] == 255);

  // Transparency where the format has no place for it is ignored, as libpng ignores it.
  const Image rgba = decodedPng(pngOf(1, 1, kRgbaColour, 8, {Bytes{1, 2, 3, 200}}, {}, {0, 1}));
  CHECK(rgba.pixel(0, 0)[3] == 200);
}

TEST_CASE("a damaged PNG is refused with what is wrong with it") {
  const std::vector<Bytes> rows{Bytes{10, 20, 30, 40, 50, 60}, Bytes{70, 80, 90, 100, 110, 120}};
  const Bytes good = pngOf(2, 2, kRgbColour, 8, rows);
  REQUIRE(damageOf(good).empty());
  constexpr std::size_t kIhdr = 8, kIdat = 8 + 25;  // where the chunks start

  Bytes noHeader = good;
  std::memcpy(&noHeader[kIhdr + 4], "IHDX", 4);
  CHECK_THAT(damageOf(noHeader), Catch::Contains("does not start with an image header"));

  Bytes badDepth = good;
  badDepth[kIhdr + 8 + 8] = 4;  // RGB at 4 bits per sample does not exist
  CHECK_THAT(damageOf(badDepth), Catch::Contains("image header is invalid"));

  CHECK_THAT(damageOf(pngOf(2, 1, kPalette, 8, {Bytes{0, 1}})), Catch::Contains("palette is missing"));

  Bytes unknownCritical = good;
  std::memcpy(&unknownCritical[kIdat + 4], "IDAX", 4);
  CHECK_THAT(damageOf(unknownCritical), Catch::Contains("unknown critical chunk"));

  Bytes badFilter = good;
  badFilter[kIdat + 8 + 2 + 5] = 5;  // zlib and stored-block headers, then the first row's filter byte
  CHECK_THAT(damageOf(badFilter), Catch::Contains("unknown filter"));

  Bytes corrupt = good;
  corrupt[kIdat + 8 + 2] = 0x07;  // a block type that does not exist
  CHECK_THAT(damageOf(corrupt), Catch::Contains("image data is corrupt"));

  // One row where the header declares two; and a file whose image data stops mid-stream.
  Bytes shortData = pngOf(2, 1, kRgbColour, 8, {rows[0]});
  shortData[kIhdr + 8 + 7] = 2;
  CHECK_THAT(damageOf(shortData), Catch::Contains("image data ends early"));
  CHECK_THAT(damageOf(Bytes(good.begin(), good.begin() + kIdat + 12)), Catch::Contains("chunk runs past the end"));

  // More image data than the rows need is ignored, as stb_image and libpng ignore it.
  Bytes longData = pngOf(2, 3, kRgbColour, 8, {rows[0], rows[1], rows[1]});
  longData[kIhdr + 8 + 7] = 2;
  CHECK(firstDifference(decodedPng(longData), decodedPng(good)) == "");
}

TEST_CASE("regression: a PNG that ends inside its image header's CRC is refused without reading past it") {
  // fuzz_image: 31 bytes, the IHDR chunk's CRC cut to two. The chunk walk began after where that
  // CRC would end, past the end of the file, and read on from there.
  const Bytes file{0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
                   0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x97, 0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x82};
  CHECK_THAT(damageOf(file), Catch::Contains("no image data"));
}
