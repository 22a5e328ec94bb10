// POST /guides/{id}/sessions/{sessionId}/turns: one turn of a guide test session, answered by the
// emulator's shared model simulator (simulator.ts) as if the guide's instruction (its
// {{Variable.name}} placeholders filled from the input variables) were the system prompt and the
// input text the user's message: the same turn always gets the same answer, and a response
// fixture naming the guide (and its version) answers instead when one matches (the fixtures of the
// test the turn names first, as for invocations). Nothing is stored.
// Choices: E8 of src/targets/aistudio/assumptions.ts.
import { createHash } from 'node:crypto';
import type {
  GuideSessionTurnRequest,
  GuideSessionTurnResponse,
  GuideSessionVariable,
  GuideVariable,
} from '../targets/aistudio/wire.js';
import type { TokenMemo } from '../tokens/count.js';
import { own } from './aistudio-records.js';
import { validateAiStudio } from './aistudio-validate.js';
import { param, type Ctx, type Reply } from './context.js';
import { invalidValue, notFound } from './errors.js';
import { namedTest, type CompiledFixture } from './responses.js';
import { modelFor, simulate } from './simulator.js';

/** Guides name no model; their answers are simulated (and counted) as this one's. */
const GUIDE_MODEL = 'gpt-4o-mini';

export interface SessionRuntime {
  readonly memo: TokenMemo;
  /** The emulator's response fixtures (`match.template` may name a guide). */
  readonly fixtures: readonly CompiledFixture[];
}

export function sessionTurn(rt: SessionRuntime) {
  return (ctx: Ctx): Reply => {
    validateAiStudio('GuideSessionTurnRequest', ctx.body);
    const body = ctx.body as GuideSessionTurnRequest;
    const guideId = param(ctx, 'guideId');
    const g = own(ctx.state.guides, guideId);
    if (!g) throw notFound(`guide ${guideId}`);
    const v = own(own(ctx.state.guideVersions, g.id), body.version);
    if (!v) throw invalidValue('version', `guide ${g.name} has no version ${body.version}`);

    const inputs = new Map<string, string>();
    for (const iv of body.inputVariables ?? []) if (iv.name !== undefined && iv.value !== undefined) inputs.set(iv.name, iv.value);
    const instruction = v.instruction.replace(/\{\{\s*Variable\.([A-Za-z_][\w-]*)\s*\}\}/g, (m, name: string) => inputs.get(name) ?? m);
    const input = body.inputEvent.text ?? '';
    const answer = simulate({
      templateId: g.id,
      templateName: g.name,
      targetKind: 'guide',
      version: v.version,
      model: modelFor(GUIDE_MODEL),
      messages: [
        { role: 'system', content: instruction },
        { role: 'user', content: input },
      ],
      fixtures: rt.fixtures,
      ...namedTest(ctx),
      latencyMs: 0,
      memo: rt.memo,
    });
    const out: GuideSessionTurnResponse = {
      response: { text: answer.text },
      status: 'COMPLETED',
      result: 'SUCCESSFUL_COLLECTION',
      outputVariables: outputs(v.variables ?? [], inputs),
      invocationId: stableId(`${g.id}\u0000${param(ctx, 'sessionId')}\u0000${v.version}\u0000${JSON.stringify(body)}`),
    };
    return { status: 200, body: out, changed: false };
  };
}

/** Output and InputAndOutput variables: the input's value when given, else a stable sample of the type. */
function outputs(variables: GuideVariable[], inputs: Map<string, string>): GuideSessionVariable[] {
  return variables
    .filter((x) => x.scope === 'Output' || x.scope === 'InputAndOutput')
    .map((x) => ({ name: x.name, value: inputs.get(x.name) ?? SAMPLE[x.type] ?? '' }));
}

const SAMPLE: Record<string, string> = {
  String: 'sample',
  Integer: '42',
  Number: '4.2',
  Boolean: 'true',
  Date: '2024-01-01',
  List: '[]',
};

/** A uuid-shaped id derived from `seed`. */
function stableId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
