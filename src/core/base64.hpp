#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dg {

std::string base64Encode(const std::uint8_t* data, std::size_t size);
inline std::string base64Encode(const std::vector<std::uint8_t>& bytes) {
  return base64Encode(bytes.data(), bytes.size());
}

// Standard alphabet; also accepts the URL-safe alphabet, missing padding and embedded
// whitespace (servers wrap long base64). Returns nullopt for anything else.
std::optional<std::vector<std::uint8_t>> base64Decode(std::string_view text);

}  // namespace dg
