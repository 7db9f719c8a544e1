// The heatmap's rectangle, in Dear ImGui's vertex layout (position, uv, colour) and with
// ImGui's own projection, so it sits in an ImGui draw list like any image.
// (No #version line: the app prepends "#version 330 core" natively, "#version 300 es" on the web.)
uniform mat4 ProjMtx;
in vec2 Position;
in vec2 UV;
in vec4 Color;
out vec2 Frag_UV;
out float Frag_Alpha;

void main() {
  Frag_UV = UV;
  Frag_Alpha = Color.a;
  gl_Position = ProjMtx * vec4(Position, 0.0, 1.0);
}
