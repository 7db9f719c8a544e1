#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/utf8.h"
#include "ui/i18n/i18n.h"

using namespace attn::i18n;
namespace utf8 = attn::utf8;

static int CountOf(const std::string& s, char c) {
  int n = 0;
  for (char x : s) n += x == c;
  return n;
}

TEST_CASE("i18n: every string exists in both languages, as valid UTF-8") {
  for (int i = 0; i < kStringCount; ++i) {
    const Str id = static_cast<Str>(i);
    CAPTURE(IdName(id));
    const std::string zh = Tr(id, Lang::Zh), en = Tr(id, Lang::En);
    CHECK_FALSE(zh.empty());
    CHECK_FALSE(en.empty());
    CHECK(utf8::IsValid(zh));
    CHECK(utf8::IsValid(en));
    // printf-style placeholders must agree, or one language would crash or drop a value.
    CHECK(CountOf(zh, '%') == CountOf(en, '%'));
    // "###" would change ImGui IDs per language: IDs are added where strings are used.
    CHECK(zh.find("###") == std::string::npos);
    CHECK(en.find("###") == std::string::npos);
  }
}

TEST_CASE("i18n: the Chinese table is Chinese and the English table is not") {
  auto has_cjk = [](const char* s) {
    for (char32_t c : utf8::ToCodepoints(s)) if (c >= 0x4E00 && c <= 0x9FFF) return true;
    return false;
  };
  int zh_with_cjk = 0;
  for (int i = 0; i < kStringCount; ++i) {
    const Str id = static_cast<Str>(i);
    zh_with_cjk += has_cjk(Tr(id, Lang::Zh));
    // English strings may name Chinese (the language button says 中文); nothing else may.
    if (id != Str::LanguageButton && id != Str::LanguageTooltip) {
      CAPTURE(IdName(id));
      CHECK_FALSE(has_cjk(Tr(id, Lang::En)));
    }
  }
  CHECK(zh_with_cjk > kStringCount * 3 / 4);
  CHECK(std::string(Tr(Str::NavSelfAttention, Lang::Zh)) == "11.2 自注意力");
  CHECK(std::string(Tr(Str::NavSelfAttention, Lang::En)) == "11.2 Self-Attention");
}

// web/loader.js shows the Web* entries through site/strings.js, and web/index.html names its
// texts as {{Id.zh}} / {{Id.en}}; the web build generates both (tools/gen-web-strings.mjs fails
// the same way). Checked here too, where no web build runs.
static std::string ReadSource(const char* rel) {
  std::ifstream in(std::string(ATTNLAB_SOURCE_DIR) + "/" + rel);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("i18n: every id web/loader.js and web/index.html name is in strings.inc, and every Web* entry is used") {
  std::set<std::string> all, web;
  for (int i = 0; i < kStringCount; ++i) {
    const std::string id = IdName(static_cast<Str>(i));
    all.insert(id);
    if (id.rfind("Web", 0) == 0) web.insert(id);
  }
  CHECK(web.size() > 10);
  std::set<std::string> used;
  const std::string js = ReadSource("web/loader.js");
  const std::regex quoted("['\"`](Web[A-Z]\\w*)['\"`]");
  for (auto it = std::sregex_iterator(js.begin(), js.end(), quoted); it != std::sregex_iterator(); ++it) {
    const std::string id = (*it)[1];
    used.insert(id);
    CAPTURE(id);
    CHECK(web.count(id) == 1);  // named in loader.js: must be a Web* entry of strings.inc
  }
  const std::string html = ReadSource("web/index.html");
  const std::regex placeholder("\\{\\{\\s*(\\w+)\\.(zh|en)\\s*\\}\\}");
  int in_html = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), placeholder); it != std::sregex_iterator(); ++it) {
    const std::string id = (*it)[1];
    used.insert(id);
    ++in_html;
    CAPTURE(id);
    CHECK(all.count(id) == 1);  // named in index.html: must be an entry of strings.inc
  }
  CHECK(in_html >= 10);
  for (const std::string& id : web) {
    CAPTURE(id);
    CHECK(used.count(id) == 1);  // a Web* entry that the page never shows
  }
}

TEST_CASE("i18n: the current language switches what Tr returns") {
  const Lang before = GetLanguage();
  SetLanguage(Lang::En);
  CHECK(std::string(Tr(Str::AppName)) == "Attention Lab");
  SetLanguage(Lang::Zh);
  CHECK(std::string(Tr(Str::AppName)) == "注意力实验室");
  SetLanguage(before);
}

TEST_CASE("i18n: languages from browsers, locales and users") {
  Lang lang = Lang::En;
  CHECK(ParseLang("zh-CN", &lang));
  CHECK(lang == Lang::Zh);
  CHECK(ParseLang("EN", &lang));
  CHECK(lang == Lang::En);
  CHECK(ParseLang("zh_CN", &lang));
  CHECK(lang == Lang::Zh);
  CHECK_FALSE(ParseLang("zha", &lang));     // a different language code, not zh
  CHECK_FALSE(ParseLang("", &lang));
  CHECK_FALSE(ParseLang("<script>", &lang));
  CHECK(lang == Lang::Zh);                  // failed parses leave the value alone

  CHECK(LangFromLocale("zh_CN.UTF-8") == Lang::Zh);
  CHECK(LangFromLocale("zh-TW") == Lang::Zh);
  CHECK(LangFromLocale("en_US.UTF-8") == Lang::En);
  CHECK(LangFromLocale("fr-FR") == Lang::En);
  CHECK(LangFromLocale("C.UTF-8") == Lang::Zh);  // no preference: the textbook's language
  CHECK(LangFromLocale("POSIX") == Lang::Zh);
  CHECK(LangFromLocale("") == Lang::Zh);
  CHECK(std::string(LangCode(Lang::Zh)) == "zh-CN");
  CHECK(std::string(LangCode(Lang::En)) == "en");
}
