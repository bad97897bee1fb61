#include <catch2/catch.hpp>

#include <string>

#include "core/base64.hpp"

using dg::base64Decode;
using dg::base64Encode;

namespace {
std::string encode(const std::string& text) {
  return base64Encode(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}
std::string decode(const std::string& text) {
  auto bytes = base64Decode(text);
  REQUIRE(bytes.has_value());
  return std::string(bytes->begin(), bytes->end());
}
}  // namespace

TEST_CASE("base64 encodes the RFC 4648 test vectors") {
  CHECK(encode("") == "");
  CHECK(encode("f") == "Zg==");
  CHECK(encode("fo") == "Zm8=");
  CHECK(encode("foo") == "Zm9v");
  CHECK(encode("foob") == "Zm9vYg==");
  CHECK(encode("fooba") == "Zm9vYmE=");
  CHECK(encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 decodes the RFC 4648 test vectors") {
  CHECK(decode("") == "");
  CHECK(decode("Zg==") == "f");
  CHECK(decode("Zm8=") == "fo");
  CHECK(decode("Zm9vYmE=") == "fooba");
  CHECK(decode("Zm9vYmFy") == "foobar");
}

TEST_CASE("base64 decoding tolerates what servers send: line breaks, no padding, URL-safe alphabet") {
  CHECK(decode("Zm9v\r\nYmFy\n") == "foobar");
  CHECK(decode("Zm9vYg") == "foob");
  const std::vector<std::uint8_t> high{0xFB, 0xFF, 0xBF};
  CHECK(base64Encode(high) == "+/+/");
  CHECK(base64Decode("-_-_") == std::optional<std::vector<std::uint8_t>>(high));
}

TEST_CASE("base64 decoding rejects what is not base64") {
  CHECK_FALSE(base64Decode("Zm9v!").has_value());
  CHECK_FALSE(base64Decode("Zm9v=YmFy").has_value());  // data after padding
  CHECK_FALSE(base64Decode("Z").has_value());          // a lone sextet cannot make a byte
  CHECK_FALSE(base64Decode("<html>").has_value());
}

TEST_CASE("base64 round-trips every byte value") {
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  for (std::size_t length : {0u, 1u, 2u, 3u, 255u, 256u}) {
    std::vector<std::uint8_t> part(all.begin(), all.begin() + length);
    CHECK(base64Decode(base64Encode(part)) == std::optional<std::vector<std::uint8_t>>(part));
  }
}
