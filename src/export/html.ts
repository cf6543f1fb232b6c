import { Marked, type Tokens } from 'marked';
import type { Model } from '../model/types';
import { buildExportDocument, type Block, type Cell, type HeadingLevel } from './document';
import { safeHref, type Run } from './markdown';

/**
 * The statement as one standalone, accessible HTML page: lang en-GB, one h1, sections under h2,
 * tables with captions and scoped header cells, colour never the only signal, print CSS.
 * Answer Markdown is rendered by marked with raw HTML escaped and only safe link targets kept.
 */

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function answerRenderer(base: HeadingLevel): Marked {
  return new Marked({
    gfm: true,
    async: false,
    walkTokens(token) {
      if (token.type === 'heading') {
        const h = token as Tokens.Heading;
        h.depth = Math.min(h.depth + base, 6);
      }
    },
    renderer: {
      // NOTE: raw HTML in an answer is shown as text, never passed through: answers files come
      // from many hands and the page may be published.
      html({ text }) {
        return escapeHtml(text);
      },
      link({ href, title, tokens }) {
        const text = this.parser.parseInline(tokens);
        const safe = safeHref(href);
        if (!safe) return text;
        const t = title ? ` title="${escapeHtml(title)}"` : '';
        return `<a href="${escapeHtml(safe)}"${t}>${text}</a>`;
      },
      image({ text }) {
        return escapeHtml(text);
      },
      tablecell(token) {
        const content = this.parser.parseInline(token.tokens);
        const align = token.align ? ` style="text-align:${token.align}"` : '';
        return token.header
          ? `<th scope="col"${align}>${content}</th>\n`
          : `<td${align}>${content}</td>\n`;
      },
    },
  });
}

export function renderAnswerHtml(markdown: string, base: HeadingLevel): string {
  return answerRenderer(base).parse(markdown, { async: false });
}

function runsToHtml(runs: Run[]): string {
  return runs
    .map((r) => {
      if (r.br) return '<br>';
      let s = escapeHtml(r.text);
      if (r.code) s = `<code>${s}</code>`;
      if (r.bold) s = `<strong>${s}</strong>`;
      if (r.italic) s = `<em>${s}</em>`;
      const href = r.href ? safeHref(r.href) : undefined;
      if (href) s = `<a href="${escapeHtml(href)}">${s}</a>`;
      return s;
    })
    .join('');
}

function cellHtml(c: Cell, tag: string): string {
  const cls = c.responsibility ? ` class="r r-${c.responsibility}"` : '';
  return `<${tag}${cls}>${escapeHtml(c.text)}</${tag.split(' ')[0]}>`;
}

function blockToHtml(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `<h${block.level} id="${escapeHtml(block.id)}">${escapeHtml(block.text)}</h${block.level}>`;
    case 'paragraph':
      return `<p${block.role ? ` class="${block.role}"` : ''}>${runsToHtml(block.runs)}</p>`;
    case 'markdown':
      return `<div class="answer">\n${renderAnswerHtml(block.markdown, block.headingBase)}</div>`;
    case 'list':
      return `<ul>\n${block.items.map((r) => `<li>${runsToHtml(r)}</li>`).join('\n')}\n</ul>`;
    case 'table': {
      const head = `<thead>\n<tr>${block.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>\n</thead>`;
      const rows = block.rows.map(
        (r) =>
          `<tr>${r.map((c, i) => cellHtml(c, i === 0 && block.rowHeaders ? 'th scope="row"' : 'td')).join('')}</tr>`,
      );
      return `<table>\n<caption>${escapeHtml(block.caption)}</caption>\n${head}\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
    }
  }
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; line-height: 1.5; color: #1b1b1b; max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 2rem; margin-bottom: .25rem; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 2px solid #1d3557; padding-bottom: .2rem; }
h3 { font-size: 1.25rem; margin-top: 2rem; }
h4, h5, h6 { font-size: 1.05rem; margin-top: 1.25rem; }
p.subtitle { margin: .1rem 0; font-size: 1.1rem; color: #333; }
.marking { text-align: center; letter-spacing: .05em; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
th, td { border: 1px solid #8a8a8a; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #e8edf3; }
td.r-provider { background: #dcefd9; } td.r-customer { background: #fbe3c4; }
td.r-shared { background: #d9e6f5; } td.r-not-applicable { background: #e7e7e7; }
.answer { margin-left: 0; }
nav ol { columns: 2; }
a { color: #1d4e89; }
:focus { outline: 3px solid #ffbf47; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
  h2 { break-before: page; }
  #about { break-before: auto; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 90%; }
  td.r, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`.trim();

export function exportHtml(model: Model): string {
  const doc = buildExportDocument(model);
  const [titleBlock, ...rest] = doc.blocks;
  const headerBlocks: Block[] = [titleBlock];
  while (rest[0]?.type === 'paragraph' && rest[0].role) headerBlocks.push(rest.shift()!);
  const sections: string[] = [];
  let open = false;
  const toc: string[] = [];
  for (const block of rest) {
    if (block.type === 'heading' && block.level === 2) {
      if (open) sections.push('</section>');
      sections.push(`<section aria-labelledby="${escapeHtml(block.id)}">`);
      toc.push(`<li><a href="#${escapeHtml(block.id)}">${escapeHtml(block.text)}</a></li>`);
      open = true;
    }
    sections.push(blockToHtml(block));
  }
  if (open) sections.push('</section>');
  const marking = doc.classification
    ? `<p class="marking"><strong>${escapeHtml(doc.classification)}</strong></p>\n`
    : '';
  return `<!DOCTYPE html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${doc.title}: ${model.provider.name}`)}</title>
<meta name="author" content="${escapeHtml(doc.author)}">
<meta name="description" content="${escapeHtml(doc.subject)}">
<meta name="keywords" content="${escapeHtml(doc.keywords.join(', '))}">
<style>
${CSS}
</style>
</head>
<body>
<header>
${headerBlocks.map(blockToHtml).join('\n')}
</header>
<nav aria-label="Contents">
<h2 id="contents">Contents</h2>
<ol>
${toc.join('\n')}
</ol>
</nav>
<main>
${sections.join('\n')}
</main>
<footer>
${marking}<p>${escapeHtml(`${doc.shortTitle}, version ${model.document.version}`)}</p>
</footer>
</body>
</html>
`;
}
