// 11.3, one tab of the architecture panel (architecture_parts.h). Coming soon.
#include "ui/i18n/i18n.h"
#include "ui/panels/architecture_parts.h"
#include "ui/theme.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

void DrawMultiHeadFigure(AppState&, session::Session&) {
  Paragraph(i18n::Tr(i18n::Str::ComingSoon), GetPalette().badge_text);
  Paragraph(i18n::Tr(i18n::Str::ArchPlan1));
}

}  // namespace attn::ui
