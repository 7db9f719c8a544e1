// session/report_html: the report as one self-contained HTML page — structure, the student's
// text kept as text, pinned weights coloured as in the app (viridis).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/viridis.h"
#include "session/report.h"
#include "session/report_html.h"

using namespace attn;

namespace {
size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("report html: headings, quotes, lists, tables and bold from the report's Markdown") {
  session::Notes n;
  n.guesses.push_back({"q1", "“it” → ?", "robot", "mail", false});
  n.figures.push_back({"L2 H3", "", "11.4 可视化注意力"});
  session::AttentionPinText pin;
  pin.title = "L2 H3 · “it”";
  pin.section = "11.4 可视化注意力";
  pin.row_heading = "“it” 的注意力";
  pin.col_token = "词";
  pin.col_weight = "权重";
  pin.matrix_heading = "整个矩阵";
  pin.note_heading = "我的观察";
  n.figures[0] = session::AttentionPinFigure({"The", "it"}, {1.0f, 0.0f, 0.8f, 0.2f}, 1, pin, "看 robot\n<script>alert(1)</script>");
  std::vector<session::ReportSection> sections(1);
  sections[0].heading = "练习 1";
  sections[0].answers = {{"你的回答", "a & b | c"}};
  sections[0].items = {{"L0H1", "前一个词"}};
  session::ReportText t;
  t.title = "报告 <标题>";
  t.intro = "姓名：<b>小明</b>";
  t.guesses_heading = "预测";
  t.col_question = "问题";
  t.col_guess = "猜测";
  t.col_answer = "答案";
  t.col_result = "结果";
  t.wrong = "✗";
  t.score = "得分：0 对 1 错";
  t.figures_heading = "图表";
  const std::string html = session::ReportHtml(session::ReportMarkdown(n, sections, t), "报告", "zh-CN");

  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"zh-CN\">", 0) == 0);
  CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(html.find("<h1>报告 &lt;标题&gt;</h1>") != std::string::npos);
  CHECK(html.find("<p>姓名：&lt;b&gt;小明&lt;/b&gt;</p>") != std::string::npos);  // a name is text
  CHECK(html.find("<h2>练习 1</h2>") != std::string::npos);
  CHECK(html.find("<p><strong>你的回答</strong></p>") != std::string::npos);
  CHECK(html.find("<blockquote>a &amp; b | c</blockquote>") != std::string::npos);
  CHECK(html.find("<ul><li>L0H1: 前一个词</li></ul>") != std::string::npos);
  CHECK(html.find("<tr><th>问题</th><th>猜测</th><th>答案</th><th>结果</th></tr>") != std::string::npos);
  CHECK(html.find("<td>“it” → ?</td><td>robot</td><td>mail</td><td>✗</td>") != std::string::npos);
  CHECK(html.find("<h3>11.4 可视化注意力</h3>") != std::string::npos);
  CHECK(html.find("<h4>L2 H3 · “it”</h4>") != std::string::npos);
  // The student's note: line by line in one quote, the tag shown as text, never as a tag.
  CHECK(html.find("<blockquote>看 robot<br>&lt;script&gt;alert(1)&lt;/script&gt;</blockquote>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);  // self-contained: nothing to fetch
  CHECK(html.find("http") == std::string::npos);
  // Weights: 2 in the row table (0.800, 0.200) and 4 in the matrix, each coloured.
  CHECK(Count(html, "class=\"w\"") == 2 + 4);
  const Rgb c = ViridisRgb(0.8f), fg = TextOn(c);
  char cell[160];
  std::snprintf(cell, sizeof cell, "<td class=\"w\" style=\"background:#%02x%02x%02x;color:#%02x%02x%02x\">0.800</td>", c.r, c.g,
                c.b, fg.r, fg.g, fg.b);
  CHECK(html.find(cell) != std::string::npos);
  CHECK(Count(html, "<table>") == Count(html, "</table>"));
  CHECK(Count(html, "<blockquote>") == Count(html, "</blockquote>"));
}

TEST_CASE("report html: cell breaks, escaped pipes, unbalanced bold and what is not a weight") {
  const std::string md = "| a | b |\n|---|---:|\n| x\\|y<br>z | 2.5 |\n| **k | 1 |\n\n**open\n";
  const std::string html = session::ReportHtml(md, "t", "en");
  CHECK(html.find("<td>x|y<br>z</td><td class=\"r\">2.5</td>") != std::string::npos);  // 2.5 > 1: no colour
  CHECK(html.find("<td>**k</td><td class=\"r\">1</td>") != std::string::npos);          // "1": no decimal point
  CHECK(html.find("<p>**open</p>") != std::string::npos);
  CHECK(ViridisRgb(0.0f).r == 68);
  CHECK(ViridisRgb(1.0f).g == 231);
  CHECK(ViridisRgb(NAN).b == ViridisRgb(0.0f).b);
}
