#include "core/jpeg_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "core/jpeg_zigzag.hpp"

namespace dg {

int jpegScaleNumerator(int width, int height, int minWidth, int minHeight) {
  for (int m = 1; m < 8; ++m) {
    const long long scaledWidth = (static_cast<long long>(width) * m + 7) / 8;
    const long long scaledHeight = (static_cast<long long>(height) * m + 7) / 8;
    if (scaledWidth >= minWidth && scaledHeight >= minHeight) return m;
  }
  return 8;
}

namespace {

// A progressive JPEG may hold any number of scans, each a full pass over the coefficients: a tiny
// hostile file could keep the decoder busy for minutes. Real encoders write about ten; libjpeg-turbo's
// TurboJPEG API applies the same cap.
constexpr int kMaxScans = 500;

// The inverse DCT at m/8 scale evaluates the block's cosine series, truncated to its lowest m
// frequencies, at the centres of an m×m grid: basis[m][x][u] = c(u)/2 · cos((2x+1)uπ/2m), with
// c(0) = 1/√2. Filled once, with the zigzag extents and the colour conversion's tables.
struct Tables {
  float basis[9][8][8];
  std::uint8_t rowsUpTo[64], columnsUpTo[64];  // rows and columns the zigzag positions 0..k reach
  // libjpeg's YCbCr to RGB in 16-bit fixed point, rounded, per chroma value: red's and blue's
  // offsets, and green's two terms before their sum is rounded.
  std::int32_t redFromCr[256], blueFromCb[256], greenFromCb[256], greenFromCr[256];
  std::uint8_t clamp[256 * 3];  // clamp[256 + v]: v limited to 0..255, for v in -256..511

  Tables() {
    // cos by its Taylor series, after folding the angle into [0, π/2]: no libm for one table.
    const auto cosine = [](double angle) {
      constexpr double pi = 3.14159265358979323846;
      angle = angle - 2 * pi * static_cast<int>(angle / (2 * pi));
      double sign = 1;
      if (angle > pi) angle = 2 * pi - angle;
      if (angle > pi / 2) angle = pi - angle, sign = -1;
      double term = 1, sum = 1;
      for (int i = 1; i < 12; ++i) sum += term *= -angle * angle / ((2 * i - 1) * (2 * i));
      return sign * sum;
    };
    for (int m = 1; m <= 8; ++m) {
      for (int x = 0; x < m; ++x) {
        for (int u = 0; u < m; ++u) {
          const double weight = u ? 0.5 : 0.35355339059327376;  // c(u)/2
          basis[m][x][u] = static_cast<float>(weight * cosine((2 * x + 1) * u * 3.14159265358979323846 / (2 * m)));
        }
      }
    }
    for (int i = 0; i < 256; ++i) {
      const int c = i - 128;
      redFromCr[i] = (91881 * c + 32768) >> 16;
      blueFromCb[i] = (116130 * c + 32768) >> 16;
      greenFromCb[i] = -22554 * c + 32768;
      greenFromCr[i] = -46802 * c;
    }
    for (int v = -256; v < 512; ++v) clamp[256 + v] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
    int rows = 0, columns = 0;
    for (int k = 0; k < 64; ++k) {
      rows = std::max(rows, kZigzagToNatural[k] / 8 + 1);
      columns = std::max(columns, kZigzagToNatural[k] % 8 + 1);
      rowsUpTo[k] = static_cast<std::uint8_t>(rows);
      columnsUpTo[k] = static_cast<std::uint8_t>(columns);
    }
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

// An m-point inverse transform of in[0], in[step], ... (`count` of them), handing each output to
// `store`. The basis is symmetric about the middle (odd frequencies flip sign), so each sum over
// even and odd frequencies makes two outputs.
template <typename Store>
inline void transformLine(const float (*basis)[8], int m, const float* in, int step, int count, Store store) {
  for (int x = 0; x < (m + 1) / 2; ++x) {
    float even = 0, odd = 0;
    for (int u = 0; u < count; u += 2) even += basis[x][u] * in[u * step];
    for (int u = 1; u < count; u += 2) odd += basis[x][u] * in[u * step];
    store(x, even + odd);
    if (m - 1 - x != x) store(m - 1 - x, even - odd);
  }
}

// The m×m pixels of one block at m/8 scale, from its quantised coefficients (natural order) whose
// non-zero ones all lie at zigzag positions up to `last`. Upload scales are mostly below 5/8 (3/8
// for a 12 MP photo): there each m has its own copy (Fixed), whose loops have fixed lengths that the
// compiler unrolls; from 5/8 up one copy reads only the rows and columns `last` reaches.
template <int Fixed>
void inverseTransform(const std::int16_t* block, const float* dequantise, int m, int last, std::uint8_t* out,
                      std::size_t stride) {
  if (Fixed) m = Fixed;
  const Tables& t = tables();
  const float(*basis)[8] = t.basis[m];
  const int rows = Fixed ? Fixed : std::min<int>(m, t.rowsUpTo[last]);
  const int columns = Fixed ? Fixed : std::min<int>(m, t.columnsUpTo[last]);
  float across[8][8];  // across[v][x]: row v of the coefficients, transformed horizontally
  for (int v = 0; v < rows; ++v) {
    float row[8];
    for (int u = 0; u < columns; ++u) row[u] = block[v * 8 + u] * dequantise[v * 8 + u];
    transformLine(basis, m, row, 1, columns, [&](int x, float value) { across[v][x] = value; });
  }
  for (int x = 0; x < m; ++x) {
    // The level shift, and rounding for the truncation below.
    transformLine(basis, m, &across[0][x], 8, rows, [&](int y, float value) {
      value += 128.5f;
      out[y * stride + x] = static_cast<std::uint8_t>(value < 0 ? 0 : value > 255 ? 255 : value);
    });
  }
}

using InverseTransform = void (*)(const std::int16_t*, const float*, int, int, std::uint8_t*, std::size_t);
constexpr InverseTransform kInverseTransforms[9] = {
    nullptr,             inverseTransform<1>, inverseTransform<2>, inverseTransform<3>, inverseTransform<4>,
    inverseTransform<0>, inverseTransform<0>, inverseTransform<0>, inverseTransform<0>};

constexpr int kFastBits = 9;

// A Huffman table as the decoder reads it: codes of up to kFastBits bits in one lookup, longer
// ones by their length's largest code, libjpeg's way.
struct HuffmanTable {
  std::uint16_t fast[1 << kFastBits];  // (length << 8) | symbol, 0 where the code is longer
  std::int32_t maxCode[17];            // the largest code of each length, -1 for none
  std::int32_t offset[17];             // a code of a given length plus its offset indexes symbols
  std::uint8_t symbols[256];
  // For AC tables: a whole coefficient from one lookup, where its code and its value's bits fit in
  // kFastBits: value << 8 | run << 4 | bits used; 0 otherwise. Most of a photo's coefficients fit.
  std::int16_t fastAc[1 << kFastBits];
  bool defined = false;

  // counts: how many codes of each length 1..16. False when they overflow the code space.
  bool build(const std::uint8_t* counts, const std::uint8_t* values) {
    std::memset(fast, 0, sizeof fast);
    int code = 0, index = 0;
    for (int length = 1; length <= 16; ++length) {
      offset[length] = index - code;
      for (int i = 0; i < counts[length - 1]; ++i, ++code, ++index) {
        if (code >= 1 << length) return false;  // more codes than the length holds
        symbols[index] = values[index];
        if (length > kFastBits) continue;
        const int shift = kFastBits - length;
        for (int j = 0; j < 1 << shift; ++j) fast[code << shift | j] = static_cast<std::uint16_t>(length << 8 | values[index]);
      }
      maxCode[length] = counts[length - 1] ? code - 1 : -1;
      code <<= 1;
    }
    for (int prefix = 0; prefix < 1 << kFastBits; ++prefix) {
      fastAc[prefix] = 0;
      const int length = fast[prefix] >> 8, run = fast[prefix] >> 4 & 15, size = fast[prefix] & 15;
      if (!length || !size || length + size > kFastBits) continue;
      const int bits = prefix >> (kFastBits - length - size) & ((1 << size) - 1);
      const int value = bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
      if (value >= -128 && value <= 127) fastAc[prefix] = static_cast<std::int16_t>(value * 256 + run * 16 + length + size);
    }
    return defined = true;
  }
};

// The entropy-coded data of a scan, MSB first. 0xFF00 is a stuffed 0xFF; any other 0xFF pair is a
// marker, which ends the data: from there the reader yields zero bits, so damaged or truncated
// data decodes as flat blocks rather than failing.
class BitReader {
 public:
  BitReader(const std::uint8_t* at, const std::uint8_t* end) : next_(at), end_(end) {}

  // Tops the buffer up to at least 57 bits.
  void fill() {
    // Whole bytes at once while none of the next eight is 0xFF (a marker or a stuffed byte).
    if (end_ - next_ >= 8) {
      std::uint64_t word;
      std::memcpy(&word, next_, 8);
      if (!((~word - 0x0101010101010101u) & word & 0x8080808080808080u)) {
        const int bytes = (64 - count_) / 8;
        const std::uint64_t ahead = __builtin_bswap64(word) >> (64 - 8 * bytes);
        bits_ |= ahead << (64 - 8 * bytes - count_);
        count_ += 8 * bytes, next_ += bytes;
        return;
      }
    }
    while (count_ <= 56) {
      unsigned byte = 0;
      if (next_ < end_ && !atMarker_) {
        byte = *next_;
        if (byte != 0xFF) {
          ++next_;
        } else if (next_ + 1 < end_ && next_[1] == 0) {
          next_ += 2;
        } else {
          atMarker_ = true, byte = 0;
        }
      }
      bits_ |= static_cast<std::uint64_t>(byte) << (56 - count_);
      count_ += 8;
    }
  }
  int available() const { return count_; }
  unsigned peek(int n) const { return static_cast<unsigned>(bits_ >> (64 - n)); }  // 1 <= n <= 32
  void skip(int n) { bits_ <<= n, count_ -= n; }
  unsigned take(int n) {
    if (count_ < n) fill();
    const unsigned value = peek(n);
    skip(n);
    return value;
  }
  // An n-bit magnitude category read as the signed value it codes (ITU T.81 F.2.2.1).
  int takeSigned(int n) {
    const unsigned value = take(n);
    return value < 1u << (n - 1) ? static_cast<int>(value) - (1 << n) + 1 : static_cast<int>(value);
  }
  int symbol(const HuffmanTable& table) {
    if (count_ < 16) fill();
    const unsigned fast = table.fast[peek(kFastBits)];
    if (fast) {
      skip(static_cast<int>(fast >> 8));
      return fast & 0xFF;
    }
    for (int length = kFastBits + 1; length <= 16; ++length) {
      const int code = static_cast<int>(peek(length));
      if (code <= table.maxCode[length]) {
        skip(length);
        return table.symbols[code + table.offset[length]];
      }
    }
    skip(16);  // no such code: damaged data, read on as libjpeg does
    return 0;
  }
  // At a restart marker: drop what is left of the interval's bits and step over the marker, if it is one.
  void restart() {
    bits_ = 0, count_ = 0, atMarker_ = false;
    while (next_ + 1 < end_ && !(next_[0] == 0xFF && next_[1] != 0 && next_[1] != 0xFF)) ++next_;
    if (next_ + 1 < end_ && next_[1] >= 0xD0 && next_[1] <= 0xD7) next_ += 2;
  }
  const std::uint8_t* position() const { return next_; }

 private:
  const std::uint8_t* next_;
  const std::uint8_t* end_;
  std::uint64_t bits_ = 0;
  int count_ = 0;
  bool atMarker_ = false;
};

struct Component {
  int id = 0, h = 1, v = 1, quantTable = 0;
  int dcTable = 0, acTable = 0;         // the current scan's
  int blocksPerLine = 0, blockRows = 0;  // in whole MCUs
  int usedBlocksPerLine = 0, usedBlockRows = 0;  // those that hold picture: a lone component's scan covers only these
  int outWidth = 0, outHeight = 0;      // samples at output scale that hold picture
  int predictor = 0;
  bool scanned = false;
  float dequantise[64];                 // latched at the component's first scan, as libjpeg does
  std::vector<std::int16_t> coefficients;  // every block's, for files of several scans
  std::vector<std::uint8_t> plane;      // (blocksPerLine·m) × (blockRows·m) samples at output scale
  std::size_t stride = 0;

  std::int16_t* block(int x, int y) { return &coefficients[(static_cast<std::size_t>(y) * blocksPerLine + x) * 64]; }
  // Where block (x, y) goes at m/8 scale.
  std::uint8_t* samples(int x, int y, int m) { return &plane[static_cast<std::size_t>(y) * m * stride + x * m]; }
};

class Decoder {
 public:
  Decoder(const std::uint8_t* data, std::size_t size, int minWidth, int minHeight, const DecodeLimits& limits)
      : data_(data), size_(size), minWidth_(minWidth), minHeight_(minHeight), limits_(limits) {}

  Result<Image> run();

 private:
  bool fail(std::string reason) {
    if (!failure_) failure_ = damagedFileError(ImageFormat::Jpeg, reason);
    return false;
  }
  bool readFrame(const std::uint8_t* body, std::size_t length, int marker);
  bool readHuffmanTables(const std::uint8_t* body, std::size_t length);
  bool readQuantisationTables(const std::uint8_t* body, std::size_t length);
  bool readScan(const std::uint8_t* body, std::size_t length);
  bool startDecoding(bool severalScans);
  void decodeScanData(const std::vector<Component*>& scan, int ss, int se, int ah, int al);
  int decodeSequentialBlock(BitReader& in, Component& c, std::int16_t* block);
  void decodeProgressiveBlock(BitReader& in, Component& c, std::int16_t* block, int ss, int se, int ah, int al);
  void transformBuffered();
  Image toRgba();

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
  int minWidth_, minHeight_;
  const DecodeLimits& limits_;
  std::optional<Error> failure_;

  HuffmanTable dcTables_[4], acTables_[4];
  std::uint16_t quantisation_[4][64];
  bool quantisationDefined_[4] = {};
  int restartInterval_ = 0;
  bool sawJfif_ = false, sawAdobe_ = false;
  int adobeTransform_ = -1;

  bool frameSeen_ = false, progressive_ = false, buffered_ = false;
  int width_ = 0, height_ = 0, hMax_ = 1, vMax_ = 1, mcusPerLine_ = 0, mcuRows_ = 0, scale_ = 8, scans_ = 0;
  std::vector<Component> components_;
  int eobRun_ = 0;
};

Result<Image> Decoder::run() {
  if (size_ < 4 || data_[0] != 0xFF || data_[1] != 0xD8) {
    return Result<Image>::failure(damagedFileError(ImageFormat::Jpeg, "no start-of-image marker"));
  }
  at_ = 2;
  for (;;) {
    // Bytes between segments that are not a marker are skipped, as libjpeg skips them.
    while (at_ + 1 < size_ && !(data_[at_] == 0xFF && data_[at_ + 1] != 0 && data_[at_ + 1] != 0xFF)) ++at_;
    if (at_ + 1 >= size_) break;  // no end-of-image marker: a truncated file shows what it has
    const int marker = data_[at_ + 1];
    at_ += 2;
    if (marker == 0xD9) break;
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;  // markers without a segment
    if (at_ + 2 > size_) break;
    const std::size_t length = readBe16(data_ + at_);
    if (length < 2 || at_ + length > size_) {
      fail("a marker with a wrong length");
      break;
    }
    const std::uint8_t* body = data_ + at_ + 2;
    at_ += length;
    bool ok = true;
    if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
      ok = readFrame(body, length - 2, marker);
    } else if (marker == 0xC4) {
      ok = readHuffmanTables(body, length - 2);
    } else if (marker == 0xDB) {
      ok = readQuantisationTables(body, length - 2);
    } else if (marker == 0xDD) {
      ok = length == 4 ? (restartInterval_ = readBe16(body), true) : fail("a marker with a wrong length");
    } else if (marker == 0xDA) {
      ok = readScan(body, length - 2);
    } else if ((marker & 0xF0) == 0xC0 && marker != 0xC8) {  // lossless, hierarchical, arithmetic coding
      ok = fail("an unsupported JPEG process");
    } else if (marker == 0xE0 && length >= 7 && std::memcmp(body, "JFIF", 5) == 0) {
      sawJfif_ = true;
    } else if (marker == 0xEE && length >= 14 && std::memcmp(body, "Adobe", 5) == 0) {
      sawAdobe_ = true, adobeTransform_ = body[11];
    }
    if (!ok) break;
  }
  if (failure_) return Result<Image>::failure(*failure_);
  if (!scans_) return Result<Image>::failure(damagedFileError(ImageFormat::Jpeg, "no image data"));
  if (buffered_) transformBuffered();
  return Result<Image>::success(toRgba());
}

bool Decoder::readFrame(const std::uint8_t* body, std::size_t length, int marker) {
  if (frameSeen_) return fail("markers out of order");
  if (length < 6) return fail("a marker with a wrong length");
  if (body[0] != 8) return fail("an unsupported sample precision");
  height_ = readBe16(body + 1), width_ = readBe16(body + 3);
  const int count = body[5];
  if (length < 6 + 3u * count) return fail("a marker with a wrong length");
  if (width_ == 0 || height_ == 0) return fail("dimensions out of range");
  if (count != 1 && count != 3) return fail("bad colour components");
  frameSeen_ = true, progressive_ = marker == 0xC2;
  components_.resize(count);
  for (int i = 0; i < count; ++i) {
    Component& c = components_[i];
    const std::uint8_t* p = body + 6 + 3 * i;
    c.id = p[0], c.h = p[1] >> 4, c.v = p[1] & 15, c.quantTable = p[2];
    if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.quantTable > 3) return fail("bad colour components");
    hMax_ = std::max(hMax_, c.h), vMax_ = std::max(vMax_, c.v);
  }
  for (Component& c : components_) {
    // Chroma is enlarged by whole factors only, as in libjpeg (and so in every browser).
    if (hMax_ % c.h || vMax_ % c.v) return fail("bad colour components");
  }
  // The largest any JPEG may declare; whether this one needs the tighter limit is known at its
  // first scan, still before any pixel memory is allocated.
  if (auto tooLarge = pixelLimitError(width_, height_, limits_.maxSequentialJpegPixels)) {
    failure_ = tooLarge;
    return false;
  }
  return true;
}

bool Decoder::readHuffmanTables(const std::uint8_t* body, std::size_t length) {
  while (length > 0) {
    if (length < 17) return fail("a bad Huffman table");
    const int tableClass = body[0] >> 4, index = body[0] & 15;
    int total = 0;
    for (int i = 1; i <= 16; ++i) total += body[i];
    if (tableClass > 1 || index > 3 || total > 256 || length < 17u + total) return fail("a bad Huffman table");
    HuffmanTable& table = (tableClass ? acTables_ : dcTables_)[index];
    if (!table.build(body + 1, body + 17)) return fail("a bad Huffman table");
    body += 17 + total, length -= 17 + total;
  }
  return true;
}

bool Decoder::readQuantisationTables(const std::uint8_t* body, std::size_t length) {
  while (length > 0) {
    const int precision = body[0] >> 4, index = body[0] & 15;
    const std::size_t tableLength = 1 + 64 * (precision + 1u);
    if (precision > 1 || index > 3 || length < tableLength) return fail("a bad quantization table");
    for (int k = 0; k < 64; ++k) {
      quantisation_[index][kZigzagToNatural[k]] = precision ? readBe16(body + 1 + 2 * k) : body[1 + k];
    }
    quantisationDefined_[index] = true;
    body += tableLength, length -= tableLength;
  }
  return true;
}

bool Decoder::readScan(const std::uint8_t* body, std::size_t length) {
  if (!frameSeen_) return fail("markers out of order");
  const int count = length ? body[0] : 0;
  if (count < 1 || count > static_cast<int>(components_.size()) || length != 4u + 2 * count) {
    return fail("a marker with a wrong length");
  }
  std::vector<Component*> scan;
  for (int i = 0; i < count; ++i) {
    const std::uint8_t* p = body + 1 + 2 * i;
    auto found = std::find_if(components_.begin(), components_.end(), [&](const Component& c) { return c.id == p[0]; });
    if (found == components_.end() || std::find(scan.begin(), scan.end(), &*found) != scan.end()) {
      return fail("bad colour components");
    }
    found->dcTable = p[1] >> 4, found->acTable = p[1] & 15;
    if (found->dcTable > 3 || found->acTable > 3) return fail("a bad Huffman table");
    scan.push_back(&*found);
  }
  const std::uint8_t* p = body + 1 + 2 * count;
  const int ss = p[0], se = p[1], ah = p[2] >> 4, al = p[2] & 15;
  if (progressive_) {
    const bool dc = ss == 0;
    if (se > 63 || ss > se || (dc && se != 0) || (!dc && count != 1) || al > 13 || (ah && ah != al + 1)) {
      return fail("a bad progressive scan");
    }
  }
  for (Component* c : scan) {
    const bool needsDc = !progressive_ || (ss == 0 && ah == 0);
    const bool needsAc = !progressive_ || ss > 0;
    if ((needsDc && !dcTables_[c->dcTable].defined) || (needsAc && !acTables_[c->acTable].defined)) {
      return fail("a bad Huffman table");
    }
  }
  if (++scans_ > kMaxScans) return fail("more than " + std::to_string(kMaxScans) + " progressive scans");
  if (scans_ == 1 && !startDecoding(progressive_ || count < static_cast<int>(components_.size()))) return false;
  if (!buffered_ && scans_ > 1) return true;  // a single-scan file's data is all decoded: ignore repeats
  for (Component* c : scan) {
    if (c->scanned) continue;
    if (!quantisationDefined_[c->quantTable]) return fail("a bad quantization table");
    for (int i = 0; i < 64; ++i) c->dequantise[i] = quantisation_[c->quantTable][i];
    c->scanned = true;
  }
  decodeScanData(scan, ss, se, ah, al);
  return true;
}

// At the first scan: the scale, the limits that apply, and the memory.
bool Decoder::startDecoding(bool severalScans) {
  // Several scans mean holding every coefficient of the full size; a single scan streams, so then
  // only the output must fit.
  if (severalScans) {
    if (auto tooLarge = pixelLimitError(width_, height_, limits_.maxPixels)) {
      failure_ = tooLarge;
      return false;
    }
  }
  buffered_ = severalScans;
  scale_ = jpegScaleNumerator(width_, height_, minWidth_, minHeight_);
  const int outWidth = (width_ * scale_ + 7) / 8, outHeight = (height_ * scale_ + 7) / 8;
  if (static_cast<std::uint64_t>(outWidth) * outHeight > limits_.maxPixels) {
    // When the caller asked for less than the full size (an upload), a smaller request would be
    // decoded at a smaller scale, and the message says how to make one.
    failure_ = pixelLimitError(width_, height_, limits_.maxPixels);
    if (minWidth_ < width_ && minHeight_ < height_) {
      failure_->message += " A smaller Longest side lets it through: it is then decoded at reduced scale.";
    }
    return false;
  }
  mcusPerLine_ = (width_ + 8 * hMax_ - 1) / (8 * hMax_);
  mcuRows_ = (height_ + 8 * vMax_ - 1) / (8 * vMax_);
  for (Component& c : components_) {
    c.blocksPerLine = mcusPerLine_ * c.h, c.blockRows = mcuRows_ * c.v;
    const long long width = (static_cast<long long>(width_) * c.h + hMax_ - 1) / hMax_;
    const long long height = (static_cast<long long>(height_) * c.v + vMax_ - 1) / vMax_;
    c.usedBlocksPerLine = static_cast<int>((width + 7) / 8), c.usedBlockRows = static_cast<int>((height + 7) / 8);
    c.outWidth = static_cast<int>((width_ * static_cast<long long>(c.h) * scale_ + 8 * hMax_ - 1) / (8 * hMax_));
    c.outHeight = static_cast<int>((height_ * static_cast<long long>(c.v) * scale_ + 8 * vMax_ - 1) / (8 * vMax_));
    c.stride = static_cast<std::size_t>(c.blocksPerLine) * scale_;
    c.plane.assign(c.stride * c.blockRows * scale_, 0);
    if (buffered_) c.coefficients.assign(static_cast<std::size_t>(c.blocksPerLine) * c.blockRows * 64, 0);
  }
  return true;
}

// Decodes one block's quantised coefficients into `block` (all zeros before) and returns the
// highest zigzag position it wrote.
int Decoder::decodeSequentialBlock(BitReader& in, Component& c, std::int16_t* block) {
  int size = in.symbol(dcTables_[c.dcTable]) & 15;
  const int difference = size ? in.takeSigned(size) : 0;
  c.predictor = static_cast<std::int16_t>(c.predictor + difference);  // wraps on damaged data, as int16
  block[0] = static_cast<std::int16_t>(c.predictor);
  int last = 0;
  const HuffmanTable& ac = acTables_[c.acTable];
  for (int k = 1; k < 64; ++k) {
    if (in.available() < kFastBits) in.fill();
    if (const int fast = ac.fastAc[in.peek(kFastBits)]) {
      in.skip(fast & 15);
      k += fast >> 4 & 15;
      block[kZigzagToNatural[k]] = static_cast<std::int16_t>(fast >> 8);  // arithmetic: the value is signed
      last = std::min(k, 63);
      continue;
    }
    const int runAndSize = in.symbol(ac);
    size = runAndSize & 15;
    const int run = runAndSize >> 4;
    if (!size) {
      if (run != 15) break;  // end of block
      k += 15;               // sixteen zeros
      continue;
    }
    k += run;
    block[kZigzagToNatural[k]] = static_cast<std::int16_t>(in.takeSigned(size));
    last = std::min(k, 63);
  }
  return last;
}

// One block's part of a progressive scan (ITU T.81 G.1.2), libjpeg's way.
void Decoder::decodeProgressiveBlock(BitReader& in, Component& c, std::int16_t* block, int ss, int se, int ah,
                                     int al) {
  if (ss == 0) {
    if (ah == 0) {
      const int size = in.symbol(dcTables_[c.dcTable]) & 15;
      c.predictor = static_cast<std::int16_t>(c.predictor + (size ? in.takeSigned(size) : 0));
      block[0] = static_cast<std::int16_t>(c.predictor * (1 << al));
    } else if (in.take(1)) {
      block[0] = static_cast<std::int16_t>(block[0] | 1 << al);
    }
    return;
  }
  const HuffmanTable& ac = acTables_[c.acTable];
  if (ah == 0) {  // first pass over a band
    if (eobRun_ > 0) {
      --eobRun_;
      return;
    }
    for (int k = ss; k <= se; ++k) {
      const int runAndSize = in.symbol(ac), run = runAndSize >> 4, size = runAndSize & 15;
      if (!size) {
        if (run < 15) {
          eobRun_ = (1 << run) - 1 + (run ? static_cast<int>(in.take(run)) : 0);
          break;
        }
        k += 15;
        continue;
      }
      k += run;
      block[kZigzagToNatural[k]] = static_cast<std::int16_t>(in.takeSigned(size) * (1 << al));
    }
    return;
  }
  // Refinement: one more bit of every coefficient already non-zero, and new ones of magnitude 1.
  const int plus = 1 << al, minus = -1 * (1 << al);
  const auto refine = [&](std::int16_t& coefficient) {
    if (in.take(1) && !(coefficient & plus)) coefficient = static_cast<std::int16_t>(coefficient + (coefficient >= 0 ? plus : minus));
  };
  int k = ss;
  if (eobRun_ == 0) {
    for (; k <= se; ++k) {
      const int runAndSize = in.symbol(ac);
      int run = runAndSize >> 4, value = 0;
      if (runAndSize & 15) {
        value = in.take(1) ? plus : minus;  // damaged data may code sizes other than 1: libjpeg reads them as 1
      } else if (run < 15) {
        eobRun_ = (1 << run) + (run ? static_cast<int>(in.take(run)) : 0);
        break;
      }
      // Past `run` zero coefficients (refining the non-zero ones on the way) to where the new one goes.
      for (; k <= se; ++k) {
        std::int16_t& coefficient = block[kZigzagToNatural[k]];
        if (coefficient) {
          refine(coefficient);
        } else if (--run < 0) {
          break;
        }
      }
      if (value) block[kZigzagToNatural[k]] = static_cast<std::int16_t>(value);
    }
  }
  if (eobRun_ > 0) {
    for (; k <= se; ++k) {
      std::int16_t& coefficient = block[kZigzagToNatural[k]];
      if (coefficient) refine(coefficient);
    }
    --eobRun_;
  }
}

void Decoder::decodeScanData(const std::vector<Component*>& scan, int ss, int se, int ah, int al) {
  BitReader in(data_ + at_, data_ + size_);
  for (Component* c : scan) c->predictor = 0;
  eobRun_ = 0;
  const int m = scale_;
  const InverseTransform transform = kInverseTransforms[m];
  std::int16_t streamed[64] = {};
  // A scan of one component covers just its blocks that hold picture, one block per MCU; a scan of
  // several covers whole MCUs, each with h×v blocks of each component.
  const bool single = scan.size() == 1;
  const int across = single ? scan[0]->usedBlocksPerLine : mcusPerLine_;
  const int down = single ? scan[0]->usedBlockRows : mcuRows_;
  int untilRestart = restartInterval_;
  for (int mcuY = 0; mcuY < down; ++mcuY) {
    for (int mcuX = 0; mcuX < across; ++mcuX) {
      if (restartInterval_) {
        if (untilRestart == 0) {
          in.restart();
          for (Component* c : scan) c->predictor = 0;
          eobRun_ = 0, untilRestart = restartInterval_;
        }
        --untilRestart;
      }
      for (Component* c : scan) {
        const int h = single ? 1 : c->h, v = single ? 1 : c->v;
        for (int by = 0; by < v; ++by) {
          for (int bx = 0; bx < h; ++bx) {
            const int x = mcuX * h + bx, y = mcuY * v + by;
            if (progressive_) {
              decodeProgressiveBlock(in, *c, c->block(x, y), ss, se, ah, al);
            } else if (buffered_) {
              decodeSequentialBlock(in, *c, c->block(x, y));
            } else {
              const int last = decodeSequentialBlock(in, *c, streamed);
              transform(streamed, c->dequantise, m, last, c->samples(x, y, m), c->stride);
              for (int k = 0; k <= last; ++k) streamed[kZigzagToNatural[k]] = 0;
            }
          }
        }
      }
    }
  }
  at_ = static_cast<std::size_t>(in.position() - data_);
}

void Decoder::transformBuffered() {
  const int m = scale_;
  const InverseTransform transform = kInverseTransforms[m];
  for (Component& c : components_) {
    for (int y = 0; y < c.blockRows; ++y) {
      for (int x = 0; x < c.blocksPerLine; ++x) {
        transform(c.block(x, y), c.dequantise, m, 63, c.samples(x, y, m), c.stride);
      }
    }
    std::vector<std::int16_t>().swap(c.coefficients);
  }
}

// Fancy upsampling by 2 across (libjpeg's h2v1_fancy_upsample): each output sample is 3/4 of the
// nearer input sample and 1/4 of the further, with libjpeg's alternating rounding.
void upsampleAcross(const std::uint8_t* in, int width, std::uint8_t* out) {
  out[0] = in[0];
  out[1] = static_cast<std::uint8_t>((in[0] * 3 + in[1] + 2) >> 2);
  for (int x = 1; x < width - 1; ++x) {
    const int nearer = in[x] * 3;
    out[2 * x] = static_cast<std::uint8_t>((nearer + in[x - 1] + 1) >> 2);
    out[2 * x + 1] = static_cast<std::uint8_t>((nearer + in[x + 1] + 2) >> 2);
  }
  out[2 * width - 2] = static_cast<std::uint8_t>((in[width - 1] * 3 + in[width - 2] + 1) >> 2);
  out[2 * width - 1] = in[width - 1];
}

// Fancy upsampling by 2 both ways (libjpeg's h2v2_fancy_upsample), for one output row: `nearer` is
// the input row it lies in, `further` the one above or below; 9/16, 3/16, 3/16, 1/16 overall.
void upsampleBoth(const std::uint8_t* nearer, const std::uint8_t* further, int width, std::uint8_t* out) {
  int previous = nearer[0] * 3 + further[0], current = previous;
  for (int x = 0; x < width; ++x) {
    const int next = x + 1 < width ? nearer[x + 1] * 3 + further[x + 1] : current;
    out[2 * x] = static_cast<std::uint8_t>((current * 3 + previous + 8) >> 4);
    out[2 * x + 1] = static_cast<std::uint8_t>((current * 3 + next + 7) >> 4);
    previous = current, current = next;
  }
}

Image Decoder::toRgba() {
  const int width = (width_ * scale_ + 7) / 8, height = (height_ * scale_ + 7) / 8;
  Image image(width, height);
  const int count = static_cast<int>(components_.size());
  // Three components are YCbCr unless the file says RGB: an Adobe marker's transform 0, or without
  // JFIF or Adobe markers the component ids 'R', 'G', 'B' (libjpeg's rules).
  const bool rgb = count == 3 && !sawJfif_ &&
                   (sawAdobe_ ? adobeTransform_ == 0
                              : components_[0].id == 'R' && components_[1].id == 'G' && components_[2].id == 'B');
  std::vector<std::uint8_t> upsampled[3];
  const std::uint8_t* rows[3] = {};
  for (int y = 0; y < height; ++y) {
    for (int i = 0; i < count; ++i) {
      Component& c = components_[i];
      const int across = hMax_ / c.h, down = vMax_ / c.v;
      const std::uint8_t* row = &c.plane[static_cast<std::size_t>(std::min(y / down, c.outHeight - 1)) * c.stride];
      if (across == 1 && down == 1) {
        rows[i] = row;
        continue;
      }
      std::vector<std::uint8_t>& out = upsampled[i];
      out.resize(static_cast<std::size_t>(c.outWidth) * across + across);
      // libjpeg's fancy upsamplers where it has them (for 2× across, only past 2 samples), else copies.
      if (down == 2 && (across == 1 || (across == 2 && c.outWidth > 2))) {
        const std::uint8_t* nearer = &c.plane[std::min(y / 2, c.outHeight - 1) * c.stride];
        const std::uint8_t* further = &c.plane[std::clamp(y / 2 + (y % 2 ? 1 : -1), 0, c.outHeight - 1) * c.stride];
        if (across == 2) {
          upsampleBoth(nearer, further, c.outWidth, out.data());
        } else {
          const int bias = y % 2 ? 2 : 1;
          for (int x = 0; x < c.outWidth; ++x) out[x] = static_cast<std::uint8_t>((nearer[x] * 3 + further[x] + bias) >> 2);
        }
      } else if (down == 1 && across == 2 && c.outWidth > 2) {
        upsampleAcross(row, c.outWidth, out.data());
      } else {
        for (int x = 0; x < c.outWidth * across; ++x) out[x] = row[x / across];
      }
      rows[i] = out.data();
    }
    std::uint8_t* p = image.pixel(0, y);
    if (count == 1) {
      for (int x = 0; x < width; ++x, p += 4) p[0] = p[1] = p[2] = rows[0][x], p[3] = 255;
    } else if (rgb) {
      for (int x = 0; x < width; ++x, p += 4) p[0] = rows[0][x], p[1] = rows[1][x], p[2] = rows[2][x], p[3] = 255;
    } else {
      const Tables& t = tables();
      const std::uint8_t* clamp = t.clamp + 256;
      for (int x = 0; x < width; ++x, p += 4) {
        const int luma = rows[0][x], cb = rows[1][x], cr = rows[2][x];
        p[0] = clamp[luma + t.redFromCr[cr]];
        p[1] = clamp[luma + ((t.greenFromCb[cb] + t.greenFromCr[cr]) >> 16)];
        p[2] = clamp[luma + t.blueFromCb[cb]];
        p[3] = 255;
      }
    }
  }
  return image;
}

}  // namespace

Result<Image> decodeJpegScaled(const std::uint8_t* data, std::size_t size, int minWidth, int minHeight,
                               const DecodeLimits& limits) {
  return Decoder(data, size, minWidth, minHeight, limits).run();
}

}  // namespace dg
