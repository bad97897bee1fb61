#include <catch2/catch.hpp>

#include <string>

#include "core/codec.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

TEST_CASE("JPEG round trip keeps size and colours") {
  const auto jpeg = jpegOf(quadrants(64, 48));
  CHECK(sniffImageFormat(jpeg) == ImageFormat::Jpeg);
  const auto decoded = decodeImage(jpeg.data(), jpeg.size());
  REQUIRE(decoded.ok());
  CHECK(decoded.value().width == 64);
  CHECK(decoded.value().height == 48);
  CHECK(hasQuadrants(decoded.value(), kRed, kGreen, kBlue, kYellow));
}

TEST_CASE("PNG round trip is lossless, alpha included") {
  Image image = quadrants(30, 20);
  image.pixel(3, 3)[3] = 17;
  const auto png = encodePng(image);
  REQUIRE(png.ok());
  CHECK(sniffImageFormat(png.value()) == ImageFormat::Png);
  const auto decoded = decodeImage(png.value().data(), png.value().size());
  REQUIRE(decoded.ok());
  CHECK(decoded.value().rgba == image.rgba);
}

TEST_CASE("JPEG encoding flattens transparency onto white") {
  Image image(16, 16);  // all zero: fully transparent black
  const auto jpeg = encodeJpeg(image, 90);
  REQUIRE(jpeg.ok());
  const auto decoded = decodeImage(jpeg.value().data(), jpeg.value().size());
  REQUIRE(decoded.ok());
  CHECK(near(decoded.value().pixel(8, 8), Rgb{255, 255, 255}, 3));
}

TEST_CASE("decoding explains what is wrong with a file") {
  SECTION("empty") {
    const auto result = decodeImage(nullptr, 0);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::UnsupportedFormat);
  }
  SECTION("not an image") {
    const std::string text = "hello, this is a text file";
    const auto result = decodeImage(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::UnsupportedFormat);
    CHECK_THAT(result.error().message, Catch::Contains("not an image format"));
  }
  SECTION("a format only the browser decodes is named") {
    const std::string avif("\0\0\0\x1C" "ftypavif\0\0\0\0", 16);
    const auto result = decodeImage(reinterpret_cast<const std::uint8_t*>(avif.data()), avif.size());
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error().message, Catch::Contains("AVIF"));
  }
  SECTION("a truncated JPEG is damaged, with stb's reason") {
    const auto jpeg = jpegOf(quadrants(64, 48));
    const auto result = decodeImage(jpeg.data(), 40);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::DecodeFailed);
    CHECK_THAT(result.error().message, Catch::StartsWith("The JPEG file is damaged ("));
  }
}

TEST_CASE("limits are checked before pixels are allocated") {
  // A PNG header declaring 30000x30000 with no pixel data at all.
  std::vector<std::uint8_t> png = encodePng(quadrants(2, 2)).value();
  auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) png[at + i] = std::uint8_t(v >> (24 - 8 * i));
  };
  put32(16, 30000);  // IHDR width
  put32(20, 30000);  // IHDR height
  const auto result = decodeImage(png.data(), png.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::ImageTooLarge);
  CHECK_THAT(result.error().message, Catch::Contains("900 megapixels"));

  DecodeLimits tiny;
  tiny.maxFileBytes = 10;
  const auto tooBig = decodeImage(png.data(), png.size(), tiny);
  REQUIRE_FALSE(tooBig.ok());
  CHECK(tooBig.error().code == ErrorCode::ImageTooLarge);
}
