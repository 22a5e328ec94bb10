// `apply --prune PLANFILE` of a plan saved with prune off: the saved plan is what was reviewed,
// and a flag cannot change it. It was accepted with a note and applied without pruning (exit 0),
// so the user believed the deletes were made (Terraform/Argo review; Terraform refuses options
// that would change a saved plan too).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenario } from '../helpers/scenario.js';
import { closeAfterEach } from '../helpers/interrupt.js';

const closing = closeAfterEach();

describe('apply --prune of a plan saved with prune off', () => {
  it('is refused before anything is read, saying how to plan with prune; the same plan applies without the flag', async () => {
    const s = closing(await scenario());
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    // The last filter of the file removed from git: a pending delete while prune is off.
    const file = join(s.dir.path, 'prompts/safety-filters.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.lastIndexOf('\n---') + 1));
    const planned = await s.cli(['plan', '--out', 'plan.json']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('pending');

    const r = await s.cli(['apply', '--prune', 'plan.json', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'plan.json was planned with prune off, and --prune cannot change a saved plan: plan again with `promptctl plan --prune --out plan.json`, review it, then apply it with `promptctl apply --prune plan.json`; nothing was applied',
    );
    expect(r.stderr).not.toContain('still current');

    const plain = await s.cli(['apply', 'plan.json', '--auto-approve']);
    expect(plain.code, plain.stderr).toBe(0);
    // Its counts end in their own parentheses: not wrapped in a second pair ("…(prune is off))").
    expect(plain.stderr).toContain('plan.json: still current: 0 to create, 0 to update, 0 to delete, 1 pending delete (prune is off)\n');
    const drift = await s.cli(['plan', '--detailed-exitcode']);
    expect(drift.stdout).toContain('SafetyFilter/political-flagger');
  });
});
