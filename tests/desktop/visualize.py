#!/usr/bin/python3
"""11.4 in the real desktop app (Xvfb), through --dump-state, against attnlab-cli (engine only).

  explorer   the panel offers the chapter's sentence, selects "it", compares robot and mail;
             its layers × heads table of [w(it→robot), w(it→mail)] and the shown row equal
             `attnlab-cli attention`; vis.export=1 writes attention-trace.json byte for byte
             equal to the CLI's output and a CSV of the shown map; the Python snippet names
             the sentence, layer and head
  any text   a typed sentence is kept; the compared tokens are chosen (vis.a / vis.b); with
             <|endoftext|> in front the table equals `attnlab-cli attention --ids "50256 …"`
  generation greedy (gen.steps=20, temperature 0), sampled (temperature, top-k, seed) and Auto
             (one token a frame) give the text of `attnlab-cli generate`; the bars' top tokens
             are the true softmax probabilities of `attnlab-cli run --top 10`
Screenshots (en, zh, 800x600) stay in --out for people to look at.
"""
import csv
import json
import os
import re
import subprocess
import sys

import harness
from harness import check, finish, parse_args

SENTENCE = "The robot delivered the mail after it was fixed."


def run_app(args, name, *flags, cwd=None, frames=12, size=None):
    return harness.run_app(args.app, args.out, name, "visualize", *flags, model=args.model, size=size,
                           frames=frames, screen="1600x1000x24", cwd=cwd)


def cli(args, *argv):
    proc = subprocess.run([args.cli, *argv], capture_output=True, timeout=180)
    check(proc.returncode == 0, "attnlab-cli " + " ".join(argv[:1]) + " runs")
    return proc.stdout


def cli_attention(args, *argv):
    out = cli(args, "attention", args.model, *argv)
    return out, json.loads(out)


def close(a, b, tol=1e-5):
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b))


def table_matches(vis, att):
    """The panel's [layer][head] = [w(row→a), w(row→b)] against the CLI's full attention."""
    i, (a, b) = vis["row"], vis["compare"]
    worst = 0.0
    for entry in att["attention"]:
        w = entry["weights"][i]
        got = vis["table"][entry["layer"]][entry["head"]]
        worst = max(worst, abs(got[0] - w[a]), abs(got[1] - w[b]))
    n_cells = sum(len(r) for r in vis["table"])
    return n_cells == len(att["attention"]) and worst <= 1e-5, worst


def check_png(args, state, png_path):
    """Export PNG: the title and the whole map drawn off screen, pixel for pixel what the window
    shows where the map is on screen."""
    from PIL import Image, ImageChops, ImageStat
    vis = state["panels"]["visualize"]
    check(vis["export"]["png"] == png_path, f"the PNG's path is reported ({vis['export']['png']})")
    if not os.path.exists(png_path):
        check(False, f"{png_path} was written")
        return
    png = Image.open(png_path).convert("RGB")
    x0, y0, x1, y1 = vis["export"]["png_rect"]
    check(png.size == (x1 - x0, y1 - y0) and png.size[1] > 0.9 * png.size[0],
          f"the PNG is the whole figure at its natural size ({png.size} vs {x1 - x0}x{y1 - y0})")
    shot = Image.open(os.path.join(args.out, "visualize-en.png")).convert("RGB")
    # The title and the map where the window shows them: above the content pane's bottom edge
    # (its border and padding, the last 24 px of the window).
    map_bottom = int(round(state["hotspots"]["vis_heatmap"][3]))
    sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x1, shot.size[0]), min(map_bottom, shot.size[1] - 24)
    check(sx1 - sx0 > 0.9 * png.size[0] and sy1 - sy0 > 0.8 * png.size[1], f"the map is on screen to compare ({x0},{y0})")
    shown = shot.crop((sx0, sy0, sx1, sy1))
    drawn = png.crop((sx0 - x0, sy0 - y0, sx1 - x0, sy1 - y0))
    diff = ImageStat.Stat(ImageChops.difference(drawn, shown)).mean
    check(max(diff) < 2.0, f"the PNG shows what the window shows there (mean difference {max(diff):.2f})")
    same = sum(1 for a, b in zip(drawn.getdata(), shown.getdata()) if max(abs(x - y) for x, y in zip(a, b)) <= 8)
    check(same >= 0.98 * drawn.size[0] * drawn.size[1],
          f"pixel for pixel: {100 * same / (drawn.size[0] * drawn.size[1]):.2f} % of them match")
    check(len(png.getcolors(1 << 16) or []) > 50, "the PNG is a drawn map, not blank")


def check_explorer(args):
    layer, head = 1, 2
    export_dir = os.path.join(args.out, "visualize-export")
    os.makedirs(export_dir, exist_ok=True)
    for f in os.listdir(export_dir):
        os.remove(os.path.join(export_dir, f))
    state = run_app(args, "visualize-en", "--lang", "en", "--option", f"vis.layer={layer}", "--option",
                    f"vis.head={head}", "--option", "vis.export=1", "--option", "vis.png=6", cwd=export_dir,
                    size="1280x1000")
    vis = state["panels"]["visualize"]
    check(state["text"] == SENTENCE, f"the panel offers the chapter's sentence (got {state['text']!r})")
    tokens = vis["tokens"]
    check(tokens[vis["row"]] == "it", f"'it' is the selected row (got {tokens[vis['row']]!r})")
    a, b = vis["compare"]
    check((tokens[a], tokens[b]) == ("robot", "mail"), f"robot and mail are compared (got {tokens[a]!r}, {tokens[b]!r})")
    check((vis["layer"], vis["head"], vis["mean_heads"]) == (layer, head, False), "vis.layer / vis.head applied")

    raw, att = cli_attention(args, "--text", SENTENCE)
    ok, worst = table_matches(vis, att)
    check(ok, f"the robot/mail table equals attnlab-cli attention for every layer and head (max diff {worst:.2g})")
    n_layer, n_head = len(vis["table"]), len(vis["table"][0])
    check(n_layer * n_head == len(att["attention"]), f"table is {n_layer} layers × {n_head} heads")
    cli_row = att["attention"][layer * n_head + head]["weights"][vis["row"]]
    check(close(vis["weights"], cli_row), "the shown row equals attnlab-cli attention for that layer and head")
    check(vis["top"][0] == max(range(len(cli_row)), key=lambda j: cli_row[j]), "the top-5 list starts with the largest weight")

    # Exports: the JSON is the CLI's output byte for byte; the CSV holds the shown map.
    check(vis["export"]["json"].endswith("attention-trace.json") and not vis["export"]["failed"],
          f"export paths are reported ({vis['export']})")
    json_path = os.path.join(export_dir, "attention-trace.json")
    if os.path.exists(json_path):
        with open(json_path, "rb") as f:
            exported = f.read()
        check(exported == raw, "the exported JSON equals `attnlab-cli attention --text` byte for byte")
        check(json.loads(exported) == att, "the exported JSON parses to the CLI's structure")
    else:
        check(False, f"{json_path} was written")
    csv_path = os.path.join(export_dir, f"attention-{layer}-{head}.csv")
    if os.path.exists(csv_path):
        with open(csv_path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        want = att["attention"][layer * n_head + head]["weights"]
        check(len(rows) == len(tokens) + 1 and [c.strip() for c in rows[0][1:]] == tokens,
              "the CSV has a header of tokens and one row per token")
        check(all(close([float(x) for x in rows[i + 1][1:]], want[i]) for i in range(len(want))),
              "the CSV's numbers equal the CLI's map for that layer and head")
    else:
        check(False, f"{csv_path} was written")
    check_png(args, state, os.path.join(export_dir, f"attention-{layer}-{head}.png"))
    py = vis["python"]
    check(f"out.attentions[{layer}][0, {head}]" in py and f'text = "{SENTENCE}"' in py and "output_attentions=True" in py,
          "the Python snippet has the sentence, layer and head")
    for name in ["vis_sentence", "vis_eot", "vis_layer", "vis_head", "vis_mean", "vis_heatmap", "vis_top5",
                 "vis_compare_a", "vis_compare_b", "vis_compare_table", "vis_python", "vis_copy", "vis_export_csv",
                 "vis_export_json", "vis_export_png", "gen_temperature", "gen_top_k", "gen_top_p", "gen_seed", "gen_step", "gen_auto",
                 "gen_stop", "gen_length", "gen_bars"]:
        r = state["hotspots"].get(name)
        if not (r and r[2] > r[0] and r[3] > r[1]):
            check(False, f"hotspot {name} is recorded with an area ({r})")
            break
    else:
        check(True, "every control has a hotspot")


def check_any_sentence(args):
    text = "A quick fox saw the lazy dog, and it ran."
    state = run_app(args, "visualize-eot-zh", "--lang", "zh", "--text", text, "--option", "vis.eot=1",
                    "--option", "vis.mean=1", "--option", "vis.layer=0", "--option", "vis.a=2", "--option", "vis.b=7")
    vis = state["panels"]["visualize"]
    check(state["text"] == text, "a sentence the student chose is kept")
    check(vis["prepend_eot"] and vis["tokens"][0] == "<|endoftext|>", "<|endoftext|> comes first")
    check(vis["compare"] == [2, 7], f"vis.a / vis.b choose the compared tokens (got {vis['compare']})")
    check(vis["tokens"][vis["row"]] == "it", "'it' is found in another sentence too")
    ids = " ".join(str(i) for i in state["tokens"])
    check(state["tokens"][0] == 50256, "token 0 is id 50256")
    _, att = cli_attention(args, "--ids", ids)
    ok, worst = table_matches(vis, att)
    check(ok, f"with <|endoftext|> the table equals attnlab-cli attention --ids (max diff {worst:.2g})")
    n_head = len(vis["table"][0])
    mean = [sum(att["attention"][h]["weights"][vis["row"]][j] for h in range(n_head)) / n_head
            for j in range(len(vis["tokens"]))]
    check(close(vis["weights"], mean), "mean of heads: the row is the mean of the CLI's heads of layer 0")
    check("ids = [tokenizer.eos_token_id] + ids" in vis["python"] and "out.attentions[0][0].mean(dim=0)" in vis["python"],
          "the Python snippet prepends <|endoftext|> and takes the mean of heads")


def check_generation(args):
    def generated(name, steps_opt, tokens, temperature, top_k=0, seed=1, frames=12):
        state = run_app(args, name, "--lang", "en", "--option", f"{steps_opt}={tokens}", "--option",
                        f"gen.temperature={temperature}", "--option", f"gen.top_k={top_k}", "--option",
                        f"gen.seed={seed}", frames=frames)
        gen = state["panels"]["generation"]
        out = cli(args, "generate", args.model, "--text", gen["prompt"], "--tokens", str(tokens), "--temperature",
                  str(temperature), "--top-k", str(top_k), "--seed", str(seed))
        want = out.decode("utf-8", "replace")[:-1]  # the CLI ends with a newline
        what = f"{name}: {tokens} tokens (temperature {temperature}, top-k {top_k}, seed {seed}) equal attnlab-cli generate"
        if gen["ended"]:  # the model wrote <|endoftext|>: the panel stops there, the CLI goes on
            check(want.startswith(gen["text"]), what + " up to <|endoftext|>")
        else:
            check(gen["generated"] == tokens and gen["text"] == want, what + f" ({gen['text']!r} vs {want!r})")
        check(state["text"] == gen["text"], "the session's sentence is the generated text")
        return state, gen

    state, gen = generated("visualize-greedy", "gen.steps", 20, 0)
    check(gen["prompt"] == SENTENCE, "generation starts from the sentence")
    vis = state["panels"]["visualize"]
    check(len(vis["tokens"]) == len(state["tokens"]) and len(state["tokens"]) > 10,
          "the attention views follow the longer text")
    generated("visualize-sampled", "gen.steps", 12, 0.8, top_k=40, seed=7)
    generated("visualize-auto", "gen.auto", 5, 0, frames=20)

    # The bars: the model's true probabilities (softmax over the vocabulary, temperature 1).
    state = run_app(args, "visualize-bars", "--lang", "en", "--option", "gen.temperature=0.5", "--option", "gen.top_k=3")
    gen = state["panels"]["generation"]
    out = cli(args, "run", args.model, "--text", SENTENCE, "--top", "10").decode("utf-8", "replace")
    want = [(int(m.group(2)), float(m.group(1))) for m in re.finditer(r"^\s+([\d.]+)%\s+(\d+)\s", out, re.M)]
    got = [(t["id"], 100 * t["p"]) for t in gen["top"]]
    check(len(want) == 10 and [i for i, _ in got] == [i for i, _ in want], "the bars show the CLI's 10 most likely tokens")
    check(all(abs(g - w) <= 0.006 for (_, g), (_, w) in zip(got, want)),
          "the bars' probabilities are the true softmax (attnlab-cli run)")
    drawn = [t["p_drawn"] for t in gen["top"]]
    check(all(p > 0 for p in drawn[:3]) and all(p == 0 for p in drawn[3:]) and abs(sum(drawn) - 1) < 1e-4,
          f"top-k 3: only three tokens can be drawn, renormalized ({drawn})")
    check(drawn[0] > gen["top"][0]["p"], "temperature 0.5 sharpens the distribution drawn from")


def main():
    args = parse_args()
    check_explorer(args)
    check_any_sentence(args)
    check_generation(args)
    run_app(args, "visualize-800x600-zh", "--lang", "zh", size="800x600")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
