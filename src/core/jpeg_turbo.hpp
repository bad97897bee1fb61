#pragma once
// libjpeg-turbo, when the build has it (cmake/libjpeg_turbo.cmake): JPEG decoding at reduced scale
// in the DCT domain.
//
// Decoding: Inverse-transforming only the lowest k×k coefficients of each
// 8×8 block yields a k/8-scale image directly, so a 12 MP photo bound for 1024 px is never
// expanded to full size, and the truncated transform is itself a proper low-pass filter.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/codec.hpp"
#include "core/image.hpp"
#include "core/result.hpp"

namespace dg {

// True when this build has libjpeg-turbo, which then decodes every JPEG; otherwise stb_image does.
bool haveLibjpegTurbo();

// The scale numerator M (over 8) that decodeJpegScaled picks: the smallest whose output of
// ceil(width·M/8) × ceil(height·M/8) still covers minWidth × minHeight. 8 means full size.
int jpegScaleNumerator(int width, int height, int minWidth, int minHeight);

// Decodes to RGBA at the scale jpegScaleNumerator picks (stored orientation, EXIF not applied).
// Callers sniff the format first. Fails with ImageTooLarge past the limits (on the size libjpeg
// reads, before it allocates: a single-scan file may declare up to limits.maxSequentialJpegPixels
// if its output stays within limits.maxPixels), otherwise with DecodeFailed and libjpeg's reason.
// Defined only in builds with libjpeg-turbo (DG_HAVE_LIBJPEG_TURBO).
Result<Image> decodeJpegScaled(const std::uint8_t* data, std::size_t size, int minWidth, int minHeight,
                               const DecodeLimits& limits);

}  // namespace dg
