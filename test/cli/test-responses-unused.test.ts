// `promptctl test` on a target other than the embedded emulator, from a new-user review: the tests'
// `responses:` answer nothing there (the target answers for itself), and the example's tests then
// failed with 'isJson: not JSON' and no word why. Said once before the run, and in each such test's notes.
import { afterEach, describe, expect, it } from 'vitest';
import { ANSWERS_TEST, evalsProject, ROUTED_TEST, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

describe('responses: against a target other than the embedded emulator', () => {
  it('says so once before the run, and in the notes of each test that has them, in every format', async () => {
    const withResponses = ANSWERS_TEST.replace('  cases:\n', '  responses:\n    - output: "Refunds take 5 working days."\n  cases:\n');
    p = await evalsProject({ 'answers.yaml': withResponses, 'routed.yaml': ROUTED_TEST });
    const line = 'note: 1 test defines responses:, which only the embedded emulator answers from; this target answers for itself';
    const note = 'its responses: are not used: only the embedded emulator answers from them, and this target answers for itself';
    const text = await p.cli(['test']);
    expect(text.stderr.split('\n').filter((l) => l.includes('responses:'))).toEqual([line]);
    expect(text.stdout).toContain(`PromptTest/faq-answers → faq-bot@1.1.0\n`);
    expect(text.stdout.split('\n').filter((l) => l.includes('responses:'))).toEqual([`  note: ${note}`]);
    const md = await p.cli(['test', '--format', 'markdown']);
    expect(md.stderr).toContain(line);
    expect(md.stdout).toContain(`_note: ${note}_`);
    const json = JSON.parse((await p.cli(['test', '--format', 'json'])).stdout);
    expect(json.tests.map((t: { notes: string[] }) => t.notes)).toEqual([[note], []]);
    expect((await p.cli(['test', '--format', 'junit'])).stdout).toContain(`<property name="note" value="${note}"/>`);
    // Without a responses: block, nothing to say.
    const none = await p.cli(['test', 'faq-routed']);
    expect(none.stderr + none.stdout).not.toContain('responses:');
  });
});
