// Documents tests add to a scenario's prompts or write alone: a guide (AI Studio) the basic fixture does not hold, a Prompt-type summary setting, a template with one version and a test.

/** A guide with one variable, as prompts/aistudio/guide.yaml or wherever a test writes it. */
export const RETURNS_GUIDE = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns assistant
spec:
  instruction: |
    You help customers return a device. Ask for {{Variable.order_number}}.
  variables:
    - name: order_number
      type: String
      scope: InputAndOutput
`;

/** A Prompt-type summary setting named `name` (Concise, bullet points). */
export function promptSummarySetting(name: string): string {
  return `apiVersion: promptctl/v1
kind: SummarySetting
metadata:
  name: ${name}
spec:
  language: en-US
  summaryType: Concise
  format: BulletPoints
  prompt: |
    Summarise the call.
`;
}

/**
 * A template with one version answering `Q: {{question}}` in at most 5 tokens, and a PromptTest of
 * one case asking "hi" with one assertion (`expect`, the YAML after `- `; a line break in it
 * continues the item at 10 spaces): what the cost and result-cache tests of `promptctl test` run.
 */
export function questionBot(o: { template: string; model: string; test: string; caseName: string; expect: string }): string {
  return `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: ${o.template}
spec:
  model: ${o.model}
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: ${o.template}
  version: "1.0.0"
  systemInstruction: "Answer."
  userTemplate: "Q: {{question}}"
  variables:
    - name: question
      type: string
      maxLength: 100
  maxTokens: 5
---
apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: ${o.test}
spec:
  target: {template: ${o.template}, version: "1.0.0"}
  cases:
    - name: ${o.caseName}
      vars: {question: hi}
      expect:
        - ${o.expect}
`;
}
