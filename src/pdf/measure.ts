import { printable, textWidth, type FontKey, type FontSet } from './fonts';
import type { Run } from './normalise';

/**
 * Stage 2 of the layout: line breaking. Runs of styled text → lines of positioned fragments,
 * measured with the same font metrics pdfkit draws with, so a line never overflows.
 * NOTE: srq breaks lines itself rather than letting pdfkit wrap: the layout must know every
 * block's height before placing it (keep-with-next, table rows, page breaks).
 */

export interface Fragment {
  text: string;
  font: FontKey;
  /** Offset from the line's left edge. */
  x: number;
  width: number;
  link?: string;
}

export interface Line {
  fragments: Fragment[];
  width: number;
}

interface Atom {
  text: string;
  font: FontKey;
  link?: string;
  kind: 'word' | 'space' | 'newline';
}

function atomise(runs: Run[]): Atom[] {
  const atoms: Atom[] = [];
  for (const r of runs) {
    for (const part of printable(r.text).split(/( +|\n)/)) {
      if (!part) continue;
      const kind = part === '\n' ? 'newline' : part.startsWith(' ') ? 'space' : 'word';
      const atom: Atom = { text: kind === 'space' ? ' ' : part, font: r.font, kind };
      if (r.link) atom.link = r.link;
      atoms.push(atom);
    }
  }
  return atoms;
}

export interface MeasureContext {
  fonts: FontSet;
  size: number;
  /** Fonts substituted for each key, e.g. table headers set every run in bold. */
  fontOverride?: FontKey;
}

function splitLongWord(atom: Atom, ctx: MeasureContext, maxWidth: number): Atom[] {
  const out: Atom[] = [];
  let chunk = '';
  for (const ch of atom.text) {
    if (chunk && textWidth(ctx.fonts, chunk + ch, { font: atom.font, size: ctx.size }) > maxWidth) {
      out.push({ ...atom, text: chunk });
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) out.push({ ...atom, text: chunk });
  return out;
}

/** Breaks styled runs into lines no wider than `maxWidth`. Left-aligned; spaces collapse. */
export function breakLines(runs: Run[], ctx: MeasureContext, maxWidth: number): Line[] {
  const atoms = atomise(
    ctx.fontOverride ? runs.map((r) => ({ ...r, font: ctx.fontOverride! })) : runs,
  );
  const w = (a: Atom) => textWidth(ctx.fonts, a.text, { font: a.font, size: ctx.size });
  const lines: Atom[][] = [];
  let cur: Atom[] = [];
  let curW = 0;
  let space: Atom | undefined;
  let i = 0;
  const flush = () => {
    lines.push(cur);
    cur = [];
    curW = 0;
    space = undefined;
  };
  // NOTE: a line that ends where the source had a space (a soft break) or a line break keeps
  // a real space at its end, inside the column: screen readers, reflow and copy/paste read the
  // drawn text, and without it the last word of a line runs into the first of the next.
  // A long word split across lines gets none.
  const endWithSpace = (sp: Atom | undefined) => {
    if (!cur.length || !sp) return;
    const sw = w(sp);
    if (curW + sw > maxWidth) return;
    cur.push(sp);
    curW += sw;
  };
  while (i < atoms.length) {
    const a = atoms[i];
    if (a.kind === 'newline') {
      endWithSpace({ text: ' ', font: cur[cur.length - 1]?.font ?? a.font, kind: 'space' });
      flush();
      i++;
      continue;
    }
    if (a.kind === 'space') {
      if (cur.length) space = a;
      i++;
      continue;
    }
    // A group: words glued together without a space (e.g. "**bold**," is two atoms, one word).
    const group: Atom[] = [];
    while (i < atoms.length && atoms[i].kind === 'word') group.push(atoms[i++]);
    const gw = group.reduce((s, g) => s + w(g), 0);
    const sw = space ? w(space) : 0;
    // The group must leave room for the space after it, should the line end there.
    const next = atoms[i];
    const trailing = next?.kind === 'space' ? w(next) : 0;
    if (cur.length && curW + sw + gw + trailing > maxWidth) {
      endWithSpace(space);
      flush();
    }
    if (!cur.length && gw > maxWidth) {
      // A word longer than the line (a URL, a hash): break it anywhere.
      for (const g of group) {
        for (const piece of splitLongWord(g, ctx, maxWidth)) {
          const pw = w(piece);
          if (cur.length && curW + pw > maxWidth) flush();
          cur.push(piece);
          curW += pw;
        }
      }
      continue;
    }
    if (cur.length && space) {
      cur.push(space);
      curW += sw;
    }
    space = undefined;
    cur.push(...group);
    curW += gw;
  }
  if (cur.length || !lines.length) lines.push(cur);
  return lines.map((atomsOfLine) => toLine(atomsOfLine, ctx));
}

function toLine(atoms: Atom[], ctx: MeasureContext): Line {
  const fragments: Fragment[] = [];
  let x = 0;
  for (const a of atoms) {
    const width = textWidth(ctx.fonts, a.text, { font: a.font, size: ctx.size });
    const last = fragments[fragments.length - 1];
    if (last && last.font === a.font && last.link === a.link) {
      last.text += a.text;
      last.width += width;
    } else {
      const f: Fragment = { text: a.text, font: a.font, x, width };
      if (a.link) f.link = a.link;
      fragments.push(f);
    }
    x += width;
  }
  return { fragments, width: x };
}

/** The natural (unwrapped) width of runs, and the widest single word: table column sizing. */
export function naturalWidths(runs: Run[], ctx: MeasureContext): { max: number; min: number } {
  const lines = breakLines(runs, ctx, Number.POSITIVE_INFINITY);
  const max = Math.max(0, ...lines.map((l) => l.width));
  let min = 0;
  for (const a of atomise(
    ctx.fontOverride ? runs.map((r) => ({ ...r, font: ctx.fontOverride! })) : runs,
  )) {
    if (a.kind === 'word')
      min = Math.max(min, textWidth(ctx.fonts, a.text, { font: a.font, size: ctx.size }));
  }
  return { max, min };
}
