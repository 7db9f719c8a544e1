// Tabs whose labels a student can always read: ImGui's tab bar when every label fits on one
// line, else the same tabs as buttons that wrap onto more lines (a phone, a narrow window),
// where the tab bar would cut them to "多头注…". Either way the caller draws the open tab's
// content after the call, inside PushID(tab id).
#pragma once
#include <string>
#include <vector>

namespace attn::ui {

struct TabSpec {
  std::string label;    // shown (may end in "###id")
  std::string hotspot;  // recorded for tests and the page ("arch_tab_heads")
};

// Draws the tabs of strip `id` and returns the index of the open one. `*open` is the caller's
// open tab (kept between frames); `requested` >= 0 opens that tab (a URL option).
int TabStrip(const char* id, const std::vector<TabSpec>& tabs, int* open, int requested = -1);

}  // namespace attn::ui
