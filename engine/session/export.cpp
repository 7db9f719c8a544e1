#include "session/export.h"

#include <cstdio>
#include <functional>

#include "core/utf8.h"
#include "formats/json.h"

namespace attn::session {

static void AppendFloat(std::string& out, float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  out += buf;
}

void WriteAttentionJson(const std::vector<std::string>& token_bytes, const std::vector<int>& ids,
                        const model::Trace& trace, int layer, int head, const std::function<void(const std::string&)>& write) {
  const int T = static_cast<int>(ids.size());
  std::string out = "{\"tokens\":[";
  for (size_t i = 0; i < token_bytes.size(); ++i) {
    if (i) out += ',';
    out += json::Quote(token_bytes[i]);
  }
  out += "],\"ids\":[";
  for (int i = 0; i < T; ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  out += "],\"attention\":[";
  bool first = true;
  for (int L = 0; L < trace.n_layer; ++L) {
    for (int h = 0; h < trace.n_head; ++h) {
      if ((layer >= 0 && L != layer) || (head >= 0 && h != head)) continue;
      out += first ? "" : ",";
      out += "{\"layer\":" + std::to_string(L) + ",\"head\":" + std::to_string(h) + ",\"weights\":[";
      first = false;
      for (int i = 0; i < T; ++i) {
        out += i ? ",[" : "[";
        for (int j = 0; j < T; ++j) {
          if (j) out += ',';
          AppendFloat(out, trace.Attention(L, h, i, j));
        }
        out += ']';
        if (out.size() >= (1 << 16)) {  // a row at a time: the whole text never sits in memory
          write(out);
          out.clear();
        }
      }
      out += "]}";
    }
  }
  write(out + "]}");
}

std::string AttentionJson(const std::vector<std::string>& token_bytes, const std::vector<int>& ids,
                          const model::Trace& trace, int layer, int head) {
  std::string all;
  WriteAttentionJson(token_bytes, ids, trace, layer, head, [&](const std::string& part) { all += part; });
  return all;
}

uint64_t AttentionJsonMaxBytes(const model::Trace& trace, int layer, int head) {
  const uint64_t heads = uint64_t(layer >= 0 ? 1 : trace.n_layer) * (head >= 0 ? 1 : trace.n_head);
  const uint64_t n = static_cast<uint64_t>(trace.first) + trace.count;
  return heads * (n * n * 13 + 64) + n * 160 + 64;  // "%.6g," is at most 13 bytes ("-1.23457e-05,")
}

JsonScope ChooseJsonScope(const model::Trace& trace, uint64_t room, int layer, int head, bool mean_heads) {
  if (AttentionJsonMaxBytes(trace) <= room) return {};
  if (mean_heads && AttentionJsonMaxBytes(trace, layer) <= room) return {layer, -1};
  return {layer, mean_heads ? 0 : head};
}

std::vector<float> AttentionMatrix(const model::Trace& t, int layer, int head) {
  const int n = t.first + t.count;
  std::vector<float> m(static_cast<size_t>(n) * n, 0.0f);
  if (layer < 0 || layer >= t.n_layer || head >= t.n_head) return m;
  for (int i = 0; i < t.count; ++i)
    for (int j = 0; j < n; ++j) {
      float w = 0.0f;
      if (head >= 0) {
        w = t.Attention(layer, head, i, j);
      } else {
        for (int h = 0; h < t.n_head; ++h) w += t.Attention(layer, h, i, j);
        w /= t.n_head;
      }
      m[static_cast<size_t>(t.first + i) * n + j] = w;
    }
  return m;
}

std::string CsvField(std::string_view text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string AttentionCsv(const std::vector<std::string>& tokens, const std::vector<float>& matrix) {
  const size_t n = tokens.size();
  std::string out = "query \\ key";
  for (const std::string& t : tokens) {
    out += ',';
    out += CsvField(t);
  }
  out += "\n";
  for (size_t i = 0; i < n; ++i) {
    out += CsvField(tokens[i]);
    for (size_t j = 0; j < n; ++j) {
      out += ',';
      AppendFloat(out, i * n + j < matrix.size() ? matrix[i * n + j] : 0.0f);
    }
    out += "\n";
  }
  return out;
}

std::string PythonString(std::string_view text) {
  std::string out = "\"";
  for (size_t pos = 0; pos < text.size();) {
    const utf8::Decoded d = utf8::DecodeAt(text, pos);
    const char32_t c = d.codepoint;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x", static_cast<unsigned>(c));
      out += esc;
    } else if (!d.valid) {
      out += "\\ufffd";
    } else {
      out.append(text.substr(pos, d.length));
    }
    pos += d.length;
  }
  return out + "\"";
}

std::string PythonSnippet(const PythonSnippetOptions& o) {
  const std::string L = std::to_string(o.layer), H = std::to_string(o.head);
  std::string s;
  s += "# The same attention map with Hugging Face transformers (pip install torch transformers).\n";
  if (!o.model_name.empty())
    s += "# \"gpt2\" is OpenAI's GPT-2; this app runs " + o.model_name + ": same code, its own numbers.\n";
  s += "import torch\n"
       "from transformers import GPT2Tokenizer, GPT2Model\n\n"
       "tokenizer = GPT2Tokenizer.from_pretrained(\"gpt2\")\n"
       "model = GPT2Model.from_pretrained(\"gpt2\", attn_implementation=\"eager\")  # eager: keeps the weights\n"
       "model.eval()\n\n";
  s += "text = " + PythonString(o.text) + "\n";
  s += "ids = tokenizer.encode(text)\n";
  if (o.prepend_eot) s += "ids = [tokenizer.eos_token_id] + ids  # <|endoftext|> first\n";
  s += "with torch.no_grad():\n"
       "    out = model(torch.tensor([ids]), output_attentions=True)\n\n"
       "tokens = tokenizer.convert_ids_to_tokens(ids)  # a leading space shows as U+0120\n";
  // Python counts from 0; the app's screen counts from 1 ("L1 H1"): the comment says both.
  const std::string shown = "L" + std::to_string(o.layer + 1) + (o.mean_heads ? "" : " H" + std::to_string(o.head + 1));
  if (o.mean_heads)
    s += "attention = out.attentions[" + L + "][0].mean(dim=0)  # layer " + L + " (" + shown +
         " in the app), mean of its heads: (tokens, tokens)\n";
  else
    s += "attention = out.attentions[" + L + "][0, " + H + "]  # layer " + L + ", head " + H + " (" + shown +
         " in the app): (tokens, tokens)\n";
  s += "for token, row in zip(tokens, attention):  # row i: how token i attends to tokens 0..i\n"
       "    print(f\"{token:>12}\", \" \".join(f\"{w:.2f}\" for w in row.tolist()))\n";
  return s;
}

}  // namespace attn::session
