#!/usr/bin/env node
// What dist/ was built from: `write` (the build's last step) records a hash of the build's
// inputs in dist/.build-inputs; `check` exits 0 when dist/ was built from the inputs as they are
// now. `prepare` runs `check || npm run build`: the first `npx promptctl` in a checkout installs
// the checkout into npx's cache as a package, which runs `prepare` again; with this it does not
// rebuild what `npm ci` just built (7.5 s → under a second). `npm run build` always builds.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-inputs');
/** Everything tsc and the schema step read, and the dependency versions they ran with. */
const INPUTS = ['src', 'schemas', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

function inputsHash() {
  const hash = createHash('sha256');
  const files = INPUTS.flatMap((p) => {
    try {
      return readdirSync(join(ROOT, p), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath ?? d.path, d.name));
    } catch {
      return [join(ROOT, p)]; // a file, or missing (hashed as such)
    }
  });
  for (const file of files.map((f) => f.slice(ROOT.length + 1).split('\\').join('/')).sort()) {
    let text;
    try {
      text = readFileSync(join(ROOT, file));
    } catch {
      text = Buffer.from('(missing)');
    }
    hash.update(`${file}\u0000${text.length}\u0000`).update(text);
  }
  return hash.digest('hex');
}

const mode = process.argv[2];
if (mode === 'write') {
  writeFileSync(STAMP, `${inputsHash()}\n`);
} else if (mode === 'check') {
  let built = '';
  try {
    built = readFileSync(STAMP, 'utf8').trim();
  } catch {
    /* never built */
  }
  if (built !== inputsHash()) process.exit(1);
  process.stdout.write('promptctl: dist/ is up to date with its sources; not rebuilding (npm run build forces it)\n');
} else {
  process.stderr.write('usage: node scripts/build-stamp.mjs write|check\n');
  process.exit(2);
}
