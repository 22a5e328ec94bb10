// /prompttemplates/{id}/traffic: the A/B split, versioned from 0 (none) and routed only to Published versions.
import { paths } from '../targets/llmgateway/paths.js';
import { type TrafficPut, type WireTraffic } from '../targets/llmgateway/wire.js';
import { checkVersion, own, requireTemplate, type Ctx, type Reply } from './context.js';
import { ApiFailure, notFound } from './errors.js';
import { validateBody } from './schemas.js';
import type { TrafficRec } from './state.js';

const INVALID = 'invalid.traffic';

export function renderTraffic(templateId: string, s: TrafficRec): WireTraffic {
  return {
    templateId,
    strategy: s.strategy,
    ...(s.stickyKey !== undefined ? { stickyKey: s.stickyKey } : {}),
    routes: s.routes.map((r) => ({ version: r.version, weight: r.weight })),
    version: s.version,
    dateModified: s.dateModified,
    modifiedBy: s.modifiedBy,
    selfUri: paths.traffic(templateId),
  };
}

export function getTraffic(ctx: Ctx): Reply {
  const t = requireTemplate(ctx);
  const split = ctx.state.traffic[t.id];
  if (!split) throw notFound(`traffic split of prompt template ${t.name}`);
  return { status: 200, body: renderTraffic(t.id, split), changed: false };
}

export function putTraffic(ctx: Ctx): Reply {
  validateBody('TrafficPut', ctx.body, INVALID);
  const body = ctx.body as TrafficPut;
  const t = requireTemplate(ctx);
  const current = ctx.state.traffic[t.id];
  checkVersion(body.version, current?.version ?? 0, `the traffic split of ${t.name}`, t.id);

  const versions = ctx.state.versions[t.id] ?? {};
  const seen = new Set<string>();
  body.routes.forEach((r, i) => {
    const field = `routes[${i}].version`;
    if (seen.has(r.version)) throw invalid(field, `version ${r.version} is routed twice`);
    seen.add(r.version);
    const v = own(versions, r.version);
    if (!v) throw invalid(field, `version ${r.version} does not exist in prompt template ${t.name}`);
    if (v.state !== 'Published') throw invalid(field, `version ${r.version} is ${v.state}; only Published versions can take traffic`);
  });
  const sum = body.routes.reduce((a, r) => a + r.weight, 0);
  if (sum !== 100) throw invalid('routes', `route weights must sum to 100, they sum to ${sum}`);
  const strategy = body.strategy ?? 'random';
  if (strategy === 'sticky' && !body.stickyKey) throw invalid('stickyKey', 'the sticky strategy needs a stickyKey');

  const next: TrafficRec = {
    strategy,
    ...(body.stickyKey !== undefined ? { stickyKey: body.stickyKey } : {}),
    routes: body.routes.map((r) => ({ version: r.version, weight: r.weight })),
    version: (current?.version ?? 0) + 1,
    dateModified: ctx.now,
    modifiedBy: ctx.user,
  };
  ctx.state.traffic[t.id] = next;
  return { status: 200, body: renderTraffic(t.id, next), changed: true };
}

function invalid(fieldName: string, message: string): ApiFailure {
  return new ApiFailure(400, INVALID, message, [{ errorCode: INVALID, fieldName }]);
}
