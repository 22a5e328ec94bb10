// One reading of a guide's `{{Action.<label>}}` calls for the rules and the emulator: the emulator
// read `{{ Action. X }}` as a call of " X" (refused unless declared so) where the rules read it as
// a malformed placeholder, so validate and the publish disagreed.
import { describe, expect, it } from 'vitest';
import { actionCalls, actionLabel } from '../../../src/util/guide-action-calls.js';
import { findGuideActions } from '../../../src/rules/placeholders.js';

describe('guide action calls', () => {
  it('reads a label (spaces inside it too), and nothing else, as a call', () => {
    expect(actionCalls('Call {{Action.Get order status}} then {{ Action.Refund }}, {{Variable.x}}.')).toEqual([
      { label: 'Get order status', index: 5 },
      { label: 'Refund', index: 38 },
    ]);
    for (const inner of ['Action.', 'Action. X', 'action.X', 'Actions.X', 'Variable.Action']) expect(actionLabel(inner), inner).toBeUndefined();
  });

  it('is the rules\' reading: a guide\'s calls are the emulator\'s', () => {
    const text = 'A {{ Action. X }} B {{Action.Y }} C {{Action.Z}}';
    const guide = { instruction: text } as Parameters<typeof findGuideActions>[0];
    expect(actionCalls(text).map((c) => c.label)).toEqual(['Y', 'Z']);
    expect(findGuideActions({ ...guide, variables: [], dataActions: [], source: { file: 'g.yaml', line: 1, column: 1 }, locations: {} } as never).map((a) => a.label)).toEqual(['Y', 'Z']);
  });
});
