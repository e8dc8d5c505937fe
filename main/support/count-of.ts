/** Returns `count` with the noun in the singular for one and the plural otherwise. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
