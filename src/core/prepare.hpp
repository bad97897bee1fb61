#pragma once
// Turns whatever file the player chose into the upload an endpoint wants:
// decoded, turned upright, downscaled and re-encoded.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/result.hpp"

namespace dg {

enum class UploadFormat { Jpeg, Png };

struct PrepareOptions {
  int maxSide = 1024;  // BLIP works at 384 px; 1024 keeps detail and stays far below 413 limits
  UploadFormat format = UploadFormat::Jpeg;
  int jpegQuality = 90;
  DecodeLimits limits;
};

struct PreparedUpload {
  std::vector<std::uint8_t> bytes;
  std::string contentType;
  int width = 0, height = 0;              // of the upload, upright
  int sourceWidth = 0, sourceHeight = 0;  // of the file as displayed (after orientation)
};

// Reads options from JSON such as {"maxSide":1024,"format":"jpeg","quality":90}; absent keys keep
// their defaults, wrong types are an InvalidSettings error.
Result<PrepareOptions> parsePrepareOptions(const std::string& json);

// From a file's bytes: decoded (at reduced scale when the decoder can), turned upright by its EXIF
// orientation, downscaled to fit options.maxSide, brought to sRGB from the colour profile it
// embeds (colour.hpp) and encoded.
Result<PreparedUpload> prepareUpload(const std::uint8_t* data, std::size_t size, const PrepareOptions& options);

// From pixels another decoder produced (the browser's, for AVIF, HEIC, CMYK JPEG, animated
// WebP): already upright and in sRGB, 8-bit RGBA with straight alpha. `sourceWidth`×`sourceHeight`
// is the picture's full size; the pixels may be that or a reduced scale of it no smaller than the
// upload, as a reduced-scale JPEG decode is. Limits apply to the full size, and the upload is sized and
// encoded exactly as prepareUpload does.
Result<PreparedUpload> preparePixels(Image upright, int sourceWidth, int sourceHeight, const PrepareOptions& options);

// Why preparePixels would refuse width×height pixels of a sourceWidth×sourceHeight picture, if it
// would: checked before anything allocates room for them.
std::optional<Error> handedOverPixelsError(int width, int height, int sourceWidth, int sourceHeight,
                                           const PrepareOptions& options);

// A file's pixels as a person sees them: decoded in full, turned upright and in sRGB (for
// generated images coming back from a server, and anything else that needs pixels rather than an
// upload).
Result<Image> decodeUpright(const std::uint8_t* data, std::size_t size, const DecodeLimits& limits = {});

}  // namespace dg
