#include "core/png.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/codec.hpp"
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
// the first row); bytesPerPixel is 1 to 8 (bytes, not bits: 1 for depths below 8).
bool unfilterRow(int filter, std::uint8_t* row, const std::uint8_t* prior, std::size_t length, int bytesPerPixel) {
  const std::size_t bpp = static_cast<std::size_t>(bytesPerPixel), first = std::min(bpp, length);
  switch (filter) {
    case 0:  // None
      return true;
    case 1:  // Sub
      for (std::size_t i = bpp; i < length; ++i) row[i] = static_cast<std::uint8_t>(row[i] + row[i - bpp]);
      return true;
    case 2:  // Up
      addBytewise(row, prior, length);
      return true;
    case 3:  // Average
      for (std::size_t i = 0; i < first; ++i) row[i] = static_cast<std::uint8_t>(row[i] + (prior[i] >> 1));
      for (std::size_t i = bpp; i < length; ++i) row[i] = static_cast<std::uint8_t>(row[i] + ((row[i - bpp] + prior[i]) >> 1));
      return true;
    case 4:  // Paeth: at the left edge only "up" exists, and it always wins.
      for (std::size_t i = 0; i < first; ++i) row[i] = static_cast<std::uint8_t>(row[i] + prior[i]);
      for (std::size_t i = bpp; i < length; ++i) {
        row[i] = static_cast<std::uint8_t>(row[i] + paeth(row[i - bpp], prior[i], prior[i - bpp]));
      }
      return true;
    default:
      return false;
  }
}

// The same for 8-bit RGB or RGBA (kBytes 3 or 4), the screenshot path: the predicting filters
// keep the pixel to the left (and above it) in registers, one independent chain per channel,
// rather than reading back bytes just written.
template <int kBytes>
bool unfilterTrueColourRow(int filter, std::uint8_t* row, const std::uint8_t* prior, std::size_t length) {
  if (filter == 0 || filter == 2) return unfilterRow(filter, row, prior, length, kBytes);
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

struct Header {
  std::uint32_t width = 0, height = 0;
  int depth = 0, colourType = 0, channels = 0;
  bool interlaced = false;
};

enum ColourType { kGrey = 0, kRgb = 2, kPalette = 3, kGreyAlpha = 4, kRgba = 6 };

// The colour types and the bit depths each allows (PNG specification, table 11.1).
int channelsOf(int colourType, int depth) {
  const bool anyDepth = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
  switch (colourType) {
    case kGrey: return anyDepth ? 1 : 0;
    case kPalette: return anyDepth && depth != 16 ? 1 : 0;
    case kRgb: return depth == 8 || depth == 16 ? 3 : 0;
    case kGreyAlpha: return depth == 8 || depth == 16 ? 2 : 0;
    case kRgba: return depth == 8 || depth == 16 ? 4 : 0;
    default: return 0;
  }
}

// Turns reconstructed rows of samples into RGBA: palette lookup, grey spread over red, green and
// blue, samples of 1-4 bits scaled to 0-255, 16-bit ones cut to their high byte, and the colour a
// tRNS chunk names made transparent.
class PixelFormat {
 public:
  PixelFormat(const Header& header, const std::uint8_t* palette, std::size_t paletteLength,
              const std::uint8_t* transparency, std::size_t transparencyLength)
      : header_(header) {
    for (std::size_t i = 0; i < 256; ++i) {  // indices past the palette show opaque black
      palette_[i * 4 + 3] = 255;
      if (i < paletteLength / 3) std::memcpy(&palette_[i * 4], palette + i * 3, 3);
    }
    if (!transparency) return;
    // Malformed or misplaced transparency is ignored, as libpng does.
    if (header.colourType == kPalette) {
      const std::size_t entries = std::min(transparencyLength, paletteLength / 3);
      for (std::size_t i = 0; i < entries; ++i) palette_[i * 4 + 3] = transparency[i];
    } else if ((header.colourType == kGrey || header.colourType == kRgb) &&
               transparencyLength == static_cast<std::size_t>(header.channels) * 2) {
      keyed_ = true;
      for (int c = 0; c < header.channels; ++c) {
        const unsigned value = transparency[c * 2] << 8 | transparency[c * 2 + 1];
        key_[c] = header.depth == 16 ? value : value & 0xFF;  // the low byte only, as stb_image reads it
      }
    }
  }

  // The common screenshot: 8-bit RGB or RGBA, no transparent colour, rows copied or widened.
  bool isPlainTrueColour() const {
    return header_.depth == 8 && (header_.colourType == kRgb || header_.colourType == kRgba) && !keyed_;
  }

  void toRgba(const std::uint8_t* row, std::uint32_t count, std::uint8_t* out) const {
    if (header_.depth == 8) return convert<8>(row, count, out);
    if (header_.depth == 16) return convert<16>(row, count, out);
    convert<0>(row, count, out);  // 1, 2 or 4 bits
  }

 private:
  template <int kDepth>
  void convert(const std::uint8_t* row, std::uint32_t count, std::uint8_t* out) const {
    const int depth = kDepth > 0 ? kDepth : header_.depth, channels = header_.channels;
    const bool palette = header_.colourType == kPalette, grey = channels < 3;
    const unsigned scale = depth < 8 ? 255 / ((1u << depth) - 1) : 1;
    auto to8 = [&](unsigned value) { return static_cast<std::uint8_t>(kDepth == 16 ? value >> 8 : value * scale); };
    unsigned sample[4] = {};
    for (std::uint32_t i = 0; i < count; ++i, out += 4) {
      for (int c = 0; c < channels; ++c) {
        const std::size_t at = static_cast<std::size_t>(i) * channels + c;
        if constexpr (kDepth == 16) {
          sample[c] = row[at * 2] << 8 | row[at * 2 + 1];
        } else if constexpr (kDepth == 8) {
          sample[c] = row[at];
        } else {  // packed from the high bits down
          const std::size_t bit = at * depth;
          sample[c] = row[bit / 8] >> (8 - depth - bit % 8) & ((1u << depth) - 1);
        }
      }
      if (palette) {
        std::memcpy(out, &palette_[sample[0] * 4], 4);
        continue;
      }
      out[0] = to8(sample[0]);
      out[1] = to8(sample[grey ? 0 : 1]);
      out[2] = to8(sample[grey ? 0 : 2]);
      out[3] = channels == 2 || channels == 4 ? to8(sample[channels - 1]) : 255;
      if (keyed_ && sample[0] == key_[0] && (grey || (sample[1] == key_[1] && sample[2] == key_[2]))) out[3] = 0;
    }
  }

  Header header_;
  std::array<std::uint8_t, 256 * 4> palette_{};
  bool keyed_ = false;
  unsigned key_[3] = {};
};

// Widens one reconstructed row of 8-bit RGB or RGBA to RGBA.
template <int kChannels>
void trueColourToRgba(const std::uint8_t* in, std::uint32_t width, std::uint8_t* out) {
  if constexpr (kChannels == 4) {
    std::memcpy(out, in, static_cast<std::size_t>(width) * 4);
  } else {
    // One 32-bit store per pixel (little-endian: red is the low byte).
    for (std::uint32_t x = 0; x < width; ++x, in += 3, out += 4) {
      const std::uint32_t pixel = in[0] | in[1] << 8 | in[2] << 16 | 0xFF000000u;
      std::memcpy(out, &pixel, 4);
    }
  }
}

// Where an interlaced image's seven passes sample it (Adam7); a plain image is one pass of all.
struct Pass {
  std::uint32_t x0, y0, dx, dy;
  std::uint32_t width(std::uint32_t full) const { return full > x0 ? (full - x0 + dx - 1) / dx : 0; }
  std::uint32_t height(std::uint32_t full) const { return full > y0 ? (full - y0 + dy - 1) / dy : 0; }
};
constexpr Pass kAdam7[7] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                            {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
constexpr Pass kWhole[1] = {{0, 0, 1, 1}};

struct Passes {
  const Pass *first, *last;
  const Pass* begin() const { return first; }
  const Pass* end() const { return last; }
};
Passes passesOf(const Header& header) {
  return header.interlaced ? Passes{std::begin(kAdam7), std::end(kAdam7)} : Passes{std::begin(kWhole), std::end(kWhole)};
}

std::uint64_t rowBytes(const Header& header, std::uint32_t width) {
  return (static_cast<std::uint64_t>(width) * header.channels * header.depth + 7) / 8;
}

// The passes' rows, each after its filter byte, reconstructed into the image. Fails on an unknown filter.
bool reconstruct(std::uint8_t* filtered, const Header& header, const PixelFormat& format, Image& image) {
  const int bytesPerPixel = std::max(1, header.channels * header.depth / 8);
  const std::size_t widest = rowBytes(header, header.width);
  const std::vector<std::uint8_t> zeros(widest);
  std::vector<std::uint8_t> rgba(header.interlaced ? static_cast<std::size_t>(header.width) * 4 : 0);
  const bool fast = format.isPlainTrueColour() && !header.interlaced;
  for (const Pass& pass : passesOf(header)) {
    const std::uint32_t width = pass.width(header.width), height = pass.height(header.height);
    if (width == 0 || height == 0) continue;  // a pass with no pixels has no rows, not even filter bytes
    const std::size_t length = rowBytes(header, width);
    const std::uint8_t* prior = zeros.data();
    for (std::uint32_t y = 0; y < height; ++y, filtered += 1 + length) {
      std::uint8_t* row = filtered + 1;
      const int filter = filtered[0];
      const bool ok = !fast                  ? unfilterRow(filter, row, prior, length, bytesPerPixel)
                      : header.channels == 3 ? unfilterTrueColourRow<3>(filter, row, prior, length)
                                             : unfilterTrueColourRow<4>(filter, row, prior, length);
      if (!ok) return false;
      prior = row;
      const std::uint32_t imageY = pass.y0 + y * pass.dy;
      if (fast) {
        if (header.channels == 3) trueColourToRgba<3>(row, width, image.pixel(0, imageY));
        else trueColourToRgba<4>(row, width, image.pixel(0, imageY));
      } else if (!header.interlaced) {
        format.toRgba(row, width, image.pixel(0, imageY));
      } else {
        format.toRgba(row, width, rgba.data());
        for (std::uint32_t x = 0; x < width; ++x) {
          std::memcpy(image.pixel(pass.x0 + x * pass.dx, imageY), &rgba[x * 4], 4);
        }
      }
    }
  }
  return true;
}

bool chunkIs(const std::uint8_t* chunk, const char* type) { return std::memcmp(chunk + 4, type, 4) == 0; }

Result<Image> damaged(const std::string& reason) {
  return Result<Image>::failure(damagedFileError(ImageFormat::Png, reason));
}

}  // namespace

Result<Image> decodePng(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kSignature = 8, kHeaderLength = 13;
  if (size < kSignature + 8 + kHeaderLength || !chunkIs(data + kSignature, "IHDR") ||
      readBe32(data + kSignature) != kHeaderLength) {
    return damaged("it does not start with an image header");
  }
  const std::uint8_t* fields = data + kSignature + 8;
  Header header;
  header.width = readBe32(fields);
  header.height = readBe32(fields + 4);
  header.depth = fields[8];
  header.colourType = fields[9];
  header.channels = channelsOf(header.colourType, header.depth);
  header.interlaced = fields[12] == 1;
  if (header.width == 0 || header.height == 0 || header.channels == 0 || fields[10] != 0 || fields[11] != 0 ||
      fields[12] > 1) {
    return damaged("its image header is invalid");
  }

  // Every chunk's data must be in the file: a few bytes could otherwise declare gigabytes. The
  // last chunk may lack its CRC (which, like most decoders, this one does not check).
  const std::uint8_t *palette = nullptr, *transparency = nullptr;
  std::size_t paletteLength = 0, transparencyLength = 0, compressedSize = 0;
  std::vector<std::pair<const std::uint8_t*, std::size_t>> idat;
  for (std::size_t at = kSignature + 12 + kHeaderLength; at + 8 <= size;) {
    const std::uint8_t* chunk = data + at;
    const std::size_t length = readBe32(chunk);
    if (length > size - at - 8) return damaged("a chunk runs past the end of the file");
    const std::uint8_t* payload = chunk + 8;
    if (chunkIs(chunk, "IEND")) break;
    if (chunkIs(chunk, "IDAT")) {
      idat.emplace_back(payload, length);
      compressedSize += length;
    } else if (chunkIs(chunk, "PLTE")) {
      palette = payload, paletteLength = length;
    } else if (chunkIs(chunk, "tRNS")) {
      transparency = payload, transparencyLength = length;
    } else if (!(chunk[4] & 0x20)) {  // a capital first letter: critical, and not one we know
      return damaged(chunkIs(chunk, "IHDR") ? "it has two image headers" : "it has an unknown critical chunk");
    }
    if (length + 12 > size - at) break;  // the last chunk, without its CRC
    at += 12 + length;
  }
  if (header.colourType == kPalette && (paletteLength == 0 || paletteLength % 3 != 0 || paletteLength > 768)) {
    return damaged(paletteLength == 0 ? "its palette is missing" : "its palette is invalid");
  }
  if (idat.empty()) return damaged("it has no image data");

  std::uint64_t filteredSize = 0;
  for (const Pass& pass : passesOf(header)) {
    const std::uint32_t width = pass.width(header.width), height = pass.height(header.height);
    if (width > 0 && height > 0) filteredSize += (1 + rowBytes(header, width)) * height;
  }
  if (filteredSize > (std::uint64_t(1) << 31)) return damaged("it is too large to decode");

  // Most encoders split the stream over many IDATs; the inflater wants it whole.
  std::vector<std::uint8_t> joined;
  const std::uint8_t* compressed = idat.front().first;
  if (idat.size() > 1) {
    joined.reserve(compressedSize);
    for (const auto& [bytes, length] : idat) joined.insert(joined.end(), bytes, bytes + length);
    compressed = joined.data();
  }
  const std::unique_ptr<std::uint8_t[]> filtered(new std::uint8_t[filteredSize]);  // every byte is written
  const auto inflated = inflateZlib(compressed, compressedSize, filtered.get(), filteredSize);
  if (!inflated) return damaged("its image data is corrupt");
  if (*inflated < filteredSize) return damaged("its image data ends early");
  joined = {};

  const PixelFormat format(header, palette, paletteLength, transparency, transparencyLength);
  Image image(static_cast<int>(header.width), static_cast<int>(header.height));
  if (!reconstruct(filtered.get(), header, format, image)) return damaged("a row has an unknown filter");
  return Result<Image>::success(std::move(image));
}

}  // namespace dg
