// WebP decoding in the core (libwebp): generated pictures and uploads. Builds without libwebp hand
// every WebP to the browser, which the first test pins; the rest run when the build has libwebp,
// which ./scripts/test always fetches.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/image.hpp"
#include "core/prepare.hpp"
#include "core/webp.hpp"
#include "fixtures/webp_images.hpp"
#include "image_writers.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

namespace {

void appendLe(Bytes& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void appendChunk(Bytes& out, const char* fourcc, const Bytes& payload) {
  out.insert(out.end(), fourcc, fourcc + 4);
  appendLe(out, static_cast<std::uint32_t>(payload.size()), 4);
  out.insert(out.end(), payload.begin(), payload.end());
  if (payload.size() % 2) out.push_back(0);
}

Bytes riff(const Bytes& chunks) {
  Bytes file{'R', 'I', 'F', 'F'};
  appendLe(file, static_cast<std::uint32_t>(chunks.size() + 4), 4);
  file.insert(file.end(), {'W', 'E', 'B', 'P'});
  file.insert(file.end(), chunks.begin(), chunks.end());
  return file;
}

// The payload of the first chunk named fourcc in a WebP file.
Bytes chunkOf(const Bytes& file, const char* fourcc) {
  for (std::size_t at = 12; at + 8 <= file.size();) {
    const std::size_t length = file[at + 4] | file[at + 5] << 8 | file[at + 6] << 16 | file[at + 7] << 24;
    if (std::string(file.begin() + at, file.begin() + at + 4) == fourcc) {
      return Bytes(file.begin() + at + 8, file.begin() + at + 8 + length);
    }
    at += 8 + length + length % 2;
  }
  FAIL("no " << fourcc << " chunk");
  return {};
}

// The simple file form: the RIFF header and one chunk.
Bytes simpleFile(const char* fourcc, const Bytes& payload) {
  Bytes chunk;
  appendChunk(chunk, fourcc, payload);
  return riff(chunk);
}

// The fixtures' bitstreams, without their VP8X and ICCP chunks.
Bytes losslessBitstream() { return chunkOf(bytesOf(kLosslessWebp), "VP8L"); }
Bytes lossyBitstream() { return chunkOf(bytesOf(kLossyWebp), "VP8 "); }

// A VP8X header: flags (0x10 alpha, 0x02 animation) and the canvas size.
Bytes vp8x(std::uint8_t flags, int width, int height) {
  Bytes payload{flags, 0, 0, 0};
  appendLe(payload, width - 1, 3);
  appendLe(payload, height - 1, 3);
  Bytes chunk;
  appendChunk(chunk, "VP8X", payload);
  return chunk;
}

Result<Image> decode(const Bytes& file, const DecodeLimits& limits = {}) {
  return decodeImage(file.data(), file.size(), limits);
}

bool alphaIs(const Image& image, int x, int y, int alpha, int tolerance = 0) {
  return std::abs(image.pixel(x, y)[3] - alpha) <= tolerance;
}

}  // namespace

TEST_CASE("without libwebp a WebP is left to the browser, named in the error") {
  if (haveLibwebp()) return;
  const auto result = decode(bytesOf(kLossyWebp));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::UnsupportedFormat);
  CHECK_THAT(result.error().message, Catch::Contains("WebP"));
}

TEST_CASE("the declared size of each kind of WebP file is read without decoding") {
  const Bytes extended = bytesOf(kLosslessWebp);  // VP8X, then ICCP and VP8L
  CHECK(peekDimensions(extended.data(), extended.size()) == std::make_pair(64, 48));
  const Bytes simpleLossless = simpleFile("VP8L", losslessBitstream());
  CHECK(peekDimensions(simpleLossless.data(), simpleLossless.size()) == std::make_pair(64, 48));
  const Bytes simpleLossy = simpleFile("VP8 ", lossyBitstream());
  CHECK(peekDimensions(simpleLossy.data(), simpleLossy.size()) == std::make_pair(66, 50));
}

TEST_CASE("WebP decodes to straight-alpha pixels in the core") {
  if (!haveLibwebp()) return;
  SECTION("lossless, with a half-transparent quadrant: exact colours") {
    const auto result = decode(bytesOf(kLosslessWebp));
    REQUIRE(result.ok());
    const Image& image = result.value();
    CHECK(image.width == 64);
    CHECK(image.height == 48);
    CHECK(hasQuadrants(image, kRed, kGreen, kBlue, kYellow, 2));
    CHECK(alphaIs(image, 16, 12, 255));
    CHECK(alphaIs(image, 48, 36, 128, 1));
  }
  SECTION("lossy, opaque, in a size that is not a multiple of the macroblocks") {
    const auto result = decode(bytesOf(kLossyWebp));
    REQUIRE(result.ok());
    const Image& image = result.value();
    CHECK(image.width == 66);
    CHECK(image.height == 50);
    CHECK(hasQuadrants(image, kRed, kGreen, kBlue, kYellow));
    CHECK(alphaIs(image, 65, 49, 255));  // the last, partial macroblock
  }
  SECTION("lossy colour with lossless alpha") {
    const auto result = decode(bytesOf(kLossyAlphaWebp));
    REQUIRE(result.ok());
    const Image& image = result.value();
    CHECK(near(image.pixel(16, 12), kRed));
    CHECK(near(image.pixel(48, 12), kGreen));
    CHECK(near(image.pixel(16, 36), kBlue));
    CHECK(alphaIs(image, 16, 12, 255));
    CHECK(alphaIs(image, 48, 12, 255));
    CHECK(alphaIs(image, 16, 36, 255));
    CHECK(alphaIs(image, 48, 36, 0));
  }
  SECTION("the simple file forms, without a VP8X header") {
    const auto fromLossless = decode(simpleFile("VP8L", losslessBitstream()));
    REQUIRE(fromLossless.ok());
    CHECK(hasQuadrants(fromLossless.value(), kRed, kGreen, kBlue, kYellow, 2));
    const auto fromLossy = decode(simpleFile("VP8 ", lossyBitstream()));
    REQUIRE(fromLossy.ok());
    CHECK(hasQuadrants(fromLossy.value(), kRed, kGreen, kBlue, kYellow));
  }
}

TEST_CASE("a damaged WebP is refused with libwebp's reason") {
  if (!haveLibwebp()) return;
  const Bytes file = bytesOf(kLossyWebp);
  SECTION("cut short") {
    const auto result = decode(Bytes(file.begin(), file.end() - 100));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::DecodeFailed);
    CHECK(result.error().message == "The WebP file is damaged (the file is cut short).");
  }
  SECTION("noise in the bitstream") {
    Bytes bitstream = losslessBitstream();
    for (std::size_t i = 5; i < bitstream.size(); ++i) bitstream[i] = static_cast<std::uint8_t>(i * 151 + 17);
    const auto result = decode(simpleFile("VP8L", bitstream));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::DecodeFailed);
    CHECK_THAT(result.error().message, Catch::StartsWith("The WebP file is damaged ("));
  }
}

TEST_CASE("an animated WebP is left to the browser, which shows its first frame") {
  if (!haveLibwebp()) return;
  Bytes animation{0, 0, 0, 0, 0, 0};  // background colour, loop count
  Bytes frame;                        // x/2, y/2, width - 1, height - 1, duration, flags; the image
  for (std::uint32_t field : {0u, 0u, 63u, 47u, 100u}) appendLe(frame, field, 3);
  frame.push_back(0);
  appendChunk(frame, "VP8L", losslessBitstream());
  Bytes chunks = vp8x(0x02 | 0x10, 64, 48);
  appendChunk(chunks, "ANIM", animation);
  appendChunk(chunks, "ANMF", frame);
  const auto result = decode(riff(chunks));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::UnsupportedFormat);
  CHECK_THAT(result.error().message, Catch::Contains("animated WebP"));
}

TEST_CASE("a WebP declaring too many pixels is refused before decoding") {
  Bytes chunks = vp8x(0, 30000, 30000);
  appendChunk(chunks, "VP8L", losslessBitstream());
  const auto result = decode(riff(chunks));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::ImageTooLarge);
  CHECK_THAT(result.error().message, Catch::Contains("30000\xC3\x97" "30000"));

  DecodeLimits small;
  small.maxPixels = 1000;  // the lossless fixture is 64x48 = 3072 pixels
  const auto refused = decode(bytesOf(kLosslessWebp), small);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::ImageTooLarge);
}

TEST_CASE("a bare lossless bitstream after the RIFF header is held to the limits too") {
  // libwebp accepts a VP8L bitstream without its chunk header; the size the caller peeks at is
  // then not where libwebp reads it. This one declares 16384×16384 (268 megapixels).
  if (!haveLibwebp()) return;
  Bytes bitstream{0x2F};
  appendLe(bitstream, 16383u | 16383u << 14, 4);
  bitstream.resize(64, 0);
  const auto result = decode(riff(bitstream));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::ImageTooLarge);
  CHECK_THAT(result.error().message, Catch::Contains("16384\xC3\x97" "16384"));
}

TEST_CASE("a WebP upload is prepared by the core, transparency flattened onto white") {
  if (!haveLibwebp()) return;
  const Bytes file = bytesOf(kLossyAlphaWebp);
  const auto prepared = prepareUpload(file.data(), file.size(), PrepareOptions{});
  REQUIRE(prepared.ok());
  CHECK(prepared.value().contentType == "image/jpeg");
  CHECK(prepared.value().sourceWidth == 64);
  const auto sent = decodeImage(prepared.value().bytes.data(), prepared.value().bytes.size());
  REQUIRE(sent.ok());
  CHECK(hasQuadrants(sent.value(), kRed, kGreen, kBlue, Rgb{255, 255, 255}));
}

TEST_CASE("a generated WebP decodes to upright pixels for scoring") {
  if (!haveLibwebp()) return;
  const Bytes file = bytesOf(kLossyWebp);
  const auto image = decodeUpright(file.data(), file.size());
  REQUIRE(image.ok());
  CHECK(image.value().width == 66);
  CHECK(hasQuadrants(image.value(), kRed, kGreen, kBlue, kYellow));
}
