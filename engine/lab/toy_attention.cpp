#include "lab/toy_attention.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace attn::lab {

ToyWeights ToyWeights::Default() {
  ToyWeights w = {};
  //            thing action function alive
  w.w_q[0][1] = 2.0f;                       // an action seeks a thing
  w.w_q[1][0] = 1.5f;                       // a thing seeks an action
  w.w_k[0][0] = 2.0f; w.w_k[0][3] = 0.5f;   // "I am a thing" (alive things a bit more)
  w.w_k[1][1] = 2.0f;                       // "I am an action"
  w.w_v[0][0] = 1.0f; w.w_v[0][3] = 1.0f;   // value: how much of a (living) thing
  w.w_v[1][1] = 1.0f;                       //        how much of an action
  return w;
}

std::vector<float> ToyEmbedding(const std::string& word) {
  std::string w;
  for (char c : word)
    if (std::isalpha(static_cast<unsigned char>(c))) w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Entry { const char* word; float thing, action, function, alive; };
  static const Entry kLexicon[] = {
      {"cat", 1, 0, 0, 1},   {"dog", 1, 0, 0, 1},    {"bird", 1, 0, 0, 1}, {"robot", 1, 0, 0, 0.6f},
      {"man", 1, 0, 0, 1},   {"girl", 1, 0, 0, 1},   {"boy", 1, 0, 0, 1},  {"mat", 1, 0, 0, 0},
      {"chair", 1, 0, 0, 0}, {"sofa", 1, 0, 0, 0},   {"hill", 1, 0, 0, 0}, {"mail", 1, 0, 0, 0},
      {"table", 1, 0, 0, 0}, {"box", 1, 0, 0, 0},    {"tree", 1, 0, 0, 0.2f},
      {"sat", 0, 1, 0, 0.3f},{"slept", 0, 1, 0, 0.3f},{"ran", 0, 1, 0, 0.3f},{"jumped", 0, 1, 0, 0.3f},
      {"sits", 0, 1, 0, 0.3f},{"saw", 0, 1, 0, 0.3f}, {"ate", 0, 1, 0, 0.3f},{"delivered", 0, 1, 0, 0.3f},
      {"lay", 0, 1, 0, 0.3f},
  };
  for (const Entry& e : kLexicon)
    if (w == e.word) return {e.thing, e.action, e.function, e.alive};
  return {0, 0, 1, 0};  // the, on, a, under, ... : function words
}

std::vector<std::string> ToyWords(const std::string& sentence) {
  std::vector<std::string> words;
  std::istringstream in(sentence);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

static std::vector<float> Project(const float m[kToyHead][kToyEmbed], const std::vector<float>& x) {
  std::vector<float> y(kToyHead, 0.0f);
  for (int r = 0; r < kToyHead; ++r)
    for (int c = 0; c < kToyEmbed; ++c) y[r] += m[r][c] * x[c];
  return y;
}

ToyAttention RunToyAttention(const std::vector<std::string>& words, const ToyWeights& w) {
  ToyAttention a;
  a.n = static_cast<int>(words.size());
  for (const std::string& word : words) {
    a.x.push_back(ToyEmbedding(word));
    a.q.push_back(Project(w.w_q, a.x.back()));
    a.k.push_back(Project(w.w_k, a.x.back()));
    a.v.push_back(Project(w.w_v, a.x.back()));
  }
  const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(kToyHead));
  for (int i = 0; i < a.n; ++i) {
    std::vector<float> s(a.n), scaled(a.n), wt(a.n);
    for (int j = 0; j < a.n; ++j) {
      for (int d = 0; d < kToyHead; ++d) s[j] += a.q[i][d] * a.k[j][d];  // q_i · k_j
      scaled[j] = s[j] * inv_sqrt_d;                                     // / √d_k
    }
    const float mx = *std::max_element(scaled.begin(), scaled.end());
    float sum = 0.0f;
    for (int j = 0; j < a.n; ++j) sum += wt[j] = std::exp(scaled[j] - mx);
    for (float& x : wt) x /= sum;                                        // softmax
    std::vector<float> o(kToyHead, 0.0f);
    for (int j = 0; j < a.n; ++j)
      for (int d = 0; d < kToyHead; ++d) o[d] += wt[j] * a.v[j][d];     // Σ_j w_ij v_j
    a.scores.push_back(s);
    a.scaled.push_back(scaled);
    a.weights.push_back(wt);
    a.out.push_back(o);
  }
  return a;
}

}  // namespace attn::lab
