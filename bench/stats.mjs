// The bench's statistics for ratios measured as pairs (plan against the validate just before it):
// the median, how far a median of this many pairs moves on this machine, and a verdict that says
// so when that movement spans the target. Plain JS so the bench runs without a build.

/** The median (the upper middle of an even count, as the bench has always taken it). */
export function medianOf(numbers) {
  return [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
}

/**
 * Where the median of these pairs would land if the bench ran again on the same machine: a
 * percentile bootstrap (resamples of as many pairs, with replacement), from a fixed seed so one set
 * of pairs always gives one interval. `level` 0.9: the 5th and 95th percentiles of the resampled medians.
 */
export function medianInterval(values, { level = 0.9, resamples = 4000, seed = 1 } = {}) {
  if (values.length === 0) throw new Error('medianInterval: no values');
  const random = mulberry32(seed);
  const medians = new Array(resamples);
  const sample = new Array(values.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[Math.floor(random() * values.length)];
    medians[r] = medianOf(sample);
  }
  medians.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [medians[Math.floor(tail * (resamples - 1))], medians[Math.ceil((1 - tail) * (resamples - 1))]];
}

/**
 * ✓ or ✗ from the median against an upper limit, marked "unsettled" when the interval spans the
 * limit: another run on this machine could well give the other answer.
 */
export function verdictWithin(median, [low, high], limit) {
  const mark = median <= limit ? '✓' : '✗';
  return low <= limit && limit < high ? `${mark} (unsettled: ${low.toFixed(2)}–${high.toFixed(2)}×)` : mark;
}

/** A small seeded generator (mulberry32): the bench's intervals are reproducible from their pairs. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
