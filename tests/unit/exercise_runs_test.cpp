// session/exercise_runs.h: the exercises' own passes, beside the session's. Suite "golden":
// needs the tiny GGUFs of tools/make-test-models.sh.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "session/exercise_runs.h"
#include "session/session.h"
#include "tiny_models.h"

using attn::model::Interventions;
using attn::session::ExerciseIds;
using attn::session::ExerciseLoss;
using attn::session::ExercisePass;
using attn::session::Session;

TEST_SUITE("golden") {

TEST_CASE("exercise runs: a pass equals RunModel, runs again only when the model, ids or interventions change") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-f32.gguf").ok());
  s.SetText("Hello there");
  const std::vector<float> session_attention = s.trace().attention;
  const std::vector<int> ids = ExerciseIds(s, "The robot delivered the mail after it was fixed.");
  REQUIRE(ids.size() > 3);

  ExercisePass pass;
  CHECK(pass.Update(s, ids, {}));
  REQUIRE(pass.run().ok());
  const attn::session::ModelRun direct = attn::session::RunModel(s.model(), ids, {});
  CHECK(pass.run().trace.attention == direct.trace.attention);
  CHECK(pass.run().logits == direct.logits);
  REQUIRE(pass.top5().size() == 5);
  CHECK(pass.top5()[0].p >= pass.top5()[4].p);

  CHECK_FALSE(pass.Update(s, ids, {}));  // nothing changed
  CHECK(pass.passes_run() == 1);
  Interventions iv;
  iv.drop_positions = true;
  CHECK(pass.Update(s, ids, iv));        // other interventions
  CHECK(pass.run().trace.attention != direct.trace.attention);
  CHECK_FALSE(pass.Update(s, ids, iv));
  std::vector<int> shorter(ids.begin(), ids.end() - 1);
  CHECK(pass.Update(s, shorter, iv));    // other ids
  CHECK(pass.run().trace.count == static_cast<int>(shorter.size()));
  CHECK(pass.passes_run() == 3);

  // The session's own text, interventions and trace are untouched.
  CHECK_FALSE(s.interventions().Any());
  CHECK(s.trace().attention == session_attention);

  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-q8_0.gguf").ok());  // another model runs again
  CHECK(pass.Update(s, shorter, iv));
  CHECK(pass.passes_run() == 4);
}

TEST_CASE("exercise runs: the loss equals TextLoss and is cached the same way; ids are cut to the context") {
  Session s;
  REQUIRE(s.LoadModelFile(TinyDir() + "/ours-f32.gguf").ok());
  const std::vector<int> ids = ExerciseIds(s, attn::session::kHeldOutText);
  REQUIRE(ids.size() >= 2);
  ExerciseLoss loss;
  CHECK(std::isnan(loss.loss()));
  CHECK(loss.Update(s, ids, {}));
  CHECK(loss.loss() == attn::session::TextLoss(s.model(), ids, {}));
  CHECK(std::isfinite(loss.loss()));
  CHECK_FALSE(loss.Update(s, ids, {}));
  const Interventions one = attn::session::KeepOnlyHead(s.info().config, -1, 0);
  CHECK(loss.Update(s, ids, one));
  CHECK(loss.loss() == attn::session::TextLoss(s.model(), ids, one));
  CHECK(loss.passes_run() == 2);

  std::string long_text;
  for (int i = 0; i < 4 * s.info().config.n_ctx; ++i) long_text += " word";
  CHECK(static_cast<int>(ExerciseIds(s, long_text).size()) == s.info().config.n_ctx);
  Session empty;
  CHECK(ExerciseIds(empty, "no model").empty());
  ExercisePass pass;
  CHECK_FALSE(pass.Update(empty, {1, 2}, {}));  // no model: nothing runs
}

}  // TEST_SUITE
