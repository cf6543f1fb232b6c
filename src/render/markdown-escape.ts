import { Lexer } from 'marked';

/**
 * Turning plain values (names, titles, references) into Markdown that prints them literally.
 * Answer text is Markdown already and is inserted as is; it is data to Handlebars, so a `{{x}}`
 * inside it is never evaluated.
 */
export function mdText(s: string): string {
  // NOTE: a lone CR is a line break to marked too: it would end a cover value there.
  return s
    .replace(/\s*[\r\n]\s*/g, ' ')
    .replace(/([\\`*_[\]<>|~&#!{}])/g, '\\$1')
    .replace(
      /^(\s*)([-+=]|\d+[.)])(?=\s|$)/,
      (_m, sp: string, lead: string) => `${sp}${lead.replace(/([-+=.)])$/, '\\$1')}`,
    );
}

/**
 * Markdown from a user, trimmed so it sits cleanly between blank lines, and self-contained so it
 * cannot run into the template around it: a leading block (a fence, list, heading, quote, table
 * or HTML) starts a line of its own even where a template puts the text after a label
 * ("*Tier* (Shared): …"), an unclosed fence is closed, and an unterminated HTML block that would
 * run to the end of the document (`<!--`, `<script>`, `<pre>`…) is escaped so it prints literally,
 * as other HTML does.
 */
export function mdBlock(s: string): string {
  let md = s.replace(/\r\n?/g, '\n').trim();
  if (/^ {0,3}(`{3,}|~{3,}|<)/m.test(md)) md = closeLastBlock(md);
  return /^(`{3}|~{3}|[-+*] |\d{1,9}[.)] |#{1,6}(\s|$)|>|\||<)/.test(md) ? `\n\n${md}` : md;
}

/** HTML blocks that end only at their end marker (CommonMark kinds 1-5), with that marker. */
const OPEN_ENDED_HTML: [RegExp, RegExp][] = [
  [/^<(script|pre|style|textarea)(\s|>|$)/i, /<\/(script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];

function closeLastBlock(md: string): string {
  const last = new Lexer({ gfm: true }).lex(md).at(-1);
  if (!last || !md.endsWith(last.raw.trimEnd())) return md;
  const raw = last.raw.trimEnd();
  const start = md.length - raw.length;
  const body = raw.replace(/^ {0,3}/, '');
  if (last.type === 'code') {
    const fence = /^(`{3,}|~{3,})/.exec(body)?.[1];
    if (!fence) return md;
    const lines = raw.split('\n');
    const closing = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}[ \\t]*$`);
    return lines.length > 1 && closing.test(lines[lines.length - 1]) ? md : `${md}\n${fence}`;
  }
  if (last.type === 'html') {
    const kind = OPEN_ENDED_HTML.find(([open]) => open.test(body));
    if (kind && !kind[1].test(body.slice(1))) {
      const at = start + raw.indexOf('<');
      return `${md.slice(0, at)}\\${md.slice(at)}`;
    }
  }
  return md;
}
