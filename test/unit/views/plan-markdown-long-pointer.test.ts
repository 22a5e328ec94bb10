// The cut notes name where the whole plan is: outside GitHub Actions, the command that prints it,
// with every flag that shapes the plan, --dir spelled as given (a long absolute path in a deep
// checkout). The room kept for the note on resources left out was a fixed 300 characters, and the
// guard after it kept 80 for its own note, so a long pointer took a comment past 65,536 characters.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { MARKDOWN_CAP, renderMarkdown } from '../../../src/views/plan-markdown.js';
import { desiredState, liveAfterApply, opts, template, version } from '../plan/fixtures.js';

describe('a plan cut to one comment, with a long pointer to all of it', () => {
  it('stays within 65,536 characters, closes every block it shows and says how many it left out', () => {
    const text = (i: number, n: number) => Array.from({ length: n }, (_, j) => `Line ${j} of prompt ${i}, long enough to take room in the comment.`).join('\n') + '\n';
    const dir = '/home/runner/work/' + 'a-very-deep-checkout/'.repeat(20) + 'prompts';
    const more = `run \`promptctl plan --env staging --dir ${dir} --format json\` for all of it`;
    // The first prompt a line longer each time: the resources shown end at every distance from the cap.
    for (let extra = 0; extra < 48; extra++) {
      const tpls = Array.from({ length: 80 }, (_, i) => template(`t${String(i).padStart(2, '0')}`));
      const d = desiredState({ templates: tpls, versions: tpls.map((t, i) => version(t.name, '1.0.0', { systemInstruction: text(i, i === 0 ? 40 + extra : 40) })) });
      const md = renderMarkdown(buildPlan(d, liveAfterApply(desiredState()), opts()), { more });
      expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
      expect(md).not.toContain('comment cut at the size limit');
      expect(md).toMatch(/\n> … \d+ more resources not shown, all of them new; run `promptctl plan --env staging --dir \/home\/runner\/work\/[^\n]*for all of it\.\n/);
      expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    }
  });
});
