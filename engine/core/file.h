// Reading a small text file (config.json, vocab.json, merges.txt, a prompt) whole, and
// writing one (11.4's exports).
#pragma once
#include <cstdint>
#include <string>

namespace attn {

// False if the file cannot be opened or read; *out is left empty then.
bool ReadWholeFile(const std::string& path, std::string* out);

// True if the file can be opened for reading (a font or model candidate that is there).
bool FileReadable(const std::string& path);

// The file's size in bytes; 0 if it cannot be read (or is empty).
uint64_t FileSize(const std::string& path);

// Replaces the file with `bytes`; false if it cannot be created or written completely.
bool WriteWholeFile(const std::string& path, const std::string& bytes);

}  // namespace attn
