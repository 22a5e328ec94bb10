// The unchanged version's shortcut: two versions' content shown to be one canonical form field by
// field, without building either form. Most versions of a large org are unchanged noops, and
// building both canonical forms was the largest part of planning them.
import type { VersionContent, WireVariable } from '../../targets/llmgateway/wire.js';
import { sameLeaf } from '../canonical.js';

/**
 * True only when canonical(a) and canonical(b) are certainly one value (so their stable JSON and
 * content hash are one). False says only "not shown here": the caller then compares the canonical
 * forms, which decide. So anything unusual (text that normalising could make equal, variables in
 * another order, a value JSON writes otherwise) answers false.
 */
export function plainlySameContent(a: VersionContent, b: VersionContent): boolean {
  // Equal text normalises to equal text; unequal text may not stay unequal (CRLF), so it is left to the forms.
  if (!sameLeaf(a.systemInstruction, b.systemInstruction) || !sameLeaf(a.userTemplate, b.userTemplate)) return false;
  if (!sameLeaf(a.model ?? null, b.model ?? null)) return false;
  if (!sameLeaf(a.temperature ?? null, b.temperature ?? null) || !sameLeaf(a.maxTokens ?? null, b.maxTokens ?? null)) return false;
  const g = a.safetyGuardrails ?? {};
  const h = b.safetyGuardrails ?? {};
  // One object is one value (a listed version that took git's content shares the model's: PromptVersion/index.ts gitVersionContent).
  if (
    g !== h &&
    (!sameLeaf(g.piiFilter ?? true, h.piiFilter ?? true) ||
      !sameLeaf(g.jailbreakDetection ?? true, h.jailbreakDetection ?? true) ||
      !sameLeaf(g.outputModeration ?? true, h.outputModeration ?? true))
  ) {
    return false;
  }
  return sameExamples(a.fewShotExamples ?? [], b.fewShotExamples ?? []) && sameVariables(a.variables ?? [], b.variables ?? []);
}

function sameExamples(x: readonly { input: string; output: string }[], y: readonly { input: string; output: string }[]): boolean {
  // One array is one value whatever it holds (a version that took git's content shares the model's).
  if (x === y) return true;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const e = x[i];
    const f = y[i];
    if (e === undefined || f === undefined || e === null || f === null) return false;
    if (!sameLeaf(e.input, f.input) || !sameLeaf(e.output, f.output)) return false;
  }
  return true;
}

/**
 * Variables pair up by position: the same names in the same order, each variable's fields one
 * value. The form is made from that sequence alone, so it is one form (a name given twice too).
 */
function sameVariables(x: readonly WireVariable[], y: readonly WireVariable[]): boolean {
  if (x === y) return true;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const w = y[i];
    if (v === undefined || w === undefined || v === null || w === null || typeof v.name !== 'string' || v.name !== w.name) return false;
    if (!sameVariable(v, w)) return false;
  }
  return true;
}

function sameVariable(v: WireVariable, w: WireVariable): boolean {
  return (
    sameLeaf(v.type, w.type) &&
    sameLeaf(v.required ?? true, w.required ?? true) &&
    sameLeaf(v.default ?? null, w.default ?? null) &&
    sameLeaf(v.description ?? null, w.description ?? null) &&
    sameLeaf(v.maxLength ?? null, w.maxLength ?? null) &&
    sameLeaf(v.maxTokens ?? null, w.maxTokens ?? null) &&
    sameValues(v.values, w.values)
  );
}

/** A variable's enum values in order; absent (or any falsy value) is null in the form. */
function sameValues(x: WireVariable['values'] | null, y: WireVariable['values'] | null): boolean {
  if (!x || !y) return !x && !y;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!sameLeaf(x[i], y[i])) return false;
  return true;
}
