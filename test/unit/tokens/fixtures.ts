// Builders for desired-state objects in token tests: only what the token code reads.
import type { Config, DesiredState, PromptTemplate, PromptVersion, SourceLocation } from '../../../src/model/types.js';

export const at = (file: string, line: number, column = 1): SourceLocation => ({ file, line, column });

export function config(over: Partial<Config> = {}): Config {
  return { defaultVariableTokens: 1000, models: {}, prune: false, audit: { http: [] }, environments: {}, ...over };
}

export function template(name: string, over: Partial<PromptTemplate> = {}): PromptTemplate {
  return {
    kind: 'PromptTemplate',
    name,
    labels: {},
    model: 'gpt-4o',
    source: at(`prompts/${name}.yaml`, 1),
    locations: { 'spec.model': at(`prompts/${name}.yaml`, 6, 10) },
    ...over,
  };
}

export function version(templateName: string, v: string, over: Partial<PromptVersion> = {}): PromptVersion {
  const file = `prompts/${templateName}-${v}.yaml`;
  return {
    kind: 'PromptVersion',
    template: templateName,
    version: v,
    systemInstruction: 'You are a helpful billing assistant.',
    userTemplate: 'Question: {{question}}',
    variables: [{ name: 'question', type: 'string', required: true, maxTokens: 200 }],
    fewShotExamples: [],
    safetyGuardrails: { piiFilter: true, jailbreakDetection: true, outputModeration: true },
    labels: {},
    source: at(file, 1),
    locations: {
      'spec.userTemplate': at(file, 8, 17),
      'spec.model': at(file, 12, 10),
      'spec.maxTokens': at(file, 13, 14),
      'spec.variables.0.name': at(file, 10, 15),
      'spec.variables.0.maxTokens': at(file, 10, 40),
      'spec.variables.1.name': at(file, 11, 15),
      'spec.variables.2.name': at(file, 12, 15),
    },
    ...over,
  };
}

export function state(templates: PromptTemplate[], versions: PromptVersion[], cfg: Config = config()): DesiredState {
  return { templates, versions, splits: [], filters: [], guides: [], summarySettings: [], tests: [], config: cfg, files: [] };
}
