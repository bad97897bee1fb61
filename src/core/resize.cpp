#include "core/resize.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <type_traits>
#include <vector>

namespace dg {
namespace {

// For one axis: which source samples contribute to each output sample, and how much. Flat, so the
// inner loops read weights sequentially instead of chasing one vector per output sample. Weight is
// float for images with alpha, and fixed point (each run sums to exactly kOne) for opaque ones.
template <typename Weight>
struct Contributions {
  std::vector<int> first, count, offset;  // per output sample
  std::vector<Weight> weights;            // weights[offset[t] + i] applies to source first[t] + i
};

constexpr int kFractionBits = 13;  // see kLaneBits
constexpr std::int32_t kOne = 1 << kFractionBits;

// Each output sample is a triangle-weighted mean of the source samples within one output pixel's
// width of its centre (a tent as wide as two output pixels). Averaging only the source pixels an
// output pixel covers (a box) lets a pattern finer than the output beat against the pixel grid at
// a ratio that is not a whole number: 1-px stripes reduced 3.125 times came out as bands from 92 to
// 163 with a box, 117 to 138 with the tent. Never narrower than one source pixel, so a ratio near 1
// still reads two neighbours.
template <typename Weight>
Contributions<Weight> tentContributions(int sourceSize, int targetSize) {
  Contributions<Weight> table;
  table.first.resize(targetSize);
  table.count.resize(targetSize);
  table.offset.resize(targetSize);
  const double scale = static_cast<double>(sourceSize) / targetSize;
  const double radius = std::max(1.0, scale);
  for (int t = 0; t < targetSize; ++t) {
    const double centre = (t + 0.5) * scale;  // in source pixels, whose centres are at s + 0.5
    // Source pixel s has weight when its centre is less than radius away: the open interval below.
    const int first = std::max(0, static_cast<int>(std::floor(centre - radius - 0.5)) + 1);
    const int last = std::min(sourceSize - 1, static_cast<int>(std::ceil(centre + radius - 0.5)) - 1);
    auto tent = [&](int s) { return 1.0 - std::abs(s + 0.5 - centre) / radius; };
    double total = 0;  // less than radius where the tent is cut off by an edge of the picture
    for (int s = first; s <= last; ++s) total += tent(s);
    table.first[t] = first;
    table.count[t] = last - first + 1;
    table.offset[t] = static_cast<int>(table.weights.size());
    for (int s = first; s <= last; ++s) {
      if constexpr (std::is_integral_v<Weight>) {
        table.weights.push_back(static_cast<Weight>(std::lround(tent(s) / total * kOne)));
      } else {
        table.weights.push_back(static_cast<Weight>(tent(s) / total));
      }
    }
    if constexpr (std::is_integral_v<Weight>) {
      // Rounding may leave the run a little off kOne: the largest weight absorbs the difference,
      // so a flat colour stays exactly that colour.
      const auto run = table.weights.begin() + table.offset[t];
      const auto largest = std::max_element(run, table.weights.end());
      *largest += kOne - std::accumulate(run, table.weights.end(), 0);
    }
  }
  return table;
}

// Photos: 8-bit channels times 13-bit weights in integers. In wasm the 1512x1134 -> 1024x768 step
// of a 12 MP photo takes 9 ms (float arithmetic took twice as long). Each source row is resampled
// horizontally exactly once, keeping 6 fractional bits in 16 bits, into a ring that holds the rows
// one output row needs; each output row is then blended from those rows straight into bytes.
constexpr int kRowFractionBits = 6;

// The columns again, each with the same number of taps (the most any column has), zero-weighted
// where it has fewer, and moved left at the right edge so no tap reads past the row: the inner loop
// then has a fixed length that the compiler unrolls.
struct FixedTaps {
  int taps = 0;
  std::vector<int> first;
  std::vector<std::int32_t> weights;  // weights[x * taps + k] applies to source first[x] + k
};

FixedTaps fixedTaps(const Contributions<std::int32_t>& columns, int sourceSize) {
  FixedTaps fixed;
  const std::size_t count = columns.first.size();
  fixed.taps = *std::max_element(columns.count.begin(), columns.count.end());
  fixed.first.resize(count);
  fixed.weights.assign(count * fixed.taps, 0);
  for (std::size_t x = 0; x < count; ++x) {
    const int first = std::min(columns.first[x], sourceSize - fixed.taps);
    fixed.first[x] = first;
    for (int i = 0; i < columns.count[x]; ++i) {
      fixed.weights[x * fixed.taps + (columns.first[x] - first) + i] = columns.weights[columns.offset[x] + i];
    }
  }
  return fixed;
}

// A pixel's three colours in one 64-bit word, 21 bits apart, so that one multiply weighs all three:
// with 13-bit weights summing to kOne, a lane's sum is at most 255 * 8192 < 2^21 and never carries
// into the next. In wasm, a third of the multiplies and loads of three separate sums.
constexpr int kLaneBits = 21;
constexpr std::uint64_t kLaneMask = (std::uint64_t(1) << kLaneBits) - 1;

void packRow(const std::uint8_t* in, int width, std::uint64_t* out) {
  for (int x = 0; x < width; ++x, in += 4) {
    out[x] = in[0] | std::uint64_t(in[1]) << kLaneBits | std::uint64_t(in[2]) << (2 * kLaneBits);
  }
}

template <int kTaps>  // 0: any number, columns.taps
void resampleRowOpaque(const std::uint64_t* in, const FixedTaps& columns, int width, std::int16_t* out) {
  const int taps = kTaps > 0 ? kTaps : columns.taps;
  const std::int32_t* weight = columns.weights.data();
  for (int x = 0; x < width; ++x, out += 3, weight += taps) {
    const std::uint64_t* p = in + columns.first[x];
    std::uint64_t sum = 0;
    for (int k = 0; k < taps; ++k) sum += p[k] * static_cast<std::uint32_t>(weight[k]);
    constexpr int kShift = kFractionBits - kRowFractionBits;
    out[0] = static_cast<std::int16_t>((sum & kLaneMask) >> kShift);
    out[1] = static_cast<std::int16_t>((sum >> kLaneBits & kLaneMask) >> kShift);
    out[2] = static_cast<std::int16_t>((sum >> (2 * kLaneBits)) >> kShift);
  }
}

void resampleRowOpaque(const std::uint64_t* in, const FixedTaps& columns, int width, std::int16_t* out) {
  // Tap counts the compiler unrolls: three for reductions by less than 1.5, as after a JPEG's
  // reduced-scale decode (a 12 MP photo decoded at 3/8 scale), up to seven for screenshots (a
  // 2880 px one reduced to 1024 takes six).
  switch (columns.taps) {
    case 3: return resampleRowOpaque<3>(in, columns, width, out);
    case 4: return resampleRowOpaque<4>(in, columns, width, out);
    case 5: return resampleRowOpaque<5>(in, columns, width, out);
    case 6: return resampleRowOpaque<6>(in, columns, width, out);
    case 7: return resampleRowOpaque<7>(in, columns, width, out);
    default: return resampleRowOpaque<0>(in, columns, width, out);
  }
}

// One output row from `count` resampled rows. The weights sum to kOne and every value is at most
// 255 << kRowFractionBits, so the sum fits 32 bits and the result fits a byte without clamping.
template <int kCount>  // 0: any count
void blendRows(const std::int16_t* const* rows, const std::int32_t* weight, int count, std::size_t rowValues,
               std::uint8_t* out) {
  constexpr int kShift = kFractionBits + kRowFractionBits;
  for (std::size_t k = 0; k < rowValues; k += 3, out += 4) {
    for (std::size_t c = 0; c < 3; ++c) {
      std::int32_t sum = 1 << (kShift - 1);
      if constexpr (kCount > 0) {
        for (int i = 0; i < kCount; ++i) sum += rows[i][k + c] * weight[i];
      } else {
        for (int i = 0; i < count; ++i) sum += rows[i][k + c] * weight[i];
      }
      out[c] = static_cast<std::uint8_t>(sum >> kShift);
    }
    out[3] = 255;
  }
}

Image resizeOpaque(const Image& source, int width, int height) {
  const FixedTaps columns = fixedTaps(tentContributions<std::int32_t>(source.width, width), source.width);
  const auto rows = tentContributions<std::int32_t>(source.height, height);
  Image result(width, height);
  const std::size_t rowValues = static_cast<std::size_t>(width) * 3;
  // Output rows move down monotonically, so source row sy can live in slot sy % ring.
  const int ring = *std::max_element(rows.count.begin(), rows.count.end());
  std::vector<std::int16_t> resampled(static_cast<std::size_t>(ring) * rowValues);
  std::vector<const std::int16_t*> inputs(ring);
  std::vector<std::uint64_t> packed(source.width);
  int nextRow = 0;  // the first source row not resampled yet
  for (int y = 0; y < height; ++y) {
    const int first = rows.first[y], count = rows.count[y];
    for (nextRow = std::max(nextRow, first); nextRow < first + count; ++nextRow) {
      packRow(source.pixel(0, nextRow), source.width, packed.data());
      resampleRowOpaque(packed.data(), columns, width, &resampled[(nextRow % ring) * rowValues]);
    }
    for (int i = 0; i < count; ++i) inputs[i] = &resampled[((first + i) % ring) * rowValues];
    const std::int32_t* weight = &rows.weights[rows.offset[y]];
    std::uint8_t* out = result.pixel(0, y);
    switch (count) {  // 4 rows: reductions by 1.5 to 2, such as a 1920x1080 screenshot (10.1 -> 8.7 ms)
      case 2: blendRows<2>(inputs.data(), weight, count, rowValues, out); break;
      case 3: blendRows<3>(inputs.data(), weight, count, rowValues, out); break;
      case 4: blendRows<4>(inputs.data(), weight, count, rowValues, out); break;
      case 5: blendRows<5>(inputs.data(), weight, count, rowValues, out); break;
      case 6: blendRows<6>(inputs.data(), weight, count, rowValues, out); break;
      default: blendRows<0>(inputs.data(), weight, count, rowValues, out); break;
    }
  }
  return result;
}

// Images with transparency: colours are weighted by alpha so transparent pixels do not bleed their
// hidden colour into the average. Float: alpha times weight times colour outgrows 32-bit integers.
void resampleRowWithAlpha(const std::uint8_t* in, const Contributions<float>& columns, int width, float* out) {
  for (int x = 0; x < width; ++x) {
    float r = 0, g = 0, b = 0, a = 0;
    const float* weight = &columns.weights[columns.offset[x]];
    const std::uint8_t* p = in + static_cast<std::size_t>(columns.first[x]) * 4;
    for (int i = 0; i < columns.count[x]; ++i, p += 4) {
      const float w = weight[i] * p[3];
      r += p[0] * w;
      g += p[1] * w;
      b += p[2] * w;
      a += w;
    }
    out[x * 4 + 0] = r, out[x * 4 + 1] = g, out[x * 4 + 2] = b, out[x * 4 + 3] = a;
  }
}

std::uint8_t toByte(float value) { return static_cast<std::uint8_t>(std::clamp(value + 0.5f, 0.0f, 255.0f)); }

Image resizeWithAlpha(const Image& source, int width, int height) {
  const auto columns = tentContributions<float>(source.width, width);
  const auto rows = tentContributions<float>(source.height, height);
  Image result(width, height);
  const std::size_t rowValues = static_cast<std::size_t>(width) * 4;
  // Each source row is resampled once, into the ring slot sy % ring, as in resizeOpaque: a tent
  // reads most rows for two output rows.
  const int ring = *std::max_element(rows.count.begin(), rows.count.end());
  std::vector<float> resampled(static_cast<std::size_t>(ring) * rowValues), sum(rowValues);
  int nextRow = 0;  // the first source row not resampled yet
  for (int y = 0; y < height; ++y) {
    const int first = rows.first[y], count = rows.count[y];
    for (nextRow = std::max(nextRow, first); nextRow < first + count; ++nextRow) {
      resampleRowWithAlpha(source.pixel(0, nextRow), columns, width, &resampled[(nextRow % ring) * rowValues]);
    }
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (int i = 0; i < count; ++i) {
      const float* row = &resampled[((first + i) % ring) * rowValues];
      const float weight = rows.weights[rows.offset[y] + i];
      for (std::size_t k = 0; k < rowValues; ++k) sum[k] += row[k] * weight;
    }
    std::uint8_t* out = result.pixel(0, y);
    for (int x = 0; x < width; ++x) {
      const float* acc = &sum[static_cast<std::size_t>(x) * 4];
      const float alpha = acc[3];  // sum of weight * alpha, already in 0..255
      for (int c = 0; c < 3; ++c) out[x * 4 + c] = alpha > 0 ? toByte(acc[c] / alpha) : 0;
      out[x * 4 + 3] = toByte(alpha);
    }
  }
  return result;
}

}  // namespace

void fitWithin(int width, int height, int maxSide, int& outWidth, int& outHeight) {
  const int longest = std::max(width, height);
  if (maxSide <= 0 || longest <= maxSide) {
    outWidth = width;
    outHeight = height;
    return;
  }
  const double scale = static_cast<double>(maxSide) / longest;
  outWidth = std::max(1, static_cast<int>(std::lround(width * scale)));
  outHeight = std::max(1, static_cast<int>(std::lround(height * scale)));
}

Image resize(const Image& source, int width, int height) {
  if (width == source.width && height == source.height) return source;
  return isOpaque(source) ? resizeOpaque(source, width, height) : resizeWithAlpha(source, width, height);
}

Image resizeToFit(Image source, int maxSide) {
  int width = 0, height = 0;
  fitWithin(source.width, source.height, maxSide, width, height);
  if (width == source.width && height == source.height) return source;  // moved, not copied
  return resize(source, width, height);
}

}  // namespace dg
