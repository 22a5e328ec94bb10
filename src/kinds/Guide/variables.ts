// A Guide variable between the model, the wire and the canonical form: its type, scope and
// description, and the settings the SDK gives it (validation, listValues, a List's item variables,
// customConversationAttributes), each counted only when set, so that a guide without them has the
// form it always had. Also what of a live variable git cannot hold (an attribute schema's members
// beyond its id), for export's warning. index.ts maps a version's variables through these.
import type { GuideVariable } from '../../model/types.js';
import type { GuideVariable as WireGuideVariable } from '../../targets/aistudio/wire.js';
import { optionalText, type Canonical, type CanonicalValue } from '../canonical.js';

/** Absent, null, {} and []: a variable setting that is not set. */
function unset(x: unknown): boolean {
  return x === undefined || x === null || (typeof x === 'object' && Object.keys(x).length === 0);
}

/** A JSON value as canonical data (a copy: an own `__proto__` key stays a member). */
function jsonCanonical(x: unknown): CanonicalValue {
  return JSON.parse(JSON.stringify(x)) as CanonicalValue;
}

/**
 * A variable's form: type, scope and description, and each setting that is set. validation and
 * listValues are opaque JSON objects (the SDK gives them no members) compared exactly; a List's
 * item variables are variables, in their order; an attribute's schema is its id (its selfUri is the
 * server's link, not content).
 */
export function variableCanonical(v: WireGuideVariable): Canonical {
  const out: Canonical = { type: v.type, scope: v.scope, description: optionalText(v.description) };
  if (!unset(v.validation)) out['validation'] = jsonCanonical(v.validation);
  if (!unset(v.listValues)) out['listValues'] = jsonCanonical(v.listValues);
  if (!unset(v.listVariables)) out['listVariables'] = (v.listVariables ?? []).map((x) => ({ name: x.name, ...variableCanonical(x) }));
  if (!unset(v.customConversationAttributes)) {
    out['customConversationAttributes'] = (v.customConversationAttributes ?? []).map((a) => {
      const { selfUri: _link, ...schema } = a.schema ?? { id: '' };
      return { attributeName: a.attributeName, schema: jsonCanonical(schema) };
    });
  }
  return out;
}

/** A variable as sent: every setting the document holds, as written. */
export function variableToWire(v: GuideVariable): WireGuideVariable {
  const out: WireGuideVariable = { name: v.name, type: v.type, scope: v.scope };
  if (v.description !== undefined) out.description = v.description;
  if (v.validation !== undefined) out.validation = v.validation;
  if (v.listValues !== undefined) out.listValues = v.listValues;
  if (v.listVariables !== undefined) out.listVariables = v.listVariables.map(variableToWire);
  if (v.customConversationAttributes !== undefined) {
    out.customConversationAttributes = v.customConversationAttributes.map((a) => ({ attributeName: a.attributeName, schema: { ...a.schema } }));
  }
  return out;
}

/** A live variable as the model: the settings that are set (as the canonical form counts them). */
export function variableFromWire(x: WireGuideVariable): GuideVariable {
  const out: GuideVariable = { name: x.name, type: x.type, scope: x.scope };
  if (x.description) out.description = x.description;
  if (!unset(x.validation)) out.validation = jsonCanonical(x.validation) as NonNullable<GuideVariable['validation']>;
  if (!unset(x.listValues)) out.listValues = jsonCanonical(x.listValues) as NonNullable<GuideVariable['listValues']>;
  if (!unset(x.listVariables)) out.listVariables = (x.listVariables ?? []).map(variableFromWire);
  if (!unset(x.customConversationAttributes)) {
    // The schema's selfUri is the server's link: left out, as the canonical form leaves it out.
    out.customConversationAttributes = (x.customConversationAttributes ?? []).map((a) => ({ attributeName: a.attributeName, schema: { id: a.schema?.id ?? '' } }));
  }
  return out;
}

/** What of live variables the YAML cannot hold, by path (for index.ts `unexpressed`: export warns). */
export function unexpressedVariables(variables: readonly WireGuideVariable[] | undefined): string[] {
  const out: string[] = [];
  const attributes = (vars: readonly WireGuideVariable[] | undefined, path: string): void => {
    for (const x of vars ?? []) {
      // An attribute schema's members other than its id (and link) are not in the SDK: git cannot hold them.
      for (const a of x.customConversationAttributes ?? []) {
        const extra = Object.keys(a.schema ?? {}).filter((k) => k !== 'id' && k !== 'selfUri');
        if (extra.length > 0) out.push(`${path}.${x.name}.customConversationAttributes (${a.attributeName}: schema ${extra.join(', ')})`);
      }
      attributes(x.listVariables, `${path}.${x.name}.listVariables`);
    }
  };
  attributes(variables, 'variables');
  return out;
}
