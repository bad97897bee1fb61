#pragma once
// The PNGs screenshots are, decoded at full speed: 8-bit RGB or RGBA, not interlaced, without a
// transparent colour. stb_image decodes every other PNG (grey, palette, 16-bit, interlaced), and is
// compiled for size (see CMakeLists.txt): a 2880x1800 screenshot took it 45 ms to decode in wasm.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/image.hpp"

namespace dg {

// The file's pixels as RGBA, exactly as stb_image would give them; nullopt for any file outside
// that family or not well formed, which stb_image then decodes or refuses with its own reason.
// Callers sniff the format and check the declared size against their limits first.
std::optional<Image> decodeCommonPng(const std::uint8_t* data, std::size_t size);

}  // namespace dg
