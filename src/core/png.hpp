#pragma once
// PNG, every kind: grey, grey with alpha, RGB, RGBA and palette images at each bit depth the format
// has (1 to 16), transparency (tRNS), Adam7 interlacing; an animated PNG gives its default image.
// Screenshots (8-bit RGB or RGBA) take a path of their own: in wasm a 2880x1800 one decoded in
// 64 ms with stb_image's decoder, which is compiled for size, and in 32 with this one.

#include <cstddef>
#include <cstdint>

#include "core/image.hpp"
#include "core/result.hpp"

namespace dg {

// Straight-alpha RGBA; 16-bit samples keep their high byte. Callers sniff the format and check
// the declared size against their limits first. A damaged file fails with DecodeFailed and the
// reason ("The PNG file is damaged (...).").
Result<Image> decodePng(const std::uint8_t* data, std::size_t size);

}  // namespace dg
