// A client without AI Studio rights on a real org (no LLM Gateway: 404) had export fail with the
// bare API error ("GET /api/v2/guides failed: 403 …"), and where one surface was refused the warning
// said only "a client that has the rights": neither named the right to grant, as plan does.
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/server.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

async function exportFrom(opts: EmulatorOptions) {
  emu = await startTestEmulator(opts);
  dir = await tempDir('promptctl-export-refused-');
  return runCliInProcess(['export', '--out', 'adopted'], { cwd: dir.path, env: emu.env });
}

describe('export refused by the org', () => {
  it('names the rights each refused listing needs when nothing could be read, and writes nothing', { timeout: 60_000 }, async () => {
    const r = await exportFrom({ surfaces: { llmgateway: false, guides: true, summarysettings: true }, refuse: { aistudio: 403 } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('note: the target refused to list its AI Studio guides (403 missing.any.permissions): give the OAuth client aiStudio:guide:view, and export again');
    expect(r.stderr).toContain('note: the target refused to list its AI Studio summary settings (403 missing.any.permissions): give the OAuth client aiStudio:summaryConfig:view, and export again');
    expect(r.stderr).toMatch(/^error: GET \/api\/v2\/guides failed: 403/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(dir!.path)).toEqual([]);
  });

  it('names the right in the warning when one surface is refused', { timeout: 60_000 }, async () => {
    const r = await exportFrom({ refuse: { guides: 403 } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: the target refused to list its AI Studio guides (403 missing.any.permissions): no Guide documents were exported; give the OAuth client aiStudio:guide:view, and export again to include them');
  });

  it('says a 5xx listing is how an org with the feature switched off answers, not a matter of rights', { timeout: 60_000 }, async () => {
    const r = await exportFrom({ refuse: { summarysettings: 500 } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: the target refused to list its AI Studio summary settings \(500[^)]*\): no SummarySetting documents were exported; an org answers so where the feature is switched off \(or its server failed this once\): switch it on, or export again later to include them/);
  });
});
