// model/requantize.h (the 11.3 quantization lens) and model/components.h (the 11.3 diagram's
// parameter counts), on small random GPT-2s built in memory.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "model/components.h"
#include "model/random_model.h"
#include "model/requantize.h"
#include "session/session.h"

using namespace attn;
using namespace attn::model;

namespace {

Config LensConfig() {
  Config c;
  c.vocab_size = 128;
  c.n_ctx = 32;
  c.n_embd = 64;
  c.n_head = 4;
  c.n_layer = 2;
  c.n_ff = 256;
  return c;
}

const std::vector<int> kTokens = {5, 17, 42, 99, 3, 64, 120, 8};

std::vector<float> Logits(const Model& m, Trace* trace = nullptr) {
  KvCache cache = m.NewCache();
  std::vector<float> logits;
  REQUIRE(m.Forward(kTokens, cache, {}, &logits, trace).ok());
  return logits;
}

// RMS of (a − b) relative to the RMS of a.
double RelativeRms(const std::vector<float>& a, const std::vector<float>& b) {
  double num = 0, den = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    num += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    den += double(a[i]) * a[i];
  }
  return std::sqrt(num / den);
}

}  // namespace

TEST_CASE("requantize: f32 → f32 is the same model, bit for bit, and owns its memory") {
  auto source = MakeRandomModel(LensConfig(), quant::Type::F32, 11);
  const std::vector<float> ref = Logits(*source);
  auto copy = Requantize(*source, quant::Type::F32);
  REQUIRE(copy);
  CHECK(copy->WeightBytes() == source->WeightBytes());
  CHECK(copy->weights().wte.data != source->weights().wte.data);
  CHECK(copy->weights().layers[1].ln2_w != source->weights().layers[1].ln2_w);
  source.reset();  // the copy must not point into the freed model
  CHECK(Logits(*copy) == ref);
}

TEST_CASE("requantize: Q8_0 logits stay close to f32, Q4_0 further away; bytes shrink") {
  auto f32 = MakeRandomModel(LensConfig(), quant::Type::F32, 5);
  auto q8 = Requantize(*f32, quant::Type::Q8_0);
  auto q4 = Requantize(*f32, quant::Type::Q4_0);
  REQUIRE((q8 && q4));
  CHECK(q8->weights().layers[0].ffn_up.type == quant::Type::Q8_0);
  CHECK(q4->weights().wpe.type == quant::Type::Q4_0);
  CHECK(q4->weights().lm_head.data == q4->weights().wte.data);  // the tied head stays one matrix

  Trace t32, t8, t4;
  const std::vector<float> ref = Logits(*f32, &t32), l8 = Logits(*q8, &t8), l4 = Logits(*q4, &t4);
  const double e8 = RelativeRms(ref, l8), e4 = RelativeRms(ref, l4);
  CAPTURE(e8);
  CAPTURE(e4);
  CHECK(e8 > 0.0);     // it really changed something
  CHECK(e8 < 0.02);    // Q8_0: about 1 % (weights and activations rounded to 8 bits)
  CHECK(e4 > 2 * e8);  // Q4_0: 16 levels instead of 255
  CHECK(e4 < 0.3);

  // Bytes: f32 4 per value; Q8_0 34 per 32 values; Q4_0 18 per 32.
  const double b32 = f32->WeightBytes();
  CHECK(q8->WeightBytes() / b32 == doctest::Approx(34.0 / 128.0));
  CHECK(q4->WeightBytes() / b32 == doctest::Approx(18.0 / 128.0));

  // Attention maps move less than the logits but in the same order.
  double d8 = 0, d4 = 0;
  for (size_t i = 0; i < t32.attention.size(); ++i) {
    d8 = std::max(d8, double(std::fabs(t32.attention[i] - t8.attention[i])));
    d4 = std::max(d4, double(std::fabs(t32.attention[i] - t4.attention[i])));
  }
  CHECK(d8 < d4);
}

TEST_CASE("requantize: Q8_0 → f32 → Q8_0 gives back the Q8_0 model exactly") {
  auto q8 = MakeRandomModel(LensConfig(), quant::Type::Q8_0, 9);
  auto back = Requantize(*Requantize(*q8, quant::Type::F32), quant::Type::Q8_0);
  CHECK(Logits(*back) == Logits(*q8));
  // and the f32 copy of a Q8_0 model holds exactly the Q8_0 values
  auto f32 = Requantize(*q8, quant::Type::F32);
  const kernels::Matrix& a = q8->weights().layers[1].attn_proj;
  const kernels::Matrix& b = f32->weights().layers[1].attn_proj;
  std::vector<float> row(a.cols);
  quant::DequantizeRow(a.type, static_cast<const uint8_t*>(a.data) + 3 * quant::RowBytes(a.type, a.cols), row.data(), a.cols);
  CHECK(std::equal(row.begin(), row.end(), static_cast<const float*>(b.data) + 3 * b.cols));
}

TEST_CASE("requantize: an untied output head is converted too") {
  auto source = MakeRandomModel(LensConfig(), quant::Type::F32, 3);
  Weights w = source->weights();
  std::vector<float> head(w.wte.rows * w.wte.cols);
  for (size_t i = 0; i < head.size(); ++i) head[i] = 0.01f * std::sin(0.37f * i);
  w.lm_head = kernels::Matrix{quant::Type::F32, head.data(), w.wte.rows, w.wte.cols};
  Model untied(source->config(), w, nullptr, {});
  auto q8 = Requantize(untied, quant::Type::Q8_0);
  CHECK(q8->weights().lm_head.type == quant::Type::Q8_0);
  CHECK(q8->weights().lm_head.data != q8->weights().wte.data);
  CHECK(q8->WeightBytes() == untied.WeightBytes() * 34 / 128);
  CHECK(RelativeRms(Logits(untied), Logits(*q8)) < 0.02);
}

TEST_CASE("components: the diagram's parameter counts add up to the model's") {
  for (const Config& c : {LensConfig(), Gpt2SmallConfig()}) {
    uint64_t sum = 0;
    for (int i = 0; i < kComponentCount; ++i) sum += GptComponentCost(static_cast<Component>(i), c).total;
    CHECK(sum == session::ParameterCount(c));
    const uint64_t C = c.n_embd, F = c.n_ff;
    const ComponentCost att = GptComponentCost(Component::MaskedSelfAttention, c);
    CHECK(att.per_copy == 4 * C * C + 4 * C);
    CHECK(att.total == c.n_layer * (4 * C * C + 4 * C));
    CHECK(GptComponentCost(Component::FeedForward, c).total == c.n_layer * (2 * C * F + F + C));
    CHECK(GptComponentCost(Component::AddNorm, c).total == c.n_layer * 4 * C + 2 * C);
    // GPT-2 has no encoder: neither unmasked self-attention nor cross-attention count.
    CHECK(GptComponentCost(Component::CrossAttention, c).total == 0);
    CHECK(!GptComponentCost(Component::CrossAttention, c).in_gpt2);
    CHECK(GptComponentCost(Component::SelfAttention, c).total == 0);
    CHECK(GptComponentCost(Component::SelfAttention, c).per_copy == att.per_copy);  // same weights, no mask
  }
  CHECK(session::ParameterCount(Gpt2SmallConfig()) == 124439808u);  // GPT-2 small, as published
  // An untied head costs V × C more.
  const Config c = LensConfig();
  CHECK(GptComponentCost(Component::OutputHead, c, false).total == uint64_t(c.vocab_size) * c.n_embd);
  CHECK(GptComponentCost(Component::OutputHead, c, true).total == 0);
}

TEST_CASE("components: ids round-trip") {
  for (int i = 0; i < kComponentCount; ++i) {
    Component c;
    REQUIRE(ParseComponent(ComponentId(static_cast<Component>(i)), &c));
    CHECK(static_cast<int>(c) == i);
  }
  Component c;
  CHECK(!ParseComponent("encoder", &c));
}
