// Whether the plan (and every other view) is coloured: FORCE_COLOR=false turned colour on, while
// Node and promptctl's own --help read it as off, so `FORCE_COLOR=false promptctl plan > plan.txt`
// wrote escape sequences into the file. It is off now, as FORCE_COLOR=0 is.
import { describe, expect, it } from 'vitest';
import { colorFromEnv } from '../../../src/cli/context.js';

describe('colorFromEnv', () => {
  it('reads FORCE_COLOR=false as off, as FORCE_COLOR=0, on a terminal too', () => {
    expect(colorFromEnv({ FORCE_COLOR: 'false' }, true)).toBe(false);
    expect(colorFromEnv({ FORCE_COLOR: 'false' }, false)).toBe(false);
    expect(colorFromEnv({ FORCE_COLOR: '0' }, true)).toBe(false);
  });

  it('still forces colour with another FORCE_COLOR, and defaults to the terminal without NO_COLOR', () => {
    expect(colorFromEnv({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorFromEnv({ FORCE_COLOR: 'true' }, false)).toBe(true);
    expect(colorFromEnv({}, true)).toBe(true);
    expect(colorFromEnv({}, false)).toBe(false);
    expect(colorFromEnv({ NO_COLOR: '1' }, true)).toBe(false);
  });

  // A terminal that says it shows no colour (TERM=dumb: Emacs' shell, some CI log viewers) got the
  // escape sequences as text, though --help (Node's hasColors) left them out there.
  it('leaves colour off on a dumb terminal unless FORCE_COLOR asks for it', () => {
    expect(colorFromEnv({ TERM: 'dumb' }, true)).toBe(false);
    expect(colorFromEnv({ TERM: 'dumb', FORCE_COLOR: '1' }, true)).toBe(true);
    expect(colorFromEnv({ TERM: 'xterm-256color' }, true)).toBe(true);
  });
});
