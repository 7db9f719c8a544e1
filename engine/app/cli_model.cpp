// [SECTION] Index
//   - Arguments and loading
//   - info / run / generate / attention
//   - convert
#include "app/cli_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "app/cli_args.h"
#include "core/file.h"
#include "formats/json.h"
#include "kernels/kernels.h"
#include "kernels/threads.h"
#include "model/convert.h"
#include "model/load_gguf.h"
#include "model/sampling.h"
#include "session/export.h"
#include "session/memory_budget.h"
#include "tokenizer/gpt2_tokenizer.h"

namespace attn::app {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Arguments and loading
//-----------------------------------------------------------------------------

int Fail(const char* cmd, const std::string& message) {
  std::fprintf(stderr, "attnlab-cli %s: %s\n", cmd, message.c_str());
  return 1;
}

struct Loaded {
  model::LoadedModel m;
  tokenizer::Gpt2Tokenizer tok;
  uint64_t file_bytes = 0;
};

Result<Loaded> Load(const std::string& path);

}  // namespace

Result<tokenizer::Gpt2Tokenizer> ModelTokenizer(const std::string& path) {
  Result<Loaded> l = Load(path);
  if (!l.ok()) return l.failure();
  return std::move(l->tok);
}

namespace {

Result<Loaded> Load(const std::string& path) {
  if (path.empty()) return Error{"give a model file: attnlab-cli <command> MODEL.gguf …"};
  Result<model::LoadedModel> m = model::LoadGpt2File(path);
  if (!m.ok()) return m.failure();
  Result<tokenizer::Gpt2Tokenizer> tok = tokenizer::Gpt2Tokenizer::FromTokensAndMerges(m->tokens, m->merges);
  if (!tok.ok()) return tok.failure();
  return Loaded{std::move(*m), std::move(*tok), FileSize(path)};
}

// Token ids written as "464 3797 3332" (--ids), for experiments on exact token sequences.
std::vector<int> ParseIds(const std::string& s) {
  std::vector<int> ids;
  const char* p = s.c_str();
  char* end = nullptr;
  for (long v = std::strtol(p, &end, 10); end != p; v = std::strtol(p, &end, 10)) {
    ids.push_back(static_cast<int>(v));
    p = end;
  }
  return ids;
}

// Tokenizes `text` (or takes `--ids`) and runs it through the model from an empty cache.
// A model that computes NaN or infinity (a NaN LayerNorm epsilon, overflowing weights) gets an
// error, not "nan%" printed as if it were an answer.
Status CheckFinite(const std::vector<float>& logits) {
  if (std::all_of(logits.begin(), logits.end(), [](float x) { return std::isfinite(x); })) return {};
  return Error{"the model produces NaN or infinity (not a number) in its output: the file may be broken "
               "(its LayerNorm epsilon, say) or its weights overflow"};
}

// --memory-budget MIB, else half of this machine's memory (session/memory_budget.h): a pass
// that would not fit is refused with its size, before anything is allocated.
uint64_t MemoryBudget(int argc, char** argv) {
  uint64_t bytes = session::DefaultMemoryBudget();
  const std::string flag = Flag(argc, argv, "--memory-budget");
  if (!flag.empty() && !session::ParseMemoryBudgetMiB(flag.c_str(), &bytes))
    std::fprintf(stderr, "attnlab-cli: ignoring --memory-budget '%s' (a whole number of MiB, at least 64)\n", flag.c_str());
  return bytes;
}

Status CheckMemory(const Loaded& l, int tokens, const model::TraceOptions* trace, uint64_t budget) {
  const model::Config& c = l.m.model->config();
  tokens = std::clamp(tokens, 1, c.n_ctx);  // past the context Forward says so itself
  const uint64_t need = l.file_bytes + model::EstimatePassBytes(c, 0, tokens, trace ? *trace : model::TraceOptions{}).total();
  if (need <= budget) return {};
  return Errorf("%d tokens on this model need about %.0f MiB of memory, more than the memory budget of %.0f MiB "
                "(--memory-budget MIB sets it; a shorter text needs less)", tokens, need / 1048576.0, budget / 1048576.0);
}

Status RunText(const Loaded& l, const std::string& text, std::vector<int>* ids, std::vector<float>* logits,
               uint64_t budget, model::Trace* trace = nullptr, const std::string& id_list = "") {
  *ids = id_list.empty() ? l.tok.Encode(text) : ParseIds(id_list);
  if (Status s = CheckMemory(l, static_cast<int>(ids->size()), trace ? &trace->options : nullptr, budget); !s.ok())
    return s;
  model::KvCache cache = l.m.model->NewCache();
  Status s = l.m.model->Forward(*ids, cache, {}, logits, trace);
  if (s.ok()) s = CheckFinite(*logits);
  return s;
}

// Printable form of a token: its bytes, with control bytes escaped, for the terminal.
std::string Printable(const tokenizer::Gpt2Tokenizer& tok, int id) {
  std::string out;
  for (unsigned char c : tok.TokenBytes(id)) {
    if (c == '\n') out += "\\n";
    else if (c < 0x20) { char b[8]; std::snprintf(b, sizeof b, "\\x%02x", c); out += b; }
    else out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] info / run / generate / attention
//-----------------------------------------------------------------------------

int CmdInfo(int argc, char** argv) {
  Result<Loaded> l = Load(Positional(argc, argv, 0));
  if (!l.ok()) return Fail("info", l.error());
  const model::Config& c = l->m.model->config();
  std::printf("name          %s\nweights       %s, %.1f MB read per token\nvocabulary    %d tokens\n"
              "context       %d tokens\nlayers        %d\nheads         %d (head size %d)\nwidth         %d (MLP %d)\n"
              "layernorm eps %g\nkernels       %s, %d thread%s\n",
              l->m.name.c_str(), l->m.weight_type.c_str(), l->m.model->WeightBytes() / 1e6, c.vocab_size, c.n_ctx,
              c.n_layer, c.n_head, c.head_dim(), c.n_embd, c.n_ff, c.eps, kernels::SimdName(), kernels::Threads(),
              kernels::Threads() == 1 ? "" : "s");
  return 0;
}

int CmdRun(int argc, char** argv) {
  Result<Loaded> l = Load(Positional(argc, argv, 0));
  if (!l.ok()) return Fail("run", l.error());
  std::vector<int> ids;
  std::vector<float> logits;
  Status s = RunText(*l, Flag(argc, argv, "--text"), &ids, &logits, MemoryBudget(argc, argv));
  if (!s.ok()) return Fail("run", s.error());
  const int top = std::clamp(std::atoi(Flag(argc, argv, "--top", "5").c_str()), 1, l->m.model->config().vocab_size);
  std::vector<model::TokenProb> dist = model::NextTokenDistribution(logits, {1.0f, top, 1.0f});
  // Report true probabilities (softmax over the whole vocabulary), not the renormalized top-k.
  const float max_logit = *std::max_element(logits.begin(), logits.end());
  double z = 0.0;
  for (float x : logits) z += std::exp(static_cast<double>(x - max_logit));
  std::printf("tokens:");
  for (int id : ids) std::printf(" %d", id);
  std::printf("\nnext token:\n");
  for (const model::TokenProb& t : dist)
    std::printf("  %10.6f%%  %6d  '%s'\n", 100.0 * std::exp(static_cast<double>(logits[t.id] - max_logit)) / z, t.id,
                Printable(l->tok, t.id).c_str());
  return 0;
}

int CmdGenerate(int argc, char** argv) {
  Result<Loaded> l = Load(Positional(argc, argv, 0));
  if (!l.ok()) return Fail("generate", l.error());
  std::vector<int> ids = l->tok.Encode(Flag(argc, argv, "--text"));
  const int asked = std::clamp(std::atoi(Flag(argc, argv, "--tokens", "30").c_str()), 1, 100000);
  const int n_ctx = l->m.model->config().n_ctx;
  if (static_cast<int>(ids.size()) >= n_ctx)
    return Fail("generate", Errorf("the prompt is %d tokens long and this model reads at most %d (its context), so "
                                   "there is no room to write anything; shorten the prompt",
                                   static_cast<int>(ids.size()), n_ctx).message);
  const int n = std::min(asked, n_ctx - static_cast<int>(ids.size()));  // the context bounds the text
  model::SamplingParams p;
  p.temperature = static_cast<float>(std::atof(Flag(argc, argv, "--temperature", "0").c_str()));
  p.top_k = std::atoi(Flag(argc, argv, "--top-k", "0").c_str());
  p.top_p = static_cast<float>(std::atof(Flag(argc, argv, "--top-p", "1").c_str()));
  model::Rng rng(std::strtoull(Flag(argc, argv, "--seed", "1").c_str(), nullptr, 10));
  model::KvCache cache = l->m.model->NewCache();
  std::vector<float> logits;
  std::fputs(l->tok.Decode(ids).c_str(), stdout);
  if (Status s = CheckMemory(*l, static_cast<int>(ids.size()) + n, nullptr, MemoryBudget(argc, argv)); !s.ok())
    return Fail("generate", s.error());
  std::vector<int> step = ids;  // the prompt first (batched prefill), then one token at a time
  for (int k = 0; k < n; ++k) {
    Status s = l->m.model->Forward(step, cache, {}, &logits);
    if (s.ok()) s = CheckFinite(logits);
    if (!s.ok()) { std::printf("\n"); return Fail("generate", s.error()); }
    const int next = model::SampleToken(model::NextTokenDistribution(logits, p), rng);
    std::fputs(l->tok.TokenBytes(next).c_str(), stdout);
    std::fflush(stdout);
    step = {next};
  }
  std::printf("\n");
  if (n < asked)
    std::fprintf(stderr, "attnlab-cli generate: stopped after %d of %d tokens: the model's context (%d tokens) is full\n", n,
                 asked, n_ctx);
  return 0;
}

int CmdAttention(int argc, char** argv) {
  Result<Loaded> l = Load(Positional(argc, argv, 0));
  if (!l.ok()) return Fail("attention", l.error());
  std::vector<int> ids;
  std::vector<float> logits;
  model::Trace trace;
  Status s = RunText(*l, Flag(argc, argv, "--text"), &ids, &logits, MemoryBudget(argc, argv), &trace,
                     Flag(argc, argv, "--ids"));
  if (!s.ok()) return Fail("attention", s.error());
  const model::Config& c = l->m.model->config();
  const int layer = std::atoi(Flag(argc, argv, "--layer", "-1").c_str());
  const int head = std::atoi(Flag(argc, argv, "--head", "-1").c_str());
  if (layer >= c.n_layer || head >= c.n_head) return Fail("attention", "--layer or --head is past the model's size");
  std::vector<std::string> bytes;
  for (int id : ids) bytes.push_back(l->tok.TokenBytes(id));
  // Streamed: all heads of GPT-2 small on 1024 tokens are about 1 GB of text.
  session::WriteAttentionJson(bytes, ids, trace, layer, head,
                              [](const std::string& part) { std::fwrite(part.data(), 1, part.size(), stdout); });
  std::fputc('\n', stdout);
  return std::ferror(stdout) ? Fail("attention", "could not write the output") : 0;
}

// perplexity MODEL --tokens FILE.u16 [--window W] [--max-tokens N]: exp(mean −log p(next
// token)) over non-overlapping windows of a little-endian uint16 token file (make_corpus.py).
int CmdPerplexity(int argc, char** argv) {
  Result<Loaded> l = Load(Positional(argc, argv, 0));
  if (!l.ok()) return Fail("perplexity", l.error());
  std::string bytes;
  const std::string path = Flag(argc, argv, "--tokens");
  if (path.empty() || !ReadWholeFile(path, &bytes)) return Fail("perplexity", "cannot read --tokens '" + path + "'");
  std::vector<int> all(bytes.size() / 2);
  for (size_t i = 0; i < all.size(); ++i)
    all[i] = static_cast<unsigned char>(bytes[2 * i]) | static_cast<unsigned char>(bytes[2 * i + 1]) << 8;
  const model::Config& c = l->m.model->config();
  const int window = std::clamp(std::atoi(Flag(argc, argv, "--window", std::to_string(c.n_ctx).c_str()).c_str()), 2, c.n_ctx);
  const size_t max_tokens = std::strtoull(Flag(argc, argv, "--max-tokens", "0").c_str(), nullptr, 10);
  double nll = 0.0;
  size_t counted = 0;
  model::TraceOptions all_logits;
  all_logits.all_logits = true;
  if (Status s = CheckMemory(*l, window, &all_logits, MemoryBudget(argc, argv)); !s.ok()) return Fail("perplexity", s.error());
  for (size_t start = 0; start + window + 1 <= all.size() && (!max_tokens || counted < max_tokens); start += window) {
    std::vector<int> ids(all.begin() + start, all.begin() + start + window);
    model::KvCache cache = l->m.model->NewCache();
    model::Trace trace;
    trace.options.all_logits = true;
    std::vector<float> last;
    Status s = l->m.model->Forward(ids, cache, {}, &last, &trace);
    if (!s.ok()) return Fail("perplexity", s.error());
    for (int i = 0; i < window; ++i) {  // −log softmax(logits_i)[next token]
      const float* z = trace.logits.data() + static_cast<size_t>(i) * c.vocab_size;
      const float mx = *std::max_element(z, z + c.vocab_size);
      double sum = 0.0;
      for (int v = 0; v < c.vocab_size; ++v) sum += std::exp(static_cast<double>(z[v] - mx));
      nll += std::log(sum) + mx - z[all[start + i + 1]];
      ++counted;
    }
  }
  if (!counted) return Fail("perplexity", "the token file is shorter than one window");
  std::printf("{\"tokens\":%zu,\"window\":%d,\"mean_nll\":%.6f,\"perplexity\":%.4f}\n", counted, window,
              nll / counted, std::exp(nll / counted));
  return 0;
}

//-----------------------------------------------------------------------------
// [SECTION] convert
//-----------------------------------------------------------------------------

int CmdConvert(int argc, char** argv) {
  const std::string in = Positional(argc, argv, 0), out = Positional(argc, argv, 1);
  if (in.empty() || out.empty()) return Fail("convert", "usage: attnlab-cli convert HF_FOLDER OUT.gguf [--type f32|f16|q8_0|q4_0]");
  const std::string type = Flag(argc, argv, "--type", "q8_0");
  model::ConvertOptions options;
  if (const quant::TypeTraits* t = quant::FindType(type)) {
    options.type = t->type;
  } else {
    std::string names;
    for (const quant::TypeTraits& tt : quant::AllTypes()) names += (names.empty() ? "" : ", ") + std::string(tt.name);
    return Fail("convert", "--type must be one of " + names + ", not '" + type + "'");
  }
  options.progress = [](int done, int total, const std::string& tensor) {
    const int width = 30, filled = total ? done * width / total : width;
    std::fprintf(stderr, "\r[%s%s] %3d%%  %-40.40s", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), total ? 100 * done / total : 100, tensor.c_str());
    if (done == total) std::fprintf(stderr, "\n");
  };
  Status s = model::ConvertHfToGguf(in, out, options);
  if (!s.ok()) { std::fprintf(stderr, "\n"); return Fail("convert", s.error()); }
  std::fprintf(stderr, "wrote %s (%s)\n", out.c_str(), type.c_str());
  return 0;
}

}  // namespace attn::app
