// The fields an if/then of the schemas asks for (a sticky split's stickyKey, an enum variable's
// values, an External summary setting's integrationId, a test target's template): which of them
// a document is whole without, so the loader keeps checking it, and how a missing one is said,
// at the field that asks for it.
import type { ErrorObject } from 'ajv';
import { isScalar } from 'yaml';
import { findNode, type DocContext } from '../config/nodes.js';
import { clip } from './messages.js';

/** A missing field an if/then asks for: its rule, the field that asks (where it is reported), its words. */
export interface ConditionalField {
  rule: string;
  because?: string;
  message: (ctx: DocContext, segs: string[]) => string;
}

/** Whether an error's schema path is an if/then's (or else's) `required`. */
const CONDITIONAL_PATH = /\/(then|else)\/required$/;

/**
 * Whether every error is a field an if/then asks for (a sticky split's stickyKey, an enum
 * variable's values: WHOLE_WITHOUT) or the if/then asking: the document is whole
 * otherwise, so the loader keeps it and its other checks run in the same pass (one run reports
 * every problem); the error itself still stops plan and apply.
 */
export function onlyConditionalFields(errors: readonly ErrorObject[]): boolean {
  return (
    errors.length > 0 &&
    errors.some((e) => e.keyword === 'required') &&
    errors.every(
      (e) =>
        e.keyword === 'if' ||
        (e.keyword === 'required' && CONDITIONAL_PATH.test(e.schemaPath) && WHOLE_WITHOUT.has(String((e.params as { missingProperty?: unknown }).missingProperty))),
    )
  );
}

/** The if/then field `missing` is, when the `required` at `schemaPath` is an if/then's; undefined for any other. */
export function conditionalRequired(schemaPath: string, missing: string): ConditionalField | undefined {
  return CONDITIONAL_PATH.test(schemaPath) ? CONDITIONAL_REQUIRED[missing] : undefined;
}

/**
 * The if/then-required fields a document is whole without (a setting, not what the document is
 * about): a PromptTest without its target template is not (its model would name no template).
 */
const WHOLE_WITHOUT: ReadonlySet<string> = new Set(['stickyKey', 'values', 'integrationId']);

/** Missing properties whose requirement comes from an if/then, with a message that says why. */
const CONDITIONAL_REQUIRED: Record<string, ConditionalField> = {
  stickyKey: {
    rule: 'traffic/sticky-key',
    because: 'strategy', // reported at `strategy: sticky`, the line that asks for it
    message: () => 'strategy sticky needs a stickyKey (the request attribute that pins each caller to one route)',
  },
  values: {
    rule: 'variables/enum-values',
    because: 'type',
    message: (ctx, segs) => {
      const name = findNode(ctx, [...segs, 'name']).node;
      const label = isScalar(name) ? ` "${clip(String(name.value))}"` : '';
      return `variable${label} has type enum but no values: list the allowed values under values:`;
    },
  },
  integrationId: {
    rule: 'summaries/integration-required',
    because: 'serviceType',
    message: () => 'serviceType External needs an integrationId (the integration of the external summarisation service)',
  },
  template: {
    rule: 'tests/target',
    message: () => 'target names what the cases call: {template: name} (with an optional version) or {guide: name}',
  },
};
