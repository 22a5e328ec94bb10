// A version's content hash is the contract's (DESIGN §3: sha256 of the canonical content), kept by
// every server that ever stored one and compared with git's side by a digest listing: its text
// is stable JSON of the canonical fields, and its value must never move.
import { describe, expect, it } from 'vitest';
import { canonicalVersionContent, canonicalVersionFields, versionContentHash, type VersionContent } from '../../../src/targets/llmgateway/wire.js';
import { stableStringify } from '../../../src/util/json.js';

const SAMPLES: VersionContent[] = [
  { systemInstruction: 'Be brief.', userTemplate: 'Q: {{q}}' },
  {
    systemInstruction: 'S "quoted"\n\u2028 é',
    userTemplate: '{{a}} {{b}}',
    variables: [
      { name: 'a', type: 'enum', values: ['x', 'y'], description: 'd', required: false },
      { name: 'b', type: 'number', default: 3, maxLength: 5, maxTokens: 7 },
    ],
    fewShotExamples: [{ input: 'i', output: 'o' }],
    model: 'gpt-4o',
    temperature: 0.2,
    maxTokens: 100,
    safetyGuardrails: { piiFilter: false, outputModeration: false },
  },
];

describe('versionContentHash', () => {
  it('hashes stable JSON of the canonical fields', () => {
    for (const c of SAMPLES) expect(canonicalVersionContent(c)).toBe(stableStringify(canonicalVersionFields(c)));
  });

  it('gives the values servers already hold (measured before the canonical fields were built in key order)', () => {
    expect(SAMPLES.map(versionContentHash)).toEqual([
      '9ec786838f1efe9c2138593b6b3067f6e8340d39e171b306ab2e45f5df80ab68',
      '66a640e4a5c1e76bad63a4cafd4541eccda22db6bc9cda9c04b063898190f57a',
    ]);
  });
});
