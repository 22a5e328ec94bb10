// The addresses a YAML text's documents define, read leniently: `plan --changed-since` asks what
// a changed file held at REF, so a document removed or moved since is planned too. An old text
// that no longer parses, or a document that is not promptctl's, defines nothing.
import { formatAddress, type Address } from '../model/address.js';
import { lenientDocuments } from '../util/lenient-yaml.js';

/** Every resource address the documents of `text` define (PromptTests and the Config have none that plan). */
export function documentAddresses(text: string): string[] {
  return lenientDocuments(text).flatMap((data) => {
    const a = addressOfDocument(data);
    return a ? [formatAddress(a)] : [];
  });
}

function addressOfDocument(data: unknown): Address | undefined {
  if (!isRecord(data) || data.apiVersion !== 'promptctl/v1' || typeof data.kind !== 'string') return undefined;
  const kind = data.kind;
  const name = isRecord(data.metadata) ? data.metadata.name : undefined;
  const spec = isRecord(data.spec) ? data.spec : {};
  const template = spec.template;
  if (kind === 'PromptVersion') return typeof template === 'string' && typeof spec.version === 'string' ? { kind, name: template, version: spec.version } : undefined;
  if (kind === 'TrafficSplit') return typeof template === 'string' ? { kind, name: template } : undefined;
  if (typeof name !== 'string') return undefined;
  if (kind === 'PromptTemplate' || kind === 'SafetyFilter' || kind === 'Guide' || kind === 'SummarySetting') return { kind, name };
  return undefined;
}

/** The address one document (as parsed) defines, if it defines one. */
export function documentAddressOf(data: unknown): string | undefined {
  const a = addressOfDocument(data);
  return a ? formatAddress(a) : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
