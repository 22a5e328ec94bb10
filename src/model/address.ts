// Typed addresses: the one list of kinds, and how an address is written and read
// ("PromptTemplate/billing-assistant", "PromptVersion/billing-assistant@1.1.0",
// "Guide/Returns / exchanges"). Plans, audit records, test reports and diagnostics name things
// this way. The kind is everything before the first "/": the rest is the name as it is, so the
// free-text names of Guides and SummarySettings (spaces, slashes) need no escaping.

/**
 * metadata.name of the gateway's kinds (PromptTemplate, SafetyFilter, PromptTest): schemas/
 * common.schema.json's name pattern. A live object named otherwise cannot have a document.
 */
export const RESOURCE_NAME = /^[a-z0-9][a-z0-9-]{1,126}[a-z0-9]$/;
export const RESOURCE_NAME_RULE = 'promptctl names are 3 to 128 lowercase letters, digits and hyphens';

/**
 * metadata.name of the AI Studio kinds (Guide, SummarySetting): schemas/common.schema.json's
 * genesysName (1 to 255 characters on one line, no leading or trailing whitespace) and the
 * names/control-character rule. AI Studio takes names these refuse (a trailing space, a tab).
 */
export function isGenesysName(name: string): boolean {
  // In UTF-16 code units, as the schema (and the server) count: an emoji is two.
  const length = name.length;
  return length >= 1 && length <= 255 && /^(?:[^\s](?:[^\r\n]*[^\s])?)?$/.test(name) && !/[\u0000-\u001f\u007f-\u009f]/.test(name);
}
export const GENESYS_NAME_RULE = 'promptctl names of guides and summary settings are 1 to 255 characters on one line, without leading or trailing spaces or control characters';

/** The LLM Gateway's resource kinds (DESIGN §3). */
export const RESOURCE_KINDS = ['PromptTemplate', 'PromptVersion', 'TrafficSplit', 'SafetyFilter'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
/** The AI Studio resource kinds (DESIGN §3b): named by their Genesys name, as it is. */
export const AISTUDIO_KINDS = ['Guide', 'SummarySetting'] as const;
export type AiStudioKind = (typeof AISTUDIO_KINDS)[number];
/** Every kind that plan and apply manage. */
export const ALL_RESOURCE_KINDS = [...RESOURCE_KINDS, ...AISTUDIO_KINDS] as const;
export type AnyResourceKind = (typeof ALL_RESOURCE_KINDS)[number];
/** Documents that are addressed but never applied: `promptctl test` runs them. */
export const TEST_KINDS = ['PromptTest'] as const;
export type TestKind = (typeof TEST_KINDS)[number];
/** Every document kind the loader accepts: the resources, the tests, and the Config. */
export const DOCUMENT_KINDS = [...ALL_RESOURCE_KINDS, ...TEST_KINDS, 'Config'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
/** Every kind that has an address. */
export type AddressKind = AnyResourceKind | TestKind;

export type Address =
  | { kind: 'PromptTemplate'; name: string }
  | { kind: 'PromptVersion'; name: string; version: string }
  | { kind: 'TrafficSplit'; name: string }
  | { kind: 'SafetyFilter'; name: string }
  | { kind: 'Guide'; name: string }
  | { kind: 'SummarySetting'; name: string }
  | { kind: 'PromptTest'; name: string };

const ADDRESS_KINDS: readonly string[] = [...ALL_RESOURCE_KINDS, ...TEST_KINDS];

export function isResourceKind(s: string): s is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(s);
}

export function isAiStudioKind(s: string): s is AiStudioKind {
  return (AISTUDIO_KINDS as readonly string[]).includes(s);
}

export function isAddressKind(s: string): s is AddressKind {
  return ADDRESS_KINDS.includes(s);
}

export function formatAddress(a: Address): string {
  return a.kind === 'PromptVersion' ? `${a.kind}/${a.name}@${a.version}` : `${a.kind}/${a.name}`;
}

/** Reads an address; undefined when the text is not one. The kind ends at the first "/". */
export function parseAddress(text: string): Address | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0) return undefined;
  const kind = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  if (!isAddressKind(kind) || rest === '') return undefined;
  if (kind !== 'PromptVersion') return { kind, name: rest };
  const at = rest.lastIndexOf('@');
  if (at <= 0 || at === rest.length - 1) return undefined;
  return { kind, name: rest.slice(0, at), version: rest.slice(at + 1) };
}

export const templateAddress = (name: string): string => formatAddress({ kind: 'PromptTemplate', name });
export const versionAddress = (name: string, version: string): string => formatAddress({ kind: 'PromptVersion', name, version });
export const splitAddress = (name: string): string => formatAddress({ kind: 'TrafficSplit', name });
export const filterAddress = (name: string): string => formatAddress({ kind: 'SafetyFilter', name });
export const guideAddress = (name: string): string => formatAddress({ kind: 'Guide', name });
export const summarySettingAddress = (name: string): string => formatAddress({ kind: 'SummarySetting', name });
export const testAddress = (name: string): string => formatAddress({ kind: 'PromptTest', name });
