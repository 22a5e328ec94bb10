// Semantic versioning forbids leading zeros in a pre-release's numeric identifiers ("rc.01"): such
// a label was accepted beside "rc.1", two labels that sort as the same version. It is refused now,
// with the spelling to use, by validate and by the emulator's wire schema alike.
import { describe, expect, it } from 'vitest';
import { checkVersionLabel, GUIDE_VERSION_LABEL, SEMVER } from '../../../src/util/semver.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../helpers/cli.js';

describe('a pre-release identifier with a leading zero', () => {
  it('is not a semantic version, and the message suggests the number without it', () => {
    expect(checkVersionLabel('1.0.0-rc.01', undefined)).toEqual({
      rule: 'version/not-semver',
      message: 'version "1.0.0-rc.01" is not a semantic version MAJOR.MINOR.PATCH[-prerelease] (did you mean "1.0.0-rc.1"?)',
    });
    expect(checkVersionLabel('1.0.0-00', undefined)!.rule).toBe('version/not-semver');
    for (const ok of ['1.0.0-rc.1', '1.0.0-0', '1.0.0-rc.0', '1.0.0-0a', '1.0.0-01a', '1.0.0-x.7.z.92', '2.1.0-rc-1']) expect(checkVersionLabel(ok, undefined), ok).toBeUndefined();
  });

  it('the schemas use the same pattern as the code', () => {
    const common = JSON.parse(readFileSync(join(REPO, 'schemas/common.schema.json'), 'utf8')) as { $defs: Record<string, { pattern?: string }> };
    // Every MAJOR.MINOR.PATCH pattern is the code's; a guide's MAJOR.MINOR label has its own, the code's too.
    const patterns = Object.values(common.$defs).flatMap((d) => (d.pattern?.startsWith('^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.') ? [d.pattern] : []));
    expect(patterns).toEqual([SEMVER.source]);
    expect(common.$defs['guideVersionLabel']?.pattern).toBe(GUIDE_VERSION_LABEL.source);
  });
});
