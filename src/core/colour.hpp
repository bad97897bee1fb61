#pragma once
// Colour profiles. iPhones shoot in Display P3 and Macs take screenshots in it; the file says so
// in an embedded ICC profile. Models and image viewers that ignore the profile read those numbers
// as sRGB, which dulls every colour, so uploads are converted to sRGB as a browser would show them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/image.hpp"

namespace dg {

// From an RGB matrix/TRC profile (the kind cameras, phones and displays embed) to sRGB.
struct SrgbConversion {
  std::array<std::array<float, 256>, 3> toLinear;  // per channel: 8-bit value -> linear light
  std::array<float, 9> matrix;                     // linear source RGB -> linear sRGB, row-major
};

// The conversion an ICC profile asks for; nullopt when there is nothing to convert: no profile, a
// profile that is sRGB to within half a level, or one that is not an RGB matrix/TRC profile (LUT
// profiles and CMYK are left as they are; the browser decodes CMYK JPEGs anyway).
std::optional<SrgbConversion> srgbConversionFor(const std::vector<std::uint8_t>& icc);

// The ICC profile a JPEG (APP2 ICC_PROFILE chunks) or PNG (iCCP) carries; empty
// when it has none or it cannot be read.
std::vector<std::uint8_t> embeddedIccProfile(const std::uint8_t* data, std::size_t size);

// Converts the colour of every pixel in place; alpha is untouched.
void convertToSrgb(Image& image, const SrgbConversion& conversion);

}  // namespace dg
