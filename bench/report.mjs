// The bench's report: the figures `bench/run.mjs` measured, laid out as markdown tables (ratios to
// floors, with each target's verdict; every run), and written into RESULTS.md between its markers.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { CONTRACT_FORMULA } from './contract.mjs';
import { LONG_TEXT_LINES } from './long-text.mjs';
import { verdictWithin } from './stats.mjs';

const BEGIN = '<!-- bench:begin (written by npm run bench; edits inside are overwritten) -->';
const END = '<!-- bench:end -->';

export const ms = (v) => `${Math.round(v)} ms`;
const sec = (v) => `${(v / 1000).toFixed(2)} s`;
const int = (v) => Math.round(v).toLocaleString('en-US');
// A floor of 0 (a rate-limited apply small enough to fit one window starts at once) makes no ratio.
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
const verdict = (ok) => (ok ? ' ✓' : ' ✗');
const interval = ([low, high]) => `90 % ${low.toFixed(2)}–${high.toFixed(2)}×; `;

function markdownTable(head, body, alignLeft = [0]) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (alignLeft.includes(i) ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (alignLeft.includes(i) ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

function ratioTable(o, startup, sizes, rate, longText) {
  const body = [];
  const add = (figure, size, measured, floorName, floor, r, target) => body.push([figure, size, measured, floorName, floor, r, target]);
  if (startup) {
    add('`promptctl --version`', 'example', ms(startup.version), '`node -e 0`', ms(startup.node), ratio(startup.version, startup.node), '');
    add('`promptctl validate`', 'example', ms(startup.validate), '`node -e 0`', ms(startup.node), ratio(startup.validate, startup.node), '');
    const r = startup.validate / startup.version;
    add('`promptctl validate`', 'example', ms(startup.validate), '`--version`', ms(startup.version), ratio(startup.validate, startup.version), `≤ 2×${verdict(r <= 2)}`);
  }
  for (const s of sizes) {
    const size = int(s.size);
    const atTarget = s.size === 5000;
    const r = s.validatePairRatio;
    const pairs = `${interval(s.validatePairInterval)}pairs ${s.validatePairRatios[0].toFixed(2)}–${s.validatePairRatios.at(-1).toFixed(2)}×`;
    add('validate (warm token cache)', size, sec(s.validate.wallMs), 'YAML floor', sec(s.yamlFloor), `${r.toFixed(2)}× (${pairs})`, atTarget ? `≤ 1.25× ${verdictWithin(r, s.validatePairInterval, 1.25)}` : '');
    add('validate (cold token cache)', size, sec(s.validateCold.wallMs), 'YAML floor', sec(s.yamlFloor), ratio(s.validateCold.wallMs, s.yamlFloor), '');
    if (s.planNoChange) {
      const p = s.planPairRatio;
      const cpu =
        (s.planPairCpuRatio === undefined ? '' : `CPU ${s.planPairCpuRatio.toFixed(2)}×; `) +
        (s.planPairMainRatio === undefined ? '' : `main thread ${s.planPairMainRatio.toFixed(2)}×, waited ${int(s.planMainWaitMs)} vs ${int(s.validateMainWaitMs)} ms; `);
      const spread = `pairs ${s.planPairRatios[0].toFixed(2)}–${s.planPairRatios.at(-1).toFixed(2)}×`;
      add('plan (no changes)', size, sec(s.planNoChange.wallMs), 'validate', sec(s.validatePaired.wallMs), `${p.toFixed(2)}× (${interval(s.planPairInterval)}${cpu}${spread})`, `≤ 1.10× ${verdictWithin(p, s.planPairInterval, 1.1)}`);
      if (s.planInRepo) {
        const q = s.planInRepoRatio;
        const inRepoSpread = `pairs ${s.planInRepoRatios[0].toFixed(2)}–${s.planInRepoRatios.at(-1).toFixed(2)}×`;
        const inRepoMain = s.planInRepoMainRatio === undefined ? '' : `main thread ${s.planInRepoMainRatio.toFixed(2)}×; `;
        add('plan (no changes), in a git repository', size, sec(s.planInRepo.wallMs), 'validate', sec(s.validateInRepo.wallMs), `${q.toFixed(2)}× (${interval(s.planInRepoInterval)}${inRepoMain}${inRepoSpread})`, `≤ 1.10× ${verdictWithin(q, s.planInRepoInterval, 1.1)}`);
      }
    } else {
      add('plan (all creates)', size, sec(s.planCreates.wallMs), 'validate', sec(s.validate.wallMs), ratio(s.planCreates.wallMs, s.validate.wallMs), '');
    }
    if (s.apply) {
      const q = s.apply.requests / s.minimum;
      add('apply: HTTP requests', size, perResource(s.apply.requests, s.resources), 'contract minimum', perResource(s.minimum, s.resources), ratio(s.apply.requests, s.minimum), s.size === 1000 ? `≤ 1.02×${verdict(q <= 1.02)}` : '');
    }
  }
  if (longText) {
    add('`promptctl validate`, one text indented with U+3000', `${int(LONG_TEXT_LINES)} lines`, ms(longText.ideographic), 'the same, ASCII spaces', ms(longText.ascii), ratio(longText.ideographic, longText.ascii), '');
  }
  if (rate) {
    const share = rate.floorMs / rate.apply.wallMs;
    const refused = Math.max(rate.served?.rateLimited ?? 0, rate.apply.rateLimited ?? 0);
    add(
      `apply, rate limited (${o.rateLimit}/${o.rateWindowMs / 1000} s)`,
      int(rate.size),
      `${sec(rate.apply.wallMs)}, ${int(rate.accepted)} requests, ${refused} × 429`,
      `requests ÷ ${rate.perSecond}/s`,
      sec(rate.floorMs),
      `${ratio(rate.apply.wallMs, rate.floorMs)} (${Math.round(share * 100)} % of the rate)`,
      `≥ 97 %, 0 × 429${verdict(share >= 0.97 && refused === 0)}`,
    );
    // Under the limit apply goes depth-first (each template published and routed before the next
    // is started): its publications are confirmed in more, smaller listings than one sweep needs.
    add(
      `apply, rate limited: HTTP requests`,
      int(rate.size),
      perResource(rate.apply.requests, rate.resources),
      'contract minimum',
      perResource(rate.minimum, rate.resources),
      ratio(rate.apply.requests, rate.minimum),
      '',
    );
    add(
      `apply, rate limited (${o.rateLimit}/${o.rateWindowMs / 1000} s)`,
      int(rate.size),
      sec(rate.apply.wallMs),
      'earliest the rolling window allows',
      sec(rate.earliestMs),
      ratio(rate.apply.wallMs, rate.earliestMs),
      '',
    );
  }
  return markdownTable(['figure', 'templates', 'measured', 'floor', 'floor measured', 'ratio', 'target (not asserted)'], body, [0, 2, 3]);
}

/** "6,079 (1.52/resource)". */
function perResource(requests, resources) {
  return `${int(requests)} (${(requests / resources).toFixed(2)}/resource)`;
}

function detailTable(rows) {
  const body = rows.map((r) => [
    int(r.size),
    int(r.resources),
    r.step,
    (r.wallMs / 1000).toFixed(2),
    r.cpuMs === undefined ? '' : (r.cpuMs / 1000).toFixed(2),
    r.maxRssKb === undefined ? '' : (r.maxRssKb / 1024).toFixed(0),
    String(r.requests ?? ''),
    r.requests ? (r.requests / r.resources).toFixed(2) : '0',
    String(r.retries ?? ''),
    String(r.rateLimited ?? ''),
  ]);
  return markdownTable(['templates', 'resources', 'step', 'wall s', 'CPU s', 'peak RSS MB', 'HTTP requests', 'req/resource', 'retries', '429s'], body, [2]);
}

function machine(startLoad, loads) {
  const c = cpus();
  const endLoad = loadavg();
  const fmt = (l) => l.map((x) => x.toFixed(2)).join(' / ');
  return [
    `- CPU: ${c[0]?.model?.trim() ?? 'unknown'}, ${c.length} cores`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end)`,
    `- Node ${process.version}, ${process.platform} ${release()}`,
    `- load average (1 / 5 / 15 min): ${fmt(startLoad)} at the start, ${fmt(endLoad)} at the end; 1-minute average between steps ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`,
    `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  ].join('\n');
}

/**
 * The block `npm run bench` writes into RESULTS.md: the machine, every figure as a ratio to its
 * floor, how each was measured, and every run. `loads`: the 1-minute load average after each step;
 * `rows`: every CLI run worth a line.
 */
export function report({ options: o, startLoad, loads, rows, startup, sizes, rate, longText, tookMs }) {
  return [
    '## Machine',
    '',
    machine(startLoad, loads),
    '',
    `## Ratios to floors (this run, ${Math.round(tookMs / 1000)} s)`,
    '',
    ratioTable(o, startup, sizes, rate, longText),
    '',
    `Walls are medians of ${o.repeat} alternating runs (start-up: ${o.startupRuns}). Generated sets: N templates, ${o.versions} versions each, an A/B split (${2 + o.versions} resources per template, one file per template). Emulator: \`promptctl emulator --latency-ms ${o.latencyMs}\`, rate limit off except in the rate-limited apply.`,
    '',
    `- YAML floor: \`node bench/yaml-floor.mjs DIR\`, a Node process that reads every YAML file of the set and parses it with \`yaml\`'s \`parseAllDocuments\`, nothing else. validate (warm token cache): the median of the ${o.repeat} pairs' own ratios, each validate against the floor run just before it, with where that median lands in 90 % of runs and the lowest and highest pair, as for plan below; the walls shown are the medians of each.`,
    `- plan (no changes): the ratio is the median of the ${o.planPairs} pairs' own ratios, each plan against the validate run just before it (a machine that slows for a while slows both); in brackets first where the median of as many pairs would land in 90 % of runs on this machine (a bootstrap of these pairs: the target's verdict is marked unsettled when that interval spans it), then the same ratio for CPU time (\`PROMPTCTL_STATS\` cpuMs, GC and compiler threads included), on Linux for the main thread's own CPU time (mainCpuMs) with the median time it waited for a core (mainWaitMs: the emulator, standing in for a remote org, runs on the same cores), and the lowest and highest pair, which say how far this machine's speed moved between two runs. The walls shown are the medians of each.`,
    `- plan (no changes), in a git repository: the same pairs in a copy of the set committed to a new git repository, as a team's checkout is, each round alternating with the pairs outside it (a text plan then starts one git process for its provenance, the status; a JSON plan a second, for HEAD's author; outside a repository it starts none).`,
    `- contract minimum: ${CONTRACT_FORMULA}; with N = ${o.versions}: ${2 + 2 * o.versions} requests per template + 3 + ⌈T ÷ 100⌉. Not in it, though apply makes them: the org's id (\`GET /api/v2/organizations/me\`, which DESIGN §5 binds a plan to) and the AI Studio listings (guides, summary settings) where the target serves them. Under a rate limit apply goes depth-first (each template published and routed before the next is started), so it confirms publications in more, smaller listing rounds than one sweep at the end would.`,
    `- long text: validate of one template whose description runs on for ${int(LONG_TEXT_LINES)} lines, each indented with an ideographic space (U+3000) before Japanese text, against the same text indented with ASCII spaces (\`bench/long-text.mjs\`), medians of ${o.repeat} alternating runs: the checks of spaces other than ASCII's are linear in the lines when the two are close.`,
    `- rate-limited apply: one apply of ${o.rateTemplates} templates against \`--rate-limit ${o.rateLimit} --rate-window-ms ${o.rateWindowMs}\`; floor = requests the emulator accepted ÷ (${o.rateLimit} ÷ ${o.rateWindowMs / 1000} s). The window is rolling, so a first burst of ${o.rateLimit} can finish faster than the floor (a ratio under 1); the stricter floor is the earliest the window lets the last request go, ⌊(requests − 1) ÷ ${o.rateLimit}⌋ windows after the first (the wall adds process start, the plan's reads and the last response).`,
    '',
    '## Every run',
    '',
    detailTable(rows),
  ].join('\n');
}

/** Puts `block` between the markers of `file` (made if missing), keeping the notes around them. */
export async function writeResults(file, block) {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = '# Benchmark results\n\n';
  }
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const generated = `${BEGIN}\n\n${block}\n\n${END}`;
  const next = start !== -1 && end > start ? text.slice(0, start) + generated + text.slice(end + END.length) : `${text.trimEnd()}\n\n${generated}\n`;
  await writeFile(file, next);
}

