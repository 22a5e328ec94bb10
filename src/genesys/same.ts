// "Did my write land?" — compares what the client sent with what the server now holds, after
// server defaults, so a reconciliation read can tell our own earlier success from someone else's.
import {
  type FilterCreate,
  type TemplateCreate,
  type TrafficPut,
  type WireFilter,
  type WireTemplate,
  type WireTraffic,
  stableStringify,
} from './wire.js';

export function sameTemplate(sent: TemplateCreate, live: WireTemplate): boolean {
  return stableStringify(templateShape(sent)) === stableStringify(templateShape(live));
}

export function sameFilter(sent: FilterCreate, live: WireFilter): boolean {
  return stableStringify(filterShape(sent)) === stableStringify(filterShape(live));
}

export function sameTraffic(sent: TrafficPut, live: WireTraffic): boolean {
  return stableStringify(trafficShape(sent)) === stableStringify(trafficShape(live));
}

function templateShape(t: TemplateCreate) {
  return { name: t.name, description: t.description ?? '', model: t.model, labels: t.labels ?? {} };
}

function filterShape(f: FilterCreate) {
  return {
    name: f.name,
    description: f.description ?? '',
    enabled: f.enabled ?? true,
    priority: f.priority,
    categories: [...f.categories].sort(),
    action: f.action,
    thresholds: f.thresholds,
    falsePositiveTolerance: f.falsePositiveTolerance,
    appliesTo: {
      templates: [...(f.appliesTo?.templates ?? [])].sort(),
      labels: f.appliesTo?.labels ?? {},
    },
    labels: f.labels ?? {},
  };
}

function trafficShape(t: Omit<TrafficPut, 'version'>) {
  return {
    strategy: t.strategy,
    stickyKey: t.strategy === 'sticky' ? (t.stickyKey ?? null) : null,
    routes: [...t.routes]
      .map((r) => ({ version: r.version, weight: r.weight }))
      .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)),
  };
}
