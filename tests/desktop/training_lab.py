#!/usr/bin/python3
"""训练实验室 / Training lab in the real desktop app (Xvfb), through --dump-state.

  play      the induction task with lab.play=1: the steps advance to the target, training stops
            there, the loss at the last history point is below the first one
  engine    every number the lab publishes (history loss / accuracy, events, final loss) equals
            `attnlab-cli train-toy --json` for the same task, seed and steps: the UI trains the
            engine's model, time slicing changes nothing
  slicing   stopped mid-run: still training, some steps done, fewer than the target, the time
            spent training in the frame bounded by the budget plus one step
  compare   the order task in compare mode: four variants (positions on / off × causal /
            bidirectional), each trained to the target, one verdict each; the variant without
            positions, bidirectional, equals the CLI's run of that configuration
  report    lab.pin=1 puts the run into the notes file (--notes): title, loss curve, head maps
  link      exercise 1 shows the "try it in the training lab" button
Screenshots (zh, en, and a 390×844 phone window) stay in --out for people to look at.
"""
import json
import os
import re
import subprocess
import sys

from harness import check, finish, parse_args, run_app

pinned_loss_row = "损失曲线（步数: 损失）"  # the row's name in Chinese (strings.inc LabReportLoss)
STEPS = 120  # small: one induction step takes a few milliseconds to tens of them on a busy machine


def lab_state(args, name, *flags, size="1280x1000", frames=None, steps=STEPS):
    frames = frames if frames is not None else steps + 40  # every frame trains at least one step
    st = run_app(args.app, args.out, name, "training-lab", "--option", f"lab.steps={steps}", *flags, size=size,
                 frames=frames, timeout=240)
    lab = st.get("panels", {}).get("training_lab")
    check(lab is not None, f"{name}: the state has panels.training_lab")
    return st, lab or {"runs": [{}]}


def cli_run(cli, *flags):
    out = subprocess.run([cli, "train-toy", "--json", *flags], capture_output=True, text=True, timeout=600, check=True)
    return json.loads(out.stdout)


def close(a, b, tol):
    return abs(a - b) <= tol * max(1.0, abs(b))


def same_as_cli(name, run, cli):
    """The run's published numbers against the CLI's JSON for the same configuration."""
    hist = run["history"]
    check(hist["step"] == [p["step"] for p in cli["history"]],
          f"{name}: history steps = CLI's ({hist['step'][:3]}… vs {[p['step'] for p in cli['history']][:3]}…)")
    loss_ok = len(hist["loss"]) == len(cli["history"]) and all(
        close(a, p["loss"], 2e-5) for a, p in zip(hist["loss"], cli["history"]))
    check(loss_ok, f"{name}: history loss = CLI's at every point ({hist['loss'][-1:]} vs {cli['history'][-1]['loss']})")
    acc_ok = all(abs(a - p["accuracy"]) <= 1e-4 for a, p in zip(hist["accuracy"], cli["history"]))
    check(acc_ok, f"{name}: history accuracy = CLI's at every point")
    check(close(run["loss"], cli["final_loss"], 2e-5), f"{name}: final loss {run['loss']} = CLI's {cli['final_loss']}")
    ev = [(e["step"], e["layer"], e["head"], e["kind"]) for e in run["events"]]
    cev = [(e["step"], e["layer"], e["head"], e["kind"]) for e in cli["events"]]
    check(ev == cev, f"{name}: events = CLI's ({ev} vs {cev})")
    if run.get("eval_accuracy") is not None:
        # The lab evaluates 512 fresh sequences, the CLI 1024 of the same stream: close, not equal.
        check(abs(run["eval_accuracy"] - cli["eval_accuracy"]) <= 0.08,
              f"{name}: accuracy on fresh sequences {run['eval_accuracy']:.3f} ≈ CLI's {cli['eval_accuracy']:.3f}")


def main():
    args = parse_args()
    notes = os.path.join(args.out, "training-lab-notes.json")
    if os.path.exists(notes):
        os.remove(notes)

    # 1. Play the induction task to the target, pin it to the report.
    st, lab = lab_state(args, "training-lab-zh", "--lang", "zh", "--option", "lab.task=induction", "--option",
                        "lab.play=1", "--option", "lab.budget=30", "--option", "lab.pin=1", "--notes", notes)
    run = lab["runs"][0]
    check(st.get("section") == "training-lab", f"the section is training-lab (got {st.get('section')})")
    check(lab.get("task") == "induction" and run.get("config", {}).get("task") == "induction", "the induction task is chosen")
    check(run.get("step") == STEPS, f"training advanced to the target: step {run.get('step')} = {STEPS}")
    check(lab.get("playing") is False, "training stops at the target")
    losses = run.get("history", {}).get("loss", [])
    check(len(losses) >= 3 and losses[-1] < losses[0] * 0.95,
          f"the loss drops: {losses[0] if losses else None} → {losses[-1] if losses else None}")
    check(lab.get("steps_per_second", 0) > 0, f"steps per second measured ({lab.get('steps_per_second')})")
    cfg = run["config"]
    cli = cli_run(args.cli, "--task", "induction", "--steps", str(STEPS), "--seed", str(cfg["seed"]), "--every",
                  str(cfg["every"]))
    same_as_cli("induction", run, cli)
    check(len(lab.get("probe_tokens", [])) == cfg["seq_len"], "the probe's tokens are published")
    check(all(k in st.get("hotspots", {}) for k in ("lab_play", "lab_loss_chart", "lab_map_0_0", "lab_map_1_1",
                                                    "lab_scores_chart", "lab_pin")),
          "the controls, charts and every head's map are drawn")
    try:
        with open(notes, encoding="utf-8") as f:
            figures = json.load(f).get("figures", [])
    except (OSError, ValueError):
        figures = []
    check(len(figures) == 1 and f"{STEPS}" in figures[0].get("title", ""),
          f"the run is pinned to the report ({[f.get('title') for f in figures]})")
    table = figures[0].get("table", "") if figures else ""
    first = cli["history"][0]
    m = re.search(r"\| " + re.escape(pinned_loss_row) + r" \| (\d+): ([\d.]+),", table)
    check(m is not None and int(m.group(1)) == first["step"] and abs(float(m.group(2)) - first["loss"]) <= 1e-4,
          f"the pinned loss curve starts with the CLI's first point ({m.groups() if m else None} vs {first['step']}, {first['loss']})")
    check(table.count("第 1 层第 1 个头") == 1 and "第 2 层第 2 个头" in table, "the pinned figure has every head's map")

    # 2. Stopped mid-run: still training, and each frame's training time is bounded.
    _, lab = lab_state(args, "training-lab-slicing", "--lang", "zh", "--option", "lab.task=induction", "--option",
                       "lab.play=1", "--option", "lab.budget=4", steps=5000, frames=30)
    run = lab["runs"][0]
    check(lab.get("playing") is True and 0 < run.get("step", 0) < 5000,
          f"mid-run: still training at step {run.get('step')} of 5000")
    # The slice stops at the first step that ends past the budget: at most budget + one step.
    spent, slowest = lab.get("frame_train_ms", 1e9), lab.get("frame_slowest_step_ms", 0)
    check(0 < slowest and spent <= 4 + slowest + 1.0,
          f"a frame trains for its budget and at most one step more: {spent:.1f} ms ≤ 4 + {slowest:.1f} ms")
    check(lab.get("steps_per_second", 0) > 0, f"steps per second measured mid-run ({lab.get('steps_per_second')})")

    # 3. The order task compared: positions on / off × causal / bidirectional.
    _, lab = lab_state(args, "training-lab-compare-en", "--lang", "en", "--option", "lab.task=order", "--option",
                       "lab.compare=1", "--option", "lab.play=1", "--option", "lab.budget=30")
    runs = lab["runs"]
    kinds = sorted((r["config"]["pe"], r["config"]["bidirectional"]) for r in runs)
    check(lab.get("compare") is True and kinds == [("learned", False), ("learned", True), ("none", False), ("none", True)],
          f"compare mode trains the four variants ({kinds})")
    check(all(r["step"] == STEPS for r in runs), f"every variant trained to the target ({[r['step'] for r in runs]})")
    check(all(r["verdict"] and f"{round(100 * r['eval_accuracy'])}%" in r["verdict"] for r in runs),
          f"each variant has a verdict with its measured accuracy ({[r['verdict'] for r in runs]})")
    check(len({r["label"] for r in runs}) == 4, "the variants have four different labels")
    bag = next(r for r in runs if r["config"]["pe"] == "none" and r["config"]["bidirectional"])
    same_as_cli("order, no positions, bidirectional", bag,
                cli_run(args.cli, "--task", "order", "--pe", "none", "--bidirectional", "--steps", str(STEPS), "--seed",
                        str(bag["config"]["seed"]), "--every", str(bag["config"]["every"])))

    # 4. A phone-size window, and exercise 1's link to the lab.
    run_app(args.app, args.out, "training-lab-phone", "training-lab", "--lang", "zh", "--option", "lab.task=order",
            "--option", "lab.play=1", "--option", "lab.steps=60", size="390x844", frames=80, timeout=240)
    st = run_app(args.app, args.out, "training-lab-exercise-link", "exercises", "--lang", "zh", "--option", "ex.tab=heads",
                 "--notes", os.path.join(args.out, "training-lab-link-notes.json"), model=args.model, size="1280x1000", frames=8, timeout=120)
    check("ex_lab_heads" in st.get("hotspots", {}), "exercise 1 shows the training-lab button")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
