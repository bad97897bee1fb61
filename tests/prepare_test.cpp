#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "core/codec.hpp"
#include "core/prepare.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

namespace {
Image decodeUpload(const PreparedUpload& upload) {
  auto decoded = decodeImage(upload.bytes.data(), upload.bytes.size());
  REQUIRE(decoded.ok());
  return std::move(decoded).value();
}
}  // namespace

TEST_CASE("a sideways phone photo becomes an upright, downscaled JPEG upload") {
  // Stored landscape 1600x1200 with orientation 6: the person sees a 1200x1600 portrait.
  const auto file = withExifOrientation(jpegOf(quadrants(1600, 1200)), 6);
  const auto prepared = prepareUpload(file.data(), file.size(), PrepareOptions{});
  REQUIRE(prepared.ok());
  const PreparedUpload& upload = prepared.value();
  CHECK(upload.contentType == "image/jpeg");
  CHECK(upload.sourceWidth == 1200);
  CHECK(upload.sourceHeight == 1600);
  CHECK(upload.width == 768);
  CHECK(upload.height == 1024);
  const Image image = decodeUpload(upload);
  CHECK(image.width == 768);
  CHECK(image.height == 1024);
  CHECK(hasQuadrants(image, kBlue, kRed, kYellow, kGreen));
}

TEST_CASE("a small image is not enlarged, and PNG output keeps alpha") {
  Image source = quadrants(40, 30);
  source.pixel(0, 0)[3] = 0;
  const auto file = encodePng(source).value();
  const auto options = parsePrepareOptions(R"({"format":"png","maxSide":512})");
  REQUIRE(options.ok());
  const auto prepared = prepareUpload(file.data(), file.size(), options.value());
  REQUIRE(prepared.ok());
  CHECK(prepared.value().contentType == "image/png");
  const Image image = decodeUpload(prepared.value());
  CHECK(image.width == 40);
  CHECK(image.height == 30);
  CHECK(image.pixel(0, 0)[3] == 0);
}

TEST_CASE("preparation options are validated") {
  CHECK(parsePrepareOptions("").ok());
  CHECK(parsePrepareOptions(R"({"maxSide":384,"quality":80})").value().maxSide == 384);
  CHECK_FALSE(parsePrepareOptions(R"({"maxSide":"big"})").ok());
  CHECK_FALSE(parsePrepareOptions(R"({"format":"gif"})").ok());
  CHECK_FALSE(parsePrepareOptions(R"({"quality":0})").ok());
  CHECK_FALSE(parsePrepareOptions("not json").ok());
}

TEST_CASE("a corrupt upload fails with a reason, and garbage is named as not an image") {
  std::vector<std::uint8_t> file = jpegOf(quadrants(64, 64));
  file.resize(100);  // headers survive, the frame does not
  const auto truncated = prepareUpload(file.data(), file.size(), PrepareOptions{});
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.error().code == ErrorCode::DecodeFailed);
  const std::vector<std::uint8_t> garbage(1000, 0x42);
  const auto rejected = prepareUpload(garbage.data(), garbage.size(), PrepareOptions{});
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.error().code == ErrorCode::UnsupportedFormat);
}

TEST_CASE("pixels from the browser's decoder are prepared exactly like a decoded file") {
  const auto fromPixels = preparePixels(quadrants(1600, 1200), 1600, 1200, PrepareOptions{});
  REQUIRE(fromPixels.ok());
  const auto file = jpegOf(quadrants(1600, 1200));
  const auto fromFile = prepareUpload(file.data(), file.size(), PrepareOptions{});
  REQUIRE(fromFile.ok());
  for (const auto* upload : {&fromPixels.value(), &fromFile.value()}) {
    CHECK(upload->contentType == "image/jpeg");
    CHECK(upload->width == 1024);
    CHECK(upload->height == 768);
    CHECK(upload->sourceWidth == 1600);
    CHECK(upload->sourceHeight == 1200);
    CHECK(hasQuadrants(decodeUpload(*upload), kRed, kGreen, kBlue, kYellow));
  }
}

TEST_CASE("pixels the browser reduced are sized and reported by the picture they came from") {
  // A 4000x3000 picture handed over at 2048x1536 gives the upload a full decode would.
  const auto upload = preparePixels(quadrants(2048, 1536), 4000, 3000, PrepareOptions{});
  REQUIRE(upload.ok());
  CHECK(upload.value().sourceWidth == 4000);
  CHECK(upload.value().sourceHeight == 3000);
  CHECK(upload.value().width == 1024);
  CHECK(upload.value().height == 768);
  CHECK(hasQuadrants(decodeUpload(upload.value()), kRed, kGreen, kBlue, kYellow));

  // Handed over at exactly the upload's size, the pixels are encoded as they are.
  const auto exact = preparePixels(quadrants(1024, 768), 4000, 3000, PrepareOptions{});
  REQUIRE(exact.ok());
  CHECK(exact.value().width == 1024);
  CHECK(exact.value().height == 768);
}

TEST_CASE("pixels are checked before they are prepared") {
  Image empty;
  const auto none = preparePixels(empty, 10, 10, PrepareOptions{});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::DecodeFailed);

  Image mismatched(10, 10);
  mismatched.rgba.resize(10);
  CHECK_FALSE(preparePixels(mismatched, 10, 10, PrepareOptions{}).ok());

  const auto larger = preparePixels(Image(10, 10), 10, 9, PrepareOptions{});
  REQUIRE_FALSE(larger.ok());
  CHECK(larger.error().code == ErrorCode::DecodeFailed);

  // The limit is on the picture, however small the pixels handed over.
  PrepareOptions small;
  small.limits.maxPixels = 99;
  for (const auto [width, height] : {std::pair{10, 10}, std::pair{5, 5}}) {
    const auto tooMany = preparePixels(Image(width, height), 10, 10, small);
    REQUIRE_FALSE(tooMany.ok());
    CHECK(tooMany.error().code == ErrorCode::ImageTooLarge);
    CHECK(tooMany.error().message.find("10\xC3\x97" "10") != std::string::npos);
  }
}

TEST_CASE("a file decodes to upright pixels, as the game's scoring needs them") {
  const auto file = withExifOrientation(jpegOf(quadrants(40, 20)), 8);
  const auto image = decodeUpright(file.data(), file.size());
  REQUIRE(image.ok());
  CHECK(image.value().width == 20);
  CHECK(image.value().height == 40);
  CHECK(hasQuadrants(image.value(), kGreen, kYellow, kRed, kBlue));

  const auto png = encodePng(quadrants(30, 30)).value();
  const auto pngImage = decodeUpright(png.data(), png.size());
  REQUIRE(pngImage.ok());
  CHECK(pngImage.value().rgba == quadrants(30, 30).rgba);

  const std::string avif("\0\0\0\x1C" "ftypavif\0\0\0\0", 16);
  const auto refused = decodeUpright(reinterpret_cast<const std::uint8_t*>(avif.data()), avif.size());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::UnsupportedFormat);
}
