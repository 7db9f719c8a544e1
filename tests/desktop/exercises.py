#!/usr/bin/python3
"""练习与作业 in the real desktop app (Xvfb), through --dump-state and the notes file.

  notes      answers (quotes, line breaks, Chinese), a head label, guesses and pins given as
             options are saved to --notes FILE; a second run of the app with the same file
             and no options shows all of them again; the exported Markdown report (beside the
             notes) holds every answer, label, guess and the score; unreadable notes are kept
             as FILE.bak (the last few, rotated) and never overwritten unseen; a file that
             cannot be read at all is never written over (new notes go to FILE.new)
  positions  without position vectors and without the causal mask, the shuffled sentence's
             attention put back in order equals the original's (max difference < 1e-4) and
             the whole next-token distribution stays (total variation < 1e-4, the reveal says
             "it stays"); with positions or the mask it does not ("it changes")
  ambiguity  w(with / telescope → saw, man, hill) for every layer and head, and their means,
             equal `attnlab-cli attention`; exercise 1's rows too; each guess is scored by
             the model's true answer: exercise 3 by the mean over every layer and head (not
             scored when the three means are closer than the margin), exercise 1's one-head
             question by the held-out loss (not scored when it moves less than the threshold)
Screenshots (each tab in en and zh, and 800x600) stay in --out for people to look at.
"""
import json
import os
import shutil
import subprocess
import sys

import harness
from harness import check, finish, parse_args

AMBIGUOUS = "I saw a man on a hill with a telescope."
ROBOT = "The robot delivered the mail after it was fixed."
ANSWER1 = 'Several heads look at "different" relations at once.\n多个头同时关注不同的关系——第二行。'
ANSWER3 = "I read it as: I used the telescope | 我用望远镜看见了他。"
NAME = "小明 Ming"


def run_app(args, name, *flags, notes=None, frames=10, size="1280x1000"):
    return harness.run_app(args.app, args.out, name, "exercises", "--notes", notes or args.notes, *flags,
                           model=args.model, size=size, frames=frames)


def cli_attention(args, text):
    proc = subprocess.run([args.cli, "attention", args.model, "--text", text], capture_output=True, timeout=180)
    check(proc.returncode == 0, "attnlab-cli attention runs")
    return json.loads(proc.stdout)


def weight(att, layer, head, i, j):
    n_head = max(e["head"] for e in att["attention"]) + 1
    entry = att["attention"][layer * n_head + head]
    assert entry["layer"] == layer and entry["head"] == head
    return entry["weights"][i][j]


def check_notes_survive(args):
    if os.path.exists(args.notes_dir):
        shutil.rmtree(args.notes_dir)
    os.makedirs(args.notes_dir)
    state = run_app(args, "exercises-report-en", "--lang", "en", "--option", "ex.tab=report",
                    "--option", "ex.note.ex1.answer=" + ANSWER1, "--option", "ex.note.ex3.q1=" + ANSWER3,
                    "--option", "ex.note.report.name=" + NAME, "--option", "ex.note.ex1.label.L0H1=prev",
                    "--option", "ex.note.ex1.note.L0H1=looks one back",
                    "--option", "ex.layer=1", "--option", "ex.guess1=1", "--option", "ex.guess1b=worse",
                    "--option", "ex.nopos=1", "--option", "ex.bidir=1", "--option", "ex.guess2=stays",
                    "--option", "ex.layer3=1", "--option", "ex.head3=2", "--option", "ex.guess3=man",
                    "--option", "ex.pin=1")
    ex = state["panels"]["exercises"]
    check(ex["fields"].get("ex1.answer") == ANSWER1 and ex["fields"].get("ex3.q1") == ANSWER3,
          "answers given as options are in the notes")
    check(ex["storage"]["where"] == os.path.abspath(args.notes) and ex["storage"]["saved"], f"saved to --notes ({ex['storage']})")
    check(len(ex["guesses"]) == 4, f"four guesses committed ({len(ex['guesses'])})")
    scored = sum(1 for g in ex["guesses"] if g["scored"])
    check(ex["score"]["right"] + ex["score"]["wrong"] == scored, f"the score counts the scored ones ({ex['score']}, {scored})")
    check(len(ex["figures"]) == 3, f"three figures pinned ({ex['figures']})")
    check(os.path.exists(args.notes), "the notes file exists after the app closed")
    with open(args.notes, encoding="utf-8") as f:
        saved = json.load(f)
    check(saved["fields"]["ex1.answer"] == ANSWER1, "the notes file holds the answer byte for byte")
    first = ex

    # A second run with the same notes file and no options: everything is back.
    state = run_app(args, "exercises-report-zh", "--lang", "zh", "--option", "ex.tab=report", "--option", "ex.export=1")
    ex = state["panels"]["exercises"]
    check(ex["fields"] == first["fields"], "a restart shows the same answers and labels")
    check(ex["guesses"] == first["guesses"] and ex["score"] == first["score"], "a restart keeps the guesses and the score")
    check(ex["figures"] == first["figures"], "a restart keeps the pinned figures")
    report = os.path.join(args.notes_dir, "attnlab-report.md")
    check(ex["export"]["path"] == report and not ex["export"]["failed"], f"the report is written beside the notes ({ex['export']})")
    md = open(report, encoding="utf-8").read() if os.path.exists(report) else ""
    quoted1 = "\n".join("> " + line for line in ANSWER1.split("\n"))
    check(quoted1 in md, "the report quotes answer 1 line by line")
    check("> " + ANSWER3 in md, "the report holds the answer to question 1 of exercise 3")
    check(NAME in md, "the report names the student")
    check("looks one back" in md and "前一个词" in md, "the report lists the head label and its note")
    score = f"得分：{ex['score']['right']} 对，{ex['score']['wrong']} 错"
    check(f"**{score}**" in md, f"the report has the score ({score})")
    for g in ex["guesses"]:
        check(g["question"] in md and f"| {g['guess']} | {g['answer']} |" in md, f"the report lists the guess {g['id']!r}")
    check(md.count("\n### ") == 3 and "| saw | man | hill |" in md, "the report has the three pinned figures' tables")
    # The same report as one web page: parsed by Python's own HTML parser, the answers are text
    # and the pinned weights carry their viridis colour.
    page = os.path.join(args.notes_dir, "attnlab-report.html")
    html = open(page, encoding="utf-8").read() if os.path.exists(page) else ""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text, self.tags, self.coloured = [], [], 0

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag == "td" and ("class", "w") in attrs and any(k == "style" and "background:#" in v for k, v in attrs):
                self.coloured += 1

        def handle_data(self, data):
            self.text.append(data)

    parsed = Page()
    parsed.feed(html)
    text = "".join(parsed.text)
    check(html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html, "the HTML report is a page in Chinese")
    check(ANSWER3 in text and NAME in text and "looks one back" in text, "it holds the answers, the name and the labels as text")
    check("script" not in parsed.tags and "img" not in parsed.tags and "link" not in parsed.tags,
          "it is self-contained: no scripts, images or links")
    check(parsed.tags.count("table") >= 4 and parsed.coloured > 0,
          f"the guesses and the pinned figures are tables, {parsed.coloured} weights coloured")
    return first


def check_broken_notes(args):
    broken = os.path.join(args.notes_dir, "broken.json")
    with open(broken, "w", encoding="utf-8") as f:
        f.write('{"fields": {"ex1.answer": "half a file')
    state = run_app(args, "exercises-broken", "--lang", "en", notes=broken, frames=4)
    ex = state["panels"]["exercises"]
    check(ex["storage"]["broken"], "unreadable notes are reported")
    check(os.path.exists(broken + ".bak") and open(broken + ".bak", encoding="utf-8").read().endswith("half a file"),
          "a backup of the unreadable notes is kept")
    check(open(broken, encoding="utf-8").read().endswith("half a file"), "nothing overwrote them while nothing changed")

    # A second, different corruption: its copy is kept too, the first one's is not replaced.
    with open(broken, "w", encoding="utf-8") as f:
        f.write('{"fields": {"ex1.answer": "another half')
    run_app(args, "exercises-broken-2", "--lang", "en", notes=broken, frames=4)
    baks = [open(p, encoding="utf-8").read() if os.path.exists(p) else "" for p in (broken + ".bak", broken + ".bak.1")]
    check(baks[0].endswith("another half") and baks[1].endswith("half a file"),
          "a second corruption is kept as .bak and the first moves to .bak.1 (none lost)")

    # Notes that cannot be read at all (here a folder where the file should be): never written
    # over; what the student writes goes beside them, and the page says where.
    blocked = os.path.join(args.notes_dir, "blocked.json")
    os.makedirs(blocked, exist_ok=True)
    state = run_app(args, "exercises-unreadable", "--lang", "en", "--option", "ex.note.ex1.answer=written anyway",
                    notes=blocked, frames=4)
    ex = state["panels"]["exercises"]
    check(ex["storage"]["unreadable"], "a notes file that cannot be read is reported")
    check(os.path.isdir(blocked) and not os.listdir(blocked), "it is not written over")
    aside = blocked + ".new"
    check(os.path.exists(aside) and "written anyway" in open(aside, encoding="utf-8").read(),
          f"the new answer is saved beside it ({aside})")


def check_positions(args):
    state = run_app(args, "exercises-positions-en", "--lang", "en", "--option", "ex.tab=positions", "--option", "ex.peek=1",
                    "--option", "ex.nopos=1", "--option", "ex.bidir=1", "--option", "ex.seed=5", size="1280x1500")
    pos = state["panels"]["exercises"]["positions"]
    order, tokens, shuffled = pos["order"], pos["tokens"], pos["shuffled_tokens"]
    check(sorted(order) == list(range(len(tokens))) and order[-1] == len(tokens) - 1, f"a permutation keeping the last word ({order})")
    check([tokens[k] for k in order] == shuffled and shuffled != tokens, f"the shuffled sentence follows it ({shuffled})")
    check(pos["drop_positions"] and pos["bidirectional"] and pos["seed"] == 5, "ex.nopos / ex.bidir / ex.seed applied")
    check(0 <= pos["max_diff"] < 1e-4, f"without positions the attention only permutes (max diff {pos['max_diff']:.3g} < 1e-4)")
    check(pos["same_top"] and [t["id"] for t in pos["top_original"]] == [t["id"] for t in pos["top_shuffled"]],
          "and the next-token prediction does not change")
    check(pos["total_variation"] < 1e-4 and pos["top5_overlap"] == 5 and not pos["order_matters"] and pos["answer"] == 1,
          f"the whole distribution stays, so the reveal says 'it stays' (TV {pos['total_variation']:.3g}, answer {pos['answer']})")
    for flags, what in [(("--option", "ex.bidir=1"), "with position vectors"), (("--option", "ex.nopos=1"), "with the causal mask")]:
        state = run_app(args, "exercises-positions-order", "--lang", "en", "--option", "ex.seed=5", *flags, frames=4)
        p = state["panels"]["exercises"]["positions"]
        diff = p["max_diff"]
        check(diff > 1e-3, f"{what} the model tells the orders apart (max diff {diff:.3g})")
        check(p["order_matters"] and p["answer"] == 0, f"{what} the reveal says 'it changes' whatever the top token does ({p['answer']})")
        check(p["output_shows_it"] == (p["total_variation"] >= 0.05), f"{what}: the distribution's change is judged by its TV")


def check_numbers(args, first):
    state = run_app(args, "exercises-ambiguity-en", "--lang", "en", "--option", "ex.tab=ambiguity", "--option", "ex.peek=1",
                    size="1280x1500")
    ex = state["panels"]["exercises"]
    amb = ex["ambiguity"]
    check(amb["sentence"] == AMBIGUOUS and amb["found"], "the ambiguous sentence, every word found")
    att = cli_attention(args, AMBIGUOUS)
    check([t.strip() for t in att["tokens"]] == amb["tokens"], "the same tokens as attnlab-cli")
    n_layer, n_head = len(amb["weights"]["with"]), len(amb["weights"]["with"][0])
    worst = 0.0
    for src in ("with", "telescope"):
        i = amb["sources"][src]
        for layer in range(n_layer):
            for head in range(n_head):
                for k, tgt in enumerate(("saw", "man", "hill")):
                    want = weight(att, layer, head, i, amb["targets"][tgt])
                    worst = max(worst, abs(amb["weights"][src][layer][head][k] - want))
            for k, tgt in enumerate(("saw", "man", "hill")):
                want = sum(weight(att, layer, h, i, amb["targets"][tgt]) for h in range(n_head)) / n_head
                worst = max(worst, abs(amb["means"][src][layer][k] - want))
    check(n_layer * n_head == len(att["attention"]) and worst <= 1e-5,
          f"the ambiguity numbers equal attnlab-cli attention for {n_layer}x{n_head} heads (max diff {worst:.2g})")

    # The guesses of the first run were scored by the model's true answers.
    guesses = {g["id"].split("|")[0]: g for g in first["guesses"]}
    # Exercise 3: the mean over every layer and head, from attnlab-cli (not one head's answer).
    src = amb["sources"]["telescope"]
    w = [sum(weight(att, l, h, src, amb["targets"][t]) for l in range(n_layer) for h in range(n_head)) / (n_layer * n_head)
         for t in ("saw", "man", "hill")]
    best = ("saw", "man", "hill")[w.index(max(w))]
    margin = max(w) - sorted(w)[-2]
    vote = amb["vote"]["telescope"]
    check(all(abs(a - b) <= 1e-5 for a, b in zip(vote["mean"], w)), f"the vote's means equal attnlab-cli's ({vote['mean']}, {w})")
    g3 = guesses.get("ex3", {})
    check(g3.get("answer") == best and g3.get("scored") == (margin >= 0.02) and g3.get("correct") == (best == "man"),
          f"exercise 3's guess is scored by the mean over every head, and only when clear ({g3}, {w})")
    # Exercise 1's one-head question follows the held-out loss and its threshold.
    one = ex["heads"]["one_head"]
    delta = one["loss_one"] - one["loss_all"]
    want = 1 if abs(delta) < 0.05 else (0 if delta > 0 else 2)
    check(one["answer"] == want and one["clear"] == (abs(delta) >= 0.05), f"one head vs all: the answer follows the loss ({one})")
    g1b = guesses.get("ex1b", {})
    check(g1b.get("scored") == one["clear"] and g1b.get("correct") == (want == 0), f"exercise 1b's guess is scored only when clear ({g1b})")

    heads = ex["heads"]
    robot = cli_attention(args, ROBOT)
    q, layer = heads["query"], heads["layer"]
    check(heads["tokens"][q] == "it", "exercise 1 asks about 'it'")
    worst = max(abs(heads["rows"][h][j] - weight(robot, layer, h, q, j)) for h in range(n_head) for j in range(len(heads["tokens"])))
    check(worst <= 1e-5, f"exercise 1's rows equal attnlab-cli attention (max diff {worst:.2g})")
    mean = [sum(weight(robot, 1, h, q, j) for h in range(n_head)) / n_head for j in range(q + 1)]
    best = mean.index(max(mean))
    g1 = guesses.get("ex1", {})
    check(g1.get("answer", "").endswith(f"(#{best})") and g1.get("correct") == (best == 1),
          f"exercise 1's guess (layer 1) is scored by the mean of the heads ({g1})")
    check(len(heads["top_all"]) == 5 and len(heads["top_one"]) == 5, "top-5 with all heads and with one head")


def check_screens_and_hotspots(args):
    want = {
        "heads": ["ex_tab_heads", "ex_tab_positions", "ex_tab_ambiguity", "ex_tab_report", "ex1_answer", "ex1_sentence",
                  "ex1_layer", "ex1_query", "ex1_guess", "ex1_commit", "ex1_peek", "ex1_map_0", "ex1_label_0",
                  "ex1_note_0", "ex1_keep", "ex1_every", "ex1_bars_all", "ex1_bars_one", "ex1b_reveal", "ex1b_measure",
                  "ex1_pin"],
        "positions": ["ex2_answer", "ex2_sentence", "ex2_nopos", "ex2_bidir", "ex2_shuffle", "ex2_seed", "ex2_shuffled",
                      "ex2_guess", "ex2_commit", "ex2_peek", "ex2_layer", "ex2_head", "ex2_map_original",
                      "ex2_map_shuffled", "ex2_map_unshuffled", "ex2_check", "ex2_bars_original", "ex2_bars_shuffled",
                      "ex2_measure", "ex2_pin"],
        "ambiguity": ["ex3_source_with", "ex3_source_telescope", "ex3_layer", "ex3_head",
                      "ex3_reveal", "ex3_vote", "ex3_full_map", "ex3_means", "ex3_grid", "ex3_pin", "ex3_q1", "ex3_q2", "ex3_q3"],
        "report": ["ex_name", "ex_score", "ex_guesses", "ex_remove_0", "ex_export"],
    }
    # The first run's notes: exercise 1's one-head question and exercise 3 (telescope, every head)
    # are answered there, so their tabs show the reveal; exercise 1's layer-0 question is open.
    notes = os.path.join(args.notes_dir, "screens.json")
    shutil.copy(args.notes, notes)
    for tab, names in want.items():
        for lang in ("en", "zh"):
            state = run_app(args, f"exercises-{tab}-{lang}", "--lang", lang, "--option", f"ex.tab={tab}",
                            "--option", "ex.peek=1", notes=notes, size="1280x1700", frames=8)
            if lang == "en":
                spots = state["hotspots"]
                missing = [n for n in names if not (n in spots and spots[n][2] > spots[n][0] and spots[n][3] > spots[n][1])]
                check(not missing, f"tab {tab}: every control has a hotspot (missing {missing})")
                check(state["panels"]["exercises"]["tab"] == tab, f"ex.tab={tab} opens the tab")
    state = run_app(args, "exercises-800x600-zh", "--lang", "zh", "--option", "ex.peek=1", notes=notes, size="800x600")
    check(state["panels"]["exercises"]["tab"] == "heads", "800x600 starts on exercise 1")


def main():
    args = parse_args()
    args.notes_dir = os.path.join(args.out, "exercises-notes")
    args.notes = os.path.join(args.notes_dir, "notes.json")
    first = check_notes_survive(args)
    check_broken_notes(args)
    check_positions(args)
    check_numbers(args, first)
    check_screens_and_hotspots(args)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
