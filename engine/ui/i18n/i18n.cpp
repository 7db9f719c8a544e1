#include "ui/i18n/i18n.h"

#include <cctype>

namespace attn::i18n {
namespace {

struct Entry {
  const char* id;
  const char* text[2];  // indexed by Lang
};

constexpr Entry kTable[] = {
#define S(id, zh, en) {#id, {zh, en}},
#include "ui/i18n/strings.inc"
#undef S
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == kStringCount);

Lang g_language = Lang::Zh;

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

// "zh", "zh-..." or "zh_..." (the language subtag and nothing longer, so "zha" is not zh).
bool IsLanguage(std::string_view text, std::string_view lang) {
  return StartsWithNoCase(text, lang) &&
         (text.size() == lang.size() || text[lang.size()] == '-' || text[lang.size()] == '_' ||
          text[lang.size()] == '.');
}

}  // namespace

const char* Tr(Str id) { return Tr(id, g_language); }

const char* Tr(Str id, Lang lang) {
  const int i = static_cast<int>(id);
  if (i < 0 || i >= kStringCount) return "?";
  return kTable[i].text[static_cast<int>(lang)];
}

std::string Tr(const Error& error) {
  return error.id == Msg::None ? error.message : FormatMessage(error.id, error.args, g_language);
}

const char* IdName(Str id) {
  const int i = static_cast<int>(id);
  return (i >= 0 && i < kStringCount) ? kTable[i].id : "?";
}

void SetLanguage(Lang lang) { g_language = lang; }
Lang GetLanguage() { return g_language; }

const char* LangCode(Lang lang) { return lang == Lang::Zh ? "zh-CN" : "en"; }

bool ParseLang(std::string_view text, Lang* out) {
  if (IsLanguage(text, "zh")) { *out = Lang::Zh; return true; }
  if (IsLanguage(text, "en")) { *out = Lang::En; return true; }
  return false;
}

Lang LangFromLocale(std::string_view locale) {
  if (locale.empty() || locale == "C" || locale == "POSIX" || IsLanguage(locale, "c"))
    return Lang::Zh;
  return IsLanguage(locale, "zh") ? Lang::Zh : Lang::En;
}

}  // namespace attn::i18n
