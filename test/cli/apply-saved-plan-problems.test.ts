// `apply PLANFILE` of a plan saved with problems: apply keeps the saved plan's problems (a file must
// not lose a refusal), so such a plan can never be applied. It still read the target, said
// "plan.json: still current" and only then refused with the saved problem, even after git was
// fixed, and never said to plan again. It is now refused before the target is read, naming the
// problems and the plan command to run.
import { describe, expect, it } from 'vitest';
import { scenario } from '../helpers/scenario.js';
import { closeAfterEach } from '../helpers/interrupt.js';

const closing = closeAfterEach();
const FILE = 'prompts/billing/billing-assistant.yaml';

describe('apply of a plan saved with problems', () => {
  it('is refused at once, naming the problems and how to plan again; nothing is read or applied', async () => {
    const s = closing(await scenario());
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    // A published version edited in git: the plan holds an immutable-version problem.
    await s.edit(FILE, 'Never reveal another customer', 'Never, ever reveal another customer');
    const planned = await s.cli(['plan', '--out', 'plan.json']);
    expect(planned.stdout + planned.stderr).toMatch(/immutable/i);
    // Git is fixed since; the saved plan still holds the problem.
    await s.edit(FILE, 'Never, ever reveal another customer', 'Never reveal another customer');
    const r = await s.cli(['apply', 'plan.json', '--auto-approve']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/still current/);
    // Listed as it stood when the plan was saved, not as an error of now: git is fixed since.
    expect(r.stderr).toMatch(/^plan\.json was saved at \d{4}-\d\d-\d\d \d\d:\d\d UTC with this problem, as it stood then:\n {2}PromptVersion\/billing-assistant@1\.0\.0 is published and immutable, .*\[immutable-version\]$/m);
    expect(r.stderr).not.toMatch(/^error: PromptVersion/m);
    expect(r.stderr).toMatch(/^error: plan\.json was saved with 1 problem \(listed above\), and a plan with problems is never applied: fix what still stands, then run `promptctl plan --out plan\.json` again and review the new plan; nothing was applied$/m);
  });
});
