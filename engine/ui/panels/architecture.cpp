// 11.3 Transformer 架构 — heads, positions, blocks, the diagram and the architect's view, as
// tabs (architecture_parts.h lists the file of each). The tab can be chosen at start-up with
// the option arch.tab=heads|pe|residual|diagram|architect.
#include <imgui.h>

#include <cstdio>
#include <string>

#include "ui/fonts.h"
#include "ui/panels/architecture_parts.h"
#include "ui/panels/narration.h"
#include "ui/panels/panels.h"
#include "ui/theme.h"
#include "ui/widgets/callout.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"
#include "ui/widgets/tab_strip.h"
#include "ui/widgets/text_field.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

struct ArchTab {
  const char* id;
  Str title;
  void (*draw)(AppState&, session::Session&);
};

static const ArchTab kTabs[] = {
    {"heads", Str::ArchTabHeads, DrawMultiHeadFigure},
    {"pe", Str::ArchTabPositions, DrawPositionalEncodingFigure},
    {"residual", Str::ArchTabResidual, DrawResidualFigure},
    {"diagram", Str::ArchTabDiagram, DrawArchitectureDiagram},
    {"architect", Str::ArchTabArchitect, DrawArchitectsView},
};

void ArchSentenceInput(session::Session& session) {
  static SentenceField field;
  ImGui::SetNextItemWidth(-1);
  SessionSentenceField(field, "###arch-sentence", Tr(Str::ArchSentence), session);
  Hotspot("arch_sentence");
  RequestGlyphs(field.text);
  TextProblemNote(session, GetPalette().badge_text);
  ByteSplitNote(session);  // a Chinese sentence: how it was split, and what the model was trained on
}

void ArchFigureTitle(const char* text) { Paragraph(text, GetPalette().accent); }

void DrawArchitecturePanel(AppState& app, session::Session& session) {
  const std::string requested = TakeOption(app, "arch.tab");
  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextUnformatted(Tr(Str::NavArchitecture));
  ImGui::PopFont();
  Paragraph(Tr(Str::ArchIntro));
  Callout(Tr(Str::ArchKeyIdeaHeading), Tr(Str::ArchKeyIdea));
  ImGui::Spacing();
  static int open = 0;
  std::vector<TabSpec> tabs;
  int wanted = -1;
  for (const ArchTab& tab : kTabs) {
    if (requested == tab.id) wanted = static_cast<int>(tabs.size());
    tabs.push_back({std::string(Tr(tab.title)) + "###arch-" + tab.id, std::string("arch_tab_") + tab.id});
  }
  const ArchTab& tab = kTabs[TabStrip("arch-tabs", tabs, &open, wanted)];
  ImGui::PushID(tab.id);
  ImGui::Spacing();
  tab.draw(app, session);
  ImGui::PopID();
  PublishPanelState("architecture_tab", "\"" + std::string(tab.id) + "\"");
}

}  // namespace attn::ui
