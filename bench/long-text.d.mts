// Types for long-text.mjs (plain JS so the bench runs without a build), for the TypeScript tests.
export declare const LONG_TEXT_LINES: number;
/** Writes DIR/prompts/t.yaml: a template whose description runs on for `lines` lines, each `indent` then Japanese text. */
export declare function writeLongText(dir: string, indent: string, lines?: number): Promise<void>;
export interface LongTextRun {
  code: number | null;
  wallMs: number;
}
export declare function measureLongText(dir: string, repeat: number, run: (dir: string) => Promise<LongTextRun>): Promise<{ ascii: LongTextRun[]; ideographic: LongTextRun[] }>;
