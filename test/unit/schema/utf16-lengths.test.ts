// Lengths count UTF-16 code units (util/precompiled.ts UTF16_LENGTHS) through ajv's `unicode: false`,
// which ajv 8 calls deprecated on every compile: compiling the schemas at run time (from src/, or a
// schema edited since the build) must not print that notice on a user's terminal.
import { afterEach, expect, it, vi } from 'vitest';
import { DOCUMENT_SCHEMAS } from '../../../src/schema/validator.js';
import { WIRE_SCHEMAS } from '../../../src/emulator/schemas.js';
import { readFileSync } from 'node:fs';

afterEach(() => vi.restoreAllMocks());

it('compiles the document and wire schemas without ajv deprecation notices, counting an emoji as two', () => {
  const said: unknown[][] = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void said.push(args));
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void said.push(args));
  for (const set of [DOCUMENT_SCHEMAS, WIRE_SCHEMAS]) {
    const schemas = set.files().map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>);
    set.ajv(schemas, false);
  }
  expect(said).toEqual([]);
  const ajv = DOCUMENT_SCHEMAS.ajv([], false);
  const max2 = ajv.compile({ type: 'string', maxLength: 2 });
  expect([max2('ab'), max2('\u{1F600}'), max2('\u{1F600}a')]).toEqual([true, true, false]);
});
