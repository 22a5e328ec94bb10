// The desired-state model of a PromptTest (DESIGN §7): never applied, run by `promptctl test`.
// Plain data only, as types.ts (which exports these too).

import type { FieldLocations, FilterCategory, JsonValue, Labels, SourceLocation, TextOrigin } from './types.js';

/** A template (pinned to a version, or through its split's routing), or a guide. */
export type TestTarget = { template: string; version?: string } | { guide: string };

export const TEST_MESSAGE_ROLES = ['system', 'user', 'assistant'] as const;
export type TestMessageRole = (typeof TEST_MESSAGE_ROLES)[number];

export interface TestMessage {
  role: TestMessageRole;
  content: string;
}

/** A test input value: a template variable's string/number/boolean, or a guide List's items. */
export type TestVarValue = string | number | boolean | string[];


export const ASSERTION_TYPES = [
  'contains',
  'notContains',
  'regex',
  'equals',
  'isJson',
  'jsonSchema',
  'maxOutputTokens',
  'maxLatencyMs',
  'maxCostUsd',
  'blockedBy',
  'redacts',
  'routedTo',
] as const;
export type AssertionType = (typeof ASSERTION_TYPES)[number];

/**
 * One expectation on a case's result; `not` inverts it. Semantics (for the runner):
 * contains/notContains: substring of the output text; regex: a JavaScript RegExp (no flags) that
 * must match somewhere in the output; equals: a string equals the output text, any other JSON
 * value equals the output parsed as JSON; isJson: the output parses as JSON; jsonSchema: the
 * output parsed as JSON validates against the schema (draft 2020-12); maxOutputTokens,
 * maxLatencyMs, maxCostUsd: upper bounds (inclusive); blockedBy: the named SafetyFilter blocked
 * the call; redacts: a filter redacted content of that category; routedTo: the split routed the
 * call to that version of the target template.
 */
export type Assertion = {
  not: boolean; // default false
  /** Dotted location key of the assertion's value ("spec.cases.0.expect.1.regex"). */
  path: string;
} & (
  | { type: 'contains' | 'notContains' | 'regex'; value: string }
  | { type: 'equals'; value: JsonValue }
  | { type: 'isJson'; value: true }
  | { type: 'jsonSchema'; value: { [key: string]: JsonValue } }
  | { type: 'maxOutputTokens' | 'maxLatencyMs' | 'maxCostUsd'; value: number }
  | { type: 'blockedBy'; value: string }
  | { type: 'redacts'; value: FilterCategory }
  | { type: 'routedTo'; value: string }
);

export interface TestCase {
  name: string;
  /** Variable name → value (template variables, or a guide's Input variables). Default {}. */
  vars: Record<string, TestVarValue>;
  /** Conversation before the call: history for a template, the turns sent to a guide. Default []. */
  messages: TestMessage[];
  expect: Assertion[];
}

export const TEST_FINISH_REASONS = ['stop', 'length', 'content_filter'] as const;
export type TestFinishReason = (typeof TEST_FINISH_REASONS)[number];

/**
 * A canned model answer for the embedded emulator (the emulator's fixture format, its `template`
 * implied by the test's target): the first whose `match` holds answers a call instead of the
 * simulator's neutral text. Never sent to a real org. `regex` is read as the emulator reads it:
 * `/pattern/flags`, a leading `(?i)`, or a plain pattern, matched against the rendered prompt.
 */
export interface TestResponse {
  /** Every given condition must hold; none: every call to the target. */
  match: { version?: string; contains?: string; regex?: string };
  output: string;
  finishReason?: TestFinishReason;
}

export interface PromptTest {
  kind: 'PromptTest';
  name: string;
  labels: Labels;
  target: TestTarget;
  repeat: number; // default 1, at least 1
  threshold: number; // pass rate 0..1, default 1
  cases: TestCase[];
  /** Canned answers for the embedded emulator (default []). */
  responses: TestResponse[];
  /** metadata.environments: the environments this document belongs to (absent: all). */
  environments?: string[];
  source: SourceLocation;
  locations: FieldLocations;
  /** Where mapping keys are, keyed like `locations` (a var's name: "spec.cases.0.vars.plan"). */
  keyLocations: FieldLocations;
  /**
   * Where a value an alias brings in (`vars: *v`, `name: *n`) is written: its anchor's node, keyed
   * like `locations` (which holds the alias). Absent when the cases use no alias.
   */
  anchoredLocations?: FieldLocations;
  /** Where the test's texts start (its name, cases' names, inputs, messages, canned answers), to place a finding inside one (load/texts.ts locateOtherTexts). */
  textOrigins?: Record<string, TextOrigin>;
}
