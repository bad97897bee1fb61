#include "core/png.hpp"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "core/inflate.hpp"

namespace dg {
namespace {

// The Paeth predictor (PNG specification, 9.4): whichever of left, up and upper left is closest to
// left + up - upper left. Written with selects rather than branches, which on photo-like rows
// would be mispredicted about half the time.
inline int paeth(int left, int up, int upperLeft) {
  const int toLeft = std::abs(up - upperLeft), toUp = std::abs(left - upperLeft);
  const int toUpperLeft = std::abs(left + up - 2 * upperLeft);
  const int upOrUpperLeft = toUp <= toUpperLeft ? up : upperLeft;
  return ((toLeft <= toUp) & (toLeft <= toUpperLeft)) ? left : upOrUpperLeft;
}

// row[i] += prior[i] for every byte, eight at a time: the release wasm has no vector unit, and
// "Up" is the filter screenshots use most. Bytes never carry into their neighbours: the low
// seven bits are added with the top bit of each byte cleared, then the top bits are xored in.
void addBytewise(std::uint8_t* row, const std::uint8_t* prior, std::size_t length) {
  constexpr std::uint64_t kTopBits = 0x8080808080808080ull;
  std::size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    std::uint64_t a, b;
    std::memcpy(&a, row + i, 8);
    std::memcpy(&b, prior + i, 8);
    const std::uint64_t sum = ((a & ~kTopBits) + (b & ~kTopBits)) ^ ((a ^ b) & kTopBits);
    std::memcpy(row + i, &sum, 8);
  }
  for (; i < length; ++i) row[i] = static_cast<std::uint8_t>(row[i] + prior[i]);
}

// Reverses one row's filter in place. prior is the row above, already reconstructed (zeros above
// the first row). kBytes is bytes per pixel: the predicting filters keep the pixel to the left
// (and above it) in registers, one independent chain per channel, rather than reading back bytes
// just written.
template <int kBytes>
bool unfilterRow(int filter, std::uint8_t* row, const std::uint8_t* prior, std::size_t length) {
  if (filter == 0) return true;  // None
  if (filter == 2) {             // Up
    addBytewise(row, prior, length);
    return true;
  }
  if (filter != 1 && filter != 3 && filter != 4) return false;
  int left[kBytes] = {}, upperLeft[kBytes] = {};  // zero left of the row's first pixel
  for (std::size_t i = 0; i < length; i += kBytes) {
    for (int c = 0; c < kBytes; ++c) {
      const int up = prior[i + c];
      const int predicted = filter == 1 ? left[c] : filter == 3 ? (left[c] + up) >> 1 : paeth(left[c], up, upperLeft[c]);
      left[c] = (row[i + c] + predicted) & 0xFF;
      row[i + c] = static_cast<std::uint8_t>(left[c]);
      upperLeft[c] = up;
    }
  }
  return true;
}

// Widens one reconstructed row of RGB or RGBA to RGBA.
template <int kChannels>
void toRgba(const std::uint8_t* in, int width, std::uint8_t* out) {
  if constexpr (kChannels == 4) {
    std::memcpy(out, in, static_cast<std::size_t>(width) * 4);
  } else {
    // One 32-bit store per pixel (little-endian: red is the low byte).
    for (int x = 0; x < width; ++x, in += 3, out += 4) {
      const std::uint32_t pixel = in[0] | in[1] << 8 | in[2] << 16 | 0xFF000000u;
      std::memcpy(out, &pixel, 4);
    }
  }
}

template <int kChannels>
bool reconstruct(std::uint8_t* filtered, Image& image) {
  const std::size_t rowBytes = static_cast<std::size_t>(image.width) * kChannels;
  const std::vector<std::uint8_t> zeros(rowBytes);
  const std::uint8_t* prior = zeros.data();
  for (int y = 0; y < image.height; ++y) {
    std::uint8_t* row = filtered + static_cast<std::size_t>(y) * (rowBytes + 1);
    if (!unfilterRow<kChannels>(row[0], row + 1, prior, rowBytes)) return false;
    toRgba<kChannels>(row + 1, image.width, image.pixel(0, y));
    prior = row + 1;
  }
  return true;
}

bool chunkIs(const std::uint8_t* chunk, const char* type) { return std::memcmp(chunk + 4, type, 4) == 0; }

}  // namespace

std::optional<Image> decodeCommonPng(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kSignature = 8, kHeaderLength = 13;
  // IHDR first, then chunks that are each whole (length, type, data, CRC) up to IEND: IDATs and
  // ancillary chunks only. A palette, a transparent colour or any other critical chunk is stb's.
  if (size < kSignature + 12 + kHeaderLength || !chunkIs(data + kSignature, "IHDR") ||
      readBe32(data + kSignature) != kHeaderLength) {
    return std::nullopt;
  }
  const std::uint8_t* header = data + kSignature + 8;
  const std::uint32_t width = readBe32(header), height = readBe32(header + 4);
  const int depth = header[8], colourType = header[9];  // 2: RGB, 6: RGBA
  const int channels = colourType == 2 ? 3 : colourType == 6 ? 4 : 0;
  const bool interlaced = header[12] != 0;
  if (depth != 8 || channels == 0 || header[10] != 0 || header[11] != 0 || interlaced) return std::nullopt;
  // stb's own bounds (STBI_MAX_DIMENSIONS, its 1 GB working buffer): past them it refuses.
  if (width == 0 || height == 0 || width > (1u << 24) || height > (1u << 24) ||
      (1u << 30) / width / static_cast<std::uint32_t>(channels) < height) {
    return std::nullopt;
  }

  std::vector<std::pair<const std::uint8_t*, std::size_t>> idat;
  std::size_t compressedSize = 0;
  bool ended = false;
  for (std::size_t at = kSignature + 12 + kHeaderLength; !ended;) {
    if (size - at < 12) return std::nullopt;
    const std::uint8_t* chunk = data + at;
    const std::size_t length = readBe32(chunk);
    if (length > size - at - 12) return std::nullopt;
    ended = chunkIs(chunk, "IEND");
    if (chunkIs(chunk, "IDAT")) {
      idat.emplace_back(chunk + 8, length);
      compressedSize += length;
    } else if (chunkIs(chunk, "tRNS") || (!ended && !(chunk[4] & 0x20))) {
      return std::nullopt;  // a transparent colour, or a critical chunk (its first letter is a capital)
    }
    at += 12 + length;
  }
  if (idat.empty()) return std::nullopt;

  // Most encoders split the stream over many IDATs; the inflater wants it whole.
  std::vector<std::uint8_t> joined;
  const std::uint8_t* compressed = idat.front().first;
  if (idat.size() > 1) {
    joined.reserve(compressedSize);
    for (const auto& [bytes, length] : idat) joined.insert(joined.end(), bytes, bytes + length);
    compressed = joined.data();
  }
  const std::size_t filteredSize = (static_cast<std::size_t>(width) * channels + 1) * height;
  const std::unique_ptr<std::uint8_t[]> filtered(new std::uint8_t[filteredSize]);  // every byte is written
  // Less is damage; more (stb accepts trailing data) fails the inflater's bound: both are stb's.
  if (inflateZlib(compressed, compressedSize, filtered.get(), filteredSize) != filteredSize) return std::nullopt;
  joined = {};

  Image image(static_cast<int>(width), static_cast<int>(height));
  const bool reconstructed =
      channels == 3 ? reconstruct<3>(filtered.get(), image) : reconstruct<4>(filtered.get(), image);
  if (!reconstructed) return std::nullopt;
  return image;
}

}  // namespace dg
