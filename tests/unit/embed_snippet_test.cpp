// The "Embed this figure" snippet: what a teacher pastes into a textbook page.
#include <doctest/doctest.h>

#include <string>

#include "ui/text/embed_snippet.h"

using attn::ui::EmbedSnippet;
using attn::ui::UrlEncode;

TEST_CASE("embed snippet: URL encoding keeps unreserved characters and escapes the rest") {
  CHECK(UrlEncode("The cat-sat_on.the~mat") == "The%20cat-sat_on.the~mat");
  CHECK(UrlEncode("猫") == "%E7%8C%AB");
  CHECK(UrlEncode("\"><script>&") == "%22%3E%3Cscript%3E%26");
}

TEST_CASE("embed snippet: the iframe carries panel, language and sentence, and nothing can break out") {
  const std::string s = EmbedSnippet("https://book.example/lab/index.html", "self-attention", "zh-CN",
                                     "The \"cat\" <b>sat</b>");
  CHECK(s.find("src=\"https://book.example/lab/index.html?embed=1&amp;panel=self-attention&amp;lang=zh-CN&amp;sentence=The%20%22cat%22%20%3Cb%3Esat%3C%2Fb%3E\"") != std::string::npos);
  CHECK(s.rfind("<iframe ", 0) == 0);
  CHECK(s.find("<b>") == std::string::npos);
  CHECK(EmbedSnippet("u", "sequence", "en", "").find("sentence=") == std::string::npos);
  std::string long_text(498, 'a');
  long_text += "注意";  // 498 + 3 + 3 bytes: the cut at 500 must not split 注
  const std::string cut = EmbedSnippet("u", "visualize", "en", long_text);
  CHECK(cut.find("%E6%B3") == std::string::npos);  // no half of 注 (E6 B3 A8)
  CHECK(cut.find(std::string(498, 'a') + "\"") != std::string::npos);
}

TEST_CASE("embed snippet: the figure's layer and head travel with it") {
  const std::string s = EmbedSnippet("u", "visualize", "en", "it", 2, 5);
  CHECK(s.find("?embed=1&amp;panel=visualize&amp;lang=en&amp;sentence=it&amp;layer=2&amp;head=5\"") != std::string::npos);
  const std::string mean = EmbedSnippet("u", "architecture", "en", "", 3, -1);  // the mean of the heads: no head
  CHECK(mean.find("&amp;layer=3\"") != std::string::npos);
  CHECK(mean.find("head=") == std::string::npos);
  CHECK(EmbedSnippet("u", "sequence", "en", "").find("layer=") == std::string::npos);  // no layers: 11.1, the toy
}
