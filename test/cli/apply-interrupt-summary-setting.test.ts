// Ctrl-C while a SummarySetting update's guard read is in flight (DESIGN §5): the setting is read
// right before its PUT (the guard: there is no integer version), and an interrupt that arrives
// during that read must still stop the PUT. The interrupt is injected in-process the moment the held request reaches a proxy in
// front of the emulator, which then lets it through.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeAfterEach, interruptedApply, interruptingProxy } from '../helpers/interrupt.js';
import { promptSummarySetting } from '../helpers/documents.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

const SETTING = promptSummarySetting('Interrupted wrap-up');

describe('a SummarySetting update interrupted during the read before its PUT', () => {
  it('starts no PUT after the interrupt (the read before the PUT is a call of its own)', async () => {
    const s = closing(await scenario());
    await writeFile(join(s.dir.path, 'prompts/setting.yaml'), SETTING);
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await writeFile(join(s.dir.path, 'prompts/setting.yaml'), SETTING.replace('format: BulletPoints', 'format: TextBlock'));
    // The kind reads the setting (its guard), then PUTs: the interrupt arrives while that read is in flight.
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'GET' && /\/conversations\/summaries\/settings\/[^/]+$/.test(p)));

    // No write may start after the first interrupt.
    await interruptedApply(s, proxy);
  });
});
