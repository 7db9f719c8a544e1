// Bilingual UI strings (zh-CN first, en second).
//
// Every text the UI shows is a Str id looked up with Tr(); the table is strings.inc. The
// current language is process-wide, like ImGui's current context: the app sets it once per
// frame from its state and panels just call Tr(Str::X).
#pragma once
#include <span>
#include <string>
#include <string_view>

#include "core/message.h"
#include "core/result.h"

namespace attn::i18n {

using Lang = attn::Lang;  // core/message.h: the engine's messages come in the same two

enum class Str {
#define S(id, zh, en) id,
#include "ui/i18n/strings.inc"
#undef S
  Count
};

inline constexpr int kStringCount = static_cast<int>(Str::Count);

const char* Tr(Str id);             // in the current language
const char* Tr(Str id, Lang lang);  // in a given language
const char* IdName(Str id);         // "AppName": for tests and diagnostics

// An engine error in the current language (its row of core/messages.inc with its arguments);
// a developer's error without a row stays English.
std::string Tr(const Error& error);

// Every text the UI may show — the string table and the engine's messages — in both
// languages: the characters the font must have (fonts.cpp, attnlab-cli glyphs).
template <typename F>
void ForEachText(F&& f) {
  for (Lang lang : {Lang::Zh, Lang::En}) {
    for (int i = 0; i < kStringCount; ++i) f(Tr(static_cast<Str>(i), lang));
    for (int i = 1; i < static_cast<int>(Msg::Count); ++i) f(MessageFormat(static_cast<Msg>(i), lang));
  }
}

void SetLanguage(Lang lang);
Lang GetLanguage();

// "zh-CN" / "en": what the app reports and what the web page's <html lang> gets.
const char* LangCode(Lang lang);

// Accepts what a user or a URL may pass: "zh", "zh-CN", "zh_CN", "en", "en-US" (any case).
// Returns false, leaving *out alone, for anything else.
bool ParseLang(std::string_view text, Lang* out);

// The default language from a browser language ("zh-TW", "en-GB") or a POSIX locale
// ("zh_CN.UTF-8", "C"): Chinese for any zh, English for any other named language, and
// Chinese — the textbook's language — when nothing useful is given ("", "C", "POSIX").
Lang LangFromLocale(std::string_view locale);

}  // namespace attn::i18n
