// One texel per matrix cell. The texel holds the cell's place in the figure's colour range,
//     level = (value − vmin) / (vmax − vmin)   in 0 … 1 (8 bits; mip levels average cells when
// they are smaller than a pixel: the mean of a block, coloured, like the CPU fallback does),
// and the colour comes from a 256-texel strip of the colour map: row 0 viridis (weights,
// norms), row 1 the diverging blue–grey–orange map (signed values). Both strips are filled on
// the CPU from ui/widgets/colormap.cpp, so shader and fallback draw the same colours.
uniform sampler2D Values;    // rows × cols, R8
uniform sampler2D ColorMap;  // 256 × 2, RGBA8
uniform float MapRow;        // 0.25: viridis, 0.75: diverging
uniform vec2 Cells;          // cols, rows
uniform float Gap;           // 1.0: leave a one-pixel gap right of and below every cell
in vec2 Frag_UV;
in float Frag_Alpha;
out vec4 Out_Color;

void main() {
  if (Gap > 0.5) {  // the cell grid, as the CPU path leaves it: a pixel of background between cells
    vec2 cell = Frag_UV * Cells;
    vec2 pixel = fwidth(cell);  // one screen pixel, in cells
    if (fract(cell.x) > 1.0 - pixel.x || fract(cell.y) > 1.0 - pixel.y) discard;
  }
  float level = texture(Values, Frag_UV).r;
  vec3 rgb = texture(ColorMap, vec2((level * 255.0 + 0.5) / 256.0, MapRow)).rgb;
  Out_Color = vec4(rgb, Frag_Alpha);
}
