// The guide many PromptTest tests run against: one document, its instruction inline.
export const RETURNS_GUIDE = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns helper
spec:
  instruction: "Help the customer return an order."
`;
