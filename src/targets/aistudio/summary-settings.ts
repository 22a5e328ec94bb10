// Summary settings over HTTP (AI Studio): a create of unknown outcome is reconciled by name; a
// PUT replaces a setting whole, is resent blindly, and is guarded by the dateModified the plan
// read (A9).
import { ANSWER_SHAPES } from '../answer-shapes.js';
import { conflict, json, type Landed, type RestClient } from '../../genesys/rest.js';
import { asDuplicateName, BY_NAME, isDuplicateName } from './assumptions.js';
import { paths } from './paths.js';
import type { SummarySettingBody, WireSummarySetting } from './wire.js';

export class SummarySettings {
  constructor(
    private readonly r: RestClient,
    /** Decides "does this setting hold what was sent?" on a reconciliation read or a guarded PUT. */
    private readonly landed: Landed<SummarySettingBody, WireSummarySetting>,
  ) {}

  async listSummarySettings(opts: { name?: string; language?: string } = {}): Promise<WireSummarySetting[]> {
    const all = await this.r.listAll<WireSummarySetting>(paths.summarySettings(), {
      name: opts.name,
      language: opts.language,
      ...BY_NAME,
    }, ANSWER_SHAPES.summarySetting);
    return opts.name === undefined ? all : all.filter((s) => s.name === opts.name);
  }

  getSummarySetting(id: string): Promise<WireSummarySetting> {
    return this.r.get<WireSummarySetting>(paths.summarySetting(id), {}, ANSWER_SHAPES.summarySetting);
  }

  createSummarySetting(body: SummarySettingBody): Promise<WireSummarySetting> {
    return asDuplicateName(
      this.r.createNamed(paths.summarySettings(), body, 'summary setting', async () => {
        const live = (await this.listSummarySettings({ name: body.name }))[0];
        return live && { live, same: this.landed(body, live) };
      }, isDuplicateName),
    );
  }

  async putSummarySetting(id: string, body: SummarySettingBody, opts: { ifDateModified?: string; beforeWrite?: () => void } = {}): Promise<WireSummarySetting> {
    const path = paths.summarySetting(id);
    if (opts.ifDateModified !== undefined) {
      // A9: the guard is the dateModified the plan read; a setting already holding `body` is done.
      const live = await this.getSummarySetting(id);
      if (!sameInstant(live.dateModified, opts.ifDateModified)) {
        if (this.landed(body, live)) return live;
        throw conflict(
          `summary setting ${live.name} (${id}) changed since it was read (dateModified ${opts.ifDateModified}, now ${live.dateModified}); plan again`,
          'version.mismatch',
          'PUT',
          path,
        );
      }
    }
    opts.beforeWrite?.();
    return this.r.t.call({ method: 'PUT', path, json: body, parse: json<WireSummarySetting> });
  }

  deleteSummarySetting(id: string): Promise<void> {
    return this.r.delete(paths.summarySetting(id));
  }
}

/** Two timestamps naming the same instant (formats differ: "…00Z" and "…00.000Z"). */
function sameInstant(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return Number.isFinite(x) && x === y;
}
