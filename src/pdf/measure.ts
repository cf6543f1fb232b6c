import LineBreaker from 'linebreak';
import { bidiParagraph, hasRtl } from './bidi';
import {
  printable,
  shapeText,
  textWidth,
  type FontKey,
  type FontSet,
  type ShapedRun,
} from './fonts';
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
  /**
   * The shaped words and spaces of `text`, in order, as the line breaker measured them: drawn
   * as they are (draw-text.ts), not shaped again. Absent for right-to-left text.
   */
  runs?: ShapedRun[];
  /**
   * Right-to-left text: `text` holds its words in visual order, and it is drawn glyph by glyph
   * in logical order at their visual places (render.ts), so extracted text reads as written.
   */
  rtl?: boolean;
}

export interface Line {
  fragments: Fragment[];
  width: number;
  /**
   * The line belongs to a right-to-left paragraph (its first strong character is Hebrew,
   * Arabic, …: UAX #9 P2-P3): it is set flush right (Flow.drawLine).
   */
  rtl?: boolean;
}

/**
 * A word or a space of one run. NOTE: every atom has all six fields (undefined when unset),
 * made in this order: one hidden class for V8, where adding `link` to some and `width` later
 * made several (a cold build of the example spent ~9 ms in atomWidth).
 */
interface Atom {
  text: string;
  font: FontKey;
  link: string | undefined;
  kind: 'word' | 'space';
  /**
   * Its width, once measured (`atomWidth`). Atoms live in the one breakLinesOnce call that made
   * them, so at one size and set of fonts.
   */
  width: number | undefined;
  /** Its shaped glyphs, with its width. */
  run: ShapedRun | undefined;
}

/**
 * An atom's width in points, measured once (the line breaker and toLine both ask), as
 * `textWidth` measures it.
 */
function atomWidth(a: Atom, ctx: MeasureContext): number {
  if (a.width === undefined) {
    const run = shapeText(ctx.fonts[a.font], a.text);
    a.run = run;
    a.width = (run.advanceWidth * ctx.size) / 1000;
  }
  return a.width;
}

/**
 * What the line breaker works with: the text between two break opportunities of UAX #14
 * (Unicode line breaking). `atoms` are drawn together on one line (words, and spaces glued by
 * the rules, as in "word !"); `space` is the breakable space after them, if the source had one
 * (none after a hyphen or a slash: a line may end there without a space); `newline` ends the
 * line (a mandatory break).
 */
interface Piece {
  atoms: Atom[];
  space: Atom | undefined;
  newline: boolean;
}

/** Characters of a mandatory break (UAX #14 classes BK, LF, NL), at the end of a piece. */
const HARD_BREAK = /[\n\u0085\u2028\u2029]+$/;

/**
 * The layout asks for the same paragraph's lines several times, close together (keep-with-next
 * looks a few blocks ahead, widows, the signature section, table sizing), so the lines of the
 * last MEMO_RUNS runs arrays measured are remembered, by the array's identity.
 * NOTE: bounded, not per document: remembering every paragraph of a 700-page document until
 * its layout ended took its peak RSS from 408 to 681 MiB; remembering the pieces too (shared
 * across widths), 490 MiB.
 */
const MEMO_RUNS = 256;
const memo = new Map<Run[], { fonts: FontSet; lines: Map<string, Line[]> }>();

/**
 * Forgets the remembered lines (the startup snapshot's warm-up: its document's paragraphs are
 * never asked for again, and every object kept is one more to restore at each start).
 */
export function forgetLines(): void {
  memo.clear();
}

function linesMemo(runs: Run[], fonts: FontSet): Map<string, Line[]> {
  const m = memo.get(runs);
  if (m && m.fonts === fonts) return m.lines;
  const lines = new Map<string, Line[]>();
  memo.delete(runs);
  memo.set(runs, { fonts, lines });
  if (memo.size > MEMO_RUNS) memo.delete(memo.keys().next().value!);
  return lines;
}

function piecesOf(runs: Run[], ctx: MeasureContext): Pieces {
  const font = ctx.fontOverride;
  return pieces(font ? runs.map((r) => ({ ...r, font })) : runs);
}

/** A paragraph's pieces, and whether its text has right-to-left characters (bidi.ts hasRtl). */
interface Pieces {
  list: Piece[];
  rtl: boolean;
}

/** A piece of a paragraph's text, as `eachPiece` gives it (one object, reused). */
interface PieceSpan {
  /** Where the piece starts. */
  from: number;
  /** Where its text ends: before its trailing spaces and any mandatory break. */
  to: number;
  /** How many spaces follow its text. */
  spaces: number;
  /** It ends with a mandatory break. */
  hard: boolean;
}

/** Calls `piece` for each piece of `full`, between two break opportunities of UAX #14. */
function eachPiece(full: string, piece: (p: PieceSpan) => void): void {
  const span: PieceSpan = { from: 0, to: 0, spaces: 0, hard: false };
  const breaker = new LineBreaker(full);
  let last = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    let end = bk.position;
    const hard = bk.required ? HARD_BREAK.exec(full.slice(last, end)) : null;
    if (hard) end -= hard[0].length;
    let spaces = 0;
    while (end - spaces > last && full.charCodeAt(end - spaces - 1) === 32) spaces++;
    span.from = last;
    span.to = end - spaces;
    span.spaces = spaces;
    span.hard = hard !== null;
    last = bk.position;
    piece(span);
  }
}

/** Where a piece's atoms go as `RunCursor.atoms` finds them. */
interface AtomSink {
  /** A word (no space in it) of run `r`, starting at `from` in the paragraph's text. */
  word(text: string, r: number, from: number): void;
  /** A run of spaces in run `r`: at `from` when it is one space, -1 when several. */
  space(r: number, from: number): void;
}

/**
 * A paragraph's runs, walked piece by piece: pieces come in order, so the first run that can
 * hold the next one's text only moves on. Both line-breaking paths read atoms through it.
 */
class RunCursor {
  private first = 0;
  /** UTF-16 offset in `full` where each run starts and ends. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** `texts`: each run's printable text; `full`: them joined. */
  constructor(
    private readonly full: string,
    texts: readonly string[],
  ) {
    let at = 0;
    for (const t of texts) {
      this.starts.push(at);
      at += t.length;
      this.ends.push(at);
    }
  }

  /** The atoms of the text from `from` to `to`, in order: words, and the runs of spaces inside. */
  atoms(from: number, to: number, sink: AtomSink): void {
    const { full, starts, ends } = this;
    const n = starts.length;
    while (this.first < n && ends[this.first] <= from) this.first++;
    if (from >= to) return;
    const first = this.first;
    // NOTE: most pieces are one word in one run.
    if (first < n && starts[first] <= from && to <= ends[first]) {
      const text = full.slice(from, to);
      if (!text.includes(' ')) {
        sink.word(text, first, from);
        return;
      }
    }
    for (let r = first; r < n && starts[r] < to; r++) {
      const a = Math.max(from, starts[r]);
      const b = Math.min(to, ends[r]);
      if (a >= b) continue;
      const text = full.slice(a, b);
      // Spaces inside one piece ("word !") are glued.
      if (!text.includes(' ')) {
        sink.word(text, r, a);
        continue;
      }
      let p = a;
      for (const part of text.split(/( +)/)) {
        if (!part) continue;
        if (part.startsWith(' ')) sink.space(r, part.length === 1 ? p : -1);
        else sink.word(part, r, p);
        p += part.length;
      }
    }
  }

  /** The run whose space a run of spaces at `from` is (a run of spaces is one space). */
  spaceRun(from: number): number {
    const { starts, ends } = this;
    while (this.first < starts.length && ends[this.first] <= from) this.first++;
    let r = this.first;
    while (starts[r] > from || ends[r] <= from) r++;
    return r;
  }
}

function pieces(runs: Run[]): Pieces {
  const texts = runs.map((r) => printable(r.text));
  const full = texts.join('');
  const atom = (text: string, r: number, kind: 'word' | 'space'): Atom => ({
    text,
    font: runs[r].font,
    link: runs[r].link || undefined,
    kind,
    width: undefined,
    run: undefined,
  });
  // NOTE: one space atom per run, shared by all its pieces: an atom is only read once made
  // (its width and shaped run are the same wherever it is drawn), and spaces were half the
  // atoms a 700-page document made.
  const spaceAtoms: (Atom | undefined)[] = [];
  const space = (r: number): Atom => (spaceAtoms[r] ??= atom(' ', r, 'space'));
  const cursor = new RunCursor(full, texts);
  // NOTE: most pieces are one word in one run: an array of one (an empty array that a push
  // grows has room for 17: ~150 bytes a word of a 700-page document).
  let list: Atom[] | undefined;
  const add = (a: Atom) => {
    if (list) list.push(a);
    else list = [a];
  };
  const sink: AtomSink = {
    word: (text, r) => add(atom(text, r, 'word')),
    space: (r) => add(space(r)),
  };
  const atomsOf = (from: number, to: number): Atom[] => {
    list = undefined;
    cursor.atoms(from, to, sink);
    return list ?? [];
  };
  const out: Piece[] = [];
  eachPiece(full, (p) => {
    const atoms = atomsOf(p.from, p.to);
    out.push({
      atoms,
      space: p.spaces ? space(cursor.spaceRun(p.to)) : undefined,
      newline: p.hard,
    });
  });
  // NOTE: once for the paragraph, not for each of its atoms (their texts are its text less its
  // spaces and line breaks, none of them right-to-left).
  return { list: out, rtl: hasRtl(full) };
}

export interface MeasureContext {
  fonts: FontSet;
  size: number;
  /** Fonts substituted for each key, e.g. table headers set every run in bold. */
  fontOverride?: FontKey;
}

// Made on first use: an ICU segmenter costs ~14 ms of a cold start, and few texts need one.
let graphemeSegmenter: Intl.Segmenter | undefined;
const graphemes = () =>
  (graphemeSegmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' }));

/**
 * A word longer than the line, split where it must be: only between grapheme clusters, so never
 * between a letter and its combining marks, inside an emoji ZWJ sequence or a flag.
 */
function splitLongWord(atom: Atom, ctx: MeasureContext, maxWidth: number): Atom[] {
  const out: Atom[] = [];
  let chunk = '';
  for (const { segment } of graphemes().segment(atom.text)) {
    if (
      chunk &&
      textWidth(ctx.fonts, chunk + segment, { font: atom.font, size: ctx.size }) > maxWidth
    ) {
      out.push({ ...atom, text: chunk, width: undefined, run: undefined });
      chunk = '';
    }
    chunk += segment;
  }
  if (chunk) out.push({ ...atom, text: chunk, width: undefined, run: undefined });
  return out;
}

/**
 * Breaks styled runs into lines no wider than `maxWidth`, at the break opportunities of UAX #14
 * (after spaces, hyphens, slashes, …; never before closing punctuation), and at every mandatory
 * break. Left-aligned; spaces collapse. Each line's fragments are in visual order: right-to-left
 * text is reordered by the Unicode bidirectional algorithm (bidi.ts). The lines are remembered
 * for `runs` (the same array, context and width give the same lines): callers must not change them.
 */
export function breakLines(runs: Run[], ctx: MeasureContext, maxWidth: number): Line[] {
  const byKey = linesMemo(runs, ctx.fonts);
  const key = `${ctx.size}\u0000${ctx.fontOverride ?? ''}\u0000${maxWidth}`;
  let lines = byKey.get(key);
  if (!lines) byKey.set(key, (lines = breakLinesOnce(runs, ctx, maxWidth)));
  return lines;
}

function breakLinesOnce(runs: Run[], ctx: MeasureContext, maxWidth: number): Line[] {
  const texts = runs.map((r) => printable(r.text));
  const full = texts.join('');
  if (hasRtl(full)) return breakLinesByAtoms(runs, ctx, maxWidth);
  return breakLinesLtr({ runs, texts, full }, ctx, maxWidth);
}

/**
 * The lines of a paragraph as atoms and pieces give them: its pieces, the atoms of each line,
 * then each line's fragments. Right-to-left text takes this path (the bidirectional algorithm
 * reorders each line's atoms); `breakLinesLtr` gives the same lines for the rest in one pass
 * (test/pdf/break-lines.test.ts holds the two together).
 */
export function breakLinesByAtoms(runs: Run[], ctx: MeasureContext, maxWidth: number): Line[] {
  const w = (a: Atom) => atomWidth(a, ctx);
  const lines: Atom[][] = [];
  let cur: Atom[] = [];
  let curW = 0;
  let space: Atom | undefined;
  const flush = () => {
    lines.push(cur);
    cur = [];
    curW = 0;
    space = undefined;
  };
  // NOTE: a line that ends where the source had a space (a soft break) or a line break keeps
  // a real space at its end, inside the column: screen readers, reflow and copy/paste read the
  // drawn text, and without it the last word of a line runs into the first of the next.
  // A line ending after a hyphen or slash (no space in the source) or inside a long word gets none.
  // The space hangs past the edge when the line is full: it draws nothing, and the line's
  // width leaves it out (toLine).
  const endWithSpace = (sp: Atom | undefined) => {
    if (!cur.length || !sp) return;
    cur.push(sp);
    curW += w(sp);
  };
  const hardBreak = () => {
    endWithSpace(
      space ?? {
        text: ' ',
        font: cur[cur.length - 1]?.font ?? 'regular',
        link: undefined,
        kind: 'space',
        width: undefined,
        run: undefined,
      },
    );
    flush();
  };
  const { list, rtl } = piecesOf(runs, ctx);
  for (const p of list) {
    if (!p.atoms.length) {
      if (p.space && cur.length) space = p.space;
      if (p.newline) hardBreak();
      continue;
    }
    const gw = p.atoms.reduce((s, g) => s + w(g), 0);
    const sw = space ? w(space) : 0;
    // The piece must leave room for the space after it, should the line end there.
    const trailing = p.space ? w(p.space) : 0;
    if (cur.length && curW + sw + gw + trailing > maxWidth) {
      endWithSpace(space);
      flush();
    }
    if (!cur.length && gw > maxWidth) {
      // A word longer than the line (a hash, a long compound): split between graphemes.
      for (const g of p.atoms) {
        for (const piece of splitLongWord(g, ctx, maxWidth)) {
          const pw = w(piece);
          if (cur.length && curW + pw > maxWidth) flush();
          cur.push(piece);
          curW += pw;
        }
      }
    } else {
      if (cur.length && space) {
        cur.push(space);
        curW += sw;
      }
      cur.push(...p.atoms);
      curW += gw;
    }
    space = p.space;
    if (p.newline) hardBreak();
  }
  if (cur.length || !lines.length) lines.push(cur);
  if (!rtl) return lines.map((atomsOfLine) => toLine(atomsOfLine, ctx));
  return visualLines(lines, ctx);
}

/** An atom as the one-pass breaker holds it: measured, in a slot it reuses. */
interface Slot {
  text: string;
  font: FontKey;
  link: string | undefined;
  kind: 'word' | 'space';
  width: number;
  shaped: ShapedRun | undefined;
  /** Where its text starts in the paragraph's text, or -1 when it is not a copy of it. */
  from: number;
}
const slot = (): Slot => ({
  text: '',
  font: 'regular',
  link: undefined,
  kind: 'word',
  width: 0,
  shaped: undefined,
  from: -1,
});
/** The slots a piece's atoms are measured in (grown as needed), and one for a single atom. */
const scratch: Slot[] = [];
const single = slot();

/** A paragraph's runs, and their printable texts (`printable`), one after the other in `full`. */
interface Paragraph {
  runs: Run[];
  texts: string[];
  full: string;
}

/**
 * The lines `breakLinesByAtoms` makes for a paragraph without right-to-left text, made in one
 * pass: each piece's atoms are measured in `scratch` and added straight to the line's fragments,
 * where that path made an object for each atom, piece and line and went over them three times.
 * NOTE: issue 15: line breaking was a quarter of a 700-page build, and a third of what it
 * allocated. Every width is summed in the same order as there, so the lines are equal to the
 * last bit; a fragment's text is one slice of the paragraph's text when its atoms are (a space
 * collapsed from several, or added at a line break, joins the parts instead).
 */
function breakLinesLtr(para: Paragraph, ctx: MeasureContext, maxWidth: number): Line[] {
  const { runs, texts, full } = para;
  const { fonts, size } = ctx;
  const override = ctx.fontOverride;
  const n = runs.length;
  // NOTE: each run's font and link read once, here: runs with and without a link are objects of
  // two shapes, and reading them all through the pass deoptimised it again and again (each time
  // compiled anew: ~0.2 s of a 700-page build's compiler threads).
  const runFont: FontKey[] = [];
  const runLink: (string | undefined)[] = [];
  // Each run's space: its shaped run and its width (-1 until measured).
  const spaceShaped: (ShapedRun | undefined)[] = [];
  const spaceWidth: number[] = [];
  for (let r = 0; r < n; r++) {
    const run = runs[r];
    runFont.push(override ?? run.font);
    runLink.push(run.link || undefined);
    spaceWidth.push(-1);
    spaceShaped.push(undefined);
  }
  const spaceOf = (r: number): number => {
    let width = spaceWidth[r];
    if (width < 0) {
      const shaped = shapeText(fonts[runFont[r]], ' ');
      spaceShaped[r] = shaped;
      spaceWidth[r] = width = (shaped.advanceWidth * size) / 1000;
    }
    return width;
  };

  // The piece being measured: its atoms in scratch[0 … count - 1].
  let count = 0;
  const next = (): Slot => (scratch[count++] ??= slot());
  const word = (text: string, r: number, from: number) => {
    const a = next();
    const font = runFont[r];
    const shaped = shapeText(fonts[font], text);
    a.text = text;
    a.font = font;
    a.link = runLink[r];
    a.kind = 'word';
    a.width = (shaped.advanceWidth * size) / 1000;
    a.shaped = shaped;
    a.from = from;
  };
  const space = (r: number, from: number) => {
    const a = next();
    a.width = spaceOf(r);
    a.text = ' ';
    a.font = runFont[r];
    a.link = runLink[r];
    a.kind = 'space';
    a.shaped = spaceShaped[r];
    a.from = from;
  };
  const cursor = new RunCursor(full, texts);
  const sink: AtomSink = { word, space };
  // The line being made: its fragments so far, and the last one's parts.
  const lines: Line[] = [];
  let fragments: Fragment[] = [];
  let atoms = 0;
  let curW = 0;
  let x = 0;
  let prevKind: 'word' | 'space' | undefined;
  let lastSpaceWidth = 0;
  let frag: Fragment | undefined;
  let fragFirst = '';
  let fragFrom = -1;
  let fragNext = -1;
  let fragAtoms = 0;
  let parts: string[] | undefined;
  const closeFragment = () => {
    if (!frag || fragAtoms < 2) return;
    frag.text = parts ? parts.join('') : full.slice(fragFrom, fragNext);
  };
  /** Adds an atom to the line: to its last fragment when the font and link are the same. */
  const add = (a: Slot) => {
    const { text, font, link, kind, width, from } = a;
    const shaped = a.shaped!;
    if (frag && frag.font === font && frag.link === link) {
      if (parts) parts.push(text);
      else if (from < 0 || from !== fragNext)
        parts = [fragAtoms > 1 ? full.slice(fragFrom, fragNext) : fragFirst, text];
      else fragNext = from + text.length;
      fragAtoms++;
      frag.width += width;
      if (frag.runs && kind === 'word' && prevKind === 'word') frag.runs = undefined;
      else frag.runs?.push(shaped);
    } else {
      closeFragment();
      const fragRuns = [shaped];
      frag = link
        ? { text, font, x, width, link, runs: fragRuns }
        : { text, font, x, width, runs: fragRuns };
      fragments.push(frag);
      fragFirst = text;
      fragFrom = from;
      fragNext = from < 0 ? -1 : from + text.length;
      fragAtoms = 1;
      parts = from < 0 ? [text] : undefined;
    }
    prevKind = kind;
    lastSpaceWidth = kind === 'space' ? width : 0;
    x += width;
    atoms++;
  };
  const flush = () => {
    closeFragment();
    lines.push({ fragments, width: x - lastSpaceWidth });
    fragments = [];
    frag = undefined;
    parts = undefined;
    atoms = 0;
    curW = 0;
    x = 0;
    prevKind = undefined;
    lastSpaceWidth = 0;
  };
  /** Adds a space: the run's own, or (`r` -1) one in the line's last font, for a line break. */
  const addSpace = (r: number, from: number) => {
    const a = single;
    if (r >= 0) {
      a.width = spaceOf(r);
      a.font = runFont[r];
      a.link = runLink[r];
      a.shaped = spaceShaped[r];
    } else {
      a.font = frag!.font;
      a.link = undefined;
      a.shaped = shapeText(fonts[a.font], ' ');
      a.width = (a.shaped.advanceWidth * size) / 1000;
    }
    a.text = ' ';
    a.kind = 'space';
    a.from = from;
    add(a);
    curW += a.width;
  };

  // The pending space (`space` of breakLinesByAtoms): the run it belongs to and where it starts
  // (-1 when it stands for several), or none.
  let pending = -1;
  let pendingFrom = -1;
  const hardBreak = () => {
    // A line break with no space before it: a space in the font of the line's last atom.
    if (atoms) addSpace(pending, pending >= 0 ? pendingFrom : -1);
    flush();
    pending = -1;
  };

  eachPiece(full, ({ from, to, spaces, hard }) => {
    count = 0;
    cursor.atoms(from, to, sink);
    const trailingRun = spaces ? cursor.spaceRun(to) : -1;
    const trailingFrom = spaces === 1 ? to : -1;
    if (!count) {
      if (trailingRun >= 0 && atoms) {
        pending = trailingRun;
        pendingFrom = trailingFrom;
      }
      if (hard) hardBreak();
      return;
    }
    let gw = 0;
    for (let k = 0; k < count; k++) gw += scratch[k].width;
    const sw = pending >= 0 ? spaceOf(pending) : 0;
    // The piece must leave room for the space after it, should the line end there.
    const trailing = trailingRun >= 0 ? spaceOf(trailingRun) : 0;
    if (atoms && curW + sw + gw + trailing > maxWidth) {
      if (pending >= 0) addSpace(pending, pendingFrom);
      flush();
      pending = -1;
    }
    if (!atoms && gw > maxWidth) {
      // A word longer than the line (a hash, a long compound): split between graphemes.
      const pieceAtoms: Atom[] = scratch.slice(0, count).map((a) => ({
        text: a.text,
        font: a.font,
        link: a.link,
        kind: a.kind,
        width: undefined,
        run: undefined,
      }));
      const a = single;
      for (const g of pieceAtoms) {
        for (const piece of splitLongWord(g, ctx, maxWidth)) {
          const pw = atomWidth(piece, ctx);
          if (atoms && curW + pw > maxWidth) flush();
          a.text = piece.text;
          a.font = piece.font;
          a.link = piece.link;
          a.kind = piece.kind;
          a.width = pw;
          a.shaped = piece.run;
          a.from = -1;
          add(a);
          curW += pw;
        }
      }
    } else {
      if (atoms && pending >= 0) addSpace(pending, pendingFrom);
      for (let k = 0; k < count; k++) add(scratch[k]);
      curW += gw;
    }
    pending = trailingRun;
    pendingFrom = trailingFrom;
    if (hard) hardBreak();
  });
  if (atoms || !lines.length) flush();
  return lines;
}

function toLine(atoms: Atom[], ctx: MeasureContext): Line {
  const fragments: Fragment[] = [];
  let x = 0;
  let prev: Atom | undefined;
  // NOTE: the last fragment's text, joined once it is whole: appended word by word, it was a
  // chain of one string object per word, kept with the page's operations until it was drawn
  // (~0.5 KB a fragment, ~24 MB for 700 pages).
  let texts: string[] = [];
  const close = () => {
    if (texts.length > 1) fragments[fragments.length - 1].text = texts.join('');
  };
  for (const a of atoms) {
    const width = atomWidth(a, ctx);
    const last = fragments[fragments.length - 1];
    if (last && last.font === a.font && last.link === a.link) {
      texts.push(a.text);
      last.width += width;
      // Two words with no space between ("ISO/" "IEC", or two runs): drawn as one word, shaped
      // together as pdfkit shapes it (kerning across the break), so from the text.
      if (last.runs && a.kind === 'word' && prev?.kind === 'word') last.runs = undefined;
      else last.runs?.push(a.run!);
    } else {
      close();
      texts = [a.text];
      // Made whole, not given its link and runs afterwards (each a property store outside it).
      const runs = [a.run!];
      fragments.push(
        a.link
          ? { text: a.text, font: a.font, x, width, link: a.link, runs }
          : { text: a.text, font: a.font, x, width, runs },
      );
    }
    prev = a;
    x += width;
  }
  close();
  return { fragments, width: x - hanging(atoms, ctx) };
}

/** Width of the space a line ends with (it may hang past the edge). */
function hanging(atoms: Atom[], ctx: MeasureContext): number {
  const last = atoms[atoms.length - 1];
  return last?.kind === 'space' ? atomWidth(last, ctx) : 0;
}

/**
 * Lines holding right-to-left text. The bidirectional algorithm runs over the whole paragraph
 * (its direction from its first strong character), then each line is reordered on its own
 * (UAX #9 L1-L4): each fragment's x is its place in visual order, while the fragments stay in
 * logical order, the order they are drawn in, so the tagged and extracted text reads as written.
 * A right-to-left fragment (`rtl`) holds its words in visual order (bidi.ts drawRtl).
 */
function visualLines(lines: Atom[][], ctx: MeasureContext): Line[] {
  const text = lines.map((l) => l.map((a) => a.text).join('')).join('');
  const para = bidiParagraph(text);
  const width = (font: FontKey, s: string) =>
    s
      .split(/( +)/)
      .reduce(
        (sum, part) => sum + (part ? textWidth(ctx.fonts, part, { font, size: ctx.size }) : 0),
        0,
      );
  let offset = 0;
  return lines.map((atoms) => {
    const start = offset;
    // The atom of each code unit of the line.
    const owner: Atom[] = [];
    for (const a of atoms) for (let k = 0; k < a.text.length; k++) owner.push(a);
    const end = start + owner.length;
    offset = end;
    const placed: { at: number; f: Fragment }[] = [];
    let x = 0;
    for (const run of para.line(start, end)) {
      // The run in pieces of one font and link, logical order; reversed when right to left.
      const parts: { from: number; to: number }[] = [];
      let from = run.start;
      for (let i = run.start; i < run.end; i++) {
        const a = owner[i - start];
        const b = owner[i + 1 - start];
        if (i + 1 < run.end && b.font === a.font && b.link === a.link) continue;
        parts.push({ from, to: i + 1 });
        from = i + 1;
      }
      if (run.rtl) parts.reverse();
      for (const { from: a, to: b } of parts) {
        const atom = owner[a - start];
        const drawn = run.rtl ? para.drawRtl(a, b) : text.slice(a, b);
        const f: Fragment = { text: drawn, font: atom.font, x, width: width(atom.font, drawn) };
        if (atom.link) f.link = atom.link;
        if (run.rtl) f.rtl = true;
        placed.push({ at: a, f });
        x += f.width;
      }
    }
    placed.sort((p, q) => p.at - q.at);
    // NOTE: the trailing space sits at the paragraph's level (UAX #9 L1): at the right end in a
    // left-to-right paragraph, where it may hang; at the left in a right-to-left one.
    const hang = para.baseLevel === 0 ? hanging(atoms, ctx) : 0;
    const line: Line = { fragments: placed.map((p) => p.f), width: x - hang };
    if (para.baseLevel === 1) line.rtl = true;
    return line;
  });
}

/** The natural (unwrapped) width of runs, and the widest single word: table column sizing. */
export function naturalWidths(runs: Run[], ctx: MeasureContext): { max: number; min: number } {
  const lines = breakLines(runs, ctx, Number.POSITIVE_INFINITY);
  const max = Math.max(0, ...lines.map((l) => l.width));
  // The widest piece between two break opportunities ("ISO/" of "ISO/IEC", "**bold**,").
  let min = 0;
  for (const p of piecesOf(runs, ctx).list) {
    const pw = p.atoms.reduce(
      (s, a) => s + textWidth(ctx.fonts, a.text, { font: a.font, size: ctx.size }),
      0,
    );
    min = Math.max(min, pw);
  }
  return { max, min };
}
