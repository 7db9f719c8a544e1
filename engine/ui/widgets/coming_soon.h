// The page a chapter section shows until its figures are built: what the section teaches,
// its key idea, and the figures that are coming — clearly marked as not there yet.
#pragma once
#include "ui/i18n/i18n.h"

namespace attn::ui {

struct SectionPlan {
  i18n::Str title;
  i18n::Str intro;
  i18n::Str key_idea;
  i18n::Str planned[3];
};

void ComingSoonPage(const SectionPlan& plan);

// A boxed note with a coloured bar on the left: the chapter's key ideas.
void Callout(const char* heading, const char* body);

}  // namespace attn::ui
