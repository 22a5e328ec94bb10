// The "billing" template the environment and promotion tests share, as the YAML a project holds:
// its template document and its versions, each a question-answering version on gpt-4o unless
// told otherwise (text written the same way, so tests that edit it with replace() still can).

export function billingTemplate(model = 'gpt-4o'): string {
  return `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
spec:
  model: ${model}
`;
}

/** A version of billing with this system instruction, limited to `environments` when given. */
export function billingVersion(version: string, systemInstruction: string, environments?: string): string {
  const meta = environments ? `metadata:\n  environments: [${environments}]\n` : '';
  return `apiVersion: promptctl/v1
kind: PromptVersion
${meta}spec:
  template: billing
  version: ${version}
  systemInstruction: ${systemInstruction}
  userTemplate: "{{question}}"
  variables:
    - {name: question, type: string, maxLength: 200}
`;
}

/** The template with its first version, 1.0.0. */
export const BILLING_1_0 = `${billingTemplate()}---\n${billingVersion('1.0.0', 'You answer billing questions.')}`;
