// Choosing the next token from the model's logits: greedy, temperature, top-k, top-p.
//
//   p_i = softmax(logits / temperature)_i
//   top-k keeps the k most likely tokens; top-p keeps the smallest set whose probability
//   reaches p; what is kept is renormalized to sum to 1 and one token is drawn from it.
// Seeded and portable: the same seed gives the same text natively and in the browser.
#pragma once
#include <cstdint>
#include <vector>

namespace attn::model {

struct SamplingParams {
  float temperature = 1.0f;  // 0 = greedy (always the most likely token)
  int top_k = 0;             // 0 = no limit
  float top_p = 1.0f;        // 1 = no limit
};

struct TokenProb {
  int id;
  float p;
};

// The distribution the sampler draws from, most likely first (what the UI's bars show).
// Greedy (temperature 0) gives the single most likely token with p = 1.
std::vector<TokenProb> NextTokenDistribution(const std::vector<float>& logits, const SamplingParams& params);

// A small seeded generator (SplitMix64): std::uniform_real_distribution differs between
// standard libraries, and we want identical samples natively and in wasm.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  double Uniform();  // [0, 1)

 private:
  uint64_t state_;
};

// Draws a token id from a distribution made by NextTokenDistribution.
int SampleToken(const std::vector<TokenProb>& dist, Rng& rng);

}  // namespace attn::model
