// The desktop app's and the web page's start-up: the command line (the page passes the same
// flags), where the font and the bundled model are, and loading the first model.
//
//   attnlab [--lang zh|en] [--theme light|dark] [--section ID] [--font PATH[#face]]
//           [--model FILE.gguf] [--text SENTENCE] [--size WxH] [--screenshot FILE.png] [--frames N]
//           [--dump-state FILE.json] [--option KEY=VALUE] [--embed] [--layer L] [--head H] [--text-size X]
//           [--memory-budget MIB]
//           [--notes FILE.json] [--frame-log]
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "session/session.h"
#include "ui/app_shell.h"

namespace attn::app {

struct Options {
  ui::AppState initial;
  std::string font;        // tried before the default candidates
  std::string screenshot;  // native: save frame `frames` here and exit
  std::string dump_state;  // native: write the UI state JSON here at frame `frames` and exit
  std::string model;       // tried before the bundled demo model
  std::string text;        // the sentence to study ("" keeps the session's default)
  std::string notes;       // native: the exercises' notes file ("" = the default place)
  uint64_t memory_budget = 0;  // bytes; 0 = session::DefaultMemoryBudget()
  int frames = 0;
  bool frame_log = false;  // print a line per drawn frame (the desktop test counts them)
  bool model_arriving = false;  // web: the page is still downloading the model (it loads it later)
  int width = 1280, height = 800;
};

// Bad flags never stop the app: each is reported and ignored. --help prints the usage and exits.
Options ParseOptions(int argc, char** argv);

// Font candidates, best first (--font, then the full Noto Sans CJK natively, then the subset).
std::vector<std::string> FontCandidates(const Options& o);

// --model, else the bundled demo model; a broken --model stays in the session's load_failure()
// even after the demo model loads in its place.
void LoadFirstModel(session::Session& session, const Options& o);

}  // namespace attn::app
