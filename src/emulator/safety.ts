// The emulator's safety filters, for real: a scorer per category finds matches in a text and
// scores it 0..1 (noisy-or over its matches, so more evidence scores higher), and the enabled
// filters that apply to a template run over the input and then the output in priority order
// (1 first). A filter acts on each of its categories whose score reaches its threshold (the
// filter's `thresholds[category]`, DEFAULT_THRESHOLD when not given): block_and_log stops the
// invocation, redact_and_log masks the matches (so later filters see the masked text), and
// flag_and_pass only reports. What a stream still shows of a blocked output (the text before
// the block's match) is masked by every redacting filter, also those ranked after the block,
// which otherwise do not run. Scorers:
//   pii         e-mail addresses, card numbers that pass the Luhn check, phone numbers (their
//               shapes: util/pii-shapes.ts, which a test's `redacts: pii` leak check shares)
//   phishing    credential lures ("verify your account", "confirm your password", ...) and
//               look-alike links (digit-for-letter brand names, punycode, IP hosts, user@host
//               links, a brand's name in front of someone else's domain)
//   hate_speech, violence, self_harm, sexual, political: a weighted word list each
// `falsePositiveTolerance` is stored and returned but does not change a score.
import type { FilterAction, InvocationFilterResult, WireLabels } from '../targets/llmgateway/wire.js';
import type { FilterRec } from './state.js';
import { digitRunsIn, emailsIn, type NumberShape } from '../util/pii-shapes.js';
import { regexLiteral } from '../util/regex-literal.js';

export const CATEGORIES = ['hate_speech', 'violence', 'self_harm', 'sexual', 'political', 'pii', 'phishing'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The threshold of a category a filter lists without giving one. */
export const DEFAULT_THRESHOLD = 0.5;
/** What a redacted match becomes (chosen to trigger no scorer). */
export const MASK = '[REDACTED]';

export interface Match {
  start: number;
  end: number;
  /** How strongly this match alone indicates the category, 0..1. */
  weight: number;
}

export interface Scored {
  score: number;
  matches: Match[];
}

// ---- scorers ---------------------------------------------------------------------------

/** How strongly each shape of personal data (util/pii-shapes.ts) alone indicates the pii category. */
const SHAPE_WEIGHT: Record<NumberShape, number> = { card: 0.95, phone: 0.85, 'bare phone': 0.6 };
const EMAIL_WEIGHT = 0.9;

/** E-mail addresses first, then the digit runs outside them that have a shape. */
function scorePii(text: string): Match[] {
  const emails = emailsIn(text);
  const out: Match[] = emails.map((m) => ({ start: m.start, end: m.end, weight: EMAIL_WEIGHT }));
  for (const run of digitRunsIn(text, emails)) if (run.shape) out.push({ start: run.start, end: run.end, weight: SHAPE_WEIGHT[run.shape] });
  return out;
}

const LURES: Array<[RegExp, number]> = [
  [/\b(?:verify|confirm|validate|update)\s+your\s+(?:account|identity|password|login|credentials|payment\s+(?:details|information)|billing\s+(?:details|information))\b/gi, 0.6],
  [/\b(?:enter|provide|send|share)\s+(?:your|us\s+your)\s+(?:password|passcode|pin|login|credentials|one[- ]time\s+(?:code|password))\b/gi, 0.7],
  [/\byour\s+account\s+(?:has\s+been|will\s+be|is)\s+(?:suspended|locked|disabled|closed|compromised|restricted)\b/gi, 0.6],
  [/\b(?:click|tap)\s+(?:here|the\s+link|this\s+link|below)\s+to\s+(?:verify|confirm|log\s*in|sign\s*in|unlock|restore|reactivate)\b/gi, 0.6],
  [/\breset\s+your\s+password\s+(?:now|immediately|within)\b/gi, 0.5],
  [/\b(?:urgent|immediate)\s+action\s+(?:is\s+)?required\b/gi, 0.4],
  [/\bsocial\s+security\s+number\b/gi, 0.5],
];

const URL = /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+/gi;
const BRANDS = ['paypal', 'apple', 'google', 'microsoft', 'amazon', 'netflix', 'facebook', 'instagram', 'genesys', 'chase', 'wellsfargo', 'bankofamerica', 'outlook', 'office365'];
/** Digit-for-letter look-alikes: 0→o, 1→l/i, 3→e, 4→a, 5→s, 7→t. */
const DEHOMOGLYPH: Record<string, string> = { '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '|': 'l' };

function lookAlikeWeight(url: string): number {
  let rest = url.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  const authority = rest.split(/[/?#]/)[0] ?? '';
  if (authority.includes('@')) return 0.85; // https://paypal.com@evil.example/
  const host = (authority.split(':')[0] ?? '').toLowerCase();
  rest = host;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return 0.7; // a bare IP address
  if (host.split('.').some((l) => l.startsWith('xn--'))) return 0.8; // punycode (homoglyphs)
  const labels = host.split('.');
  const registrable = labels.slice(-2).join('.');
  const normal = host.replace(/[0-9|]/g, (c) => DEHOMOGLYPH[c] ?? c);
  for (const brand of BRANDS) {
    const official = new Set([`${brand}.com`, `${brand}.net`, `${brand}.org`]);
    if (official.has(registrable)) return 0;
    if (!host.includes(brand) && normal.includes(brand)) return 0.9; // paypa1.com, g00gle.com
    if (host.includes(brand)) {
      // paypal.com.account-check.io, paypal-secure-login.com, secure-paypal.net
      if (labels.slice(0, -2).some((l) => l.includes(brand))) return 0.85;
      if (/[-.](?:secure|login|signin|verify|account|support|update|billing)|(?:secure|login|signin|verify|account|support|update|billing)[-.]/.test(host)) return 0.8;
      return 0.6;
    }
  }
  return 0;
}

function scorePhishing(text: string): Match[] {
  const out: Match[] = [];
  for (const [re, weight] of LURES) for (const m of text.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length, weight });
  for (const m of text.matchAll(URL)) {
    const weight = lookAlikeWeight(m[0]);
    if (weight > 0) out.push({ start: m.index, end: m.index + m[0].length, weight });
  }
  return out;
}

/** Weighted terms per word-list category (whole words or phrases, case-insensitive). */
export const WORD_LISTS: Record<'hate_speech' | 'violence' | 'self_harm' | 'sexual' | 'political', Record<string, number>> = {
  hate_speech: {
    hate: 0.3, hateful: 0.4, racist: 0.5, racism: 0.4, bigot: 0.5, bigots: 0.5, subhuman: 0.8, vermin: 0.6, inferior: 0.35,
    'inferior race': 0.9, 'go back to your country': 0.8, 'white power': 0.9, 'ethnic cleansing': 0.9, supremacist: 0.7,
    slur: 0.5, slurs: 0.5, xenophobic: 0.5,
  },
  violence: {
    kill: 0.6, killing: 0.6, murder: 0.7, shoot: 0.55, shooting: 0.55, stab: 0.65, stabbing: 0.65, bomb: 0.6, explode: 0.4,
    weapon: 0.4, weapons: 0.4, gun: 0.4, guns: 0.4, assault: 0.5, attack: 0.3, 'beat up': 0.5, strangle: 0.7, torture: 0.7,
    massacre: 0.8, behead: 0.9, hurt: 0.25,
  },
  self_harm: {
    suicide: 0.8, suicidal: 0.85, 'kill myself': 0.9, 'end my life': 0.9, 'self-harm': 0.8, 'self harm': 0.8,
    'cut myself': 0.85, 'hurt myself': 0.7, 'want to die': 0.8, overdose: 0.6,
  },
  sexual: {
    sex: 0.5, sexual: 0.5, sexy: 0.4, nude: 0.6, nudes: 0.7, naked: 0.5, porn: 0.85, pornography: 0.85, erotic: 0.6,
    nsfw: 0.7, explicit: 0.3, orgasm: 0.8, fetish: 0.6,
  },
  political: {
    election: 0.45, elections: 0.45, vote: 0.3, voting: 0.3, democrat: 0.5, democrats: 0.5, republican: 0.5, republicans: 0.5,
    president: 0.3, senator: 0.4, congress: 0.35, parliament: 0.35, 'political party': 0.6, political: 0.4, politics: 0.4,
    'left-wing': 0.5, 'right-wing': 0.5, liberal: 0.35, conservative: 0.35, campaign: 0.2, government: 0.2, ballot: 0.45,
  },
};

const WORD_PATTERNS = new Map(
  Object.entries(WORD_LISTS).map(([category, terms]) => {
    const sorted = Object.keys(terms).sort((a, b) => b.length - a.length); // longest phrase first
    const alternation = sorted.map((t) => regexLiteral(t).replace(/[ -]/g, '[\\s-]+')).join('|');
    return [category, { re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation})(?![\\p{L}\\p{N}])`, 'giu'), terms }];
  }),
);

function scoreWords(category: keyof typeof WORD_LISTS, text: string): Match[] {
  const p = WORD_PATTERNS.get(category);
  if (!p) return [];
  const out: Match[] = [];
  for (const m of text.matchAll(p.re)) {
    const key = m[0].toLowerCase().replace(/\s+/g, ' ');
    const weight = p.terms[key] ?? p.terms[key.replace(/ /g, '-')] ?? p.terms[key.replace(/-/g, ' ')] ?? 0.3;
    out.push({ start: m.index, end: m.index + m[0].length, weight });
  }
  return out;
}

/** The matches of one category in a text. */
export function matchesOf(category: string, text: string): Match[] {
  switch (category) {
    case 'pii':
      return scorePii(text);
    case 'phishing':
      return scorePhishing(text);
    case 'hate_speech':
    case 'violence':
    case 'self_harm':
    case 'sexual':
    case 'political':
      return scoreWords(category, text);
    default:
      return [];
  }
}

/** Noisy-or of the matches' weights: 1 − Π(1 − w), to 4 decimals. */
export function combine(matches: readonly Match[]): number {
  let keep = 1;
  for (const m of matches) keep *= 1 - Math.min(1, Math.max(0, m.weight));
  return Math.round((1 - keep) * 10_000) / 10_000;
}

export function scoreText(category: string, text: string): Scored {
  const matches = matchesOf(category, text);
  return { score: combine(matches), matches };
}

/** Replaces every match with MASK (overlapping matches merge). */
export function mask(text: string, matches: readonly Match[]): string {
  return maskAt(text, matches, text.length).text;
}

/**
 * `mask`, also saying where position `cut` of `text` lands in the masked text. A cut inside a
 * masked span lands after its MASK (nothing of the match is before it).
 */
export function maskAt(text: string, matches: readonly Match[], cut: number): { text: string; cut: number } {
  if (matches.length === 0) return { text, cut };
  const spans = [...matches].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  let mapped: number | undefined;
  for (const s of spans) {
    if (s.end <= at) continue; // inside what is masked already
    if (s.start >= at) {
      // a new span; an overlapping one just extends the last mask
      if (mapped === undefined && cut <= s.start) mapped = out.length + (cut - at);
      out += text.slice(at, s.start) + MASK;
    }
    at = s.end;
    if (mapped === undefined && cut < at) mapped = out.length;
  }
  return { text: out + text.slice(at), cut: mapped ?? out.length + (cut - at) };
}

// ---- filters over an invocation -----------------------------------------------------------

/** Whether a filter covers a template: no selector covers every template; else by name (or id) or by every label. */
export function filterCovers(f: FilterRec, template: { id: string; name: string; labels: WireLabels }): boolean {
  const names = f.appliesTo?.templates;
  const sel = f.appliesTo?.labels;
  const hasSel = sel !== undefined && Object.keys(sel).length > 0;
  if (names === undefined && !hasSel) return true;
  if (names?.includes(template.name) || names?.includes(template.id)) return true;
  return hasSel && Object.entries(sel).every(([k, v]) => Object.hasOwn(template.labels, k) && template.labels[k] === v);
}

/** The enabled filters that apply to a template, in priority order (1 first; name breaks a tie). */
export function applicableFilters(all: Iterable<FilterRec>, template: { id: string; name: string; labels: WireLabels }): FilterRec[] {
  return [...all]
    .filter((f) => f.enabled && filterCovers(f, template))
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export type Stage = 'input' | 'output';

export interface Block {
  filter: FilterRec;
  category: string;
  score: number;
  threshold: number;
  stage: Stage;
  /** Where the first blocking match starts in the (possibly already masked) text it was found in, per text. */
  firstMatch: Array<number | undefined>;
  /**
   * What may still be shown of each text (a stream sends it before the error): the text before
   * the first blocking match, with every redacting filter applied, also those after the block in
   * priority order, which did not otherwise run.
   */
  shown: string[];
}

export interface StageResult {
  /** The texts after the redactions of this stage. */
  texts: string[];
  /** Set when a block_and_log filter stopped the invocation (filters after it did not run). */
  block?: Block;
  /** Categories masked by a redaction in this stage. */
  redacted: boolean;
}

/**
 * Accumulates filter results over both stages: one entry per (filter, category) that scored above
 * zero in either, with the higher score and whether either stage acted on it.
 */
export class FilterReport {
  private readonly entries = new Map<string, InvocationFilterResult>();

  note(f: FilterRec, category: string, score: number, applied: boolean): void {
    if (score <= 0) return;
    const key = `${f.priority}\u0000${f.name}\u0000${category}`;
    const prev = this.entries.get(key);
    this.entries.set(key, {
      name: f.name,
      category,
      score: Math.max(prev?.score ?? 0, score),
      action: f.action as FilterAction,
      applied: (prev?.applied ?? false) || applied,
    });
  }

  /** In priority order, then the filter's category order. */
  results(filters: readonly FilterRec[]): InvocationFilterResult[] {
    const out: InvocationFilterResult[] = [];
    for (const f of filters) {
      for (const c of f.categories) {
        const e = this.entries.get(`${f.priority}\u0000${f.name}\u0000${c}`);
        if (e) out.push(e);
      }
    }
    return out;
  }

  /** Names of the filters that acted (blocked, masked or flagged), for analytics. */
  appliedNames(): string[] {
    return [...new Set([...this.entries.values()].filter((e) => e.applied).map((e) => e.name))].sort();
  }
}

/** A filter's threshold for one of its categories. */
function thresholdOf(f: FilterRec, category: string): number {
  return Object.hasOwn(f.thresholds, category) ? (f.thresholds[category] ?? DEFAULT_THRESHOLD) : DEFAULT_THRESHOLD;
}

/** Whether a filter acts on a category with this score: above zero and at or above its threshold. */
function reaches(f: FilterRec, category: string, score: number): boolean {
  return score > 0 && score >= thresholdOf(f, category);
}

/**
 * `text` up to `cut`, after the redactions of `filters` (scored on the whole text, as they would
 * have run on it): the part of a blocked text that may still be shown. Only the redactions: a
 * later block changes nothing that is shown, and nothing here is reported.
 */
export function redactedBefore(filters: readonly FilterRec[], text: string, cut: number): string {
  let current = { text, cut };
  for (const f of filters) {
    if (f.action !== 'redact_and_log') continue;
    for (const category of f.categories) {
      const matches = matchesOf(category, current.text);
      if (reaches(f, category, combine(matches))) current = maskAt(current.text, matches, current.cut);
    }
  }
  return current.text.slice(0, current.cut);
}

/** Runs the filters over one stage's texts, in order. */
export function runStage(filters: readonly FilterRec[], texts: readonly string[], stage: Stage, report: FilterReport): StageResult {
  let current = [...texts];
  let redacted = false;
  for (const f of filters) {
    for (const category of f.categories) {
      const perText = current.map((t) => matchesOf(category, t));
      const score = combine(perText.flat());
      const threshold = thresholdOf(f, category);
      const hit = reaches(f, category, score);
      report.note(f, category, score, hit);
      if (!hit) continue;
      if (f.action === 'block_and_log') {
        // A loop, not Math.min(...): a hostile text's million matches would overflow the stack.
        const firstMatch = perText.map((ms) => ms.reduce<number | undefined>((min, m) => (min === undefined || m.start < min ? m.start : min), undefined));
        const later = filters.slice(filters.indexOf(f) + 1);
        const shown = current.map((t, i) => redactedBefore(later, t, firstMatch[i] ?? 0));
        return { texts: current, block: { filter: f, category, score, threshold, stage, firstMatch, shown }, redacted };
      }
      if (f.action === 'redact_and_log') {
        current = current.map((t, i) => mask(t, perText[i] ?? []));
        redacted = true;
      }
    }
  }
  return { texts: current, redacted };
}
