// An org whose AI Studio objects are made through its API, as someone in Genesys Cloud makes them
// (for export and adoption tests): a real emulator on port 0, a project directory of the test's,
// an AI Studio client of the org's, and the CLI run there; closed together.
import type { EmulatorOptions } from '../../src/emulator/server.js';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { runCliInProcess, type CliResult } from './cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from './emulator.js';
import { tempDir, type TempDir } from './tmp.js';

export interface AiStudioOrg {
  emu: TestEmulator;
  dir: TempDir;
  studio: AiStudioApi;
  /** promptctl in the directory, against the org. */
  cli(args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

export async function aiStudioOrg(prefix: string, opts: EmulatorOptions = {}): Promise<AiStudioOrg> {
  const emu = await startTestEmulator(opts);
  const dir = await tempDir(prefix);
  const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
  return {
    emu,
    dir,
    studio,
    cli: (args) => runCliInProcess(args, { cwd: dir.path, env: emu.env }),
    async close() {
      await studio.close();
      await emu.close();
      await dir.remove();
    },
  };
}

/** A guide with `instruction` in its production version, made as the Genesys UI makes one (its first version edited, else created); its id. */
export async function publishedGuide(api: AiStudioApi, name: string, instruction: string): Promise<string> {
  const g = await api.createGuide({ name, source: 'Manual' });
  const first = (await api.getGuide(g.id)).latestSavedVersion;
  const v = first ? await api.patchGuideVersion(g.id, first.version, { instruction }) : await api.createGuideVersion(g.id, { instruction });
  await api.publishGuideVersion(g.id, v.version, 'ProductionReady');
  return g.id;
}
