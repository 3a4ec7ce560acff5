/** A bench's figures as aligned columns: the first (labels) left-aligned, the others right-aligned, after a blank line. */
export function printTable(rows: string[][]) {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
  console.log('');
  for (const cells of rows) console.log(cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   '));
}
