import { describe, expect, it } from 'vitest';
import { checkVersionLabel } from '../../../src/util/semver.js';

describe('checkVersionLabel', () => {
  it('accepts semver strings, pre-releases included', () => {
    for (const v of ['0.0.0', '1.2.3', '10.20.30', '1.0.0-beta.1', '2.1.0-rc-1']) expect(checkVersionLabel(v, undefined)).toBeUndefined();
  });

  it('tells to quote a YAML number, showing what YAML made of it', () => {
    expect(checkVersionLabel(1.1, '1.10')).toEqual({
      rule: 'version/not-string',
      message: 'version must be a quoted string: YAML reads the unquoted 1.10 as the number 1.1. Quote it: version: "1.10" (and give all three parts, e.g. "1.10.0")',
    });
    expect(checkVersionLabel(3, '3')!.message).toBe(
      'version must be a quoted string: YAML reads the unquoted 3 as a number. Quote it: version: "3" (and give all three parts, e.g. "3.0.0")',
    );
  });

  it('gives a number with no semver spelling a real example, not itself (1e3 once said e.g. "1e3")', () => {
    for (const [value, raw] of [[1000, '1e3'], [16, '0x10'], [Infinity, '.inf']] as const) {
      const message = checkVersionLabel(value, raw)!.message;
      expect(message).toBe(`version must be a quoted string: YAML reads the unquoted ${raw} as the number ${value}. Quote it: version: "${raw}" (a version label is MAJOR.MINOR.PATCH[-prerelease], e.g. "1.2.0")`);
    }
  });

  it('rejects non-semver strings with a likely fix', () => {
    expect(checkVersionLabel('v1.2.3', '"v1.2.3"')).toMatchObject({ rule: 'version/not-semver', message: expect.stringContaining('did you mean "1.2.3"?') });
    expect(checkVersionLabel('1.2', '"1.2"')!.message).toContain('did you mean "1.2.0"?');
    // A date was "2024.0.0-01-1" (a pre-release "01-01" with a zero lost).
    expect(checkVersionLabel('2024-01-01', '2024-01-01')!.message).toContain('did you mean "2024.1.1"?');
    expect(checkVersionLabel('01.2.3', undefined)!.rule).toBe('version/not-semver');
    expect(checkVersionLabel('latest', undefined)!.message).toBe('version "latest" is not a semantic version MAJOR.MINOR.PATCH[-prerelease] (e.g. "1.2.0")');
    expect(checkVersionLabel(true, 'true')!.rule).toBe('version/not-string');
  });

  it('explains semver build metadata, which labels may not carry', () => {
    expect(checkVersionLabel('1.0.0+build.5', undefined)).toEqual({
      rule: 'version/not-semver',
      message: 'version "1.0.0+build.5" carries build metadata "+build.5", which a version label may not have (did you mean "1.0.0"?)',
    });
    expect(checkVersionLabel('01.2.3', undefined)!.message).toContain('did you mean "1.2.3"?');
  });
});
