// The model registry: tokenizer encoding, context window, output limit and list prices per model.
// OpenAI models are counted exactly with their own encoding. Other vendors' tokenizers are not
// public tiktoken encodings, so their counts use a stated stand-in encoding and are marked
// approximate everywhere they are reported. Config `models:` adds models or overrides these; an
// entry there is approximate by the same rule as the built-ins (another vendor's id, `otherVendor`)
// unless it says otherwise (`approximate:`). A dated snapshot or alias resolves through its family,
// and says so (`pricedAs`): its own price, window or output limit may differ.
import type { Config } from '../model/types.js';
import type { EncodingName } from './encoder.js';
import { foldLookalikes } from '../util/lookalike.js';
import { distanceWithin } from '../util/suggest.js';

export interface ModelInfo {
  id: string;
  encoding: EncodingName;
  /** True when `encoding` only approximates the model's real tokenizer. */
  approximate: boolean;
  contextWindow: number;
  maxOutputTokens?: number;
  /** List prices in US dollars per 1,000,000 tokens. */
  inputCostPer1M?: number;
  outputCostPer1M?: number;
  /**
   * The family a snapshot or alias id (gpt-4o-2024-05-13) was counted and priced as, where nothing
   * under `models:` declares the id itself: its own price, window or output limit may differ.
   */
  pricedAs?: string;
}

type Entry = Omit<ModelInfo, 'id' | 'approximate' | 'pricedAs'>;

/** The models a Config adds or overrides (`models:` in promptctl.yaml), by id. */
export type ModelCatalog = Config['models'];

// List prices (USD per 1M tokens, standard tier, short-context rate) as published by each vendor.
const OPENAI: Record<string, Entry> = {
  'gpt-4o': { encoding: 'o200k_base', contextWindow: 128_000, maxOutputTokens: 16_384, inputCostPer1M: 2.5, outputCostPer1M: 10 },
  'gpt-4o-mini': { encoding: 'o200k_base', contextWindow: 128_000, maxOutputTokens: 16_384, inputCostPer1M: 0.15, outputCostPer1M: 0.6 },
  'gpt-4.1': { encoding: 'o200k_base', contextWindow: 1_047_576, maxOutputTokens: 32_768, inputCostPer1M: 2, outputCostPer1M: 8 },
  'gpt-4.1-mini': { encoding: 'o200k_base', contextWindow: 1_047_576, maxOutputTokens: 32_768, inputCostPer1M: 0.4, outputCostPer1M: 1.6 },
  'gpt-4.1-nano': { encoding: 'o200k_base', contextWindow: 1_047_576, maxOutputTokens: 32_768, inputCostPer1M: 0.1, outputCostPer1M: 0.4 },
  'gpt-5': { encoding: 'o200k_base', contextWindow: 400_000, maxOutputTokens: 128_000, inputCostPer1M: 1.25, outputCostPer1M: 10 },
  'gpt-5-mini': { encoding: 'o200k_base', contextWindow: 400_000, maxOutputTokens: 128_000, inputCostPer1M: 0.25, outputCostPer1M: 2 },
  'gpt-5-nano': { encoding: 'o200k_base', contextWindow: 400_000, maxOutputTokens: 128_000, inputCostPer1M: 0.05, outputCostPer1M: 0.4 },
  o1: { encoding: 'o200k_base', contextWindow: 200_000, maxOutputTokens: 100_000, inputCostPer1M: 15, outputCostPer1M: 60 },
  o3: { encoding: 'o200k_base', contextWindow: 200_000, maxOutputTokens: 100_000, inputCostPer1M: 2, outputCostPer1M: 8 },
  'o3-mini': { encoding: 'o200k_base', contextWindow: 200_000, maxOutputTokens: 100_000, inputCostPer1M: 1.1, outputCostPer1M: 4.4 },
  'o4-mini': { encoding: 'o200k_base', contextWindow: 200_000, maxOutputTokens: 100_000, inputCostPer1M: 1.1, outputCostPer1M: 4.4 },
  'gpt-4-turbo': { encoding: 'cl100k_base', contextWindow: 128_000, maxOutputTokens: 4_096, inputCostPer1M: 10, outputCostPer1M: 30 },
  'gpt-4': { encoding: 'cl100k_base', contextWindow: 8_192, maxOutputTokens: 8_192, inputCostPer1M: 30, outputCostPer1M: 60 },
  'gpt-4-32k': { encoding: 'cl100k_base', contextWindow: 32_768, maxOutputTokens: 8_192, inputCostPer1M: 60, outputCostPer1M: 120 },
  'gpt-3.5-turbo': { encoding: 'cl100k_base', contextWindow: 16_385, maxOutputTokens: 4_096, inputCostPer1M: 0.5, outputCostPer1M: 1.5 },
};

// Anthropic: stand-in cl100k_base.
const CLAUDE: Record<string, Entry> = {
  'claude-3-haiku': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 4_096, inputCostPer1M: 0.25, outputCostPer1M: 1.25 },
  'claude-3-opus': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 4_096, inputCostPer1M: 15, outputCostPer1M: 75 },
  'claude-3-5-haiku': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 8_192, inputCostPer1M: 0.8, outputCostPer1M: 4 },
  'claude-3-5-sonnet': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 8_192, inputCostPer1M: 3, outputCostPer1M: 15 },
  'claude-3-7-sonnet': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 64_000, inputCostPer1M: 3, outputCostPer1M: 15 },
  'claude-sonnet-4': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 64_000, inputCostPer1M: 3, outputCostPer1M: 15 },
  'claude-sonnet-4-5': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 64_000, inputCostPer1M: 3, outputCostPer1M: 15 },
  'claude-opus-4': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 32_000, inputCostPer1M: 15, outputCostPer1M: 75 },
  'claude-opus-4-1': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 32_000, inputCostPer1M: 15, outputCostPer1M: 75 },
  'claude-haiku-4-5': { encoding: 'cl100k_base', contextWindow: 200_000, maxOutputTokens: 64_000, inputCostPer1M: 1, outputCostPer1M: 5 },
};

// Google (SentencePiece, 256k vocabulary): stand-in o200k_base, the closest vocabulary size.
const GEMINI: Record<string, Entry> = {
  'gemini-1.5-flash': { encoding: 'o200k_base', contextWindow: 1_048_576, maxOutputTokens: 8_192, inputCostPer1M: 0.075, outputCostPer1M: 0.3 },
  'gemini-1.5-pro': { encoding: 'o200k_base', contextWindow: 2_097_152, maxOutputTokens: 8_192, inputCostPer1M: 1.25, outputCostPer1M: 5 },
  'gemini-2.0-flash': { encoding: 'o200k_base', contextWindow: 1_048_576, maxOutputTokens: 8_192, inputCostPer1M: 0.1, outputCostPer1M: 0.4 },
  'gemini-2.0-flash-lite': { encoding: 'o200k_base', contextWindow: 1_048_576, maxOutputTokens: 8_192, inputCostPer1M: 0.075, outputCostPer1M: 0.3 },
  'gemini-2.5-pro': { encoding: 'o200k_base', contextWindow: 1_048_576, maxOutputTokens: 65_536, inputCostPer1M: 1.25, outputCostPer1M: 10 },
  'gemini-2.5-flash': { encoding: 'o200k_base', contextWindow: 1_048_576, maxOutputTokens: 65_536, inputCostPer1M: 0.3, outputCostPer1M: 2.5 },
  'gemini-2.5-flash-lite': { encoding: 'o200k_base', contextWindow: 1_048_576, maxOutputTokens: 65_536, inputCostPer1M: 0.1, outputCostPer1M: 0.4 },
};

// Meta Llama 3 (a tiktoken BPE extending cl100k_base): stand-in cl100k_base. Open weights have no
// list price (it depends on the host), so no cost estimate.
const LLAMA: Record<string, Entry> = {
  'llama-3.1-8b': { encoding: 'cl100k_base', contextWindow: 131_072 },
  'llama-3.1-70b': { encoding: 'cl100k_base', contextWindow: 131_072 },
  'llama-3.1-405b': { encoding: 'cl100k_base', contextWindow: 131_072 },
  'llama-3.2-1b': { encoding: 'cl100k_base', contextWindow: 131_072 },
  'llama-3.2-3b': { encoding: 'cl100k_base', contextWindow: 131_072 },
  'llama-3.3-70b': { encoding: 'cl100k_base', contextWindow: 131_072 },
};

/**
 * Whether an id names a model of a vendor whose tokenizer is no public tiktoken encoding (Claude,
 * Gemini, Llama: `claude-3-5-sonnet`, `anthropic.claude-v2`, `gemini-pro`, `meta-llama/Llama-3-8b`),
 * so that any count of it is a stand-in's. The built-ins and the Config's models both go by it.
 */
export function otherVendor(id: string): boolean {
  return OTHER_VENDOR.test(id);
}

/** Claude, Gemini or Llama as a word of the id (after its start, `.`, `/`, `:`, `-` or `_`). */
const OTHER_VENDOR = /(?:^|[./:_-])(?:claude|gemini|llama)/i;

function build(entries: Record<string, Entry>): [string, ModelInfo][] {
  return Object.entries(entries).map(([id, e]) => [id, { id, approximate: otherVendor(id), ...e }]);
}

export const BUILT_IN_MODELS: ReadonlyMap<string, ModelInfo> = new Map([...build(OPENAI), ...build(CLAUDE), ...build(GEMINI), ...build(LLAMA)]);

// Dated snapshots and aliases resolve to their family: gpt-4o-2024-08-06, gpt-4-0613,
// claude-3-5-sonnet-20241022, claude-3-5-sonnet-latest, gemini-2.0-flash-001.
const SNAPSHOT_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3,4}|latest)$/;

/** The model an id names: config entries first (exact id), then built-ins, then a snapshot's family. */
export function resolveModel(id: string, config: Pick<Config, 'models'>): ModelInfo | undefined {
  const own = Object.hasOwn(config.models, id) ? config.models[id] : undefined;
  const builtIn = BUILT_IN_MODELS.get(id);
  if (own) {
    // An override keeps the prices and limits it does not restate of what the id names without it:
    // the built-in, or a dated snapshot's family (a price set for gpt-4o-2024-05-13 keeps gpt-4o's
    // maximum output, which the cost of a version without maxTokens assumes).
    const { pricedAs: _declared, ...base }: Partial<ModelInfo> = builtIn ?? familyOf(id, config) ?? { id };
    // Counted exactly only where the encoding is the model's own: another vendor's model stays
    // approximate whatever price or encoding is set for it (DESIGN §2: such counts are marked),
    // unless the entry says its encoding is exact (or that an id of no such vendor's is not).
    const approximate = own.approximate ?? (base.approximate === true || otherVendor(id));
    return { ...base, ...definedOnly(own), id, approximate } as ModelInfo;
  }
  return builtIn ?? familyOf(id, config);
}

/** The model a dated snapshot or alias id resolves to through its family, named as the id; undefined when it is none. */
function familyOf(id: string, config: Pick<Config, 'models'>): ModelInfo | undefined {
  const family = id.replace(SNAPSHOT_SUFFIX, '');
  if (family === id) return undefined;
  const m = resolveModel(family, config);
  // The family a chain of suffixes (gpt-4-0613-latest) ends at is the one it was priced as.
  return m && { ...m, id, pricedAs: m.pricedAs ?? family };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Every model id known under this config, sorted. */
export function knownModelIds(config: Pick<Config, 'models'>): string[] {
  return [...new Set([...BUILT_IN_MODELS.keys(), ...Object.keys(config.models)])].sort();
}

/** The known id closest to `id` (edit distance at most a third of its length, min 2), if any. */
export function suggestModel(id: string, config: Pick<Config, 'models'>): string | undefined {
  // An id written with a look-alike (gpt-4о, a Cyrillic о) is the one it looks like, not gpt-4.
  const folded = foldLookalikes(id).toLowerCase();
  if (folded !== id.toLowerCase()) {
    for (const known of knownModelIds(config)) if (known.toLowerCase() === folded) return known;
  }
  const limit = Math.max(2, Math.floor(id.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  // Within the limit only: a full table per pair made 250 unknown long ids among 250 configured
  // models take 9 s to validate (and 1,000 of each minutes).
  for (const known of knownModelIds(config)) {
    const d = distanceWithin(id.toLowerCase(), known.toLowerCase(), limit);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

