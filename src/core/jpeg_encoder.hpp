#pragma once
// The core's JPEG encoder, for uploads: baseline, YCbCr with 4:2:0 chroma, the example
// quantisation and Huffman tables of the JPEG standard (ITU T.81 Annex K) scaled by quality as
// libjpeg scales them. Its arithmetic is libjpeg's (fixed-point colour conversion, 2×2 chroma
// averages, the accurate integer DCT, rounded quantisation, edge replication), so its files decode
// to the same pixels as libjpeg-turbo's at the same quality; tests/jpeg_encoder_test.cpp checks that.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/image.hpp"

namespace dg {

// The largest width or height a JPEG frame header can hold.
constexpr int kMaxJpegSide = 65535;

// Encodes an opaque image (the caller flattens alpha: each pixel's fourth byte is not read) at
// quality 1..100 (clamped, as libjpeg does). nullopt for an empty image or a side past kMaxJpegSide.
std::optional<std::vector<std::uint8_t>> encodeBaselineJpeg(const Image& opaque, int quality);

}  // namespace dg
