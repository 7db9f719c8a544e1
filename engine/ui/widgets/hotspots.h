// Named screen rectangles of important widgets, recorded each frame.
//
// The canvas is pixels to a browser, so tests (and, later, the screen-reader mirror) ask the
// app where things are: Hotspot("lang_toggle") right after a button records its rectangle.
#pragma once
#include <imgui.h>
#include <initializer_list>
#include <string>
#include <string_view>

namespace attn::ui {

void ClearHotspots();                 // at the start of a frame
void Hotspot(const char* name);       // records ImGui's last item under `name`
void HotspotRect(const char* name, ImVec2 min, ImVec2 max);  // a drawn shape that is no item (11.1's cart)
std::string HotspotsJson();           // {"name":[x0,y0,x1,y1],...} in framebuffer pixels
std::string HotspotsJson(std::initializer_list<std::string_view> only);  // just these (when drawn)
const std::string& FocusedHotspot();  // the one with keyboard focus ("" if none)

}  // namespace attn::ui
