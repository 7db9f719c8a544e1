// attnlab-cli train-toy --task induction|order|two-lookups [--steps N] [--seed S] [--layers L]
//   [--heads H] [--d D] [--pe learned|sin|none] [--bidirectional] [--lr X] [--batch B]
//   [--symbols N] [--len T] [--every K] [--json]
//
// Trains the lab's tiny model and prints every K steps the loss, the accuracy and each head's
// previous-token / induction score on the probe; then the events, the accuracy on 1024 fresh
// sequences, the wall time and the probe's attention maps (JSON with --json, a table without).
#include "app/cli_train.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "app/cli_args.h"
#include "train/toy_trainer.h"

namespace attn::app {

static const char* EventName(train::EventKind k) {
  switch (k) {
    case train::EventKind::PrevTokenHead: return "prev_token_head";
    case train::EventKind::InductionHead: return "induction_head";
    case train::EventKind::AccuracyReached90: return "accuracy_90";
  }
  return "?";
}

int CmdTrainToy(int argc, char** argv) {
  train::Task task = train::Task::Induction;
  const std::string task_name = Flag(argc, argv, "--task", "induction");
  if (!train::ParseTask(task_name, &task)) {
    std::fprintf(stderr, "attnlab-cli train-toy: --task must be induction, order or two-lookups (not '%s')\n",
                 task_name.c_str());
    return 2;
  }
  train::ToyConfig c = train::DefaultConfig(task);
  const std::string pe = Flag(argc, argv, "--pe");
  if (!pe.empty() && !train::ParsePosEncoding(pe, &c.pe)) {
    std::fprintf(stderr, "attnlab-cli train-toy: --pe must be learned, sin or none (not '%s')\n", pe.c_str());
    return 2;
  }
  auto number = [&](const char* name, double fallback) {
    const std::string v = Flag(argc, argv, name);
    return v.empty() ? fallback : std::atof(v.c_str());
  };
  const int steps = static_cast<int>(number("--steps", 2000));
  c.seed = static_cast<uint64_t>(number("--seed", static_cast<double>(c.seed)));
  c.layers = static_cast<int>(number("--layers", c.layers));
  c.heads = static_cast<int>(number("--heads", c.heads));
  c.d_model = static_cast<int>(number("--d", c.d_model));
  c.lr = static_cast<float>(number("--lr", c.lr));
  c.batch = static_cast<int>(number("--batch", c.batch));
  c.symbols = static_cast<int>(number("--symbols", c.symbols));
  c.seq_len = static_cast<int>(number("--len", c.seq_len));
  c.every = static_cast<int>(number("--every", c.every));
  c.warmup = static_cast<int>(number("--warmup", c.warmup));
  c.weight_decay = static_cast<float>(number("--wd", c.weight_decay));
  bool json = false;
  for (int i = 2; i < argc; ++i) {
    json |= !std::strcmp(argv[i], "--json");
    if (!std::strcmp(argv[i], "--bidirectional")) c.bidirectional = true;
  }
  train::ToyTrainer t(c);
  c = t.config();

  const auto start = std::chrono::steady_clock::now();
  size_t printed = 0;
  auto print_points = [&]() {
    for (; printed < t.history().size(); ++printed) {
      const train::HistoryPoint& p = t.history()[printed];
      if (json) {
        std::printf("%s{\"step\":%d,\"loss\":%.6f,\"accuracy\":%.4f,\"heads\":[", printed ? ",\n  " : "", p.step,
                    p.loss, p.accuracy);
        for (size_t h = 0; h < p.heads.size(); ++h)
          std::printf("%s{\"layer\":%d,\"head\":%d,\"prev_token\":%.4f,\"induction\":%.4f}", h ? "," : "",
                      p.heads[h].layer, p.heads[h].head, p.heads[h].prev_token, p.heads[h].induction);
        std::printf("]}");
      } else {
        std::printf("step %6d  loss %.4f  acc %.3f ", p.step, p.loss, p.accuracy);
        for (const train::HeadScore& s : p.heads)
          std::printf(" L%dH%d prev %.2f ind %.2f", s.layer, s.head, s.prev_token, s.induction);
        std::printf("\n");
      }
    }
    std::fflush(stdout);
  };
  if (json)
    std::printf("{\"task\":\"%s\",\"layers\":%d,\"heads\":%d,\"d_model\":%d,\"pe\":\"%s\",\"bidirectional\":%s,"
                "\"symbols\":%d,\"seq_len\":%d,\"vocab\":%d,\"batch\":%d,\"lr\":%g,\"seed\":%llu,\"parameters\":%d,\n"
                "\"history\":[\n  ",
                train::TaskName(c.task), c.layers, c.heads, c.d_model, train::PosEncodingName(c.pe),
                c.bidirectional ? "true" : "false", c.symbols, c.seq_len, t.vocab(), c.batch, c.lr,
                static_cast<unsigned long long>(c.seed), t.parameter_count());
  double train_seconds = 0.0;
  while (t.step() < steps) {
    const auto t0 = std::chrono::steady_clock::now();
    t.Step(std::min(c.every, steps - t.step()));
    train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    print_points();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const float eval_accuracy = t.EvaluateAccuracy(1024);
  const train::ProbeAttention probe = t.probe();
  if (!json) {
    for (const train::Event& e : t.events())
      std::printf("event step %d L%d H%d %s %.3f\n", e.step, e.layer, e.head, EventName(e.kind), e.value);
    std::printf("eval accuracy %.4f  (%d steps in %.2f s: %.1f steps/s, %d parameters)\n", eval_accuracy,
                t.step(), seconds, t.step() / std::max(train_seconds, 1e-9), t.parameter_count());
    return 0;
  }
  std::printf("],\n\"events\":[");
  for (size_t i = 0; i < t.events().size(); ++i) {
    const train::Event& e = t.events()[i];
    std::printf("%s{\"step\":%d,\"layer\":%d,\"head\":%d,\"kind\":\"%s\",\"value\":%.4f}", i ? "," : "", e.step,
                e.layer, e.head, EventName(e.kind), e.value);
  }
  std::printf("],\n\"steps\":%d,\"final_loss\":%.6f,\"eval_accuracy\":%.4f,\"seconds\":%.3f,\"steps_per_second\":%.1f,\n",
              t.step(), t.last_loss(), eval_accuracy, seconds, t.step() / std::max(train_seconds, 1e-9));
  std::printf("\"probe\":{\"tokens\":[");
  for (int i = 0; i < probe.T; ++i) std::printf("%s\"%s\"", i ? "," : "", t.TokenLabel(probe.tokens[i]).c_str());
  std::printf("],\"repeat_of\":[");
  for (int i = 0; i < probe.T; ++i) std::printf("%s%d", i ? "," : "", probe.repeat_of[i]);
  std::printf("],\"attention\":[");
  for (int l = 0; l < probe.layers; ++l)
    for (int h = 0; h < probe.heads; ++h) {
      std::printf("%s\n  {\"layer\":%d,\"head\":%d,\"weights\":[", l + h ? "," : "", l, h);
      const float* w = probe.Map(l, h);
      for (int i = 0; i < probe.T; ++i) {
        std::printf("%s[", i ? "," : "");
        for (int j = 0; j < probe.T; ++j) std::printf("%s%.4f", j ? "," : "", w[i * probe.T + j]);
        std::printf("]");
      }
      std::printf("]}");
    }
  std::printf("]}}\n");
  return 0;
}

}  // namespace attn::app
