#include "core/jpeg_encoder.hpp"

#include <algorithm>

#include "core/jpeg_zigzag.hpp"

namespace dg {
namespace {

// Annex K's quantisation tables, row-major. They are quality 50; other qualities scale them.
constexpr std::uint8_t kLuminanceQuantisers[64] = {
    16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
    14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
    18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
constexpr std::uint8_t kChrominanceQuantisers[64] = {
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99,
    99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

// Annex K's Huffman tables as a DHT segment carries them: how many codes have each length 1..16,
// then the symbols in code order.
constexpr std::uint8_t kLuminanceDc[16 + 12] = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
                                                0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
constexpr std::uint8_t kChrominanceDc[16 + 12] = {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0,
                                                  0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
constexpr std::uint8_t kLuminanceAc[16 + 162] = {
    0,    2,    1,    3,    3,    2,    4,    3,    5,    5,    4,    4,    0,    0,    1,    0x7d,
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
    0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa};
constexpr std::uint8_t kChrominanceAc[16 + 162] = {
    0,    2,    1,    2,    4,    4,    3,    4,    7,    5,    4,    4,    0,    1,    2,    0x77,
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
    0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
    0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
    0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa};

struct HuffmanCodes {
  std::uint16_t code[256] = {};
  std::uint8_t length[256] = {};
};

// Canonical codes: within each length in symbol order, each length's first code following on
// from the previous length's last.
HuffmanCodes huffmanCodes(const std::uint8_t* table) {
  HuffmanCodes codes;
  unsigned code = 0;
  const std::uint8_t* symbol = table + 16;
  for (int length = 1; length <= 16; ++length, code <<= 1) {
    for (int i = 0; i < table[length - 1]; ++i, ++symbol, ++code) {
      codes.code[*symbol] = static_cast<std::uint16_t>(code);
      codes.length[*symbol] = static_cast<std::uint8_t>(length);
    }
  }
  return codes;
}

// libjpeg's quality scale (jpeg_set_quality with force_baseline): 50 is Annex K's tables, 100
// all ones, below 50 steeply coarser.
void scaleQuantisers(const std::uint8_t* annexK, int quality, std::uint8_t* zigzagOut) {
  quality = std::clamp(quality, 1, 100);
  const long scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  for (int k = 0; k < 64; ++k) {
    zigzagOut[k] = static_cast<std::uint8_t>(std::clamp((annexK[kZigzagToNatural[k]] * scale + 50) / 100, 1L, 255L));
  }
}

// Divides DCT outputs by 8× their quantiser (the DCT's outputs are 8 times the coefficients),
// rounding halves away from zero as libjpeg does, with a multiply instead of a division:
// floor(n·ceil(2^40/d) / 2^40) equals floor(n/d) while n·d < 2^40, and n stays below 2^17.
struct Quantiser {
  std::uint64_t reciprocal[64];  // zigzag order
  std::uint32_t half[64];
};

Quantiser quantiser(const std::uint8_t* zigzagQuantisers) {
  Quantiser q{};
  for (int k = 0; k < 64; ++k) {
    const std::uint64_t divisor = zigzagQuantisers[k] * 8u;
    q.reciprocal[k] = ((std::uint64_t{1} << 40) + divisor - 1) / divisor;
    q.half[k] = static_cast<std::uint32_t>(divisor / 2);
  }
  return q;
}

// Fixed-point colour conversion with 16 fraction bits, libjpeg's constants and rounding (jccolor.c).
constexpr std::int32_t fix(double x) { return static_cast<std::int32_t>(x * 65536 + 0.5); }
constexpr std::int32_t kYr = fix(0.29900), kYg = fix(0.58700), kYb = fix(0.11400);
constexpr std::int32_t kCbR = fix(0.16874), kCbG = fix(0.33126), kCrG = fix(0.41869), kCrB = fix(0.08131);
constexpr std::int32_t kHalf = fix(0.5);
// Chroma rounds with a half minus one so that 255 never rounds up to 256.
constexpr std::int32_t kChromaBias = (128 << 16) + kHalf - 1;

// The accurate integer DCT of libjpeg (jfdctint.c: Loeffler, Ligtenberg and Moschytz, 13-bit
// constants, two extra bits between the passes). Its outputs are 8 times the coefficients.
constexpr int kConstBits = 13, kPass1Bits = 2;
constexpr std::int32_t descale(std::int32_t x, int bits) { return (x + (1 << (bits - 1))) >> bits; }

// One pass over a row (Step 1) or a column (Step 8). The first pass keeps two extra bits
// (kPass1Bits), which the second takes off.
template <int Step, bool FirstPass>
inline void dct1d(std::int32_t* d, std::int32_t d0, std::int32_t d1, std::int32_t d2, std::int32_t d3,
                  std::int32_t d4, std::int32_t d5, std::int32_t d6, std::int32_t d7) {
  constexpr int shift = FirstPass ? kConstBits - kPass1Bits : kConstBits + kPass1Bits;
  const std::int32_t tmp0 = d0 + d7, tmp7 = d0 - d7, tmp1 = d1 + d6, tmp6 = d1 - d6;
  const std::int32_t tmp2 = d2 + d5, tmp5 = d2 - d5, tmp3 = d3 + d4, tmp4 = d3 - d4;
  const std::int32_t tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
  if constexpr (FirstPass) {
    d[0] = (tmp10 + tmp11) * (1 << kPass1Bits);
    d[4 * Step] = (tmp10 - tmp11) * (1 << kPass1Bits);
  } else {
    d[0] = descale(tmp10 + tmp11, kPass1Bits);
    d[4 * Step] = descale(tmp10 - tmp11, kPass1Bits);
  }
  const std::int32_t z1 = (tmp12 + tmp13) * 4433;
  d[2 * Step] = descale(z1 + tmp13 * 6270, shift);
  d[6 * Step] = descale(z1 - tmp12 * 15137, shift);
  const std::int32_t z5 = (tmp4 + tmp6 + tmp5 + tmp7) * 9633;
  const std::int32_t o1 = (tmp4 + tmp7) * -7373, o2 = (tmp5 + tmp6) * -20995;
  const std::int32_t o3 = (tmp4 + tmp6) * -16069 + z5, o4 = (tmp5 + tmp7) * -3196 + z5;
  d[7 * Step] = descale(tmp4 * 2446 + o1 + o3, shift);
  d[5 * Step] = descale(tmp5 * 16819 + o2 + o4, shift);
  d[3 * Step] = descale(tmp6 * 25172 + o2 + o3, shift);
  d[1 * Step] = descale(tmp7 * 12299 + o1 + o4, shift);
}

void forwardDct(const std::uint8_t* samples, std::size_t stride, std::int32_t* out) {
  for (int row = 0; row < 8; ++row, samples += stride) {
    const std::uint8_t* s = samples;
    dct1d<1, true>(out + row * 8, s[0] - 128, s[1] - 128, s[2] - 128, s[3] - 128, s[4] - 128, s[5] - 128,
                   s[6] - 128, s[7] - 128);
  }
  for (int column = 0; column < 8; ++column) {
    std::int32_t* c = out + column;
    dct1d<8, false>(c, c[0], c[8], c[16], c[24], c[32], c[40], c[48], c[56]);
  }
}

// Entropy-coded bytes: bits gather in a 64-bit word and leave 32 at a time, each 0xFF byte
// followed by the 0x00 that tells it from a marker.
class BitWriter {
 public:
  explicit BitWriter(std::vector<std::uint8_t>& out) : out_(out), size_(out.size()) {}

  // Room for one MCU however it codes: 6 blocks of at most 64 × 27 bits, every byte stuffed.
  void reserveMcu() {
    if (out_.size() - size_ < 6 * 64 * 27 / 4 + 16) out_.resize(out_.size() * 2 + 8192);
  }

  void put(std::uint32_t value, int length) {  // length ≤ 27; value has no bits above it
    bits_ = bits_ << length | value;
    pending_ += length;
    if (pending_ >= 32) {
      pending_ -= 32;
      putWord(static_cast<std::uint32_t>(bits_ >> pending_));
    }
  }

  // Pads the last byte with ones, as the standard asks, and trims the buffer to what was written.
  void finish() {
    if (pending_ % 8) put((1u << (8 - pending_ % 8)) - 1, 8 - pending_ % 8);
    while (pending_ > 0) {
      pending_ -= 8;
      putByte(static_cast<std::uint8_t>(bits_ >> pending_));
    }
    out_.resize(size_);
  }

 private:
  void putByte(std::uint8_t byte) {
    out_[size_++] = byte;
    if (byte == 0xFF) out_[size_++] = 0;
  }
  void putWord(std::uint32_t word) {
    if (((~word - 0x01010101u) & word & 0x80808080u) == 0) {  // no 0xFF byte: the common case
      std::uint8_t* p = out_.data() + size_;
      p[0] = static_cast<std::uint8_t>(word >> 24);
      p[1] = static_cast<std::uint8_t>(word >> 16);
      p[2] = static_cast<std::uint8_t>(word >> 8);
      p[3] = static_cast<std::uint8_t>(word);
      size_ += 4;
      return;
    }
    for (int shift = 24; shift >= 0; shift -= 8) putByte(static_cast<std::uint8_t>(word >> shift));
  }

  std::vector<std::uint8_t>& out_;
  std::size_t size_;
  std::uint64_t bits_ = 0;
  int pending_ = 0;
};

inline int bitLength(std::uint32_t magnitude) { return magnitude ? 32 - __builtin_clz(magnitude) : 0; }

struct Component {
  const Quantiser* quantiser;
  const HuffmanCodes* dc;
  const HuffmanCodes* ac;
  std::int32_t previousDc = 0;
};

// Transforms, quantises and codes one 8×8 block of samples.
void encodeBlock(const std::uint8_t* samples, std::size_t stride, Component& component, BitWriter& bits) {
  std::int32_t dct[64];
  forwardDct(samples, stride, dct);
  const Quantiser& q = *component.quantiser;
  std::int32_t zigzag[64];
  std::uint64_t nonzero = 0;  // bit k: zigzag coefficient k is not zero
  for (int k = 0; k < 64; ++k) {
    const std::int32_t value = dct[kZigzagToNatural[k]];
    const std::int32_t sign = value >> 31;
    const auto magnitude = static_cast<std::uint32_t>((value ^ sign) - sign);
    const auto quantised = static_cast<std::int32_t>(((magnitude + q.half[k]) * q.reciprocal[k]) >> 40);
    zigzag[k] = (quantised ^ sign) - sign;
    nonzero |= static_cast<std::uint64_t>(quantised != 0) << k;
  }

  // A value codes as its bit length (the Huffman symbol) then its low bits, one less if negative.
  auto put = [&](const HuffmanCodes& codes, int runLength, std::int32_t value) {
    const std::int32_t sign = value >> 31;
    const int length = bitLength(static_cast<std::uint32_t>((value ^ sign) - sign));
    const int symbol = runLength << 4 | length;
    const std::uint32_t low = static_cast<std::uint32_t>(value + sign) & ((1u << length) - 1);
    bits.put(static_cast<std::uint32_t>(codes.code[symbol]) << length | low, codes.length[symbol] + length);
  };
  put(*component.dc, 0, zigzag[0] - component.previousDc);
  component.previousDc = zigzag[0];

  const HuffmanCodes& ac = *component.ac;
  int next = 1;  // the zigzag position after the last coefficient coded
  for (std::uint64_t rest = nonzero >> 1; rest != 0;) {
    int run = __builtin_ctzll(rest);
    rest >>= run;
    rest >>= 1;
    next += run;
    for (; run > 15; run -= 16) bits.put(ac.code[0xF0], ac.length[0xF0]);  // sixteen zeros
    put(ac, run, zigzag[next]);
    ++next;
  }
  if (next < 64) bits.put(ac.code[0x00], ac.length[0x00]);  // end of block
}

// A block past the image's edge that fills out an MCU: libjpeg repeats the previous DC and leaves
// every AC zero, which codes as a zero DC difference and an end of block.
void encodePaddingBlock(const Component& component, BitWriter& bits) {
  bits.put(component.dc->code[0], component.dc->length[0]);
  bits.put(component.ac->code[0], component.ac->length[0]);
}

void putMarkerSegment(std::vector<std::uint8_t>& out, std::uint8_t marker, std::initializer_list<int> head,
                      const std::uint8_t* body = nullptr, std::size_t bodySize = 0) {
  const std::size_t length = 2 + head.size() + bodySize;
  out.insert(out.end(), {0xFF, marker, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)});
  for (int byte : head) out.push_back(static_cast<std::uint8_t>(byte));
  out.insert(out.end(), body, body + bodySize);
}

}  // namespace

std::optional<std::vector<std::uint8_t>> encodeBaselineJpeg(const Image& opaque, int quality) {
  const int width = opaque.width, height = opaque.height;
  if (width < 1 || height < 1 || width > kMaxJpegSide || height > kMaxJpegSide) return std::nullopt;

  std::uint8_t quantisers[2][64];
  scaleQuantisers(kLuminanceQuantisers, quality, quantisers[0]);
  scaleQuantisers(kChrominanceQuantisers, quality, quantisers[1]);
  const Quantiser luminanceQuantiser = quantiser(quantisers[0]), chrominanceQuantiser = quantiser(quantisers[1]);
  const HuffmanCodes luminanceDc = huffmanCodes(kLuminanceDc), luminanceAc = huffmanCodes(kLuminanceAc);
  const HuffmanCodes chrominanceDc = huffmanCodes(kChrominanceDc), chrominanceAc = huffmanCodes(kChrominanceAc);

  std::vector<std::uint8_t> out = {0xFF, 0xD8};  // SOI
  putMarkerSegment(out, 0xE0, {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});  // JFIF 1.01, 1:1 pixels
  putMarkerSegment(out, 0xDB, {0}, quantisers[0], 64);
  putMarkerSegment(out, 0xDB, {1}, quantisers[1], 64);
  putMarkerSegment(out, 0xC0, {8, height >> 8, height & 0xFF, width >> 8, width & 0xFF, 3,  // SOF0
                               1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});  // Y 2×2 with table 0; Cb, Cr 1×1, table 1
  putMarkerSegment(out, 0xC4, {0x00}, kLuminanceDc, sizeof kLuminanceDc);
  putMarkerSegment(out, 0xC4, {0x10}, kLuminanceAc, sizeof kLuminanceAc);
  putMarkerSegment(out, 0xC4, {0x01}, kChrominanceDc, sizeof kChrominanceDc);
  putMarkerSegment(out, 0xC4, {0x11}, kChrominanceAc, sizeof kChrominanceAc);
  putMarkerSegment(out, 0xDA, {3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0});  // SOS: all three, full spectrum

  Component y{&luminanceQuantiser, &luminanceDc, &luminanceAc};
  Component cb{&chrominanceQuantiser, &chrominanceDc, &chrominanceAc};
  Component cr = cb;

  // One MCU row at a time: 16 rows of Y and 8 of each chroma, as wide as the MCUs. Past the
  // image's right and bottom edges the last column and row repeat (libjpeg's edge expansion).
  const int mcuColumns = (width + 15) / 16, mcuRows = (height + 15) / 16;
  const int lumaBlockColumns = (width + 7) / 8, lumaBlockRows = (height + 7) / 8;
  const std::size_t lumaStride = static_cast<std::size_t>(mcuColumns) * 16, chromaStride = lumaStride / 2;
  std::vector<std::uint8_t> planes(lumaStride * 16 + chromaStride * 16);
  std::uint8_t* const luma = planes.data();
  std::uint8_t* const blue = luma + lumaStride * 16;
  std::uint8_t* const red = blue + chromaStride * 8;

  BitWriter bits(out);
  const int fullPairs = width / 2;
  for (int mcuRow = 0; mcuRow < mcuRows; ++mcuRow) {
    for (int pair = 0; pair < 8; ++pair) {
      const int top = mcuRow * 16 + 2 * pair;
      std::uint8_t* const lumaTop = luma + lumaStride * 2 * pair;
      std::uint8_t* const lumaBottom = lumaTop + lumaStride;
      std::uint8_t* const blueRow = blue + chromaStride * pair;
      std::uint8_t* const redRow = red + chromaStride * pair;
      if (top >= height) {  // below the image: the last rows again
        std::copy_n(lumaTop - lumaStride, lumaStride, lumaTop);
        std::copy_n(lumaTop - lumaStride, lumaStride, lumaBottom);
        std::copy_n(blueRow - chromaStride, chromaStride, blueRow);
        std::copy_n(redRow - chromaStride, chromaStride, redRow);
        continue;
      }
      const std::uint8_t* const rowA = opaque.pixel(0, top);
      const std::uint8_t* const rowB = opaque.pixel(0, std::min(top + 1, height - 1));
      // Y for the four pixels of a 2×2 square; Cb and Cr their mean, rounded up on odd columns
      // (libjpeg's alternating bias of 1 and 2).
      auto convert = [&](int column, int left, int right) {
        const std::uint8_t* pixels[4] = {rowA + left * 4, rowA + right * 4, rowB + left * 4, rowB + right * 4};
        std::int32_t blueSum = 0, redSum = 0, lumaOf[4];
        for (int i = 0; i < 4; ++i) {
          const std::int32_t r = pixels[i][0], g = pixels[i][1], b = pixels[i][2];
          lumaOf[i] = (kYr * r + kYg * g + kYb * b + kHalf) >> 16;
          blueSum += (kHalf * b - kCbR * r - kCbG * g + kChromaBias) >> 16;
          redSum += (kHalf * r - kCrG * g - kCrB * b + kChromaBias) >> 16;
        }
        lumaTop[2 * column] = static_cast<std::uint8_t>(lumaOf[0]);
        lumaTop[2 * column + 1] = static_cast<std::uint8_t>(lumaOf[1]);
        lumaBottom[2 * column] = static_cast<std::uint8_t>(lumaOf[2]);
        lumaBottom[2 * column + 1] = static_cast<std::uint8_t>(lumaOf[3]);
        const int bias = 1 + (column & 1);
        blueRow[column] = static_cast<std::uint8_t>((blueSum + bias) >> 2);
        redRow[column] = static_cast<std::uint8_t>((redSum + bias) >> 2);
      };
      int column = 0;
      for (; column < fullPairs; ++column) convert(column, 2 * column, 2 * column + 1);
      for (; column < static_cast<int>(chromaStride); ++column) {
        convert(column, std::min(2 * column, width - 1), std::min(2 * column + 1, width - 1));
      }
    }

    for (int mcuColumn = 0; mcuColumn < mcuColumns; ++mcuColumn) {
      bits.reserveMcu();
      for (int blockRow = 0; blockRow < 2; ++blockRow) {
        for (int blockColumn = 0; blockColumn < 2; ++blockColumn) {
          if (mcuColumn * 2 + blockColumn < lumaBlockColumns && mcuRow * 2 + blockRow < lumaBlockRows) {
            encodeBlock(luma + lumaStride * 8 * blockRow + mcuColumn * 16 + blockColumn * 8, lumaStride, y, bits);
          } else {
            encodePaddingBlock(y, bits);
          }
        }
      }
      encodeBlock(blue + mcuColumn * 8, chromaStride, cb, bits);
      encodeBlock(red + mcuColumn * 8, chromaStride, cr, bits);
    }
  }
  bits.finish();
  out.insert(out.end(), {0xFF, 0xD9});  // EOI
  return out;
}

}  // namespace dg
