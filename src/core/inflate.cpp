#include "core/inflate.hpp"

#include <algorithm>
#include <cstring>

namespace dg {
namespace {

// A decoding table entry: what a code means, and how many bits it takes.
//   bits 0-7   bits to drop: the code's whole length (a subtable link's are never dropped)
//   bits 8-11  extra bits that follow the code (lengths and distances)
//   bits 12-14 kind
//   bits 16-31 value: the literal byte, the length or distance before its extra bits, the
//              subtable's first entry
enum Kind : std::uint32_t { kLiteral, kLength, kEndOfBlock, kDistance, kSubtable, kInvalid };

constexpr std::uint32_t entry(Kind kind, std::uint32_t value = 0, std::uint32_t extra = 0) {
  return value << 16 | static_cast<std::uint32_t>(kind) << 12 | extra << 8;
}
constexpr Kind kindOf(std::uint32_t e) { return static_cast<Kind>(e >> 12 & 7); }
constexpr std::uint32_t valueOf(std::uint32_t e) { return e >> 16; }
constexpr int extraOf(std::uint32_t e) { return e >> 8 & 15; }
constexpr int bitsOf(std::uint32_t e) { return e & 0xFF; }

constexpr int kMaxCodeLength = 15;
constexpr int kLiteralLengthBits = 10, kDistanceBits = 8, kCodeLengthBits = 7;  // primary tables

// Canonical Huffman codes from code lengths (RFC 1951, 3.2.2), as a primary table indexed by the
// next primaryBits input bits and, for longer codes, subtables of 2^(15 - primaryBits) entries.
// Incomplete codes are allowed (an unused code decodes as invalid); over-subscribed ones are not.
class HuffmanTable {
 public:
  bool build(const std::uint8_t* lengths, int count, int primaryBits, const std::uint32_t* meanings) {
    primaryBits_ = primaryBits;
    int perLength[kMaxCodeLength + 1] = {};
    for (int s = 0; s < count; ++s) ++perLength[lengths[s]];
    perLength[0] = 0;
    int unused = 1;
    for (int length = 1; length <= kMaxCodeLength; ++length) {
      unused = (unused << 1) - perLength[length];
      if (unused < 0) return false;
    }
    int nextCode[kMaxCodeLength + 1] = {};
    for (int length = 1, code = 0; length <= kMaxCodeLength; ++length) {
      code = (code + perLength[length - 1]) << 1;
      nextCode[length] = code;
    }
    const int primarySize = 1 << primaryBits, subtableBits = kMaxCodeLength - primaryBits;
    entries_.assign(primarySize, entry(kInvalid));
    for (int s = 0; s < count; ++s) {
      const int length = lengths[s];
      if (length == 0) continue;
      int reversed = 0;  // deflate sends codes from their first bit, which we read as the lowest
      for (int i = 0, code = nextCode[length]++; i < length; ++i) reversed |= (code >> i & 1) << (length - 1 - i);
      if (length <= primaryBits) {
        for (int i = reversed; i < primarySize; i += 1 << length) entries_[i] = meanings[s] | length;
        continue;
      }
      const int prefix = reversed & (primarySize - 1);
      if (kindOf(entries_[prefix]) != kSubtable) {
        entries_[prefix] = entry(kSubtable, static_cast<std::uint32_t>(entries_.size()));
        entries_.resize(entries_.size() + (std::size_t(1) << subtableBits), entry(kInvalid));
      }
      const std::size_t first = valueOf(entries_[prefix]);
      for (int i = reversed >> primaryBits; i < 1 << subtableBits; i += 1 << (length - primaryBits)) {
        entries_[first + i] = meanings[s] | length;
      }
    }
    return true;
  }

  // The entry for the code at the bottom of bits.
  [[gnu::always_inline]] std::uint32_t lookup(std::uint64_t bits) const {
    const std::uint32_t e = entries_[bits & ((1u << primaryBits_) - 1)];
    if (kindOf(e) != kSubtable) return e;
    return entries_[valueOf(e) + ((bits >> primaryBits_) & ((1u << (kMaxCodeLength - primaryBits_)) - 1))];
  }

 private:
  int primaryBits_ = 0;
  std::vector<std::uint32_t> entries_;
};

// Input bits, least significant first, kept 56 to 63 at a time. Past the end of the input it
// reads zeros and counts them, so that a stream needing them is known to be cut short.
class BitReader {
 public:
  BitReader(const std::uint8_t* in, std::size_t size) : next_(in), end_(in + size) {}

  [[gnu::always_inline]] void refill() {
    if (end_ - next_ >= 8) {
      // Eight bytes at once; the bytes not taken whole are read again next time, at the same
      // positions, so or-ing them in twice changes nothing.
      std::uint64_t word;
      std::memcpy(&word, next_, 8);
      buffer_ |= word << count_;
      next_ += (63 - count_) >> 3;
      count_ |= 56;
      return;
    }
    for (; count_ <= 56; count_ += 8) {
      if (next_ < end_) buffer_ |= static_cast<std::uint64_t>(*next_++) << count_;
      else ++zerosRead_;
    }
  }
  std::uint64_t bits() const { return buffer_; }
  [[gnu::always_inline]] std::uint32_t take(int n) {  // n <= count_, n < 32
    const std::uint32_t value = static_cast<std::uint32_t>(buffer_ & ((std::uint64_t(1) << n) - 1));
    buffer_ >>= n;
    count_ -= n;
    return value;
  }
  int count() const { return count_; }
  // True once the stream has used a byte the input does not have. A few read-ahead zeros are fine.
  bool overran() const { return zerosRead_ * 8 > count_; }
  bool runaway() const { return zerosRead_ > 16; }  // no valid stream gets this far past its end

  // Stored blocks: the bytes after the current one, taken straight from the input.
  bool alignToBytes() {
    take(count_ & 7);
    const int buffered = count_ / 8;
    if (zerosRead_ > buffered) return false;
    next_ -= buffered - zerosRead_;
    buffer_ = 0;
    count_ = 0;
    zerosRead_ = 0;
    return true;
  }
  const std::uint8_t* position() const { return next_; }
  std::size_t available() const { return static_cast<std::size_t>(end_ - next_); }
  void skip(std::size_t n) { next_ += n; }

 private:
  const std::uint8_t* next_;
  const std::uint8_t* end_;
  std::uint64_t buffer_ = 0;
  int count_ = 0;
  int zerosRead_ = 0;
};

constexpr std::uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                           31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                           2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::uint16_t kDistanceBase[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,
                                             33,  49,  65,  97,  129, 193,  257,  385,  513,  769,
                                             1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::uint8_t kDistanceExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                             6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

// What each symbol means, for the tables to store beside its code.
struct Meanings {
  std::uint32_t literalLength[288], distance[32], codeLength[19];
  Meanings() {
    for (std::uint32_t s = 0; s < 288; ++s) {
      literalLength[s] = s < 256    ? entry(kLiteral, s)
                         : s == 256 ? entry(kEndOfBlock)
                         : s < 286  ? entry(kLength, kLengthBase[s - 257], kLengthExtra[s - 257])
                                    : entry(kInvalid);  // 286 and 287 take part in the code but never occur
    }
    for (std::uint32_t s = 0; s < 32; ++s) {
      distance[s] = s < 30 ? entry(kDistance, kDistanceBase[s], kDistanceExtra[s]) : entry(kInvalid);
    }
    for (std::uint32_t s = 0; s < 19; ++s) codeLength[s] = entry(kLiteral, s);
  }
};

class Inflater {
 public:
  Inflater(const std::uint8_t* in, std::size_t size, std::uint8_t* out, std::size_t capacity)
      : bits_(in, size), start_(out), out_(out), end_(out + capacity) {}

  std::optional<std::size_t> run() {
    bits_.refill();
    const std::uint32_t method = bits_.take(8), flags = bits_.take(8);
    // Deflate, a window of at most 32 KB, the header's check bits, no preset dictionary.
    if ((method & 15) != 8 || (method >> 4) > 7 || (method << 8 | flags) % 31 != 0 || (flags & 0x20)) {
      return std::nullopt;
    }
    for (bool last = false; !last;) {
      bits_.refill();
      last = bits_.take(1);
      const std::uint32_t type = bits_.take(2);
      const bool ok = type == 0   ? storedBlock()
                      : type == 1 ? codedBlock(fixedTables())
                      : type == 2 ? readDynamicTables() && codedBlock(dynamic_)
                                  : false;
      if (!ok || bits_.runaway()) return std::nullopt;
      if (full_) break;  // the rest is not wanted
    }
    if (bits_.overran()) return std::nullopt;
    return static_cast<std::size_t>(out_ - start_);
  }

 private:
  struct Tables {
    HuffmanTable literalLength, distance;
  };

  static const Meanings& meanings() {
    static const Meanings table;
    return table;
  }

  static const Tables& fixedTables() {
    static const Tables fixed = [] {
      Tables tables;
      std::uint8_t lengths[288];
      std::memset(lengths, 8, 144);
      std::memset(lengths + 144, 9, 112);
      std::memset(lengths + 256, 7, 24);
      std::memset(lengths + 280, 8, 8);
      tables.literalLength.build(lengths, 288, kLiteralLengthBits, meanings().literalLength);
      std::memset(lengths, 5, 32);
      tables.distance.build(lengths, 32, kDistanceBits, meanings().distance);
      return tables;
    }();
    return fixed;
  }

  // Decodes one symbol; the caller has refilled enough bits for it.
  [[gnu::always_inline]] std::uint32_t decode(const HuffmanTable& table) {
    const std::uint32_t e = table.lookup(bits_.bits());
    bits_.take(bitsOf(e));
    return e;
  }

  bool storedBlock() {
    if (!bits_.alignToBytes() || bits_.available() < 4) return false;
    const std::uint8_t* header = bits_.position();
    const std::size_t length = header[0] | header[1] << 8, check = header[2] | header[3] << 8;
    bits_.skip(4);
    if ((length ^ 0xFFFF) != check || length > bits_.available()) return false;
    const std::size_t room = std::size_t(end_ - out_), taken = std::min(length, room);
    full_ = taken < length;
    std::memcpy(out_, bits_.position(), taken);
    out_ += taken;
    bits_.skip(length);
    return true;
  }

  bool readDynamicTables() {
    bits_.refill();
    const int literalLengths = 257 + bits_.take(5), distances = 1 + bits_.take(5), codeLengths = 4 + bits_.take(4);
    if (literalLengths > 286 || distances > 30) return false;
    static constexpr std::uint8_t kOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    std::uint8_t lengths[288 + 32] = {};
    for (int i = 0; i < codeLengths; ++i) {
      bits_.refill();
      lengths[kOrder[i]] = static_cast<std::uint8_t>(bits_.take(3));
    }
    HuffmanTable codeLengthTable;
    if (!codeLengthTable.build(lengths, 19, kCodeLengthBits, meanings().codeLength)) return false;
    const int total = literalLengths + distances;
    for (int n = 0; n < total;) {
      bits_.refill();
      const std::uint32_t e = decode(codeLengthTable);
      if (kindOf(e) != kLiteral) return false;
      const std::uint32_t symbol = valueOf(e);
      if (symbol < 16) {
        lengths[n++] = static_cast<std::uint8_t>(symbol);
        continue;
      }
      // 16: the previous length 3-6 times; 17: 3-10 zeros; 18: 11-138 zeros.
      if (symbol == 16 && n == 0) return false;
      const std::uint8_t repeated = symbol == 16 ? lengths[n - 1] : 0;
      const int times = symbol == 16 ? 3 + bits_.take(2) : symbol == 17 ? 3 + bits_.take(3) : 11 + bits_.take(7);
      if (times > total - n) return false;
      std::memset(lengths + n, repeated, times);
      n += times;
    }
    if (lengths[256] == 0) return false;  // a block must be able to end
    return dynamic_.literalLength.build(lengths, literalLengths, kLiteralLengthBits, meanings().literalLength) &&
           dynamic_.distance.build(lengths + literalLengths, distances, kDistanceBits, meanings().distance);
  }

  bool codedBlock(const Tables& tables) {
    for (;;) {
      // 56 bits cover the longest length and distance with their extra bits (15 + 5 + 15 + 13).
      if (bits_.count() < 48) {
        bits_.refill();
        if (bits_.runaway()) return false;
      }
      std::uint32_t e = decode(tables.literalLength);
      const Kind kind = kindOf(e);
      if (kind == kLiteral) {
        if (out_ == end_) return full_ = true;
        *out_++ = static_cast<std::uint8_t>(valueOf(e));
        continue;
      }
      if (kind == kEndOfBlock) return true;
      if (kind != kLength) return false;
      const std::size_t length = valueOf(e) + bits_.take(extraOf(e));
      e = decode(tables.distance);
      if (kindOf(e) != kDistance) return false;
      const std::size_t distance = valueOf(e) + bits_.take(extraOf(e));
      if (distance > std::size_t(out_ - start_)) return false;
      const std::size_t room = std::size_t(end_ - out_);
      copyMatch(distance, std::min(length, room));
      if (length > room) return full_ = true;
    }
  }

  // Repeats `length` bytes from `distance` back; the two may overlap (a run when distance is 1).
  [[gnu::always_inline]] void copyMatch(std::size_t distance, std::size_t length) {
    const std::uint8_t* from = out_ - distance;
    std::uint8_t* to = out_;
    out_ += length;
    if (distance == 1) {
      std::memset(to, *from, length);
    } else if (distance >= 8 && std::size_t(end_ - to) >= length + 8) {
      // Eight bytes at a time, overshooting into space the output has not reached yet.
      for (std::uint8_t* stop = to + length; to < stop; to += 8, from += 8) std::memcpy(to, from, 8);
    } else {
      for (std::size_t i = 0; i < length; ++i) to[i] = from[i];
    }
  }

  BitReader bits_;
  std::uint8_t* const start_;
  std::uint8_t* out_;
  std::uint8_t* const end_;
  bool full_ = false;  // the output has all the room allowed and the stream holds more
  Tables dynamic_;
};

}  // namespace

std::optional<std::size_t> inflateZlib(const std::uint8_t* in, std::size_t size, std::uint8_t* out,
                                       std::size_t capacity) {
  return Inflater(in, size, out, capacity).run();
}

std::vector<std::uint8_t> inflateZlib(const std::uint8_t* in, std::size_t size, std::size_t maxSize) {
  std::vector<std::uint8_t> out(maxSize + 1);  // one more, to tell "larger" from "exactly maxSize"
  const auto length = inflateZlib(in, size, out.data(), out.size());
  out.resize(length && *length <= maxSize ? *length : 0);
  return out;
}

}  // namespace dg
