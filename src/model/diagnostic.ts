// One problem found in the desired state, anchored at file:line:column.
import { byCodeUnits } from '../util/compare.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  file: string; // relative to cwd
  line: number; // 1-based
  column: number; // 1-based
  severity: Severity;
  rule: string; // e.g. "schema/additional-property", "placeholders/undeclared"
  message: string;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || byCodeUnits(a.rule, b.rule) || byCodeUnits(a.message, b.message);
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');
