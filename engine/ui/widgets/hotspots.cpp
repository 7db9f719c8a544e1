#include "ui/widgets/hotspots.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace attn::ui {
namespace {
struct Entry {
  std::string name;
  ImVec2 min, max;
};
std::vector<Entry> g_hotspots;
std::string g_focused;  // the hotspot holding the keyboard focus, if any
}  // namespace

void ClearHotspots() {
  g_hotspots.clear();
  g_focused.clear();
}

void Hotspot(const char* name) {
  g_hotspots.push_back({name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
  if (ImGui::IsItemFocused()) g_focused = name;
}

void HotspotRect(const char* name, ImVec2 min, ImVec2 max) { g_hotspots.push_back({name, min, max}); }

const std::string& FocusedHotspot() { return g_focused; }

static std::string Json(std::initializer_list<std::string_view> only, bool all) {
  std::string out = "{";
  char buf[160];
  for (const Entry& e : g_hotspots) {
    if (!all && std::find(only.begin(), only.end(), e.name) == only.end()) continue;
    std::snprintf(buf, sizeof buf, "%s\"%s\":[%.1f,%.1f,%.1f,%.1f]", out.size() > 1 ? "," : "", e.name.c_str(),
                  e.min.x, e.min.y, e.max.x, e.max.y);
    out += buf;
  }
  return out + "}";
}

std::string HotspotsJson() { return Json({}, true); }
std::string HotspotsJson(std::initializer_list<std::string_view> only) { return Json(only, false); }

}  // namespace attn::ui
