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
    expect(emptyAsLive(body, { ...base, customEntities: [{ label: 'x' }] })).toEqual(body);
  });

  // A review: export leaves out an empty participant label and integration id, which the plan
  // reads as none: the PUT dropped the org's empty values, a change no plan showed.
  it('sends an empty participant label and integration id as the live setting holds them; a set one as git says', () => {
    const live = { ...base, participantLabels: { internal: '', external: 'Customer' }, integrationId: '' };
    expect(emptyAsLive({ ...base }, live)).toEqual({ ...base, participantLabels: { internal: '' }, integrationId: '' });
    expect(emptyAsLive({ ...base, participantLabels: { internal: 'Agent', external: '' } }, { ...base, participantLabels: {} })).toEqual({ ...base, participantLabels: { internal: 'Agent' } });
    expect(emptyAsLive({ ...base, integrationId: 'int-1' }, live)).toEqual({ ...base, participantLabels: { internal: '' }, integrationId: 'int-1' });
  });
});
