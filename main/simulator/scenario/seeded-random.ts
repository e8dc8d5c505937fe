/**
 * Returns a deterministic source of numbers in [0, 1) (the mulberry32 generator), so that two runs
 * of a scenario with the same seed produce the same temperatures.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a value spread evenly over [-amplitude, amplitude]. */
export function noise(random: () => number, amplitude: number): number {
  return (random() * 2 - 1) * amplitude;
}
