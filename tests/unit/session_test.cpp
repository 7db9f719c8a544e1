// Session: the model + tokenizer + sentence + trace the UI talks to; token labels.
// Suite "golden": needs the tiny GGUF that tools/make-test-models.sh writes (ctest runs it
// first), so that the tokenizer inside the file is GPT-2's real one.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "session/session.h"
#include "session/token_labels.h"
#include "tiny_models.h"

using attn::session::Session;

TEST_SUITE("golden") {

TEST_CASE("session: loads a GGUF, tokenizes the sentence and traces it") {
  Session s;
  CHECK(!s.HasModel());
  CHECK(s.tokens().empty());  // no model: nothing to run, no crash
  REQUIRE_MESSAGE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok(), s.load_error());
  CHECK(s.info().weight_type == "q8_0");
  CHECK(s.info().config.n_layer == 2);
  s.SetText("The robot delivered the mail after it was fixed.");
  CHECK(s.tokens() == std::vector<int>{464, 9379, 6793, 262, 6920, 706, 340, 373, 5969, 13});
  const attn::model::Trace& t = s.trace();
  REQUIRE(t.count == 10);
  for (int i = 0; i < t.count; ++i) {
    float sum = 0;
    for (int j = 0; j < t.count; ++j) {
      sum += t.Attention(1, 2, i, j);
      if (j > i) CHECK(t.Attention(1, 2, i, j) == 0.0f);  // causal: the future gets nothing
    }
    CHECK(sum == doctest::Approx(1.0f).epsilon(1e-5));
  }
  const uint64_t v = s.version();
  s.SetText("The robot delivered the mail after it was fixed.");
  CHECK(s.version() == v);  // same text: no recomputation
  s.SetText("Hello");
  CHECK(s.version() != v);
}

TEST_CASE("session: a broken or wrong file keeps the current model, text and interventions") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  s.SetText("The cat sat on the mat.");
  attn::model::Interventions iv;
  iv.drop_positions = true;
  s.SetInterventions(iv);
  const std::vector<int> before = s.tokens();

  const std::string broken = TinyDir() + "/session-truncated.gguf";
  {
    std::ifstream in(TinyDir() + "/ours-q8_0.gguf", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(broken, std::ios::binary).write(bytes.data(), bytes.size() / 2);
  }
  const attn::Status st = s.LoadModelFile(broken);
  CHECK(!st.ok());
  CHECK(s.load_error().find("session-truncated.gguf") != std::string::npos);
  CHECK(s.HasModel());
  CHECK(s.info().weight_type == "q8_0");
  CHECK(s.text() == "The cat sat on the mat.");
  CHECK(s.interventions().drop_positions);
  CHECK(s.tokens() == before);
  CHECK(!s.LoadModelFile(TinyDir() + "/vocab.json").ok());  // not a GGUF at all
  CHECK(!s.LoadModelFile(TinyDir() + "/no-such-file.gguf").ok());
  std::remove(broken.c_str());

  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-f32.gguf").ok());  // a good file replaces it
  CHECK(s.load_error().empty());
  CHECK(s.info().weight_type == "f32");
}

TEST_CASE("session: a model that computes NaN says where, and no figure gets its numbers") {
  // The tiny f32 model with its LayerNorm epsilon set to NaN (the GGUF value patched in place:
  // key, then type 6 = float32, then the 4 bytes).
  std::ifstream in(TinyDir() + "/ours-f32.gguf", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string key = "gpt2.attention.layer_norm_epsilon";
  const size_t at = bytes.find(key);
  REQUIRE(at != std::string::npos);
  const float nan = NAN;
  std::memcpy(&bytes[at + key.size() + 4], &nan, 4);
  const std::string path = std::string(ATTNLAB_BINARY_DIR) + "/nan-epsilon.gguf";
  std::ofstream(path, std::ios::binary) << bytes;

  Session s;
  REQUIRE_MESSAGE(s.LoadModelFile(path).ok(), s.load_error());
  s.SetText("The cat sat on the mat.");
  CHECK(s.non_finite_stage() == 1);  // the first LayerNorm is in block 1
  CHECK(s.text_error().find("NaN") != std::string::npos);
  CHECK(s.text_error().find("layer 1") != std::string::npos);
  CHECK(s.trace().count == 0);       // nothing for a figure to draw
  CHECK(s.last_logits().empty());
  CHECK_FALSE(s.tokens().empty());   // the sentence is still there

  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-f32.gguf").ok());  // a sound model: all finite again
  CHECK(s.non_finite_stage() == -1);
  CHECK(s.text_error().empty());
  CHECK(s.trace().count > 0);
  std::remove(path.c_str());
}

TEST_CASE("session: text past the context is cut with a message; empty text has no trace") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  const int n_ctx = s.info().config.n_ctx;
  std::string long_text;
  for (int i = 0; i < n_ctx + 10; ++i) long_text += " cat";
  s.SetText(long_text);
  CHECK(static_cast<int>(s.tokens().size()) == n_ctx);
  CHECK(s.text_error().find(std::to_string(n_ctx)) != std::string::npos);
  CHECK(s.trace().count == n_ctx);
  s.SetText("");
  CHECK(s.tokens().empty());
  CHECK(s.trace().count == 0);
  CHECK(s.text_error().empty());
  s.SetText("The cat");
  s.SetPrependEndOfText(true);
  CHECK(s.tokens() == std::vector<int>{50256, 464, 3797});
}

TEST_CASE("session: AppendToken keeps the exact tokens the model wrote") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  const auto& tok = s.tokenizer();
  const std::vector<int> ys = tok.Encode("ys"), one_s = tok.Encode("s");
  REQUIRE(ys.size() == 1);
  REQUIRE(one_s.size() == 1);
  REQUIRE(tok.Encode("yss").size() == 1);  // encoding "ys" + "s" afresh would merge them
  s.SetText("The cat");
  const std::vector<int> prompt = s.tokens();
  s.AppendToken(ys[0]);
  s.AppendToken(one_s[0]);
  CHECK(s.text() == "The catyss");
  std::vector<int> want = prompt;
  want.push_back(ys[0]);
  want.push_back(one_s[0]);
  CHECK(s.tokens() == want);
  CHECK(s.trace().count == static_cast<int>(want.size()));
  s.SetPrependEndOfText(true);  // <|endoftext|> in front of the same exact tokens
  want.insert(want.begin(), tok.EndOfTextId());
  CHECK(s.tokens() == want);
  s.AppendToken(one_s[0]);
  want.push_back(one_s[0]);
  CHECK(s.tokens() == want);
  s.SetText("The catysss ");  // typed: encoded afresh
  CHECK(s.tokens() == [&] { std::vector<int> t = tok.Encode("The catysss "); t.insert(t.begin(), tok.EndOfTextId()); return t; }());
  s.SetText("Hi");
  s.SetPrependEndOfText(false);
  s.AppendToken(-1);  // out of the vocabulary: ignored
  s.AppendToken(tok.VocabSize());
  CHECK(s.text() == "Hi");
}

// The session's trace against one pass over all its tokens from an empty cache.
static void CheckTraceEqualsFullRun(Session& s) {
  const attn::model::Trace& got = s.trace();
  attn::model::Trace want;
  want.options = got.options;
  attn::model::KvCache cache = s.model().NewCache();
  std::vector<float> logits;
  REQUIRE(s.model().Forward(s.tokens(), cache, s.interventions(), &logits, &want).ok());
  REQUIRE(got.count == want.count);
  REQUIRE(got.first == 0);
  const std::pair<const std::vector<float>*, const std::vector<float>*> buffers[] = {
      {&got.attention, &want.attention}, {&got.q, &want.q}, {&got.k, &want.k}, {&got.v, &want.v},
      {&got.residual, &want.residual}, {&got.ln1, &want.ln1}, {&got.ln2, &want.ln2},
      {&got.mlp_act, &want.mlp_act}, {&got.logits, &want.logits}, {&s.last_logits(), &logits}};
  for (const auto& [a, b] : buffers) {
    REQUIRE(a->size() == b->size());
    REQUIRE(!a->empty());
    float worst = 0;
    for (size_t i = 0; i < a->size(); ++i) worst = std::max(worst, std::fabs((*a)[i] - (*b)[i]));
    CHECK(worst <= 1e-4f);
  }
}

TEST_CASE("session: generation runs one new position through the KV cache, equal to a full re-run") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  const auto& tok = s.tokenizer();
  s.SetText("The robot delivered the mail after it was");
  const int prompt = static_cast<int>(s.tokens().size());
  CHECK(s.positions_run() == static_cast<uint64_t>(prompt));
  const int next[] = {tok.Encode(" fixed")[0], tok.Encode(".")[0], tok.Encode(" It")[0]};
  for (int id : next) {
    const uint64_t before = s.positions_run(), version = s.version();
    s.AppendToken(id);
    CHECK(s.version() != version);
    CHECK(s.positions_run() == before + 1);  // one position, not the whole text
    CHECK(s.tokens().back() == id);
  }
  CHECK(s.trace().count == prompt + 3);
  CheckTraceEqualsFullRun(s);

  SUBCASE("with heads switched off, K/V shared and <|endoftext|> in front") {
    attn::model::Interventions iv;
    iv.ablated_heads = {{0, 1}, {1, 0}};
    iv.kv_groups = 1;
    s.SetInterventions(iv);
    s.SetPrependEndOfText(true);
    s.tokens();  // the changed setup runs the whole text once
    const uint64_t before = s.positions_run();
    s.AppendToken(next[0]);
    s.AppendToken(next[1]);
    CHECK(s.positions_run() == before + 2);
    CheckTraceEqualsFullRun(s);
  }
  SUBCASE("attention both ways: every position sees the new token, so the whole text runs again") {
    attn::model::Interventions iv;
    iv.bidirectional = true;
    s.SetInterventions(iv);
    s.tokens();
    const uint64_t before = s.positions_run();
    s.AppendToken(next[0]);
    const size_t n = s.tokens().size();
    CHECK(s.positions_run() == before + n);
    CheckTraceEqualsFullRun(s);
  }
}

TEST_CASE("token labels: byte pieces of a Chinese character are grouped, never shown as U+FFFD") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  s.SetText("注意 cat\n\xff");
  const std::vector<attn::session::TokenLabel>& labels = s.labels();
  REQUIRE(labels.size() == s.tokens().size());
  bool saw_group = false;
  for (const auto& l : labels) {
    if (l.pieces > 1) {
      saw_group = true;
      CHECK(l.text.find("\xEF\xBF\xBD") == std::string::npos);  // no "�" for a piece
      CHECK((l.spelled == "注" || l.spelled == "意" || l.spelled == "注意"));
    }
  }
  CHECK(saw_group);  // GPT-2 has no single token for 注
  bool saw_cat = false, saw_newline = false;
  for (const auto& l : labels) {
    if (l.text == "cat") { saw_cat = true; CHECK(l.leading_space); }
    if (l.text == "⏎") saw_newline = true;
  }
  CHECK(saw_cat);
  CHECK(saw_newline);
  CHECK(labels.back().text == "\xEF\xBF\xBD");  // a truly invalid byte is the only "�"
}

TEST_CASE("token labels: byte splits count characters, bytes and tokens from the raw bytes") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  s.SetText("注意力 cat\n");  // 3 Chinese characters, 9 bytes; "⏎" of the label is not counted
  const attn::session::ByteSplitStats b = attn::session::CountByteSplits(s.tokenizer(), s.tokens(), s.labels());
  CHECK(b.chars == 3);
  CHECK(b.bytes == 9);
  int pieces = 0, spelling = 0;
  for (const auto& l : s.labels()) {
    pieces += l.pieces > 1;
    spelling += (l.spelled.find("注") != std::string::npos || l.spelled.find("意") != std::string::npos ||
                 l.spelled.find("力") != std::string::npos);
  }
  CHECK(b.byte_pieces == pieces);
  CHECK(b.tokens == spelling);
  CHECK(b.TokensPerChar() == doctest::Approx(static_cast<float>(spelling) / 3));
  s.SetText("The cat sat.");
  const attn::session::ByteSplitStats none = attn::session::CountByteSplits(s.tokenizer(), s.tokens(), s.labels());
  CHECK(none.chars == 0);
  CHECK(none.byte_pieces == 0);
}

TEST_CASE("session: the untrained twin has the model's shape, runs the same tokens, and is near uniform") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  s.SetText("The robot delivered the mail after it was fixed.");
  CHECK_FALSE(s.twin_too_big());
  const attn::model::Trace* twin = s.twin_trace();
  REQUIRE(twin != nullptr);
  CHECK(twin->n_layer == s.info().config.n_layer);
  CHECK(twin->n_head == s.info().config.n_head);
  CHECK(twin->count == static_cast<int>(s.tokens().size()));
  const attn::session::HeadNarration n = s.twin_narration();
  CHECK(n.prev.count == 0);
  CHECK(n.mean_uniformity > 0.95f);
  // The narration of the trained model is the head statistics of its own trace.
  const attn::session::HeadNarration trained = s.narration();
  const std::vector<attn::session::HeadStats> stats = attn::session::AllHeadStats(s.trace());
  float best = 0.0f;
  for (const auto& st : stats) best = std::max(best, st.prev_token);
  CHECK(trained.prev.value == best);
  // Built once: the same text gives the same twin trace; a new text runs the twin again.
  CHECK(s.twin_trace() == twin);
  s.SetText("Hello there");
  REQUIRE(s.twin_trace() != nullptr);
  CHECK(s.twin_trace()->count == static_cast<int>(s.tokens().size()));
}

TEST_CASE("session: the memory budget trades the trace's detail, then tokens; a model over it is refused") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  const attn::model::Config c = s.info().config;
  std::string text;
  for (int i = 0; i < 40; ++i) text += " cat";
  s.SetText(text);
  const int n = static_cast<int>(s.tokens().size());
  REQUIRE(n == 40);
  CHECK(s.pass_plan().detail == attn::session::TraceDetail::kFull);
  CHECK_FALSE(s.trace().ln1.empty());
  auto needs = [&](int tokens, attn::session::TraceDetail d) {
    return s.model_bytes() + attn::model::EstimatePassBytes(c, 0, tokens, attn::session::TraceOptionsFor(d)).total();
  };
  // Room for q/k/v but not the block outputs: every token runs, the LayerNorm/MLP buffers go.
  s.SetMemoryBudget(needs(n, attn::session::TraceDetail::kNoBlockOutputs));
  CHECK(s.tokens().size() == 40u);
  CHECK(s.trace().ln1.empty());
  CHECK(s.trace().mlp_act.empty());
  CHECK_FALSE(s.trace().q.empty());
  CHECK_FALSE(s.trace().residual.empty());
  CHECK_FALSE(s.text_cut().any());
  CHECK(s.text_error().empty());
  // Room for the least detail on 30 tokens only: the text is cut there, and says why.
  s.SetMemoryBudget(needs(30, attn::session::TraceDetail::kNoQkv));
  CHECK(s.tokens().size() == 30u);
  CHECK(s.trace().count == 30);
  CHECK(s.trace().q.empty());
  CHECK(s.text_cut().by_memory);
  CHECK(s.text_cut().typed == 40);
  CHECK(s.text_cut().kept == 30);
  CHECK(s.max_tokens() == 30);
  CHECK(s.text_error().find("memory budget") != std::string::npos);
  CHECK(s.text() == text);  // what the student typed is kept, only the figures are cut
  // Generation stops at the budget too.
  s.SetText(" cat cat");
  s.AppendToken(3797);
  CHECK(s.tokens().size() == 3u);
  for (int i = 0; i < 40; ++i) s.AppendToken(3797);
  CHECK(static_cast<int>(s.tokens().size()) == s.max_tokens());
  // A model that does not fit beside a one-token pass is refused; the loaded one stays.
  s.SetMemoryBudget(s.model_bytes() / 2);
  const std::string name = s.info().name;
  const attn::Status st = s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf");
  CHECK_FALSE(st.ok());
  CHECK(s.load_refused_bytes() > s.memory_budget());
  CHECK(s.load_error().find("memory budget") != std::string::npos);
  CHECK(s.HasModel());
  CHECK(s.info().name == name);
  // The budget raised again: the same file loads.
  s.SetMemoryBudget(1ull << 30);
  CHECK(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  CHECK(s.load_refused_bytes() == 0);
}

TEST_CASE("session: a declared context longer than the position table is refused, not trusted") {
  // The tiny model (context 64, a 64-row position table) claiming a 65536-token context: the
  // loader must not read past the table, and the memory budget must not be planned on it.
  std::ifstream in(TinyDir() + "/ours-q8_0.gguf", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string key = "gpt2.context_length";
  const size_t at = bytes.find(key);
  REQUIRE(at != std::string::npos);
  uint32_t type = 0, value = 0;
  std::memcpy(&type, &bytes[at + key.size()], 4);
  REQUIRE(type == 4);  // uint32
  std::memcpy(&value, &bytes[at + key.size() + 4], 4);
  REQUIRE(value == 64);
  value = 65536;
  std::memcpy(&bytes[at + key.size() + 4], &value, 4);
  const std::string path = std::string(ATTNLAB_BINARY_DIR) + "/long-context-claim.gguf";
  std::ofstream(path, std::ios::binary) << bytes;
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  CHECK_FALSE(s.LoadModelFile(path).ok());
  CHECK(s.load_error().find("position_embd.weight") != std::string::npos);
  CHECK(s.info().config.n_ctx == 64);  // the sound model stays
  std::remove(path.c_str());
}

TEST_CASE("session: <|endoftext|> asked for on a vocabulary without it is left out, with a reason") {
  // The tiny model with its "<|endoftext|>" token renamed (same length): no id to put in front.
  std::ifstream in(TinyDir() + "/ours-q8_0.gguf", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t at = bytes.find("<|endoftext|>");
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 13, "<|endoftexu|>");
  const std::string path = std::string(ATTNLAB_BINARY_DIR) + "/no-eot.gguf";
  std::ofstream(path, std::ios::binary) << bytes;
  Session s;
  REQUIRE_MESSAGE(s.LoadModelFile(path).ok(), s.load_error());
  CHECK(s.tokenizer().EndOfTextId() < 0);
  s.SetText("The cat");
  s.SetPrependEndOfText(true);
  CHECK(s.tokens() == std::vector<int>{464, 3797});  // no -1 in front
  CHECK(s.end_of_text_missing());
  CHECK(s.text_error().find("<|endoftext|>") != std::string::npos);
  CHECK(s.trace().count == 2);                       // and the figures still run
  s.AppendToken(3332);
  CHECK(s.tokens() == std::vector<int>{464, 3797, 3332});
  s.SetPrependEndOfText(false);
  CHECK_FALSE(s.end_of_text_missing());
  CHECK(s.text_error().empty());
  std::remove(path.c_str());
}

TEST_CASE("session: a long pass runs in pieces through the KV cache, equal to one whole pass") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  const std::string text = "The robot delivered the mail after it was fixed. Then it went home and slept.";
  s.SetText(text);
  const int n = static_cast<int>(s.tokens().size());
  const double flops = attn::session::PassFlops(s.info().config, n);
  CHECK(flops > 0);
  CHECK(attn::session::PassFlops(s.info().config, n + 10) > flops);  // grows with the text
  // This text counts as long; a piece is about three tokens' work (PassFlops(0): the output head).
  const auto& c = s.info().config;
  s.SetSliceLongPasses(true, flops, attn::session::PassFlops(c, 3) - attn::session::PassFlops(c, 0));
  s.SetText("Hi");
  CHECK_FALSE(s.pass_in_progress());  // a short text runs at once
  CHECK(s.trace().count == static_cast<int>(s.tokens().size()));
  s.SetText(text);
  CHECK(s.tokens().size() == static_cast<size_t>(n));  // the tokens are there at once …
  CHECK(s.pass_in_progress());
  CHECK(s.trace().count == 0);         // … the trace only when every piece has run
  CHECK(s.last_logits().empty());
  CHECK(s.pass_progress().total == n);
  const uint64_t v = s.version(), run_before = s.positions_run();
  int calls = 0, last_done = 0;
  while (s.pass_in_progress() && calls < 1000) {
    s.ContinuePass(0.0);  // one piece per call
    ++calls;
    if (s.pass_in_progress()) {
      CHECK(s.pass_progress().done > last_done);
      last_done = s.pass_progress().done;
      CHECK(s.trace().count == 0);
    }
  }
  CHECK(calls > 2);                    // it did run in pieces
  CHECK(s.positions_run() == run_before + n);  // each position once
  CHECK(s.version() != v);
  CheckTraceEqualsFullRun(s);          // every buffer, logits included

  SUBCASE("typing during the pass starts the new text afresh") {
    s.SetText(text + " Again.");
    CHECK(s.pass_in_progress());
    s.ContinuePass(0.0);
    s.SetText(text);
    CHECK(s.pass_progress().done == 0);
    while (s.pass_in_progress()) s.ContinuePass(10.0);  // a generous budget: all pieces in one call
    CheckTraceEqualsFullRun(s);
  }
  SUBCASE("attention both ways runs whole: a piece cannot see the tokens after it") {
    attn::model::Interventions iv;
    iv.bidirectional = true;
    s.SetInterventions(iv);
    CHECK_FALSE(s.pass_in_progress());
    CHECK(s.trace().count == n);
  }
}

TEST_CASE("session: the twin is skipped when it would not fit beside the model's own pass") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  s.SetText("The robot delivered the mail after it was fixed.");
  REQUIRE(s.twin_trace() != nullptr);
  s.SetMemoryBudget(s.pass_plan().bytes + 4096);  // the text's own pass fits, a twin does not
  CHECK(s.tokens().size() == 10u);
  CHECK(s.twin_over_budget());
  CHECK(s.twin_trace() == nullptr);
}

}  // TEST_SUITE
