#include "core/resize.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace dg {
namespace {

// For one axis: which source samples contribute to each output sample, and how much.
struct Contribution {
  int first = 0;
  std::vector<float> weights;  // weights[i] applies to source sample first + i; they sum to 1
};

std::vector<Contribution> areaContributions(int sourceSize, int targetSize) {
  std::vector<Contribution> table(targetSize);
  const double scale = static_cast<double>(sourceSize) / targetSize;
  for (int t = 0; t < targetSize; ++t) {
    const double begin = t * scale, end = (t + 1) * scale;
    const int first = static_cast<int>(std::floor(begin));
    const int last = std::min(sourceSize - 1, static_cast<int>(std::ceil(end)) - 1);
    table[t].first = first;
    for (int s = first; s <= last; ++s) {
      const double covered = std::min<double>(end, s + 1) - std::max<double>(begin, s);
      table[t].weights.push_back(static_cast<float>(covered / scale));
    }
  }
  return table;
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
  const auto columns = areaContributions(source.width, width);
  const auto rows = areaContributions(source.height, height);

  // Accumulate premultiplied RGBA per output pixel while streaming source rows once:
  // each source row is resampled horizontally, then added into the output rows it covers.
  std::vector<float> accumulated(static_cast<std::size_t>(width) * height * 4, 0.0f);
  std::vector<float> resampledRow(static_cast<std::size_t>(width) * 4);
  std::vector<std::vector<std::pair<int, float>>> outputRowsOf(source.height);
  for (int y = 0; y < height; ++y) {
    for (std::size_t i = 0; i < rows[y].weights.size(); ++i) {
      outputRowsOf[rows[y].first + i].emplace_back(y, rows[y].weights[i]);
    }
  }

  for (int sy = 0; sy < source.height; ++sy) {
    if (outputRowsOf[sy].empty()) continue;
    const std::uint8_t* in = source.pixel(0, sy);
    for (int x = 0; x < width; ++x) {
      float r = 0, g = 0, b = 0, a = 0;
      const Contribution& c = columns[x];
      for (std::size_t i = 0; i < c.weights.size(); ++i) {
        const std::uint8_t* p = in + (c.first + i) * 4;
        const float alphaWeight = c.weights[i] * p[3];
        r += p[0] * alphaWeight;
        g += p[1] * alphaWeight;
        b += p[2] * alphaWeight;
        a += alphaWeight;
      }
      float* out = &resampledRow[x * 4];
      out[0] = r, out[1] = g, out[2] = b, out[3] = a;
    }
    for (const auto& [y, weight] : outputRowsOf[sy]) {
      float* out = &accumulated[static_cast<std::size_t>(y) * width * 4];
      for (int i = 0; i < width * 4; ++i) out[i] += resampledRow[i] * weight;
    }
  }

  Image result(width, height);
  for (std::size_t i = 0; i < static_cast<std::size_t>(width) * height; ++i) {
    const float* acc = &accumulated[i * 4];
    std::uint8_t* out = &result.rgba[i * 4];
    const float alpha = acc[3];  // sum of weight * alpha, already in 0..255
    for (int c = 0; c < 3; ++c) {
      const float value = alpha > 0 ? acc[c] / alpha : 0.0f;
      out[c] = static_cast<std::uint8_t>(std::clamp(value + 0.5f, 0.0f, 255.0f));
    }
    out[3] = static_cast<std::uint8_t>(std::clamp(alpha + 0.5f, 0.0f, 255.0f));
  }
  return result;
}

Image resizeToFit(Image source, int maxSide) {
  int width = 0, height = 0;
  fitWithin(source.width, source.height, maxSide, width, height);
  if (width == source.width && height == source.height) return source;  // moved, not copied
  return resizeArea(source, width, height);
}

}  // namespace dg
