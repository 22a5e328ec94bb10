// Types for generate.mjs (plain JS so the bench runs without a build), for the TypeScript tests.
export interface PromptSetOptions {
  templates: number;
  /** Versions per template (default 2), each Published and routed by the template's split. */
  versions?: number;
  /** Safety filters; at most 50 are written enabled. */
  filters?: number;
  /** Appended to descriptions and system instructions (to vary content between runs). */
  seedText?: string;
}

/** Writes the prompt set under `dir`; returns the number of resources (templates × (2 + versions) + filters). */
export function generatePromptSet(dir: string, opts: PromptSetOptions): Promise<number>;
