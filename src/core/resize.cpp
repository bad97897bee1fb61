#include "core/resize.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace dg {
namespace {

// For one axis: which source samples contribute to each output sample, and how much. Flat, so the
// inner loops read weights sequentially instead of chasing one vector per output sample.
struct Contributions {
  std::vector<int> first, count, offset;  // per output sample
  std::vector<float> weights;             // weights[offset[t] + i] applies to source first[t] + i; each run sums to 1
};

Contributions areaContributions(int sourceSize, int targetSize) {
  Contributions table;
  table.first.resize(targetSize);
  table.count.resize(targetSize);
  table.offset.resize(targetSize);
  const double scale = static_cast<double>(sourceSize) / targetSize;
  for (int t = 0; t < targetSize; ++t) {
    const double begin = t * scale, end = (t + 1) * scale;
    const int first = static_cast<int>(std::floor(begin));
    const int last = std::min(sourceSize - 1, static_cast<int>(std::ceil(end)) - 1);
    table.first[t] = first;
    table.count[t] = last - first + 1;
    table.offset[t] = static_cast<int>(table.weights.size());
    for (int s = first; s <= last; ++s) {
      const double covered = std::min<double>(end, s + 1) - std::max<double>(begin, s);
      table.weights.push_back(static_cast<float>(covered / scale));
    }
  }
  return table;
}

bool isOpaque(const Image& image) {
  const std::uint8_t* p = image.rgba.data();
  const std::size_t count = image.rgba.size();
  unsigned all = 255;
  for (std::size_t i = 3; i < count; i += 4) all &= p[i];
  return all == 255;
}

// One source row resampled horizontally. Opaque images skip the alpha weighting (it would
// multiply and divide every sample by 255), which is most of the work for photos.
template <bool kOpaque>
void resampleRow(const std::uint8_t* in, const Contributions& columns, int width, float* out) {
  for (int x = 0; x < width; ++x) {
    float r = 0, g = 0, b = 0, a = 0;
    const float* weight = &columns.weights[columns.offset[x]];
    const std::uint8_t* p = in + static_cast<std::size_t>(columns.first[x]) * 4;
    for (int i = 0; i < columns.count[x]; ++i, p += 4) {
      const float w = kOpaque ? weight[i] : weight[i] * p[3];
      r += p[0] * w;
      g += p[1] * w;
      b += p[2] * w;
      a += w;
    }
    out[x * 4 + 0] = r, out[x * 4 + 1] = g, out[x * 4 + 2] = b, out[x * 4 + 3] = kOpaque ? 255.0f : a;
  }
}

std::uint8_t toByte(float value) { return static_cast<std::uint8_t>(std::clamp(value + 0.5f, 0.0f, 255.0f)); }

template <bool kOpaque>
Image resizeRows(const Image& source, int width, int height) {
  const Contributions columns = areaContributions(source.width, width);
  const Contributions rows = areaContributions(source.height, height);
  Image result(width, height);
  // Output rows are produced in order, each from its run of source rows; neighbouring runs share
  // at most their boundary row, so one cached resampled row means each source row is resampled once.
  std::vector<float> resampled(static_cast<std::size_t>(width) * 4), sum(static_cast<std::size_t>(width) * 4);
  int resampledRow = -1;
  for (int y = 0; y < height; ++y) {
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (int i = 0; i < rows.count[y]; ++i) {
      const int sy = rows.first[y] + i;
      if (sy != resampledRow) {
        resampleRow<kOpaque>(source.pixel(0, sy), columns, width, resampled.data());
        resampledRow = sy;
      }
      const float weight = rows.weights[rows.offset[y] + i];
      for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += resampled[k] * weight;
    }
    std::uint8_t* out = result.pixel(0, y);
    for (int x = 0; x < width; ++x) {
      const float* acc = &sum[static_cast<std::size_t>(x) * 4];
      if (kOpaque) {
        out[x * 4 + 0] = toByte(acc[0]), out[x * 4 + 1] = toByte(acc[1]), out[x * 4 + 2] = toByte(acc[2]);
        out[x * 4 + 3] = 255;
        continue;
      }
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

Image resizeArea(const Image& source, int width, int height) {
  if (width == source.width && height == source.height) return source;
  return isOpaque(source) ? resizeRows<true>(source, width, height) : resizeRows<false>(source, width, height);
}

Image resizeToFit(Image source, int maxSide) {
  int width = 0, height = 0;
  fitWithin(source.width, source.height, maxSide, width, height);
  if (width == source.width && height == source.height) return source;  // moved, not copied
  return resizeArea(source, width, height);
}

}  // namespace dg
