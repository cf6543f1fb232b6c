/** Spreadsheet cell addresses: column letters, "C7" references and "A1:D4" ranges (0-based inside). */

export function columnLetter(col: number): string {
  let n = col + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 'A' → 0, 'AB' → 27; undefined when not letters. */
export function columnIndex(letters: string): number | undefined {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return undefined;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export interface CellRef {
  row: number;
  col: number;
}

/** 'C7' or '$C$7' → { row: 6, col: 2 }. */
export function parseRef(ref: string): CellRef | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref.trim());
  if (!m) return undefined;
  return { col: columnIndex(m[1])!, row: Number(m[2]) - 1 };
}

export function formatRef(c: CellRef): string {
  return `${columnLetter(c.col)}${c.row + 1}`;
}

export interface CellRange {
  from: CellRef;
  to: CellRef;
}

/** 'A1:D4', 'C3' (one cell), '$A$1:$A$4' → a range; whole columns 'C:C' run to the sheet's end. */
export function parseRange(s: string): CellRange | undefined {
  const [a, b] = s.trim().split(':');
  const col = /^\$?([A-Za-z]{1,3})$/;
  if (b !== undefined && col.test(a) && col.test(b)) {
    return {
      from: { row: 0, col: columnIndex(a.replace(/\$/g, ''))! },
      to: { row: 1048575, col: columnIndex(b.replace(/\$/g, ''))! },
    };
  }
  const from = parseRef(a);
  const to = b === undefined ? from : parseRef(b);
  if (!from || !to) return undefined;
  return {
    from: { row: Math.min(from.row, to.row), col: Math.min(from.col, to.col) },
    to: { row: Math.max(from.row, to.row), col: Math.max(from.col, to.col) },
  };
}

export function inRange(r: CellRange, c: CellRef): boolean {
  return c.row >= r.from.row && c.row <= r.to.row && c.col >= r.from.col && c.col <= r.to.col;
}
