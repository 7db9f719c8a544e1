#!/usr/bin/env node
// The reference GPT-2 tokenizer for the golden files: npm `gpt-3-encoder` (a JavaScript port
// of OpenAI's encoder.py), so the goldens never depend on our own C++ tokenizer.
//
//   node tests/reference/encode.mjs            reads a JSON array of strings on stdin,
//                                              writes a JSON array of id arrays on stdout
//   node tests/reference/encode.mjs "text"     prints the ids of one text, one line
//
// Every text is decoded back and must give the same string, or the script exits 1.
import { readFileSync } from 'node:fs';
import encoder from 'gpt-3-encoder';

function encodeChecked(text) {
  const ids = encoder.encode(text);
  const back = encoder.decode(ids);
  if (back !== text) {
    process.stderr.write(`encode.mjs: decode(encode(text)) differs for ${JSON.stringify(text)}\n`);
    process.exit(1);
  }
  return ids;
}

if (process.argv.length > 2) {
  console.log(encodeChecked(process.argv.slice(2).join(' ')).join(' '));
} else {
  const texts = JSON.parse(readFileSync(0, 'utf8'));
  process.stdout.write(JSON.stringify(texts.map(encodeChecked)) + '\n');
}
