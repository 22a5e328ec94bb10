// Summary settings over HTTP (AI Studio): a create of unknown outcome is reconciled by name; a
// PUT replaces a setting whole, is resent blindly, and is guarded by the dateModified the plan
// read (A9). Either's 2xx answer is built on only when it is a setting holding what was sent;
// any other is settled by reading the setting back (genesys/rest.ts heldAsSent).
import { ANSWER_SHAPES } from '../answer-shapes.js';
import { conflict, heldAsSent, json, readSettling, type Landed, type RestClient, type WriteAnswered } from '../../genesys/rest.js';
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
    const holds = (live: WireSummarySetting): boolean => this.landed(body, live);
    return asDuplicateName(
      this.r.createNamed<WireSummarySetting>(
        paths.summarySettings(),
        body,
        'summary setting',
        async () => (await this.listSummarySettings({ name: body.name }))[0],
        { shape: ANSWER_SHAPES.summarySetting, holds, isDuplicate: isDuplicateName },
      ),
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
    let where: WriteAnswered = { method: 'PUT', path, what: 'summary setting', shape: ANSWER_SHAPES.summarySetting };
    const answer = await this.r.t.call<WireSummarySetting | undefined>({
      method: 'PUT',
      path,
      json: body,
      parse: (res) => ((where = { ...where, status: res.status, correlationId: res.correlationId }), json<WireSummarySetting | undefined>(res)),
    });
    // Its answer is what the audit records and the report show (dateModified): one that cannot be
    // read is read back, as a create's is, and the setting must hold what was sent.
    return heldAsSent(answer, (live) => this.landed(body, live), (problem) => readSettling(() => this.getSummarySetting(id), where, problem, `summary setting ${body.name}`), where);
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
