// Labels (metadata.labels): the keys promptctl writes itself are not the user's to set, the
// kinds whose live objects carry no labels would drop them without a word, and a value (or a
// filter's label selector) with a character a review cannot see, or written apart from a
// template's value that reads the same, matches nothing it looks like.
import type { Diagnostic } from '../model/diagnostic.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, PROMPTCTL_LABEL_PREFIX, type DesiredState, type Labels, type PromptTemplate, type SafetyFilter } from '../model/types.js';
import { describeRun } from './hidden-text.js';
import { invisibleIn } from './invisible.js';
import { diagnostic, locate, locatedField, where, type Located } from './util.js';
import { foldLookalikes, formNote, lookalikeNote } from '../util/lookalike.js';
import { filterCovers } from '../model/filters.js';

/** Where a label's value is, else the labels map, else the document. */
function labelAt(r: Located, key: string) {
  return r.locations[`metadata.labels.${key}`] ?? locate(r, 'metadata.labels');
}

/** Where a label's key is (the offending part when the key is refused), else where labelAt says. */
function labelKeyAt(r: Located & { keyLocations?: Located['locations'] }, key: string) {
  return r.keyLocations?.[`metadata.labels.${key}`] ?? labelAt(r, key);
}

export function checkLabels(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Sent with the object: a key promptctl owns would be replaced on every apply, unseen.
  for (const r of [...state.templates, ...state.filters]) {
    for (const key of Object.keys(r.labels)) {
      // The value promptctl sets itself changes nothing: only another one would be replaced.
      if (key === MANAGED_BY_LABEL && r.labels[key] !== MANAGED_BY_VALUE) {
        out.push(
          diagnostic(labelAt(r, key), 'error', 'labels/reserved', `label "${key}" is promptctl's own: it sets ${MANAGED_BY_LABEL}: promptctl on what it manages (prune deletes only what carries it), so this value would be replaced; remove it`),
        );
      } else if (key.startsWith(PROMPTCTL_LABEL_PREFIX)) {
        out.push(diagnostic(labelKeyAt(r, key), 'error', 'labels/reserved', `label "${key}" is promptctl's own (${PROMPTCTL_LABEL_PREFIX}commit names the source commit): labels under ${PROMPTCTL_LABEL_PREFIX} are not yours to set; remove it`));
      }
    }
  }
  // Never sent: the live objects of these kinds carry no labels.
  const labelTheTemplate = "a SafetyFilter's appliesTo.labels matches the template's labels: label the template";
  const why = {
    PromptVersion: `the gateway's versions carry none (${labelTheTemplate})`,
    TrafficSplit: `the gateway's traffic splits carry none (${labelTheTemplate})`,
    Guide: "AI Studio's guides carry none",
    SummarySetting: "AI Studio's summary settings carry none",
  } as const;
  for (const r of [...state.versions, ...state.splits, ...state.guides, ...state.summarySettings]) {
    // A split's model holds labels only when its document has some (nothing else reads them).
    if (Object.keys(r.labels ?? {}).length === 0) continue;
    out.push(diagnostic(locate(r, 'metadata.labels'), 'warning', 'labels/not-sent', `labels on a ${r.kind} are not sent: ${why[r.kind]}`));
  }
  out.push(...checkLabelText(state));
  out.push(...checkSelectorLookalikes(state));
  return out;
}

/**
 * A label's value and a filter's label selector are matched by their exact text: `billing` with a
 * zero-width space or a bidi control in it reads as `billing` in a review and matches no template
 * labelled so (a filter that guards nothing). What writing uses as written (invisible.ts: a
 * joiner in a Persian word) is left alone.
 */
function checkLabelText(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (r: PromptTemplate | SafetyFilter, at: string, what: string, labels: Labels | undefined): void => {
    for (const [key, value] of Object.entries(labels ?? {})) {
      const { findings, counts } = invisibleIn(value, 1);
      const first = findings[0];
      if (!first) continue;
      const total = Object.values(counts).reduce((n, c) => n + c, 0);
      const field = locatedField(r, `${at}.${key}`, `${what} "${key}"`, value);
      const more = total > 1 ? ` and ${total - 1} more run${total === 2 ? '' : 's'} of invisible characters` : '';
      out.push(
        diagnostic(field.at(first.index), 'error', 'labels/hidden-character',
          `${describeRun(first)}${more} in ${field.label}: a label matches by its exact text, so this value matches none that looks the same in a review; remove ${total > 1 || [...first.text].length > 1 ? 'them' : 'it'}`),
      );
    }
  };
  for (const r of [...state.templates, ...state.filters]) check(r, 'metadata.labels', 'label', r.labels);
  for (const f of state.filters) check(f, 'spec.appliesTo.labels', 'appliesTo.labels', f.appliesTo?.labels);
  return out;
}

/**
 * A filter's label selector that reads as a template's value of that label but is written apart
 * from it: another Unicode form (`é` as `e` + U+0301, as macOS and some editors write it, against
 * U+00E9) or a look-alike letter (a Cyrillic `а`). Labels match by their exact text, so the filter
 * does not cover the template a review sees it cover. Two ASCII values read alike only when they
 * are the same, so only non-ASCII text is folded (foldLookalikes returns ASCII as it is).
 */
function checkSelectorLookalikes(state: DesiredState): Diagnostic[] {
  const selectors = state.filters.flatMap((f) => Object.entries(f.appliesTo?.labels ?? {}).map(([key, value]) => ({ f, key, value })));
  if (selectors.length === 0) return [];
  const keys = [...new Set(selectors.map((s) => s.key))];
  // The templates' values of the keys the selectors name, by how they read (key and folded value), then as written.
  const byLook = new Map<string, Map<string, PromptTemplate[]>>();
  for (const t of state.templates) {
    for (const key of keys) {
      const value = t.labels[key];
      if (value === undefined) continue;
      const look = `${key}\u0000${foldLookalikes(value)}`;
      const written = byLook.get(look) ?? byLook.set(look, new Map()).get(look)!;
      const holders = written.get(value) ?? written.set(value, []).get(value)!;
      holders.push(t);
    }
  }
  const out: Diagnostic[] = [];
  for (const { f, key, value } of selectors) {
    for (const [written, holders] of byLook.get(`${key}\u0000${foldLookalikes(value)}`) ?? []) {
      // A character no one sees is labels/hidden-character's (an error already); a template the
      // filter covers anyway (by name), or kept to environments the filter is not, loses nothing.
      if (written === value || invisibleIn(value, 1).findings.length > 0 || invisibleIn(written, 1).findings.length > 0) continue;
      const missed = holders.filter((h) => !filterCovers(f.appliesTo, h.name, h.labels) && sharesEnvironment(f, h));
      const t = missed[0];
      if (!t) continue;
      const note = lookalikeNote(value) || lookalikeNote(written).replace('(it holds', '(that one holds') || formNote(value, written);
      const more = missed.length > 1 ? ` (and ${missed.length - 1} more template${missed.length === 2 ? '' : 's'})` : '';
      out.push(
        diagnostic(
          locate(f, `spec.appliesTo.labels.${key}`),
          'warning',
          'labels/lookalike',
          `appliesTo.labels "${key}" is "${value}", which looks the same as template "${t.name}"'s label ${key}: "${written}" at ${where(labelAt(t, key))}${more}${note}: a label matches by its exact text, so filter "${f.name}" does not cover it; write both alike`,
        ),
      );
    }
  }
  return out;
}

/** Whether two documents are kept to some environment in common (absent: every one). */
function sharesEnvironment(a: { environments?: string[] }, b: { environments?: string[] }): boolean {
  return !a.environments || !b.environments || a.environments.some((e) => b.environments!.includes(e));
}
