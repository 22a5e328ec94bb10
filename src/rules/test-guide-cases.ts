// A PromptTest case against a guide, beyond its vars (test-vars.ts), for tests.ts: it sends the
// guide text, and asserts nothing a guide turn cannot show (a cost; the LLM Gateway's safety
// filters and traffic splits). The assertions are said for tests that failed the schema elsewhere
// too (their messages are not read there, so not their input).
import type { PromptTest, TestCase } from '../model/types.js';
import type { Err } from './test-vars.js';
import { locate } from './util.js';

/** A guide case sends the guide text: a user message at least (a turn is the user's). */
export function checkGuideInput(t: PromptTest, c: TestCase, i: number, err: Err): void {
  if (c.messages.some((m) => m.role === 'user')) return;
  err(
    t.locations[`spec.cases.${i}.messages`] ?? locate(t, `spec.cases.${i}.name`),
    'tests/guide-input',
    `case "${c.name}" sends the guide nothing: a guide is tested by sending it text, so add messages: [{role: user, content: …}]`,
  );
}

/**
 * A guide case asserts nothing a guide turn cannot show. Of a test that failed the schema, the
 * assertions it holds are those the schema found well-formed (load/partial.ts).
 */
export function checkGuideAssertions(t: PromptTest, c: TestCase, err: Err): void {
  c.expect.forEach((a) => {
    if (a.type === 'maxCostUsd') {
      err(locate(t, a.path), 'tests/assertion-target', 'maxCostUsd cannot hold for a guide: a guide turn reports no cost, so the assertion can only fail; test cost on a template target');
      return;
    }
    if (a.type !== 'blockedBy' && a.type !== 'redacts' && a.type !== 'routedTo') return;
    err(
      locate(t, a.path),
      'tests/assertion-target',
      `${a.type} is about the LLM Gateway (safety filters, traffic splits) and cannot hold for a guide; test it on a template target`,
    );
  });
}
