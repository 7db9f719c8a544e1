// Where tools/make-test-models.sh put the tiny GGUFs the "golden" suite reads (ctest makes
// them first; ATTNLAB_TINY_DIR points elsewhere).
#pragma once
#include <cstdlib>
#include <string>

inline std::string TinyDir() {
  const char* dir = std::getenv("ATTNLAB_TINY_DIR");
  return dir ? dir : std::string(ATTNLAB_BINARY_DIR) + "/tiny-gpt2";
}
