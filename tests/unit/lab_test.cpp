// The teaching maths of engine/lab/: each test checks the property the chapter states.
#include <doctest/doctest.h>

#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "lab/alibi.h"
#include "lab/conveyor_belt.h"
#include "lab/kv_cache_memory.h"
#include "lab/rope.h"
#include "lab/toy_attention.h"

using namespace attn::lab;

TEST_CASE("RoPE: the score depends only on the distance m − n") {
  const std::vector<float> q = {0.3f, -1.2f, 0.8f, 0.5f, -0.1f, 0.9f, 1.4f, -0.7f};
  const std::vector<float> k = {1.1f, 0.4f, -0.6f, 0.2f, 0.7f, -1.3f, 0.05f, 0.6f};
  for (float distance : {0.0f, 1.0f, 5.0f, 37.0f}) {
    const float reference = RopeScore(q, k, distance, 0.0f);
    for (float n : {3.0f, 100.0f, 900.0f}) CHECK(RopeScore(q, k, n + distance, n) == doctest::Approx(reference).epsilon(1e-4));
  }
  CHECK(RopeScore(q, k, 5.0f, 0.0f) != doctest::Approx(RopeScore(q, k, 6.0f, 0.0f)).epsilon(1e-3));
}

TEST_CASE("RoPE: a rotation keeps the vector's length, position 0 changes nothing") {
  std::vector<float> x = {3.0f, 4.0f, 1.0f, 0.0f};
  std::vector<float> same = x;
  ApplyRope(same.data(), 4, 0.0f);
  CHECK(same == x);
  ApplyRope(x.data(), 4, 17.0f);
  CHECK(std::hypot(x[0], x[1]) == doctest::Approx(5.0f));
  CHECK(std::hypot(x[2], x[3]) == doctest::Approx(1.0f));
  // The first pair turns by exactly `pos` radians (θ₀ = 1).
  std::vector<float> unit = {1.0f, 0.0f};
  ApplyRope(unit.data(), 2, 0.5f);
  CHECK(unit[0] == doctest::Approx(std::cos(0.5f)));
  CHECK(unit[1] == doctest::Approx(std::sin(0.5f)));
}

TEST_CASE("ALiBi: slopes of the paper, bias linear in distance and causal") {
  const std::vector<float> s8 = AlibiSlopes(8);
  REQUIRE(s8.size() == 8);
  CHECK(s8[0] == doctest::Approx(0.5f));         // 2^-1
  CHECK(s8[7] == doctest::Approx(1.0f / 256));   // 2^-8
  CHECK(AlibiSlopes(12).size() == 12);
  CHECK(AlibiSlopes(12)[8] == doctest::Approx(std::pow(2.0, -0.5)));  // from the 16-head sequence
  const std::vector<float> bias = AlibiBias(4, 0.5f);
  CHECK(bias[3 * 4 + 3] == 0.0f);
  CHECK(bias[3 * 4 + 0] == doctest::Approx(-1.5f));
  CHECK(std::isinf(bias[0 * 4 + 1]));
}

TEST_CASE("ALiBi: a steeper slope keeps attention closer to the diagonal") {
  const int T = 6;
  const std::vector<float> flat(T * T, 0.0f);  // equal scores: only the bias decides
  const auto gentle = AlibiAttention(flat, T, 0.05f);
  const auto steep = AlibiAttention(flat, T, 2.0f);
  CHECK(steep[5 * T + 5] > gentle[5 * T + 5]);
  CHECK(steep[5 * T + 0] < gentle[5 * T + 0]);
  for (const auto* w : {&gentle, &steep}) {
    float sum = 0.0f;
    for (int j = 0; j < T; ++j) sum += (*w)[5 * T + j];
    CHECK(sum == doctest::Approx(1.0f));
    CHECK((*w)[2 * T + 4] == 0.0f);  // causal
  }
}

TEST_CASE("toy attention: the words it knows, and every other word treated as a function word") {
  CHECK(ToyKnows("cat"));
  CHECK(ToyKnows("Cat,"));  // case and punctuation do not matter
  CHECK(ToyKnows("the"));
  CHECK_FALSE(ToyKnows("fixed."));
  CHECK_FALSE(ToyKnows("telescope"));
  CHECK(ToyEmbedding("telescope") == ToyEmbedding("the"));  // what the figure's note says
  const auto& nouns = ToyLexicon(0);
  const auto& verbs = ToyLexicon(1);
  CHECK(std::find(nouns.begin(), nouns.end(), "mat") != nouns.end());
  CHECK(std::find(verbs.begin(), verbs.end(), "sat") != verbs.end());
  for (const auto* list : {&nouns, &verbs, &ToyLexicon(2)})
    for (const std::string& w : *list) CHECK(ToyKnows(w));
  for (const std::string& w : nouns) CHECK(ToyEmbedding(w)[0] == 1.0f);  // a thing
  for (const std::string& w : verbs) CHECK(ToyEmbedding(w)[1] == 1.0f);  // an action
}

TEST_CASE("KV cache: MHA, GQA and MQA sizes") {
  KvCacheShape gpt2;  // GPT-2 124M at 1024 tokens in f16
  CHECK(KvCacheBytes(gpt2) == doctest::Approx(2.0 * 12 * 12 * 64 * 1024 * 2));  // 37.7 MB
  KvCacheShape gqa = gpt2;
  gqa.kv_heads = 4;
  KvCacheShape mqa = gpt2;
  mqa.kv_heads = 1;
  CHECK(KvCacheBytes(gqa) == doctest::Approx(KvCacheBytes(gpt2) / 3));
  CHECK(KvCacheBytes(mqa) == doctest::Approx(KvCacheBytes(gpt2) / 12));
}

TEST_CASE("KV cache: the group count follows the student's choice when the head count changes") {
  CHECK(Divisors(12) == std::vector<int>{1, 2, 3, 4, 6, 12});
  CHECK(Divisors(1) == std::vector<int>{1});
  CHECK(ClosestDivisor(8, 2) == 2);
  CHECK(ClosestDivisor(9, 2) == 3);   // 8 heads in 2 groups, then 9 heads: 3 groups, not 1
  CHECK(ClosestDivisor(10, 2) == 2);  // and back to 2 when 10 heads allow it
  CHECK(ClosestDivisor(12, 5) == 6);  // a tie (4 or 6) goes to more K/V heads
  CHECK(ClosestDivisor(7, 3) == 1);
  CHECK(ClosestDivisor(7, 5) == 7);
  CHECK(ClosestDivisor(16, 100) == 16);
  for (int n = 1; n <= 40; ++n)
    for (int w = 1; w <= n; ++w) {
      const int d = ClosestDivisor(n, w);
      CHECK(n % d == 0);
      for (int e : Divisors(n)) CHECK(std::abs(e - w) >= std::abs(d - w));
    }
}

#include "lab/rnn.h"

TEST_CASE("RNN: the first token's influence fades step by step (vanishing gradient)") {
  const TinyRnn rnn = TinyRnn::Make(8, 4, 0.9f, 11);
  const auto xs = RandomInputs(30, 4, 12);
  const std::vector<float> s = rnn.FirstTokenSensitivity(xs);
  REQUIRE(s.size() == 30);
  CHECK(s[0] > 0.0f);
  // With ‖W_h‖ = 0.9 and |tanh'| ≤ 1, each step shrinks it by at least 0.9.
  for (size_t n = 1; n < s.size(); ++n) CHECK(s[n] <= 0.9f * s[n - 1] * 1.0001f);
  CHECK(s[29] < 0.05f * s[0]);
}

TEST_CASE("RNN: the Jacobian product matches a finite difference") {
  const TinyRnn rnn = TinyRnn::Make(6, 3, 1.2f, 5);
  auto xs = RandomInputs(5, 3, 6);
  const std::vector<float> s = rnn.FirstTokenSensitivity(xs);
  // Central differences of h_5 with respect to x_1, one input coordinate at a time.
  Eigen::MatrixXf numeric(6, 3);
  const float eps = 1e-3f;
  for (int j = 0; j < 3; ++j) {
    auto plus = xs, minus = xs;
    plus[0](j) += eps;
    minus[0](j) -= eps;
    numeric.col(j) = (rnn.Run(plus).back() - rnn.Run(minus).back()) / (2 * eps);
  }
  CHECK(numeric.norm() == doctest::Approx(s[4]).epsilon(1e-2));
}

// ---- toy self-attention (11.2) -------------------------------------------------------------

TEST_CASE("toy attention: in 'The cat sat on the mat' the word 'sat' attends most to cat, then mat") {
  using namespace attn::lab;
  const std::vector<std::string> words = ToyWords("The cat sat on the mat");
  REQUIRE(words.size() == 6);
  const ToyAttention a = RunToyAttention(words, ToyWeights::Default());
  const std::vector<float>& w = a.weights[2];  // "sat"
  std::vector<int> order = {0, 1, 2, 3, 4, 5};
  std::sort(order.begin(), order.end(), [&](int x, int y) { return w[x] > w[y]; });
  CHECK(order[0] == 1);  // cat
  CHECK(order[1] == 5);  // mat
  for (const auto& row : a.weights) {
    float sum = 0;
    for (float x : row) { CHECK(x > 0.0f); sum += x; }
    CHECK(sum == doctest::Approx(1.0f).epsilon(1e-6));
  }
}

TEST_CASE("toy attention: the formula by hand for one pair, and the output is the weighted sum of values") {
  using namespace attn::lab;
  const ToyWeights tw = ToyWeights::Default();
  const ToyAttention a = RunToyAttention({"sat", "cat"}, tw);
  // q(sat) = W_q · [0,1,0,0.3] = [2, 0]; k(cat) = W_k · [1,0,0,1] = [2.5, 0]; q·k = 5
  CHECK(a.q[0][0] == doctest::Approx(2.0f));
  CHECK(a.k[1][0] == doctest::Approx(2.5f));
  CHECK(a.scores[0][1] == doctest::Approx(5.0f));
  CHECK(a.scaled[0][1] == doctest::Approx(5.0f / std::sqrt(2.0f)));
  for (int d = 0; d < kToyHead; ++d)
    CHECK(a.out[0][d] == doctest::Approx(a.weights[0][0] * a.v[0][d] + a.weights[0][1] * a.v[1][d]));
  // Editing W_k so cats are no longer "things" moves the attention of "sat" away from "cat".
  ToyWeights edited = tw;
  edited.w_k[0][0] = 0.0f;
  edited.w_k[0][3] = 0.0f;
  const ToyAttention b = RunToyAttention({"sat", "cat"}, edited);
  CHECK(b.weights[0][1] < a.weights[0][1]);
}

TEST_CASE("toy attention: unknown words are function words, punctuation and case ignored") {
  using namespace attn::lab;
  CHECK(ToyEmbedding("Cat.") == ToyEmbedding("cat"));
  CHECK(ToyEmbedding("zebra") == std::vector<float>{0, 0, 1, 0});
  CHECK(RunToyAttention({}, ToyWeights::Default()).n == 0);
}

TEST_CASE("RNN: an orthogonal W_h has every singular value equal to the scale") {
  const TinyRnn a = TinyRnn::MakeOrthogonal(8, 4, 0.7f, 3);
  const Eigen::VectorXf sv = Eigen::JacobiSVD<Eigen::MatrixXf>(a.w_h).singularValues();
  for (int i = 0; i < sv.size(); ++i) CHECK(sv(i) == doctest::Approx(0.7f).epsilon(1e-4));
  // Same seed, same network: only W_h differs from Make(), and only by the scale across scales.
  const TinyRnn b = TinyRnn::MakeOrthogonal(8, 4, 1.4f, 3);
  CHECK(a.w_x.isApprox(TinyRnn::Make(8, 4, 0.7f, 3).w_x));
  CHECK((a.w_h / 0.7f).isApprox(b.w_h / 1.4f, 1e-5f));
  CHECK_FALSE(a.w_h.isApprox(TinyRnn::MakeOrthogonal(8, 4, 0.7f, 4).w_h));
}

TEST_CASE("Conveyor belt: the sentence, cut and repeated to length n") {
  const std::vector<std::string> three = BeltWords(3);
  REQUIRE(three.size() == 3);
  CHECK(three[0] == "The");
  CHECK(three[1] == "cat");
  CHECK(three[2] == "sat");
  const std::vector<std::string> long_belt = BeltWords(40);
  REQUIRE(long_belt.size() == 40);
  CHECK(long_belt[31] == ".");    // the sentence has 32 words …
  CHECK(long_belt[32] == "The");  // … and starts again
  CHECK(long_belt[33] == "cat");
  CHECK(MakeConveyorBelt(1, 1.0f).n == kBeltMinLength);
  CHECK(MakeConveyorBelt(500, 1.0f).n == kBeltMaxLength);
}

TEST_CASE("Conveyor belt: a word that comes back gets the same input vector") {
  CHECK(WordVector("The", 4).isApprox(WordVector("the", 4)));
  CHECK_FALSE(WordVector("the", 4).isApprox(WordVector("cat", 4)));
  const ConveyorBelt belt = MakeConveyorBelt(6, 1.0f);
  REQUIRE(belt.inputs.size() == 6);
  CHECK(belt.inputs[0].isApprox(belt.inputs[4]));  // "The" … "the"
  for (int t = 0; t < 6; ++t) CHECK(belt.inputs[t].isApprox(WordVector(belt.words[t], kBeltInputDim)));
}

TEST_CASE("Conveyor belt: the cart's hidden states are TinyRnn::Run's, after h_0 = 0") {
  for (float scale : {0.5f, 1.0f, 2.0f}) {
    CAPTURE(scale);
    const ConveyorBelt belt = MakeConveyorBelt(20, scale);
    const std::vector<Eigen::VectorXf> run = belt.rnn.Run(belt.inputs);
    REQUIRE(belt.states.size() == 21);
    CHECK(belt.states[0].size() == kBeltHidden);
    CHECK(belt.states[0].isZero());
    for (int t = 1; t <= 20; ++t) CHECK(belt.states[t].isApprox(run[t - 1], 1e-6f));
    CHECK(belt.StateAt(-3).isZero());                  // clamped to h_0
    CHECK(belt.StateAt(99).isApprox(belt.states[20]));  // clamped to h_n
    CHECK_FALSE(belt.states[20].isApprox(belt.states[19], 1e-3f));  // the cart really changes
  }
}

TEST_CASE("Conveyor belt: the signal stays under ‖W_h‖^(t−1), vanishes below 1 and can explode above") {
  for (float scale : {0.5f, 0.8f, 1.0f, 1.5f, 2.0f}) {
    CAPTURE(scale);
    const ConveyorBelt belt = MakeConveyorBelt(64, scale);
    const std::vector<float> s = belt.rnn.FirstTokenSensitivity(belt.inputs);
    REQUIRE(belt.sensitivity.size() == 64);
    REQUIRE(belt.bound.size() == 64);
    CHECK(belt.sensitivity == s);
    CHECK(belt.bound[0] == belt.sensitivity[0]);
    CHECK(belt.bound[10] == doctest::Approx(belt.sensitivity[0] * std::pow(scale, 10.0f)).epsilon(1e-4));
    for (int t = 0; t < 64; ++t) CHECK(belt.sensitivity[t] <= belt.bound[t] * 1.001f);
  }
  const ConveyorBelt low = MakeConveyorBelt(64, 0.5f), high = MakeConveyorBelt(64, 2.0f);
  CHECK(low.sensitivity[39] < 1e-10f * low.sensitivity[0]);  // vanished
  float peak = 0.0f;
  for (float v : high.sensitivity) peak = std::max(peak, v);
  CHECK(peak > 10.0f * high.sensitivity[0]);                  // exploded (as far as tanh lets it)
}
