// Command-line argument helpers shared by the attnlab-cli commands (argv[1] is the command).
#pragma once
#include <cstring>
#include <string>

namespace attn::app {

// Value of `--name VALUE` after the command, or `fallback`.
inline std::string Flag(int argc, char** argv, const char* name, const char* fallback = "") {
  for (int i = 2; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], name)) return argv[i + 1];
  return fallback;
}

// The index-th argument after the command that is neither a `--flag` nor a flag's value.
inline std::string Positional(int argc, char** argv, int index) {
  int seen = 0;
  for (int i = 2; i < argc; ++i) {
    if (argv[i][0] == '-' && argv[i][1] == '-') { ++i; continue; }
    if (seen++ == index) return argv[i];
  }
  return "";
}

}  // namespace attn::app
