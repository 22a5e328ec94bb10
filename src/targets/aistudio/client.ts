// AiStudioApi over HTTP on the shared REST client (genesys/): guides (guides.ts), guide versions
// (guide-versions.ts), their jobs (jobs.ts), summary settings (summary-settings.ts), and here the
// probe and guide session turns. Every write whose outcome can be unknown carries a
// reconciliation read, so a retry never creates a second guide, version or setting; whether a
// live object holds what was sent is decided by the kinds' canonical forms, passed in as
// `landed`. What the platform does where it is undocumented, and how this client copes, is in
// assumptions.ts.
import { json, RestClient, type ConnectionOptions, type Landed } from '../../genesys/rest.js';
import type { AiStudioApi, AiStudioSurface } from './api.js';
import { paths } from './paths.js';
import { requiredRight } from './rights.js';
import { testHeader } from '../llmgateway/wire.js';
import { Guides } from './guides.js';
import { GuideVersions } from './guide-versions.js';
import { DEFAULT_JOB_TIMEOUT_MS } from './jobs.js';
import { SummarySettings } from './summary-settings.js';
import { TURN_NOT_SENT_AGAIN } from '../../util/errors.js';
import type {
  GuideCreate,
  GuideSessionTurnRequest,
  GuideSessionTurnResponse,
  GuideVersionContent,
  SummarySettingBody,
  WireGuide,
  WireGuideVersion,
  WireSummarySetting,
} from './wire.js';

export type { ResponseInfo, RetryInfo } from '../../genesys/rest.js';

/** Whether a live object holds what was sent: one check per object with a body (kinds/ supplies them). */
export interface AiStudioWriteChecks {
  guide: Landed<GuideCreate, WireGuide>;
  guideVersion: Landed<GuideVersionContent, WireGuideVersion>;
  summarySetting: Landed<SummarySettingBody, WireSummarySetting>;
}

export interface AiStudioClientOptions extends ConnectionOptions {
  /** Decides "did my write land?" on a reconciliation read. */
  landed: AiStudioWriteChecks;
  /** How long publishGuideVersion and deleteGuide wait by default (default 120 s). */
  jobTimeoutMs?: number;
  /** The connection to call through, shared with another surface's client (one token), and closed by whoever made it; default its own. */
  connection?: RestClient;
}

/** The AI Studio API over one REST client: each call handed to the module of its concern. */
export function createAiStudioClient(opts: AiStudioClientOptions): AiStudioApi {
  const r = opts.connection ?? new RestClient({ rightOf: requiredRight, ...opts });
  const jobTimeoutMs = opts.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const guides = new Guides(r, opts.landed.guide, jobTimeoutMs);
  const versions = new GuideVersions(r, opts.landed.guideVersion, jobTimeoutMs);
  const settings = new SummarySettings(r, opts.landed.summarySetting);
  return {
    targetLabel: opts.targetLabel,
    get stats() {
      return r.stats;
    },
    rateBudget: () => r.rateBudget(),
    close: () => (opts.connection ? Promise.resolve() : r.close()),
    probe: () => probe(r),

    listGuides: (o) => guides.listGuides(o),
    getGuide: (guideId) => guides.getGuide(guideId),
    createGuide: (body) => guides.createGuide(body),
    patchGuide: (guideId, body) => guides.patchGuide(guideId, body),
    deleteGuide: (guideId, o) => guides.deleteGuide(guideId, o),

    createGuideVersion: (guideId, body) => versions.createGuideVersion(guideId, body),
    getGuideVersion: (guideId, version) => versions.getGuideVersion(guideId, version),
    patchGuideVersion: (guideId, version, body) => versions.patchGuideVersion(guideId, version, body),
    publishGuideVersion: (guideId, version, state, o) => versions.publishGuideVersion(guideId, version, state, o),

    sessionTurn: (guideId, sessionId, body, o) => sessionTurn(r, guideId, sessionId, body, o),

    listSummarySettings: (o) => settings.listSummarySettings(o),
    getSummarySetting: (id) => settings.getSummarySetting(id),
    createSummarySetting: (body) => settings.createSummarySetting(body),
    putSummarySetting: (id, body, o) => settings.putSummarySetting(id, body, o),
    deleteSummarySetting: (id) => settings.deleteSummarySetting(id),
  };
}

/** Whether the target serves guides and summary settings: one cheap GET each, a 404 meaning no. */
async function probe(r: RestClient): Promise<AiStudioSurface> {
  const serves = (path: string) =>
    r.t.call<boolean>({
      method: 'GET',
      path,
      searchParams: { pageSize: 1, pageNumber: 1 },
      accept: (res) => res.status === 404,
      parse: (res) => res.status !== 404,
    });
  const [guides, summarySettings] = await Promise.all([serves(paths.guides()), serves(paths.summarySettings())]);
  return { guides, summarySettings };
}

/** One turn of a guide test session. */
function sessionTurn(
  r: RestClient,
  guideId: string,
  sessionId: string,
  body: GuideSessionTurnRequest,
  opts: { signal?: AbortSignal; test?: string } = {},
): Promise<GuideSessionTurnResponse> {
  return r.t.call({
    method: 'POST',
    path: paths.sessionTurns(guideId, sessionId),
    json: body,
    // Not resent after an attempt of unknown outcome: it may have run the guide's model (each turn
    // is billed) and added the turn to the session already (A10); no read can tell.
    billed: TURN_NOT_SENT_AGAIN,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.test !== undefined ? { headers: testHeader(opts.test) } : {}),
    parse: json<GuideSessionTurnResponse>,
  });
}
