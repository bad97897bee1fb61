#pragma once

#include "core/image.hpp"

namespace dg {

// Output size that fits within maxSide on the longest side, keeping the aspect ratio.
// Never enlarges: an image already within bounds keeps its size.
void fitWithin(int width, int height, int maxSide, int& outWidth, int& outHeight);

// Downscales with a tent filter: each output pixel is the triangle-weighted mean of the source
// pixels within one output pixel's width of its centre, so fine patterns average to an even tone
// instead of aliasing. Colour is averaged with alpha weighting, so transparent pixels do not bleed
// their hidden colour into edges.
Image resize(const Image& source, int width, int height);

Image resizeToFit(Image source, int maxSide);

}  // namespace dg
