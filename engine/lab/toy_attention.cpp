#include "lab/toy_attention.h"

#include <algorithm>
#include <array>
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

namespace {

std::string Bare(const std::string& word) {  // lower case, letters only
  std::string w;
  for (char c : word)
    if (std::isalpha(static_cast<unsigned char>(c))) w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return w;
}

struct Entry { const char* word; float thing, action, function, alive; };
constexpr Entry kLexicon[] = {
    {"cat", 1, 0, 0, 1},   {"dog", 1, 0, 0, 1},    {"bird", 1, 0, 0, 1}, {"robot", 1, 0, 0, 0.6f},
    {"man", 1, 0, 0, 1},   {"girl", 1, 0, 0, 1},   {"boy", 1, 0, 0, 1},  {"mat", 1, 0, 0, 0},
    {"chair", 1, 0, 0, 0}, {"sofa", 1, 0, 0, 0},   {"hill", 1, 0, 0, 0}, {"mail", 1, 0, 0, 0},
    {"table", 1, 0, 0, 0}, {"box", 1, 0, 0, 0},    {"tree", 1, 0, 0, 0.2f},
    {"sat", 0, 1, 0, 0.3f},{"slept", 0, 1, 0, 0.3f},{"ran", 0, 1, 0, 0.3f},{"jumped", 0, 1, 0, 0.3f},
    {"sits", 0, 1, 0, 0.3f},{"saw", 0, 1, 0, 0.3f}, {"ate", 0, 1, 0, 0.3f},{"delivered", 0, 1, 0, 0.3f},
    {"lay", 0, 1, 0, 0.3f},
};
// Function words: the same vector [0, 0, 1, 0] as any unknown word, but known to be one.
constexpr const char* kFunctionWords[] = {"the", "a", "an", "on", "in", "under", "over", "at", "to", "of",
                                          "with", "and", "it", "was", "is", "after", "by", "from"};

}  // namespace

std::vector<float> ToyEmbedding(const std::string& word) {
  const std::string w = Bare(word);
  for (const Entry& e : kLexicon)
    if (w == e.word) return {e.thing, e.action, e.function, e.alive};
  return {0, 0, 1, 0};  // the, on, a, under, ... and every word the toy does not know
}

bool ToyKnows(const std::string& word) {
  const std::string w = Bare(word);
  for (const Entry& e : kLexicon)
    if (w == e.word) return true;
  for (const char* f : kFunctionWords)
    if (w == f) return true;
  return false;
}

const std::vector<std::string>& ToyLexicon(int kind) {
  static const std::array<std::vector<std::string>, 3> lists = [] {
    std::array<std::vector<std::string>, 3> l;
    for (const Entry& e : kLexicon) l[e.thing > 0 ? 0 : 1].push_back(e.word);
    for (const char* f : kFunctionWords) l[2].push_back(f);
    return l;
  }();
  return lists[kind < 0 || kind > 2 ? 2 : kind];
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
