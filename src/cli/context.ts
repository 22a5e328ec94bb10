// What a command may touch of the outside world, injected (DESIGN §1: "commands write to injected
// streams, so CLI tests can run in-process"). The binary (bin.ts) passes the process's streams,
// environment and working directory; tests pass strings and a temp dir. Nothing here is
// module-level: colour, the token memo and the clients opened all belong to one run.
import { styleText } from 'node:util';
import { sumTransportStats, type TransportStats } from '../genesys/stats.js';
import { proxyPasswords, proxySettingsFrom } from '../genesys/proxy.js';
import { basicCredential } from '../genesys/redact.js';
import { createTokenMemo, type TokenMemo } from '../tokens/count.js';
import { plain, type Style } from '../views/style.js';
import { configSecrets, type KnownSecret } from '../rules/util.js';
import type { Config } from '../model/types.js';
import { maskClipped, maskSecrets, MIN_MASKED_SECRET, type NamedSecret } from '../util/secrets.js';
import { withEscapedForms } from '../util/secret-forms.js';
import { maskJsonValues, maskXmlValues } from '../util/masked-documents.js';
import { createStreamMasker, type StreamMasker } from '../util/stream-masker.js';
import type { SelectedEnvironment } from './environments.js';

/** Back to the start of the line, and erase it. */
const ERASE_LINE = '\r\x1b[K';

/** Where a command writes: anything with `write(string)`; the TTY flags say what it is. */
export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width, for --help. */
  readonly columns?: number;
  /** Whether the terminal shows colour (a tty.WriteStream has it), for --help. */
  hasColors?(): boolean;
}

/** Where apply reads its confirmation from. */
export type InStream = NodeJS.ReadableStream & { readonly isTTY?: boolean };

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: NodeJS.ProcessEnv;
  /** The working directory every relative path (--dir, --out, plan files, state) is resolved against. */
  cwd: string;
  /** Colour on or off before `--no-color`; default from `env` and `stdout.isTTY` (colorFromEnv). */
  color?: boolean;
  /**
   * Subscribes to the user's interrupt (SIGINT and SIGTERM in the binary); returns the
   * unsubscribe. A command that runs until interrupted (`promptctl emulator`) listens, and so do
   * those that make calls and must end in good order while they make them (apply executing its
   * plan; test and run, through interrupt.ts): they stop, report and exit 130. The others
   * install nothing, so an interrupt ends them as it always has.
   */
  onInterrupt?: (listener: () => void) => () => void;
  /**
   * Subscribes to stdout or stderr losing its reader (EPIPE: `promptctl apply | head -3`);
   * returns the unsubscribe. A command that must not stop halfway (apply) listens and ends in
   * its own time; while nobody listens, the process ends at once (EXIT.closedPipe), as a Unix
   * tool stopped by SIGPIPE does. Either way the run's exit code is EXIT.closedPipe.
   */
  onOutputClosed?: (listener: () => void) => () => void;
  /** Ends the process at once (a second interrupt during apply, test or run); absent in-process. */
  exitNow?: (code: number) => void;
  /** `performance.now()` when the run began, for the stats line's wallMs (default 0: process start). */
  startedAt?: number;
  /** The binary only: whether it started from the build's code cache (the stats line says so). */
  codeCache?: boolean;
  /**
   * The clock (default Date.now): how long ago an earlier run wrote the intents apply settles, and
   * so whether a publish job of that run may still be running (apply-settle.ts).
   */
  now?: () => number;
  /**
   * The most of one API answer taken in, as sent and decoded (default 64 MiB): a listing page past
   * it is asked for again in fewer entities. Tests set a small one rather than send 64 MiB.
   */
  maxAnswerBytes?: number;
}

/**
 * Colour on a TTY without NO_COLOR, unless it is a dumb terminal (TERM=dumb, which Node's
 * hasColors and so --help read as no colour); FORCE_COLOR (other than "0" or "false") forces it
 * on, FORCE_COLOR=0 or false off, as Node and --help (main.ts helpHasColors) read it.
 * `--no-color` then turns it off (see CliContext.disableColor).
 */
export function colorFromEnv(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  const off = env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false';
  if (env.FORCE_COLOR && !off) return true;
  return !env.NO_COLOR && !off && stdoutIsTTY && env.TERM !== 'dumb';
}

/**
 * Whether a progress line may be redrawn in place on `stream` (`\r` and erase-line): a terminal
 * that can, not a dumb one (TERM=dumb shows the escape as text), which gets a line per step as a log does.
 */
export function redrawsInPlace(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Anything whose requests count towards the PROMPTCTL_STATS line (a gateway client). */
export interface Counted {
  readonly stats: TransportStats;
}

/** A machine-readable document's text and what it is written in, so its values alone are masked. */
export interface MachineDocument {
  kind: 'json' | 'xml';
  text: string;
}

/** One run of one command: the injected Io, plus what the run accumulates. */
export class CliContext {
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Every count this run makes; seeded from and saved to .promptctl/cache/ by main.ts. */
  readonly tokenMemo: TokenMemo = createTokenMemo();
  /**
   * Secret values in this run's environment (the OAuth client secret, the audit key, tokens), by
   * the variable that holds them: masked in everything the run prints, and looked for in prompts.
   */
  readonly knownSecrets: KnownSecret[];
  /**
   * The known secrets and the forms the documents' escapes give them (JSON, XML, markdown…): what
   * output is masked for. Made when first needed (`--version` masks nothing), again after a secret is learnt.
   */
  private maskedFormsMade: NamedSecret[] | undefined;
  /** Secrets learnt during the run (each access token a client is issued): masked like the known ones. */
  private readonly learnt: NamedSecret[] = [];
  /** The learnt secrets' values in every form output masks them in (`learntSecretForms`), made again after a secret is learnt. */
  private learntFormsMade: NamedSecret[] | undefined;
  /** What the command returned (commander's action handlers cannot return it). */
  exitCode = 0;
  /**
   * The document a command writes on stdout when it ends in an error, from the error's one line
   * (`test --format junit`: a JUnit file holding it, so a CI reporter shows the error instead of
   * failing on an empty file; `plan`, `test` and `drift` with `--format json`: a JSON one).
   * `error` is what was thrown (invalid files carry their diagnostics: cli/common.ts
   * `FilesRefused`). Set by the command; masked like all output.
   */
  failureDocument?: (message: string, error: unknown) => MachineDocument | Promise<MachineDocument>;
  /** The environment `--env` chose (DESIGN §6), set before the command runs; absent: none. */
  environment?: SelectedEnvironment;
  private colorOn: boolean;
  private readonly counted: Counted[] = [];
  /** The line drawn in place on stderr now (inPlace), masked; undefined when none is. */
  private inPlaceShown: string | undefined;

  constructor(io: Io) {
    this.io = io;
    this.env = io.env;
    this.cwd = io.cwd;
    this.colorOn = io.color ?? colorFromEnv(io.env, Boolean(io.stdout.isTTY));
    this.knownSecrets = secretsIn(io.env);
  }

  private get maskedForms(): NamedSecret[] {
    return (this.maskedFormsMade ??= withEscapedForms([...this.knownSecrets, ...this.learnt]));
  }

  /** `text` with every known secret value replaced: nothing the run prints or saves carries one. */
  mask(text: string): string {
    // A value a message or a preview cut short (`"sk-abc…"`) is not whole there: its start is masked too.
    return maskClipped(maskSecrets(text, this.maskedForms), this.maskedForms);
  }

  /** The values of the secrets the run has learnt so far (access tokens). */
  learntSecrets(): string[] {
    return this.learnt.map((s) => s.value);
  }

  /**
   * The learnt secrets' values and every escaped or encoded form `mask` finds them in (base64,
   * URL, JSON…): what the audit trail scrubs its records of, so a record never holds a token in a
   * form that output would have masked (a server's error quoting the request base64-encoded).
   */
  learntSecretForms(): NamedSecret[] {
    return (this.learntFormsMade ??= withEscapedForms(this.learnt));
  }

  /** A secret the run learns (an access token): masked from now on in everything it prints, stream maskers made before included. */
  learnSecret(name: string, value: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.learnt.some((s) => s.value === value)) return;
    this.learnt.push({ name, value });
    this.maskedFormsMade = undefined;
    this.learntFormsMade = undefined;
  }

  /** The value of an environment variable promptctl.yaml names as a secret (loadProject's secretOf). */
  readonly secretOf = (name: string): string | undefined => this.env[name];

  /** The secrets promptctl.yaml names (an audit sink's signing key, whatever its variable is called): masked from now on. */
  learnConfigSecrets(config: Config | undefined): void {
    if (config) for (const s of configSecrets(config, this.secretOf)) this.learnSecret(s.name, s.value);
  }

  /**
   * `mask` for text written as it arrives (a streamed answer): a secret split across pieces is
   * masked too, and one learnt meanwhile (a token renewed during the call) from then on.
   */
  streamMasker(): StreamMasker {
    return createStreamMasker(() => this.maskedForms);
  }

  get color(): boolean {
    return this.colorOn;
  }

  /** `--no-color`. */
  disableColor(): void {
    this.colorOn = false;
  }

  /** The views' colour hook: styled text when colour is on, plain text otherwise. */
  readonly style: Style = (name, s) => (this.colorOn ? styleText(name, s, { validateStream: false }) : plain(name, s));

  /** A text document (plan, report) on stdout, newline-terminated, masked as text. */
  out(text: string): void {
    this.write(this.mask(text));
  }

  /**
   * A machine-readable document on stdout (`--format json`, JUnit XML), newline-terminated, masked
   * in its string values alone: a key, literal or tag that happens to be a short secret's word
   * (`tests`, `true`) stays what the reader parses (util/masked-documents.ts).
   */
  outDocument(doc: MachineDocument): void {
    this.write(this.maskDocument(doc));
  }

  /** A command's output in `format` (its --format): a machine-readable one (json, junit) as `outDocument`, any other as text. */
  outAs(format: string, text: string): void {
    const kind = format === 'json' ? 'json' : format === 'junit' ? 'xml' : undefined;
    if (kind) this.outDocument({ kind, text });
    else this.out(text);
  }

  /** `doc`'s text with every known secret masked in its string values (what `outDocument` writes). */
  maskDocument(doc: MachineDocument): string {
    const mask = (text: string) => this.mask(text);
    return doc.kind === 'json' ? maskJsonValues(doc.text, mask) : maskXmlValues(doc.text, mask);
  }

  private write(masked: string): void {
    this.io.stdout.write(masked.endsWith('\n') ? masked : masked + '\n');
  }

  /** Progress, target lines and warnings: stderr, so stdout stays a clean document. */
  info(line: string): void {
    // Below a line redrawn in place (a progress bar), a notice would run on from its end: it is
    // erased first, and drawn again under the notice.
    const shown = this.inPlaceShown;
    this.io.stderr.write(`${shown !== undefined ? ERASE_LINE : ''}${this.mask(line)}\n${shown ?? ''}`);
  }

  /**
   * Draws `text` on stderr as the line redrawn in place (a terminal's progress bar), over the one
   * shown; undefined erases it. Callers check `redrawsInPlace` first.
   */
  inPlace(text: string | undefined): void {
    if (text === undefined && this.inPlaceShown === undefined) return;
    this.inPlaceShown = text === undefined ? undefined : this.mask(text);
    this.io.stderr.write(`${ERASE_LINE}${this.inPlaceShown ?? ''}`);
  }

  /** Notes a client opened by this run, so that its requests count in the stats line. */
  track(client: Counted): void {
    this.counted.push(client);
  }

  /** Requests, retries and 429s over every client this run opened. */
  transportStats(): TransportStats {
    return sumTransportStats(this.counted.map((c) => c.stats));
  }
}

/** Variables whose names say they hold a credential; values this short would mask ordinary words. */
const SECRET_NAME = /(?:SECRET|PASSWORD|TOKEN|_KEY)$/;
const MIN_SECRET_LENGTH = 8;
/**
 * An OAuth client secret is the one credential promptctl sends itself: masked from as short as
 * the client's own errors mask it (genesys/redact.ts), whatever else such a variable name holds.
 */
const MIN_CLIENT_SECRET_LENGTH = MIN_MASKED_SECRET;

/** The credentials in an environment, longest first (so one containing another is masked whole). */
export function secretsIn(env: NodeJS.ProcessEnv): KnownSecret[] {
  const found: KnownSecret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || !SECRET_NAME.test(name)) continue;
    const clientSecret = name.endsWith('_OAUTHCLIENT_SECRET');
    const min = clientSecret ? MIN_CLIENT_SECRET_LENGTH : MIN_SECRET_LENGTH;
    // As set, and as used: the client trims what it reads (a secret pasted with a trailing space).
    for (const v of new Set([value, value.trim()])) if (v.length >= min) found.push({ name, value: v });
    // An OAuth client's `Authorization: Basic` value (base64 of id:secret), whole, as a server may echo it.
    const id = clientSecret ? env[`${name.slice(0, -'SECRET'.length)}ID`]?.trim() : undefined;
    if (id && value.trim() !== '') found.push({ name, value: basicCredential(id, value.trim()) });
  }
  // A proxy URL's password (HTTPS_PROXY=http://user:password@host:port).
  for (const value of proxyPasswords(proxySettingsFrom(env))) {
    if (value.length >= MIN_SECRET_LENGTH) found.push({ name: 'the proxy password', value });
  }
  return found.sort((a, b) => b.value.length - a.value.length || (a.name < b.name ? -1 : 1));
}
