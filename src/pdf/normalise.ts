import { Lexer, type Token, type Tokens } from 'marked';
import { decodeEntities } from '../text/entities';
import type { FontKey } from './fonts';

/**
 * Stage 1 of the layout: Markdown → a small block tree the later stages understand.
 * Conventions on top of CommonMark/GFM (documented in templates/README.md):
 *   ```cover … ```        the cover page: `key: value` lines, values are inline Markdown
 *   <!-- pagebreak -->     start a new page
 *   <!-- matrix -->        the next table is a responsibility matrix (cells coloured by mark);
 *                          its first column names each row (row headers), unless it is a legend
 *   <!-- rowheaders -->    the next table's first column names each row (a key column)
 *   <!-- signature -->     reserve the visible signature field here
 *   <!-- contents -->      a contents page (PDF only): every # and ## heading after it, with
 *                          its page number, linked to it
 *   a paragraph of only bold text is a label ("**Requirement**"), kept with what follows
 * Raw HTML is printed literally: answers are data, never markup.
 */

export interface Run {
  text: string;
  font: FontKey;
  link?: string;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; runs: Run[]; text: string }
  | { kind: 'paragraph'; runs: Run[]; label: boolean }
  | { kind: 'code'; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'table'; matrix: boolean; rowHeaders: boolean; header: Run[][]; rows: Run[][][] }
  | { kind: 'pagebreak' }
  | { kind: 'rule' }
  | { kind: 'signature' }
  | { kind: 'contents' }
  | { kind: 'cover'; fields: Record<string, Run[]> };

interface InlineState {
  bold: boolean;
  italic: boolean;
  link?: string;
}

function fontFor(s: InlineState): FontKey {
  if (s.bold && s.italic) return 'boldItalic';
  if (s.bold) return 'bold';
  if (s.italic) return 'italic';
  return 'regular';
}

function inline(tokens: Token[] | undefined, state: InlineState, out: Run[]): Run[] {
  for (const t of tokens ?? []) {
    const push = (text: string, font: FontKey = fontFor(state)) => {
      if (!text) return;
      const run: Run = { text, font };
      if (state.link) run.link = state.link;
      out.push(run);
    };
    switch (t.type) {
      case 'strong':
        inline((t as Tokens.Strong).tokens, { ...state, bold: true }, out);
        break;
      case 'em':
        inline((t as Tokens.Em).tokens, { ...state, italic: true }, out);
        break;
      case 'del':
        inline((t as Tokens.Del).tokens, state, out);
        break;
      case 'link': {
        const l = t as Tokens.Link;
        inline(l.tokens, { ...state, link: l.href }, out);
        break;
      }
      case 'codespan':
        push(decodeEntities((t as Tokens.Codespan).text), 'mono');
        break;
      case 'br':
        push('\n');
        break;
      case 'escape':
        push((t as Tokens.Escape).text);
        break;
      case 'image': {
        const img = t as Tokens.Image;
        push(img.text ? `[${img.text}]` : '');
        break;
      }
      case 'text': {
        const tt = t as Tokens.Text;
        if (tt.tokens?.length) inline(tt.tokens, state, out);
        else push(decodeEntities(tt.text).replace(/\s*\n\s*/g, ' '));
        break;
      }
      default:
        // html and anything unknown: literal text, never interpreted.
        push('raw' in t ? t.raw : '');
    }
  }
  return out;
}

export function inlineRuns(tokens: Token[] | undefined): Run[] {
  return mergeRuns(inline(tokens, { bold: false, italic: false }, []));
}

/** Inline Markdown of a single line (cover values). */
export function parseInline(text: string): Run[] {
  return inlineRuns(Lexer.lexInline(text));
}

function mergeRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && last.font === r.font && last.link === r.link) last.text += r.text;
    else out.push({ ...r });
  }
  return out;
}

export function plainText(runs: Run[]): string {
  return runs.map((r) => r.text).join('');
}

function isLabel(runs: Run[]): boolean {
  return (
    runs.length > 0 &&
    runs.every((r) => r.font === 'bold' || !r.text.trim()) &&
    plainText(runs).length < 80
  );
}

function marker(raw: string): string | undefined {
  const m = /^\s*<!--\s*([a-z-]+)\s*-->\s*$/i.exec(raw);
  return m ? m[1].toLowerCase() : undefined;
}

function parseCover(text: string): Record<string, Run[]> {
  const fields: Record<string, Run[]> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([a-z][a-z-]*)\s*:\s?(.*)$/i.exec(line);
    if (m && m[2].trim()) fields[m[1].toLowerCase()] = parseInline(m[2].trim());
  }
  return fields;
}

/**
 * The cells of each body row beyond the header's count. GFM drops them, but answers are data:
 * the table gets more columns instead. NOTE: split as marked does, on pipes not escaped.
 */
function extraCells(tb: Tokens.Table): string[][] {
  const lines = tb.raw.replace(/\n+$/, '').split('\n').slice(2);
  if (lines.length !== tb.rows.length) return [];
  return lines.map((line) => {
    const cells: string[] = [];
    let cell = '';
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\\' && i + 1 < line.length) cell += line[i] + line[++i];
      else if (line[i] === '|') {
        cells.push(cell);
        cell = '';
      } else cell += line[i];
    }
    cells.push(cell);
    if (!cells[0].trim()) cells.shift();
    if (cells.length && !cells[cells.length - 1].trim()) cells.pop();
    return cells.slice(tb.header.length).map((c) => c.trim().replace(/\\\|/g, '|'));
  });
}

/** NOTE: one cover per document, the first: a ```cover fence in an answer is only code. */
function blocks(tokens: Token[], out: Block[], state = { cover: false }): Block[] {
  let matrixNext = false;
  let rowHeadersNext = false;
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
        break;
      case 'heading': {
        const h = t as Tokens.Heading;
        const runs = inlineRuns(h.tokens);
        const level = Math.min(Math.max(h.depth, 1), 4) as 1 | 2 | 3 | 4;
        out.push({ kind: 'heading', level, runs, text: plainText(runs).trim() });
        break;
      }
      case 'paragraph': {
        const runs = inlineRuns((t as Tokens.Paragraph).tokens);
        out.push({ kind: 'paragraph', runs, label: isLabel(runs) });
        break;
      }
      case 'text': {
        // Tight list items hold bare text tokens instead of paragraphs.
        const tt = t as Tokens.Text;
        const runs = tt.tokens?.length
          ? inlineRuns(tt.tokens)
          : [{ text: decodeEntities(tt.text), font: 'regular' as const }];
        out.push({ kind: 'paragraph', runs, label: false });
        break;
      }
      case 'code': {
        const c = t as Tokens.Code;
        if (c.lang === 'cover' && !state.cover) {
          state.cover = true;
          out.push({ kind: 'cover', fields: parseCover(c.text) });
        } else out.push({ kind: 'code', text: c.text });
        break;
      }
      case 'list': {
        const l = t as Tokens.List;
        out.push({
          kind: 'list',
          ordered: l.ordered,
          start: typeof l.start === 'number' ? l.start : 1,
          items: l.items.map((item) => blocks(item.tokens, [], state)),
        });
        break;
      }
      case 'table': {
        const tb = t as Tokens.Table;
        const extra = extraCells(tb);
        const rows = tb.rows.map((r, i) => [
          ...r.map((c) => inlineRuns(c.tokens)),
          ...(extra[i] ?? []).map(parseInline),
        ]);
        const cols = Math.max(tb.header.length, ...rows.map((r) => r.length));
        const pad = (cells: Run[][]): Run[][] => [
          ...cells,
          ...Array.from({ length: cols - cells.length }, () => []),
        ];
        out.push({
          kind: 'table',
          matrix: matrixNext,
          rowHeaders: rowHeadersNext,
          header: pad(tb.header.map((c) => inlineRuns(c.tokens))),
          rows: rows.map(pad),
        });
        matrixNext = false;
        rowHeadersNext = false;
        break;
      }
      case 'blockquote':
        blocks((t as Tokens.Blockquote).tokens, out, state);
        break;
      case 'hr':
        out.push({ kind: 'rule' });
        break;
      case 'html': {
        const m = marker(t.raw);
        if (m === 'pagebreak') out.push({ kind: 'pagebreak' });
        else if (m === 'matrix') matrixNext = true;
        else if (m === 'rowheaders') rowHeadersNext = true;
        else if (m === 'signature') out.push({ kind: 'signature' });
        else if (m === 'contents') out.push({ kind: 'contents' });
        else if (!/^\s*<!--[\s\S]*-->\s*$/.test(t.raw)) {
          // Raw HTML from an answer: printed as written.
          out.push({
            kind: 'paragraph',
            runs: [{ text: t.raw.trim(), font: 'regular' }],
            label: false,
          });
        }
        break;
      }
      default:
        if ('raw' in t && t.raw.trim()) {
          out.push({
            kind: 'paragraph',
            runs: [{ text: t.raw.trim(), font: 'regular' }],
            label: false,
          });
        }
    }
  }
  return out;
}

/**
 * Where inline Markdown could start in a text: a character of its syntax (escapes, HTML and
 * autolinks, links and images, code, emphasis, strikethrough, character references), a hard
 * line break, or what GFM makes a link of by itself (an address, a URL, `www.`).
 */
const INLINE_SYNTAX = /[\\<>![\]`*_~&@]| {2}\n|:\/\/|www\.|mailto:|xmpp:/i;

/**
 * An emphasis (`*text*`) or strong (`**text**`) span that marked reads as one, whatever the
 * text around it: it opens at the start or after a space or line feed, its text has no star and
 * neither starts nor ends with white space, and what follows the closing stars cannot make them
 * open another span (the end, a space, a line feed or a punctuation mark).
 */
const SPAN = /(^|[ \n])(\*\*?)([^\s*](?:[^*]*[^\s*])?)\2(?=$|[ \n.,:;?)])/g;

/** Plain text, or the text of a span and which. */
type Piece = { text: string } | { span: 'em' | 'strong'; raw: string; text: string };

/**
 * `src` as plain text and spans (SPAN) when that is all it holds: every piece of text between
 * and inside the spans free of inline syntax; undefined otherwise.
 */
function plainSpans(src: string): Piece[] | undefined {
  const pieces: Piece[] = [];
  let from = 0;
  SPAN.lastIndex = 0;
  for (let m = SPAN.exec(src); m; m = SPAN.exec(src)) {
    const open = m.index + m[1].length;
    const text = src.slice(from, open);
    if (INLINE_SYNTAX.test(text) || INLINE_SYNTAX.test(m[3])) return undefined;
    if (text) pieces.push({ text });
    pieces.push({
      span: m[2].length === 2 ? 'strong' : 'em',
      raw: m[0].slice(m[1].length),
      text: m[3],
    });
    from = SPAN.lastIndex;
  }
  const rest = src.slice(from);
  if (!pieces.length || INLINE_SYNTAX.test(rest)) return undefined;
  if (rest) pieces.push({ text: rest });
  return pieces;
}

/**
 * marked's lexer, reading inline text with none of that syntax as what marked makes of it (one
 * text token holding it as it is), and such text with emphasis and strong spans of plain text in
 * it ("**Your responsibilities**", "*Requirement:* …", "*Basic* (Customer): …") as marked's em
 * and strong tokens and text tokens, without running its inline tokenizers. NOTE: issue 15: they
 * were half of the Markdown stage of a 1,400-principle build (~95 ms), and most answers are
 * plain sentences. test/pdf/plain-inline.test.ts holds the tokens to marked's own.
 */
export class PlainFirstLexer extends Lexer {
  override inlineTokens(src: string, tokens: Token[] = []): Token[] {
    if (!src) return super.inlineTokens(src, tokens);
    if (!INLINE_SYNTAX.test(src)) return this.plainText(src, tokens);
    const pieces = plainSpans(src);
    if (!pieces) return super.inlineTokens(src, tokens);
    for (const p of pieces) {
      if ('span' in p) {
        tokens.push({ type: p.span, raw: p.raw, text: p.text, tokens: this.inlineTokens(p.text) });
      } else this.plainText(p.text, tokens);
    }
    return tokens;
  }

  /** As marked's inlineText: without "&" the text is the source; inside raw HTML it is marked
   * escaped (left as written when rendered). */
  private plainText(src: string, tokens: Token[]): Token[] {
    const last = tokens.at(-1);
    if (last?.type === 'text') {
      last.raw += src;
      (last as Tokens.Text).text += src;
    } else tokens.push({ type: 'text', raw: src, text: src, escaped: this.state.inRawBlock });
    return tokens;
  }
}

/** Parses Markdown into layout blocks. Pure. */
export function normaliseMarkdown(markdown: string): Block[] {
  return blocks(new PlainFirstLexer({ gfm: true }).lex(markdown), []);
}
