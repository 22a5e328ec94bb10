// Generated prompt sets (n templates, one version each, routed 100 %), written as YAML files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function writePromptSet(root: string, n: number, dir = 'prompts'): Promise<string[]> {
  const base = join(root, dir);
  await mkdir(base, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const name = `gen-${String(i).padStart(4, '0')}`;
    names.push(name);
    const yaml = [
      'apiVersion: promptctl/v1',
      'kind: PromptTemplate',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  model: gpt-4o-mini',
      '---',
      'apiVersion: promptctl/v1',
      'kind: PromptVersion',
      'spec:',
      `  template: ${name}`,
      '  version: 1.0.0',
      '  systemInstruction: |',
      `    You are assistant number ${i}.`,
      '    Answer briefly.',
      '  userTemplate: "{{question}}"',
      '  variables:',
      '    - name: question',
      '      type: string',
      '      maxLength: 400',
      '---',
      'apiVersion: promptctl/v1',
      'kind: TrafficSplit',
      'spec:',
      `  template: ${name}`,
      '  routes:',
      '    - version: 1.0.0',
      '      weight: 100',
      '',
    ].join('\n');
    await writeFile(join(base, `${name}.yaml`), yaml);
  }
  return names;
}
