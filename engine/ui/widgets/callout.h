// A boxed note with a coloured bar on the left: the chapter's key ideas ("核心概念").
#pragma once

namespace attn::ui {

void Callout(const char* heading, const char* body);

}  // namespace attn::ui
