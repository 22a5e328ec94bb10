// The plan engine's public face: build, order, fingerprint, render, and the wire mappers.
export { buildPlan, planHasChanges, type BuildOptions } from './build.js';
export { defaultTokenCounter, type TokenCounter } from './build-templates.js';
export { planFingerprint } from './fingerprint.js';
export { isValidOrder, phaseOf } from './order.js';
export {
  COMMIT_LABEL,
  LIVE_SOURCE,
  filterBody,
  filterFromWire,
  labelsFor,
  splitFromWire,
  templateBody,
  templateFromWire,
  trafficBody,
  versionBody,
  versionFromWire,
  type LabelOptions,
} from './mappers.js';
export {
  canonicalFilter,
  canonicalTemplate,
  canonicalTraffic,
  canonicalVersion,
  canonicalEqual,
  diffCanonical,
  isManaged,
  isOwnedLabel,
  userLabels,
} from './normalize.js';
export { renderText, summaryLine, type TextRenderOptions } from './render-text.js';
export { renderMarkdown, MARKDOWN_CAP, type MarkdownRenderOptions } from './render-markdown.js';
export { renderJson, parsePlanFile } from './render-json.js';
export { plain, type Style, type StyleName } from './render-common.js';
export * from './types.js';
