// The chapter's toy self-attention (11.2): hand-made word embeddings and projection
// matrices small enough to read, for "The cat sat on the mat".
//
//   q_i = W_q · x_i        what token i is looking for          (查询 Query)
//   k_j = W_k · x_j        what token j can offer               (键 Key)
//   v_j = W_v · x_j        what token j actually contains       (值 Value)
//   s_ij = q_i · k_j / √d_k                                      scaled dot product
//   w_ij = softmax_j(s_ij)                                       weights, Σ_j w_ij = 1
//   out_i = Σ_j w_ij v_j                                          the new representation
//
// Features of an embedding: [thing, action, function word, alive]. W_q makes an action look
// for things and a thing look for actions; W_k says "I am a thing (alive counts extra)" and
// "I am an action". So "sat" attends most to "cat", then "mat" — the chapter's example.
// Bidirectional (no causal mask), as in BERT and in the chapter's figure.
#pragma once
#include <string>
#include <vector>

namespace attn::lab {

inline constexpr int kToyEmbed = 4;  // x: [thing, action, function, alive]
inline constexpr int kToyHead = 2;   // q, k, v: [seeks/is a thing, seeks/is an action]

struct ToyWeights {
  float w_q[kToyHead][kToyEmbed];
  float w_k[kToyHead][kToyEmbed];
  float w_v[kToyHead][kToyEmbed];
  static ToyWeights Default();
};

// The hand-made embedding of a word ("cat" → thing, alive); unknown words count as function
// words. Case and surrounding punctuation are ignored.
std::vector<float> ToyEmbedding(const std::string& word);

// Whether the toy has a vector of its own for `word` (a noun or verb of its lexicon, or a
// common function word). Any other word gets the function-word vector, which the figure says.
bool ToyKnows(const std::string& word);

// The toy's words, by kind, as the figure lists them: nouns, verbs, function words.
const std::vector<std::string>& ToyLexicon(int kind);
std::vector<std::string> ToyWords(const std::string& sentence);  // split on spaces

struct ToyAttention {
  int n = 0;                                       // tokens
  std::vector<std::vector<float>> x, q, k, v;      // per token: embedding, query, key, value
  std::vector<std::vector<float>> scores;          // s[i][j] = q_i · k_j (before scaling)
  std::vector<std::vector<float>> scaled;          // s[i][j] / √d_k
  std::vector<std::vector<float>> weights;         // softmax over j; each row sums to 1
  std::vector<std::vector<float>> out;             // Σ_j w_ij v_j
};

ToyAttention RunToyAttention(const std::vector<std::string>& words, const ToyWeights& w);

}  // namespace attn::lab
