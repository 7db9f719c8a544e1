// libFuzzer target: safetensors and JSON parsing on arbitrary bytes.
#include <cstdint>
#include <string_view>
#include <vector>

#include "formats/json.h"
#include "formats/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> copy(data, data + size);
  attn::Result<attn::safetensors::File> f = attn::safetensors::Parse(copy.data(), copy.size());
  if (f.ok())
    for (const auto& t : f->tensors)
      if (t.Elements()) (void)attn::safetensors::ElementAsFloat(t, t.Elements() - 1);
  (void)attn::json::Parse(std::string_view(reinterpret_cast<const char*>(copy.data()), copy.size()));
  return 0;
}
