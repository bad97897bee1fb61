#pragma once
// Writers for the encodings stb_image_write does not produce, so each input format the core must
// read is generated inside its test: PNG at any bit depth, colour type, filter and interlacing,
// multi-frame GIF, JPEGs of phone-camera sizes, and HEIF headers. Uncompressed on purpose (stored
// deflate blocks, fixed-width LZW): the decoders under test do the interesting work, not these
// writers.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "test_images.hpp"

namespace dg::test {

using Bytes = std::vector<std::uint8_t>;

// A fixture's bytes (tests/fixtures/), as a file to decode or change.
template <std::size_t N>
Bytes bytesOf(const std::uint8_t (&array)[N]) {
  return Bytes(array, array + N);
}

namespace detail {

inline std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0) {
  crc = ~crc;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline void putBe32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(std::uint8_t(v >> shift));
}

inline void pngChunk(Bytes& out, const char* type, const Bytes& data) {
  putBe32(out, static_cast<std::uint32_t>(data.size()));
  Bytes typed(type, type + 4);
  typed.insert(typed.end(), data.begin(), data.end());
  out.insert(out.end(), typed.begin(), typed.end());
  putBe32(out, crc32(typed.data(), typed.size()));
}

// zlib stream of stored (uncompressed) deflate blocks.
inline Bytes zlibStored(const Bytes& raw) {
  Bytes out{0x78, 0x01};
  std::size_t at = 0;
  do {
    const std::size_t length = std::min<std::size_t>(65535, raw.size() - at);
    out.push_back(at + length == raw.size() ? 1 : 0);
    out.push_back(std::uint8_t(length)), out.push_back(std::uint8_t(length >> 8));
    out.push_back(std::uint8_t(~length)), out.push_back(std::uint8_t(~length >> 8));
    out.insert(out.end(), raw.begin() + at, raw.begin() + at + length);
    at += length;
  } while (at < raw.size());
  std::uint32_t a = 1, b = 0;
  for (std::uint8_t byte : raw) a = (a + byte) % 65521, b = (b + a) % 65521;
  putBe32(out, (b << 16) | a);
  return out;
}

}  // namespace detail

enum PngColour : std::uint8_t { kGrey = 0, kRgbColour = 2, kPalette = 3, kGreyAlpha = 4, kRgbaColour = 6 };

// For stb_image_write's *_to_func writers: appends what they write to the Bytes at context.
inline void appendToBytes(void* context, void* data, int size) {
  auto* out = static_cast<Bytes*>(context);
  out->insert(out->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
}

struct PngLayout {
  int filter = 0;           // 0-4: None, Sub, Up, Average, Paeth, on every row
  bool interlaced = false;  // Adam7
};

namespace detail {

inline int pngChannels(PngColour colour) {
  return colour == kRgbColour ? 3 : colour == kGreyAlpha ? 2 : colour == kRgbaColour ? 4 : 1;
}

// The bits of pixels [first, first + count) of a packed row, repacked from bit 0 of a new row.
inline Bytes pixelBits(const Bytes& row, int bitsPerPixel, const std::vector<int>& pixels) {
  Bytes out((pixels.size() * bitsPerPixel + 7) / 8);
  std::size_t to = 0;
  for (int pixel : pixels) {
    for (int b = 0; b < bitsPerPixel; ++b, ++to) {
      const std::size_t from = static_cast<std::size_t>(pixel) * bitsPerPixel + b;
      if (row[from / 8] >> (7 - from % 8) & 1) out[to / 8] |= std::uint8_t(0x80 >> (to % 8));
    }
  }
  return out;
}

// What an encoder writes for one row under `filter` (PNG specification, 9.2), filter byte first.
inline Bytes filteredRow(const Bytes& row, const Bytes& prior, int bytesPerPixel, int filter) {
  Bytes out{std::uint8_t(filter)};
  for (std::size_t i = 0; i < row.size(); ++i) {
    const int left = i >= std::size_t(bytesPerPixel) ? row[i - bytesPerPixel] : 0;
    const int up = prior.empty() ? 0 : prior[i];
    const int upperLeft = prior.empty() || i < std::size_t(bytesPerPixel) ? 0 : prior[i - bytesPerPixel];
    const int p = left + up - upperLeft, pa = std::abs(p - left), pb = std::abs(p - up), pc = std::abs(p - upperLeft);
    const int paeth = pa <= pb && pa <= pc ? left : pb <= pc ? up : upperLeft;
    const int predicted = filter == 1 ? left : filter == 2 ? up : filter == 3 ? (left + up) / 2 : filter == 4 ? paeth : 0;
    out.push_back(std::uint8_t(row[i] - predicted));
  }
  return out;
}

}  // namespace detail

// rows: one entry per scanline, samples already packed at bitDepth (big-endian for 16-bit).
// palette: RGB triples for kPalette; transparency: a tRNS chunk's payload, if any.
inline Bytes pngOf(int width, int height, PngColour colour, int bitDepth, const std::vector<Bytes>& rows,
                   const Bytes& palette = {}, const Bytes& transparency = {}, PngLayout layout = {}) {
  Bytes out{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Bytes header;
  detail::putBe32(header, width);
  detail::putBe32(header, height);
  header.insert(header.end(), {std::uint8_t(bitDepth), colour, 0, 0, std::uint8_t(layout.interlaced)});
  detail::pngChunk(out, "IHDR", header);
  if (!palette.empty()) detail::pngChunk(out, "PLTE", palette);
  if (!transparency.empty()) detail::pngChunk(out, "tRNS", transparency);
  const int bitsPerPixel = detail::pngChannels(colour) * bitDepth, bytesPerPixel = std::max(1, bitsPerPixel / 8);
  // Adam7's passes: first column and row, then steps; a plain image is one pass of everything.
  const std::vector<std::array<int, 4>> passes =
      layout.interlaced ? std::vector<std::array<int, 4>>{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                                          {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
                        : std::vector<std::array<int, 4>>{{0, 0, 1, 1}};
  Bytes raw;
  for (const auto& [x0, y0, dx, dy] : passes) {
    std::vector<int> columns;
    for (int x = x0; x < width; x += dx) columns.push_back(x);
    if (columns.empty()) continue;
    Bytes prior;
    for (int y = y0; y < height; y += dy) {
      const Bytes row = detail::pixelBits(rows[y], bitsPerPixel, columns);
      const Bytes filtered = detail::filteredRow(row, prior, bytesPerPixel, layout.filter);
      raw.insert(raw.end(), filtered.begin(), filtered.end());
      prior = row;
    }
  }
  detail::pngChunk(out, "IDAT", detail::zlibStored(raw));
  detail::pngChunk(out, "IEND", {});
  return out;
}

// A GIF89a with a 4-colour global palette and one full-screen frame per entry of `frames`
// (each width*height palette indices 0-3).
inline Bytes gifOf(int width, int height, const Bytes& palette12, const std::vector<Bytes>& frames) {
  Bytes out;
  for (char c : std::string("GIF89a")) out.push_back(std::uint8_t(c));
  auto le16 = [&](int v) { out.push_back(std::uint8_t(v)), out.push_back(std::uint8_t(v >> 8)); };
  le16(width);
  le16(height);
  out.insert(out.end(), {0x81, 0, 0});  // global colour table of 2^(1+1) entries
  out.insert(out.end(), palette12.begin(), palette12.end());
  for (const Bytes& indices : frames) {
    out.push_back(0x2C);
    le16(0), le16(0), le16(width), le16(height);
    out.push_back(0);  // no local table, not interlaced
    out.push_back(2);  // LZW minimum code size: codes are 3 bits wide, clear = 4, end = 5
    // A clear code before every second index keeps the code table from growing, so every code
    // stays 3 bits wide: valid LZW, just not compressed.
    Bytes packed;
    std::uint32_t bits = 0;
    int count = 0;
    auto emit = [&](std::uint32_t code) {
      bits |= code << count;
      count += 3;
      while (count >= 8) packed.push_back(std::uint8_t(bits)), bits >>= 8, count -= 8;
    };
    for (std::size_t i = 0; i < indices.size(); ++i) {
      if (i % 2 == 0) emit(4);
      emit(indices[i]);
    }
    emit(5);
    if (count > 0) packed.push_back(std::uint8_t(bits));
    for (std::size_t at = 0; at < packed.size(); at += 255) {
      const std::size_t length = std::min<std::size_t>(255, packed.size() - at);
      out.push_back(std::uint8_t(length));
      out.insert(out.end(), packed.begin() + at, packed.begin() + at + length);
    }
    out.push_back(0);  // block terminator
  }
  out.push_back(0x3B);
  return out;
}

// A 4:2:0 YCbCr JPEG of one flat colour at any size, written directly: every coefficient is zero
// but the DC of the first blocks, so a block costs a few bits and a 200-megapixel photo's file
// takes milliseconds, with no pixels behind it. Sequential (one interleaved scan, as cameras
// write) or progressive (a single DC scan).
inline Bytes flatJpegOf(int width, int height, Rgb colour, bool progressive = false) {
  Bytes out{0xFF, 0xD8};
  auto segment = [&](std::uint8_t marker, const Bytes& body) {
    out.insert(out.end(), {0xFF, marker, std::uint8_t((body.size() + 2) >> 8), std::uint8_t(body.size() + 2)});
    out.insert(out.end(), body.begin(), body.end());
  };
  Bytes quantisation(65, 8);  // table 0; with 8 everywhere a DC coefficient is the level minus 128
  quantisation[0] = 0;
  segment(0xDB, quantisation);
  segment(progressive ? 0xC2 : 0xC0, {8, std::uint8_t(height >> 8), std::uint8_t(height), std::uint8_t(width >> 8),
                                      std::uint8_t(width), 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0});
  // DC: the twelve size categories, each a 4-bit code equal to the category. AC: end-of-block only, "0".
  Bytes tables{0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
               0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  segment(0xC4, tables);
  segment(0xDA, {3, 1, 0x00, 2, 0x00, 3, 0x00, 0, std::uint8_t(progressive ? 0 : 63), 0});

  std::uint32_t bits = 0;
  int count = 0;
  auto put = [&](std::uint32_t value, int length) {
    for (int i = length - 1; i >= 0; --i) {
      bits = bits << 1 | ((value >> i) & 1u), ++count;
      if (count == 8) {
        out.push_back(std::uint8_t(bits));
        if (out.back() == 0xFF) out.push_back(0);  // byte stuffing
        bits = 0, count = 0;
      }
    }
  };
  auto block = [&](int difference) {  // its DC difference, then (sequential) end-of-block
    int category = 0;
    while ((std::abs(difference) >> category) != 0) ++category;
    put(std::uint32_t(category), 4);
    put(std::uint32_t(difference < 0 ? difference + (1 << category) - 1 : difference), category);
    if (!progressive) put(0, 1);
  };
  auto level = [](double v) { return int(std::lround(std::clamp(v, 0.0, 255.0))) - 128; };
  const auto [red, green, blue] = colour;
  block(level(0.299 * red + 0.587 * green + 0.114 * blue));  // the first MCU: 4 Y blocks, Cb, Cr
  block(0), block(0), block(0);
  block(level(128 - 0.168736 * red - 0.331264 * green + 0.5 * blue));
  block(level(128 + 0.5 * red - 0.418688 * green - 0.081312 * blue));
  // Every later block repeats its predecessor's DC: a difference of 0, all zero bits.
  const std::uint64_t mcus = std::uint64_t((width + 15) / 16) * std::uint64_t((height + 15) / 16);
  std::uint64_t zeros = (mcus - 1) * (progressive ? 24 : 30);
  for (; zeros > 0 && count != 0; --zeros) put(0, 1);
  out.insert(out.end(), zeros / 8, 0);
  put(0, int(zeros % 8));
  if (count > 0) put(0xFF, 8 - count);  // pad with 1-bits
  out.insert(out.end(), {0xFF, 0xD9});
  return out;
}

// The boxes a HEIF file (HEIC, AVIF) declares its size in: ftyp, then meta > iprp > ipco with one
// ispe property per entry of `sizes`.
inline Bytes heifDeclaring(const char* brand, std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> sizes) {
  auto box = [](const char* type, std::initializer_list<Bytes> parts) {
    Bytes payload;
    for (const Bytes& part : parts) payload.insert(payload.end(), part.begin(), part.end());
    Bytes out;
    detail::putBe32(out, static_cast<std::uint32_t>(payload.size() + 8));
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
  };
  const Bytes versionAndFlags(4, 0), brandBytes(brand, brand + 4);
  Bytes properties;
  for (const auto& [width, height] : sizes) {
    Bytes extents;
    detail::putBe32(extents, width), detail::putBe32(extents, height);
    const Bytes ispe = box("ispe", {versionAndFlags, extents});
    properties.insert(properties.end(), ispe.begin(), ispe.end());
  }
  Bytes file = box("ftyp", {brandBytes, Bytes(4, 0), brandBytes});
  const Bytes meta = box("meta", {versionAndFlags, box("hdlr", {Bytes(24, 0)}), box("iprp", {box("ipco", {properties})})});
  file.insert(file.end(), meta.begin(), meta.end());
  return file;
}

}  // namespace dg::test
