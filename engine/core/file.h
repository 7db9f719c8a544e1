// Reading a small text file (config.json, vocab.json, merges.txt, a prompt) whole.
#pragma once
#include <string>

namespace attn {

// False if the file cannot be opened or read; *out is left empty then.
bool ReadWholeFile(const std::string& path, std::string* out);

}  // namespace attn
