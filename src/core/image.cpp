#include "core/image.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

namespace dg {
namespace {

bool startsWith(const std::uint8_t* data, std::size_t size, std::size_t offset, const char* magic) {
  const std::size_t length = std::strlen(magic);
  return size >= offset + length && std::memcmp(data + offset, magic, length) == 0;
}

// Offset of the frame header (an SOF marker: any of C0-CF except DHT C4, JPG C8 and DAC CC),
// which holds the size and the component count; 0 when none precedes the first scan. Bytes that
// are not a marker are skipped, as libjpeg skips them (with a warning), so both see the same frame.
std::size_t findJpegFrameHeader(const std::uint8_t* d, std::size_t size) {
  std::size_t at = 2;
  while (at + 10 <= size) {
    const std::uint8_t marker = d[at + 1];
    if (d[at] != 0xFF || marker == 0xFF || marker == 0x00) { ++at; continue; }  // stray byte, fill, stuffed FF
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) return at;
    if (marker == 0xDA || marker == 0xD9) break;
    at += 2 + readBe16(d + at + 2);
  }
  return 0;
}

int clampInt(std::uint64_t v) { return static_cast<int>(std::min<std::uint64_t>(v, 0x7FFFFFFF)); }

struct BoxPayload {
  std::size_t begin, end;
};

// The payload of the first box of `type` among the ISO BMFF boxes in [at, end); nullopt when
// there is none or the boxes stop making sense.
std::optional<BoxPayload> findBox(const std::uint8_t* d, std::size_t at, std::size_t end, const char* type) {
  while (end - at >= 8) {
    std::uint64_t length = readBe32(d + at);
    std::size_t header = 8;
    if (length == 1) {  // a 64-bit size follows the type
      if (end - at < 16) break;
      length = static_cast<std::uint64_t>(readBe32(d + at + 8)) << 32 | readBe32(d + at + 12);
      header = 16;
    } else if (length == 0) {  // to the end of the enclosing box
      length = end - at;
    }
    if (length < header || length > end - at) break;
    if (std::memcmp(d + at + 4, type, 4) == 0) return BoxPayload{at + header, at + static_cast<std::size_t>(length)};
    at += static_cast<std::size_t>(length);
  }
  return std::nullopt;
}

// HEIF (AVIF, HEIC) declares sizes in 'ispe' properties: meta > iprp > ipco > ispe. A phone's HEIC
// is a grid of 512x512 tiles, each with its own ispe, beside the grid's ispe of the whole picture;
// the largest one is what a decoder produces.
std::pair<int, int> peekHeifDimensions(const std::uint8_t* d, std::size_t size) {
  const auto meta = findBox(d, 0, size, "meta");
  if (!meta || meta->end - meta->begin < 4) return {0, 0};
  const auto iprp = findBox(d, meta->begin + 4, meta->end, "iprp");  // after meta's version and flags
  const auto ipco = iprp ? findBox(d, iprp->begin, iprp->end, "ipco") : std::nullopt;
  std::pair<int, int> largest{0, 0};
  for (auto ispe = ipco ? findBox(d, ipco->begin, ipco->end, "ispe") : std::nullopt; ispe;
       ispe = findBox(d, ispe->end, ipco->end, "ispe")) {
    if (ispe->end - ispe->begin < 12) continue;  // version and flags, then width and height
    const int width = clampInt(readBe32(d + ispe->begin + 4)), height = clampInt(readBe32(d + ispe->begin + 8));
    if (static_cast<std::uint64_t>(width) * height > static_cast<std::uint64_t>(largest.first) * largest.second) {
      largest = {width, height};
    }
  }
  return largest;
}

// TIFF: ImageWidth (256) and ImageLength (257) in the first image file directory, which is the
// picture browsers show.
std::pair<int, int> peekTiffDimensions(const std::uint8_t* d, std::size_t size) {
  // An unsigned integer of `bytes` bytes at `at`, in the file's byte order.
  auto read = [d, little = d[0] == 'I'](std::size_t at, int bytes) {
    std::uint32_t value = 0;
    for (int i = 0; i < bytes; ++i) value = value << 8 | d[at + (little ? bytes - 1 - i : i)];
    return value;
  };
  if (size < 8) return {0, 0};
  const std::size_t directory = read(4, 4);
  if (directory > size - 2) return {0, 0};
  std::pair<int, int> declared{0, 0};
  std::size_t entry = directory + 2;
  for (std::uint32_t left = read(directory, 2); left > 0 && entry + 12 <= size; --left, entry += 12) {
    const std::uint32_t tag = read(entry, 2);
    const std::uint32_t value = read(entry + 8, read(entry + 2, 2) == 3 ? 2 : 4);  // type 3 SHORT, else LONG
    if (tag == 256) declared.first = clampInt(value);
    if (tag == 257) declared.second = clampInt(value);
  }
  return declared;
}

}  // namespace

ImageFormat sniffImageFormat(const std::uint8_t* data, std::size_t size) {
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return ImageFormat::Jpeg;
  if (startsWith(data, size, 0, "\x89PNG\r\n\x1a\n")) return ImageFormat::Png;
  if (startsWith(data, size, 0, "GIF87a") || startsWith(data, size, 0, "GIF89a")) return ImageFormat::Gif;
  if (startsWith(data, size, 0, "BM") && size >= 26) return ImageFormat::Bmp;
  if (startsWith(data, size, 0, "RIFF") && startsWith(data, size, 8, "WEBP")) return ImageFormat::Webp;
  if (startsWith(data, size, 4, "ftyp")) {
    if (startsWith(data, size, 8, "avif") || startsWith(data, size, 8, "avis")) return ImageFormat::Avif;
    for (const char* brand : {"heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"}) {
      if (startsWith(data, size, 8, brand)) return ImageFormat::Heic;
    }
  }
  if (startsWith(data, size, 0, "II*") || startsWith(data, size, 0, "MM\0*")) return ImageFormat::Tiff;
  return ImageFormat::Unknown;
}

std::pair<int, int> peekDimensions(const std::uint8_t* d, std::size_t size) {
  auto le16 = [d](std::size_t at) { return d[at] | (d[at + 1] << 8); };
  auto le32 = [&](std::size_t at) { return static_cast<std::uint32_t>(le16(at + 2)) << 16 | le16(at); };
  switch (sniffImageFormat(d, size)) {
    case ImageFormat::Png:
      if (size >= 24 && startsWith(d, size, 12, "IHDR")) return {clampInt(readBe32(d + 16)), clampInt(readBe32(d + 20))};
      break;
    case ImageFormat::Gif:
      if (size >= 10) return {le16(6), le16(8)};
      break;
    case ImageFormat::Bmp: {
      if (size < 26) break;
      if (le32(14) == 12) return {le16(18), le16(20)};  // OS/2's 12-byte header: 16-bit width, height
      const auto height = static_cast<std::int32_t>(le32(22));  // negative: rows stored top-down
      return {clampInt(le32(18)), clampInt(static_cast<std::uint32_t>(height < 0 ? -static_cast<std::int64_t>(height) : height))};
    }
    case ImageFormat::Jpeg:
      if (const std::size_t frame = findJpegFrameHeader(d, size)) return {readBe16(d + frame + 7), readBe16(d + frame + 5)};
      break;
    case ImageFormat::Webp: {  // the first chunk after "RIFF<size>WEBP" says which kind of file it is
      auto le24 = [&](std::size_t at) { return static_cast<int>(le16(at) | d[at + 2] << 16); };
      if (startsWith(d, size, 12, "VP8X") && size >= 30) return {le24(24) + 1, le24(27) + 1};  // canvas - 1
      if (startsWith(d, size, 12, "VP8L") && size >= 25 && d[20] == 0x2F) {  // lossless: 14-bit size - 1
        const std::uint32_t bits = le32(21);
        return {static_cast<int>(bits & 0x3FFF) + 1, static_cast<int>(bits >> 14 & 0x3FFF) + 1};
      }
      if (startsWith(d, size, 12, "VP8 ") && size >= 30 && startsWith(d, size, 23, "\x9D\x01\x2A")) {  // lossy key frame
        return {le16(26) & 0x3FFF, le16(28) & 0x3FFF};
      }
      break;
    }
    case ImageFormat::Avif:
    case ImageFormat::Heic:
      return peekHeifDimensions(d, size);
    case ImageFormat::Tiff:
      return peekTiffDimensions(d, size);
    case ImageFormat::Unknown:
      break;
  }
  return {0, 0};
}

int peekJpegComponents(const std::uint8_t* data, std::size_t size) {
  if (sniffImageFormat(data, size) != ImageFormat::Jpeg) return 0;
  const std::size_t frame = findJpegFrameHeader(data, size);
  return frame ? data[frame + 9] : 0;
}

const char* formatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Png: return "PNG";
    case ImageFormat::Gif: return "GIF";
    case ImageFormat::Bmp: return "BMP";
    case ImageFormat::Webp: return "WebP";
    case ImageFormat::Avif: return "AVIF";
    case ImageFormat::Heic: return "HEIC";
    case ImageFormat::Tiff: return "TIFF";
    case ImageFormat::Unknown: break;
  }
  return "unknown";
}

const char* mimeType(ImageFormat format) {
  switch (format) {
    case ImageFormat::Jpeg: return "image/jpeg";
    case ImageFormat::Png: return "image/png";
    case ImageFormat::Gif: return "image/gif";
    case ImageFormat::Bmp: return "image/bmp";
    case ImageFormat::Webp: return "image/webp";
    case ImageFormat::Avif: return "image/avif";
    case ImageFormat::Heic: return "image/heic";
    case ImageFormat::Tiff: return "image/tiff";
    case ImageFormat::Unknown: break;
  }
  return "application/octet-stream";
}

}  // namespace dg
