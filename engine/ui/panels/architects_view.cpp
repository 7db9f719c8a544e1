// 11.3 架构师视角 — four design choices of modern Transformers, each a small experiment in a
// file of its own (architect_parts.h lists them). This file is the tab strip over them: it
// reads the start-up options, tells the figures when another model loads, and publishes their
// state for tests and the embed API.
//
// Start-up options (--option / URL): arch.view=kv|rope|alibi|quant, and each figure's own
// (architect_kv.cpp: kv.*, architect_rope.cpp: rope.*, architect_alibi.cpp: alibi.*,
// architect_quant.cpp: quant.*).
#include <imgui.h>

#include <string>
#include <vector>

#include "formats/json.h"
#include "ui/panels/architect_parts.h"
#include "ui/panels/architecture_parts.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/paragraph.h"
#include "ui/widgets/tab_strip.h"

namespace attn::ui {

using i18n::Tr;

namespace {
const ArchitectFigure* const kFigures[] = {&kArchitectKv, &kArchitectRope, &kArchitectAlibi, &kArchitectQuant};
uint64_t seen_model = 0;  // Session::model_id the figures were last told about
int open_tab = 0;
}  // namespace

void DrawArchitectsView(AppState& app, session::Session& session) {
  // Pre-filled from the loaded model (again whenever another model loads), then the options.
  if (session.HasModel() && seen_model != session.model_id()) {
    for (const ArchitectFigure* f : kFigures)
      if (f->model_loaded) f->model_loaded(session.info().config);
    seen_model = session.model_id();
  }
  for (const ArchitectFigure* f : kFigures) f->read_options(app);
  const std::string requested = TakeOption(app, "arch.view");

  Paragraph(Tr(i18n::Str::ArchViewIntro));
  ImGui::Spacing();
  std::vector<TabSpec> tabs;
  int wanted = -1;
  for (const ArchitectFigure* f : kFigures) {
    if (requested == f->id) wanted = static_cast<int>(tabs.size());
    tabs.push_back({IdLabel(f->title, (std::string("arch-view-") + f->id).c_str()), std::string("arch_view_") + f->id});
  }
  const ArchitectFigure& shown = *kFigures[TabStrip("architect-views", tabs, &open_tab, wanted)];
  ImGui::PushID(shown.id);
  ImGui::Spacing();
  shown.draw(session);
  ImGui::PopID();

  std::string j = "{\"view\":" + json::Quote(shown.id);
  for (const ArchitectFigure* f : kFigures)
    if (const std::string members = f->state_json(session); !members.empty()) j += "," + members;
  PublishPanelState("architect", j + "}");
}

}  // namespace attn::ui
