// OpenAI's cookbook `num_tokens_from_messages` on js-tiktoken's own encoder, written apart from
// src/tokens: what a real gpt-4o or gpt-4 bills for a chat's prompt. Tests hold the emulator's
// usage and the worst case's framing to it. For short texts only (js-tiktoken is quadratic).
import { getEncoding, type Tiktoken } from 'js-tiktoken';

type Encoding = 'o200k_base' | 'cl100k_base';

const encoders = new Map<Encoding, Tiktoken>();

function encoder(name: Encoding): Tiktoken {
  let e = encoders.get(name);
  if (!e) encoders.set(name, (e = getEncoding(name)));
  return e;
}

/** tokens_per_message = 3, every value of each message encoded (its role and content), 3 priming the reply. */
export function cookbookPromptTokens(messages: readonly { role: string; content: string }[], encoding: Encoding): number {
  const enc = encoder(encoding);
  let n = 3;
  for (const m of messages) n += 3 + enc.encode(m.role).length + enc.encode(m.content).length;
  return n;
}

/** The cookbook's count of a version's rendered chat: system, each example's input and output, user. */
export function cookbookChat(system: string, user: string, encoding: Encoding, examples: readonly { input: string; output: string }[] = []): number {
  const messages = [{ role: 'system', content: system }];
  for (const ex of examples) messages.push({ role: 'user', content: ex.input }, { role: 'assistant', content: ex.output });
  messages.push({ role: 'user', content: user });
  return cookbookPromptTokens(messages, encoding);
}
