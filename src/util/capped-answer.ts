// An HTTP answer's body read no further than a limit, for got's requests (the transport's calls,
// the audit sinks' deliveries). got holds every byte of a body (twice, when it joins them), so one
// that never ends (a broken proxy, a hostile host) took the machine's memory before any limit of
// ours saw it: past `maxBytes` as sent, the request is cancelled, and the answer's head, which
// arrived first, is kept for the caller to judge the answer by its status.
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** What of got's request (its promise, which can be cancelled) the cap listens to. */
export interface CancelableRequest {
  on(event: 'request', listener: (req: ClientRequest) => void): unknown;
  on(event: 'downloadProgress', listener: (progress: { transferred: number }) => void): unknown;
  cancel(): void;
}

/** What the cap saw: the head (when it arrived) and whether the body was given up. */
export interface CappedAnswer {
  head?: { status: number; headers: IncomingHttpHeaders };
  tooLarge: boolean;
}

/** Watches `request` from now on: cancelled once more than `maxBytes` of its body arrived. */
export function capAnswer(request: CancelableRequest, maxBytes: number): CappedAnswer {
  const seen: CappedAnswer = { tooLarge: false };
  // got's own 'response' comes only once the body is read: its request's comes with the head.
  request.on('request', (req) => req.once('response', (r: IncomingMessage) => (seen.head = { status: r.statusCode ?? 0, headers: r.headers })));
  request.on('downloadProgress', (p) => {
    if (p.transferred <= maxBytes || seen.tooLarge) return;
    seen.tooLarge = true;
    request.cancel();
  });
  return seen;
}
