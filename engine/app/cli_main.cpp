// attnlab-cli: Attention Lab on the command line.
//
//   attnlab-cli version      the version
//   attnlab-cli strings      the UI string table as TSV (id, zh-CN, en)
//   attnlab-cli glyphs       every distinct character the UI strings use (UTF-8, one line)
//   attnlab-cli pe LEN DIM   the sinusoidal positional encoding as CSV
//   attnlab-cli bench        forward-pass speed (random GPT-2-124M-shaped model)
//   attnlab-cli tokenize     GPT-2 tokens of a text (a model's tokenizer, or vocab.json + merges.txt)
//
//   attnlab-cli info | run | generate | attention | convert   (see Usage)
//   attnlab-cli train-toy    the training lab (app/cli_train.cpp)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include "app/bench.h"
#include "app/cli_args.h"
#include "app/cli_model.h"
#include "app/cli_train.h"
#include "core/file.h"
#include "core/utf8.h"
#include "lab/positional_encoding.h"
#include "tokenizer/gpt2_tokenizer.h"
#include "ui/i18n/i18n.h"

#ifndef ATTNLAB_VERSION
#define ATTNLAB_VERSION "0.1.0"
#endif

using namespace attn;

static int Usage(FILE* out) {
  std::fputs(
      "usage: attnlab-cli <command>\n"
      "  version       print the version\n"
      "  strings       the UI string table as TSV (id, zh-CN, en)\n"
      "  glyphs        every distinct character used by the UI strings\n"
      "  pe LEN DIM    sinusoidal positional encoding (LEN positions x DIM dims) as CSV\n"
      "  bench [--quick] [--kernels]  forward-pass speed on a random GPT-2-124M-shaped model\n"
      "  bench --train [--quick]      the training lab: steps/s per task, seconds until an induction head forms\n"
      "  tokenize (MODEL.gguf | --vocab vocab.json --merges merges.txt) (--text T | --file F) [--ids] [--lines] [--special]\n"
      "  info MODEL.gguf                    the model's shape, weights and tokenizer\n"
      "  run MODEL.gguf --text T [--top 5]  the most likely next tokens\n"
      "  generate MODEL.gguf --text T [--tokens 30] [--temperature 0] [--top-k 0] [--top-p 1] [--seed 1]\n"
      "  attention MODEL.gguf (--text T | --ids \"464 3797\") [--layer L] [--head H]   attention weights as JSON\n"
      "  (run, generate, attention, perplexity: --memory-budget MIB; default half of this machine's memory)\n"
      "  perplexity MODEL.gguf --tokens FILE.u16 [--window W] [--max-tokens N]   held-out perplexity\n"
      "  convert HF_FOLDER OUT.gguf [--type f32|f16|q8_0|q4_0]  Hugging Face GPT-2 -> GGUF\n"
      "  train-toy --task induction|order|two-lookups [--steps N] [--seed S] [--layers L] [--heads H] [--d D]\n"
      "            [--pe learned|sin|none] [--bidirectional] [--lr X] [--batch B] [--every K] [--json]   the training lab\n",
      out);
  return out == stdout ? 0 : 2;
}

// tokenize (MODEL.gguf | --vocab vocab.json --merges merges.txt) (--text "..." | --file F) [--ids]
static Result<tokenizer::Gpt2Tokenizer> TokenizerFor(int argc, char** argv) {
  if (argc > 2 && argv[2][0] != '-') return app::ModelTokenizer(argv[2]);  // the model's own
  std::string vocab, merges;
  const std::string vocab_path = app::Flag(argc, argv, "--vocab"), merges_path = app::Flag(argc, argv, "--merges");
  if (!ReadWholeFile(vocab_path, &vocab) || !ReadWholeFile(merges_path, &merges))
    return Error{"cannot read --vocab '" + vocab_path + "' / --merges '" + merges_path + "' (or give a MODEL.gguf)"};
  return tokenizer::Gpt2Tokenizer::FromVocabJson(vocab, merges);
}

static int Tokenize(int argc, char** argv) {
  std::string text;
  Result<tokenizer::Gpt2Tokenizer> tok = TokenizerFor(argc, argv);
  if (!tok.ok()) { std::fprintf(stderr, "attnlab-cli tokenize: %s\n", tok.error().c_str()); return 1; }
  const std::string file = app::Flag(argc, argv, "--file");
  if (!file.empty() && !ReadWholeFile(file, &text)) { std::fprintf(stderr, "attnlab-cli tokenize: cannot read '%s'\n", file.c_str()); return 2; }
  if (file.empty()) text = app::Flag(argc, argv, "--text");
  bool ids_only = false, by_line = false, special = false;  // --special: "<|endoftext|>" is one token
  for (int i = 2; i < argc; ++i) {
    ids_only |= !std::strcmp(argv[i], "--ids");
    by_line |= !std::strcmp(argv[i], "--lines");
    special |= !std::strcmp(argv[i], "--special");
  }
  auto print_ids = [&](std::string_view t) {
    const std::vector<int> ids = special ? tok->EncodeWithSpecial(t) : tok->Encode(t);
    for (size_t i = 0; i < ids.size(); ++i) std::printf("%s%d", i ? " " : "", ids[i]);
    std::printf("\n");
    return ids;
  };
  if (by_line) {  // one line of ids per line of text (the text's '\n' are not encoded)
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      print_ids(std::string_view(text).substr(start, end - start));
      start = end + 1;
    }
    return 0;
  }
  const std::vector<int> ids = print_ids(text);
  if (!ids_only) {
    for (int id : ids) std::printf("%6d  %s\n", id, tok->TokenText(id).c_str());
  }
  return 0;
}

static int Strings() {
  for (int i = 0; i < i18n::kStringCount; ++i) {
    const auto id = static_cast<i18n::Str>(i);
    std::printf("%s\t%s\t%s\n", i18n::IdName(id), i18n::Tr(id, i18n::Lang::Zh),
                i18n::Tr(id, i18n::Lang::En));
  }
  return 0;
}

static int Glyphs() {
  std::set<char32_t> chars;
  i18n::ForEachText([&](const char* text) {
    for (char32_t c : utf8::ToCodepoints(text)) chars.insert(c);
  });
  std::string out;
  for (char32_t c : chars) utf8::Append(out, c);
  std::printf("%s\n", out.c_str());
  return 0;
}

static int PositionalEncoding(int argc, char** argv) {
  const int len = argc > 2 ? std::atoi(argv[2]) : 0;
  const int dim = argc > 3 ? std::atoi(argv[3]) : 0;
  if (len <= 0 || len > 100000 || dim <= 0 || dim > 100000 || dim % 2) {
    std::fprintf(stderr, "attnlab-cli pe: LEN must be 1..100000 and DIM an even number 2..100000\n");
    return 2;
  }
  const Eigen::MatrixXf pe = lab::SinusoidalEncoding(len, dim);
  for (int r = 0; r < pe.rows(); ++r)
    for (int c = 0; c < pe.cols(); ++c) std::printf("%.6f%c", pe(r, c), c + 1 == pe.cols() ? '\n' : ',');
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) return Usage(stderr);
  const char* cmd = argv[1];
  if (!std::strcmp(cmd, "version")) { std::printf("Attention Lab %s\n", ATTNLAB_VERSION); return 0; }
  if (!std::strcmp(cmd, "help") || !std::strcmp(cmd, "--help") || !std::strcmp(cmd, "-h")) return Usage(stdout);
  if (!std::strcmp(cmd, "strings")) return Strings();
  if (!std::strcmp(cmd, "glyphs")) return Glyphs();
  if (!std::strcmp(cmd, "pe")) return PositionalEncoding(argc, argv);
  if (!std::strcmp(cmd, "tokenize")) return Tokenize(argc, argv);
  if (!std::strcmp(cmd, "info")) return app::CmdInfo(argc, argv);
  if (!std::strcmp(cmd, "run")) return app::CmdRun(argc, argv);
  if (!std::strcmp(cmd, "generate")) return app::CmdGenerate(argc, argv);
  if (!std::strcmp(cmd, "attention")) return app::CmdAttention(argc, argv);
  if (!std::strcmp(cmd, "convert")) return app::CmdConvert(argc, argv);
  if (!std::strcmp(cmd, "perplexity")) return app::CmdPerplexity(argc, argv);
  if (!std::strcmp(cmd, "train-toy")) return app::CmdTrainToy(argc, argv);
  if (!std::strcmp(cmd, "bench")) {
    bool quick = false, kernels = false, training = false;
    for (int i = 2; i < argc; ++i) {
      quick |= !std::strcmp(argv[i], "--quick");
      kernels |= !std::strcmp(argv[i], "--kernels");
      training |= !std::strcmp(argv[i], "--train");
    }
    if (training) return app::RunTrainBench(quick);
    return app::RunBench(quick, kernels);
  }
  std::fprintf(stderr, "attnlab-cli: unknown command '%s'\n", cmd);
  return Usage(stderr);
}
