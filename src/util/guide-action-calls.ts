// A guide instruction's data action calls, `{{Action.<label>}}` (the SDK's DataAction.label: "The
// label of the GC data action as referenced in the guide instruction"; the Genesys Terraform
// provider's guide_version test writes "Call {{Action.TestDataAction}}"). One reading for the
// rules, which check each call against the guide's declared data actions, and for the emulator,
// which refuses to publish a version that calls one it does not declare: the two cannot disagree.

/** A placeholder: `{{`, up to 200 characters without braces, `}}` (as the rules read them). */
const PLACEHOLDER = /\{\{([^{}]{0,200})\}\}/g;
/** Labels may hold spaces inside, not at either end: `{{Action. X}}` is no call. */
const CALL = /^Action\.(\S(?:.*\S)?)$/s;

/** The label a placeholder's text (between `{{` and `}}`) calls, or undefined when it is no call. */
export function actionLabel(inner: string): string | undefined {
  return CALL.exec(inner.trim())?.[1];
}

/** Every call in `text`, in order, with the index of its `{{`. */
export function actionCalls(text: string): { label: string; index: number }[] {
  const out: { label: string; index: number }[] = [];
  for (const m of text.matchAll(new RegExp(PLACEHOLDER.source, 'g'))) {
    const label = actionLabel(m[1]!);
    if (label !== undefined) out.push({ label, index: m.index });
  }
  return out;
}
