// The plan as its file holds it: the run's secrets masked, sealed over the masked content, and
// compared with a fresh plan masked the same way (apply/stale.ts).
import { describe, expect, it } from 'vitest';
import { staleReasons } from '../../../src/apply/stale.js';
import { buildPlan } from '../../../src/plan/build.js';
import { maskedPlan, sealedPlan } from '../../../src/plan/file.js';
import { checkPlanFile } from '../../../src/schema/plan-file.js';
import { maskSecrets } from '../../../src/util/secrets.js';
import { withEscapedForms } from '../../../src/util/secret-forms.js';
import { renderJson } from '../../../src/views/plan-json.js';
import { liveAfterApply, opts, sampleDesired, template } from './fixtures.js';

const SECRET = 'tok-9f8e7d6c5b4a';
const forms = withEscapedForms([{ name: 'MY_API_TOKEN', value: SECRET }]);
const mask = (text: string) => maskSecrets(text, forms);

/** A live template description holding the secret, which git changes (an update shows it as before). */
function liveHoldsIt() {
  const d = sampleDesired();
  const live = liveAfterApply(d);
  live.templates[0]!.description = `pasted ${SECRET} by hand`;
  return { d, live };
}

describe('maskedPlan', () => {
  it('masks live content, reseals, and the file passes its schema and seal', () => {
    const { d, live } = liveHoldsIt();
    const plan = buildPlan(d, live, opts());
    expect(renderJson(plan)).toContain(SECRET);
    const saved = maskedPlan(plan, mask);
    const text = renderJson(saved);
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[redacted: MY_API_TOKEN]');
    expect(saved.fingerprint).not.toBe(plan.fingerprint);
    const checked = checkPlanFile(text, 'plan.json');
    expect(checked.ok).toBe(true);
    expect(() => sealedPlan(checked.ok ? checked.data : null, 'plan.json')).not.toThrow();
    // A fresh plan masked the same way agrees with it, and so does one not masked (a run without
    // the secret set): the live content it masks differs by the masks alone.
    const fresh = buildPlan(d, live, opts({ id: 'again' }));
    expect(staleReasons(saved, fresh, maskedPlan(fresh, mask))).toEqual([]);
    expect(staleReasons(saved, fresh)).toEqual([]);
  });

  it('leaves a plan without a secret as it is, fingerprint and all', () => {
    const d = sampleDesired();
    const plan = buildPlan(d, liveAfterApply(d), opts());
    expect(maskedPlan(plan, mask)).toBe(plan);
  });

  it('makes the stale check refuse a body apply would send that holds a secret, naming it', () => {
    const { d, live } = liveHoldsIt();
    d.templates[0] = template(d.templates[0]!.name, { description: `sent ${SECRET}` });
    const saved = maskedPlan(buildPlan(d, live, opts()), mask);
    const fresh = buildPlan(d, live, opts({ id: 'again' }));
    const reasons = staleReasons(saved, fresh, maskedPlan(fresh, mask));
    expect(reasons).toEqual([
      {
        address: `PromptTemplate/${d.templates[0]!.name}`,
        message: 'what apply would send holds the value of MY_API_TOKEN, which a plan file masks: the file cannot show what apply would send',
        secret: true,
      },
    ]);
    // Where the secret is not known, the fresh plan shows the value the file masks: named as such.
    const elsewhere = staleReasons(saved, fresh);
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.message).toMatch(/^the desired content differs from the plan \(the files changed since it was saved, or the plan file was edited\); the plan file masks MY_API_TOKEN there, which this environment does not hold as a secret/);
    expect(elsewhere[0]!.secret).toBeUndefined();
  });
});
