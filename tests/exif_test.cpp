#include <catch2/catch.hpp>

#include "core/codec.hpp"
#include "core/exif.hpp"
#include "core/prepare.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

TEST_CASE("the EXIF orientation tag is read from little- and big-endian Exif segments") {
  const auto jpeg = jpegOf(quadrants(32, 16));
  CHECK(readJpegOrientation(jpeg.data(), jpeg.size()) == 1);
  for (int orientation = 1; orientation <= 8; ++orientation) {
    for (bool little : {true, false}) {
      const auto tagged = withExifOrientation(jpeg, orientation, little);
      CHECK(readJpegOrientation(tagged.data(), tagged.size()) == orientation);
    }
  }
}

TEST_CASE("out-of-range or truncated Exif data falls back to upright") {
  const auto jpeg = jpegOf(quadrants(32, 16));
  const auto invalid = withExifOrientation(jpeg, 9);
  CHECK(readJpegOrientation(invalid.data(), invalid.size()) == 1);
  const auto tagged = withExifOrientation(jpeg, 6);
  for (std::size_t cut : {3u, 10u, 20u, 30u}) CHECK(readJpegOrientation(tagged.data(), cut) == 1);
}

TEST_CASE("each orientation turns the stored pixels upright") {
  // The stored image is what the camera wrote; the expected quadrant layout is what a viewer shows.
  const Image stored = quadrants(40, 20);  // R G / B Y
  struct Case {
    int orientation;
    bool swapsAxes;
    Rgb topLeft, topRight, bottomLeft, bottomRight;
  };
  const Case cases[] = {
      {1, false, kRed, kGreen, kBlue, kYellow},   {2, false, kGreen, kRed, kYellow, kBlue},
      {3, false, kYellow, kBlue, kGreen, kRed},   {4, false, kBlue, kYellow, kRed, kGreen},
      {5, true, kRed, kBlue, kGreen, kYellow},    {6, true, kBlue, kRed, kYellow, kGreen},
      {7, true, kYellow, kGreen, kBlue, kRed},    {8, true, kGreen, kYellow, kRed, kBlue},
  };
  for (const Case& c : cases) {
    INFO("orientation " << c.orientation);
    const Image upright = applyOrientation(stored, c.orientation);
    CHECK(upright.width == (c.swapsAxes ? 20 : 40));
    CHECK(upright.height == (c.swapsAxes ? 40 : 20));
    CHECK(hasQuadrants(upright, c.topLeft, c.topRight, c.bottomLeft, c.bottomRight));
  }
}

TEST_CASE("every orientation is applied through the whole upload path, baseline and reduced-scale decode") {
  // Stored 400x200, so orientations 5-8 give a 200x400 portrait. maxSide 100 lets a scaled
  // decoder stop at a quarter of the stored size; maxSide 400 keeps the full size.
  const auto jpeg = jpegOf(quadrants(400, 200));
  struct Case {
    int orientation;
    Rgb topLeft, topRight, bottomLeft, bottomRight;
  };
  const Case cases[] = {
      {1, kRed, kGreen, kBlue, kYellow},   {2, kGreen, kRed, kYellow, kBlue},   {3, kYellow, kBlue, kGreen, kRed},
      {4, kBlue, kYellow, kRed, kGreen},   {5, kRed, kBlue, kGreen, kYellow},   {6, kBlue, kRed, kYellow, kGreen},
      {7, kYellow, kGreen, kBlue, kRed},   {8, kGreen, kYellow, kRed, kBlue},
  };
  for (int maxSide : {100, 400}) {
    for (const Case& c : cases) {
      INFO("orientation " << c.orientation << ", maxSide " << maxSide);
      const auto file = withExifOrientation(jpeg, c.orientation, c.orientation % 2 == 0);
      PrepareOptions options;
      options.maxSide = maxSide;
      const auto prepared = prepareUpload(file.data(), file.size(), options);
      REQUIRE(prepared.ok());
      const bool portrait = c.orientation >= 5;
      CHECK(prepared.value().sourceWidth == (portrait ? 200 : 400));
      CHECK(prepared.value().sourceHeight == (portrait ? 400 : 200));
      CHECK(prepared.value().width == (portrait ? maxSide / 2 : maxSide));
      CHECK(prepared.value().height == (portrait ? maxSide : maxSide / 2));
      const auto upload = decodeImage(prepared.value().bytes.data(), prepared.value().bytes.size());
      REQUIRE(upload.ok());
      CHECK(upload.value().width == prepared.value().width);
      CHECK(hasQuadrants(upload.value(), c.topLeft, c.topRight, c.bottomLeft, c.bottomRight));
    }
  }
}
