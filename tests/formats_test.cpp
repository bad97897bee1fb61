// Every input format the core decodes itself, each generated inside the test (the progressive JPEG
// is the one checked-in fixture), decoded and checked by sampled pixels.
#include <catch2/catch.hpp>

#include <stb/stb_image_write.h>

#include <string>

#include "core/codec.hpp"
#include "core/prepare.hpp"
#include "fixtures/progressive_jpeg.hpp"
#include "image_writers.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

namespace {

bool pixelIs(const Image& image, int x, int y, int r, int g, int b, int a, int tolerance = 1) {
  const std::uint8_t* p = image.pixel(x, y);
  return std::abs(p[0] - r) <= tolerance && std::abs(p[1] - g) <= tolerance && std::abs(p[2] - b) <= tolerance &&
         std::abs(p[3] - a) <= tolerance;
}

// Rows of a picture whose left half is `left` and right half `right`, as produced by `sample`.
template <typename Sample>
std::vector<Bytes> halves(int width, int height, Sample sample) {
  std::vector<Bytes> rows(height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) sample(rows[y], x < width / 2);
  }
  return rows;
}

}  // namespace

TEST_CASE("a progressive JPEG decodes like a baseline one") {
  const Bytes file = bytesOf(kProgressiveJpeg);
  CHECK(sniffImageFormat(file) == ImageFormat::Jpeg);
  const Image image = decoded(file);
  CHECK(image.width == 64);
  CHECK(image.height == 48);
  CHECK(hasQuadrants(image, kRed, kGreen, kBlue, kYellow));

  const auto prepared = prepareUpload(file.data(), file.size(), parsePrepareOptions(R"({"maxSide":32})").value());
  REQUIRE(prepared.ok());
  CHECK(prepared.value().width == 32);
  CHECK(prepared.value().height == 24);
  CHECK(hasQuadrants(decoded(prepared.value().bytes), kRed, kGreen, kBlue, kYellow));
}

TEST_CASE("16-bit PNG is reduced to 8 bits per channel, alpha included") {
  // Left: opaque orange; right: half-transparent blue. Low bytes differ to show they are dropped.
  const auto rows = halves(8, 4, [](Bytes& row, bool left) {
    const int rgba[4] = {left ? 0xF0 : 0x10, left ? 0x80 : 0x20, left ? 0x10 : 0xE0, left ? 0xFF : 0x80};
    for (int v : rgba) row.insert(row.end(), {std::uint8_t(v), std::uint8_t(0x7F)});
  });
  const Image image = decoded(pngOf(8, 4, kRgbaColour, 16, rows));
  CHECK(image.width == 8);
  CHECK(image.height == 4);
  CHECK(pixelIs(image, 1, 1, 0xF0, 0x80, 0x10, 0xFF));
  CHECK(pixelIs(image, 6, 2, 0x10, 0x20, 0xE0, 0x80));

  const auto rgb16 = halves(8, 4, [](Bytes& row, bool left) {
    for (int v : {left ? 200 : 20, 100, left ? 20 : 200}) row.insert(row.end(), {std::uint8_t(v), 0xFF});
  });
  const Image opaque = decoded(pngOf(8, 4, kRgbColour, 16, rgb16));
  CHECK(pixelIs(opaque, 0, 0, 200, 100, 20, 255));
  CHECK(pixelIs(opaque, 7, 3, 20, 100, 200, 255));
}

TEST_CASE("palette PNG expands its colours and its tRNS transparency") {
  const Bytes palette{255, 0, 0, 0, 0, 255};
  const Bytes transparency{255, 0};  // entry 0 opaque, entry 1 fully transparent
  const auto rows = halves(8, 2, [](Bytes& row, bool left) { row.push_back(left ? 0 : 1); });
  const Image image = decoded(pngOf(8, 2, kPalette, 8, rows, palette, transparency));
  CHECK(pixelIs(image, 0, 0, 255, 0, 0, 255));
  CHECK(image.pixel(7, 1)[3] == 0);

  // 2 bits per index, four pixels packed per byte: 0,1,2,3.
  const Bytes four{10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120};
  const Image packed = decoded(pngOf(4, 1, kPalette, 2, {Bytes{0x1B}}, four));
  CHECK(pixelIs(packed, 0, 0, 10, 20, 30, 255));
  CHECK(pixelIs(packed, 3, 0, 100, 110, 120, 255));
}

TEST_CASE("grey PNG becomes equal RGB channels, at 8 and 1 bits, with and without alpha") {
  const auto grey = halves(8, 2, [](Bytes& row, bool left) { row.push_back(left ? 40 : 210); });
  const Image image = decoded(pngOf(8, 2, kGrey, 8, grey));
  CHECK(pixelIs(image, 0, 0, 40, 40, 40, 255));
  CHECK(pixelIs(image, 7, 1, 210, 210, 210, 255));

  const Image bits = decoded(pngOf(8, 1, kGrey, 1, {Bytes{0xF0}}));  // 1111 0000
  CHECK(pixelIs(bits, 0, 0, 255, 255, 255, 255));
  CHECK(pixelIs(bits, 7, 0, 0, 0, 0, 255));

  const auto greyAlpha = halves(8, 2, [](Bytes& row, bool left) { row.insert(row.end(), {120, std::uint8_t(left ? 255 : 64)}); });
  const Image translucent = decoded(pngOf(8, 2, kGreyAlpha, 8, greyAlpha));
  CHECK(pixelIs(translucent, 0, 0, 120, 120, 120, 255));
  CHECK(pixelIs(translucent, 7, 0, 120, 120, 120, 64));
}

TEST_CASE("transparent PNG pixels are flattened onto white in a JPEG upload") {
  // Left half fully transparent with a hidden red, right half opaque blue.
  const auto rows = halves(64, 32, [](Bytes& row, bool left) {
    row.insert(row.end(), left ? std::initializer_list<std::uint8_t>{255, 0, 0, 0}
                               : std::initializer_list<std::uint8_t>{30, 40, 220, 255});
  });
  const Bytes png = pngOf(64, 32, kRgbaColour, 8, rows);
  const auto prepared = prepareUpload(png.data(), png.size(), PrepareOptions{});
  REQUIRE(prepared.ok());
  CHECK(prepared.value().contentType == "image/jpeg");
  const Image upload = decoded(prepared.value().bytes);
  CHECK(pixelIs(upload, 8, 16, 255, 255, 255, 255, 4));
  CHECK(pixelIs(upload, 56, 16, 30, 40, 220, 255, 12));
}

TEST_CASE("an animated GIF contributes its first frame") {
  const Bytes palette{220, 30, 30, 30, 200, 40, 30, 40, 220, 240, 220, 30};
  const int width = 16, height = 12;
  Bytes first(width * height), second(width * height, 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) first[y * width + x] = std::uint8_t((y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1));
  }
  const Bytes gif = gifOf(width, height, palette, {first, second});
  CHECK(sniffImageFormat(gif) == ImageFormat::Gif);
  CHECK(peekDimensions(gif.data(), gif.size()) == std::make_pair(width, height));
  const Image image = decoded(gif);
  CHECK(image.width == width);
  CHECK(image.height == height);
  CHECK(hasQuadrants(image, kRed, kGreen, kBlue, kYellow, 0));

  const auto prepared = prepareUpload(gif.data(), gif.size(), PrepareOptions{});
  REQUIRE(prepared.ok());
  CHECK(prepared.value().width == width);
  CHECK(hasQuadrants(decoded(prepared.value().bytes), kRed, kGreen, kBlue, kYellow));
}

TEST_CASE("BMP decodes, bottom-up rows and all") {
  const Image source = quadrants(20, 10);
  Bytes bmp;
  REQUIRE(stbi_write_bmp_to_func(appendToBytes, &bmp, source.width, source.height, 4, source.rgba.data()));
  CHECK(sniffImageFormat(bmp) == ImageFormat::Bmp);
  CHECK(peekDimensions(bmp.data(), bmp.size()) == std::make_pair(20, 10));
  const Image image = decoded(bmp);
  CHECK(image.width == 20);
  CHECK(image.height == 10);
  CHECK(hasQuadrants(image, kRed, kGreen, kBlue, kYellow, 0));
}

TEST_CASE("regression: a GIF 0 pixels high is refused instead of resized") {
  // fuzz_image: stb_image decoded this 1028×0 GIF without complaint, and the upload path then
  // resized zero rows into one (reading an empty weight table).
  const Bytes file{
      0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x04, 0x04, 0x00, 0x00, 0x81, 0xF9, 0x1A, 0x00, 0x40, 0x00,
      0x01, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0xBC, 0x00, 0xFF, 0x2C, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x05, 0x44, 0x62, 0x71,
      0x50, 0xA8, 0x04, 0x00, 0x02, 0x41, 0x00, 0x02, 0x05, 0x4C, 0x98, 0x35, 0x61, 0x52, 0x00, 0x3B,
  };
  CHECK(peekDimensions(file.data(), file.size()) == std::make_pair(1028, 0));
  const auto result = decodeImage(file.data(), file.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::DecodeFailed);
  CHECK(result.error().message == "The GIF file is damaged (it has no pixels).");
  const auto upload = prepareUpload(file.data(), file.size(), PrepareOptions{});
  REQUIRE_FALSE(upload.ok());
  CHECK(upload.error().code == ErrorCode::DecodeFailed);
}

TEST_CASE("regression: an OS/2 BMP was refused as billions of pixels") {
  // Its 12-byte header holds 16-bit width and height; read as the 32-bit fields of the usual
  // header they made a 20×10 picture "655380×1572865".
  const int width = 20, height = 10, stride = (width * 3 + 3) / 4 * 4;
  Bytes bmp{'B', 'M'};
  auto le = [&bmp](std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) bmp.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  };
  le(14 + 12 + stride * height, 4);  // file size
  le(0, 4);                          // reserved
  le(14 + 12, 4);                    // pixels start right after the headers
  le(12, 4), le(width, 2), le(height, 2), le(1, 2), le(24, 2);  // header size, size, planes, bits
  const Image source = quadrants(width, height);
  for (int y = height - 1; y >= 0; --y) {  // bottom-up, BGR
    for (int x = 0; x < width; ++x) bmp.insert(bmp.end(), {source.pixel(x, y)[2], source.pixel(x, y)[1], source.pixel(x, y)[0]});
    bmp.resize(bmp.size() + stride - width * 3, 0);
  }
  CHECK(peekDimensions(bmp.data(), bmp.size()) == std::make_pair(width, height));
  const Image image = decoded(bmp);
  CHECK(image.width == width);
  CHECK(image.height == height);
  CHECK(hasQuadrants(image, kRed, kGreen, kBlue, kYellow, 0));
}

TEST_CASE("a CMYK JPEG is recognised and left to the browser's decoder") {
  // SOI, then a baseline frame header declaring 4 components; no decoder gets as far as the data.
  const Bytes cmyk{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x14, 0x08, 0x00, 0x10, 0x00, 0x20, 0x04, 1, 0x11, 0,
                   2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, 0xFF, 0xD9};
  CHECK(peekJpegComponents(cmyk.data(), cmyk.size()) == 4);
  const auto result = decodeImage(cmyk.data(), cmyk.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::UnsupportedFormat);
  CHECK_THAT(result.error().message, Catch::Contains("CMYK JPEG"));

  const auto rgb = jpegOf(quadrants(16, 16));
  CHECK(peekJpegComponents(rgb.data(), rgb.size()) == 3);
}

TEST_CASE("formats only a browser decodes are named in the error") {
  const std::pair<std::string, const char*> files[] = {
      {std::string("\0\0\0\x1C" "ftypavif\0\0\0\0", 16), "AVIF"},
      {std::string("\0\0\0\x18" "ftypheic\0\0\0\0", 16), "HEIC"},
      {std::string("II*\0\x08\0\0\0", 8), "TIFF"},
  };
  for (const auto& [bytes, name] : files) {
    INFO(name);
    const auto result = decodeImage(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::UnsupportedFormat);
    CHECK_THAT(result.error().message, Catch::Contains(name));
  }
}

TEST_CASE("the size a HEIC, AVIF or TIFF declares is checked before the browser decodes it") {
  // An iPhone's 48 MP HEIC: a grid of 512x512 tiles, whose own ispe gives the whole picture's size.
  const Bytes photo = heifDeclaring("heic", {{512, 512}, {8064, 6048}});
  CHECK(peekDimensions(photo.data(), photo.size()) == std::make_pair(8064, 6048));
  const auto forTheBrowser = decodeImage(photo.data(), photo.size());
  REQUIRE_FALSE(forTheBrowser.ok());
  CHECK(forTheBrowser.error().code == ErrorCode::UnsupportedFormat);
  // A 64 MP panorama is refused on its header instead of being decoded by the browser first.
  const Bytes panorama = heifDeclaring("avif", {{16000, 4000}});
  const auto refused = decodeImage(panorama.data(), panorama.size());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::ImageTooLarge);
  CHECK_THAT(refused.error().message, Catch::Contains("16000\xC3\x97" "4000 (64 megapixels)"));
  // Boxes that run past the end of the file are not read.
  const Bytes cut(photo.begin(), photo.end() - 4);
  CHECK(peekDimensions(cut.data(), cut.size()) == std::make_pair(0, 0));

  // TIFF in both byte orders, ImageWidth and ImageLength as SHORT or LONG.
  const Bytes littleEndian{'I', 'I', 42, 0, 8, 0, 0, 0, 2, 0,
                           0x00, 0x01, 3, 0, 1, 0, 0, 0, 0x30, 0x75, 0, 0,   // ImageWidth SHORT 30000
                           0x01, 0x01, 4, 0, 1, 0, 0, 0, 0x30, 0x75, 0, 0,   // ImageLength LONG 30000
                           0, 0, 0, 0};
  CHECK(peekDimensions(littleEndian.data(), littleEndian.size()) == std::make_pair(30000, 30000));
  const auto huge = decodeImage(littleEndian.data(), littleEndian.size());
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().code == ErrorCode::ImageTooLarge);
  const Bytes bigEndian{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 2,
                        0x01, 0x00, 0, 3, 0, 0, 0, 1, 0x02, 0x80, 0, 0,   // ImageWidth SHORT 640
                        0x01, 0x01, 0, 4, 0, 0, 0, 1, 0, 0, 0x01, 0xE0,   // ImageLength LONG 480
                        0, 0, 0, 0};
  CHECK(peekDimensions(bigEndian.data(), bigEndian.size()) == std::make_pair(640, 480));
}

TEST_CASE("regression: a PNG whose chunk declares more bytes than the file holds is refused before allocating") {
  // fuzz_image's first find: 107 bytes whose IDAT declares about 1.7 GB, which stb_image reserved
  // up front. The chunk walk now refuses it with a reason, without the allocation.
  const Bytes file{
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
      0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x84, 0x52, 0xE7,
      0x5E, 0x00, 0x00, 0x00, 0x0C, 0x50, 0x4C, 0x54, 0x45, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
      0x08, 0x09, 0x0A, 0x0B, 0x0C, 0xDC, 0x63, 0x37, 0xAC, 0x00, 0x00, 0x00, 0x01, 0x74, 0x52, 0x4E,
      0x53, 0x00, 0x40, 0xE6, 0xD8, 0x0D, 0x66, 0x00, 0x00, 0x00, 0x49, 0x44, 0x41, 0x54, 0x78, 0x01,
      0x01, 0x02, 0x08, 0xFD, 0xFF, 0x66, 0x74, 0x79, 0x70, 0x00, 0x80, 0x61, 0x00, 0x00, 0xD5, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
  };
  CHECK(sniffImageFormat(file) == ImageFormat::Png);
  const auto result = decodeImage(file.data(), file.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::DecodeFailed);
  CHECK_THAT(result.error().message, Catch::Contains("chunk runs past the end"));

  // A valid PNG, and one merely cut short, are unaffected by the check.
  const auto png = encodePng(quadrants(8, 8)).value();
  CHECK(decodeImage(png.data(), png.size()).ok());
  const auto cut = decodeImage(png.data(), png.size() - 20);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.error().code == ErrorCode::DecodeFailed);
}

TEST_CASE("regression: a PNG ending in the header of a chunk too large for the file is refused before allocating") {
  // fuzz_image: 81 bytes ending in the 8-byte header of an IDAT that declares about 1.1 GB, with no
  // room left for its CRC. The chunk walk stopped where a whole chunk no longer fitted and let it
  // through; stb_image then reserved the declared length.
  const Bytes file{
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
      0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x84, 0x52, 0x42,
      0x4D, 0x00, 0x00, 0x00, 0x0C, 0x50, 0x4C, 0x54, 0x45, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
      0x08, 0x09, 0x0A, 0x0B, 0x0C, 0xDC, 0x63, 0x37, 0xAC, 0x00, 0x00, 0x00, 0x01, 0x74, 0x52, 0x4E,
      0x53, 0x00, 0x0C, 0x50, 0x4C, 0x54, 0x45, 0x01, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x01,
      0x01,
  };
  const auto result = decodeImage(file.data(), file.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::DecodeFailed);
  CHECK_THAT(result.error().message, Catch::Contains("chunk runs past the end"));

  // A PNG whose last chunk lacks only its CRC still decodes, as it did before.
  const auto png = encodePng(quadrants(8, 8)).value();
  const auto withoutFinalCrc = decodeImage(png.data(), png.size() - 4);
  REQUIRE(withoutFinalCrc.ok());
  CHECK(withoutFinalCrc.value().rgba == quadrants(8, 8).rgba);
}
