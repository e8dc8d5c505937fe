/** A table of text cells, rendered for the terminal or as Markdown. */
export interface Table {
  title: string;
  header: string[];
  rows: string[][];
}

const KILOBYTE = 1_000;

/** Renders the table in aligned columns for a terminal. */
export function renderText(table: Table): string {
  const widths = table.header.map((cell, column) =>
    Math.max(cell.length, ...table.rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  return [table.title, line(table.header), ...table.rows.map(line)].join('\n');
}

/** Renders a Markdown pipe table under a bold title. */
export function renderMarkdown(table: Table): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const separator = line(table.header.map(() => '---'));
  return [`**${table.title}**`, '', line(table.header), separator, ...table.rows.map(line)].join(
    '\n',
  );
}

/** Formats a number with `digits` decimals, or as `n/a` when it is missing or not finite. */
export function fixed(value: number | undefined, digits: number): string {
  return value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** Formats values with `digits` decimals each, joined with ` / `. */
export function joined(values: readonly (number | undefined)[], digits: number): string {
  return values.map((value) => fixed(value, digits)).join(' / ');
}

/** Formats bytes as kilobytes (1000 bytes): three significant digits below 100, whole numbers from 100 up. */
export function kilobytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return 'n/a';
  const value = bytes / KILOBYTE;
  if (value >= 100) return fixed(value, 0);
  return fixed(value, value >= 10 ? 1 : 2);
}
