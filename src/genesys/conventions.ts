// The Genesys Cloud Platform API conventions every target shares (DESIGN §3): the token path,
// correlation and rate-limit headers, listings, ErrorBody. Wire types only; the emulator sees
// them through targets/ (which re-exports them), never through the client.

export const TOKEN_PATH = '/oauth/token';
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
export const CORRELATION_HEADER = 'ININ-Correlation-Id';
export const RATELIMIT_HEADERS = {
  count: 'inin-ratelimit-count',
  allowed: 'inin-ratelimit-allowed',
  reset: 'inin-ratelimit-reset',
} as const;

/** The org the token belongs to: what a plan is bound to. */
export const ORGANIZATION_PATH = '/api/v2/organizations/me';

export interface WireOrganization {
  id: string;
  name: string;
  selfUri?: string;
}

/** The selfUri of a user (createdBy/modifiedBy). */
export const userPath = (id: string): string => `/api/v2/users/${encodeURIComponent(id)}`;

export interface UserRef {
  id: string;
  selfUri?: string;
}

/** Fields every entity carries. */
export interface EntityBase {
  id: string;
  name: string;
  dateCreated: string; // ISO-8601 UTC
  dateModified: string;
  createdBy: UserRef;
  modifiedBy: UserRef;
  selfUri: string;
}

export interface EntityListing<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  lastUri: string;
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
}

export interface ErrorBody {
  message: string;
  code: string; // dotted, e.g. "version.mismatch"
  status: number;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  contextId: string; // = correlation id
  details?: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  errors?: ErrorBody[];
}

export interface OAuthTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number; // seconds
}
