#!/usr/bin/env node
// Writes site/strings.js, the web page's texts and section ids, from the C++ sources, so that
// web/loader.js keeps no copy of its own:
//   - the Web* entries of engine/ui/i18n/strings.inc (the page's messages, zh and en);
//   - the section ids of engine/ui/panels/sections.inc, in table order.
// With INDEX_IN and INDEX_OUT it also writes site/index.html from web/index.html, whose texts
// (shown before any script runs: the loading card, labels for screen readers, <noscript>) are
// written there as {{Id.zh}} and {{Id.en}}; each is replaced by that entry, HTML-escaped.
// Fails (and with it the web build) when loader.js names a Web* id, or index.html any id, that
// strings.inc lacks, or strings.inc holds a Web* entry that neither names.
//
//   node tools/gen-web-strings.mjs STRINGS_INC SECTIONS_INC LOADER_JS OUT_JS [INDEX_IN INDEX_OUT]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const [stringsPath, sectionsPath, loaderPath, outPath, indexIn, indexOut] = process.argv.slice(2);
if (!outPath || (indexIn && !indexOut)) {
  console.error('usage: gen-web-strings.mjs STRINGS_INC SECTIONS_INC LOADER_JS OUT_JS [INDEX_IN INDEX_OUT]');
  process.exit(2);
}
const fail = (message) => {
  console.error(`gen-web-strings: ${message}`);
  process.exit(1);
};

// S(Id, "简体中文", "English") on one line; C escapes \" \\ \n \t; placeholders %s, %d, %% (what
// loader.js's t() fills, in order, the same in both languages). Every Web* entry must be
// written so (the page's messages). Other entries are read where they are written so
// (index.html may name them, e.g. AppName) and skipped where they are not.
function entries(text) {
  const found = new Map();
  text.split('\n').forEach((line, i) => {
    const m = /^S\(\s*(\w+)\s*,/.exec(line);
    if (!m) return;
    const where = `${stringsPath}:${i + 1}: ${m[1]}`;
    let pair;
    try {
      pair = oneLine(line, m[0].length);
    } catch (e) {
      if (m[1].startsWith('Web')) fail(`${where}: ${e.message}`);
      return;
    }
    if (found.has(m[1])) fail(`${where} twice`);
    found.set(m[1], pair);
  });
  return found;
}

function oneLine(line, at) {
  const skipSpace = () => { while (line[at] === ' ' || line[at] === '\t') at++; };
  const literal = () => {
    skipSpace();
    if (line[at++] !== '"') throw new Error('expected "…" on the entry\'s line');
    let out = '';
    for (;;) {
      const c = line[at++];
      if (c === undefined) throw new Error('the string does not end on its line');
      if (c === '"') return out;
      if (c !== '\\') { out += c; continue; }
      const escaped = { '"': '"', '\\': '\\', n: '\n', t: '\t' }[line[at++]];
      if (escaped === undefined) throw new Error(`unsupported escape \\${line[at - 1]}`);
      out += escaped;
    }
  };
  const zh = literal();
  skipSpace();
  if (line[at++] !== ',') throw new Error('expected , between the two strings');
  const en = literal();
  skipSpace();
  if (line[at] !== ')') throw new Error('expected ) after the English string');
  const placeholders = (s) => (s.match(/%./g) || []).join('');
  for (const s of [zh, en]) {
    const bad = (s.match(/%./g) || []).find((p) => !['%s', '%d', '%%'].includes(p));
    if (bad) throw new Error(`${bad} (the page knows %s, %d and %%)`);
  }
  if (placeholders(zh) !== placeholders(en)) throw new Error('zh and en take different placeholders');
  return [zh, en];
}

const table = entries(readFileSync(stringsPath, 'utf8'));
const strings = new Map([...table].filter(([id]) => id.startsWith('Web')));
const sections = [...readFileSync(sectionsPath, 'utf8').matchAll(/^SECTION\("([^"]+)"/gm)].map((m) => m[1]);
if (sections.length === 0) fail(`${sectionsPath}: no SECTION("id", …) lines`);

// Every quoted Web* id in loader.js ('WebNoSimd') must be an entry, and every entry used.
const loader = readFileSync(loaderPath, 'utf8');
const used = new Set();
const missing = [];
for (const m of loader.matchAll(/['"`](Web[A-Z]\w*)['"`]/g)) {
  used.add(m[1]);
  if (!strings.has(m[1])) {
    const line = loader.slice(0, m.index).split('\n').length;
    missing.push(`${m[1]} (${loaderPath}:${line})`);
  }
}
// index.html's {{Id.zh}} / {{Id.en}} (any entry of strings.inc): the same check, then the page
// with the texts in.
let page = null;
if (indexIn) {
  const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const html = readFileSync(indexIn, 'utf8');
  page = html.replace(/\{\{\s*(\w+)\.(zh|en)\s*\}\}/g, (whole, id, lang, at) => {
    used.add(id);
    const pair = table.get(id);
    if (!pair) {
      missing.push(`${id} (${indexIn}:${html.slice(0, at).split('\n').length})`);
      return whole;
    }
    return escape(pair[lang === 'zh' ? 0 : 1]);
  });
  const stray = /\{\{[^}]*\}\}/.exec(page);
  if (stray && !missing.length) fail(`${indexIn}: ${stray[0]} is not {{Id.zh}} or {{Id.en}}`);
}
if (missing.length) fail(`not in ${stringsPath}: ${missing.join(', ')}`);
const unused = [...strings.keys()].filter((id) => !used.has(id));
if (unused.length) fail(`in ${stringsPath} but used by neither ${loaderPath} nor index.html: ${unused.join(', ')}`);

const out = `// Generated by tools/gen-web-strings.mjs from engine/ui/i18n/strings.inc (the Web* entries)
// and engine/ui/panels/sections.inc: edit those, not this file. Read by loader.js.
'use strict';
window.attnlabStrings = {
  sections: ${JSON.stringify(sections)},
  text: {
${[...strings].map(([id, pair]) => `    ${id}: ${JSON.stringify(pair)},`).join('\n')}
  },
};
`;
writeFileSync(`${outPath}.tmp`, out);
renameSync(`${outPath}.tmp`, outPath);
if (page !== null) {
  writeFileSync(`${indexOut}.tmp`, page);
  renameSync(`${indexOut}.tmp`, indexOut);
}
