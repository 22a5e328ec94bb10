// A guide calls its data actions as {{Action.<label>}} (the SDK's DataAction.label: "The label of
// the GC data action as referenced in the guide instruction"; the Genesys Terraform provider's
// guide_version test: "Call {{Action.TestDataAction}}", refused at publish with "There are invalid
// data actions in the version" when no data action has that label). Such a call is not a
// variable reference: it is checked against spec.dataActions, never rewritten as a variable.
import { describe, expect, it } from 'vitest';
import { checkGuidePlaceholders } from '../../../src/rules/placeholders.js';
import { runTextRules } from '../../../src/rules/index.js';
import { guide, guideVariable } from './build.js';

const action = (label: string) => ({ id: 'custom_-_6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f', label });

describe('guide data action calls ({{Action.<label>}})', () => {
  it('a call of a declared data action is neither malformed nor a misspelt variable', () => {
    const g = guide('Orders', {
      instruction: 'Store it in {{Variable.orderId}}.\nCall {{Action.OrderId}}, then {{ Action.Get order status }}.',
      variables: [guideVariable('orderId', { scope: 'InputAndOutput' })],
      dataActions: [action('OrderId'), action('Get order status')],
    });
    expect(checkGuidePlaceholders(g, { unused: true })).toEqual([]);
  });

  it('a call of a data action the guide does not declare is an error where it is, with a did-you-mean', () => {
    const g = guide('Orders', {
      instruction: 'Help.\nCall {{Action.Get order stats}} and {{Action.Get order stats}} again.',
      dataActions: [action('Get order status')],
    });
    expect(checkGuidePlaceholders(g, { unused: true })).toEqual([
      {
        file: 'guide.yaml',
        line: 501,
        column: 10,
        severity: 'error',
        rule: 'placeholders/undeclared-action',
        message:
          '{{Action.Get order stats}} in instruction calls no data action declared under spec.dataActions (did you mean "Get order status"?); ' +
          'Genesys refuses to publish a version that calls one it does not have: declare it with that label',
      },
    ]);
  });

  it('a guide read for its text alone (its data actions unknown) is not judged on its calls', () => {
    const g = guide('Orders', { instruction: 'Call {{Action.Lookup}}.' });
    expect(runTextRules([], [], { guides: [{ guide: g, variablesKnown: true, allTextKnown: true }] }).map((d) => d.rule)).toEqual([]);
  });
});
