import { Lexer, type Token, type Tokens } from 'marked';
import { decodeEntities } from '../text/entities';

/**
 * Answer Markdown as tokens (marked's lexer), and the two views every non-HTML format needs:
 * styled inline runs (DOCX) and plain text (CSV, XLSX, OSCAL summaries).
 */

export function lexMarkdown(markdown: string): Token[] {
  return new Lexer({ gfm: true }).lex(markdown);
}

/** http(s), mailto and in-page links only; `javascript:` and the like are dropped. */
export function safeHref(href: string): string | undefined {
  const h = href.trim();
  if (/^(https?:|mailto:)/i.test(h) || h.startsWith('#')) return h;
  return undefined;
}

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  strike?: boolean;
  /** Set for a link's text. */
  href?: string;
  /** A line break inside the paragraph. */
  br?: boolean;
}

type Style = Omit<Run, 'text' | 'br'>;

/** Inline tokens as a flat list of styled runs. Raw HTML is kept as literal text, never markup. */
export function inlineRuns(tokens: Token[] | undefined, style: Style = {}): Run[] {
  const out: Run[] = [];
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        out.push(...inlineRuns((t as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...inlineRuns((t as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case 'del':
        out.push(...inlineRuns((t as Tokens.Del).tokens, { ...style, strike: true }));
        break;
      case 'codespan':
        out.push({ ...style, code: true, text: decodeEntities((t as Tokens.Codespan).text) });
        break;
      case 'br':
        out.push({ ...style, text: '', br: true });
        break;
      case 'link': {
        const l = t as Tokens.Link;
        out.push(...inlineRuns(l.tokens, { ...style, href: l.href }));
        break;
      }
      case 'image':
        out.push({ ...style, text: decodeEntities((t as Tokens.Image).text) });
        break;
      case 'html':
        out.push({ ...style, text: (t as Tokens.HTML).raw });
        break;
      case 'text':
      case 'escape': {
        const tt = t as Tokens.Text;
        if (tt.tokens?.length) out.push(...inlineRuns(tt.tokens, style));
        // A line break inside a paragraph's source is a soft break: a space.
        else out.push({ ...style, text: decodeEntities(tt.text).replace(/[ \t]*\n[ \t]*/g, ' ') });
        break;
      }
      default:
        out.push({ ...style, text: decodeEntities(t.raw) });
    }
  }
  return out;
}

/** Runs as plain text; a link shows its address after the text unless the text is the address. */
export function runsToPlain(runs: Run[]): string {
  let s = '';
  let linkText = '';
  let href: string | undefined;
  const flushLink = () => {
    if (href !== undefined && !linkText.includes(href) && !href.startsWith('#')) {
      s += ` (${href.replace(/^mailto:/, '')})`;
    }
    href = undefined;
    linkText = '';
  };
  for (const r of runs) {
    if (r.href !== href) flushLink();
    if (r.href !== undefined) {
      href = r.href;
      linkText += r.text;
    }
    s += r.br ? '\n' : r.text;
  }
  flushLink();
  return s;
}

function blockToPlain(t: Token, indent: string): string[] {
  switch (t.type) {
    case 'space':
    case 'hr':
    case 'def':
      return [];
    case 'heading':
    case 'paragraph':
      return [indent + runsToPlain(inlineRuns((t as Tokens.Paragraph).tokens))];
    case 'text': {
      const tt = t as Tokens.Text;
      return [indent + runsToPlain(inlineRuns(tt.tokens ?? [{ ...tt, tokens: undefined }]))];
    }
    case 'code':
      return (t as Tokens.Code).text.split('\n').map((l) => indent + l);
    case 'blockquote':
      return (t as Tokens.Blockquote).tokens.flatMap((c) => blockToPlain(c, indent));
    case 'list': {
      const list = t as Tokens.List;
      const start = typeof list.start === 'number' ? list.start : 1;
      return list.items.flatMap((item, i) => {
        // NOTE: a bullet, not "-": spreadsheets read a cell starting with "-" as a formula.
        const marker = list.ordered ? `${start + i}. ` : '• ';
        const lines = item.tokens.flatMap((c) =>
          c.type === 'list' ? blockToPlain(c, `${indent}   `) : blockToPlain(c, ''),
        );
        return lines.map((l, j) =>
          j === 0 ? `${indent}${marker}${l}` : l.startsWith(indent) ? l : `${indent}   ${l}`,
        );
      });
    }
    case 'table': {
      const tb = t as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) =>
        indent + cells.map((c) => runsToPlain(inlineRuns(c.tokens))).join(' | ');
      return [row(tb.header), ...tb.rows.map(row)];
    }
    case 'html':
      return [indent + (t as Tokens.HTML).raw.trim()];
    default:
      return t.raw.trim() ? [indent + decodeEntities(t.raw.trim())] : [];
  }
}

/**
 * A line that is plain text to Markdown (GFM) as it stands, at the start of a paragraph or
 * inside one: no character that starts emphasis, code, strike-through, a link, an image, HTML,
 * an entity or an escape; nothing that opens a block (a heading, quote, list, code, table,
 * definition) or underlines one (=, -) at its start; no white space at either end (a hard break).
 */
const PLAIN_LINE =
  // eslint-disable-next-line no-control-regex -- control characters are what it must not let through
  /^(?![-+]|\d+[.)](?:\s|$))[^\s*_`~[\]<>#|\\&!=@{}^$\u0000-\u001f\u007f\u2028\u2029][^*_`~[\]<>#|\\&!=@{}^$\u0000-\u001f\u007f\u2028\u2029]*(?<!\s)$/;
/** What GFM would make a link of: an address, www., an e-mail scheme. */
const LINKABLE = /:\/\/|www\.|mailto:|xmpp:/i;

/**
 * `markdown` as markdownToPlain gives it, when each of its paragraphs is lines of plain text
 * (PLAIN_LINE): each paragraph's lines joined by a space (a soft break), one blank line between
 * paragraphs; else undefined.
 * NOTE: most answers are such paragraphs, and marked's lexer on them was ~40% of a cold
 * `srq export --format xlsx` (its rules run interpreted, its regular expressions compiled on
 * first use). test/export/markdown-plain.test.ts holds it to the lexer's result.
 */
export function plainParagraphs(markdown: string): string | undefined {
  const text = markdown.replace(/^\n+|\n+$/g, '');
  if (!text || LINKABLE.test(text)) return undefined;
  const paragraphs = text.split(/\n{2,}/);
  for (let i = 0; i < paragraphs.length; i++) {
    const lines = paragraphs[i].split('\n');
    for (const line of lines) if (!PLAIN_LINE.test(line)) return undefined;
    paragraphs[i] = lines.join(' ');
  }
  return paragraphs.join('\n\n');
}

/**
 * Markdown as plain text for spreadsheets and portals: paragraphs separated by a blank line,
 * lists with bullets or numbers, table rows with " | " between cells, emphasis dropped.
 */
export function markdownToPlain(markdown: string): string {
  const plain = plainParagraphs(markdown);
  if (plain !== undefined) return plain;
  return markdownToPlainLexed(markdown);
}

/** markdownToPlain through marked's lexer, whatever the text (the test's oracle). */
export function markdownToPlainLexed(markdown: string): string {
  const blocks = lexMarkdown(markdown)
    .map((t) => blockToPlain(t, '').join('\n'))
    .filter((b) => b.trim());
  return blocks.join('\n\n').trim();
}
