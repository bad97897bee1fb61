// base64 decoding of arbitrary text (servers send generated images as base64 in JSON), and the
// round trip: whatever bytes go out through the encoder must come back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/base64.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto decoded = dg::base64Decode(text)) {
    // Valid input re-encodes to something that decodes to the same bytes.
    const auto again = dg::base64Decode(dg::base64Encode(*decoded));
    if (!again || *again != *decoded) __builtin_trap();
  }
  const auto roundTrip = dg::base64Decode(dg::base64Encode(data, size));
  if (!roundTrip || roundTrip->size() != size || (size && std::memcmp(roundTrip->data(), data, size) != 0)) {
    __builtin_trap();
  }
  return 0;
}
