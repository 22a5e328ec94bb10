// promptctl entry point: builds the command tree and turns errors into exit codes.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../genesys/api.js';
import { processTransportStats } from '../genesys/stats.js';
import { UserError, EXIT } from '../util/errors.js';
import { loadTokenCache, saveTokenCache } from '../tokens/cache-file.js';
import { setColor } from './output.js';
import { registerValidate } from './validate.js';
import { registerTokens } from './tokens.js';
import { registerPlan } from './plan.js';
import { registerApply } from './apply.js';
import { registerDrift } from './drift.js';
import { registerExport } from './export.js';
import { registerAudit } from './audit.js';
import { registerEmulator } from './emulator.js';

const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command('promptctl')
    .description('GitOps for Genesys Cloud LLM Gateway prompts: validate, plan, apply, audit.')
    .version(pkg.version, '-V, --version')
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .hook('preAction', async (cmd, action) => {
      if (cmd.opts().color === false) setColor(false);
      if (TOKEN_CACHE_COMMANDS.has(action.name())) await openTokenCache();
    });
  registerValidate(program);
  registerTokens(program);
  registerPlan(program);
  registerApply(program);
  registerDrift(program);
  registerExport(program);
  registerAudit(program);
  registerEmulator(program);
  program.exitOverride();
  return program;
}

/**
 * Commands that count tokens (validate, tokens, and the budget checks of plan, apply and drift)
 * share the content-addressed counts in .promptctl/cache/ across runs.
 */
const TOKEN_CACHE_COMMANDS = new Set(['validate', 'tokens', 'plan', 'apply', 'drift']);
let tokenCacheDir: string | undefined;

async function openTokenCache(): Promise<void> {
  tokenCacheDir = join(process.cwd(), '.promptctl', 'cache');
  await loadTokenCache(tokenCacheDir);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportError(err);
  } finally {
    // Best effort, also after a failed command: counts made are worth keeping; a write error only costs speed.
    if (tokenCacheDir) await saveTokenCache(tokenCacheDir);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version land here with exit code 0; usage errors with 1.
    return err.exitCode === 0 ? EXIT.ok : EXIT.error;
  }
  if (err instanceof UserError) {
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof ApiError) {
    const where = err.method && err.path ? ` (${err.method} ${err.path})` : '';
    const code = err.code ? ` [${err.code}]` : '';
    const corr = err.correlationId ? `, correlation id ${err.correlationId}` : '';
    process.stderr.write(`error: gateway: ${err.message}${code}${where}${err.status ? `, HTTP ${err.status}` : ''}${corr}\n`);
    return EXIT.error;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`error: internal: ${e.message}\n`);
  if (process.env.PROMPTCTL_DEBUG) process.stderr.write(`${e.stack ?? ''}\n`);
  else process.stderr.write('(set PROMPTCTL_DEBUG=1 for details)\n');
  return EXIT.error;
}

/**
 * PROMPTCTL_STATS=1: one last stderr line `promptctl-stats {json}` with the HTTP requests made,
 * retries, 429s, peak memory and CPU time, for benchmarks and reliability tests.
 */
function printStats(): void {
  if (!process.env.PROMPTCTL_STATS || process.env.PROMPTCTL_STATS === '0') return;
  const usage = process.resourceUsage();
  const stats = {
    ...processTransportStats(),
    maxRssKb: usage.maxRSS,
    cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    wallMs: Math.round(performance.now()),
  };
  process.stderr.write(`promptctl-stats ${JSON.stringify(stats)}\n`);
}

main(process.argv).then(
  (code) => {
    printStats();
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: internal: ${String(err)}\n`);
    process.exitCode = EXIT.error;
  },
);
