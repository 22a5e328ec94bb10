// Prompt-injection phrases and chat-format control tokens in the prompt text. A template that
// carries them can override its own system instruction; they are errors. A defence that mentions
// an attack (quoted, or reported: "if the user asks you to ignore previous instructions") is not one.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { collapseWhitespace } from '../util/escapes.js';
import { instructionFindings, JAILBREAK_MODE, S } from './injection-mentions.js';
import { withoutInvisible } from './invisible.js';
import { allPromptFields, findingDiagnostics, scanner, variableDefaultFields, type NamedPattern, type PatternFinding } from './util.js';

/** Not after a negation: "never reveal the system prompt" is a defence, not an attack. */
const NOT_NEGATED = `(?<!(?:\\bnot|\\bnever|\\bno|\\bnor|n't|n’t)${S})`;

/**
 * "Developer mode" is also a setting of phones, browsers and routers (iOS calls it that): a
 * support prompt says "if the customer asks how to turn on developer mode on their phone". Said
 * of someone's device (their, the, a … phone), it is that setting, not a mode of the model; of
 * "your" or "this" device it may well be addressed to the model, and stays a finding.
 */
const DEVICE_AFTER = new RegExp(
  String.raw`^${S}(?:on|in|of|for)${S}(?:the|their|his|her|a|an|the${S}customer['’]s|the${S}caller['’]s)${S}(?:[\p{L}\p{N}-]{1,20}${S}){0,2}(?:phones?|smartphones?|iphones?|ipads?|android|devices?|tablets?|routers?|modems?|tvs?|consoles?|browsers?|chrome|laptops?|computers?|watch|watches|settings)\b`,
  'iu',
);
const aDeviceSetting = (m: RegExpExecArray): boolean =>
  /^developer/i.test(m[0]) && DEVICE_AFTER.test(m.input.slice(m.index + m[0].length, m.index + m[0].length + 120));

/**
 * "Ignore earlier messages from the IVR", "ignore the previous messages that are greetings": a
 * summary or reply prompt leaving out some of the conversation it is given, not the model's own
 * instructions. Only earlier messages or context (not "system" ones: those are the model's own),
 * and only when what follows says which of them; bare
 * ("ignore all previous messages.") or followed by "and", it stays a finding.
 */
const QUALIFIED_AFTER = new RegExp(`^${S}(?:from|by|of|that|which|sent|in|about|where|with)\\b`, 'i');
const someOfTheConversation = (m: RegExpExecArray): boolean =>
  /(?:previous|prior|preceding|earlier|former)\s{1,5}(?:messages?|context)$/i.test(m[0]) && QUALIFIED_AFTER.test(m.input.slice(m.index + m[0].length, m.index + m[0].length + 20));

/** Phrases that try to cancel earlier instructions or unlock the model. */
export const INJECTION_PHRASES: readonly NamedPattern[] = [
  {
    name: 'override of earlier instructions',
    re: new RegExp(
      `${NOT_NEGATED}\\b(?:ignore|disregard|forget|override|bypass)${S}(?:(?:all|any|the|your|of|these|those|every)${S}){0,3}(?:previous|prior|preceding|above|earlier|former|original|system|existing)${S}(?:instructions?|prompts?|rules|directions|directives|guidelines|messages?|context|commands?|guardrails)\\b`,
      'i',
    ),
    accept: (m) => !someOfTheConversation(m),
  },
  { name: 'override of earlier instructions', re: new RegExp(`${NOT_NEGATED}\\b(?:ignore|disregard|forget)${S}(?:(?:all|everything|the)${S}){0,2}(?:above|before)\\b`, 'i') },
  {
    // "the original message" is the customer's (a translation or reply prompt shows it); the
    // original prompt or instructions are the model's own.
    name: 'system-prompt extraction',
    re: new RegExp(
      `${NOT_NEGATED}\\b(?:reveal|print|show|output|repeat|leak|disclose)${S}(?:me${S})?(?:your|the)${S}(?:(?:system|hidden|secret)${S}(?:prompt|instructions|message)|(?:initial|original)${S}(?:prompt|instructions))\\b`,
      'i',
    ),
  },
  { name: JAILBREAK_MODE, re: new RegExp(`\\b(?:developer|DAN|god|jailbreak|unrestricted)${S}mode\\b`, 'i'), accept: (m) => !aDeviceSetting(m) },
  { name: JAILBREAK_MODE, re: new RegExp(`\\bdo${S}anything${S}now\\b`, 'i') },
  {
    name: 'role override',
    re: new RegExp(`\\byou${S}are${S}no${S}longer${S}(?:an?${S})?(?:AI|assistant|bound|restricted|required)\\b`, 'i'),
  },
];

/** Control tokens of chat formats (ChatML, Llama, Gemma, Phi…) that can forge a role turn. */
export const ROLE_TOKENS: readonly NamedPattern[] = [
  { name: 'ChatML/special token', re: /<\|[A-Za-z][A-Za-z0-9_]{0,39}\|>/, literal: '<|' },
  { name: 'Llama [INST] token', re: /\[\/?INST\]/, literal: 'INST]' },
  { name: 'Llama <<SYS>> token', re: /<<\/?SYS>>/, literal: 'SYS>>' },
  { name: 'Gemma turn token', re: /<\/?(?:start|end)_of_turn>/, literal: '_of_turn>' },
];

/**
 * Markdown emphasis marks around words (`**not**`, `_never_`, `**all**`): the opening run before
 * a word, the closing run after one. Not the `_` inside a word (snake_case) nor a list bullet.
 */
const EMPHASIS = /(?<![\p{L}\p{N}*_])[*_]{1,3}(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}.,;:!?'’)])[*_]{1,3}(?![\p{L}\p{N}*_])/gu;

/**
 * The text with emphasis marks turned into spaces, as the model reads past them: a bold negation
 * still negates ("Do **not** reveal…") and a bold word does not hide a phrase ("ignore **all**
 * previous instructions"). Same length, so every offset stays where it is written.
 */
function withoutEmphasis(text: string): string {
  return text.includes('*') || text.includes('_') ? text.replace(EMPHASIS, (m) => ' '.repeat(m.length)) : text;
}

export function checkInjection(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scanPhrases = scanner(INJECTION_PHRASES);
  const scanTokens = scanner(ROLE_TOKENS);
  // Variables' text defaults too: a call that leaves a variable out sends its default in the prompt.
  const fields = [...allPromptFields(state), ...variableDefaultFields(state)];
  for (const f of fields) {
    if (f.text.length === 0) continue;
    // Read as the model reads it: a zero-width character inside a phrase hides it from a pattern,
    // not from the model. Findings are placed and quoted in the text as written.
    const folded = withoutInvisible(f.text);
    const text = folded?.text ?? f.text;
    const placed = (xs: PatternFinding[]): PatternFinding[] => (folded ? xs.map((x) => placeIn(x, folded.original)) : xs);
    // What a finding says, as written: without its invisible characters (and whether it had some).
    const shown = (x: PatternFinding): { text: string; hid: boolean } => {
      const written = f.text.slice(x.index, x.index + x.length);
      const inner = folded ? withoutInvisible(written) : undefined;
      return { text: collapseWhitespace(inner?.text ?? written), hid: inner !== undefined };
    };
    const plain = withoutEmphasis(text);
    const phrases = placed(instructionFindings(plain, scanPhrases(plain)));
    if (phrases.length > 0) {
      out.push(
        ...findingDiagnostics(f, phrases, 'error', 'injection/phrase', (x) => {
          const s = shown(x);
          return `prompt-injection phrase "${s.text}"${s.hid ? ' (with characters no one sees inside it)' : ''} in ${f.label} (${x.name}); a prompt must not contain instructions to abandon its own rules`;
        }),
      );
    }
    const tokens = placed(scanTokens(text));
    if (tokens.length === 0) continue;
    out.push(
      ...findingDiagnostics(
        f,
        tokens,
        'error',
        'injection/role-token',
        (x) => `role-override token "${shown(x).text}" in ${f.label} (${x.name}); chat-format control tokens can forge a system or user turn`,
      ),
    );
  }
  return out;
}

/** A finding in the text without invisible characters, placed in the text as written. */
function placeIn(x: PatternFinding, original: (index: number) => number): PatternFinding {
  const start = original(x.index);
  const end = original(x.index + x.length - 1) + 1;
  return { ...x, index: start, length: end - start };
}
