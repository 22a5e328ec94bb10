// A share as a percentage, one function for status, test and every table: whole from 10 % as it
// rounds (0.0996 was "10.0 %" where 0.1 is "10 %"), and a share too small to show at one decimal
// said as such (a 0.04 % error rate was "0.0 %", read as none).
import { describe, expect, it } from 'vitest';
import { percentText } from '../../../src/util/numbers.js';
import { percent } from '../../../src/views/table.js';
import { pct } from '../../../src/evals/comparison.js';

describe('percentText', () => {
  it('is whole at 0, at 100 and from 10 % as shown, one decimal below', () => {
    expect([0, 1, 0.8, 0.1, 0.0996, 0.0994, 0.025, 0.005].map((x) => percentText(x))).toEqual(['0 %', '100 %', '80 %', '10 %', '10 %', '9.9 %', '2.5 %', '0.5 %']);
    expect(percentText(-0.0996)).toBe('-10 %');
  });

  it('says a share that is not 0 is below what one decimal shows, not "0.0 %"', () => {
    expect(percentText(0.0004)).toBe('< 0.1 %');
    expect(percentText(-0.0004)).toBe('> -0.1 %');
    expect(percentText(0.004, 0)).toBe('< 1 %');
    expect(percentText(0.0004, 2)).toBe('0.04 %');
  });

  it('says a share that is not 100 % is below it, not "100 %" (status: 250 of 251 calls beside the other version\'s 0.4 %)', () => {
    expect(percentText(250 / 251)).toBe('99.6 %');
    expect(percentText(0.995)).toBe('99.5 %');
    expect(percentText(0.9996)).toBe('> 99.9 %');
    expect(percentText(-0.996)).toBe('-99.6 %');
    expect(percentText(1)).toBe('100 %');
    expect(percentText(0.994)).toBe('99 %');
    // A caller that asks for its digits gets them (test views round a pass rate against its threshold themselves).
    expect(percentText(0.995, 0)).toBe('100 %');
  });

  it('is what the tables and status comparisons write', () => {
    for (const x of [0.0996, 0.0004, 0.5]) {
      expect(percent(x)).toBe(percentText(x));
      expect(pct(x)).toBe(percentText(x));
    }
  });
});
