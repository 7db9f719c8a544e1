// engine/train's hand-written backward pass against an independent float64 PyTorch autograd
// (tests/reference/make_toy_golden.py → tests/golden/toy/): the same weights and batch, the
// loss and every parameter tensor's gradient, for each position mode and both masks. Runs in
// the unit suite, natively and as wasm under node (NODERAWFS reads the files).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "train/toy_model.h"

using namespace attn::train;

namespace {

const std::string kDir = std::string(ATTNLAB_SOURCE_DIR) + "/tests/golden/toy";

struct ToyGolden {
  ModelShape shape;
  int B = 0, T = 0;
  std::vector<int> tokens, targets;
  double loss = 0.0;
  std::vector<std::pair<std::string, size_t>> tensors;
  std::vector<float> params, grads;
};

ToyGolden ReadToyGolden(const std::string& name) {
  ToyGolden g;
  std::ifstream txt(kDir + "/" + name + ".txt");
  REQUIRE_MESSAGE(txt, "missing golden file " << kDir << "/" << name << ".txt");
  std::string line;
  auto ints = [](std::istringstream& in) {
    size_t n;
    in >> n;
    std::vector<int> v(n);
    for (int& x : v) in >> x;
    return v;
  };
  while (std::getline(txt, line)) {
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "shape") {
      std::string pe;
      int bidir = 0;
      in >> g.shape.vocab >> g.shape.max_T >> g.shape.d_model >> g.shape.layers >> g.shape.heads >> pe >> bidir;
      REQUIRE(ParsePosEncoding(pe, &g.shape.pe));
      g.shape.bidirectional = bidir != 0;
    } else if (key == "batch") in >> g.B >> g.T;
    else if (key == "tokens") g.tokens = ints(in);
    else if (key == "targets") g.targets = ints(in);
    else if (key == "loss") in >> g.loss;
    else if (key == "tensor") {
      std::string n;
      size_t size;
      in >> n >> size;
      g.tensors.push_back({n, size});
    }
  }
  size_t total = 0;
  for (const auto& t : g.tensors) total += t.second;
  std::ifstream bin(kDir + "/" + name + ".bin", std::ios::binary);
  REQUIRE(bin);
  g.params.resize(total);
  g.grads.resize(total);
  bin.read(reinterpret_cast<char*>(g.params.data()), static_cast<std::streamsize>(total * sizeof(float)));
  bin.read(reinterpret_cast<char*>(g.grads.data()), static_cast<std::streamsize>(total * sizeof(float)));
  REQUIRE(bin);
  return g;
}

std::vector<std::string> CaseNames() {
  std::ifstream in(kDir + "/cases.txt");
  std::vector<std::string> names;
  std::string n;
  while (in >> n) names.push_back(n);
  return names;
}

}  // namespace

TEST_CASE("toy model: loss and gradients match PyTorch autograd (float64) in every mode") {
  const std::vector<std::string> names = CaseNames();
  REQUIRE(names.size() >= 6);
  for (const std::string& name : names) {
    CAPTURE(name);
    const ToyGolden g = ReadToyGolden(name);
    ToyModel m(g.shape, 1);
    REQUIRE(m.layout().size() == g.tensors.size());
    for (size_t i = 0; i < g.tensors.size(); ++i) {
      CHECK(m.layout()[i].name == g.tensors[i].first);
      REQUIRE(m.layout()[i].size == g.tensors[i].second);
    }
    REQUIRE(m.params().size() == g.params.size());
    m.params() = g.params;
    Activations a;
    a.Resize(g.shape, g.B, g.T);
    const float loss = m.Forward(a, g.tokens.data(), g.targets.data(), g.B, g.T);
    CHECK(loss == doctest::Approx(g.loss).epsilon(1e-5));
    m.ZeroGrad();
    m.Backward(a, g.tokens.data(), g.targets.data(), g.B, g.T);
    // Per tensor, the norm-relative error ‖g − g_ref‖ / ‖g_ref‖ (elementwise ratios blow up
    // on entries that are ~0 in both).
    for (const TensorInfo& t : m.layout()) {
      if (!t.size) continue;
      CAPTURE(t.name);
      double diff = 0.0, ref = 0.0;
      for (size_t i = t.offset; i < t.offset + t.size; ++i) {
        diff += std::pow(static_cast<double>(m.grads()[i]) - g.grads[i], 2);
        ref += std::pow(static_cast<double>(g.grads[i]), 2);
      }
      REQUIRE(ref > 0.0);
      CHECK(std::sqrt(diff / ref) <= 1e-4);
    }
  }
}
