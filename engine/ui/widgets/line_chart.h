// LineChart(): an immediate-mode line chart drawn with ImDrawList — axes with ticks and
// labels, a linear or log y axis, several series with a legend, an optional vertical guide,
// and a read-out of the point nearest the mouse. Plain structs in, "is it hovered" out, no
// state kept between frames (the axis maths lives in ui/chart/axis.h, unit-tested).
//
//   const float steps[] = {1, 2, 3}, loss[] = {1.0f, 0.1f, 0.01f};
//   ChartSeries s[] = {{"RNN", steps, loss, 3}};
//   ChartAxes axes;  axes.x_label = "t";  axes.log_y = true;
//   ChartHover hover;
//   if (LineChart("##loss", axes, s, 0, 12 * em, &hover)) { … hover.series, hover.index … }
#pragma once
#include <cmath>
#include <span>

namespace attn::ui {

// The Okabe–Ito palette (Okabe & Ito 2008), safe for every common colour-vision deficiency:
// 0 blue, 1 vermillion, 2 bluish green, 3 orange, 4 reddish purple, 5 sky blue, 6 yellow
// (black is left out: it vanishes on the dark theme). Indices wrap around. ImU32.
unsigned OkabeIto(int index);

struct ChartSeries {
  const char* label = "";     // legend and read-out
  const float* x = nullptr;   // (count) x values, increasing
  const float* y = nullptr;   // (count) y values; NaN (or ≤ 0 on a log axis) breaks the line
  int count = 0;
  int color = -1;             // OkabeIto() index; -1: the series' position in the list
  bool dashed = false;
};

struct ChartAxes {
  const char* x_label = "";
  const char* y_label = "";   // drawn above the plot, left-aligned (no rotated text in ImGui)
  // Ranges; NaN: fitted to the data and widened to whole ticks. Points outside are clipped.
  float x_min = NAN, x_max = NAN;
  float y_min = NAN, y_max = NAN;
  bool log_y = false;
  bool x_integers = false;    // x ticks only at whole numbers (steps, lengths, counts)
  float marker_x = NAN;       // a dashed vertical guide at this x (e.g. the current step)
};

struct ChartHover {
  int series = -1;  // index into the series list, -1: the mouse is not over the plot
  int index = -1;   // point within that series
};

// Draws the chart `width` × `height` pixels (width ≤ 0: the available width) as one ImGui
// item, so Hotspot() and IsItemHovered() work after it. Returns true while the mouse is over
// the chart; *hover (optional) then names the nearest point, which gets a tooltip.
bool LineChart(const char* id, const ChartAxes& axes, std::span<const ChartSeries> series, float width,
               float height, ChartHover* hover = nullptr);

}  // namespace attn::ui
