// Embedded colour profiles: a Display P3 photo reaches the model in the sRGB colours a browser
// shows, whatever its container; sRGB files and profiles the core cannot use pass unchanged.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/codec.hpp"
#include "core/colour.hpp"
#include "core/prepare.hpp"
#include "fixtures/display_p3.hpp"
#include "fixtures/webp_images.hpp"
#include "image_writers.hpp"
#include "test_images.hpp"

using namespace dg;
using namespace dg::test;

namespace {

// What the fixtures store, and that colour in sRGB by the published Display P3 (D65) -> sRGB
// matrix: a different route from the core's, which goes through the profile's D50 primaries.
constexpr Rgb kStoredP3{204, 102, 64};

Rgb p3InSrgb(Rgb p3) {
  auto toLinear = [](int v) { double x = v / 255.0; return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4); };
  auto toSrgb = [](double x) { return static_cast<int>(std::lround(255 * (x <= 0.0031308 ? x * 12.92 : 1.055 * std::pow(x, 1 / 2.4) - 0.055))); };
  const double r = toLinear(p3.r), g = toLinear(p3.g), b = toLinear(p3.b);
  return {toSrgb(1.2249401 * r - 0.2249404 * g), toSrgb(-0.0420569 * r + 1.0420571 * g),
          toSrgb(-0.0196376 * r - 0.0786361 * g + 1.0982735 * b)};
}

const std::uint8_t* centre(const Image& image) { return image.pixel(image.width / 2, image.height / 2); }

// The upload's pixels, sent as PNG so that no JPEG rounding stands between them and the test.
Image uploaded(const Bytes& file) {
  PrepareOptions lossless;
  lossless.format = UploadFormat::Png;
  const auto upload = prepareUpload(file.data(), file.size(), lossless);
  REQUIRE(upload.ok());
  auto pixels = decodeImage(upload.value().bytes.data(), upload.value().bytes.size());
  REQUIRE(pixels.ok());
  return std::move(pixels).value();
}

}  // namespace

TEST_CASE("a Display P3 picture is uploaded in the sRGB colours a browser shows") {
  const Rgb expected = p3InSrgb(kStoredP3);  // (219, 94, 51): redder and deeper than the stored numbers
  const std::pair<const char*, Bytes> files[] = {{"JPEG", bytesOf(kDisplayP3Jpeg)}, {"PNG", bytesOf(kDisplayP3Png)}};
  for (const auto& [format, file] : files) {
    INFO(format);
    const auto stored = decodeImage(file.data(), file.size());  // the decoder alone does not convert
    REQUIRE(stored.ok());
    CHECK(near(centre(stored.value()), kStoredP3, 1));
    const Image upload = uploaded(file);
    const std::uint8_t* p = centre(upload);
    INFO("uploaded " << int(p[0]) << "," << int(p[1]) << "," << int(p[2]));
    CHECK(near(p, expected, 2));
    // Generated pictures come back as they would be shown, too.
    const auto shown = decodeUpright(file.data(), file.size());
    REQUIRE(shown.ok());
    CHECK(near(centre(shown.value()), expected, 2));
  }
}

TEST_CASE("an sRGB profile and an unusable one leave the colours as they are") {
  // Chromium's WebP fixtures carry its sRGB profile (an ICCP chunk after VP8X): in a JPEG's APP2,
  // recognised, nothing to convert.
  const Bytes webp = bytesOf(kLossyWebp);
  REQUIRE(std::memcmp(&webp[30], "ICCP", 4) == 0);
  const std::size_t length = webp[34] | webp[35] << 8 | webp[36] << 16;
  Bytes srgbJpeg = jpegOf(quadrants(16, 16));
  Bytes app2{0xFF, 0xE2, std::uint8_t((length + 16) >> 8), std::uint8_t(length + 16)};
  for (const char c : std::string("ICC_PROFILE")) app2.push_back(static_cast<std::uint8_t>(c));
  app2.insert(app2.end(), {0, 1, 1});  // the name's NUL, then chunk 1 of 1
  app2.insert(app2.end(), webp.begin() + 38, webp.begin() + 38 + static_cast<std::ptrdiff_t>(length));
  srgbJpeg.insert(srgbJpeg.begin() + 2, app2.begin(), app2.end());
  REQUIRE(embeddedIccProfile(srgbJpeg.data(), srgbJpeg.size()).size() == length);
  CHECK_FALSE(srgbConversionFor(embeddedIccProfile(srgbJpeg.data(), srgbJpeg.size())).has_value());

  const Bytes p3 = bytesOf(kDisplayP3Jpeg);
  const auto at = std::search(p3.begin(), p3.end(), std::begin("ICC_PROFILE"), std::end("ICC_PROFILE"));
  REQUIRE(at != p3.end());
  const std::size_t profile = static_cast<std::size_t>(at - p3.begin()) + 14;  // after the name, number and count
  SECTION("a CMYK profile (the browser decodes CMYK JPEGs anyway)") {
    Bytes cmyk = p3;
    std::memcpy(&cmyk[profile + 16], "CMYK", 4);
    CHECK(near(centre(uploaded(cmyk)), kStoredP3, 1));
  }
  SECTION("a primary whose data lies past the end of the profile") {
    Bytes broken = p3;
    REQUIRE(std::memcmp(&broken[profile + 144], "rXYZ", 4) == 0);  // the second tag
    broken[profile + 148] = 0x7F;  // its offset
    CHECK(near(centre(uploaded(broken)), kStoredP3, 1));
  }
  SECTION("a chunk numbered past the count") {
    Bytes misnumbered = p3;
    misnumbered[profile - 2] = 2;  // chunk 2 of 1
    CHECK(embeddedIccProfile(misnumbered.data(), misnumbered.size()).empty());
    CHECK(near(centre(uploaded(misnumbered)), kStoredP3, 1));
  }
}
