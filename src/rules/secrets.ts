// Credentials in prompt text, labels and tests: API keys, private keys, bearer tokens. Errors;
// the message never repeats the secret (diagnostics end up in CI logs).
import type { Diagnostic } from '../model/diagnostic.js';
import type { AnyResource, DesiredState, PromptTest } from '../model/types.js';
import { contentFields, findingDiagnostics, guideFields, locatedField, scanner, summaryFields, type KnownSecret, type NamedPattern, type TextField } from './util.js';
import { maskFor, MIN_MASKED_SECRET, type NamedSecret } from '../util/secrets.js';
import { withEncodedForms } from '../util/secret-forms.js';
import { regexLiteral } from '../util/regex-literal.js';

const hasDigit = (s: string) => /\d/.test(s);
const hasLetter = (s: string) => /[A-Za-z]/.test(s);
/** A digit, or lower and upper case letters both: what a generated token has and a stand-in in capitals does not. */
const looksRandom = (s: string) => hasDigit(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s));
/** An absolute or home path (Unix or Windows): what `pwd` prints, not a password. */
const WORKING_DIRECTORY = /^(?:\/|~\/|[A-Za-z]:[\\/])/;
/** Base64 of `user:password`, both parts there and printable: what an Authorization: Basic header carries. */
function isBasicCredential(b64: string): boolean {
  if (b64.replace(/=+$/, '').length % 4 === 1) return false;
  const text = Buffer.from(b64, 'base64').toString('latin1');
  return /^[\x21-\x7e][\x20-\x7e]{0,127}:[\x20-\x7e]{1,128}$/.test(text) && !text.startsWith(':');
}

/**
 * Each pattern starts with a literal or a boundary lookbehind, and repeats only bounded or after
 * a literal, so a 2 MB hostile text is scanned in linear time. A key's prefix may follow anything
 * but a letter or a digit: a key is often glued to a name by `-` or `_` (`token-sk-…`,
 * `OPENAI_sk-…`, `x-ghp_…`), which `\b` or a lookbehind holding `-` and `_` let pass; a letter
 * before it makes the prefix the end of a word (`task-…`, `risk-…`). A token's run of characters
 * is bounded too, at 65,536 (64 Ki, past any header a server takes, a JWT's claims included): an
 * unbounded one over a run of millions (an 8 MB line of them, which a file may hold) overflowed
 * the regex engine's backtracking stack, and validate ended in an internal error. A run past the
 * bound is found all the same, by its first 64 Ki characters.
 */
export const SECRET_PATTERNS: readonly NamedPattern[] = [
  { name: 'an API key (sk-…)', re: /(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{20,65536}/, literal: 'sk-', accept: (m) => hasDigit(m[0]) },
  { name: 'an AWS access key id', re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}(?![A-Za-z0-9])/ },
  { name: 'an AWS secret access key', re: /aws_?secret_?access_?key["']?\s{0,3}[:=]\s{0,3}["']?[A-Za-z0-9/+]{40}/i },
  { name: 'a private key', re: /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----/, literal: '-----BEGIN ' },
  // HTTP auth schemes are case-insensitive: `authorization: bearer …` is as common as `Bearer`.
  // A token is random: a digit or both cases. One of a single case without digits is a stand-in
  // (`Bearer YOUR_ACCESS_TOKEN_HERE`), as `api_key: YOUR_API_KEY_HERE` is for an assignment.
  { name: 'a bearer token', re: /\bbearer\s{1,5}[A-Za-z0-9\-._~+/]{16,65536}={0,2}/i, accept: (m) => looksRandom(m[0].replace(/^bearer\s+/i, '')) },
  { name: 'a GitHub token', re: /(?<![A-Za-z0-9])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,65536}/, literal: 'gh' },
  { name: 'a GitHub token', re: /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{20,65536}/, literal: 'github_pat_' },
  // Other registries' and hosts' tokens, each with its own fixed prefix (as secret scanners read them).
  { name: 'a GitLab token', re: /(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,65536}/, literal: 'glpat-' },
  { name: 'a Hugging Face token', re: /(?<![A-Za-z0-9])hf_[A-Za-z]{34}(?![A-Za-z0-9_])/, literal: 'hf_', accept: (m) => looksRandom(m[0].slice(3)) },
  { name: 'an npm token', re: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/, literal: 'npm_', accept: (m) => hasDigit(m[0]) },
  { name: 'a SendGrid API key', re: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/, literal: 'SG.' },
  // HTTP Basic credentials: base64 of user:password. "Basic" is an ordinary word, so only what
  // decodes to a printable user:password counts ("basic plan" decodes to no such thing).
  { name: 'HTTP Basic credentials', re: /\bbasic\s{1,5}([A-Za-z0-9+/]{8,200}={0,2})(?![A-Za-z0-9+/=])/i, accept: (m) => isBasicCredential(m[1]!) },
  { name: 'a Slack token', re: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,65536}/, literal: 'xox' },
  { name: 'a Slack webhook URL', re: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,65536}/, literal: 'https://hooks.slack.com/services/' },
  { name: 'a Google API key', re: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/, literal: 'AIza' },
  { name: 'a Stripe key', re: /(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,65536}/, literal: 'k_' },
  // Glued to a name of at most 63 characters (the lookbehind after `eyJ`): its segments' characters
  // include `-` and `_`, so in `-eyJ-eyJ…` a JWT could start after every `-`, and each start read
  // the rest of the run before failing for want of a `.`: quadratic. Starts near a run's start only.
  { name: 'a JSON Web Token', re: /(?<![A-Za-z0-9])eyJ(?<![A-Za-z0-9_-]{67})[A-Za-z0-9_-]{8,65536}\.eyJ[A-Za-z0-9_-]{8,65536}\.[A-Za-z0-9_-]{8,65536}/, literal: 'eyJ' },
  {
    name: 'a password or key assignment',
    // Not `\b`: `_` is a word character, so `\b` missed the commonest form, an environment
    // variable such as DB_PASSWORD=… or OPENAI_API_KEY=….
    re: /(?<![A-Za-z0-9])(?:password|passwd|pwd|api[_-]?key|apikey|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token)["']?\s{0,3}[:=]\s{0,3}["']?([^\s"'{}<>]{8,200})/i,
    // `pwd` is also the working directory a shell session shows (`pwd: /home/user/app2`): a path is that.
    accept: (m) => hasDigit(m[1]!) && hasLetter(m[1]!) && !(/^pwd/i.test(m[0]) && WORKING_DIRECTORY.test(m[1]!)),
  },
  { name: 'a URL with a password', re: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,64}:[^\s@/{}]{3,64}@[A-Za-z0-9.-]{1,253}/i, literal: '://' },
];

/**
 * Other places credentials get pasted into: descriptions, variable defaults, label values, and a
 * test's names, inputs and canned answers (printed by `test`, written to JUnit; labels reach the
 * live org and the audit trail). Findings are named by position or key, never by a value that
 * may be the secret.
 */
function metadataFields(r: AnyResource | PromptTest): TextField[] {
  const fields: { path: string; label: string; text: string }[] = [];
  for (const [key, value] of Object.entries(('labels' in r ? r.labels : undefined) ?? {})) {
    if (typeof value === 'string') fields.push({ path: `metadata.labels.${key}`, label: `label "${key}"`, text: value });
  }
  if (r.kind === 'PromptTest') fields.push(...testFields(r));
  if ((r.kind === 'PromptTemplate' || r.kind === 'SafetyFilter') && r.description) {
    fields.push({ path: 'spec.description', label: 'description', text: r.description });
  }
  if (r.kind === 'PromptVersion' || r.kind === 'Guide') {
    r.variables.forEach((x, i) => {
      if ('default' in x && typeof x.default === 'string') {
        fields.push({ path: `spec.variables.${i}.default`, label: `variable "${x.name}" default`, text: x.default });
      }
      if (x.description) fields.push({ path: `spec.variables.${i}.description`, label: `variable "${x.name}" description`, text: x.description });
    });
  }
  if (r.kind === 'Guide') {
    r.dataActions.forEach((a, i) => {
      if (a.description) fields.push({ path: `spec.dataActions.${i}.description`, label: `data action "${a.label}" description`, text: a.description });
    });
    if (r.knowledge?.description) fields.push({ path: 'spec.knowledge.description', label: 'knowledge description', text: r.knowledge.description });
  }
  if (r.kind === 'SummarySetting') {
    r.customEntities?.forEach((e, i) => {
      fields.push({ path: `spec.customEntities.${i}.description`, label: `custom entity "${e.label}" description`, text: e.description });
    });
  }
  return fields.map((f) => locatedField(r, f.path, f.label, f.text));
}

/** No credential any pattern knows is shorter. */
export const MIN_SCANNED_LENGTH = 8;

/** Model fields that are not the document's own text: where it was read from. */
const NOT_DOCUMENT_TEXT = new Set(['kind', 'source', 'locations', 'keyLocations', 'textOrigins', 'textFiles']);
/**
 * A test's expectations and a canned answer's pattern are left alone: `notContains: "-----BEGIN
 * PRIVATE KEY-----"` is what a guard-rail test says (testFields checks the rest of a test).
 */
const EXPECTATIONS = /^spec\.(cases\.\d+\.expect|responses\.\d+\.match\.regex)(\.|$)/;
/** Model fields kept under `metadata` in the document; every other one is under `spec`. */
const METADATA_FIELDS = new Set(['name', 'labels', 'environments']);

/**
 * Every string of the document the fields above do not name (a data action's label, a summary
 * setting's participant labels, a field a kind gains later) in which `holds` finds something: all
 * of it reaches the org or the plan, so a credential pasted anywhere is found, as a field at its
 * path. Only such a string gets a path and a field (a large set has hundreds of thousands of
 * strings and nearly none holds one), and the fields that are where the document was read from
 * (its locations) are not read at all.
 */
function otherStrings(r: AnyResource | PromptTest, named: ReadonlySet<string>, shortest: number, holds: (text: string) => boolean): TextField[] {
  const out: TextField[] = [];
  const segments: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length < shortest) return;
      const path = segments.join('.');
      if (isNamed(path, named) || (r.kind === 'PromptTest' && EXPECTATIONS.test(path)) || !holds(value)) return;
      out.push(locatedField(r, path, path, value));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const key of Object.keys(value)) {
      segments.push(key);
      visit((value as Record<string, unknown>)[key]);
      segments.pop();
    }
  };
  for (const key of Object.keys(r)) {
    if (NOT_DOCUMENT_TEXT.has(key)) continue;
    segments.push(METADATA_FIELDS.has(key) ? 'metadata' : 'spec', key);
    visit((r as unknown as Record<string, unknown>)[key]);
    segments.length = 0;
  }
  return out;
}

/** `path`, or a field it lies in, is one named above and scanned there whole (a test variable's list). */
function isNamed(path: string, named: ReadonlySet<string>): boolean {
  for (let p = path; ; p = p.slice(0, p.lastIndexOf('.'))) {
    if (named.has(p)) return true;
    if (!p.includes('.')) return false;
  }
}

function testFields(t: PromptTest): { path: string; label: string; text: string }[] {
  const fields = [{ path: 'metadata.name', label: 'the test name', text: t.name }];
  t.cases.forEach((c, i) => {
    const which = `case ${i + 1}`;
    fields.push({ path: `spec.cases.${i}.name`, label: `the name of ${which}`, text: c.name });
    for (const [name, value] of Object.entries(c.vars)) {
      const path = `spec.cases.${i}.vars.${name}`;
      const label = `variable "${name}" of ${which}`;
      // Each value of a list at its own path, where the loader located it.
      if (Array.isArray(value)) value.forEach((text, j) => typeof text === 'string' && fields.push({ path: `${path}.${j}`, label, text }));
      else if (typeof value === 'string') fields.push({ path, label, text: value });
    }
    c.messages.forEach((m, j) => fields.push({ path: `spec.cases.${i}.messages.${j}.content`, label: `message ${j + 1} of ${which}`, text: m.content }));
    // Expectations are left alone: `notContains: "-----BEGIN PRIVATE KEY-----"` is what a guard-rail test says.
  });
  t.responses.forEach((r, i) => {
    fields.push({ path: `spec.responses.${i}.output`, label: `canned answer ${i + 1}`, text: r.output });
    if (r.match.contains) fields.push({ path: `spec.responses.${i}.match.contains`, label: `canned answer ${i + 1}'s match`, text: r.match.contains });
  });
  return fields;
}

let credentialScan: ((text: string) => ReturnType<ReturnType<typeof scanner>>) | undefined;

const PRIVATE_KEY_END = /-----END (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * Where the credentials are in a text no rule checked (an org's live content), each with what it
 * looks like, for masking (plan/live-credentials.ts). A private key is its whole block, from its
 * BEGIN line to its END line (or the end of the text), not the BEGIN line the pattern finds.
 */
export function credentialsIn(text: string): { index: number; length: number; name: string }[] {
  if (text.length < 8) return [];
  const found = (credentialScan ??= scanner(SECRET_PATTERNS))(text);
  const out: { index: number; length: number; name: string }[] = [];
  let covered = 0;
  for (const f of found) {
    if (f.index < covered) continue; // inside a key block already masked
    let end = f.index + f.length;
    if (f.name === 'a private key') {
      PRIVATE_KEY_END.lastIndex = end;
      const m = PRIVATE_KEY_END.exec(text);
      end = m ? m.index + m[0].length : text.length;
    }
    out.push({ index: f.index, length: end - f.index, name: f.name });
    covered = end;
  }
  return out;
}

/**
 * Known values shorter than this are not looked for: the bound output masks from (an OAuth client
 * secret of 4 characters; any other credential the context keeps from 8), so a value that plan would
 * show masked is reported here instead of reaching the org.
 */
const MIN_KNOWN_SECRET = MIN_MASKED_SECRET;

/** The shortest text worth scanning: no credential a pattern knows, nor any known value's form, is shorter. */
export function minScannedLength(known: readonly KnownSecret[]): number {
  return Math.min(MIN_SCANNED_LENGTH, ...known.map((k) => k.value.length).filter((n) => n >= MIN_KNOWN_SECRET));
}

/**
 * A literal search for each known secret value, named by its variable, as it is and URL-encoded or
 * inside base64 (util/secret-forms.ts withEncodedForms): a value pasted so would otherwise pass validate
 * and be published to the org, while plan shows it masked. (A form a document's escape gives it,
 * `&amp;` or markdown's `\_`, is left to output masking, which masks every one.)
 */
export function knownSecretPatterns(known: readonly KnownSecret[]): NamedPattern[] {
  const forms = withEncodedForms(known.filter((k) => k.value.length >= MIN_KNOWN_SECRET)).filter((k) => k.value.length >= MIN_KNOWN_SECRET);
  // One pattern a variable, its forms as alternatives (longest first, as withEncodedForms sorts them):
  // a text is read once for each, not once for each of its forms (a value has a dozen or more).
  const byName = new Map<string, NamedSecret[]>();
  for (const f of forms) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  const values = new Set(known.map((k) => k.value));
  const source = (f: NamedSecret) => (f.anyCase ? anyLetterCase(regexLiteral(f.value)) : values.has(f.value) ? regexLiteral(f.value) : anyHexCase(regexLiteral(f.value)));
  return [...byName].map(([name, list]) =>
    list.length === 1 && !list[0]!.anyCase && values.has(list[0]!.value)
      ? { name: `the value of ${name}`, re: new RegExp(regexLiteral(list[0]!.value)), literal: list[0]!.value }
      : { name: `the value of ${name}`, re: new RegExp(list.map(source).join('|')) },
  );
}

/** A literal's source with each ASCII letter in either case: a long value's form, found so as output masking finds it (`anyCase`). */
function anyLetterCase(source: string): string {
  return source.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
}

/**
 * A URL-encoded form's source with each `%XX` escape's hex in either case: `%2f` and `%2F` are the
 * same character (RFC 3986), and encoders differ in the case they write (and in what they encode:
 * withEncodedForms), so a value pasted with the hex in another case, or mixed, is the value still.
 * Its letters keep their case: a short value in other letters is another value (a long one's forms
 * are found in any case: anyLetterCase).
 */
function anyHexCase(source: string): string {
  const either = (c: string) => (/\d/.test(c) ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`);
  return source.replace(/%([0-9A-Fa-f])([0-9A-Fa-f])/g, (_, a: string, b: string) => `%${either(a)}${either(b)}`);
}

/**
 * In a PromptTest a credential-shaped input is often the point (does the filter redact it?), so
 * there it is a warning: `test` prints names and inputs, and JUnit keeps them. Everywhere else
 * (prompt text, labels) it reaches the org, the plan and the audit trail: an error.
 */
export function checkSecrets(state: DesiredState, known: readonly KnownSecret[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scan = scanner([...knownSecretPatterns(known), ...SECRET_PATTERNS]);
  const shortest = minScannedLength(known);
  const resources: (AnyResource | PromptTest)[] = [...state.templates, ...state.versions, ...state.filters, ...state.guides, ...state.summarySettings, ...state.tests];
  for (const r of resources) {
    const content = r.kind === 'PromptVersion' ? contentFields(r) : r.kind === 'Guide' ? guideFields(r) : r.kind === 'SummarySetting' ? summaryFields(r) : [];
    const named = [...content, ...metadataFields(r)];
    const fields = [...named, ...otherStrings(r, new Set(named.map((f) => f.path)), shortest, (text) => scan(text).length > 0)];
    for (const f of fields) {
      if (f.text.length < shortest) continue;
      const found = scan(f.text);
      if (found.length === 0) continue;
      out.push(
        ...findingDiagnostics(
          f,
          found,
          r.kind === 'PromptTest' ? 'warning' : 'error',
          'secrets/detected',
          (x) =>
            x.name.startsWith('the value of ')
              ? `${f.label} contains ${x.name}; remove it, and rotate that credential: it may have been shared`
              : `${f.label} contains what looks like ${x.name}; keep credentials out of prompts (rotate it if it was real)`,
        ),
      );
    }
  }
  return out;
}

/**
 * `ds` with every credential another rule's message quotes masked (`{{ghp_…}}` is also an
 * undeclared placeholder, and that rule quotes it): secrets/detected reports it by its kind,
 * and no message repeats it (diagnostics end up in CI logs).
 */
export function withoutCredentials(ds: Diagnostic[], known: readonly KnownSecret[] = []): Diagnostic[] {
  // A clean run (thousands of templates, no finding) compiles nothing.
  if (ds.every((d) => d.rule === 'secrets/detected')) return ds;
  const mask = credentialMasker(known);
  return ds.map((d) => {
    if (d.rule === 'secrets/detected') return d;
    const message = mask(d.message);
    if (message === d.message) return d;
    // A suggestion made from a value that held a credential repeats it, changed (lowercased).
    return { ...d, message: message.replace(/ \(did you mean "[^"]*"\?\)/g, '') };
  });
}

/**
 * A function that masks every credential `text` holds (`[redacted: an API key (sk-…)]`), as
 * withoutCredentials does in messages: for what a command prints of names and values beside its
 * diagnostics (`tokens`' addresses and reasons).
 */
export function credentialMasker(known: readonly KnownSecret[] = []): (text: string) => string {
  const patterns = [...knownSecretPatterns(known), ...SECRET_PATTERNS].map((p) => ({ ...p, global: new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`) }));
  return (text) => {
    let out = text;
    for (const p of patterns) {
      if (p.literal !== undefined && !out.includes(p.literal)) continue;
      out = out.replace(p.global, (...args: unknown[]) => {
        const m = Object.assign([...args.slice(0, -2)] as string[], { index: args.at(-2), input: args.at(-1) }) as unknown as RegExpExecArray;
        return p.accept && !p.accept(m) ? m[0] : maskFor(p.name);
      });
    }
    return out;
  };
}
