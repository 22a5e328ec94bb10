// Each jsonSchema assertion's schema is checked on its own: an `$id` one schema declares inside
// it (in $defs) is no reason to refuse another schema that uses the same `$id` at its root.
import { describe, expect, it } from 'vitest';
import { userSchemaProblem } from '../../../src/schema/user-schemas.js';

describe('userSchemaProblem, schema after schema', () => {
  it('keeps nothing of an earlier schema', () => {
    expect(userSchemaProblem({ $id: 'https://example.com/answer', $defs: { q: { $id: 'https://example.com/queue', type: 'string' } }, type: 'object' })).toBeUndefined();
    expect(userSchemaProblem({ $id: 'https://example.com/queue', type: 'string' })).toBeUndefined();
    expect(userSchemaProblem({ $id: 'https://example.com/answer', type: 'array' })).toBeUndefined();
    // And a reference to another assertion's schema is still unresolvable.
    expect(userSchemaProblem({ $ref: 'https://example.com/queue' })?.message).toContain("can't resolve reference");
  });
});
