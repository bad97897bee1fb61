// The native half of ./scripts/bench: writes the deterministic inputs the browser half times, and
// times the same core's prepareUpload on them natively. Not a test; never run by CTest.
//
//   dg_bench generate DIR [--large]  photo-12mp.jpg, photo-12mp-p3.jpg (the same with a Display P3
//                                    profile, as an iPhone's), photo-2mp.jpg, screenshot-512.png,
//                                    screenshot-2880.png
//                                    (--large: also photo-200mp.jpg, 16320x12240, about 20 s)
//   dg_bench time RUNS FILE...     one JSON line per file: median milliseconds and upload size

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/prepare.hpp"
#include "fixtures/display_p3.hpp"

namespace {

std::uint32_t hash(std::uint32_t x, std::uint32_t y, std::uint32_t seed) {
  std::uint32_t h = x * 0x8DA6B343u ^ y * 0xD8163841u ^ seed * 0xCB1AB31Fu;
  h ^= h >> 13;
  h *= 0x85EBCA6Bu;
  h ^= h >> 16;
  return h;
}

// Smoothly interpolated lattice noise in [0, 1): large cells give sky-like gradients, small ones texture.
float valueNoise(int x, int y, int cell, std::uint32_t seed) {
  const int cx = x / cell, cy = y / cell;
  const float fx = float(x % cell) / cell, fy = float(y % cell) / cell;
  const float sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  auto at = [&](int i, int j) { return (hash(cx + i, cy + j, seed) & 0xFFFF) / 65536.0f; };
  const float top = at(0, 0) + (at(1, 0) - at(0, 0)) * sx;
  const float bottom = at(0, 1) + (at(1, 1) - at(0, 1)) * sx;
  return top + (bottom - top) * sy;
}

// Photo-like: broad colour fields, mid-scale texture, fine detail and sensor-like noise, so the
// JPEG's size per pixel resembles a phone photo's rather than a flat test card's.
dg::Image photo(int width, int height, bool alpha) {
  dg::Image image(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      std::uint8_t* p = image.pixel(x, y);
      for (int c = 0; c < 3; ++c) {
        const float v = 0.15f + 0.55f * valueNoise(x, y, 640, 1 + c) + 0.2f * valueNoise(x, y, 48, 11 + c) +
                        0.1f * valueNoise(x, y, 6, 21 + c);
        const int noise = int(hash(x, y, 31 + c) % 13) - 6;
        p[c] = std::uint8_t(std::clamp(int(v * 255) + noise, 0, 255));
      }
      p[3] = alpha && x < width / 6 ? 0 : 255;  // a transparent margin, as screenshots of windows have
    }
  }
  return image;
}

// Screenshot-like: a desktop window at a Retina display's 2880x1800, with flat panels, lines of
// glyph-like strokes as text, and an illustration in it; about 1.2 MB as PNG, as such a Retina
// screenshot is.
dg::Image screenshot(int width, int height) {
  dg::Image image(width, height);
  const int pictureWidth = width / 3, pictureHeight = height / 3;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      std::uint8_t* p = image.pixel(x, y);
      int v[3] = {250, 250, 250};  // the document
      if (y < 80) v[0] = v[1] = v[2] = 228;                               // title bar
      else if (x < 480) v[0] = 236, v[1] = 238, v[2] = 242;               // sidebar
      const int line = (y - 120) % 44, cell = (x - 520) % 18;             // text: 18x44 glyph cells
      const bool inText = y >= 120 && line < 22 && x >= 520 && x < width - 80 && cell < 12 &&
                          (hash(x / 18, y / 44, 7) & 7) != 0;
      if (inText) {
        const std::uint32_t glyph = hash(x / 18, y / 44, 9);
        const int gx = cell / 4, gy = line * 5 / 22;  // a 3x5 grid of strokes per glyph
        if (glyph >> (gy * 3 + gx) & 1) v[0] = v[1] = v[2] = 40;
      }
      const int px = x - width / 2, py = y - height / 2 + pictureHeight / 2;
      if (px >= 0 && py >= 0 && px < pictureWidth && py < pictureHeight) {  // an illustration, smoother than a photo
        for (int c = 0; c < 3; ++c) {
          v[c] = int(255 * (0.2f + 0.6f * valueNoise(px, py, 160, 1 + c) + 0.2f * valueNoise(px, py, 12, 11 + c)));
        }
      }
      p[0] = std::uint8_t(v[0]), p[1] = std::uint8_t(v[1]), p[2] = std::uint8_t(v[2]), p[3] = 255;
    }
  }
  return image;
}

bool write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return bool(out);
}

// The JPEG with the Display P3 fixture's ICC profile segment (APP2) inserted after its SOI marker.
std::vector<std::uint8_t> withDisplayP3Profile(const std::vector<std::uint8_t>& jpeg) {
  const std::vector<std::uint8_t> tagged(std::begin(dg::test::kDisplayP3Jpeg), std::end(dg::test::kDisplayP3Jpeg));
  const char name[] = "ICC_PROFILE";
  const auto at = std::search(tagged.begin(), tagged.end(), name, name + sizeof name) - 4;  // FF E2, length
  const std::size_t length = 2 + (at[2] << 8 | at[3]);
  std::vector<std::uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
  out.insert(out.end(), at, at + length);
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

int generate(const std::string& dir, bool large) {
  struct Input {
    const char* name;
    int width, height;
    bool png;
    bool desktop = false;  // a screenshot() rather than a photo()
  };
  std::vector<Input> inputs{{"photo-12mp.jpg", 4032, 3024, false}, {"photo-2mp.jpg", 1632, 1224, false},
                            {"screenshot-512.png", 512, 512, true}, {"screenshot-2880.png", 2880, 1800, true, true}};
  if (large) inputs.push_back({"photo-200mp.jpg", 16320, 12240, false});  // a phone's 200 MP mode
  for (const Input& input : inputs) {
    const dg::Image image =
        input.desktop ? screenshot(input.width, input.height) : photo(input.width, input.height, input.png);
    const auto bytes = input.png ? dg::encodePng(image) : dg::encodeJpeg(image, 90);
    if (!bytes.ok() || !write(dir + "/" + input.name, bytes.value())) {
      std::fprintf(stderr, "could not write %s/%s\n", dir.c_str(), input.name);
      return 1;
    }
    if (std::string(input.name) == "photo-12mp.jpg" &&
        !write(dir + "/photo-12mp-p3.jpg", withDisplayP3Profile(bytes.value()))) {
      std::fprintf(stderr, "could not write %s/photo-12mp-p3.jpg\n", dir.c_str());
      return 1;
    }
  }
  return 0;
}

int time(int runs, const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<double> ms;
    std::size_t uploadBytes = 0;
    for (int run = 0; run <= runs; ++run) {  // run 0 warms caches and the allocator
      const auto start = std::chrono::steady_clock::now();
      const auto prepared = dg::prepareUpload(bytes.data(), bytes.size(), dg::PrepareOptions{});
      const auto stop = std::chrono::steady_clock::now();
      if (!prepared.ok()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), prepared.error().message.c_str());
        return 1;
      }
      uploadBytes = prepared.value().bytes.size();
      if (run > 0) ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("{\"file\":\"%s\",\"medianMs\":%.2f,\"uploadBytes\":%zu}\n", file.c_str(), ms[ms.size() / 2],
                uploadBytes);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if ((args.size() == 2 || (args.size() == 3 && args[2] == "--large")) && args[0] == "generate") {
    return generate(args[1], args.size() == 3);
  }
  if (args.size() >= 3 && args[0] == "time") return time(std::max(1, std::atoi(args[1].c_str())), {args.begin() + 2, args.end()});
  std::fprintf(stderr, "usage: dg_bench generate DIR [--large] | dg_bench time RUNS FILE...\n");
  return 2;
}
