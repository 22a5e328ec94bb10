// Every LLM Gateway path (DESIGN §3), in one place. Ids and labels are URI-encoded here.
import { TOKEN_PATH, userPath } from '../../genesys/conventions.js';

export const API_BASE = '/api/v2/llmgateway';
export const ANALYTICS_PATH = '/api/v2/analytics/llmgateway/aggregates/query';
export { TOKEN_PATH };

export const paths = {
  templates: () => `${API_BASE}/prompttemplates`,
  template: (id: string) => `${API_BASE}/prompttemplates/${enc(id)}`,
  versions: (id: string) => `${API_BASE}/prompttemplates/${enc(id)}/versions`,
  version: (id: string, label: string) => `${API_BASE}/prompttemplates/${enc(id)}/versions/${enc(label)}`,
  jobs: (id: string, label: string) => `${API_BASE}/prompttemplates/${enc(id)}/versions/${enc(label)}/jobs`,
  job: (id: string, label: string, jobId: string) =>
    `${API_BASE}/prompttemplates/${enc(id)}/versions/${enc(label)}/jobs/${enc(jobId)}`,
  traffic: (id: string) => `${API_BASE}/prompttemplates/${enc(id)}/traffic`,
  filters: () => `${API_BASE}/safetyfilters`,
  filter: (id: string) => `${API_BASE}/safetyfilters/${enc(id)}`,
  invocations: () => `${API_BASE}/invocations`,
  analytics: () => ANALYTICS_PATH,
  /** The selfUri of a user (createdBy/modifiedBy); not served by the gateway. */
  user: userPath,
} as const;

function enc(s: string): string {
  return encodeURIComponent(s);
}
