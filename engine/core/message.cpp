#include "core/message.h"

#include "core/numbers.h"

namespace attn {
namespace {

struct Entry {
  const char* id;
  const char* text[2];  // indexed by Lang
};

constexpr Entry kTable[] = {
    {"None", {"", ""}},
#define M(id, zh, en) {#id, {zh, en}},
#include "core/messages.inc"
#undef M
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == static_cast<size_t>(Msg::Count));
static_assert(sizeof(kEnglishFormats) / sizeof(kEnglishFormats[0]) == static_cast<size_t>(Msg::Count));

int Index(Msg id) {
  const int i = static_cast<int>(id);
  return i >= 0 && i < static_cast<int>(Msg::Count) ? i : 0;
}

}  // namespace

const char* MessageFormat(Msg id, Lang lang) { return kTable[Index(id)].text[static_cast<int>(lang)]; }
const char* MessageIdName(Msg id) { return kTable[Index(id)].id; }

std::string FormatMessage(Msg id, const std::vector<std::string>& args, Lang lang) {
  const std::string_view format = MessageFormat(id, lang);
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    const int n = PlaceholderAt(format, i);
    if (n >= 0 && static_cast<size_t>(n) < args.size()) {
      out += args[n];
      i += 2;
    } else {
      out += format[i];
    }
  }
  return out;
}

std::string MessageArg(ByteSize size) { return BinaryBytes(size.bytes); }

}  // namespace attn
