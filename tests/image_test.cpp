#include <catch2/catch.hpp>

#include <string>

#include "core/codec.hpp"
#include "core/image.hpp"
#include "test_images.hpp"

using dg::ImageFormat;

namespace {
ImageFormat sniff(const std::string& bytes) {
  return dg::sniffImageFormat(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}
std::pair<int, int> sniffDimensions(const std::string& bytes) {
  return dg::peekDimensions(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}
}  // namespace

TEST_CASE("image formats are recognised by their magic bytes") {
  CHECK(sniff(std::string("\xFF\xD8\xFF\xE0", 4)) == ImageFormat::Jpeg);
  CHECK(sniff(std::string("\x89PNG\r\n\x1a\n....", 12)) == ImageFormat::Png);
  CHECK(sniff("GIF89a......") == ImageFormat::Gif);
  CHECK(sniff(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)) == ImageFormat::Webp);
  CHECK(sniff(std::string("\0\0\0\x18" "ftypheic", 12)) == ImageFormat::Heic);
  CHECK(sniff(std::string("\0\0\0\x18" "ftypavif", 12)) == ImageFormat::Avif);
  CHECK(sniff(std::string("BM") + std::string(30, '\0')) == ImageFormat::Bmp);
}

TEST_CASE("labels do not decide: text and truncated headers are not images") {
  CHECK(sniff("") == ImageFormat::Unknown);
  CHECK(sniff("\xFF\xD8") == ImageFormat::Unknown);
  CHECK(sniff("{\"error\":\"x\"}") == ImageFormat::Unknown);
  CHECK(sniff("<!DOCTYPE html>") == ImageFormat::Unknown);
  CHECK(sniff(std::string("RIFF\x10\x00\x00\x00WAVEfmt ", 16)) == ImageFormat::Unknown);
}

TEST_CASE("declared dimensions are read from headers without decoding") {
  const auto png = dg::encodePng(dg::test::quadrants(30, 20)).value();
  CHECK(dg::peekDimensions(png.data(), png.size()) == std::make_pair(30, 20));
  const auto jpeg = dg::test::jpegOf(dg::test::quadrants(33, 17));
  CHECK(dg::peekDimensions(jpeg.data(), jpeg.size()) == std::make_pair(33, 17));
  const std::string gif("GIF89a\x40\x01\xF0\x00", 10);
  CHECK(sniffDimensions(gif) == std::make_pair(320, 240));
  CHECK(sniffDimensions("not an image") == std::make_pair(0, 0));
}

TEST_CASE("formats have names for messages and MIME types for downloads") {
  CHECK(std::string(dg::formatName(ImageFormat::Webp)) == "WebP");
  CHECK(std::string(dg::mimeType(ImageFormat::Png)) == "image/png");
  CHECK(std::string(dg::mimeType(ImageFormat::Unknown)) == "application/octet-stream");
}
