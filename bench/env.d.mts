// Types for env.mjs (plain JS so the bench runs without a build), for the TypeScript tests.

/** The environment every process of the bench runs in. */
export function cleanEnv(): NodeJS.ProcessEnv;

/** Commits everything in `dir` to a new git repository of its own. */
export function commitSet(dir: string): void;
