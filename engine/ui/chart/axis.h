// Chart axes without ImGui: the value ↔ pixel mapping, "nice" tick positions with their
// labels, linear or log scale, and the nearest-point search of a hover read-out. The line
// chart widget (ui/widgets/line_chart.h) draws with these; they are unit-tested on their own.
#pragma once
#include <string>
#include <vector>

namespace attn::ui::chart {

// One axis: values lo … hi land on pixels px_lo … px_hi (for a y axis px_hi < px_lo, since
// screen y grows downwards). A log axis needs 0 < lo < hi.
struct Axis {
  double lo = 0.0, hi = 1.0;
  bool log = false;
  float px_lo = 0.0f, px_hi = 1.0f;

  float ToPixel(double v) const;    // NaN for values a log axis cannot show (v <= 0, NaN)
  double FromPixel(float px) const;
};

// A tick mark's position and label. Log ticks are powers of ten: `text` "10" and `exponent`
// "−4" (drawn as a superscript); 1 and 10 are plain text with no exponent. Linear ticks have
// only `text`.
struct Tick {
  double value = 0.0;
  std::string text;
  std::string exponent;
};

// Ticks at 1, 2 or 5 × 10^k steps, all inside [lo, hi], at most `max_ticks` (≥ 2) of them,
// never closer than `min_step` (1: whole numbers only, for counts and positions). A range too
// short to hold a round number gets its two ends as ticks.
std::vector<Tick> LinearTicks(double lo, double hi, int max_ticks, double min_step = 0.0);

// Ticks at powers of ten inside [lo, hi] (lo > 0), every k-th decade so that there are at
// most `max_ticks` of them.
std::vector<Tick> LogTicks(double lo, double hi, int max_ticks);

// Widens [lo, hi] outwards to where ticks fall: whole decades on a log axis (non-positive
// bounds become 1e−3 … of the other), multiples of a 1-2-5 step on a linear one. An empty
// range (lo == hi) grows around its value.
void NiceRange(double* lo, double* hi, bool log);

// A data value for a read-out: 3 significant digits, "0.5", "12", "3.2e−05" (true minus).
std::string FormatValue(double v);

// The point of (px[i], py[i]) nearest to (x, y), skipping NaN coordinates; -1 if none.
// *dist2 (optional) receives its squared distance.
int NearestPoint(const float* px, const float* py, int count, float x, float y, float* dist2 = nullptr);

}  // namespace attn::ui::chart
