// What `run` checks of its --var values before a call, against the versions the call may run on
// (model/routing.ts: the pinned one, else the split's routes, else the newest Published): each
// value typed as they declare it, and refused here when one of them would refuse it, so the
// gateway's 400 never counts the user's slip as a version's error in status.
import type { VariableValue, WireTemplate, WireVariable, WireVersion } from '../targets/llmgateway/wire.js';
import { routedVersions, variableTypes } from '../model/routing.js';
import { checkedVariables } from '../targets/llmgateway/variables.js';
import { setEntry } from '../util/entries.js';
import { messageOf, UserError } from '../util/errors.js';
import { visible, visibleName } from '../util/escapes.js';
import { didYouMean } from '../util/suggest.js';

/** A number as JSON writes it, in decimal: not hex (0x10), octal, binary, Infinity, a leading + or 0. */
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A --var's text as the declared type wants it (numbers and booleans are not strings on the wire). */
export function typedValue(name: string, raw: string, declared: WireVariable | undefined): VariableValue {
  if (!declared) return raw;
  const got = visible(JSON.stringify(raw));
  if (declared.type === 'number') {
    const text = raw.trim();
    const n = DECIMAL.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(n)) throw new UserError(`--var ${name} must be a number written in decimal (such as 42, -1.5 or 2e3), got ${got}`);
    // A whole number past 2^53 is sent as another one (12345678901234567890 as …7000): refused,
    // however it is written (…890, …890.0, …89e1).
    if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
      throw new UserError(`--var ${name} is ${got}, a whole number too large to send exactly as a JSON number (at most ${Number.MAX_SAFE_INTEGER}); declare the variable as a string to send it as written`);
    }
    return n;
  }
  if (declared.type === 'boolean') {
    if (!/^(true|false)$/i.test(raw)) throw new UserError(`--var ${name} must be true or false, got ${got}`);
    return raw.toLowerCase() === 'true';
  }
  return raw;
}

/**
 * How each --var is typed: as every version the call may run on declares it (model/routing.ts).
 * When they declare it with different types, the run is refused, naming them, rather than typed
 * for one version and sent to another; a pinned version that is not there, or not Published, too.
 * So is a --var one of them does not declare: that version refuses it, so whether the call fails
 * would depend on the version it lands on (and count as that version's error in status).
 */
export function declaredVariables(t: WireTemplate, version: string | undefined, given: ReadonlyMap<string, string>): Map<string, WireVariable> {
  const names = [...given.keys()];
  const routing = routedVersions(t.versions ?? [], { pinned: version, split: t.traffic });
  if (routing.kind !== 'routed') {
    const labels = routing.published.map((x) => x.version);
    if (routing.kind === 'unknown') throw new UserError(`template "${t.name}" has no version ${version} on the target${labels.length ? `; published: ${labels.join(', ')}` : ''}`);
    throw new UserError(`version ${version} of template "${t.name}" is a ${routing.version.state} on the target: only a published version can be run${labels.length ? ` (published: ${labels.join(', ')})` : ''}`);
  }
  // No version may answer (none Published; known only when the listing gave the versions): the
  // gateway would refuse the call, counted as the template's error in status.
  if (routing.versions.length === 0 && t.versions !== undefined) throw new UserError(noPublishedVersion(t));
  for (const name of names) {
    const lacking = routing.versions.filter((v) => !(v.variables ?? []).some((d) => d.name === name));
    if (lacking.length === 0 || routing.versions.length === 0) continue;
    const having = routing.versions.filter((v) => !lacking.includes(v));
    const labels = (vs: readonly { version: string }[]): string => vs.map((v) => visibleName(v.version)).join(', ');
    const versions = (vs: readonly { version: string }[]): string => `version${vs.length === 1 ? '' : 's'} ${labels(vs)}`;
    if (having.length === 0) {
      // Most often a typo: what the versions declare, and the name closest to it.
      const declared = [...new Set(routing.versions.flatMap((v) => (v.variables ?? []).map((d) => d.name)))];
      const close = didYouMean(name, declared);
      const which = routing.versions.length === 1 ? `version ${labels(lacking)}, which this call runs, does not declare it` : `none of the versions this call may be routed to (${labels(lacking)}) declares it`;
      const known = declared.length > 0 ? ` (declared: ${declared.map(visibleName).join(', ')})` : ' (they declare none)';
      throw new UserError(`--var ${visibleName(name)}: ${which}${close || known}${close ? '' : '; leave it out'}`);
    }
    throw new UserError(
      `--var ${visibleName(name)}: ${versions(lacking)}, which this call may be routed to, ${lacking.length === 1 ? 'does' : 'do'} not declare it (${labels(having)} ${having.length === 1 ? 'does' : 'do'}), so whether the call is refused would depend on the version it lands on; ${pinOne(t, having, given, 'run one that does', 'leave it out')}`,
    );
  }
  const typing = variableTypes(routing.versions, names);
  if (typing.kind === 'typed') return typing.variables;
  const said = typing.declared.map((d) => `${article(d.type)} in ${visibleName(d.version)}`).join(', ');
  const declaring = routing.versions.filter((v) => typing.declared.some((d) => d.version === v.version));
  throw new UserError(`--var ${typing.name}: the versions this call may be routed to declare it differently (${said}), so its value cannot be typed for the version that answers; ${pinOne(t, declaring, given, 'run one of them')}`);
}

/**
 * "run one that does: x@1.1.0 or x@1.2.0" (`lead`), naming only the versions that would take every
 * value given: a version that would refuse one is no command to copy, the run pinned to it being
 * refused too. When none would, what each would refuse, so that the values can be fixed.
 * `otherwise`: the other way out ("leave it out").
 */
function pinOne(t: WireTemplate, versions: readonly WireVersion[], given: ReadonlyMap<string, string>, lead: string, otherwise?: string): string {
  const refusals = versions.map((v) => ({ v, refused: refusedBy(v, given) }));
  const pin = (v: WireVersion): string => `${t.name}@${visibleName(v.version)}`;
  const or = otherwise ? `, or ${otherwise}` : '';
  const taking = refusals.filter((r) => r.refused.length === 0).map((r) => pin(r.v));
  if (taking.length > 0) return `${lead}: ${taking.join(' or ')}${or}`;
  const one = versions.length === 1;
  const said = refusals.map((r) => (one ? '' : `${visibleName(r.v.version)}: `) + r.refused.join('; ')).join('; ');
  return `${one ? `${visibleName(versions[0]!.version)} would` : 'each of them would'} refuse the values given too (${said}): give values ${one ? 'it takes' : 'one of them takes'} with ${versions.map(pin).join(' or ')}${or}`;
}

/**
 * What version `v` would refuse of the --var values given, each typed as it declares it (a value
 * its type cannot take, a name it does not declare, a value past its enum or maxLength, a required
 * variable left out): empty when a run pinned to it would be sent.
 */
export function refusedBy(v: Pick<WireVersion, 'version' | 'variables'>, given: ReadonlyMap<string, string>): string[] {
  const declared = v.variables ?? [];
  const typed: Record<string, VariableValue> = {};
  const untyped = new Set<string>();
  const problems: string[] = [];
  for (const [name, raw] of given) {
    try {
      setEntry(typed, name, typedValue(name, raw, declared.find((d) => d.name === name)));
    } catch (err) {
      // typedValue words it for --var NAME; here it is one of a version's problems.
      problems.push(messageOf(err).replace(/^--var /, 'variable '));
      untyped.add(name);
    }
  }
  for (const p of checkedVariables(declared, v.version, typed).problems) if (!untyped.has(p.name)) problems.push(visibleName(p.message));
  return problems;
}

/** "template "x" has no published version on the target (Draft: 1.0.0), …": what it holds, by state. */
function noPublishedVersion(t: WireTemplate): string {
  const byState = new Map<string, string[]>();
  for (const v of t.versions ?? []) byState.set(v.state, [...(byState.get(v.state) ?? []), visibleName(v.version)]);
  const held = [...byState].map(([state, labels]) => `${visibleName(state)}: ${labels.join(', ')}`).join('; ');
  return `template "${t.name}" has no published version on the target${held ? ` (${held})` : ''}, so no version can answer a call; apply it first (nothing was sent)`;
}

/**
 * Values a version the call may land on would refuse (a required variable not given, a value not
 * among an enum's, one past its maxLength, a default left to fill in that no call could send) are
 * refused here, before the call: that version would answer 400, and status would count the user's
 * slip as its error. A variable's maxTokens is the gateway's to judge (it counts with the model's
 * own tokenizer).
 */
export function refuseVariables(t: WireTemplate, version: string | undefined, variables: Readonly<Record<string, VariableValue>>): void {
  const routing = routedVersions(t.versions ?? [], { pinned: version, split: t.traffic });
  // Not routed: declaredVariables has refused it, saying why.
  if (routing.kind !== 'routed') return;
  const missing = new Set<string>();
  const refusals = routing.versions
    .map((v) => {
      const problems = checkedVariables(v.variables ?? [], v.version, variables).problems;
      for (const p of problems) if (p.missing) missing.add(p.name);
      return { label: visibleName(v.version), said: problems.map((p) => visibleName(p.message)).join('; ') };
    })
    .filter((r) => r.said !== '');
  if (refusals.length === 0) return;
  // Versions that refuse alike are named together.
  const bySaid = new Map<string, string[]>();
  for (const r of refusals) bySaid.set(r.said, [...(bySaid.get(r.said) ?? []), r.label]);
  const may = routing.versions.length > 1 ? ', which this call may be routed to,' : '';
  const parts = [...bySaid].map(([said, labels]) => `version${labels.length === 1 ? '' : 's'} ${labels.join(', ')}${may} would refuse it: ${said}`);
  const names = [...missing].map(visibleName);
  const give = names.length === 0 ? '' : `give ${names.length === 1 ? `it with --var ${names[0]}=VALUE` : `${names.join(', ')} with --var NAME=VALUE`}; `;
  throw new UserError(`template "${t.name}": ${parts.join('; ')} (${give}nothing was sent)`);
}

const article = (type: string): string => ({ string: 'a string', number: 'a number', boolean: 'true or false' })[type] ?? visibleName(type);
