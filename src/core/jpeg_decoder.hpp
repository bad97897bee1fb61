#pragma once
// The core's JPEG decoder: baseline and progressive (Huffman-coded, 8-bit, greyscale or three
// components with any integral chroma subsampling), decoded at reduced scale in the DCT domain.
//
// Inverse-transforming only the lowest m×m coefficients of each 8×8 block yields an m/8-scale
// image directly, so a 12 MP photo bound for 1024 px is never expanded to full size, and the
// truncated transform is itself a proper low-pass filter. A single-scan file streams: its blocks go
// through the inverse transform as they are read, so only the output is held. Chroma is upsampled
// and converted to RGB as libjpeg does it (its "fancy" triangle filter and fixed-point YCbCr).

#include <cstddef>
#include <cstdint>

#include "core/codec.hpp"
#include "core/image.hpp"
#include "core/result.hpp"

namespace dg {

// The scale numerator m (over 8) that decodeJpegScaled picks: the smallest whose output of
// ceil(width·m/8) × ceil(height·m/8) still covers minWidth × minHeight. 8 means full size.
int jpegScaleNumerator(int width, int height, int minWidth, int minHeight);

// Decodes to RGBA at the scale jpegScaleNumerator picks (stored orientation, EXIF not applied).
// Callers sniff the format first and hand CMYK files to the browser. Fails with ImageTooLarge past
// the limits, checked on the frame header before any pixel memory is allocated (a single-scan file
// may declare up to limits.maxSequentialJpegPixels if its output stays within limits.maxPixels),
// otherwise with DecodeFailed and a reason. Damaged entropy-coded data (a truncated download) is
// not an error: what is missing decodes as flat grey, as in browsers.
Result<Image> decodeJpegScaled(const std::uint8_t* data, std::size_t size, int minWidth, int minHeight,
                               const DecodeLimits& limits);

}  // namespace dg
