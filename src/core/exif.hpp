#pragma once
// EXIF orientation: phones store photos sideways and record how to turn them upright.

#include <cstddef>
#include <cstdint>

#include "core/image.hpp"

namespace dg {

// The Orientation tag (1-8) of a JPEG's APP1 Exif segment; 1 when absent or unreadable.
int readJpegOrientation(const std::uint8_t* data, std::size_t size);

// Returns the image as it should be displayed for an EXIF orientation value.
Image applyOrientation(Image image, int orientation);

}  // namespace dg
