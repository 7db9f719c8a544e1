// core/messages.inc: the engine's messages in both languages, and errors that keep their
// message id from the file reader up to the screen.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "core/message.h"
#include "core/utf8.h"
#include "formats/gguf.h"
#include "session/session.h"
#include "tiny_models.h"
#include "ui/i18n/i18n.h"

using attn::Lang;
using attn::Msg;

static std::multiset<std::string> Placeholders(const std::string& s) {
  std::multiset<std::string> out;
  for (size_t i = 0; i + 2 < s.size(); ++i)
    if (s[i] == '{' && s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] == '}') out.insert(s.substr(i, 3));
  return out;
}

static bool HasCjk(const std::string& s) {
  for (char32_t c : attn::utf8::ToCodepoints(s))
    if (c >= 0x4E00 && c <= 0x9FFF) return true;
  return false;
}

TEST_CASE("messages: every row in both languages, with the same {n} arguments") {
  for (int i = 1; i < static_cast<int>(Msg::Count); ++i) {
    const Msg id = static_cast<Msg>(i);
    CAPTURE(attn::MessageIdName(id));
    const std::string zh = attn::MessageFormat(id, Lang::Zh), en = attn::MessageFormat(id, Lang::En);
    REQUIRE_FALSE(zh.empty());
    REQUIRE_FALSE(en.empty());
    CHECK(attn::utf8::IsValid(zh));
    CHECK(attn::utf8::IsValid(en));
    std::set<std::string> zh_set, en_set;  // each argument appears somewhere in both (order may differ)
    for (const std::string& p : Placeholders(zh)) zh_set.insert(p);
    for (const std::string& p : Placeholders(en)) en_set.insert(p);
    CHECK(zh_set == en_set);
    CHECK(static_cast<int>(en_set.size()) == attn::PlaceholderCount(en));  // {0}…{n-1}, none skipped
    CHECK(en.find('%') == std::string::npos);  // printf formats would reach the screen as they are
    CHECK_FALSE(HasCjk(en));
    if (id != Msg::InFile) CHECK(HasCjk(zh));
  }
  CHECK(std::string(attn::MessageIdName(Msg::TensorTwice)) == "TensorTwice");
}

TEST_CASE("messages: arguments go where each language puts them") {
  const std::vector<std::string> args{"7", "12", "49"};
  CHECK(attn::FormatMessage(Msg::TokenOutOfVocabulary, args, Lang::En) ==
        "Token id 7 at position 12 is outside the vocabulary (0..49).");
  CHECK(attn::FormatMessage(Msg::TokenOutOfVocabulary, args, Lang::Zh) == "位置 12 的词元编号 7 超出了词表范围（0..49）。");
  // A missing argument stays visible instead of reading past the list.
  CHECK(attn::FormatMessage(Msg::TensorTwice, {}, Lang::En) == "Tensor '{0}' appears twice in the file.");
  const attn::Error e = attn::MakeError<Msg::ModelOverBudget>(attn::ByteSize{3.0 * 1024 * 1024 * 1024}, attn::ByteSize{512.0 * 1024 * 1024});
  CHECK(e.id == Msg::ModelOverBudget);
  CHECK(e.message == "this model needs about 3.0 GiB of memory, more than the memory budget of 512.0 MiB.");
  CHECK(e.args == std::vector<std::string>{"3.0 GiB", "512.0 MiB"});
}

TEST_SUITE("golden") {  // reads the tiny models ctest makes first (tiny_models.h)

TEST_CASE("messages: a broken model file is explained in the language on screen") {
  // The tiny model cut in half: its last tensors reach past the end.
  std::ifstream in(TinyDir() + "/ours-q8_0.gguf", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(bytes.size() > 1000);
  const std::string path = TinyDir() + "/messages-truncated.gguf";
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));

  attn::session::Session s;
  CHECK_FALSE(s.LoadModelFile(path).ok());
  std::remove(path.c_str());
  const attn::session::Session::LoadFailure& f = s.load_failure();
  CHECK(f.file == "messages-truncated.gguf");
  CHECK(f.error.id == Msg::TensorPastEnd);  // kept from gguf::Parse through LoadGpt2 and the session
  REQUIRE(f.error.args.size() == 2);
  CHECK(s.load_error() == "messages-truncated.gguf: " + f.error.message);

  namespace i18n = attn::i18n;
  const i18n::Lang before = i18n::GetLanguage();
  i18n::SetLanguage(Lang::Zh);
  const std::string zh = i18n::Tr(f.error);
  i18n::SetLanguage(Lang::En);
  const std::string en = i18n::Tr(f.error);
  i18n::SetLanguage(before);
  CHECK(en == f.error.message);
  CHECK(zh.find("文件被截断了") != std::string::npos);
  CHECK(zh.find("“" + f.error.args[0] + "”") != std::string::npos);  // the tensor's name, in place
  CHECK_FALSE(HasCjk(en));

  // A developer's error (no row) is shown as it is in either language.
  const attn::Error plain = attn::Errorf("Writing '%s' failed (disk full?).", "x.gguf");
  CHECK(plain.id == Msg::None);
  CHECK(i18n::Tr(plain) == plain.message);
}

}  // TEST_SUITE
