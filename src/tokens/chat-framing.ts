// The chat framing a model bills around the messages of a call, as OpenAI's cookbook
// `num_tokens_from_messages` counts it: 3 tokens a message, plus every value of the message other
// than its content (here its role, "system", "user" or "assistant", counted in the encoding),
// plus 3 priming the reply. One definition for the emulator's usage and the worst case, so a
// plan's figures are what a call is billed. Pure but for the caller's token memo.
import type { EncodingName, TokenMemo } from './count.js';

/** Tokens a message takes besides its values (the cookbook's tokens_per_message). */
export const TOKENS_PER_MESSAGE = 3;
/** Tokens priming the reply (`<|start|>assistant<|message|>`), once a call. */
export const REPLY_PRIMING_TOKENS = 3;

/** A chat message as the framing sees it: its role is counted with it. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** The framing of messages with these roles: per message 3 and its role's tokens, plus the priming. */
export function chatFramingTokens(roles: readonly string[], encoding: EncodingName, memo: TokenMemo): number {
  let n = REPLY_PRIMING_TOKENS;
  for (const role of roles) n += TOKENS_PER_MESSAGE + memo.count(role, encoding);
  return n;
}

/** Prompt tokens of a chat: each message's content, and the framing of them all. */
export function chatPromptTokens(messages: readonly ChatMessage[], encoding: EncodingName, memo: TokenMemo): number {
  let n = chatFramingTokens(messages.map((m) => m.role), encoding, memo);
  for (const m of messages) n += memo.count(m.content, encoding);
  return n;
}

/**
 * The roles of a version's rendered messages, in order: its system instruction, each few-shot
 * example's input and output, its user template (as the gateway renders them: emulator/prompt.ts).
 */
export function versionRoles(fewShotExamples: number): string[] {
  const roles = ['system'];
  for (let i = 0; i < fewShotExamples; i++) roles.push('user', 'assistant');
  roles.push('user');
  return roles;
}
