#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

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

TEST_CASE("every output pixel is the exact area average of what it covers, to within one level") {
  // A different ramp per channel and axis, sized so output pixels cover fractional source
  // pixels, with the edges included: the last column's taps are the ones moved left.
  const int sourceWidth = 1511, sourceHeight = 1133, width = 1024, height = 768;
  auto value = [](int x, int y, int c) { return static_cast<std::uint8_t>((x * (c + 1) + y * (3 - c)) % 256); };
  Image source(sourceWidth, sourceHeight);
  for (int y = 0; y < sourceHeight; ++y) {
    for (int x = 0; x < sourceWidth; ++x) {
      std::uint8_t* p = source.pixel(x, y);
      for (int c = 0; c < 3; ++c) p[c] = value(x, y, c);
      p[3] = 255;
    }
  }
  const Image small = resizeArea(source, width, height);
  const double sx = double(sourceWidth) / width, sy = double(sourceHeight) / height;
  auto overlap = [](double begin, double end, int s) { return std::max(0.0, std::min(end, s + 1.0) - std::max(begin, double(s))); };
  for (int y : {0, 1, 383, 766, 767}) {
    for (int x : {0, 1, 500, 1022, 1023}) {
      for (int c = 0; c < 3; ++c) {
        double sum = 0;
        for (int j = int(y * sy); j < std::min(sourceHeight, int(std::ceil((y + 1) * sy))); ++j) {
          for (int i = int(x * sx); i < std::min(sourceWidth, int(std::ceil((x + 1) * sx))); ++i) {
            sum += value(i, j, c) * overlap(x * sx, (x + 1) * sx, i) * overlap(y * sy, (y + 1) * sy, j);
          }
        }
        INFO("at " << x << "," << y << " channel " << c);
        CHECK(std::abs(small.pixel(x, y)[c] - sum / (sx * sy)) <= 1.0);
      }
      CHECK(small.pixel(x, y)[3] == 255);
    }
  }
}
