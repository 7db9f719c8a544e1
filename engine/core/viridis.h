// matplotlib's viridis colour map (perceptually uniform, readable for colour-blind readers and
// in greyscale print): the heatmaps' colours (ui/widgets/colormap.cpp) and the HTML report's
// (session/report_html.cpp) come from this one table.
#pragma once

namespace attn {

struct Rgb {
  unsigned char r, g, b;
};

// t in [0, 1] (clamped; NaN gives the colour of 0), interpolated between 11 samples.
Rgb ViridisRgb(float t);

// Black or white text, whichever reads on `background` (relative luminance above 150/255: black).
Rgb TextOn(Rgb background);

}  // namespace attn
