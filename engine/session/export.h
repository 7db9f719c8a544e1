// What 11.4 hands to the world: the attention of a Trace as JSON (the same text as
// `attnlab-cli attention`, which prints it from here) and as CSV, and the Python code that
// computes the same map with Hugging Face transformers. Plain strings, no ImGui, no files.
//
//   JSON  {"tokens":["The"," robot",…],"ids":[464,9379,…],
//          "attention":[{"layer":0,"head":0,"weights":[[1],[0.4,0.6],…]},…]}   (T × T, %.6g)
//   CSV   query \ key,The, robot,…          one row per query token, one column per key
//         The,1,0,…
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/gpt2.h"

namespace attn::session {

// The trace's attention for every layer and head in order (layer/head >= 0: only that one),
// with the tokens' raw bytes (JSON-quoted, invalid UTF-8 as U+FFFD) and ids. Rows i and
// columns j run over the trace's positions 0 … first+count-1 (a fresh run: the whole text).
std::string AttentionJson(const std::vector<std::string>& token_bytes, const std::vector<int>& ids,
                          const model::Trace& trace, int layer = -1, int head = -1);
// The same text in pieces of about 64 KB (`attnlab-cli attention` streams GPT-2 small's 1 GB
// of all heads on a 1024-token text to stdout this way).
void WriteAttentionJson(const std::vector<std::string>& token_bytes, const std::vector<int>& ids,
                        const model::Trace& trace, int layer, int head, const std::function<void(const std::string&)>& write);
// An upper bound on AttentionJson's length (a weight takes at most 13 bytes), for the memory
// budget to decide before building it. A token text counts 160 bytes (its quoted bytes and id).
uint64_t AttentionJsonMaxBytes(const model::Trace& trace, int layer = -1, int head = -1);

// What an export of `room` bytes at most can hold: every layer and head (-1, -1), else the
// layer on screen with all its heads (when the figure shows their mean), else the head on
// screen (head 0 for the mean). A single head always goes: 1024² weights are 14 MB at most.
struct JsonScope {
  int layer = -1, head = -1;
  bool whole() const { return layer < 0; }
};
JsonScope ChooseJsonScope(const model::Trace& trace, uint64_t room, int layer, int head, bool mean_heads);

// One map, row-major n × n (n = first + count): head h of `layer`, or the mean of the
// layer's heads when head < 0. Rows of the mean still sum to 1.
std::vector<float> AttentionMatrix(const model::Trace& trace, int layer, int head);

// A CSV field (RFC 4180): quoted when it holds a comma, a quote, a line break or a space at
// either end (spreadsheets trim those), with quotes doubled.
std::string CsvField(std::string_view text);

// `matrix` (tokens.size()² values, row-major) as CSV with the tokens as row and column names.
std::string AttentionCsv(const std::vector<std::string>& tokens, const std::vector<float>& matrix);

// `text` as a Python string literal: "…" with \\, \", \n, \r, \t and \xNN for other control
// characters; valid UTF-8 stays as it is (Python 3 source is UTF-8), invalid bytes \ufffd.
std::string PythonString(std::string_view text);

struct PythonSnippetOptions {
  std::string text;            // the sentence
  int layer = 0, head = 0;
  bool mean_heads = false;     // the mean of the layer's heads instead of one head
  bool prepend_eot = false;    // <|endoftext|> first
  std::string model_name;      // the app's model, named in a comment
};

// Hugging Face transformers code that computes the same attention map for the real GPT-2:
// GPT2Tokenizer + GPT2Model, output_attentions=True, attentions[layer][0, head].
std::string PythonSnippet(const PythonSnippetOptions& o);

}  // namespace attn::session
