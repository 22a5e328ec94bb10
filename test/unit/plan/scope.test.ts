// `plan --changed-since`'s scope (plan/scope.ts): a changed config file plans everything, also
// when it is gone (deleted, or holding no Config any more), when the state has no config source.
import { describe, expect, it } from 'vitest';
import { changedScope } from '../../../src/plan/scope.js';
import { config, desiredState, template, version } from '../../helpers/desired.js';

const at = (file: string) => ({ file, line: 1, column: 1 });
const CONFIG = 'prompts/promptctl.yaml';

describe('changedScope', () => {
  const state = (withConfig: boolean) =>
    desiredState({
      templates: [template('a', { source: at('prompts/a.yaml') }), template('b', { source: at('prompts/b.yaml') })],
      versions: [version('a', '1.0.0', { source: at('prompts/a.yaml') })],
      config: withConfig ? config({ source: at(CONFIG) }) : config(),
    });

  it('plans what the changed files define, and what they reference', () => {
    expect(changedScope(state(true), ['prompts/a.yaml'], [], CONFIG)).toEqual(new Set(['PromptTemplate/a', 'PromptVersion/a@1.0.0']));
  });

  it('plans everything when the config file changed', () => {
    expect(changedScope(state(true), ['prompts/b.yaml', CONFIG], [], CONFIG)).toBeNull();
    expect(changedScope(state(true), [`./${CONFIG}`], [], CONFIG)).toBeNull();
  });

  it('plans everything when the config file was deleted, or holds no Config now: the state names no config source then', () => {
    expect(changedScope(state(false), ['prompts/b.yaml', CONFIG], [], CONFIG)).toBeNull();
    expect(changedScope(state(false), ['prompts/b.yaml'], [], CONFIG)).toEqual(new Set(['PromptTemplate/b']));
  });
});
