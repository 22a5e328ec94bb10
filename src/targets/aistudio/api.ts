// The typed AI Studio API the rest of promptctl programs against (the Guide and SummarySetting
// kinds, drift, export, test). Implemented by createAiStudioClient (client.ts) over the shared
// REST client; never by a fake.
import type { RateBudget } from '../../genesys/ratelimit.js';
import type {
  GuideCreate,
  GuidePublishState,
  GuideSessionTurnRequest,
  GuideSessionTurnResponse,
  GuideStatus,
  GuideUpdate,
  GuideVersionContent,
  GuideVersionPatch,
  SummarySettingBody,
  WireGuide,
  WireGuideVersion,
  WireSummarySetting,
} from './wire.js';

export type { ApiError } from '../../genesys/errors.js';

/** Which parts of AI Studio the target serves (an org without them answers 404). */
export interface AiStudioSurface {
  guides: boolean;
  summarySettings: boolean;
}

export interface AiStudioApi {
  /** A human-readable description of the target. */
  readonly targetLabel: string;

  /** Whether the target serves guides and summary settings at all (one cheap GET each). */
  probe(): Promise<AiStudioSurface>;

  /**
   * Every guide (all pages). `name` keeps only the guide of exactly that name (the API matches
   * names case-insensitively; the client narrows that to an exact match).
   */
  listGuides(opts?: { name?: string; nameContains?: string; status?: GuideStatus }): Promise<WireGuide[]>;
  getGuide(guideId: string): Promise<WireGuide>;
  /** Creates a guide; an unknown outcome is reconciled by name, so it is never created twice. */
  createGuide(body: GuideCreate): Promise<WireGuide>;
  /** Renames a guide. */
  patchGuide(guideId: string, body: GuideUpdate): Promise<WireGuide>;
  /** Starts the delete job and waits until the guide is gone; rejects with ApiError if the job fails. */
  deleteGuide(guideId: string, opts?: { timeoutMs?: number }): Promise<void>;

  /**
   * Creates the guide's next version (Genesys assigns its label). Refused while the latest
   * version is not ProductionReady: the ApiError then has code LATEST_NOT_PRODUCTION_READY_CODE
   * (assumptions.ts) whatever the server answered, and the caller edits that version instead.
   * An unknown outcome is reconciled by content (the latest saved version holding what was sent).
   */
  createGuideVersion(guideId: string, body: GuideVersionContent): Promise<WireGuideVersion>;
  getGuideVersion(guideId: string, version: string): Promise<WireGuideVersion>;
  /** Replaces the named fields of a Draft or TestReady version (a ProductionReady one is immutable). */
  patchGuideVersion(guideId: string, version: string, body: GuideVersionPatch): Promise<WireGuideVersion>;
  /**
   * Moves a version to TestReady or ProductionReady: starts the publish job and waits for it (or,
   * when the server's 202 carries no job, for the version's state to move). Resolves with the
   * version as it then is; rejects with ApiError if the job fails or does not finish in time.
   */
  publishGuideVersion(
    guideId: string,
    version: string,
    state: GuidePublishState,
    opts?: { timeoutMs?: number },
  ): Promise<WireGuideVersion>;

  /**
   * One turn of a guide test session (what `promptctl test` uses for guides); `test` names the
   * PromptTest it is for (llmgateway/wire.ts `TEST_HEADER`): give it only to the embedded emulator.
   */
  sessionTurn(guideId: string, sessionId: string, body: GuideSessionTurnRequest, opts?: { signal?: AbortSignal; test?: string }): Promise<GuideSessionTurnResponse>;

  /** Every summary setting (all pages); `name` keeps only the setting of exactly that name. */
  listSummarySettings(opts?: { name?: string; language?: string }): Promise<WireSummarySetting[]>;
  getSummarySetting(id: string): Promise<WireSummarySetting>;
  /** Creates a setting; an unknown outcome is reconciled by name. */
  createSummarySetting(body: SummarySettingBody): Promise<WireSummarySetting>;
  /**
   * Replaces the whole setting. With `ifDateModified` (the dateModified the plan read), the setting
   * is read first and a change since then is refused with 409 version.mismatch, unless the setting
   * already holds `body` (there is no integer version to guard with). `beforeWrite` is called right
   * before the PUT (after that read): it may throw to stop the write (an interrupt).
   */
  putSummarySetting(id: string, body: SummarySettingBody, opts?: { ifDateModified?: string; beforeWrite?: () => void }): Promise<WireSummarySetting>;
  deleteSummarySetting(id: string): Promise<void>;

  /** Requests sent so far (every attempt, including retries). */
  readonly stats: { requests: number; retries: number; rateLimited: number };
  /** The rate budget the server has announced so far (inin-ratelimit-*); undefined when it has not. */
  rateBudget(): RateBudget | undefined;
  close(): Promise<void>;
}
