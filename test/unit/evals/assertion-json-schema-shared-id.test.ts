// Two jsonSchema assertions of one run whose schemas share an `$id` (one copied from the other and
// changed) are each checked against their own schema: validate checks every schema on its own, so
// the run must not stop with ajv's "schema with key or id already exists".
import { describe, expect, it } from 'vitest';
import { createSchemaCache, evaluate } from '../../../src/evals/assertions.js';
import type { Observation } from '../../../src/evals/types.js';
import type { Assertion } from '../../../src/model/types.js';
import { answered } from '../../helpers/observations.js';

const obs: Observation = answered('{"queue": "billing"}');
const schema = (type: string, nested = false) =>
  ({ type: 'jsonSchema', not: false, path: 'spec.cases.0.expect.0', value: { $id: 'https://example.com/answer', type, ...(nested ? { $defs: { q: { $id: 'https://example.com/q', type: 'string' } } } : {}) } }) as Assertion;

describe('jsonSchema assertions with the same $id', () => {
  it('each is judged against its own schema, in one run', () => {
    const schemas = createSchemaCache();
    expect(evaluate(schema('object'), obs, { inputs: [], schemas }).passed).toBe(true);
    expect(evaluate(schema('array'), obs, { inputs: [], schemas })).toMatchObject({ passed: false, detail: expect.stringContaining('must be array') });
    expect(evaluate(schema('object', true), obs, { inputs: [], schemas }).passed).toBe(true);
    expect(evaluate(schema('array', true), obs, { inputs: [], schemas }).passed).toBe(false);
    // The same schema again is the same verdict.
    expect(evaluate(schema('object'), obs, { inputs: [], schemas }).passed).toBe(true);
  });
});
