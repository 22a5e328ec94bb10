// A loaded document's YAML tree is let go once the document is in the desired state: the model
// keeps its texts and (lazily) where they are, not the tree. A closure sharing resolveTexts' scope
// kept every tree alive (about 85 MB at 5,000 files, and a third of validate's collector time).
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import { Loader } from '../../../src/load/loader.js';
import { createTokenMemo } from '../../../src/tokens/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const VERSION = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing
  version: "1.0.0"
  systemInstruction: |
    Be brief.
  userTemplate: "Answer {{q}}"
  fewShotExamples:
    - input: a
      output: b
`;

async function loadOne(): Promise<{ tree: WeakRef<object>; loader: Loader }> {
  const loader = new Loader('/nowhere', (abs) => abs, 'promptctl.yaml', createTokenMemo());
  const parsed = parseYaml(VERSION, 'v.yaml');
  const d = parsed.documents[0]!;
  await loader.document(d, false, '/nowhere');
  return { tree: new WeakRef(d.doc), loader };
}

describe('the loader and YAML trees', () => {
  it('keeps no document tree alive, and still locates a text when asked', async () => {
    const { tree, loader } = await loadOne();
    // A WeakRef holds its target until the current job ends.
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
    expect(tree.deref()).toBeUndefined();
    const version = loader.finish().state!.versions[0]!;
    expect(version.textOrigins?.['spec.userTemplate']).toMatchObject({ file: 'v.yaml', line: 8, column: 18 });
    expect(version.textOrigins?.['spec.systemInstruction']).toMatchObject({ file: 'v.yaml', line: 7 });
    expect(version.textOrigins?.['spec.fewShotExamples.0.input']).toMatchObject({ file: 'v.yaml', line: 10 });
  });
});
