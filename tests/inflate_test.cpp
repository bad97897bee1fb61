// The core's zlib inflater (core/inflate.hpp), on streams written by zlib itself in every kind of
// deflate block, and on streams damaged in the ways a hostile or cut-off file is.
#include <catch2/catch.hpp>

#include <string>

#include "core/inflate.hpp"
#include "fixtures/zlib_streams.hpp"
#include "image_writers.hpp"

using namespace dg;
using namespace dg::test;

namespace {

// The bytes make-zlib-fixtures.mjs compresses: repeated text, noise, a run, text again.
Bytes zlibFixtureInput() {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Describe the picture, then paint it again from the words alone. ";
  Bytes input(text.begin(), text.end());
  std::uint32_t state = 7;
  for (int i = 0; i < 1500; ++i) {
    state = state * 1103515245u + 12345u;
    input.push_back(static_cast<std::uint8_t>(state >> 24));
  }
  input.insert(input.end(), 700, 0x5A);
  input.insert(input.end(), text.begin(), text.begin() + 900);
  return input;
}

std::optional<Bytes> inflated(const Bytes& stream, std::size_t capacity) {
  Bytes out(capacity);
  const auto length = inflateZlib(stream.data(), stream.size(), out.data(), out.size());
  if (!length) return std::nullopt;
  out.resize(*length);
  return out;
}

}  // namespace

TEST_CASE("zlib streams inflate to their input, in dynamic, fixed and stored blocks") {
  const Bytes input = zlibFixtureInput();
  REQUIRE(input.size() == 5660);
  const std::pair<const char*, Bytes> streams[] = {
      {"dynamic", bytesOf(kZlibDynamic)},
      {"fixed", bytesOf(kZlibFixed)},
      {"several dynamic blocks", bytesOf(kZlibSmallBlocks)},
      {"stored", detail::zlibStored(input)},
  };
  for (const auto& [kind, stream] : streams) {
    INFO(kind);
    const auto out = inflated(stream, input.size());
    REQUIRE(out);
    CHECK(*out == input);
    CHECK(inflateZlib(stream.data(), stream.size(), input.size()) == input);  // the bounded-vector form
  }
}

TEST_CASE("a stream is decoded as far as the room given") {
  const Bytes input = zlibFixtureInput();
  for (const Bytes& stream : {bytesOf(kZlibDynamic), bytesOf(kZlibFixed), detail::zlibStored(input)}) {
    for (std::size_t room : {std::size_t(1), std::size_t(1000), input.size() - 1}) {
      INFO(room << " bytes of room");
      CHECK(inflated(stream, room) == Bytes(input.begin(), input.begin() + room));
    }
    // The bounded form refuses what does not fit, rather than cut it.
    CHECK(inflateZlib(stream.data(), stream.size(), input.size() - 1).empty());
  }
}

TEST_CASE("a stream cut short or damaged is refused") {
  const Bytes input = zlibFixtureInput();
  const Bytes stream = bytesOf(kZlibDynamic);

  // Cut anywhere before its last deflate byte (the 4 after it are the unchecked Adler-32).
  for (std::size_t keep : {std::size_t(0), std::size_t(1), std::size_t(2), std::size_t(100), stream.size() / 2,
                           stream.size() - 5}) {
    INFO("first " << keep << " bytes");
    CHECK_FALSE(inflated(Bytes(stream.begin(), stream.begin() + keep), input.size()));
  }

  // "A" in a fixed-Huffman block: its last byte holds the end-of-block code's final two bits, both
  // zero. Without that byte the stream only seems to end, on zeros that are not there.
  const Bytes endsInZeros{0x78, 0x01, 0x73, 0x04, 0x00};
  CHECK(inflated(endsInZeros, 8) == Bytes{'A'});
  CHECK_FALSE(inflated(Bytes(endsInZeros.begin(), endsInZeros.end() - 1), 8));

  Bytes badHeader = stream;
  badHeader[1] ^= 1;  // the header's check bits no longer divide by 31
  CHECK_FALSE(inflated(badHeader, input.size()));

  // A fixed-Huffman block whose first code is a match: it points before the start of the output.
  // 0x78 0x01 header; BFINAL 1, BTYPE 01, then length symbol 257 (0000001), distance code 0 (00000).
  const Bytes farBack{0x78, 0x01, 0x03, 0x02, 0x00};
  CHECK_FALSE(inflated(farBack, 64));

  // A stored block whose length and its complement disagree.
  Bytes stored = detail::zlibStored(Bytes(10, 1));
  stored[5] ^= 0xFF;
  CHECK_FALSE(inflated(stored, 64));
}
