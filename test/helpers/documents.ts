// Documents tests add to a scenario's prompts: a guide (AI Studio) the basic fixture does not hold.

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
