// The emulator's model: deterministic, seeded by the rendered prompt (and the model parameters),
// so the same call always gets the same answer. It answers from a matching fixture
// (responses.ts), or else writes a stable text of neutral sentences whose length follows the
// version's maxTokens (a draw between half of it and 110 % of it; over maxTokens the text is cut
// and the finish reason is `length`; without maxTokens 24 to 160 tokens). Usage is counted
// exactly in the model's encoding (src/tokens), as OpenAI's chat format counts it: each message's
// content, role and 3 tokens, plus 3 priming the reply (tokens/chat-framing.ts, which the worst
// case frames with too). Cost uses the registry's list prices, with the models the emulator was
// given (a project's Config `models:`) first (0 for a model without one); the reported latency is
// drawn from the emulator's latency option (uniform in [½L, 1½L], 0 when L is 0).
import { createHash } from 'node:crypto';
import type { FinishReason, InvocationMessage } from '../targets/llmgateway/wire.js';
import type { TokenMemo } from '../tokens/count.js';
import { countTokensUncached } from '../tokens/encoder.js';
import { resolveModel, type ModelCatalog, type ModelInfo } from '../tokens/registry.js';
import { chatPromptTokens } from '../tokens/chat-framing.js';
import { prng } from './limits.js';
import { findFixture, type CompiledFixture, type TargetKind } from './responses.js';

/**
 * The registry entry of a model id, `models` (a Config's) before the built-ins; an unknown id is
 * counted with o200k_base (approximate) and costs nothing.
 */
export function modelFor(id: string, models: ModelCatalog = {}): ModelInfo {
  return resolveModel(id, { models }) ?? { id, encoding: 'o200k_base', approximate: true, contextWindow: 128_000 };
}

/** The messages as one text: `role: content` lines (what fixtures match and what seeds the model). */
export function promptText(messages: readonly InvocationMessage[]): string {
  return messages.map((m) => `${m.role}: ${m.content}`).join('\n');
}

/** Prompt tokens of a chat: each message's content and role, 3 tokens a message, the reply priming. */
export function promptTokens(messages: readonly InvocationMessage[], model: ModelInfo, memo: TokenMemo): number {
  return chatPromptTokens(messages, model.encoding, memo);
}

/** List-price cost in US dollars, to 10 decimals (0 without prices). */
export function costUsd(prompt: number, completion: number, model: ModelInfo): number {
  const perMIn = model.inputCostPer1M ?? 0;
  const perMOut = model.outputCostPer1M ?? 0;
  return Math.round(((prompt * perMIn + completion * perMOut) / 1e6) * 1e10) / 1e10;
}

export interface SimulateInput {
  templateId: string;
  templateName: string;
  version: string;
  model: ModelInfo;
  messages: InvocationMessage[];
  maxTokens?: number;
  temperature?: number;
  fixtures: readonly CompiledFixture[];
  /** The PromptTest the call names (X-Promptctl-Test): its own fixtures are tried first. */
  test?: string;
  /** A template's invocation or a guide's turn (a test's fixtures answer their own kind of target only). */
  targetKind: TargetKind;
  /** The emulator's latency option, ms. */
  latencyMs: number;
  memo: TokenMemo;
}

export interface Simulated {
  text: string;
  finishReason: FinishReason;
  completionTokens: number;
  latencyMs: number;
  /** The fixture that answered (its index in the responses list). */
  fixture?: number;
  /** The draw sequence of this answer (for chunking the stream the same way every time). */
  random: () => number;
}

export function simulate(input: SimulateInput): Simulated {
  const prompt = promptText(input.messages);
  const seed = createHash('sha256')
    .update(`${input.model.id}\u0000${input.maxTokens ?? ''}\u0000${input.temperature ?? ''}\u0000`)
    .update(prompt)
    .digest()
    .readUInt32BE(0);
  const random = prng(seed);
  const latencyDraw = random();
  const lengthDraw = random();
  const latencyMs = input.latencyMs > 0 ? Math.round(input.latencyMs * (0.5 + latencyDraw)) : 0;
  const enc = input.model.encoding;

  const hit = findFixture(input.fixtures, { templateId: input.templateId, templateName: input.templateName, version: input.version, prompt, targetKind: input.targetKind, ...(input.test !== undefined ? { test: input.test } : {}) });
  let text: string;
  let finishReason: FinishReason;
  if (hit) {
    text = hit.fixture.output;
    finishReason = hit.fixture.finishReason ?? 'stop';
    if (hit.fixture.finishReason === undefined && input.maxTokens !== undefined && input.memo.count(text, enc) > input.maxTokens) {
      text = truncateToTokens(text, input.maxTokens, enc);
      finishReason = 'length';
    }
  } else {
    const natural =
      input.maxTokens !== undefined
        ? Math.max(1, Math.min(MAX_GENERATED_TOKENS, Math.round(input.maxTokens * (0.5 + 0.6 * lengthDraw))))
        : 24 + Math.floor(lengthDraw * 137);
    text = generate(natural, random, enc);
    finishReason = 'stop';
    if (input.maxTokens !== undefined && countTokensUncached(text, enc) > input.maxTokens) {
      text = truncateToTokens(text, input.maxTokens, enc);
      finishReason = 'length';
    }
  }
  const result: Simulated = {
    text,
    finishReason,
    completionTokens: input.memo.count(text, enc),
    latencyMs,
    random,
  };
  if (hit) result.fixture = hit.index;
  return result;
}

/** Generated answers stop growing here, whatever maxTokens allows (the text is then simply done). */
const MAX_GENERATED_TOKENS = 4096;

// Neutral sentences: none of them may trigger a safety scorer (a unit test checks it).
const SENTENCES = [
  'Thanks for the question.',
  'Here is a short answer based on the details you shared.',
  'The request looks clear, so the steps below should help.',
  'First, check the settings page for the current plan.',
  'Next, compare the dates on the last two statements.',
  'If the numbers still differ, the team can look into it further.',
  'Most changes take effect within one working day.',
  'You can find the full history under the account overview.',
  'A confirmation message follows once the update is done.',
  'Let me know if anything in this summary is unclear.',
  'The simplest option is usually the best place to start.',
  'This answer was written by the promptctl emulator.',
  'Each item in the list is handled in the order it arrived.',
  'The same steps apply on the mobile app and on the web.',
  'Keep the reference number handy in case you need to follow up.',
  'Nothing else is needed from you at this point.',
  'The details are also available in the help centre.',
  'In short, the change is safe to make today.',
  'The example below shows the expected result.',
  'Happy to help with anything else.',
];

function generate(targetTokens: number, random: () => number, enc: ModelInfo['encoding']): string {
  const parts: string[] = [];
  let total = 0;
  while (total < targetTokens) {
    const s = SENTENCES[Math.floor(random() * SENTENCES.length)] ?? SENTENCES[0]!;
    const piece = parts.length === 0 ? s : ` ${s}`;
    parts.push(piece);
    total += countTokensUncached(piece, enc);
  }
  return parts.join('');
}

/** The longest prefix of `text`, cut at a word boundary, that counts at most `limit` tokens. */
export function truncateToTokens(text: string, limit: number, enc: ModelInfo['encoding']): string {
  if (limit <= 0) return '';
  const ends: number[] = [];
  for (const m of text.matchAll(/\S+/g)) ends.push(m.index + m[0].length);
  let lo = 0; // ends[lo-1] fits (0: nothing)
  let hi = ends.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countTokensUncached(text.slice(0, ends[mid - 1]), enc) <= limit) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return text.slice(0, ends[lo - 1]);
  // Even the first word is too long: cut it by characters.
  let n = Math.min(text.length, limit);
  while (n > 0 && countTokensUncached(text.slice(0, n), enc) > limit) n--;
  return text.slice(0, n);
}

/** Splits a text into stream chunks of one to four words (whitespace kept), drawn from `random`. */
export function chunkText(text: string, random: () => number): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; ) {
    const n = 1 + Math.floor(random() * 4);
    chunks.push(words.slice(i, i + n).join(''));
    i += n;
  }
  // `\s*\S+\s*` is greedy on trailing space, so the words cover the text exactly.
  return chunks;
}
