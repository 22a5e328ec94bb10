// Publish confirmations say what was published, not only that something was: a version confirmed
// Published holding other content than the publish meant is a conflict, however it is confirmed.
import { describe, expect, it } from 'vitest';
import { PublishConfirmations, type ConfirmationReads } from '../../../src/targets/llmgateway/publications.js';
import type { TemplateDirectory } from '../../../src/targets/llmgateway/directory.js';
import type { WireJob, WireVersion } from '../../../src/targets/llmgateway/wire.js';

const meant = 'a'.repeat(64);
const other = 'b'.repeat(64);
const running: WireJob = { id: 'j1', status: 'Running', errors: [], selfUri: '' };
// No listing page knows the template: the job is confirmed alone.
const directory = { pageOf: () => undefined } as unknown as TemplateDirectory;

function confirm(reads: Partial<ConfirmationReads>) {
  const c = new PublishConfirmations({ listPage: async () => ({ entities: [] }) as never, malformed: () => undefined, getJob: async () => undefined, findVersion: async () => undefined, ...reads }, directory);
  return c.wait('t1', '1.1.0', running, { deadline: Date.now() + 5000, batched: false, contentHash: meant });
}

const published = (contentHash: string) => ({ version: '1.1.0', state: 'Published', contentHash }) as WireVersion;

describe('confirming a publication alone', () => {
  it('checks the version’s content when the job says Succeeded', async () => {
    const succeeded = async (): Promise<WireJob> => ({ ...running, status: 'Succeeded' });
    await expect(confirm({ getJob: succeeded, findVersion: async () => published(meant) })).resolves.toMatchObject({ status: 'Succeeded' });
    await expect(confirm({ getJob: succeeded, findVersion: async () => published(other) })).rejects.toMatchObject({ status: 409, code: 'version.mismatch' });
  });

  it('checks it too when the job is gone and the version is Published', async () => {
    await expect(confirm({ findVersion: async () => published(meant) })).resolves.toMatchObject({ status: 'Succeeded' });
    await expect(confirm({ findVersion: async () => published(other) })).rejects.toMatchObject({ status: 409, code: 'version.mismatch' });
  });
});
