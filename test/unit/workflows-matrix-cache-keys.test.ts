// A matrix job's saved cache is its own: actions/cache saves a key once, so legs of one matrix
// sharing a key race to save it and all but one lose what they cached (a plan job's test
// results: staging's and prod's calls would be made again on every push).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const WF_DIR = resolve(import.meta.dirname, '../../.github/workflows');

type Step = { uses?: string; with?: Record<string, string> };
type Job = { strategy?: { matrix?: Record<string, unknown> }; steps: Step[] };

describe('workflows: cache keys of matrix jobs', () => {
  for (const file of readdirSync(WF_DIR).filter((f) => /\.ya?ml$/.test(f))) {
    const wf = parse(readFileSync(join(WF_DIR, file), 'utf8')) as { jobs: Record<string, Job> };
    for (const [name, job] of Object.entries(wf.jobs)) {
      const axes = Object.keys(job.strategy?.matrix ?? {}).filter((k) => k !== 'include' && k !== 'exclude');
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/cache@'))) {
        it(`${file} ${name}: the cache key names every matrix axis (${axes.join(', ') || 'none'})`, () => {
          for (const axis of axes) {
            expect(step.with?.key ?? '').toContain(`matrix.${axis}`);
            // A leg restores its own cache first.
            const first = (step.with?.['restore-keys'] ?? '').split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? '';
            expect(first).toContain(`matrix.${axis}`);
          }
        });
      }
    }
  }
});
