#pragma once
// The order JPEG codes a block's coefficients in, shared by the encoder and the decoder.

#include <cstdint>

namespace dg {

// Where the k-th coefficient of the zigzag scan sits in a row-major 8×8 block. The 16 spare
// entries make a run that overshoots the block (damaged data) land on position 63 instead of
// outside it, as libjpeg's table does.
inline constexpr std::uint8_t kZigzagToNatural[64 + 16] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13,
    6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31,
    39, 46, 53, 60, 61, 54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63};

}  // namespace dg
