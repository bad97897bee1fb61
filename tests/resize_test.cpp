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

TEST_CASE("one-pixel stripes reduced by a ratio that is not a whole number stay an even grey") {
  // A box (the mean of the pixels each output pixel covers) beats against the pixel grid here:
  // bands from 92 to 163 at 3.125x, 87 to 168 at 2.93x, 92 to 163 at 1.5625x.
  const auto [sourceWidth, tolerance] = GENERATE(table<int, int>({{3200, 15}, {3000, 15}, {1600, 21}}));
  Image stripes(sourceWidth, 8);
  for (int y = 0; y < stripes.height; ++y) {
    for (int x = 0; x < stripes.width; ++x) {
      std::uint8_t* p = stripes.pixel(x, y);
      p[0] = p[1] = p[2] = x % 2 ? 255 : 0;
      p[3] = 255;
    }
  }
  const Image small = resize(stripes, 1024, 4);
  for (int x = 2; x < small.width - 2; ++x) {  // the edge pixels see one side of the tent only
    INFO(sourceWidth << " -> 1024, at " << x);
    REQUIRE(std::abs(small.pixel(x, 2)[0] - 127) <= tolerance);
  }
}

TEST_CASE("transparent pixels do not bleed their hidden colour into the average") {
  Image image(4, 1);
  const std::uint8_t pixels[] = {255, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0};  // red, invisible green
  std::copy(std::begin(pixels), std::end(pixels), image.rgba.begin());
  const Image half = resize(image, 2, 1);
  // Both halves are pure red; each is as opaque as the red under its tent (weights 1/4 and 3/4 of
  // the nearer pixels): 6/7 and 1/7.
  for (int x : {0, 1}) {
    CHECK(half.pixel(x, 0)[0] == 255);
    CHECK(half.pixel(x, 0)[1] == 0);
  }
  CHECK(half.pixel(0, 0)[3] == 219);
  CHECK(half.pixel(1, 0)[3] == 36);
  const Image one = resize(image, 1, 1);
  CHECK(one.pixel(0, 0)[0] == 255);  // still pure red, half transparent
  CHECK(one.pixel(0, 0)[1] == 0);
  CHECK(std::abs(one.pixel(0, 0)[3] - 128) <= 1);
}

TEST_CASE("every output pixel is the tent-weighted mean of the source around it, to within one level") {
  // Noise, so no other weighting comes close, sized so output pixels fall between source pixels,
  // with the edges included: the last column's taps are the ones moved left. With alpha, colour is
  // weighted by alpha too (the float path); without, the fixed-point one.
  const bool withAlpha = GENERATE(false, true);
  const int sourceWidth = 1511, sourceHeight = 1133, width = 1024, height = 768;
  auto value = [](int x, int y, int c) {
    return static_cast<std::uint8_t>((static_cast<std::uint32_t>(x * 7919 + y * 104729 + c * 31) * 2654435761u) >> 24);
  };
  auto alphaAt = [&](int x, int y) { return withAlpha ? 55 + value(x, y, 3) % 200 : 255; };
  Image source(sourceWidth, sourceHeight);
  for (int y = 0; y < sourceHeight; ++y) {
    for (int x = 0; x < sourceWidth; ++x) {
      std::uint8_t* p = source.pixel(x, y);
      for (int c = 0; c < 3; ++c) p[c] = value(x, y, c);
      p[3] = static_cast<std::uint8_t>(alphaAt(x, y));
    }
  }
  const Image small = resize(source, width, height);
  // The weight of source pixel s for output pixel t: a tent one output pixel wide on either side.
  auto tent = [](int t, int s, double scale) { return std::max(0.0, 1 - std::abs(s + 0.5 - (t + 0.5) * scale) / scale); };
  const double sx = double(sourceWidth) / width, sy = double(sourceHeight) / height;
  for (int y : {0, 1, 383, 766, 767}) {
    for (int x : {0, 1, 500, 1022, 1023}) {
      double colour[3] = {0, 0, 0}, opacity = 0, total = 0;
      for (int j = 0; j < sourceHeight; ++j) {
        if (tent(y, j, sy) == 0) continue;
        for (int i = 0; i < sourceWidth; ++i) {
          const double weight = tent(x, i, sx) * tent(y, j, sy);
          for (int c = 0; c < 3; ++c) colour[c] += value(i, j, c) * weight * alphaAt(i, j);
          opacity += weight * alphaAt(i, j);
          total += weight;
        }
      }
      INFO("at " << x << "," << y << (withAlpha ? " with alpha" : ""));
      for (int c = 0; c < 3; ++c) CHECK(std::abs(small.pixel(x, y)[c] - colour[c] / opacity) <= 1.0);
      CHECK(std::abs(small.pixel(x, y)[3] - opacity / total) <= 1.0);
    }
  }
}
