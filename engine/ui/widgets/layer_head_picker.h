// The layer and head sliders of an attention figure, on one row when it fits:
//
//   [ 1 ——— 4 ] 层   [ 1 ——— 8 ] 头   □ 所有头的平均
//
// `layer` and `head` stay 0-based (IndexSlider shows them from 1) and are clamped to the model's
// shape first. `id` names the ImGui ids ("ID-layer", "ID-head", "ID-mean") and the hotspots
// ("ID_layer", "ID_head", "ID_mean"). With `mean_heads`, a checkbox averages the heads and the
// head slider is greyed while it is on. Returns true when anything changed.
#pragma once

namespace attn::ui {

bool LayerHeadPicker(const char* id, int* layer, int* head, int n_layer, int n_head, bool* mean_heads = nullptr);

}  // namespace attn::ui
