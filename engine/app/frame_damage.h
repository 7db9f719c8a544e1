// Redraw only what changed: the parts of the window a frame draws differently from the last.
//
// Hovering a token changes a few hundred pixels of a 1280×900 page, but Dear ImGui submits the
// whole frame every time. Where the browser rasterises WebGL on the CPU (SwiftShader: headless
// Chromium, and school computers whose GPU the browser does not trust) filling the window cost
// ~20 ms of a ~34 ms hover frame; drawing inside the changed rectangles only costs a few.
//
// How a change is found: the window is cut into square tiles, and each tile keeps a running
// hash of every primitive (a triangle with its vertices, texture, clip rectangle and render
// state) that touches it, in drawing order. A tile whose hash differs from the last frame's
// shows something else; its pixels are redrawn, the others are left as they are (the page's
// canvas keeps its drawing buffer: WebGL's preserveDrawingBuffer). The tiles to redraw are
// gathered into a few horizontal bands; each band is drawn with every clip rectangle cut to it.
//
// Plain policy, no ImGui or GL here: the main loop feeds it (gui_main.cpp), the unit tests
// drive it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace attn::app {

struct DamageRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // framebuffer pixels, top-left origin, x1/y1 exclusive
  int Area() const { return std::max(0, x1 - x0) * std::max(0, y1 - y0); }
};

class FrameDamage {
 public:
  static constexpr int kTile = 32;     // pixels per tile side
  static constexpr int kMaxBands = 4;  // each band is one more pass over the draw data
  // Redrawing most of the window in bands costs more than once over all of it.
  static constexpr double kFullScreenShare = 0.6;

  // The next frame is drawn whole (the first frame, a lost drawing buffer, a texture whose
  // pixels changed under the same name).
  void Invalidate() { valid_ = false; }

  void BeginFrame(int fb_w, int fb_h) {
    if (fb_w != fb_w_ || fb_h != fb_h_) valid_ = false;
    fb_w_ = fb_w;
    fb_h_ = fb_h;
    cols_ = (fb_w + kTile - 1) / kTile;
    rows_ = (fb_h + kTile - 1) / kTile;
    current_.assign(static_cast<size_t>(cols_) * rows_, kEmptyTile);
  }

  // One primitive, in drawing order: its bounding box already cut to its clip rectangle, and a
  // hash of everything that decides its pixels.
  void Add(float x0, float y0, float x1, float y1, uint64_t hash) {
    if (!(x1 > x0 && y1 > y0)) return;  // nothing drawn (and NaN coordinates)
    if (x1 <= 0 || y1 <= 0 || x0 >= fb_w_ || y0 >= fb_h_) return;  // off the window
    // Cut to the window before converting: a float far outside an int's range has no int.
    const int c0 = static_cast<int>(std::max(x0, 0.0f)) / kTile;
    const int c1 = std::min(static_cast<int>(std::min(x1, static_cast<float>(fb_w_ - 1))) / kTile, cols_ - 1);
    const int r0 = static_cast<int>(std::max(y0, 0.0f)) / kTile;
    const int r1 = std::min(static_cast<int>(std::min(y1, static_cast<float>(fb_h_ - 1))) / kTile, rows_ - 1);
    for (int r = r0; r <= r1; ++r)
      for (int c = c0; c <= c1; ++c) {
        uint64_t& t = current_[static_cast<size_t>(r) * cols_ + c];
        t = (t ^ hash) * 1099511628211ull;  // FNV-1a step: the order of primitives counts
      }
  }

  // The rectangles to redraw this frame (none when nothing changed); the frame's tiles become
  // the ones the next frame is compared with.
  std::vector<DamageRect> EndFrame() {
    std::vector<DamageRect> bands;
    if (!valid_ || previous_.size() != current_.size()) {
      bands.push_back({0, 0, fb_w_, fb_h_});
    } else {
      for (int r = 0; r < rows_; ++r) {
        int first = cols_, last = -1;
        for (int c = 0; c < cols_; ++c)
          if (current_[static_cast<size_t>(r) * cols_ + c] != previous_[static_cast<size_t>(r) * cols_ + c]) {
            first = std::min(first, c);
            last = c;
          }
        if (last < 0) continue;
        const DamageRect row{first * kTile, r * kTile, std::min(fb_w_, (last + 1) * kTile), std::min(fb_h_, (r + 1) * kTile)};
        if (!bands.empty() && bands.back().y1 == row.y0) {  // the band above goes on
          DamageRect& b = bands.back();
          b = {std::min(b.x0, row.x0), b.y0, std::max(b.x1, row.x1), row.y1};
        } else {
          bands.push_back(row);
        }
      }
      while (bands.size() > static_cast<size_t>(kMaxBands)) MergeClosest(bands);
      int area = 0;
      for (const DamageRect& b : bands) area += b.Area();
      if (area > kFullScreenShare * fb_w_ * fb_h_) bands.assign(1, {0, 0, fb_w_, fb_h_});
    }
    previous_.swap(current_);
    valid_ = true;
    return bands;
  }

 private:
  static constexpr uint64_t kEmptyTile = 14695981039346656037ull;

  // Two neighbouring bands become one, the pair with the smallest gap between them.
  static void MergeClosest(std::vector<DamageRect>& bands) {
    size_t best = 0;
    for (size_t i = 1; i + 1 < bands.size(); ++i)
      if (bands[i + 1].y0 - bands[i].y1 < bands[best + 1].y0 - bands[best].y1) best = i;
    DamageRect& a = bands[best];
    const DamageRect& b = bands[best + 1];
    a = {std::min(a.x0, b.x0), a.y0, std::max(a.x1, b.x1), b.y1};
    bands.erase(bands.begin() + static_cast<long>(best) + 1);
  }

  bool valid_ = false;
  int fb_w_ = 0, fb_h_ = 0, cols_ = 0, rows_ = 0;
  std::vector<uint64_t> current_, previous_;
};

}  // namespace attn::app
