#pragma once
// libwebp's decoder, when the build has it (cmake/libwebp.cmake). Without it the browser decodes
// WebP and hands the core its pixels (see prepare.hpp).

#include <cstddef>
#include <cstdint>

#include "core/codec.hpp"
#include "core/image.hpp"
#include "core/result.hpp"

namespace dg {

// True when this build decodes WebP itself.
bool haveLibwebp();

// Decodes a still WebP, lossy or lossless, with or without alpha, to straight-alpha RGBA.
// Callers sniff the format first. Past the limits it fails with ImageTooLarge (on the size libwebp
// reads, before any pixels exist); an animated file with UnsupportedFormat (the browser shows its
// first frame); a damaged one with DecodeFailed and libwebp's reason.
// Defined only in builds with libwebp (DG_HAVE_LIBWEBP).
Result<Image> decodeWebp(const std::uint8_t* data, std::size_t size, const DecodeLimits& limits);

}  // namespace dg
