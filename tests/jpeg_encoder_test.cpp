#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/jpeg_encoder.hpp"
#include "libjpeg_reference.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;


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
      const Image mine = decoded(*ours), reference = decoded(libjpegEncoded(image, {quality}));
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
