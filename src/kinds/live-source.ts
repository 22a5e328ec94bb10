// Where live-derived model resources "come from": not a file.
import type { SourceLocation } from '../model/types.js';

export const LIVE_SOURCE: SourceLocation = { file: '(live)', line: 0, column: 0 };
