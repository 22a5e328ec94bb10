// kinds/as-in-git.ts: which published versions the target holds with other content than git's
// (the guide's side is covered end to end by test/cli/prompt-test-not-live.test.ts).
import { describe, expect, it } from 'vitest';
import { versionsNotAsInGit } from '../../../src/kinds/as-in-git.js';
import { toWire } from '../../../src/kinds/PromptVersion/index.js';
import type { PromptVersion } from '../../../src/model/types.js';
import type { WireTemplate, WireVersion } from '../../../src/targets/llmgateway/wire.js';
import * as d from '../../helpers/desired.js';

const live = (v: PromptVersion, state: WireVersion['state'], over: Partial<WireVersion> = {}) => ({ ...toWire(v), state, ...over }) as unknown as WireVersion;
const template = (name: string, versions: WireVersion[]) => ({ name, versions }) as unknown as WireTemplate;

describe('versionsNotAsInGit', () => {
  const same = d.version('a', '1.0.0');
  const edited = d.version('a', '1.1.0');
  const state = d.desiredState({ templates: [d.template('a'), d.template('b')], versions: [same, edited, d.version('b', '1.0.0')] });
  const changed = { systemInstruction: 'Someone edited this by hand.' };

  it('names the published versions of the tested templates whose content is not git\'s', () => {
    const templates = [
      template('a', [live(same, 'Published'), live(edited, 'Published', changed), live(d.version('a', '9.0.0'), 'Published', changed)]),
      template('b', [live(d.version('b', '1.0.0'), 'Published', changed)]),
    ];
    expect([...versionsNotAsInGit(state, templates, new Set(['a']))]).toEqual(['a@1.1.0']);
    expect([...versionsNotAsInGit(state, templates, new Set(['a', 'b']))]).toEqual(['a@1.1.0', 'b@1.0.0']);
  });

  it('leaves drafts alone: the next apply writes them', () => {
    expect(versionsNotAsInGit(state, [template('a', [live(edited, 'Draft', changed)])], new Set(['a'])).size).toBe(0);
  });
});
