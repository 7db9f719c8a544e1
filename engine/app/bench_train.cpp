// `attnlab-cli bench --train`: the training lab's speed (engine/train). For each task's default
// configuration, optimiser steps per second; for the induction default, the wall time until an
// induction head forms (some head's induction score on the probe ≥ 0.5), checked every 25 steps.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>

#include "app/bench.h"
#include "train/toy_trainer.h"

namespace attn::app {

int RunTrainBench(bool quick) {
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  std::printf("Training lab bench (single thread, float32)\n");
  // steps per CPU second too: on a shared machine the wall-clock figure mostly measures the
  // neighbours (std::clock is process CPU time natively; in the browser it is wall time).
  std::printf("%-12s %7s %6s %6s %6s %11s %12s %14s\n", "task", "layers", "heads", "d", "batch", "parameters", "steps/s",
              "steps/CPU-s");
  for (train::Task task : {train::Task::Induction, train::Task::Order, train::Task::TwoLookups}) {
    const train::ToyConfig c = train::DefaultConfig(task);
    train::ToyTrainer t(c);
    t.Step(5);  // warm-up (the JIT in the browser)
    const int steps = quick ? 20 : 200;
    const auto t0 = Clock::now();
    const std::clock_t c0 = std::clock();
    t.Step(steps);
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    const double s = seconds(t0, Clock::now());
    std::printf("%-12s %7d %6d %6d %6d %11d %12.1f %14.1f\n", train::TaskName(task), c.layers, c.heads, c.d_model,
                c.batch, t.parameter_count(), steps / s, steps / std::max(cpu, 1e-9));
  }
  train::ToyConfig c = train::DefaultConfig(train::Task::Induction);
  train::ToyTrainer t(c);
  const int max_steps = quick ? 100 : 6000;
  const auto t0 = Clock::now();
  const std::clock_t c0 = std::clock();
  float best = 0.0f;
  while (t.step() < max_steps && best < 0.5f) {
    t.Step(25);
    for (const train::HeadScore& h : t.scores()) best = std::max(best, h.induction);
  }
  const double s = seconds(t0, Clock::now());
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  if (best >= 0.5f)
    std::printf("\ninduction head (score >= 0.5) formed at step %d after %.2f s wall, %.2f s CPU (default induction config)\n",
                t.step(), s, cpu);
  else
    std::printf("\nno induction head (best score %.2f) within %d steps, %.2f s (default induction config)\n", best,
                t.step(), s);
  return 0;
}

}  // namespace attn::app
