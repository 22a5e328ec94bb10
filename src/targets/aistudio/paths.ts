// Every AI Studio path (DESIGN §3b), in one place. Ids, version labels and session ids are
// URI-encoded here. The emulator builds its routes from these, so client and emulator agree.
import { TOKEN_PATH, userPath } from '../../genesys/conventions.js';

export const GUIDES_BASE = '/api/v2/guides';
export const SUMMARY_SETTINGS_BASE = '/api/v2/conversations/summaries/settings';
export { TOKEN_PATH };

export const paths = {
  guides: () => GUIDES_BASE,
  guide: (guideId: string) => `${GUIDES_BASE}/${enc(guideId)}`,
  /** DELETE starts deleting the guide (an asynchronous job). */
  guideJobs: (guideId: string) => `${GUIDES_BASE}/${enc(guideId)}/jobs`,
  guideJob: (guideId: string, jobId: string) => `${GUIDES_BASE}/${enc(guideId)}/jobs/${enc(jobId)}`,
  guideVersions: (guideId: string) => `${GUIDES_BASE}/${enc(guideId)}/versions`,
  /** `version` is the label Genesys assigned ("1.0", "2.0"), which is also the version's id in paths. */
  guideVersion: (guideId: string, version: string) => `${GUIDES_BASE}/${enc(guideId)}/versions/${enc(version)}`,
  guideVersionJobs: (guideId: string, version: string) => `${GUIDES_BASE}/${enc(guideId)}/versions/${enc(version)}/jobs`,
  guideVersionJob: (guideId: string, version: string, jobId: string) =>
    `${GUIDES_BASE}/${enc(guideId)}/versions/${enc(version)}/jobs/${enc(jobId)}`,
  sessionTurns: (guideId: string, sessionId: string) => `${GUIDES_BASE}/${enc(guideId)}/sessions/${enc(sessionId)}/turns`,
  summarySettings: () => SUMMARY_SETTINGS_BASE,
  summarySetting: (id: string) => `${SUMMARY_SETTINGS_BASE}/${enc(id)}`,
  /** The selfUri of a user; not served by AI Studio. */
  user: userPath,
} as const;

function enc(s: string): string {
  return encodeURIComponent(s);
}
