// A plain text table: columns as wide as their widest cell (by code point), two spaces apart.
export function formatTable(header: string[], rows: string[][], opts: { alignRight?: number[] } = {}): string {
  const len = (s: string): number => [...s].length;
  const widths = header.map((h, i) => Math.max(len(h), ...rows.map((r) => len(r[i] ?? ''))));
  const right = new Set(opts.alignRight ?? []);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - len(c));
        return right.has(i) ? pad + c : i === cells.length - 1 ? c : c + pad;
      })
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
