// Failures the emulator answers with: an HTTP status plus a Genesys ErrorBody (dotted code).
import type { BlockedRoute, BlockedSpend, ErrorBody } from '../targets/llmgateway/wire.js';

export type ErrorDetail = NonNullable<ErrorBody['details']>[number];

/** Thrown by handlers; the server turns it into an ErrorBody response. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly messageParams?: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** A failure whose message is a template with {name} placeholders filled from params. */
  static withParams(status: number, code: string, template: string, params: Record<string, string>, details: ErrorDetail[] = []): ApiFailure {
    const f = new ApiFailure(status, code, template.replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m), details, params);
    f.messageWithParams = template;
    return f;
  }

  messageWithParams?: string;

  /** Fields beyond ErrorBody's (DESIGN §3 allows optional ones): a block's template and version, a blocked output's usage and cost. */
  extensions?: BlockedSpend & BlockedRoute;
}

export function errorBody(f: ApiFailure, contextId: string): ErrorBody & BlockedSpend & BlockedRoute {
  const body: ErrorBody = {
    message: f.message,
    code: f.code,
    status: f.status,
    contextId,
    details: f.details,
    errors: [],
  };
  if (f.messageParams) body.messageParams = f.messageParams;
  if (f.messageWithParams) body.messageWithParams = f.messageWithParams;
  return f.extensions ? { ...body, ...f.extensions } : body;
}

export const notFound = (what: string): ApiFailure => new ApiFailure(404, 'not.found', `${what} not found`);

export const badRequest = (message: string): ApiFailure => new ApiFailure(400, 'bad.request', message);

export const invalidValue = (fieldName: string, message: string, code = 'invalid.value'): ApiFailure =>
  new ApiFailure(400, code, message, [{ errorCode: code, fieldName }]);

export const conflict = (code: string, message: string, entityId?: string, entityName?: string): ApiFailure =>
  new ApiFailure(409, code, message, [{ errorCode: code, ...(entityId ? { entityId } : {}), ...(entityName ? { entityName } : {}) }]);
