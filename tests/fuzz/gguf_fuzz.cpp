// libFuzzer target: the GGUF reader and the GPT-2 loader on arbitrary bytes must return an
// error or a model — never crash, read out of bounds or allocate without limit.
#include <cstdint>
#include <vector>

#include "model/load_gguf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> copy(data, data + size);
  attn::Result<attn::gguf::File> f = attn::gguf::Parse(copy.data(), copy.size());
  if (f.ok()) {
    for (const auto& t : f->tensors) (void)(t.size ? t.data[t.size - 1] : 0);  // data really is inside
    attn::Result<attn::model::LoadedModel> m = attn::model::LoadGpt2(attn::gguf::FromVector(copy));
    (void)m;
  }
  return 0;
}
