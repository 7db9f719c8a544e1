// session/architect_runs.h: 11.3 架构师视角's K/V sharing and quantization lens, run beside the
// session's own pass. Suite "golden": needs the tiny GGUFs of tools/make-test-models.sh.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "session/architect_runs.h"
#include "session/session.h"
#include "tiny_models.h"

using attn::session::KvSharingRuns;
using attn::session::MaxAbsDifference;
using attn::session::QuantLens;
using attn::session::Session;

namespace {
// The largest change any head's attention shows between two runs.
float MaxChangeOverHeads(const attn::model::Trace& a, const attn::model::Trace& b) {
  float m = 0.0f;
  for (int l = 0; l < a.n_layer; ++l)
    for (int h = 0; h < a.n_head; ++h) m = std::max(m, MaxAbsDifference(a.HeadMatrix(l, h), b.HeadMatrix(l, h)));
  return m;
}
}  // namespace

TEST_SUITE("golden") {

TEST_CASE("architect runs: K/V sharing matches the session unshared, changes attention shared, runs once per change") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-f32.gguf").ok());
  s.SetText("The robot delivered the mail after it was fixed.");
  const int heads = s.info().config.n_head;
  REQUIRE(heads >= 2);
  KvSharingRuns runs;
  runs.Update(s, 1);  // MQA: one K/V pair for all heads
  REQUIRE(runs.base().ok());
  REQUIRE(runs.shared().ok());
  CHECK(runs.passes_run() == 2);
  // Unshared is the session's own pass, exactly.
  CHECK(MaxChangeOverHeads(runs.base().trace, s.trace()) == 0.0f);
  CHECK(MaxChangeOverHeads(runs.shared().trace, s.trace()) > 1e-4f);
  CHECK(runs.base().top5.size() == 5);
  CHECK(runs.base().top5[0].p >= runs.base().top5[4].p);

  runs.Update(s, 1);  // nothing changed: nothing runs
  CHECK(runs.passes_run() == 2);
  runs.Update(s, heads);  // as many groups as heads: every head keeps its own K and V
  CHECK(runs.passes_run() == 4);
  CHECK(MaxChangeOverHeads(runs.shared().trace, runs.base().trace) == 0.0f);
  s.SetText("Hello there");  // another text runs again
  runs.Update(s, heads);
  CHECK(runs.passes_run() == 6);
  CHECK(runs.base().trace.count == static_cast<int>(s.tokens().size()));
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());  // another model runs again
  runs.Update(s, heads);
  CHECK(runs.passes_run() == 8);
  CHECK(KvSharingRuns::BytesNeeded(s) > 0);
}

TEST_CASE("architect runs: the quantization lens's f32 copy is the model; Q4_0 moves more than Q8_0") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-f32.gguf").ok());
  s.SetText("The cat sat on the mat because it was tired.");
  QuantLens lens;
  CHECK_FALSE(lens.built(s));
  lens.Update(s);  // not built: nothing runs
  CHECK_FALSE(lens.run(0).ok());
  lens.Build(s);
  REQUIRE(lens.built(s));
  lens.Update(s);
  for (int i = 0; i < QuantLens::kVariants; ++i) REQUIRE(lens.run(i).ok());
  CHECK(MaxChangeOverHeads(lens.run(0).trace, s.trace()) == 0.0f);  // f32 of an f32 model: the same numbers
  CHECK(lens.weight_bytes(0) > lens.weight_bytes(1));
  CHECK(lens.weight_bytes(1) > lens.weight_bytes(2));
  const float q8 = MaxChangeOverHeads(lens.run(1).trace, lens.run(0).trace);
  const float q4 = MaxChangeOverHeads(lens.run(2).trace, lens.run(0).trace);
  CHECK(q8 > 0.0f);
  CHECK(q4 > q8);
  CHECK(QuantLens::BytesNeeded(s) > s.info().parameters * 4);

  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());
  CHECK_FALSE(lens.built(s));  // the copies were of the other model
  lens.Drop();
  CHECK(lens.weight_bytes(0) == 0);
}

}  // TEST_SUITE
