// A PUT replaces a summary setting whole, and the plan reads an empty custom entity description
// as none: the body sends an empty one as the live entity holds it, so the write changes nothing
// the plan did not show (an entity without a description does not gain `description: ""`).
import { describe, expect, it } from 'vitest';
import { emptyAsLive } from '../../../src/kinds/SummarySetting/index.js';

describe('emptyAsLive', () => {
  const base = { name: 'Voice wrap-up', language: 'en-US' };
  it('leaves out an empty description where the live entity of that label has none, and keeps every other as git says', () => {
    const body = {
      ...base,
      customEntities: [
        { label: 'Order number', description: '' },
        { label: 'Held empty', description: '' },
        { label: 'New', description: '' },
        { label: 'Refund', description: 'The amount' },
      ],
    };
    const live = { ...base, customEntities: [{ label: 'Order number' }, { label: 'Held empty', description: '' }, { label: 'Refund' }] };
    expect(emptyAsLive(body, live).customEntities).toEqual([
      { label: 'Order number' },
      { label: 'Held empty', description: '' },
      { label: 'New', description: '' },
      { label: 'Refund', description: 'The amount' },
    ]);
  });

  it('changes nothing of a body without custom entities', () => {
    const body = { ...base };
    expect(emptyAsLive(body, { ...base, customEntities: [{ label: 'x' }] })).toBe(body);
  });
});
