/** Returns the largest number of times that fall into one half-open window `[t, t + windowMs)`. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (const [index, start] of sorted.entries()) {
    const inWindow = sorted.slice(index).filter((time) => time < start + windowMs).length;
    busiest = Math.max(busiest, inWindow);
  }
  return busiest;
}
