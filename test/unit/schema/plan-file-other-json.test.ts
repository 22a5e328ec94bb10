// A JSON file that is no plan at all (`{}`, a package.json, a list) is said to be none in one line,
// not as a diagnostic for each field a plan has (`show bad.json` printed eleven; UX review). A
// plan that has its formatVersion is still checked field by field.
import { describe, expect, it } from 'vitest';
import { checkPlanFile } from '../../../src/schema/plan-file.js';

describe('checkPlanFile of JSON that is not a plan', () => {
  it('says so once, at 1:1, naming how to make a plan', () => {
    for (const text of ['{}', '{"name": "my-package", "version": "1.0.0"}', '[1, 2]', '"plan"']) {
      const checked = checkPlanFile(text, 'bad.json');
      expect(checked.ok, text).toBe(false);
      if (checked.ok) continue;
      expect(checked.diagnostics, text).toEqual([
        { file: 'bad.json', line: 1, column: 1, severity: 'error', rule: 'plan/schema', message: 'not a promptctl plan: it has no formatVersion (`promptctl plan --out FILE` writes one)' },
      ]);
    }
  });

  it('still names each problem of a file that says it is a plan', () => {
    const checked = checkPlanFile('{"formatVersion": 1}', 'plan.json');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.diagnostics.length).toBeGreaterThan(1);
  });

  // `"formatVersion": "2"` (a tool or a hand edit writing it as text) was told 'plan format version
  // "2" is not supported (this promptctl reads version 2)': the version it reads, refused.
  it('says a formatVersion of another type is not a number, rather than an unsupported version', () => {
    for (const [text, value] of [['{"formatVersion": "2"}', '"2"'], ['{"formatVersion": null}', 'null']] as const) {
      const checked = checkPlanFile(text, 'plan.json');
      expect(checked.ok, text).toBe(false);
      if (checked.ok) continue;
      const at = checked.diagnostics.filter((d) => /format ?version/i.test(d.message));
      expect(at.map((d) => d.message), text).toEqual([`formatVersion must be the number 2, not ${value} (\`promptctl plan --out FILE\` writes it so); run plan again`]);
    }
    const checked = checkPlanFile('{"formatVersion": 1}', 'plan.json');
    if (!checked.ok) expect(checked.diagnostics.map((d) => d.message)).toContain('plan format version 1 is not supported (this promptctl reads version 2); run plan again');
  });

  // A hand-edited action or kind was told 'must be equal to one of the allowed values', naming none.
  it('names the allowed values of a field that has a set of them', () => {
    const checked = checkPlanFile('{"formatVersion": 2, "actions": [{"action": "nope", "kind": "Safety"}]}', 'plan.json');
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const messages = checked.diagnostics.map((d) => d.message);
    expect(messages).toContain('actions[0].action: must be one of "create", "update", "delete", "noop", not "nope"');
    expect(messages.find((m) => m.startsWith('actions[0].kind:'))).toMatch(/^actions\[0\]\.kind: must be one of "PromptTemplate", .*"SafetyFilter".*, not "Safety"$/);
  });

  // `plan --format json | promptctl show -` after the plan failed: the error it wrote was called a JSON without formatVersion.
  it('says the error document of a failed --format json command is one, quoting its error', () => {
    const text = JSON.stringify({ error: 'the prompts are invalid: 1 problem', diagnostics: [] }, null, 2);
    const checked = checkPlanFile(text, 'stdin', { piped: true });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.diagnostics).toEqual([
      { file: 'stdin', line: 2, column: 12, severity: 'error', rule: 'plan/schema', message: 'not a promptctl plan but the error document of a --format json command that failed: the prompts are invalid: 1 problem' },
    ]);
  });
});
