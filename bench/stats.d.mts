// Types for stats.mjs (plain JS so the bench runs without a build), for the TypeScript tests.

/** The median (the upper middle of an even count). */
export function medianOf(numbers: readonly number[]): number;

/** A percentile-bootstrap interval of the median, reproducible from its seed. */
export function medianInterval(values: readonly number[], opts?: { level?: number; resamples?: number; seed?: number }): [number, number];

/** ✓ or ✗ from the median against an upper limit, marked unsettled when the interval spans it. */
export function verdictWithin(median: number, interval: readonly [number, number], limit: number): string;
