#pragma once
// libjpeg-turbo as the reference the core's JPEG encoder and decoder are held to. The tests link it
// when the build fetched its source (./scripts/test always does); the app never does.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/image.hpp"

#if DG_HAVE_LIBJPEG_TURBO
#include <cstdio>  // jpeglib.h uses FILE without including <stdio.h>
#include <jpeglib.h>
#endif

namespace dg::test {

// A photo-like picture: smooth colour gradients, grey stripes and noise, so every coefficient band,
// the Huffman codes for long values and 0xFF bytes in the coded data all occur. Alpha is noise too:
// encoders take the picture as opaque.
inline Image photoLike(int width, int height, unsigned seed) {
  Image image(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      seed = seed * 1103515245u + 12345u;
      const int noise = static_cast<int>(seed >> 27) - 16;
      std::uint8_t* p = image.pixel(x, y);
      const int stripe = (x / 3 + y / 5) % 2 == 0 ? 40 : -40;  // grey: JPEG keeps luma detail, not chroma's
      p[0] = static_cast<std::uint8_t>(std::clamp(x * 200 / std::max(1, width - 1) + 28 + stripe + noise, 0, 255));
      p[1] = static_cast<std::uint8_t>(std::clamp(128 + stripe + noise, 0, 255));
      p[2] = static_cast<std::uint8_t>(std::clamp(y * 200 / std::max(1, height - 1) + 28 + stripe - noise, 0, 255));
      p[3] = static_cast<std::uint8_t>(seed >> 24);
    }
  }
  return image;
}

// Over the colour channels of two images of the same size.
inline double meanAbsoluteError(const Image& a, const Image& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.rgba.size(); i += 4) {
    for (int c = 0; c < 3; ++c) sum += std::abs(a.rgba[i + c] - b.rgba[i + c]);
  }
  return sum / (3.0 * a.width * a.height);
}

inline int largestDifference(const Image& a, const Image& b) {
  int largest = 0;
  for (std::size_t i = 0; i < a.rgba.size(); ++i) largest = std::max(largest, std::abs(a.rgba[i] - b.rgba[i]));
  return largest;
}

#if DG_HAVE_LIBJPEG_TURBO

// How libjpeg writes a test file. The defaults are the app's former encoder: jpeg_set_defaults
// (YCbCr 4:2:0, Annex K tables) and jpeg_set_quality with baseline tables.
struct LibjpegOptions {
  int quality = 92;
  int lumaH = 2, lumaV = 2;  // luma's sampling factors; chroma's are 1×1
  bool grey = false;
  bool progressive = false;  // libjpeg's standard progression (jpeg_simple_progression)
  int restartInterval = 0;   // in MCUs
};

// Its fatal errors cannot occur for the files the tests make; the error manager is filled in by hand
// because the build leaves out jerror.c.
inline jpeg_error_mgr* abortingErrors(jpeg_error_mgr& errors) {
  errors = jpeg_error_mgr{};
  errors.error_exit = [](j_common_ptr) { std::abort(); };
  errors.emit_message = [](j_common_ptr, int) {};
  errors.output_message = [](j_common_ptr) {};
  errors.format_message = [](j_common_ptr, char* buffer) { buffer[0] = '\0'; };
  errors.reset_error_mgr = [](j_common_ptr) {};
  return &errors;
}

inline std::vector<std::uint8_t> libjpegEncoded(const Image& image, const LibjpegOptions& options = {}) {
  jpeg_error_mgr errors;
  jpeg_compress_struct info{};
  info.err = abortingErrors(errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long length = 0;
  jpeg_mem_dest(&info, &buffer, &length);
  info.image_width = static_cast<JDIMENSION>(image.width);
  info.image_height = static_cast<JDIMENSION>(image.height);
  info.input_components = 4;
  info.in_color_space = JCS_EXT_RGBX;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, options.quality, TRUE);
  if (options.grey) jpeg_set_colorspace(&info, JCS_GRAYSCALE);
  info.comp_info[0].h_samp_factor = options.lumaH;
  info.comp_info[0].v_samp_factor = options.lumaV;
  if (options.progressive) jpeg_simple_progression(&info);
  info.restart_interval = static_cast<unsigned>(options.restartInterval);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.pixel(0, static_cast<int>(info.next_scanline)));
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::vector<std::uint8_t> bytes(buffer, buffer + length);
  std::free(buffer);
  return bytes;
}

// libjpeg's decode at m/8 scale with its defaults (the accurate integer DCT, fancy upsampling), as RGBA.
inline Image libjpegDecoded(const std::vector<std::uint8_t>& file, int scale = 8) {
  jpeg_error_mgr errors;
  jpeg_decompress_struct info{};
  info.err = abortingErrors(errors);
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, file.data(), static_cast<unsigned long>(file.size()));
  jpeg_read_header(&info, TRUE);
  info.scale_num = static_cast<unsigned>(scale);
  info.scale_denom = 8;
  info.out_color_space = JCS_EXT_RGBA;
  jpeg_start_decompress(&info);
  Image image(static_cast<int>(info.output_width), static_cast<int>(info.output_height));
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = image.pixel(0, static_cast<int>(info.output_scanline));
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return image;
}

#endif

}  // namespace dg::test
