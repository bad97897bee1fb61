// Reduced-scale JPEG decoding (DCT domain, libjpeg-turbo) and the upload path built on it. The
// checks on the output hold for either decoder; the ones on the decoder itself run when the build
// has libjpeg-turbo, which ./scripts/test always fetches.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/codec.hpp"
#include "core/jpeg_turbo.hpp"
#include "core/prepare.hpp"
#include "fixtures/progressive_jpeg.hpp"
#include "image_writers.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

TEST_CASE("the scale is the smallest eighth that still covers the target") {
  CHECK(jpegScaleNumerator(4032, 3024, 1024, 768) == 3);  // 1512x1134, then a mild area resize
  CHECK(jpegScaleNumerator(1600, 1200, 1024, 768) == 6);  // 1200x900
  CHECK(jpegScaleNumerator(8000, 6000, 1000, 750) == 1);  // exactly an eighth
  CHECK(jpegScaleNumerator(8001, 6001, 1000, 750) == 1);  // ceil(8001/8) = 1001
  CHECK(jpegScaleNumerator(800, 600, 800, 600) == 8);     // no reduction possible
  CHECK(jpegScaleNumerator(5000, 1, 1024, 1) == 2);       // a one-pixel-high strip stays one pixel high
}

TEST_CASE("a reduced-scale decode covers the requested size and keeps the picture") {
  const auto jpeg = jpegOf(quadrants(1600, 1200));
  const auto result = decodeImageAtLeast(jpeg.data(), jpeg.size(), 400, 300);
  REQUIRE(result.ok());
  const Image& image = result.value();
  CHECK(image.width >= 400);
  CHECK(image.height >= 300);
  CHECK(hasQuadrants(image, kRed, kGreen, kBlue, kYellow));
  if (haveLibjpegTurbo()) {
    CHECK(image.width == 400);  // 2/8 of 1600, never decoded at full size
    CHECK(image.height == 300);
  }
  const auto full = decodeImage(jpeg.data(), jpeg.size());
  REQUIRE(full.ok());
  CHECK(full.value().width == 1600);
  CHECK(full.value().height == 1200);
}

TEST_CASE("every reduced scale decodes a 4:2:0 JPEG's colours") {
  // Below 8/8 libjpeg enlarges the half-resolution chroma through its larger inverse DCTs (10x10
  // at 5/8, 12x12 at 6/8, 14x14 at 7/8): a build without them fails on most phone photos.
  const auto jpeg = jpegOf(quadrants(1600, 1200));
  for (int eighths = 1; eighths <= 8; ++eighths) {
    CAPTURE(eighths);
    const auto result = decodeImageAtLeast(jpeg.data(), jpeg.size(), 200 * eighths, 150 * eighths);
    REQUIRE(result.ok());
    CHECK(hasQuadrants(result.value(), kRed, kGreen, kBlue, kYellow));
    if (haveLibjpegTurbo()) CHECK(result.value().width == 200 * eighths);
  }
}

TEST_CASE("a fine pattern in a large JPEG upload averages to grey instead of aliasing") {
  // One-pixel vertical stripes: any decoder or resampler that skips samples turns them into bands.
  Image stripes(1200, 900);
  for (int y = 0; y < stripes.height; ++y) {
    for (int x = 0; x < stripes.width; ++x) {
      std::uint8_t* p = stripes.pixel(x, y);
      p[0] = p[1] = p[2] = x % 2 ? 255 : 0;
      p[3] = 255;
    }
  }
  const auto file = jpegOf(stripes, 95);
  const auto prepared = prepareUpload(file.data(), file.size(), parsePrepareOptions(R"({"maxSide":160})").value());
  REQUIRE(prepared.ok());
  CHECK(prepared.value().width == 160);
  CHECK(prepared.value().height == 120);
  const auto decoded = decodeImage(prepared.value().bytes.data(), prepared.value().bytes.size());
  REQUIRE(decoded.ok());
  int lowest = 255, highest = 0;
  for (int y = 4; y < 116; y += 7) {
    for (int x = 4; x < 156; x += 5) {
      lowest = std::min<int>(lowest, decoded.value().pixel(x, y)[0]);
      highest = std::max<int>(highest, decoded.value().pixel(x, y)[0]);
    }
  }
  CHECK(lowest >= 128 - 12);
  CHECK(highest <= 128 + 12);
}

TEST_CASE("a progressive JPEG with endless scans is refused instead of decoded for minutes") {
  // The fixture's last scan repeated 600 times: each repeat is another full pass for the decoder.
  const Bytes fixture = bytesOf(kProgressiveJpeg);
  std::size_t lastScan = 0;
  for (std::size_t i = 0; i + 1 < fixture.size(); ++i) {
    if (fixture[i] == 0xFF && fixture[i + 1] == 0xDA) lastScan = i;
  }
  REQUIRE(lastScan > 0);
  const std::vector<std::uint8_t> scan(fixture.begin() + lastScan, fixture.end() - 2);  // up to EOI
  std::vector<std::uint8_t> hostile(fixture.begin(), fixture.end() - 2);
  for (int i = 0; i < 600; ++i) hostile.insert(hostile.end(), scan.begin(), scan.end());
  hostile.insert(hostile.end(), {0xFF, 0xD9});
  const auto result = decodeImage(hostile.data(), hostile.size());
  if (haveLibjpegTurbo()) {
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::DecodeFailed);
    CHECK_THAT(result.error().message, Catch::Contains("progressive scans"));
  } else {
    SUCCEED("stb_image has its own handling of repeated scans");
  }
}

TEST_CASE("libjpeg's fatal errors come back as a damaged-file reason") {
  // A frame header claiming 12-bit samples, which neither decoder supports.
  auto jpeg = jpegOf(quadrants(64, 48));
  std::size_t frame = 0;
  for (std::size_t i = 2; i + 4 < jpeg.size() && !frame; ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) frame = i;
  }
  REQUIRE(frame > 0);
  jpeg[frame + 4] = 12;
  const auto result = decodeImage(jpeg.data(), jpeg.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::DecodeFailed);
  CHECK_THAT(result.error().message, Catch::StartsWith("The JPEG file is damaged ("));
  if (haveLibjpegTurbo()) CHECK(result.error().message == "The JPEG file is damaged (an unsupported sample precision).");
}

TEST_CASE("regression: a stray byte before a progressive JPEG's frame header hid its size from the limit") {
  // fuzz_image: a progressive JPEG with one stray byte before its SOF2, which declared 65088×65280.
  // The size check stopped at the stray byte and let the file through; libjpeg skips such bytes,
  // read the frame and reserved coefficient buffers for 4 gigapixels.
  Bytes file = bytesOf(kProgressiveJpeg);
  std::size_t frame = 0;
  for (std::size_t i = 2; i + 8 < file.size() && !frame; ++i) {
    if (file[i] == 0xFF && file[i + 1] == 0xC2) frame = i;
  }
  REQUIRE(frame > 0);
  file[frame + 5] = 0xFF, file[frame + 6] = 0x00;  // height 65280
  file[frame + 7] = 0xFE, file[frame + 8] = 0x40;  // width 65088
  file.insert(file.begin() + static_cast<std::ptrdiff_t>(frame), 0x14);
  CHECK(peekDimensions(file.data(), file.size()) == std::make_pair(65088, 65280));
  const auto result = decodeImage(file.data(), file.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::ImageTooLarge);
  CHECK_THAT(result.error().message, Catch::Contains("65088\xC3\x97" "65280"));
}

TEST_CASE("libjpeg checks the limits on the frame header it reads itself") {
#if DG_HAVE_LIBJPEG_TURBO
  const auto jpeg = jpegOf(quadrants(64, 48));
  DecodeLimits limits;
  limits.maxPixels = 64 * 48 - 1;
  const auto refused = decodeJpegScaled(jpeg.data(), jpeg.size(), 64, 48, limits);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::ImageTooLarge);
  limits.maxPixels = 64 * 48;
  CHECK(decodeJpegScaled(jpeg.data(), jpeg.size(), 64, 48, limits).ok());
#endif
}
