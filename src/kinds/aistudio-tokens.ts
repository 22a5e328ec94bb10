// Token counts of AI Studio texts in plans (a guide's instruction, a summary setting's prompt):
// as src/tokens/texts.ts counts them for `validate` and `tokens`: the declared model's encoding,
// else o200k_base, and approximate unless the model's tokenizer is known. The memo is the
// caller's (the CLI's), or a fresh one per counter.
import type { Config } from '../model/types.js';
import { AISTUDIO_DEFAULT_ENCODING, createTokenMemo, type TokenMemo } from '../tokens/index.js';
import { resolveModel } from '../tokens/registry.js';
import type { TokenDelta } from './action.js';

export interface TextCount {
  /** The declared model, or the stand-in encoding's name. */
  model: string;
  approximate: boolean;
  tokens: number;
}

/** Counts `text` for `model` (undefined: the stand-in); undefined when the model is unknown. */
export type TextTokenCounter = (text: string, model: string | undefined, config: Config) => TextCount | undefined;

export function textTokenCounter(memo: TokenMemo = createTokenMemo()): TextTokenCounter {
  return (text, model, config) => {
    const info = model === undefined ? null : resolveModel(model, config);
    if (info === undefined) return undefined;
    const encoding = info?.encoding ?? AISTUDIO_DEFAULT_ENCODING;
    return { model: info?.id ?? encoding, approximate: info ? info.approximate : true, tokens: memo.count(text, encoding) };
  };
}

/** The count of the new text, and of the live one when there is one. */
export function textTokenDelta(count: TextTokenCounter, config: Config, model: string | undefined, after: string, before?: string): TokenDelta | undefined {
  const a = count(after, model, config);
  if (!a) return undefined;
  const d: TokenDelta = { model: a.model, approximate: a.approximate, after: a.tokens };
  if (before !== undefined) {
    const b = count(before, model, config);
    if (b) d.before = b.tokens;
  }
  return d;
}
