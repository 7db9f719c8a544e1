// app/frame_damage.h: which parts of the window a frame must draw again.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "app/frame_damage.h"

using attn::app::DamageRect;
using attn::app::FrameDamage;

namespace {

struct Prim {
  float x0, y0, x1, y1;
  uint64_t hash;
};

constexpr int kW = 640, kH = 480, kT = FrameDamage::kTile;

// A page of small primitives (a grid of "glyphs") over one window-sized background.
std::vector<Prim> Page() {
  std::vector<Prim> page{{0, 0, kW, kH, 1}};
  uint64_t h = 100;
  for (int y = 8; y + 10 < kH; y += 20)
    for (int x = 8; x + 8 < kW; x += 12) page.push_back({float(x), float(y), float(x + 8), float(y + 10), h++});
  return page;
}

// As the main loop does, the hash covers the primitive's place as well as its look.
std::vector<DamageRect> Frame(FrameDamage& d, const std::vector<Prim>& prims, int w = kW, int h = kH) {
  d.BeginFrame(w, h);
  for (const Prim& p : prims) {
    const float sum = std::fabs(p.x0 * 7 + p.y0 * 131 + p.x1 * 1031 + p.y1 * 8191);
    const uint64_t place = std::isfinite(sum) && sum < 1e18f ? static_cast<uint64_t>(sum) : 0;
    d.Add(p.x0, p.y0, p.x1, p.y1, p.hash * 1000003u + place);
  }
  return d.EndFrame();
}

bool Covers(const std::vector<DamageRect>& bands, float x0, float y0, float x1, float y1) {
  for (const DamageRect& b : bands)
    if (b.x0 <= x0 && b.y0 <= y0 && b.x1 >= x1 && b.y1 >= y1) return true;
  return false;
}

int Area(const std::vector<DamageRect>& bands) {
  int a = 0;
  for (const DamageRect& b : bands) a += b.Area();
  return a;
}

}  // namespace

TEST_CASE("frame damage: the first frame is drawn whole, an unchanged one not at all") {
  FrameDamage d;
  const std::vector<Prim> page = Page();
  const std::vector<DamageRect> first = Frame(d, page);
  REQUIRE(first.size() == 1);
  CHECK(first[0].x0 == 0);
  CHECK(first[0].y0 == 0);
  CHECK(first[0].x1 == kW);
  CHECK(first[0].y1 == kH);
  CHECK(Frame(d, page).empty());
  CHECK(Frame(d, page).empty());
}

TEST_CASE("frame damage: one changed primitive redraws the tiles under it, old and new place") {
  FrameDamage d;
  std::vector<Prim> page = Page();
  Frame(d, page);
  Prim& glyph = page[40];
  const Prim before = glyph;
  glyph.hash = 99999;  // another colour, say
  std::vector<DamageRect> bands = Frame(d, page);
  REQUIRE(bands.size() == 1);
  CHECK(Covers(bands, glyph.x0, glyph.y0, glyph.x1, glyph.y1));
  CHECK(Area(bands) <= 4 * kT * kT);  // at most the 2×2 tiles it can straddle
  // Moved: both where it was and where it is now are drawn again.
  glyph.x0 -= 200;
  glyph.x1 -= 200;
  bands = Frame(d, page);
  CHECK(Covers(bands, before.x0, before.y0, before.x1, before.y1));
  CHECK(Covers(bands, glyph.x0, glyph.y0, glyph.x1, glyph.y1));
  CHECK(Area(bands) < kW * kH / 4);
}

TEST_CASE("frame damage: the order of primitives counts (what is drawn on top)") {
  FrameDamage d;
  std::vector<Prim> page = Page();
  page.push_back({300, 200, 340, 230, 7});
  page.push_back({310, 210, 350, 240, 8});
  Frame(d, page);
  std::swap(page[page.size() - 1], page[page.size() - 2]);
  const std::vector<DamageRect> bands = Frame(d, page);
  REQUIRE_FALSE(bands.empty());
  CHECK(Covers(bands, 310, 210, 340, 230));  // the overlap, where the top one changed
}

TEST_CASE("frame damage: changes far apart become separate bands, at most kMaxBands") {
  FrameDamage d;
  std::vector<Prim> page = Page();
  Frame(d, page);
  page[1].hash ^= 1;             // top
  page[page.size() - 2].hash ^= 1;  // bottom
  std::vector<DamageRect> bands = Frame(d, page);
  REQUIRE(bands.size() == 2);
  CHECK(Area(bands) <= 2 * 4 * kT * kT);
  // A change in every other row of glyphs: many bands, merged down to kMaxBands, every
  // change still covered.
  std::vector<Prim> changed = Page();
  for (Prim& p : changed)
    if (p.hash >= 100 && static_cast<int>(p.y0) % 80 == 8 && static_cast<int>(p.x0) == 20) p.hash += 50000;
  Frame(d, Page());
  bands = Frame(d, changed);
  CHECK(bands.size() == static_cast<size_t>(FrameDamage::kMaxBands));
  for (const Prim& p : changed)
    if (p.hash >= 50000) CHECK(Covers(bands, p.x0, p.y0, p.x1, p.y1));
}

TEST_CASE("frame damage: most of the window changed, a size change or Invalidate: drawn whole") {
  FrameDamage d;
  const std::vector<Prim> page = Page();
  Frame(d, page);
  std::vector<Prim> scrolled = page;  // everything moved down a little (a scroll)
  for (Prim& p : scrolled)
    if (p.hash >= 100) {
      p.y0 += 5;
      p.y1 += 5;
    }
  std::vector<DamageRect> bands = Frame(d, scrolled);
  REQUIRE(bands.size() == 1);
  CHECK(bands[0].Area() == kW * kH);
  Frame(d, scrolled);
  bands = Frame(d, scrolled, kW + 10, kH);
  REQUIRE(bands.size() == 1);
  CHECK(bands[0].Area() == (kW + 10) * kH);
  Frame(d, scrolled, kW + 10, kH);
  d.Invalidate();
  bands = Frame(d, scrolled, kW + 10, kH);
  REQUIRE(bands.size() == 1);
  CHECK(bands[0].Area() == (kW + 10) * kH);
}

TEST_CASE("frame damage: empty, off-window and NaN boxes touch no tile; huge ones their tiles") {
  FrameDamage d;
  std::vector<Prim> page = Page();
  Frame(d, page);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  page.push_back({50, 50, 50, 60, 5});           // zero width
  page.push_back({-40, -40, -1, -1, 6});         // above and left of the window
  page.push_back({kW + 1, 10, kW + 50, 20, 7});  // right of it
  page.push_back({nan, 10, 20, 20, 8});
  CHECK(Frame(d, page).empty());
  // Far outside an int's range: only the tiles it covers inside the window (all of row 0).
  page.push_back({-1e30f, 0, 1e30f, 10, 9});
  const std::vector<DamageRect> bands = Frame(d, page);
  REQUIRE(bands.size() == 1);
  CHECK(bands[0].x0 == 0);
  CHECK(bands[0].x1 == kW);
  CHECK(bands[0].y0 == 0);
  CHECK(bands[0].y1 == kT);
}
