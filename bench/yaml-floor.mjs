#!/usr/bin/env node
// The floor `validate` is measured against (bench/run.mjs): read every YAML file under DIR and
// parse it with yaml's parseAllDocuments, nothing else, in a Node process of its own (so that it
// pays the same start-up and module loading as the CLI does).
//
//   node bench/yaml-floor.mjs DIR
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/yaml-floor.mjs DIR');
const files = (await readdir(dir, { recursive: true })).filter((f) => /\.ya?ml$/.test(f)).sort();
const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
let documents = 0;
for (const text of texts) {
  const parsed = parseAllDocuments(text);
  documents += Array.isArray(parsed) ? parsed.length : 0;
}
process.stdout.write(`${files.length} files, ${documents} documents\n`);
