#!/usr/bin/env node
// The build's last code step: dist/ (tsc's output) → dist/bundle/promptctl.cjs, one file with
// promptctl and its libraries, which bin/promptctl.js starts with a V8 code cache
// (src/cli/cached-bundle.ts). Loading some 300 modules one by one, and compiling them, was most
// of a small command's time. Then scripts/code-cache.mjs warms the bundle and saves the cache.
//
// What stays outside: the precompiled schema validators (dist/schema, dist/emulator and dist/targets *.cjs, read
// by path), js-tiktoken's rank tables, and the ajv that compiles schemas when the precompiled
// ones do not match schemas/ (required at run time, when needed), and hpagent, which the
// transport requires from node_modules when a proxy is set (genesys/transport.ts). The PromptTest
// assertions' own ajv is bundled: evals/assertions.ts imports it.
// `import.meta.url` is the bundle's own URL: dist/bundle sits one level below dist/ as every
// source folder does, so the paths the sources resolve from it (../../schemas/, ../../package.json,
// ../schema/…) hold from both.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist', 'bundle', 'promptctl.cjs');

/**
 * got's type checks (@sindresorhus/is) make two Intl.ListFormat at load, for assertion messages
 * only; the first Intl object loads ICU's data, about 10 ms of every plan and apply. They are made
 * when first used instead. The build stops if the library no longer has exactly those two, so an
 * upgrade is looked at rather than silently patched.
 */
const lazyListFormat = {
  name: 'lazy-list-format',
  setup(b) {
    b.onLoad({ filter: /[\\/]@sindresorhus[\\/]is[\\/]distribution[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = /= new Intl\.ListFormat\(/g;
      const found = source.match(eager)?.length ?? 0;
      if (found !== 2) throw new Error(`${args.path}: expected 2 eager Intl.ListFormat, found ${found}; look at the lazy-list-format plugin`);
      // On the file's first line, so that every other line keeps its number (stack traces).
      const helper =
        'function __lazyListFormat(locale, options) { let f; return { format: (list) => (f ??= new Intl.ListFormat(locale, options)).format(list) }; } ';
      return { contents: helper + source.replace(eager, '= __lazyListFormat('), loader: 'js' };
    });
  },
};

/**
 * got imports http2-wrapper (with node:http2) at load, for its `http2` option only, which promptctl
 * never sets: about 6 ms of every plan and apply. It is required when first used instead. The
 * build stops if got no longer imports and uses it exactly as patched here.
 */
function lazyHttp2(source, path) {
  const importLine = "import http2wrapper from 'http2-wrapper';";
  const used = /\bhttp2wrapper\.(globalAgent|auto)\b/g;
  const uses = source.match(used)?.length ?? 0;
  // Every other mention is in a doc comment ([`http2wrapper.Agent`]): no code reads it but these.
  const mentions = withoutComments(source).match(/\bhttp2wrapper\b/g)?.length ?? 0;
  if (source.split(importLine).length !== 2 || uses !== 2 || mentions !== 3) {
    throw new Error(`${path}: expected one import of http2-wrapper and two uses (globalAgent, auto), found ${uses} uses and ${mentions} mentions in code; look at lazyHttp2`);
  }
  // In the import's place, so that every other line keeps its number (stack traces).
  const lazy = "let __http2wrapper; const __lazyHttp2wrapper = () => (__http2wrapper ??= require('http2-wrapper'));";
  return source.replace(importLine, lazy).replace(used, '__lazyHttp2wrapper().$1');
}

/**
 * got imports node:https with node:tls (about 7 ms) and cacheable-lookup with node:dns at load,
 * for an https URL, the default checkServerIdentity and the `dnsCache` option: a plan against the
 * local emulator (plain http) needs none of them. Each is required when first used instead; the
 * identity check becomes a function that calls tls's, as got only passes it on to the request.
 * The build stops if got no longer mentions them exactly as patched here.
 */
function lazyTls(source, path) {
  // Other mentions of `https` are got's own option of that name (a local in the one function).
  const counts = { 'https.request': 1, CacheableLookup: 2, 'import https ': 1, 'const { https }': 1 };
  const code = withoutComments(source);
  for (const [name, n] of Object.entries(counts)) {
    const found = code.split(name).length - 1;
    if (found !== n) throw new Error(`${path}: expected ${n} of \`${name}\` in code, found ${found}; look at lazyTls`);
  }
  // Each in its own place, so that every other line keeps its number (stack traces).
  const patches = [
    ["import { checkServerIdentity } from 'node:tls';", "const checkServerIdentity = (...args) => require('node:tls').checkServerIdentity(...args);"],
    ["import https from 'node:https';", "let __https; const __lazyHttps = () => (__https ??= require('node:https'));"],
    ['return https.request;', 'return __lazyHttps().request;'],
    ["import CacheableLookup from 'cacheable-lookup';", "let __CacheableLookup; const __lazyCacheableLookup = () => (__CacheableLookup ??= require('cacheable-lookup').default);"],
    ['new CacheableLookup()', 'new (__lazyCacheableLookup())()'],
  ];
  for (const [from, to] of patches) {
    if (source.split(from).length !== 2) throw new Error(`${path}: expected one \`${from}\`; look at lazyTls`);
    source = source.replace(from, to);
  }
  return source;
}

function withoutComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** got's options module, with what promptctl does not use at start left to load when used. */
const lazyGotOptions = {
  name: 'lazy-got-options',
  setup(b) {
    b.onLoad({ filter: /[\\/]got[\\/]dist[\\/]source[\\/]core[\\/]options\.js$/ }, (args) => ({
      contents: lazyTls(lazyHttp2(readFileSync(args.path, 'utf8'), args.path), args.path),
      loader: 'js',
    }));
  },
};

/**
 * yaml is CommonJS, and esbuild gives the bundle's ES imports of it a namespace of getters (one
 * shared getter with a key lookup): every `isMap(node)` of the loader's walks was a getter call
 * first, about 1.5 % of validating 5,000 files. Imports of `yaml` from promptctl's code go to a
 * module that reads each export once instead. yaml assigns its exports once, when it loads, so
 * the values are those the getters would give. The build stops if the library's exports are not
 * all plain values, so an upgrade is looked at.
 */
const yamlExportsOnce = {
  name: 'yaml-exports-once',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, (args) => (args.namespace === 'yaml-once' ? undefined : { path: 'yaml', namespace: 'yaml-once' }));
    b.onLoad({ filter: /.*/, namespace: 'yaml-once' }, () => {
      const api = createRequire(join(ROOT, 'package.json'))('yaml');
      const names = Object.keys(api);
      for (const name of names) {
        const d = Object.getOwnPropertyDescriptor(api, name);
        if (!d || d.get || d.set || !/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`yaml's export ${name} is not a plain value; look at the yaml-exports-once plugin`);
      }
      return { contents: `import * as yaml from 'yaml';\nexport const { ${names.join(', ')} } = yaml;\n`, resolveDir: ROOT, loader: 'js' };
    });
  },
};

rmSync(`${OUT}.cache`, { force: true });
await build({
  plugins: [lazyListFormat, lazyGotOptions, yamlExportsOnce],
  entryPoints: [join(ROOT, 'dist', 'cli', 'bundle.js')],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__import_meta_url' },
  // The directive first: after any other statement it is not one, and the bundle would run sloppy.
  banner: { js: "'use strict';\nconst __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  // Which build a saved code cache belongs to (V8 itself compares only the source's length).
  footer: { js: `//# promptctl-build ${randomUUID()}` },
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
// A script that V8 takes from a code cache has no dynamic import() (Node gives it no loader then),
// so one left in the bundle would fail only in the installed binary: refuse it here.
const dynamicImport = /\bimport\(/.exec(readFileSync(OUT, 'utf8'));
if (dynamicImport) throw new Error(`${OUT}: a dynamic import() is left in the bundle (at ${dynamicImport.index}); bundle or require what it loads`);

// No V8 flags from NODE_OPTIONS: V8 rejects a cache made under flags other than the run's, and
// promptctl runs as plain `node`.
const env = { ...process.env };
delete env.NODE_OPTIONS;
execFileSync(process.execPath, [join(ROOT, 'scripts', 'code-cache.mjs')], { stdio: 'inherit', timeout: 120_000, env });
