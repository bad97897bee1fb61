#include "core/jpeg_turbo.hpp"

#include <cstdlib>
#include <string>

#if DG_HAVE_LIBJPEG_TURBO
#include <csetjmp>
#include <cstdio>  // jpeglib.h uses FILE without including <stdio.h>
#include <vector>

#include <jerror.h>
#include <jpeglib.h>
#endif

namespace dg {

int jpegScaleNumerator(int width, int height, int minWidth, int minHeight) {
  for (int m = 1; m < 8; ++m) {
    const long long scaledWidth = (static_cast<long long>(width) * m + 7) / 8;
    const long long scaledHeight = (static_cast<long long>(height) * m + 7) / 8;
    if (scaledWidth >= minWidth && scaledHeight >= minHeight) return m;
  }
  return 8;
}

#if DG_HAVE_LIBJPEG_TURBO

namespace {

// A progressive JPEG may hold any number of scans, each a full pass over the coefficients:
// a tiny hostile file can keep the decoder busy for minutes. Real encoders write about ten;
// libjpeg-turbo's own TurboJPEG API applies the same cap.
constexpr int kMaxScans = 500;

// Where libjpeg's fatal errors land: client_data points here.
// The error manager is filled in by hand: libjpeg's own (jpeg_std_error) would link its table of
// 130 English messages and their formatter into the download, for a reason in brackets.
struct ErrorTrap {
  jpeg_error_mgr errors{};
  std::jmp_buf jump{};
  int code = 0;  // libjpeg's J_MESSAGE_CODE, or kTooManyScans

  jpeg_error_mgr* install();
  std::string reason() const;
};

constexpr int kTooManyScans = -1;

ErrorTrap& trapOf(j_common_ptr info) { return *static_cast<ErrorTrap*>(info->client_data); }

// libjpeg reports fatal errors through a callback that must not return: jump back to the setjmp.
[[noreturn]] void stopWith(j_common_ptr info, int code) {
  ErrorTrap& trap = trapOf(info);
  trap.code = code;
  std::longjmp(trap.jump, 1);
}

[[noreturn]] void onFatalError(j_common_ptr info) { stopWith(info, info->err->msg_code); }

// Warnings (corrupt data, premature end) still leave a usable picture, as in browsers and stb.
void onMessage(j_common_ptr, int) {}
void onOutputMessage(j_common_ptr) {}
void onFormatMessage(j_common_ptr, char* buffer) { buffer[0] = '\0'; }
void onReset(j_common_ptr info) { info->err->num_warnings = 0, info->err->msg_code = 0; }

jpeg_error_mgr* ErrorTrap::install() {
  errors = jpeg_error_mgr{};
  errors.error_exit = onFatalError;
  errors.emit_message = onMessage;
  errors.output_message = onOutputMessage;
  errors.format_message = onFormatMessage;
  errors.reset_error_mgr = onReset;
  return &errors;
}

// The fatal errors a damaged or unusual file can cause, in words; the rest are named by number.
std::string ErrorTrap::reason() const {
  switch (code) {
    case kTooManyScans: return "more than " + std::to_string(kMaxScans) + " progressive scans";
    case JERR_NO_SOI: return "no start-of-image marker";
    case JERR_INPUT_EMPTY: return "no data";
    case JERR_NO_IMAGE: case JERR_EMPTY_IMAGE: return "no image data";
    case JERR_BAD_LENGTH: return "a marker with a wrong length";
    case JERR_SOI_DUPLICATE: case JERR_SOF_DUPLICATE: case JERR_SOS_NO_SOF: case JERR_SOF_NO_SOS:
    case JERR_EOI_EXPECTED: case JERR_UNKNOWN_MARKER: return "markers out of order";
    case JERR_BAD_HUFF_TABLE: case JERR_NO_HUFF_TABLE: case JERR_DHT_INDEX: case JERR_HUFF_CLEN_OVERFLOW:
    case JERR_HUFF_MISSING_CODE: return "a bad Huffman table";
    case JERR_NO_QUANT_TABLE: case JERR_DQT_INDEX: case JERR_MISMATCHED_QUANT_TABLE: return "a bad quantization table";
    case JERR_BAD_COMPONENT_ID: case JERR_COMPONENT_COUNT: case JERR_BAD_SAMPLING: case JERR_BAD_MCU_SIZE:
    case JERR_BAD_J_COLORSPACE: return "bad colour components";
    case JERR_BAD_PROGRESSION: case JERR_MISSING_DATA: return "a bad progressive scan";
    case JERR_IMAGE_TOO_BIG: case JERR_WIDTH_OVERFLOW: return "dimensions out of range";
    case JERR_BAD_PRECISION: return "an unsupported sample precision";
    case JERR_SOF_UNSUPPORTED: case JERR_ARITH_NOTIMPL: return "an unsupported JPEG process";
    case JERR_OUT_OF_MEMORY: return "out of memory";
    default: return "libjpeg error " + std::to_string(code);
  }
}

void onProgress(j_common_ptr info) {
  auto* decompress = reinterpret_cast<j_decompress_ptr>(info);
  if (decompress->input_scan_number > kMaxScans) {
    stopWith(info, kTooManyScans);
  }
}

// A sequential JPEG whose output at the scale chosen would still be past maxPixels. When the
// caller asked for less than the full size (an upload), a smaller request would be decoded at a
// smaller scale, and the message says how to make one; a full decode gets the plain refusal.
std::optional<Error> scaledLimitError(int width, int height, const jpeg_decompress_struct& info,
                                      std::uint64_t maxPixels, bool reducible) {
  if (static_cast<std::uint64_t>(info.output_width) * info.output_height <= maxPixels) return std::nullopt;
  auto error = pixelLimitError(width, height, maxPixels);
  if (reducible) error->message += " A smaller Longest side lets it through: it is then decoded at reduced scale.";
  return error;
}

struct Decoder {
  jpeg_decompress_struct info{};
  jpeg_progress_mgr progress{};
  ErrorTrap trap;
  std::optional<Error> tooLarge;  // set when the frame header is past the limits
};

// Everything that may longjmp happens in here. Only trivially destructible locals live in this
// frame, and the output buffers belong to the caller, so a jump skips no destructor.
bool runDecoder(Decoder& decoder, const std::uint8_t* data, std::size_t size, int minWidth, int minHeight,
                const DecodeLimits& limits, Image& image, std::vector<JSAMPROW>& rows) {
  if (setjmp(decoder.trap.jump)) return false;
  jpeg_decompress_struct& info = decoder.info;
  info.client_data = &decoder.trap;  // set first: creation keeps it, and may already fail
  jpeg_create_decompress(&info);
  info.progress = &decoder.progress;
  jpeg_mem_src(&info, data, static_cast<unsigned long>(size));
  jpeg_read_header(&info, TRUE);
  // Checked again on the header libjpeg read, which may not be the one the caller peeked at (libjpeg
  // skips stray bytes between markers). Several scans (progressive files) make libjpeg hold every
  // coefficient of the full size; a single scan streams, so then the output is what must fit.
  const int width = static_cast<int>(info.image_width), height = static_cast<int>(info.image_height);
  const bool streams = !jpeg_has_multiple_scans(&info);
  decoder.tooLarge = pixelLimitError(width, height, streams ? limits.maxSequentialJpegPixels : limits.maxPixels);
  if (decoder.tooLarge) return false;
  info.scale_num = static_cast<unsigned>(jpegScaleNumerator(width, height, minWidth, minHeight));
  info.scale_denom = 8;
  info.out_color_space = JCS_EXT_RGBA;  // straight to the core's layout, alpha 255
  jpeg_calc_output_dimensions(&info);
  decoder.tooLarge = scaledLimitError(width, height, info, limits.maxPixels, minWidth < width && minHeight < height);
  if (decoder.tooLarge) return false;
  jpeg_start_decompress(&info);
  image = Image(static_cast<int>(info.output_width), static_cast<int>(info.output_height));
  rows.resize(info.output_height);
  for (JDIMENSION y = 0; y < info.output_height; ++y) rows[y] = image.pixel(0, static_cast<int>(y));
  while (info.output_scanline < info.output_height) {
    jpeg_read_scanlines(&info, &rows[info.output_scanline], info.output_height - info.output_scanline);
  }
  jpeg_finish_decompress(&info);
  return true;
}

}  // namespace

bool haveLibjpegTurbo() { return true; }

Result<Image> decodeJpegScaled(const std::uint8_t* data, std::size_t size, int minWidth, int minHeight,
                               const DecodeLimits& limits) {
  Decoder decoder;
  decoder.info.err = decoder.trap.install();
  decoder.progress.progress_monitor = onProgress;
  Image image;
  std::vector<JSAMPROW> rows;
  const bool decoded = runDecoder(decoder, data, size, minWidth, minHeight, limits, image, rows);
  jpeg_destroy_decompress(&decoder.info);
  if (decoder.tooLarge) return Result<Image>::failure(*decoder.tooLarge);
  if (!decoded) {
    return Result<Image>::failure(damagedFileError(ImageFormat::Jpeg, decoder.trap.reason()));
  }
  return Result<Image>::success(std::move(image));
}

#else

bool haveLibjpegTurbo() { return false; }

#endif

}  // namespace dg
