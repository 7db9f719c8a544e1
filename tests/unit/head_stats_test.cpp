// session/head_stats and session/block_stats: the numbers of 11.3's head table and block
// figures, on hand-made attention matrices and traces whose answers are known.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "session/block_stats.h"
#include "session/head_stats.h"

using attn::session::ComputeHeadStats;
using attn::session::HeadStats;

namespace {

// n × n causal matrices, row-major.
std::vector<float> PreviousTokenPattern(int n) {  // row 0 on itself, row i on i − 1
  std::vector<float> w(n * n, 0.0f);
  w[0] = 1.0f;
  for (int i = 1; i < n; ++i) w[i * n + i - 1] = 1.0f;
  return w;
}

std::vector<float> UniformCausal(int n) {  // row i: 1/(i+1) on positions 0..i
  std::vector<float> w(n * n, 0.0f);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j <= i; ++j) w[i * n + j] = 1.0f / (i + 1);
  return w;
}

}  // namespace

TEST_CASE("head stats: a perfect previous-token head scores 1 with entropy 0") {
  const int n = 7;
  const std::vector<float> w = PreviousTokenPattern(n);
  const HeadStats s = ComputeHeadStats(w.data(), n, n);
  CHECK(s.prev_token == doctest::Approx(1.0));
  CHECK(s.entropy == doctest::Approx(0.0));
  CHECK(s.first_token == doctest::Approx(1.0 / (n - 1)));  // only row 1's previous token is position 0
}

TEST_CASE("head stats: uniform rows have entropy ln(i+1), averaged over the rows") {
  const int n = 6;
  const std::vector<float> w = UniformCausal(n);
  double mean = 0.0, first = 0.0, prev = 0.0;
  for (int i = 0; i < n; ++i) {
    CHECK(attn::session::RowEntropy(&w[i * n], n) == doctest::Approx(std::log(i + 1.0)).epsilon(1e-6));
    mean += std::log(i + 1.0) / n;
    if (i >= 1) { first += 1.0 / (i + 1) / (n - 1); prev += 1.0 / (i + 1) / (n - 1); }
  }
  const HeadStats s = ComputeHeadStats(w.data(), n, n);
  CHECK(s.entropy == doctest::Approx(mean).epsilon(1e-6));
  CHECK(s.first_token == doctest::Approx(first).epsilon(1e-6));
  CHECK(s.prev_token == doctest::Approx(prev).epsilon(1e-6));
}

TEST_CASE("head stats: a first-token sink and a self-looking head") {
  const int n = 5;
  std::vector<float> sink(n * n, 0.0f), self(n * n, 0.0f);
  for (int i = 0; i < n; ++i) {
    sink[i * n] = 1.0f;        // everything on position 0
    self[i * n + i] = 1.0f;    // every token on itself
  }
  const HeadStats a = ComputeHeadStats(sink.data(), n, n);
  CHECK(a.first_token == doctest::Approx(1.0));
  CHECK(a.prev_token == doctest::Approx(1.0 / (n - 1)));  // row 1's previous token is position 0
  CHECK(a.entropy == doctest::Approx(0.0));
  const HeadStats b = ComputeHeadStats(self.data(), n, n);
  CHECK(b.first_token == doctest::Approx(0.0));
  CHECK(b.prev_token == doctest::Approx(0.0));
  CHECK(b.entropy == doctest::Approx(0.0));
}

TEST_CASE("head stats: half on the previous token, half on itself") {
  const int n = 4;
  std::vector<float> w(n * n, 0.0f);
  w[0] = 1.0f;
  for (int i = 1; i < n; ++i) w[i * n + i - 1] = w[i * n + i] = 0.5f;
  const HeadStats s = ComputeHeadStats(w.data(), n, n);
  CHECK(s.prev_token == doctest::Approx(0.5));
  CHECK(s.entropy == doctest::Approx(std::log(2.0) * (n - 1) / n));  // row 0 has entropy 0
}

TEST_CASE("head stats: a single token has no scores; rows after a KV cache use their positions") {
  const float one = 1.0f;
  const HeadStats s = ComputeHeadStats(&one, 1, 1);
  CHECK(s.prev_token == 0.0f);
  CHECK(s.first_token == 0.0f);
  CHECK(s.entropy == 0.0f);
  // Two new rows at positions 3 and 4 of 5 keys: previous tokens are columns 2 and 3.
  const std::vector<float> w = {0.1f, 0.0f, 0.8f, 0.1f, 0.0f,
                                0.3f, 0.0f, 0.0f, 0.6f, 0.1f};
  const HeadStats k = ComputeHeadStats(w.data(), 2, 5, 3);
  CHECK(k.prev_token == doctest::Approx((0.8 + 0.6) / 2));
  CHECK(k.first_token == doctest::Approx((0.1 + 0.3) / 2));
}

TEST_CASE("head stats: a trace's layers and heads are read from the right place") {
  attn::model::Trace t;
  t.n_layer = 2;
  t.n_head = 2;
  t.count = 3;
  const int n = 3;
  // layer 0: head 0 uniform, head 1 previous-token; layer 1: head 0 previous-token, head 1 uniform
  const std::vector<float> u = UniformCausal(n), p = PreviousTokenPattern(n);
  for (const std::vector<float>* m : {&u, &p, &p, &u}) t.attention.insert(t.attention.end(), m->begin(), m->end());
  const std::vector<HeadStats> all = attn::session::AllHeadStats(t);
  REQUIRE(all.size() == 4);
  CHECK(all[1].layer == 0);
  CHECK(all[1].head == 1);
  CHECK(all[1].prev_token == doctest::Approx(1.0));
  CHECK(all[2].layer == 1);
  CHECK(all[2].head == 0);
  CHECK(all[2].prev_token == doctest::Approx(1.0));
  CHECK(all[3].entropy == doctest::Approx((std::log(2.0) + std::log(3.0)) / 3));
  CHECK(attn::session::LayerHeadStats(t, 1).size() == 2);
  CHECK(attn::session::LayerHeadStats(t, 2).empty());
}

//-----------------------------------------------------------------------------------------
// block_stats
//-----------------------------------------------------------------------------------------

TEST_CASE("block stats: residual norms per layer and token") {
  attn::model::Trace t;
  t.n_layer = 1;
  t.count = 2;
  t.n_embd = 2;
  t.residual = {3, 4, 0, 1,     // into block 0: tokens 0, 1
                6, 8, 0, -2};   // after the last block
  const std::vector<float> norms = attn::session::ResidualNorms(t);
  REQUIRE(norms.size() == 4);
  CHECK(norms[0] == doctest::Approx(5.0));
  CHECK(norms[1] == doctest::Approx(1.0));
  CHECK(norms[2] == doctest::Approx(10.0));
  CHECK(norms[3] == doctest::Approx(2.0));
  t.residual.pop_back();  // a trace without a whole residual stream gives nothing
  CHECK(attn::session::ResidualNorms(t).empty());
}

TEST_CASE("block stats: moments, histogram and the near-zero fraction") {
  const std::vector<float> x = {-2.0f, -0.01f, 0.0f, 0.02f, 1.0f, 3.0f, NAN};
  const attn::session::Moments m = attn::session::ComputeMoments(x.data(), 6);
  CHECK(m.mean == doctest::Approx((-2 - 0.01 + 0.02 + 1 + 3) / 6.0));
  CHECK(m.min == -2.0f);
  CHECK(m.max == 3.0f);
  const std::vector<float> y = {1, 2, 3, 4};
  CHECK(attn::session::ComputeMoments(y.data(), 4).std == doctest::Approx(std::sqrt(1.25)));  // ÷ n

  const attn::session::Histogram h = attn::session::MakeHistogram(x.data(), x.size(), 4, -1.0f, 1.0f);
  REQUIRE(h.counts.size() == 4);
  CHECK(h.BinWidth() == doctest::Approx(0.5));
  CHECK(h.below == 1);   // −2
  CHECK(h.above == 1);   // 3 (NaN is in neither)
  CHECK(h.counts[0] == 0);
  CHECK(h.counts[1] == 1);  // −0.01 in [−0.5, 0)
  CHECK(h.counts[2] == 2);  // 0, 0.02 in [0, 0.5)
  CHECK(h.counts[3] == 1);  // 1.0 = hi falls in the last bin

  CHECK(attn::session::NearZeroFraction(x.data(), 6, 0.05f) == doctest::Approx(0.5));
  CHECK(attn::session::NearZeroFraction(x.data(), 0, 0.05f) == 0.0f);
}

TEST_CASE("block stats: FFN sparsity per layer; the FFN holds most of a block's weights") {
  attn::model::Trace t;
  t.n_layer = 2;
  t.count = 1;
  t.n_ff = 4;
  t.mlp_act = {0.0f, 0.001f, 2.0f, -0.1f,     // layer 0: two of four near zero
               0.5f, 0.6f, 0.7f, 0.0f};       // layer 1: one of four
  const std::vector<float> f = attn::session::FfnNearZero(t, 0.05f);
  REQUIRE(f.size() == 2);
  CHECK(f[0] == doctest::Approx(0.5));
  CHECK(f[1] == doctest::Approx(0.25));

  attn::model::Config gpt2;  // GPT-2 small: C = 768, n_ff = 3072
  const attn::session::BlockParameters p = attn::session::CountBlockParameters(gpt2);
  CHECK(p.attention == 2362368u);   // 4·768² + 4·768
  CHECK(p.ffn == 4722432u);         // 2·768·3072 + 3072 + 768
  CHECK(p.layernorm == 3072u);
  CHECK(p.Total() == 7087872u);     // GPT-2's 12 blocks: 85 M of its 124 M parameters
}
