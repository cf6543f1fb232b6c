import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import { STYLE } from '../../src/pdf/styles';
import type { CliContext } from '../../src/cli/context';
import { ROOT } from '../helpers/cli';
import type { Generated, Md } from './generators';

/** The fuzz tests' side of the bargain: running srq in process and judging what it printed. */

export interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Runs the CLI in this process (the same code as `node bin/srq.js`), pinned clock, no terminal. */
export async function cliInProcess(args: string[], cwd: string): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lines = (out: string[]) => (t: string) => out.push(...t.replace(/\n$/, '').split('\n'));
  const ctx: CliContext = {
    stdout: lines(stdout),
    stderr: lines(stderr),
    cwd,
    env: {},
    isTTY: false,
    colour: false,
    debug: false,
    now: () => new Date('2026-11-22T12:00:00Z'),
  };
  const code = await runCli(args, ctx);
  return { code, stdout, stderr };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Problems with a failing run's output: exit 1, and every line one located error (or warning)
 * of the form `file:line:col: path: message`, `file: message` or `srq: message`; no stack
 * trace, no internal error, no control characters.
 */
export function errorOutputProblems(r: Run, files: string[]): string[] {
  const problems: string[] = [];
  if (r.code !== 1) problems.push(`exit ${r.code}, expected 1`);
  const located = new RegExp(`^(${files.map(escape).join('|')})(:\\d+:\\d+)?: .*\\S.*$`, 'u');
  if (!r.stderr.length) problems.push('no error printed');
  for (const line of r.stderr) {
    // eslint-disable-next-line no-control-regex -- a control character in an error is the finding
    if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(line))
      problems.push(`control character in: ${JSON.stringify(line)}`);
    else if (/^\s+at |internal error|Error: /.test(line))
      problems.push(`stack trace or internal error: ${line}`);
    else if (!located.test(line) && !/^srq: \S.*$/u.test(line))
      problems.push(`not a one-line located error: ${JSON.stringify(line)}`);
  }
  return problems;
}

/** Characters a build reported as missing from the fonts (`U+1F600 😀 is not in …`). */
export function reportedChars(warnings: string[]): Set<string> {
  const out = new Set<string>();
  for (const w of warnings) {
    for (const m of w.matchAll(/U\+([0-9A-F]{4,6}) /g))
      out.add(String.fromCodePoint(parseInt(m[1], 16)));
  }
  return out;
}

/**
 * Text compared without what cannot survive a round trip through a PDF's text: whitespace (line
 * breaks split long words anywhere), controls, default-ignorable characters (joiners, bidi
 * controls, variation selectors), and compatibility forms (NFKC: ligatures come back as letters).
 */
export function canon(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\p{Cc}\p{Default_Ignorable_Code_Point}]/gu, '')
    .replace(/\uFFFD/g, '');
}

/**
 * Text from a PDF compared as `canon` compares, and also without combining marks (NFKD, then
 * marks left out): a run drawn in reverse (below) comes back with each mark before its letter.
 */
export function canonPdf(s: string): string {
  return s.normalize('NFKD').replace(/[\s\p{Cc}\p{M}\p{Default_Ignorable_Code_Point}\uFFFD]/gu, '');
}

const RTL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const RTL_ALL = new RegExp(RTL.source, 'gu');

/** Right-to-left letters and letters of other scripts in one word (as "ظa"). */
function mixedDirection(w: string): boolean {
  return RTL.test(w) && /\p{L}/u.test(w.replace(RTL_ALL, ''));
}

/** Expected words: every Markdown text's words and every plain value's whitespace-free tokens. */
export function expectedWords(g: Generated): string[] {
  return [
    ...g.texts.flatMap((t: Md) => t.words),
    ...g.plain.flatMap((p) => p.split(/\s+/u)),
  ].filter(Boolean);
}

/**
 * Words missing from `text`. `skip`: characters the build reported it cannot draw; a word holding
 * one may be absent.
 *
 * `pdf`: `text` was extracted from a PDF (its `canonPdf` form), by pdf.js or poppler. NOTE: srq
 * has no bidi algorithm: fontkit shapes each drawn fragment in the direction of its first strong
 * script, so text sharing a fragment with Hebrew or Arabic may be drawn reversed; and extraction
 * reorders lines holding right-to-left text by its own rules. So a word without right-to-left
 * letters must appear forwards or backwards. Words with them: poppler's characters are counted
 * over the whole text; pdf.js drops glyphs of right-to-left runs outright (a letter poppler and
 * the page show is missing), so there they are left to the layout check, which compares exactly.
 */
export function missingWords(
  expected: string[],
  text: string,
  options: { skip?: Set<string>; pdf?: 'pdf.js' | 'poppler' } = {},
): string[] {
  const hay = options.pdf ? text : canon(text);
  const missing: string[] = [];
  const need = new Map<string, { n: number; word: string }>();
  for (const w of expected) {
    if (options.skip && Array.from(w).some((ch) => options.skip!.has(ch))) continue;
    if (!options.pdf) {
      // NOTE: a word mixing right-to-left letters with others is cut by the bidirectional
      // algorithm into runs drawn in visual order (in a right-to-left line the left-to-right run
      // comes first): its characters are counted over the whole text instead.
      if (mixedDirection(w)) {
        for (const ch of canon(w)) need.set(ch, { n: (need.get(ch)?.n ?? 0) + 1, word: w });
      } else if (!hay.includes(canon(w))) missing.push(w);
    } else if (RTL.test(w)) {
      if (options.pdf === 'poppler')
        for (const ch of canonPdf(w)) need.set(ch, { n: (need.get(ch)?.n ?? 0) + 1, word: w });
    } else {
      const p = canonPdf(w);
      if (!hay.includes(p) && !hay.includes(Array.from(p).reverse().join(''))) missing.push(w);
    }
  }
  if (need.size) {
    const have = new Map<string, number>();
    for (const ch of hay) have.set(ch, (have.get(ch) ?? 0) + 1);
    for (const [ch, { n, word }] of need) {
      const h = have.get(ch) ?? 0;
      if (h < n) missing.push(`${word} (U+${ch.codePointAt(0)!.toString(16)}: ${h} of ${n})`);
    }
  }
  return missing;
}

/**
 * Whether `word` (canonPdf form) is drawn in parts on consecutive pages: a table row taller than
 * what is left of a page goes on over the page break, and then the row's other cells (and the
 * repeated header row) come between the two parts of a word in one cell, in the text as drawn.
 * `pages`: each page's text as the extractor gives it (lines end in "\n"). The parts must
 * follow the lines: the first ends a line on its page, each next one starts a line on the
 * next page, and all but the last end a line there too.
 */
export function splitAcrossPages(word: string, pages: string[]): boolean {
  const lines = pages.map((t) => t.split('\n').map(canonPdf).filter(Boolean));
  // `rest` from the start of a line on page p: whole lines, then a line's start, or on over the
  // next page break.
  const fromLineStart = (rest: string, p: number): boolean => {
    const page = lines[p];
    if (!page) return false;
    for (let a = 0; a < page.length; a++) {
      let left = rest;
      for (let b = a; b < page.length && left; b++) {
        if (left.startsWith(page[b])) left = left.slice(page[b].length);
        else if (page[b].startsWith(left)) return true;
        else break;
        if (!left) return true;
        if (b === page.length - 1 || !page[b + 1].startsWith(left.slice(0, 1))) {
          if (fromLineStart(left, p + 1)) return true;
        }
      }
    }
    return false;
  };
  for (let p = 0; p + 1 < lines.length; p++) {
    for (const [j, line] of lines[p].entries()) {
      // The word starts somewhere in line j and runs to the end of it, then of whole lines.
      for (let i = 0; i < line.length; i++) {
        let left = word;
        const tail = line.slice(i);
        if (!left.startsWith(tail) || tail === left) continue;
        left = left.slice(tail.length);
        for (let m = j + 1; ; m++) {
          if (fromLineStart(left, p + 1)) return true;
          const next = lines[p][m];
          if (!next || !left.startsWith(next) || next === left) break;
          left = left.slice(next.length);
        }
      }
    }
  }
  return false;
}

/** A PDF's text as pdf.js reads it: each page whole, and the body without the page furniture. */
export interface ExtractedText {
  pages: string[];
  /** All pages' text in drawing order, without running header, footer and DRAFT watermark. */
  body: string;
  /** Body text drawn past the right margin (by more than a point), with its right edge. */
  overflow: string[];
}

/**
 * One node process running pdf.js for the whole test file: a PDF path in, its text out. The body
 * leaves out items by where they are (above the header rule, below the footer rule, rotated), so
 * a word broken across a page boundary reads as one whatever the header holds. NOTE: pdf.js needs
 * a dynamic import jest's VM refuses, hence the child process (as in test/helpers/pdf.ts).
 */
export class TextExtractor {
  private child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: ((text: ExtractedText) => void)[] = [];

  constructor() {
    const { height, margin } = STYLE.page;
    const script = `
      const fs = require('node:fs');
      const top = ${STYLE.header.ruleY};
      const bottom = ${height - margin.bottom + 10};
      const right = ${STYLE.page.width - margin.right + 1};
      let chain = Promise.resolve();
      require('node:readline').createInterface({ input: process.stdin }).on('line', (file) => {
        chain = chain.then(async () => {
          try {
            const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
            const data = new Uint8Array(fs.readFileSync(file));
            const doc = await pdfjs.getDocument({ data, verbosity: 0 }).promise;
            const pages = [];
            const body = [];
            const overflow = [];
            for (let n = 1; n <= doc.numPages; n++) {
              const page = await doc.getPage(n);
              const { items } = await page.getTextContent();
              pages.push(items.map((i) => i.str + (i.hasEOL ? '\\n' : '')).join(''));
              for (const i of items) {
                const [a, b, , , , f] = i.transform;
                const y = page.view[3] - f;
                if (b !== 0 || a <= 0 || y < top || y > bottom) continue;
                body.push(i.str);
                const edge = i.transform[4] + i.width;
                if (i.str.trim() && edge > right) overflow.push(n + ': ' + i.str + ' (to ' + edge.toFixed(1) + ')');
              }
            }
            await doc.destroy();
            process.stdout.write(JSON.stringify({ pages, body: body.join(' '), overflow }) + '\\n');
          } catch (err) {
            const body = 'EXTRACTION FAILED: ' + String(err);
            process.stdout.write(JSON.stringify({ pages: [], body, overflow: [] }) + '\\n');
          }
        });
      });`;
    this.child = spawn(process.execPath, ['-e', script], { cwd: ROOT });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => {
      this.buffer += d;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()!(JSON.parse(line) as ExtractedText);
      }
    });
  }

  /** The text of the PDF at `file`. */
  read(file: string): Promise<ExtractedText> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${path.resolve(file)}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

export function writeCase(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

/**
 * fast-check options that replay a reported failure: SRQ_FUZZ_SEED=<seed> SRQ_FUZZ_PATH=<path>.
 * A replayed counterexample is already shrunk, so it is reported at once.
 */
export function fuzzReplay(): { seed?: number; path?: string; endOnFailure?: boolean } {
  const seed = process.env.SRQ_FUZZ_SEED;
  const path = process.env.SRQ_FUZZ_PATH;
  return {
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path, endOnFailure: true } : {}),
  };
}
