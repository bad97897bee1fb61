#include <catch2/catch.hpp>

#include "core/resize.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

TEST_CASE("fitting keeps the aspect ratio and never enlarges") {
  int w = 0, h = 0;
  fitWithin(4000, 3000, 1024, w, h);
  CHECK((w == 1024 && h == 768));
  fitWithin(3000, 4000, 1024, w, h);
  CHECK((w == 768 && h == 1024));
  fitWithin(800, 600, 1024, w, h);
  CHECK((w == 800 && h == 600));
  fitWithin(5000, 3, 1024, w, h);
  CHECK((w == 1024 && h == 1));
}

TEST_CASE("downscaling keeps the picture: quadrants stay where they were") {
  const Image small = resizeToFit(quadrants(1600, 1200), 1024);
  CHECK(small.width == 1024);
  CHECK(small.height == 768);
  CHECK(hasQuadrants(small, kRed, kGreen, kBlue, kYellow, 2));
}

TEST_CASE("a one-pixel checkerboard averages to grey instead of aliasing") {
  Image checker(999, 999);
  for (int y = 0; y < 999; ++y) {
    for (int x = 0; x < 999; ++x) {
      std::uint8_t* p = checker.pixel(x, y);
      const std::uint8_t v = (x + y) % 2 ? 255 : 0;
      p[0] = p[1] = p[2] = v;
      p[3] = 255;
    }
  }
  const Image small = resizeToFit(checker, 100);
  for (int y = 5; y < 100; y += 17) {
    for (int x = 3; x < 100; x += 13) {
      INFO("at " << x << "," << y);
      CHECK(std::abs(small.pixel(x, y)[0] - 128) <= 3);
    }
  }
}

TEST_CASE("transparent pixels do not bleed their hidden colour into the average") {
  Image image(4, 1);
  const std::uint8_t pixels[] = {255, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0};  // red, invisible green
  std::copy(std::begin(pixels), std::end(pixels), image.rgba.begin());
  const Image half = resizeArea(image, 2, 1);
  CHECK(half.pixel(0, 0)[0] == 255);
  CHECK(half.pixel(0, 0)[3] == 255);
  CHECK(half.pixel(1, 0)[3] == 0);
  const Image one = resizeArea(image, 1, 1);
  CHECK(one.pixel(0, 0)[0] == 255);  // still pure red, half transparent
  CHECK(one.pixel(0, 0)[1] == 0);
  CHECK(std::abs(one.pixel(0, 0)[3] - 128) <= 1);
}
