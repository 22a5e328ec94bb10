#!/usr/bin/env node
// The build's last code step: dist/ (tsc's output) → dist/bundle/promptctl.cjs, one file with
// promptctl and its libraries, which bin/promptctl.js starts with a V8 code cache
// (src/cli/cached-bundle.ts). Loading some 300 modules one by one, and compiling them, was most
// of a small command's time. Then scripts/code-cache.mjs warms the bundle and saves the cache.
//
// What stays outside: the precompiled schema validators (dist/schema, dist/emulator *.cjs, read
// by path), js-tiktoken's rank tables and ajv's compiler (required at run time, when needed).
// `import.meta.url` is the bundle's own URL: dist/bundle sits one level below dist/ as every
// source folder does, so the paths the sources resolve from it (../../schemas/, ../../package.json,
// ../schema/…) hold from both.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist', 'bundle', 'promptctl.cjs');

rmSync(`${OUT}.cache`, { force: true });
await build({
  entryPoints: [join(ROOT, 'dist', 'cli', 'bundle.js')],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  // Which build a saved code cache belongs to (V8 itself compares only the source's length).
  footer: { js: `//# promptctl-build ${randomUUID()}` },
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
execFileSync(process.execPath, [join(ROOT, 'scripts', 'code-cache.mjs')], { stdio: 'inherit', timeout: 120_000 });
