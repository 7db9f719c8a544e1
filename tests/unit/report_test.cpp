// session/report: the student's notes as JSON (round trip, escaping) and the Markdown report;
// session/experiments: the shuffle and the permutation check of exercise 2 on a random GPT-2.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "formats/json.h"
#include "model/random_model.h"
#include "session/experiments.h"
#include "session/report.h"

using namespace attn;
using session::Notes;

namespace {

Notes SampleNotes() {
  Notes n;
  n.SetField("ex1.answer", "多头注意力让模型\n同时看 \"不同\" 的关系 \\ tab\there");
  n.SetField("ex1.label.L0H1", "prev");
  n.SetField("ex1.label.L0H1.text", "看前一个词 | pipe");
  n.SetField("ex3.q1", "I think \"with\" → saw.\r\nSecond line <b>bold</b>");
  n.guesses.push_back({"ex1.L0H1.q7", "第 0 层第 1 个头：“it”最关注哪个词？", "robot", "the", false});
  n.guesses.push_back({"ex3.telescope.L1H2", "telescope → ?", "saw", "saw", true});
  n.guesses.push_back({"ex2.nopos1.bidir1.seed3", "会变吗？", "不变", "不变", true});
  n.figures.push_back({"歧义句 · 平均注意力", "| 层 | saw | man |\n|---|---|---|\n| 0 | 0.12 | 0.34 |"});
  return n;
}

}  // namespace

TEST_CASE("report: notes survive a JSON round trip byte for byte") {
  const Notes n = SampleNotes();
  const std::string j = session::NotesToJson(n);
  Result<Notes> back = session::NotesFromJson(j);
  REQUIRE_MESSAGE(back.ok(), back.error());
  REQUIRE(back->fields.size() == n.fields.size());
  for (size_t i = 0; i < n.fields.size(); ++i) {
    CHECK(back->fields[i].first == n.fields[i].first);
    CHECK(back->fields[i].second == n.fields[i].second);
  }
  REQUIRE(back->guesses.size() == 3);
  CHECK(back->guesses[0].question == n.guesses[0].question);
  CHECK(back->guesses[0].guess == "robot");
  CHECK(back->guesses[0].answer == "the");
  CHECK_FALSE(back->guesses[0].correct);
  CHECK(back->guesses[1].correct);
  REQUIRE(back->figures.size() == 1);
  CHECK(back->figures[0].table == n.figures[0].table);
  CHECK(session::NotesToJson(*back) == j);  // and saving again gives the same file
  CHECK(back->Right() == 2);
  CHECK(back->Wrong() == 1);
}

TEST_CASE("report: quotes, line breaks and Chinese are escaped in the JSON") {
  const std::string j = session::NotesToJson(SampleNotes());
  CHECK(j.find("\\\"不同\\\"") != std::string::npos);
  CHECK(j.find("模型\\u000a同时") != std::string::npos);
  CHECK(j.find("\\\\ tab\\u0009here") != std::string::npos);
  CHECK(j.find("saw.\\u000d\\u000aSecond") != std::string::npos);
  // No raw control character inside a string: every line of the file is JSON structure.
  for (size_t i = 0; i < j.size(); ++i)
    if (j[i] == '\n') CHECK((i + 1 == j.size() || j[i + 1] == ' ' || j[i + 1] == '"'));
}

TEST_CASE("report: fields, guesses and broken or foreign notes") {
  Notes n;
  n.SetField("a", "1");
  n.SetField("b", "2");
  n.SetField("a", "3");
  CHECK(n.Field("a") == "3");
  CHECK(n.fields[0].first == "a");  // replaced in place, order kept
  n.SetField("a", "");
  CHECK(n.fields.size() == 1);
  CHECK(n.Field("a").empty());
  CHECK(n.Field("nothing").empty());

  CHECK_FALSE(session::NotesFromJson("{\"fields\":").ok());
  CHECK_FALSE(session::NotesFromJson("[1,2]").ok());
  // Unknown keys and wrong types are skipped; a duplicate guess id counts once.
  Result<Notes> odd = session::NotesFromJson(
      "{\"version\":7,\"future\":true,\"fields\":{\"x\":\"y\",\"n\":3},"
      "\"guesses\":[{\"id\":\"g\",\"guess\":\"a\",\"answer\":\"a\",\"correct\":true},{\"id\":\"g\"},{\"guess\":\"no id\"},5]}");
  REQUIRE(odd.ok());
  CHECK(odd->fields.size() == 1);
  CHECK(odd->guesses.size() == 1);
  CHECK(odd->Right() == 1);
  Result<Notes> empty = session::NotesFromJson("{}");
  REQUIRE(empty.ok());
  CHECK(empty->guesses.empty());
}

TEST_CASE("report: what this version does not read is written back, so saving loses nothing") {
  // A newer app's notes: an unknown top-level key, a field that is a number, unknown members in
  // a guess and a figure, entries that cannot be read. Load, change one answer, save, load.
  const std::string newer =
      "{\"version\":2,\"future\":{\"a\":[1,2.5,null,\"猫\"]},\"fields\":{\"x\":\"y\",\"n\":3,\"flag\":false},"
      "\"guesses\":[{\"id\":\"g\",\"guess\":\"a\",\"answer\":\"a\",\"correct\":true,\"time\":1700000000123},"
      "{\"id\":\"g\",\"guess\":\"b\"},{\"guess\":\"no id\"},5],"
      "\"figures\":[{\"title\":\"t\",\"table\":\"| a |\",\"png\":\"data:…\"},\"just text\"]}";
  Result<Notes> a = session::NotesFromJson(newer);
  REQUIRE(a.ok());
  a->SetField("x", "changed");
  const std::string saved = session::NotesToJson(*a);
  Result<json::Value> parsed = json::Parse(saved);
  REQUIRE_MESSAGE(parsed.ok(), saved);
  const json::Value& root = *parsed;
  REQUIRE(root.Find("future"));
  CHECK(json::Write(*root.Find("future")) == "{\"a\":[1,2.5,null,\"猫\"]}");
  CHECK(root.Find("fields")->Find("n")->number == 3);
  CHECK(root.Find("fields")->Find("flag")->type == json::Value::Type::Bool);
  CHECK(root.Find("fields")->Find("x")->string == "changed");
  const json::Value& guesses = *root.Find("guesses");
  REQUIRE(guesses.array.size() == 4);  // the read one, then the three it could not read
  CHECK(guesses.array[0].Find("time")->number == 1700000000123.0);
  CHECK(guesses.array[1].Find("guess")->string == "b");
  CHECK(guesses.array[3].number == 5);
  const json::Value& figures = *root.Find("figures");
  REQUIRE(figures.array.size() == 2);
  CHECK(figures.array[0].Find("png")->string == "data:…");
  CHECK(figures.array[1].string == "just text");
  // And again: a second round trip is the same text.
  Result<Notes> b = session::NotesFromJson(saved);
  REQUIRE(b.ok());
  CHECK(session::NotesToJson(*b) == saved);
  CHECK(b->Right() == 1);  // what it reads still counts the same
}

TEST_CASE("report: the Markdown holds every question, answer, guess, the score and the figures") {
  const Notes n = SampleNotes();
  std::vector<session::ReportSection> sections(2);
  sections[0].heading = "练习 1 · 多头注意力";
  sections[0].question = "为什么需要多个头？";
  sections[0].answers = {{"你的回答", n.Field("ex1.answer")}};
  sections[0].items = {{"第 0 层 · 头 1", "前一个词 — " + n.Field("ex1.label.L0H1.text")}};
  sections[1].heading = "练习 3 · 歧义句";
  sections[1].answers = {{"问题 1", n.Field("ex3.q1")}, {"问题 2", ""}};
  session::ReportText t;
  t.title = "注意力实验室 · 学生报告";
  t.no_answer = "（未作答）";
  t.guesses_heading = "预测与揭晓";
  t.col_question = "问题";
  t.col_guess = "你的猜测";
  t.col_answer = "模型的答案";
  t.col_result = "结果";
  t.right = "✓ 对";
  t.wrong = "✗ 错";
  t.score = "得分：2 对 1 错";
  t.figures_heading = "固定的图表";
  const std::string md = session::ReportMarkdown(n, sections, t);
  CHECK(md.rfind("# 注意力实验室 · 学生报告\n", 0) == 0);
  CHECK(md.find("## 练习 1 · 多头注意力") != std::string::npos);
  CHECK(md.find("为什么需要多个头？") != std::string::npos);
  // The answer as a quote block, line by line; HTML stays text.
  CHECK(md.find("> 多头注意力让模型\n> 同时看 \"不同\" 的关系") != std::string::npos);
  CHECK(md.find("> I think \"with\" → saw.\n> Second line &lt;b>bold&lt;/b>") != std::string::npos);
  CHECK(md.find("> （未作答）") != std::string::npos);
  CHECK(md.find("- 第 0 层 · 头 1: 前一个词 — 看前一个词 \\| pipe") != std::string::npos);
  CHECK(md.find("| 第 0 层第 1 个头：“it”最关注哪个词？ | robot | the | ✗ 错 |") != std::string::npos);
  CHECK(md.find("| telescope → ? | saw | saw | ✓ 对 |") != std::string::npos);
  CHECK(md.find("**得分：2 对 1 错**") != std::string::npos);
  CHECK(md.find("### 歧义句 · 平均注意力\n\n| 层 | saw | man |") != std::string::npos);
  CHECK(session::MarkdownCell("a|b\r\nc\nd") == "a\\|b<br>c<br>d");

  // Figures pinned in 11.4 and the training lab come under their own headings, in pin order.
  Notes more = n;
  more.figures.push_back({"L2 H3 · “it”", "| robot | mail |\n|---|---|\n| 0.4 | 0.6 |", "11.4 可视化注意力"});
  more.figures.push_back({"induction run", "| step | loss |", "训练实验室"});
  more.figures.push_back({"L1 H1 · “it”", "| a |", "11.4 可视化注意力"});
  const std::string grouped = session::ReportMarkdown(more, sections, t);
  const size_t plain = grouped.find("### 歧义句 · 平均注意力"), vis = grouped.find("### 11.4 可视化注意力\n\n#### L2 H3 · “it”"),
               second = grouped.find("#### L1 H1 · “it”"), lab = grouped.find("### 训练实验室\n\n#### induction run");
  CHECK(plain != std::string::npos);
  CHECK(vis != std::string::npos);
  CHECK(second != std::string::npos);
  CHECK(lab != std::string::npos);
  CHECK((plain < vis && vis < second && second < lab));  // both 11.4 figures together
  CHECK(grouped.find("### 11.4 可视化注意力", vis + 1) == std::string::npos);  // one heading for the group
  const Result<Notes> back = session::NotesFromJson(session::NotesToJson(more));
  REQUIRE(back.ok());
  REQUIRE(back->figures.size() == 4);
  CHECK(back->figures[1].section == "11.4 可视化注意力");
  CHECK(back->figures[0].section.empty());
  CHECK(session::MarkdownQuote("") == "> ");
}

TEST_CASE("report: an 11.4 pin holds the row, the matrix of a short sentence and the note") {
  session::AttentionPinText t;
  t.title = "L1 H1 · it";
  t.section = "11.4";
  t.row_heading = "row";
  t.col_token = "token";
  t.col_weight = "w";
  t.matrix_heading = "matrix";
  t.note_heading = "note";
  const std::vector<std::string> two = {"a|b", "c"};
  const session::PinnedFigure f = session::AttentionPinFigure(two, {1.0f, 0.0f, 0.25f, 0.75f}, 1, t, "line 1\nline 2");
  CHECK(f.section == "11.4");
  CHECK(f.table.find("| a\\|b | 0.250 |\n| c | 0.750 |") != std::string::npos);  // row 1, cells escaped
  CHECK(f.table.find("**matrix**") != std::string::npos);
  CHECK(f.table.find("| c | 0.250 | 0.750 |") != std::string::npos);
  CHECK(f.table.find("> line 1\n> line 2") != std::string::npos);
  // A long sentence: the row only; no note, no note heading
  std::vector<std::string> many(session::kPinMatrixMax + 1, "x");
  std::vector<float> m(many.size() * many.size(), 0.0f);
  const session::PinnedFigure g = session::AttentionPinFigure(many, m, 0, t, "");
  CHECK(g.table.find("**row**") != std::string::npos);
  CHECK(g.table.find("**matrix**") == std::string::npos);
  CHECK(g.table.find("**note**") == std::string::npos);
  CHECK(session::AttentionPinFigure(two, {1.0f}, 0, t, "").table.empty());  // wrong shape: no numbers
}

TEST_CASE("experiments: the shuffle is deterministic, a permutation, and keeps the last word") {
  const std::vector<int> a = session::ShuffleOrder(9, 3, true), b = session::ShuffleOrder(9, 3, true);
  CHECK(a == b);
  CHECK(a.back() == 8);
  CHECK(std::set<int>(a.begin(), a.end()).size() == 9);
  bool moved = false;
  for (int i = 0; i < 9; ++i) moved = moved || a[i] != i;
  CHECK(moved);
  CHECK(session::ShuffleOrder(9, 4, true) != a);  // another seed, another order
  CHECK(session::ShuffleOrder(2, 1, true) == std::vector<int>{0, 1});  // one movable word: nothing to do
  CHECK(session::ShuffleOrder(3, 1, true) == std::vector<int>{1, 0, 2});
  for (uint64_t s = 0; s < 20; ++s) {  // at least half of the words move
    const std::vector<int> o = session::ShuffleOrder(7, s, true);
    int moved = 0;
    for (int i = 0; i < 7; ++i) moved += o[i] != i;
    CHECK(moved >= 3);
    CHECK(session::ShuffleOrder(4, s, false) != std::vector<int>{0, 1, 2, 3});
  }
}

TEST_CASE("experiments: without positions and the causal mask, attention only permutes with the words") {
  model::Config c;
  c.vocab_size = 96;
  c.n_ctx = 24;
  c.n_embd = 64;
  c.n_head = 4;
  c.n_layer = 2;
  c.n_ff = 256;
  auto m = model::MakeRandomModel(c, quant::Type::Q8_0, 11);
  const std::vector<int> ids = {5, 17, 3, 88, 42, 9, 60, 1};
  const std::vector<int> order = session::ShuffleOrder(8, 1, true);
  std::vector<int> shuffled;
  for (int k : order) shuffled.push_back(ids[k]);

  auto check = [&](bool drop, bool bidir) {
    model::Interventions iv;
    iv.drop_positions = drop;
    iv.bidirectional = bidir;
    const session::ModelRun a = session::RunModel(*m, ids, iv), b = session::RunModel(*m, shuffled, iv);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    return std::make_pair(session::MaxDiffAfterUnpermuting(a.trace, b.trace, order),
                          session::TopNext(a.logits, 5)[0].id == session::TopNext(b.logits, 5)[0].id);
  };
  const auto [bag, same_top] = check(true, true);
  CHECK(bag < 1e-4f);
  CHECK(same_top);                           // the last word stayed: the same prediction
  CHECK(check(false, true).first > 1e-3f);   // positions tell the orders apart
  CHECK(check(true, false).first > 1e-3f);   // so does the causal mask: who sees whom
  CHECK(std::isinf(session::MaxDiffAfterUnpermuting({}, {}, order)));
}

TEST_CASE("experiments: keeping one head, the top next tokens, finding words") {
  model::Config c;
  c.n_layer = 3;
  c.n_head = 4;
  const model::Interventions one = session::KeepOnlyHead(c, 1, 2);
  CHECK(one.ablated_heads.size() == 3);
  CHECK(!one.IsAblated(1, 2));
  CHECK(one.IsAblated(1, 0));
  CHECK(!one.IsAblated(0, 0));
  CHECK(session::KeepOnlyHead(c, -1, 0).ablated_heads.size() == 9);
  const std::vector<model::TokenProb> top = session::TopNext({0.0f, 3.0f, 1.0f, 2.0f}, 2);
  REQUIRE(top.size() == 2);
  CHECK(top[0].id == 1);
  CHECK(top[1].id == 3);
  std::vector<session::TokenLabel> labels(4);
  labels[0].text = "I";
  labels[1].text = "saw";
  labels[2].text = "a";
  labels[3].text = "A";
  CHECK(session::FindWordToken(labels, "SAW") == 1);
  CHECK(session::FindWordToken(labels, "a", 3) == 3);
  CHECK(session::FindWordToken(labels, "hill") == -1);
}

TEST_CASE("report: a guess the model could not judge is kept, shown as not scored and never counted") {
  attn::session::Notes notes;
  notes.guesses.push_back({"a", "Q1", "worse", "about the same", false, false});
  notes.guesses.push_back({"b", "Q2", "saw", "saw", true, true});
  notes.guesses.push_back({"c", "Q3", "man", "saw", false, true});
  CHECK(notes.Right() == 1);
  CHECK(notes.Wrong() == 1);
  attn::Result<attn::session::Notes> back = attn::session::NotesFromJson(attn::session::NotesToJson(notes));
  REQUIRE(back.ok());
  CHECK_FALSE(back->guesses[0].scored);
  CHECK(back->guesses[1].scored);
  attn::session::ReportText t;
  t.right = "right";
  t.wrong = "wrong";
  t.not_scored = "not scored";
  const std::string md = attn::session::ReportMarkdown(notes, {}, t);
  CHECK(md.find("| Q1 | worse | about the same | not scored |") != std::string::npos);
  CHECK(md.find("| Q2 | saw | saw | right |") != std::string::npos);
  // Older notes have no "scored": their guesses count as before.
  attn::Result<attn::session::Notes> old = attn::session::NotesFromJson(
      R"({"guesses":[{"id":"x","question":"q","guess":"g","answer":"g","correct":true}]})");
  REQUIRE(old.ok());
  CHECK(old->guesses[0].scored);
  CHECK(old->Right() == 1);
}
