// What a re-read says of a guarded PUT whose answer was lost: ours, untouched (resend) or moved
// by someone else (the 409 version.mismatch the answer would have been).
import { expect, it } from 'vitest';
import { guardedRead } from '../../../src/genesys/rest.js';
import { isConflict, ApiError } from '../../../src/genesys/errors.js';

it('reads a guarded write as ours, untouched or moved', () => {
  expect(guardedRead(3, 4, true)).toBe('ours');
  expect(guardedRead(3, 3, false)).toBe('untouched');
  expect(guardedRead(3, 4, false)).toBe('moved');
  expect(guardedRead(3, 5, true)).toBe('moved');
  expect(guardedRead(3, 5, false)).toBe('moved');
});

it('counts only a 409 as a conflict', () => {
  expect(isConflict(new ApiError('x', 409, 'duplicate.name', undefined))).toBe(true);
  expect(isConflict(new ApiError('x', 503, 'service.unavailable', undefined))).toBe(false);
  expect(isConflict(new Error('x'))).toBe(false);
});
