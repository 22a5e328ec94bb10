// All semantic rules over the desired state. Pure: the same state gives the same diagnostics.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { checkFilters } from './filters.js';
import { checkInjection } from './injection.js';
import { checkNames } from './names.js';
import { checkPii } from './pii.js';
import { checkPlaceholders } from './placeholders.js';
import { checkReferences } from './references.js';
import { checkSecrets } from './secrets.js';
import { checkTraffic } from './traffic.js';
import { checkVariables } from './variables.js';
import type { RuleContext } from './util.js';

export type { RuleContext } from './util.js';

export function runRules(state: DesiredState, ctx: RuleContext = {}): Diagnostic[] {
  return [
    ...checkNames(state),
    ...checkReferences(state, ctx),
    ...checkVariables(state),
    ...checkPlaceholders(state),
    ...checkTraffic(state, ctx),
    ...checkFilters(state),
    ...checkInjection(state),
    ...checkSecrets(state),
    ...checkPii(state),
  ];
}
