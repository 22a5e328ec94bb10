// /conversations/summaries/settings[/{id}]: summary settings. PUT replaces the whole setting
// (what it leaves out is cleared); there is no integer version, only dateModified, which moves
// on every change (strictly, so a guard on it never misses one). Choices: E3, E4, E9, E10, E16 of
// src/targets/aistudio/assumptions.ts.
import { randomUUID } from 'node:crypto';
import { paths } from '../targets/aistudio/paths.js';
import { SORT_ORDERS, SUMMARY_SORT_FIELDS, type SummarySettingBody, type WireSummarySetting } from '../targets/aistudio/wire.js';
import { compare, enumParam, fold } from './aistudio-guides.js';
import { own, type SummarySettingRec } from './aistudio-records.js';
import { validateAiStudio } from './aistudio-validate.js';
import { param, type Ctx, type Reply } from './context.js';
import { ApiFailure, invalidValue, notFound } from './errors.js';
import { listReply, parsePaging, textParam } from './listing.js';
import type { State } from './state.js';

const FIELDS = [
  'name',
  'language',
  'summaryType',
  'format',
  'maskPII',
  'participantLabels',
  'predefinedInsights',
  'customEntities',
  'settingType',
  'prompt',
  'serviceType',
  'integrationId',
  'timeoutDuration',
] as const satisfies ReadonlyArray<keyof SummarySettingBody>;

/** What the summary routes need from the server: the option of E16. */
export interface SummaryRuntime {
  /** E16: a setting written without summaryType or format gets the emulator's defaults. */
  readonly summaryDefaults: boolean;
}

/** E16's defaults: what a real org might fill in, undocumented. */
const SUMMARY_DEFAULTS = { summaryType: 'Concise', format: 'TextBlock' } as const;

export function renderSummarySetting(s: SummarySettingRec): WireSummarySetting {
  return { ...s, selfUri: paths.summarySetting(s.id) };
}

/** GET: name (partial, case-insensitive), language (case-insensitive), sortBy, sortOrder, paging. */
export function listSummarySettings(ctx: Ctx): Reply {
  const paging = parsePaging(ctx.query);
  const name = textParam(ctx.query, 'name');
  const language = textParam(ctx.query, 'language');
  const sortBy = enumParam(ctx.query, 'sortBy', SUMMARY_SORT_FIELDS) ?? 'dateModified';
  const order = enumParam(ctx.query, 'sortOrder', SORT_ORDERS) ?? 'desc';
  const all = Object.values(ctx.reading.summarySettings)
    .filter((s) => name === null || fold(s.name).includes(fold(name)))
    .filter((s) => language === null || fold(s.language) === fold(language))
    .sort((a, b) => {
      const c = compare(a[sortBy], b[sortBy]) || compare(a.name, b.name) || compare(a.id, b.id);
      return order === 'asc' ? c : -c;
    });
  return listReply(ctx, paging, all, renderSummarySetting);
}

export function getSummarySetting(ctx: Ctx): Reply {
  return { status: 200, body: renderSummarySetting(requireSetting(ctx)), changed: false };
}

export function createSummarySetting(rt: SummaryRuntime) {
  return (ctx: Ctx): Reply => {
    const body = settingBody(ctx, rt);
    assertNameFree(ctx.reading, body.name);
    // interactionType is read-only (E9): a new setting is Live whatever is sent.
    const s: SummarySettingRec = { id: randomUUID(), ...body, interactionType: 'Live', dateCreated: ctx.now, dateModified: ctx.now };
    ctx.state.summarySettings[s.id] = s;
    return { status: 200, body: renderSummarySetting(s), changed: true };
  };
}

/** PUT replaces the whole setting. */
export function putSummarySetting(rt: SummaryRuntime) {
  return (ctx: Ctx): Reply => {
    const body = settingBody(ctx, rt);
    const prev = requireSetting(ctx);
    if (body.name !== prev.name) assertNameFree(ctx.reading, body.name, prev.id);
    // interactionType is read-only (E9): a PUT keeps the setting's.
    const next: SummarySettingRec = {
      id: prev.id,
      ...body,
      interactionType: prev.interactionType ?? 'Live',
      dateCreated: prev.dateCreated,
      dateModified: after(prev.dateModified, ctx.now),
    };
    ctx.state.summarySettings[prev.id] = next;
    return { status: 200, body: renderSummarySetting(next), changed: true };
  };
}

export function deleteSummarySetting(ctx: Ctx): Reply {
  const s = requireSetting(ctx);
  delete ctx.state.summarySettings[s.id];
  return { status: 204, changed: true };
}

/** The validated body's known fields, with the defaults of E9 (and, when on, E16) applied. */
function settingBody(ctx: Ctx, rt: SummaryRuntime): SummarySettingBody {
  validateAiStudio('SummarySetting', ctx.body);
  const raw = ctx.body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) if (raw[k] !== undefined && raw[k] !== null) out[k] = raw[k];
  const body = out as unknown as SummarySettingBody;
  const hasPrompt = typeof body.prompt === 'string' && body.prompt.trim() !== '';
  body.settingType ??= hasPrompt ? 'Prompt' : 'Basic';
  if (rt.summaryDefaults) {
    body.summaryType ??= SUMMARY_DEFAULTS.summaryType;
    body.format ??= SUMMARY_DEFAULTS.format;
  }
  if (body.settingType === 'Prompt' && !hasPrompt) throw invalidValue('prompt', 'a summary setting of type Prompt needs a prompt');
  if (body.serviceType === 'External' && !body.integrationId) {
    throw invalidValue('integrationId', 'integrationId is required when serviceType is External');
  }
  return body;
}

function requireSetting(ctx: Ctx): SummarySettingRec {
  const id = param(ctx, 'summarySettingId');
  const s = own(ctx.state.summarySettings, id);
  if (!s) throw notFound(`summary setting ${id}`);
  return s;
}

/** E4: names are unique, compared case-insensitively; refused as the swagger says (400 summary.setting.name.not.unique). */
function assertNameFree(state: State, name: string, self?: string): void {
  const other = Object.values(state.summarySettings).find((s) => s.id !== self && fold(s.name) === fold(name));
  // The swagger's code for it (POST and PUT): a 400, not a 409.
  if (other) throw new ApiFailure(400, 'summary.setting.name.not.unique', 'Summary setting name not unique.');
}

/** `now`, or a millisecond after `prev` if the clock has not moved past it. */
function after(prev: string, now: string): string {
  const p = Date.parse(prev);
  return Date.parse(now) > p ? now : new Date(p + 1).toISOString();
}
