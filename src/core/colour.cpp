#include "core/colour.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/inflate.hpp"

namespace dg {
namespace {

// Matrix/TRC profiles are small (Display P3's is about 0.5 KB); a PNG's compressed one is
// inflated into at most this much.
constexpr std::size_t kMaxProfileBytes = 256 * 1024;

class IccReader {
 public:
  explicit IccReader(const std::vector<std::uint8_t>& bytes) : d_(bytes) {}
  bool has(std::size_t at, std::size_t length) const { return at <= d_.size() && length <= d_.size() - at; }
  std::uint32_t u32(std::size_t at) const { return readBe32(&d_[at]); }
  std::uint16_t u16(std::size_t at) const { return static_cast<std::uint16_t>(d_[at] << 8 | d_[at + 1]); }
  double s15Fixed16(std::size_t at) const { return static_cast<std::int32_t>(u32(at)) / 65536.0; }
  bool is(std::size_t at, const char* signature) const { return has(at, 4) && std::memcmp(&d_[at], signature, 4) == 0; }

  // Where the tag's data starts and how long it is; nullopt when the profile has no such tag.
  std::optional<std::pair<std::size_t, std::size_t>> tag(const char* signature) const {
    if (!has(128, 4)) return std::nullopt;
    const std::uint32_t count = u32(128);
    for (std::size_t i = 0; i < count && has(132 + i * 12, 12); ++i) {
      const std::size_t entry = 132 + i * 12;
      if (!is(entry, signature)) continue;
      const std::size_t at = u32(entry + 4), length = u32(entry + 8);
      if (!has(at, length)) return std::nullopt;
      return std::make_pair(at, length);
    }
    return std::nullopt;
  }

 private:
  const std::vector<std::uint8_t>& d_;
};

// In single precision, whose power function (unlike double's) adds no large tables to the wasm;
// ample for 8-bit values.
double power(double base, double exponent) {
  return base > 0 ? std::pow(static_cast<float>(base), static_cast<float>(exponent)) : 0.0;
}

double linearToSrgb(double v) { return v <= 0.0031308 ? v * 12.92 : 1.055 * power(v, 1 / 2.4) - 0.055; }

// A tone curve ('curv' or 'para') evaluated at the 256 8-bit values, in linear light.
std::optional<std::array<float, 256>> toneCurve(const IccReader& icc, const char* signature) {
  const auto tag = icc.tag(signature);
  if (!tag) return std::nullopt;
  const auto [at, length] = *tag;
  std::array<float, 256> curve{};
  if (icc.is(at, "curv") && length >= 12) {
    const std::uint32_t points = icc.u32(at + 8);
    if (points > (length - 12) / 2) return std::nullopt;
    for (int v = 0; v < 256; ++v) {
      const double x = v / 255.0;
      double y = x;  // no points: identity
      if (points == 1) {
        y = power(x, icc.u16(at + 12) / 256.0);  // a gamma, u8Fixed8
      } else if (points > 1) {
        const double position = x * (points - 1);
        const std::uint32_t below = std::min(static_cast<std::uint32_t>(position), points - 2);
        const double fraction = position - below;
        y = (icc.u16(at + 12 + below * 2) * (1 - fraction) + icc.u16(at + 14 + below * 2) * fraction) / 65535.0;
      }
      curve[v] = static_cast<float>(std::clamp(y, 0.0, 1.0));
    }
    return curve;
  }
  if (icc.is(at, "para") && length >= 12) {
    const int function = icc.u16(at + 8);
    static constexpr int kParameters[] = {1, 3, 4, 5, 7};
    if (function > 4 || length < 12 + 4u * kParameters[function]) return std::nullopt;
    double p[7] = {1, 1, 0, 0, 0, 0, 0};  // g, a, b, c, d, e, f as ICC.1 names them
    for (int i = 0; i < kParameters[function]; ++i) p[i] = icc.s15Fixed16(at + 12 + i * 4);
    const double g = p[0], a = p[1], b = p[2], c = p[3], d = p[4], e = p[5], f = p[6];
    for (int v = 0; v < 256; ++v) {
      const double x = v / 255.0;
      double y = 0;
      switch (function) {
        case 0: y = power(x, g); break;
        case 1: y = a * x + b >= 0 ? power(a * x + b, g) : 0; break;
        case 2: y = a * x + b >= 0 ? power(a * x + b, g) + c : c; break;
        case 3: y = x >= d ? power(a * x + b, g) : c * x; break;
        case 4: y = x >= d ? power(a * x + b, g) + e : c * x + f; break;
      }
      curve[v] = static_cast<float>(std::clamp(y, 0.0, 1.0));
    }
    return curve;
  }
  return std::nullopt;
}

// A primary's colour, in the profile connection space (XYZ, adapted to D50).
std::optional<std::array<double, 3>> primary(const IccReader& icc, const char* signature) {
  const auto tag = icc.tag(signature);
  if (!tag || !icc.is(tag->first, "XYZ ") || tag->second < 20) return std::nullopt;
  return std::array<double, 3>{icc.s15Fixed16(tag->first + 8), icc.s15Fixed16(tag->first + 12),
                               icc.s15Fixed16(tag->first + 16)};
}

// XYZ (D50) to linear sRGB: the inverse of the sRGB profile's Bradford-adapted primaries.
constexpr double kXyzD50ToSrgb[9] = {3.1338561, -1.6168667, -0.4906146, -0.9787684, 1.9161415,
                                     0.0334540, 0.0719453,  -0.2289914, 1.4052427};

// Linear light to 8-bit sRGB, finely enough that the darkest levels (where sRGB's curve is
// steepest) land within a fifth of a level.
constexpr int kEncodeSteps = 16384;

const std::array<std::uint8_t, kEncodeSteps>& srgbEncoding() {
  static const auto table = [] {
    std::array<std::uint8_t, kEncodeSteps> encoded{};
    for (int i = 0; i < kEncodeSteps; ++i) {
      encoded[i] = static_cast<std::uint8_t>(std::lround(linearToSrgb(i / (kEncodeSteps - 1.0)) * 255));
    }
    return encoded;
  }();
  return table;
}

bool isSrgbAlready(const SrgbConversion& conversion) {
  for (int row = 0; row < 3; ++row) {
    for (int column = 0; column < 3; ++column) {
      if (std::abs(conversion.matrix[row * 3 + column] - (row == column ? 1 : 0)) > 0.002) return false;
    }
  }
  for (const auto& curve : conversion.toLinear) {
    for (int v = 0; v < 256; ++v) {
      if (std::abs(linearToSrgb(curve[v]) * 255 - v) >= 0.5) return false;
    }
  }
  return true;
}

std::vector<std::uint8_t> jpegProfile(const std::uint8_t* data, std::size_t size) {
  // Split over APP2 segments of at most 64 KB, each "ICC_PROFILE\0", its number, the count;
  // written in order, numbered from 1.
  std::vector<std::uint8_t> profile;
  int next = 1, count = 0;
  bool inOrder = true;
  forEachJpegSegment(data, size, [&](std::uint8_t marker, const std::uint8_t* payload, std::size_t length) {
    if (marker != 0xE2 || length < 14 || std::memcmp(payload, "ICC_PROFILE", 12) != 0) return true;
    inOrder = payload[12] == next++ && (count == 0 || payload[13] == count);
    count = payload[13];
    profile.insert(profile.end(), payload + 14, payload + length);
    return inOrder;
  });
  return inOrder && next == count + 1 ? profile : std::vector<std::uint8_t>{};
}

std::vector<std::uint8_t> pngProfile(const std::uint8_t* data, std::size_t size) {
  // iCCP: a name of 1 to 79 bytes, a NUL, compression method 0, then the zlib stream. It comes
  // before the first IDAT.
  for (std::size_t at = 8; at + 12 <= size;) {
    const std::size_t length = readBe32(data + at);
    if (length > size - at - 12) break;
    const std::uint8_t* type = data + at + 4;
    const std::uint8_t* payload = data + at + 8;
    if (std::memcmp(type, "IDAT", 4) == 0) break;
    if (std::memcmp(type, "iCCP", 4) == 0) {
      const auto* nul = static_cast<const std::uint8_t*>(std::memchr(payload, 0, std::min<std::size_t>(length, 80)));
      if (!nul || nul + 2 > payload + length || nul[1] != 0) break;
      return inflateZlib(nul + 2, payload + length - (nul + 2), kMaxProfileBytes);
    }
    at += 12 + length;
  }
  return {};
}

}  // namespace

std::vector<std::uint8_t> embeddedIccProfile(const std::uint8_t* data, std::size_t size) {
  switch (sniffImageFormat(data, size)) {
    case ImageFormat::Jpeg: return jpegProfile(data, size);
    case ImageFormat::Png: return pngProfile(data, size);
    default: return {};
  }
}

std::optional<SrgbConversion> srgbConversionFor(const std::vector<std::uint8_t>& profile) {
  const IccReader icc(profile);
  if (!icc.is(16, "RGB ") || !icc.is(20, "XYZ ")) return std::nullopt;  // colour space, connection space
  const auto red = primary(icc, "rXYZ"), green = primary(icc, "gXYZ"), blue = primary(icc, "bXYZ");
  const auto redCurve = toneCurve(icc, "rTRC"), greenCurve = toneCurve(icc, "gTRC"), blueCurve = toneCurve(icc, "bTRC");
  if (!red || !green || !blue || !redCurve || !greenCurve || !blueCurve) return std::nullopt;
  SrgbConversion conversion;
  conversion.toLinear = {*redCurve, *greenCurve, *blueCurve};
  const std::array<double, 3>* primaries[3] = {&*red, &*green, &*blue};  // the columns of RGB -> XYZ
  for (int row = 0; row < 3; ++row) {
    for (int column = 0; column < 3; ++column) {
      double sum = 0;
      for (int k = 0; k < 3; ++k) sum += kXyzD50ToSrgb[row * 3 + k] * (*primaries[column])[k];
      conversion.matrix[row * 3 + column] = static_cast<float>(sum);
    }
  }
  if (isSrgbAlready(conversion)) return std::nullopt;
  return conversion;
}

void convertToSrgb(Image& image, const SrgbConversion& conversion) {
  const auto& encode = srgbEncoding();
  const auto& m = conversion.matrix;
  auto toByte = [&](float linear) {
    return encode[static_cast<int>(std::clamp(linear, 0.0f, 1.0f) * (kEncodeSteps - 1) + 0.5f)];
  };
  std::uint8_t* p = image.rgba.data();
  for (std::size_t i = 0, count = image.rgba.size(); i < count; i += 4) {
    const float r = conversion.toLinear[0][p[i]], g = conversion.toLinear[1][p[i + 1]], b = conversion.toLinear[2][p[i + 2]];
    p[i] = toByte(m[0] * r + m[1] * g + m[2] * b);
    p[i + 1] = toByte(m[3] * r + m[4] * g + m[5] * b);
    p[i + 2] = toByte(m[6] * r + m[7] * g + m[8] * b);
  }
}

}  // namespace dg
