#include "lab/conveyor_belt.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

namespace attn::lab {

namespace {

// A short story whose "it" refers back to "cat": the long-range dependency of the chapter.
constexpr const char* kSentence[] = {
    "The", "cat", "sat", "on", "the", "mat", "because", "it", "was", "tired", "after",
    "chasing", "a", "mouse", "through", "the", "garden", "all", "afternoon", "and", "now",
    "it", "wanted", "nothing", "but", "a", "long", "sleep", "in", "the", "sun", "."};
constexpr int kSentenceWords = sizeof(kSentence) / sizeof(kSentence[0]);

constexpr uint64_t kWeightSeed = 2024;   // the one network the belt shows
constexpr float kWordScale = 0.3f;       // small inputs keep tanh near its linear part

uint64_t HashWord(std::string_view word) {  // FNV-1a over the lower-cased bytes
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : word) {
    h ^= static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c)));
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace

std::vector<std::string> BeltWords(int n) {
  std::vector<std::string> words;
  for (int i = 0; i < n; ++i) words.emplace_back(kSentence[i % kSentenceWords]);
  return words;
}

Eigen::VectorXf WordVector(std::string_view word, int dim) {
  return RandomInputs(1, dim, HashWord(word))[0] * kWordScale;
}

const Eigen::VectorXf& ConveyorBelt::StateAt(int step) const {
  return states[std::clamp(step, 0, static_cast<int>(states.size()) - 1)];
}

ConveyorBelt MakeConveyorBelt(int n, float recurrent_scale) {
  ConveyorBelt belt;
  belt.n = std::clamp(n, kBeltMinLength, kBeltMaxLength);
  belt.recurrent_scale = recurrent_scale;
  belt.words = BeltWords(belt.n);
  for (const std::string& w : belt.words) belt.inputs.push_back(WordVector(w, kBeltInputDim));
  belt.rnn = TinyRnn::MakeOrthogonal(kBeltHidden, kBeltInputDim, recurrent_scale, kWeightSeed);

  belt.states.push_back(Eigen::VectorXf::Zero(kBeltHidden));  // h_0
  for (const Eigen::VectorXf& x : belt.inputs) belt.states.push_back(belt.rnn.Step(belt.states.back(), x));

  belt.sensitivity = belt.rnn.FirstTokenSensitivity(belt.inputs);
  for (int t = 1; t <= belt.n; ++t)
    belt.bound.push_back(belt.sensitivity[0] * std::pow(recurrent_scale, static_cast<float>(t - 1)));
  return belt;
}

}  // namespace attn::lab
