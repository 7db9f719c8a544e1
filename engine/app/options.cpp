#include "app/options.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>

#ifndef __EMSCRIPTEN__
#include <unistd.h>
#endif

#include "core/file.h"
#include "session/memory_budget.h"
#include "ui/panels/panels.h"

namespace attn::app {

//-----------------------------------------------------------------------------
// [SECTION] Options
//-----------------------------------------------------------------------------



static void Warn(const char* what, const char* value) {
  // Bad flags never stop the app: a typo in a URL parameter must still show the page.
  std::printf("[attnlab] ignoring %s '%s'\n", what, value ? value : "");
}

static const char* DefaultLocale() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return v;
  }
  return "";
}

static const char kUsage[] =
    "usage: attnlab [--lang zh|en] [--theme light|dark] [--section ID|N] [--font PATH[#face]]\n"
    "               [--model FILE.gguf] [--text SENTENCE] [--size WxH]\n"
    "               [--screenshot FILE.png] [--dump-state FILE.json] [--frames N]\n"
    "  sections (N counts from 1):";  // the ids of ui::kSections follow (PrintUsage)
static const char kUsageOptions[] =
    "  --embed   one figure without navigation (the web page's ?embed=1)\n"
    "  --layer L / --head H  the layer and head the figures start on\n"
    "  --option  KEY=VALUE a panel's start-up choice, e.g. sa.mode=model sa.token=7 sa.layer=2\n"
    "  --text-size X       text size, 0.85 to 2 (the A- / A+ buttons; 1 = normal)\n"
    "  --model   a GPT-2 GGUF file (default: the bundled demo model); drop a file on the window too\n"
    "  --screenshot saves frame N (default 10) as PNG and exits: 0 if it was written\n"
    "  --dump-state writes what the panels show (JSON) at frame N and exits\n"
    "  --frame-log prints a line for every frame drawn (the app draws only when something changes);\n"
    "            with --dump-state, the state file is rewritten after every frame and the app runs on\n"
    "  --memory-budget MIB  memory for the model and its traces (default: half of this machine's);\n"
    "            longer texts are traced with less detail, then cut, with a message\n"
    "  --notes   the exercises' notes file (default: $XDG_DATA_HOME/attnlab/notes.json,\n"
    "            else ~/.local/share/attnlab/notes.json); the report is written beside it\n";

static void PrintUsage() {
  std::fputs(kUsage, stdout);
  for (int i = 0; i < ui::kSectionCount; ++i) std::printf("%s %s", i ? "," : "", ui::kSections[i].id);
  std::fputs("\n", stdout);
  std::fputs(kUsageOptions, stdout);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  o.initial.lang = i18n::LangFromLocale(DefaultLocale());
  for (int i = 1; i < argc; ++i) {
    const char* flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    auto take = [&] { ++i; return value; };
    if (!std::strcmp(flag, "--help") || !std::strcmp(flag, "-h")) {
      PrintUsage();
      std::exit(0);
    } else if (!std::strcmp(flag, "--lang") && value) {
      // The page passes navigator.language: any zh* is Chinese, any other language English.
      if (!i18n::ParseLang(value, &o.initial.lang)) o.initial.lang = i18n::LangFromLocale(value);
      take();
    } else if (!std::strcmp(flag, "--theme") && value) {
      if (!std::strcmp(value, "dark")) o.initial.theme = ui::Theme::Dark;
      else if (!std::strcmp(value, "light")) o.initial.theme = ui::Theme::Light;
      else Warn("--theme", value);
      take();
    } else if (!std::strcmp(flag, "--section") && value) {
      if (!ui::ParseSection(value, &o.initial.section)) Warn("--section", value);
      take();
    } else if (!std::strcmp(flag, "--font") && value) {
      o.font = take();
    } else if (!std::strcmp(flag, "--screenshot") && value) {
      o.screenshot = take();
      if (o.frames == 0) o.frames = 10;
    } else if (!std::strcmp(flag, "--dump-state") && value) {
      o.dump_state = take();
      if (o.frames == 0) o.frames = 10;
    } else if (!std::strcmp(flag, "--model") && value) {
      o.model = take();
    } else if (!std::strcmp(flag, "--option") && value) {
      const char* eq = std::strchr(value, '=');
      if (eq) o.initial.options.emplace_back(std::string(value, eq), std::string(eq + 1));
      else Warn("--option", value);
      take();
    } else if (!std::strcmp(flag, "--embed")) {
      o.initial.embed = true;  // one figure, no navigation (an <iframe> in the textbook)
    } else if ((!std::strcmp(flag, "--layer") || !std::strcmp(flag, "--head")) && value) {
      // The figure's layer / head, for whichever panel shows one (embed parameters).
      const std::string what = flag + 2;
      const int v = std::atoi(value);
      if (v >= 0 && v < 1000) {
        for (const char* panel : {"sa", "vis", "heads"})
          o.initial.options.emplace_back(std::string(panel) + "." + what, std::to_string(v));
        o.initial.options.emplace_back("sa.mode", "model");
      } else {
        Warn(flag, value);
      }
      take();
    } else if (!std::strcmp(flag, "--text-size") && value) {  // the A− / A+ setting, e.g. 1.3
      const float v = std::strtof(value, nullptr);
      if (v >= ui::kTextSizes[0] && v <= ui::kTextSizes[std::size(ui::kTextSizes) - 1]) o.initial.text_size = v;
      else Warn("--text-size", value);
      take();
    } else if (!std::strcmp(flag, "--text") && value) {
      o.text = take();
    } else if (!std::strcmp(flag, "--memory-budget") && value) {  // MiB (the page's ?memory=)
      if (!session::ParseMemoryBudgetMiB(value, &o.memory_budget)) Warn("--memory-budget", value);
      take();
    } else if (!std::strcmp(flag, "--notes") && value) {
      o.notes = take();
    } else if (!std::strcmp(flag, "--model-arriving")) {  // the page's: start now, the model follows
      o.model_arriving = true;
    } else if (!std::strcmp(flag, "--frame-log")) {
      o.frame_log = true;
    } else if (!std::strcmp(flag, "--frames") && value) {
      o.frames = std::max(1, std::atoi(take()));
    } else if (!std::strcmp(flag, "--size") && value) {
      int w = 0, h = 0;
      if (std::sscanf(value, "%dx%d", &w, &h) == 2 && w >= 200 && h >= 200) { o.width = w; o.height = h; }
      else Warn("--size", value);
      take();
    } else {
      Warn("argument", flag);
    }
  }
  return o;
}

//-----------------------------------------------------------------------------
// [SECTION] Assets
//-----------------------------------------------------------------------------

#ifndef __EMSCRIPTEN__
// The folder of the running binary (assets lie next to it, or in ../share/attnlab/), "" if unknown.
static std::string ExecutableDir() {
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return "";
  exe[n] = '\0';
  std::string dir(exe);
  dir.resize(dir.rfind('/'));
  return dir;
}
#endif

// Font candidates, best first. Natively the full Noto Sans CJK (every Chinese character a
// student may type) and then the subset next to the binary; on the web the page writes the
// subset into the in-memory file system before main() runs.
std::vector<std::string> FontCandidates(const Options& o) {
  std::vector<std::string> c;
  if (!o.font.empty()) c.push_back(o.font);
#ifdef __EMSCRIPTEN__
  c.push_back("/assets/fonts/ui-font.ttf");
#else
  c.push_back("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2");  // face 2 = SC
  const std::string dir = ExecutableDir();
  if (!dir.empty()) {
    c.push_back(dir + "/assets/fonts/ui-font.ttf");
    c.push_back(dir + "/../share/attnlab/assets/fonts/ui-font.ttf");  // installed layout
  }
  c.push_back("assets/fonts/ui-font.ttf");
#endif
  return c;
}

// The bundled demo model (assets/README.md): next to the binary, in the install prefix, or in
// the source tree; on the web the page writes it into the in-memory file system.
static constexpr const char* kDemoModel = "assets/attnlab-demo-gpt2-q8_0.gguf";

static std::vector<std::string> ModelCandidates(const Options& o) {
  std::vector<std::string> c;
  if (!o.model.empty()) c.push_back(o.model);
#ifdef __EMSCRIPTEN__
  c.push_back(std::string("/") + kDemoModel);
#else
  const std::string dir = ExecutableDir();
  if (!dir.empty()) {
    c.push_back(dir + "/" + kDemoModel);
    c.push_back(dir + "/../share/attnlab/" + kDemoModel);  // installed layout
  }
  c.push_back(kDemoModel);
#endif
  return c;
}

void LoadFirstModel(session::Session& session, const Options& o) {
  session::Session::LoadFailure model_failure;  // --model's, shown in the app even after the bundled model loads
  for (const std::string& path : ModelCandidates(o)) {
    // A default place without the file is no error (the model dialog explains "no model");
    // --model, or a file that is there but broken, is tried and its error kept for the UI.
    if (path != o.model && !FileReadable(path)) continue;
    const Status s = session.LoadModelFile(path);
    if (s.ok()) {
      std::printf("[attnlab] model: %s (%s)\n", path.c_str(), session.info().name.c_str());
      if (!model_failure.error.message.empty()) session.KeepLoadFailure(model_failure);
      return;
    }
    if (path == o.model) {
      std::printf("[attnlab] cannot load --model: %s\n", s.error().c_str());
      model_failure = session.load_failure();
    }
  }
  std::printf("[attnlab] no model found; the figures that need one say so\n");
}

}  // namespace attn::app
