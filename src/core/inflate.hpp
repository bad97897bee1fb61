#pragma once
// zlib streams (RFC 1950/1951): a PNG's image data and its embedded colour profile. Table-driven,
// reading 64 bits at a time: stb_image's inflater, refilled a byte at a time and copying matches
// byte by byte, took over half of the decoding time of the bench's 1.2 MB screenshot.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace dg {

// Decompresses the zlib stream in[0..size) into out[0..capacity): the number of bytes written, or
// nullopt when the stream is damaged or ends early. A stream holding more than capacity bytes is
// decoded only that far (PNG encoders sometimes leave trailing data; decoders ignore it). The
// Adler-32 checksum is not verified (neither stb_image nor the browsers' PNG decoders insist on it).
std::optional<std::size_t> inflateZlib(const std::uint8_t* in, std::size_t size, std::uint8_t* out,
                                       std::size_t capacity);

// The stream's contents if they are at most maxSize bytes; empty when larger or damaged.
std::vector<std::uint8_t> inflateZlib(const std::uint8_t* in, std::size_t size, std::size_t maxSize);

}  // namespace dg
