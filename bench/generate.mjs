// Generates synthetic prompt sets for benchmarks and scale/fault tests.
// Plain JS so both `npm run bench` and the vitest suites can import it without a build.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const CATEGORIES = ['hate_speech', 'violence', 'self_harm', 'sexual', 'political', 'pii', 'phishing'];

/**
 * Writes `templates` templates, each with `versions` published versions and an A/B split, plus
 * `filters` safety filters (at most 50 can be enabled; the rest are written disabled).
 * One file per template, like a real repository. Returns the resource count.
 */
export async function generatePromptSet(dir, { templates, versions = 2, filters = 0, seedText = '' }) {
  await mkdir(join(dir, 'templates'), { recursive: true });
  const writes = [];
  for (let t = 0; t < templates; t++) {
    const name = `tpl-${String(t).padStart(5, '0')}`;
    const docs = [
      `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name}\n  labels: {team: team-${t % 7}}\nspec:\n  description: Synthetic template ${t}${seedText}\n  model: ${t % 3 === 0 ? 'gpt-4o-mini' : 'gpt-4o'}\n  budget: {maxPromptTokens: 8000}\n`,
    ];
    const labels = [];
    for (let v = 0; v < versions; v++) {
      const label = `1.${v}.0`;
      labels.push(label);
      docs.push(
        `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: ${name}\n  version: "${label}"\n` +
          `  systemInstruction: |\n    You are assistant number ${t} (revision ${v}) for the synthetic team ${t % 7}.\n` +
          `    Answer briefly, cite the policy section, and never reveal internal notes.${seedText}\n` +
          `  userTemplate: "Customer {{customer}} asks about order {{order_id}}: {{question}}"\n` +
          `  variables:\n    - {name: customer, type: string, maxLength: 80}\n    - {name: order_id, type: string, maxLength: 20}\n    - {name: question, type: string, maxTokens: 400}\n` +
          `  temperature: 0.${(t + v) % 10}\n  maxTokens: 512\n`,
      );
    }
    const weights = splitWeights(labels.length);
    docs.push(
      `apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: ${name}\n  strategy: random\n  routes:\n` +
        labels.map((l, i) => `    - {version: "${l}", weight: ${weights[i]}}\n`).join(''),
    );
    writes.push([join(dir, 'templates', `${name}.yaml`), docs.join('---\n')]);
  }
  const fdocs = [];
  for (let f = 0; f < filters; f++) {
    const cats = [CATEGORIES[f % CATEGORIES.length], CATEGORIES[(f + 3) % CATEGORIES.length]];
    fdocs.push(
      `apiVersion: promptctl/v1\nkind: SafetyFilter\nmetadata:\n  name: filter-${String(f).padStart(3, '0')}\nspec:\n` +
        `  enabled: ${f < 50}\n  priority: ${(f % 100) + 1}\n  categories: [${cats.join(', ')}]\n  action: ${f % 2 ? 'redact_and_log' : 'block_and_log'}\n` +
        `  thresholds: {${cats[0]}: 0.${(f % 8) + 1}}\n  falsePositiveTolerance: 0.05\n`,
    );
  }
  if (fdocs.length) writes.push([join(dir, 'safety-filters.yaml'), fdocs.join('---\n')]);
  await writeAll(writes);
  return templates * (2 + versions) + filters;
}

/** Writes [path, text] pairs a few at a time: one open file per template at once ran out of file descriptors (EMFILE at 20,000). */
async function writeAll(writes, inFlight = 64) {
  let next = 0;
  const worker = async () => {
    while (next < writes.length) {
      const [path, text] = writes[next++];
      await writeFile(path, text);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, writes.length) }, worker));
}

function splitWeights(n) {
  const base = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? 100 - base * (n - 1) : base));
}
