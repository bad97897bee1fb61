// The core's JPEG decoder: reduced-scale decoding in the DCT domain, the limits, damaged files, and
// the upload path built on it.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/codec.hpp"
#include "core/jpeg_decoder.hpp"
#include "core/prepare.hpp"
#include "fixtures/progressive_jpeg.hpp"
#include "image_writers.hpp"
#include "libjpeg_reference.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

namespace {

// Where the first 0xFF `marker` pair after the start-of-image lies; 0 for none.
std::size_t firstMarker(const Bytes& file, std::uint8_t marker) {
  for (std::size_t i = 2; i + 1 < file.size(); ++i) {
    if (file[i] == 0xFF && file[i + 1] == marker) return i;
  }
  return 0;
}

#if DG_HAVE_LIBJPEG_TURBO
struct Kind {
  const char* name;
  LibjpegOptions options;
};

// Every layout a camera, an editor or a web encoder writes, at sizes off the block and MCU edges.
const Kind kKinds[] = {
    {"4:2:0", {}},
    {"4:2:2", {92, 2, 1}},
    {"4:4:4", {92, 1, 1}},
    {"4:4:0", {92, 1, 2}},
    {"4:1:1", {92, 4, 1}},
    {"greyscale", {92, 1, 1, true}},
    {"4:2:0 with restart markers", {75, 2, 2, false, false, 3}},
    {"progressive 4:2:0", {92, 2, 2, false, true}},
    {"progressive 4:4:4", {50, 1, 1, false, true}},
    {"progressive greyscale", {92, 1, 1, true, true}},
    {"progressive 4:2:0 with restart markers", {92, 2, 2, false, true, 5}},
};
const int kSizes[][2] = {{1, 1}, {9, 17}, {64, 48}, {250, 130}, {123, 77}};
#endif

}  // namespace

TEST_CASE("full-size decodes agree with libjpeg-turbo's for every kind of JPEG") {
#if DG_HAVE_LIBJPEG_TURBO
  // The same coefficients, upsampling and colour conversion; only the inverse DCT differs (floating
  // point here, libjpeg's fixed point), by a level at most before colour conversion.
  unsigned seed = 7;
  for (const Kind& kind : kKinds) {
    for (const auto& size : kSizes) {
      const auto file = libjpegEncoded(photoLike(size[0], size[1], seed++), kind.options);
      const auto ours = decodeImage(file.data(), file.size());
      REQUIRE(ours.ok());
      const Image reference = libjpegDecoded(file);
      INFO(kind.name << ", " << size[0] << "x" << size[1]);
      REQUIRE(ours.value().width == reference.width);
      REQUIRE(ours.value().height == reference.height);
      CHECK(largestDifference(ours.value(), reference) <= 3);
      CHECK(meanAbsoluteError(ours.value(), reference) < 0.1);
    }
  }
#else
  SUCCEED("libjpeg-turbo is not in this build");
#endif
}

TEST_CASE("reduced-scale decodes agree with libjpeg-turbo's") {
#if DG_HAVE_LIBJPEG_TURBO
  // From 5/8 up libjpeg takes the same route (the lowest m×m coefficients through an m-point
  // transform, chroma through the fancy upsamplers), and the pixels agree as at full size. At 1/8,
  // 2/8 and 4/8 it averages the full transform's outputs instead, and at 3/8 it enlarges chroma in
  // a 6×6 transform: different low-pass filters, which agree on a smooth picture and differ on
  // one-pixel detail (which libjpeg's averages let through a little more).
  Image smooth(250, 130);
  for (int y = 0; y < smooth.height; ++y) {
    for (int x = 0; x < smooth.width; ++x) {
      std::uint8_t* p = smooth.pixel(x, y);
      p[0] = static_cast<std::uint8_t>(x), p[1] = static_cast<std::uint8_t>(128 + (y - 65) * (x - 125) / 128);
      p[2] = static_cast<std::uint8_t>(y * 255 / 129), p[3] = 255;
    }
  }
  unsigned seed = 70;
  for (const Kind& kind : kKinds) {
    const auto detailed = libjpegEncoded(photoLike(250, 130, seed++), kind.options);
    const auto plain = libjpegEncoded(smooth, kind.options);
    for (int scale = 1; scale < 8; ++scale) {
      const int width = (250 * scale + 7) / 8, height = (130 * scale + 7) / 8;
      INFO(kind.name << " at " << scale << "/8");
      for (const auto* file : {&detailed, &plain}) {
        const auto ours = decodeImageAtLeast(file->data(), file->size(), width, height);
        REQUIRE(ours.ok());
        const Image reference = libjpegDecoded(*file, scale);
        REQUIRE(ours.value().width == width);
        REQUIRE(reference.width == width);
        REQUIRE(ours.value().height == height);
        REQUIRE(reference.height == height);
        if (file == &plain) {
          CHECK(largestDifference(ours.value(), reference) <= 10);
          CHECK(meanAbsoluteError(ours.value(), reference) < 3);
        } else if (scale >= 5) {
          CHECK(largestDifference(ours.value(), reference) <= 3);
          CHECK(meanAbsoluteError(ours.value(), reference) < 0.1);
        }
      }
    }
  }
#else
  SUCCEED("libjpeg-turbo is not in this build");
#endif
}

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
  CHECK(image.width == 400);  // 2/8 of 1600, never decoded at full size
  CHECK(image.height == 300);
  const auto full = decodeImage(jpeg.data(), jpeg.size());
  REQUIRE(full.ok());
  CHECK(full.value().width == 1600);
  CHECK(full.value().height == 1200);
}

TEST_CASE("every reduced scale decodes a 4:2:0 JPEG's colours") {
  const auto jpeg = jpegOf(quadrants(1600, 1200));
  for (int eighths = 1; eighths <= 8; ++eighths) {
    CAPTURE(eighths);
    const auto result = decodeImageAtLeast(jpeg.data(), jpeg.size(), 200 * eighths, 150 * eighths);
    REQUIRE(result.ok());
    CHECK(hasQuadrants(result.value(), kRed, kGreen, kBlue, kYellow));
    CHECK(result.value().width == 200 * eighths);
  }
}

TEST_CASE("a 200-megapixel phone photo is uploaded from a reduced-scale decode") {
  // 16320x12240, as phones' 200 MP modes shoot: four times the pixels any decoder may hold, fine
  // for a sequential file, which streams through the decoder, here at 1/8 scale.
  const auto photo = flatJpegOf(16320, 12240, kBlue);
  const auto upload = prepareUpload(photo.data(), photo.size(), PrepareOptions{});
  REQUIRE(upload.ok());
  CHECK(upload.value().sourceWidth == 16320);
  CHECK(upload.value().sourceHeight == 12240);
  CHECK(upload.value().width == 1024);
  CHECK(upload.value().height == 768);
  const auto sent = decodeImage(upload.value().bytes.data(), upload.value().bytes.size());
  REQUIRE(sent.ok());
  CHECK(near(sent.value().pixel(512, 384), kBlue, 6));
  CHECK(near(sent.value().pixel(3, 765), kBlue, 6));

  const auto eighth = decodeImageAtLeast(photo.data(), photo.size(), 1024, 768);
  REQUIRE(eighth.ok());
  CHECK(eighth.value().width == 2040);
  CHECK(eighth.value().height == 1530);
}

TEST_CASE("past 50 megapixels a JPEG must be sequential, within 250 megapixels, and fit when scaled") {
  const auto refusal = [](const Bytes& file, const PrepareOptions& options = {}) {
    const auto result = prepareUpload(file.data(), file.size(), options);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::ImageTooLarge);
    return result.error().message;
  };
  // Progressive: the decoder would hold every coefficient of the full size.
  CHECK_THAT(refusal(flatJpegOf(8400, 6300, kRed, true)),
             Catch::Contains("8400\xC3\x97" "6300 (52 megapixels); the largest accepted is 50 megapixels."));
  // Past the bound for any JPEG: 268 megapixels of blocks to walk.
  CHECK_THAT(refusal(flatJpegOf(16384, 16384, kRed)), Catch::Contains("the largest accepted is 250 megapixels."));
  // Within the bound, but a Longest side of 8192 needs it at 5/8 scale: 78 megapixels decoded.
  PrepareOptions large;
  large.maxSide = 8192;
  const auto photo = flatJpegOf(16320, 12240, kRed);
  CHECK(refusal(photo, large) ==
        "The image is 16320\xC3\x97" "12240 (199 megapixels); the largest accepted is 50 megapixels. A smaller "
        "Longest side lets it through: it is then decoded at reduced scale.");
  // A full decode (the pixels of a generated image) holds it all, and has no Longest side to lower.
  const auto full = decodeImage(photo.data(), photo.size());
  REQUIRE_FALSE(full.ok());
  CHECK(full.error().code == ErrorCode::ImageTooLarge);
  CHECK_THAT(full.error().message, !Catch::Contains("Longest side"));
  // Either kind is decoded within 50 megapixels.
  for (const bool progressive : {false, true}) {
    const auto file = flatJpegOf(8000, 6000, kGreen, progressive);
    const auto decoded = decodeImageAtLeast(file.data(), file.size(), 1000, 750);
    REQUIRE(decoded.ok());
    CHECK(decoded.value().width == 1000);
    CHECK(near(decoded.value().pixel(500, 375), kGreen, 6));
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
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::DecodeFailed);
  CHECK(result.error().message == "The JPEG file is damaged (more than 500 progressive scans).");
}

TEST_CASE("a frame the decoder cannot read comes back as a damaged-file reason") {
  // A frame header claiming 12-bit samples, which browsers do not decode either.
  auto jpeg = jpegOf(quadrants(64, 48));
  const std::size_t frame = firstMarker(jpeg, 0xC0);
  REQUIRE(frame > 0);
  jpeg[frame + 4] = 12;
  const auto result = decodeImage(jpeg.data(), jpeg.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::DecodeFailed);
  CHECK(result.error().message == "The JPEG file is damaged (an unsupported sample precision).");
}

TEST_CASE("regression: a Huffman table with more codes than its lengths hold is refused, not overrun") {
  // fuzz_image: a DHT segment whose counts declared more codes of a length than fit in its bits;
  // the decoder's lookup table was filled past its end before the overflow was noticed.
  auto jpeg = jpegOf(quadrants(64, 48));
  const std::size_t table = firstMarker(jpeg, 0xC4);
  REQUIRE(table > 0);
  // Three codes of length 1 (two fit), the total kept by taking them from the longest length used.
  std::uint8_t* counts = &jpeg[table + 5];
  int longest = 15;
  while (counts[longest] < 3) --longest;
  REQUIRE(longest > 1);
  counts[longest] = static_cast<std::uint8_t>(counts[longest] - (3 - counts[0]));
  counts[0] = 3;
  const auto result = decodeImage(jpeg.data(), jpeg.size());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message == "The JPEG file is damaged (a bad Huffman table).");
}

TEST_CASE("regression: a stray byte before a progressive JPEG's frame header hid its size from the limit") {
  // fuzz_image: a progressive JPEG with one stray byte before its SOF2, which declared 65088×65280.
  // The size check stopped at the stray byte and let the file through; the decoder skips such bytes
  // (as libjpeg does), read the frame and reserved coefficient buffers for 4 gigapixels.
  Bytes file = bytesOf(kProgressiveJpeg);
  const std::size_t frame = firstMarker(file, 0xC2);
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

TEST_CASE("the decoder checks the limits on the frame header it reads itself") {
  const auto jpeg = jpegOf(quadrants(64, 48));
  DecodeLimits limits;
  limits.maxPixels = 64 * 48 - 1;
  const auto refused = decodeJpegScaled(jpeg.data(), jpeg.size(), 64, 48, limits);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::ImageTooLarge);
  limits.maxPixels = 64 * 48;
  CHECK(decodeJpegScaled(jpeg.data(), jpeg.size(), 64, 48, limits).ok());
}
