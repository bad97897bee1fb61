#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/jpeg_encoder.hpp"
#include "test_images.hpp"

#if DG_HAVE_LIBJPEG_TURBO
#include <cstdio>  // jpeglib.h uses FILE without including <stdio.h>
#include <jpeglib.h>
#endif

using namespace dg;
using namespace dg::test;

namespace {

// A photo-like picture: smooth colour gradients, grey stripes and noise, so every coefficient band, the
// Huffman codes for long values and 0xFF bytes in the coded data all occur.
Image photoLike(int width, int height, unsigned seed) {
  Image image(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      seed = seed * 1103515245u + 12345u;
      const int noise = static_cast<int>(seed >> 27) - 16;
      std::uint8_t* p = image.pixel(x, y);
      const int stripe = (x / 3 + y / 5) % 2 == 0 ? 40 : -40;  // grey: JPEG keeps luma detail, not chroma's
      p[0] = static_cast<std::uint8_t>(std::clamp(x * 200 / std::max(1, width - 1) + 28 + stripe + noise, 0, 255));
      p[1] = static_cast<std::uint8_t>(std::clamp(128 + stripe + noise, 0, 255));
      p[2] = static_cast<std::uint8_t>(std::clamp(y * 200 / std::max(1, height - 1) + 28 + stripe - noise, 0, 255));
      p[3] = static_cast<std::uint8_t>(seed >> 24);  // never read: the encoder takes the image as opaque
    }
  }
  return image;
}

double meanAbsoluteError(const Image& a, const Image& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.rgba.size(); i += 4) {
    for (int c = 0; c < 3; ++c) sum += std::abs(a.rgba[i + c] - b.rgba[i + c]);
  }
  return sum / (3.0 * a.width * a.height);
}

#if DG_HAVE_LIBJPEG_TURBO
// libjpeg-turbo's encoder as the app used it: jpeg_set_defaults (YCbCr 4:2:0, Annex K tables),
// jpeg_set_quality with baseline tables. Its fatal errors cannot occur for these images; the
// error manager is filled in by hand because the build leaves out jerror.c.
std::vector<std::uint8_t> libjpegEncoded(const Image& image, int quality) {
  jpeg_error_mgr errors{};
  errors.error_exit = [](j_common_ptr) { std::abort(); };
  errors.emit_message = [](j_common_ptr, int) {};
  errors.output_message = [](j_common_ptr) {};
  errors.format_message = [](j_common_ptr, char* buffer) { buffer[0] = '\0'; };
  errors.reset_error_mgr = [](j_common_ptr) {};
  jpeg_compress_struct info{};
  info.err = &errors;
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long length = 0;
  jpeg_mem_dest(&info, &buffer, &length);
  info.image_width = static_cast<JDIMENSION>(image.width);
  info.image_height = static_cast<JDIMENSION>(image.height);
  info.input_components = 4;
  info.in_color_space = JCS_EXT_RGBX;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.pixel(0, static_cast<int>(info.next_scanline)));
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::vector<std::uint8_t> bytes(buffer, buffer + length);
  std::free(buffer);
  return bytes;
}
#endif

}  // namespace

TEST_CASE("The JPEG encoder's files decode to libjpeg-turbo's pixels at every size and quality") {
#if DG_HAVE_LIBJPEG_TURBO
  // Sizes around the 8- and 16-pixel block and MCU edges, where padding blocks and edge
  // replication come in; qualities across libjpeg's scale, both ends included.
  const int sizes[][2] = {{1, 1},   {2, 3},   {7, 9},   {8, 8},   {9, 16},  {15, 17}, {16, 16},
                          {17, 31}, {24, 40}, {33, 47}, {64, 48}, {250, 130}, {1, 77}, {77, 1}};
  const int qualities[] = {1, 10, 25, 49, 50, 51, 75, 90, 92, 100};
  unsigned seed = 1;
  for (const auto& size : sizes) {
    for (const int quality : qualities) {
      const Image image = photoLike(size[0], size[1], seed++);
      const auto ours = encodeBaselineJpeg(image, quality);
      REQUIRE(ours);
      const Image mine = decoded(*ours), reference = decoded(libjpegEncoded(image, quality));
      INFO(size[0] << "x" << size[1] << " at quality " << quality);
      CHECK(mine.width == size[0]);
      CHECK(mine.height == size[1]);
      CHECK(mine.rgba == reference.rgba);
    }
  }
#else
  SUCCEED("libjpeg-turbo is not in this build; the round trips below still check the encoder");
#endif
}

TEST_CASE("A JPEG upload keeps its size and stays close to the picture") {
  const Image image = photoLike(301, 203, 7);
  for (const int quality : {75, 90, 100}) {
    const auto jpeg = encodeBaselineJpeg(image, quality);
    REQUIRE(jpeg);
    CHECK(sniffImageFormat(*jpeg) == ImageFormat::Jpeg);
    const Image back = decoded(*jpeg);
    REQUIRE(back.width == 301);
    REQUIRE(back.height == 203);
    INFO("quality " << quality);
    // The noise (±16 levels per pixel, opposite in red and blue) is what JPEG gives up first, and
    // 4:2:0 chroma keeps none of it; the picture itself stays.
    CHECK(meanAbsoluteError(image, back) < (quality == 100 ? 6.0 : 9.0));
    CHECK(back.pixel(150, 100)[3] == 255);
  }
}

TEST_CASE("Higher JPEG quality costs more bytes and loses less") {
  const Image image = photoLike(160, 120, 3);
  double previousError = 1e9;
  std::size_t previousSize = 0;
  for (const int quality : {10, 50, 75, 90, 100}) {
    const auto jpeg = encodeBaselineJpeg(image, quality);
    REQUIRE(jpeg);
    const double error = meanAbsoluteError(image, decoded(*jpeg));
    INFO("quality " << quality);
    CHECK(jpeg->size() > previousSize);
    CHECK(error < previousError);
    previousSize = jpeg->size();
    previousError = error;
  }
  // Out-of-range qualities are clamped, as libjpeg clamps them.
  CHECK(*encodeBaselineJpeg(image, 0) == *encodeBaselineJpeg(image, 1));
  CHECK(*encodeBaselineJpeg(image, 250) == *encodeBaselineJpeg(image, 100));
}

TEST_CASE("A flat picture codes to flat pixels, its edges included") {
  Image image(37, 21);
  for (std::size_t i = 0; i < image.rgba.size(); i += 4) {
    image.rgba[i] = 200, image.rgba[i + 1] = 120, image.rgba[i + 2] = 40, image.rgba[i + 3] = 255;
  }
  const Image back = decoded(*encodeBaselineJpeg(image, 90));
  for (const auto& [x, y] : {std::pair{0, 0}, {36, 0}, {0, 20}, {36, 20}, {18, 10}}) {
    const std::uint8_t* p = back.pixel(x, y);
    INFO(x << "," << y);
    CHECK(std::abs(p[0] - 200) <= 2);
    CHECK(std::abs(p[1] - 120) <= 2);
    CHECK(std::abs(p[2] - 40) <= 2);
  }
}

TEST_CASE("A picture JPEG cannot hold is refused with its size") {
  CHECK_FALSE(encodeBaselineJpeg(Image{}, 90));
  const Image tooWide(kMaxJpegSide + 1, 1);
  CHECK_FALSE(encodeBaselineJpeg(tooWide, 90));
  const auto result = encodeJpeg(tooWide, 90);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::EncodeFailed);
  CHECK(result.error().message ==
        "The image could not be encoded as JPEG (it is 65536\xC3\x97" "1; JPEG holds 1 to 65535 pixels a side).");
  CHECK(encodeBaselineJpeg(Image(kMaxJpegSide, 1), 90));
}
