// Writes a starting corpus for each fuzz target, so the fuzzers begin from valid files of every
// kind the core reads rather than having to discover the formats' magic bytes first.
//   fuzz_seeds DIR   ->  DIR/image/*, DIR/base64/*, DIR/response/*
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/base64.hpp"
#include "core/codec.hpp"
#include "fixtures/progressive_jpeg.hpp"
#include "fixtures/display_p3.hpp"
#include "fixtures/webp_images.hpp"
#include "image_writers.hpp"
#include "test_images.hpp"

namespace {

void write(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void write(const std::filesystem::path& path, const std::string& text) {
  write(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  using namespace dg::test;
  const std::filesystem::path dir = argv[1];
  const dg::Image picture = quadrants(24, 16);
  write(dir / "image/baseline.jpg", jpegOf(picture, 80));
  write(dir / "image/grey-quality.jpg", jpegOf(quadrants(9, 7), 95));
  write(dir / "image/exif6.jpg", withExifOrientation(jpegOf(picture, 80), 6, false));
  write(dir / "image/progressive.jpg", bytesOf(kProgressiveJpeg));
  write(dir / "image/flat-sequential.jpg", flatJpegOf(2048, 1536, kBlue));
  write(dir / "image/flat-progressive.jpg", flatJpegOf(2048, 1536, kBlue, true));
  write(dir / "image/grid.heic", heifDeclaring("heic", {{512, 512}, {4032, 3024}}));
  write(dir / "image/rgba.png", dg::encodePng(picture).value());
  write(dir / "image/palette.png", pngOf(4, 1, kPalette, 2, {Bytes{0x1B}}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {0}));
  // Grey, grey+alpha, RGB and RGBA PNGs under each of the four predicting filters.
  for (PngColour colour : {kGrey, kGreyAlpha, kRgbColour, kRgbaColour}) {
    for (int filter = 1; filter <= 4; ++filter) {
      std::vector<Bytes> rows(7, Bytes(9 * detail::pngChannels(colour)));
      for (std::size_t y = 0; y < rows.size(); ++y) {
        for (std::size_t i = 0; i < rows[y].size(); ++i) rows[y][i] = static_cast<std::uint8_t>((i * i + y) * 37 >> 3);
      }
      write(dir / ("image/filter" + std::to_string(filter) + "-type" + std::to_string(colour) + ".png"),
            pngOf(9, 7, colour, 8, rows, {}, {}, {filter, false}));
    }
  }
  write(dir / "image/interlaced.png", pngOf(3, 3, kGrey, 2, {Bytes{0x1B}, Bytes{0xE4}, Bytes{0x66}}, {}, {0, 1}, {4, true}));
  write(dir / "image/grey16.png", pngOf(2, 2, kGrey, 16, {Bytes{1, 2, 3, 4}, Bytes{5, 6, 7, 8}}));
  write(dir / "image/lossless.webp", bytesOf(kLosslessWebp));
  write(dir / "image/lossy.webp", bytesOf(kLossyWebp));
  write(dir / "image/lossy-alpha.webp", bytesOf(kLossyAlphaWebp));
  // Colour profiles: APP2 chunks, a compressed iCCP, an ICCP chunk.
  write(dir / "image/display-p3.jpg", bytesOf(kDisplayP3Jpeg));
  write(dir / "image/display-p3.png", bytesOf(kDisplayP3Png));
  write(dir / "image/display-p3.webp", bytesOf(kDisplayP3Webp));
  write(dir / "image/two-frames.gif", gifOf(4, 2, {0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255},
                                           {Bytes{0, 1, 2, 3, 3, 2, 1, 0}, Bytes(8, 1)}));

  const auto png = dg::encodePng(quadrants(4, 4)).value();
  write(dir / "base64/image.txt", dg::base64Encode(png));
  write(dir / "base64/wrapped.txt", "aGVsbG8g\r\nd29ybGQ=\n");
  write(dir / "base64/url-safe.txt", "-_-_AA");

  // First byte picks the status (index into the fuzzer's table), second the content type; the
  // length is explicit because either may be NUL.
  write(dir / "response/caption.json", std::string("\x00\x00", 2) + R"([{"generated_text":"a dog on a beach "}])");
  write(dir / "response/chat.json", std::string("\x00\x00", 2) +
                                        R"({"choices":[{"message":{"role":"assistant","content":"a cat"}}]})");
  write(dir / "response/b64.json", std::string("\x00\x00", 2) + R"({"data":[{"b64_json":")" +
                                       dg::base64Encode(png) + R"("}]})");
  std::vector<std::uint8_t> image{0, 3};
  image.insert(image.end(), png.begin(), png.end());
  write(dir / "response/image.png", image);
  write(dir / "response/error.json", std::string("\x0B\x00", 2) + R"({"error":"Model is loading","estimated_time":20})");
  write(dir / "response/detail.json", std::string("\x0A\x00", 2) + R"({"detail":[{"msg":"field required"}]})");
  // Every corner of JSON's grammar, for the comparison with nlohmann/json.
  write(dir / "response/grammar.json",
        std::string("\x00\x00", 2) +
            R"({"text":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t )" "\xF0\x9F\x98\x80" R"(",)"
            R"("n":[0,-0,12,-3.5e-2,1E+22,18446744073709551615,-9223372036854775808,0.1],)"
            R"("t":true,"f":false,"z":null,"o":{"a":[[]],"b":{}},"o":1})");
  write(dir / "response/page.html", std::string("\x0D\x02", 2) + "<html><head><title>502 Bad Gateway</title></head></html>");
  return 0;
}
