import type { Model } from '../model/types';
import { plainText } from '../pdf/normalise';
import { markOf, RESPONSIBILITY_COLOURS } from '../render/marks';
import { slug } from '../text/slug';
import {
  buildExportDocument,
  COVER_LINES,
  documentTitle,
  type Block,
  type ExportDocumentOptions,
  type Run,
} from './document';
import { safeHref } from './markdown-runs';

/**
 * The document as one standalone, accessible HTML page: lang en-GB, one h1, sections under h2,
 * tables with scoped header cells, matrix cells shaded and always carrying their word, print CSS.
 * Everything in it is text: raw HTML in an answer is shown as written, and only http(s), mailto
 * and in-page links are kept.
 */

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function runToHtml(r: Run): string {
  let s = escapeHtml(r.text).replace(/\n/g, '<br>\n');
  if (r.font === 'mono') s = `<code>${s}</code>`;
  if (r.font === 'bold' || r.font === 'boldItalic') s = `<strong>${s}</strong>`;
  if (r.font === 'italic' || r.font === 'boldItalic') s = `<em>${s}</em>`;
  const href = r.link ? safeHref(r.link) : undefined;
  return href ? `<a href="${escapeHtml(href)}">${s}</a>` : s;
}

export function runsToHtml(runs: Run[]): string {
  return runs.map(runToHtml).join('');
}

/** Unique, readable ids for headings ("principle-2-1-physical-location"). */
class Ids {
  private used = new Set<string>();
  next(text: string): string {
    const base = slug(text, { maxLength: 48, fallback: 'section' });
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

function tableToHtml(block: Extract<Block, { kind: 'table' }>): string {
  // A matrix whose first header cell is itself a mark is the legend: no row headers.
  const legend = block.matrix && markOf(plainText(block.header[0] ?? [])) !== undefined;
  const cell = (runs: Run[], tag: 'th' | 'td', scope?: 'col' | 'row') => {
    const mark = block.matrix ? markOf(plainText(runs)) : undefined;
    const attrs = `${scope ? ` scope="${scope}"` : ''}${mark ? ` class="r r-${mark}"` : ''}`;
    return `<${tag}${attrs}>${runsToHtml(runs)}</${tag}>`;
  };
  const head = `<thead>\n<tr>${block.header.map((c) => cell(c, 'th', 'col')).join('')}</tr>\n</thead>`;
  const rows = block.rows.map(
    (r) =>
      `<tr>${r.map((c, i) => (i === 0 && !legend ? cell(c, 'th', 'row') : cell(c, 'td'))).join('')}</tr>`,
  );
  const cls = block.matrix ? (legend ? ' class="legend"' : ' class="matrix"') : '';
  return `<table${cls}>\n${head}\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

interface Context {
  shift: number;
  ids: Ids;
  toc: string[];
}

function blockToHtml(block: Block, ctx: Context): string | undefined {
  switch (block.kind) {
    case 'heading': {
      const level = Math.min(block.level + ctx.shift, 6);
      const id = ctx.ids.next(block.text);
      if (level === 2) {
        ctx.toc.push(`<li><a href="#${id}">${escapeHtml(block.text)}</a></li>`);
      }
      return `<h${level} id="${id}">${runsToHtml(block.runs)}</h${level}>`;
    }
    case 'paragraph':
      return `<p${block.label ? ' class="label"' : ''}>${runsToHtml(block.runs)}</p>`;
    case 'code':
      return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
      const items = block.items.map((item) => {
        // A tight item is one paragraph: no <p> around it.
        if (item.length === 1 && item[0].kind === 'paragraph') {
          return `<li>${runsToHtml(item[0].runs)}</li>`;
        }
        const inner = item.map((b) => blockToHtml(b, ctx)).filter((s) => s !== undefined);
        return `<li>\n${inner.join('\n')}\n</li>`;
      });
      return `<${tag}${start}>\n${items.join('\n')}\n</${tag}>`;
    }
    case 'table':
      return tableToHtml(block);
    case 'rule':
      return '<hr>';
    case 'pagebreak':
    case 'signature':
    case 'cover':
      return undefined;
  }
}

const MARK_CSS = (
  Object.entries(RESPONSIBILITY_COLOURS) as [string, { fill: string; text: string }][]
)
  .map(([r, c]) => `.r-${r} { background: ${c.fill}; color: ${c.text}; }`)
  .join('\n');

const CSS = `
:root { color-scheme: light; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; line-height: 1.5; color: #1b1b1b; max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 2rem; margin-bottom: .25rem; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 2px solid #0b3a5c; padding-bottom: .2rem; }
h3 { font-size: 1.25rem; margin-top: 2rem; }
h4, h5, h6 { font-size: 1.05rem; margin-top: 1.25rem; }
p.subtitle { margin: .1rem 0; font-size: 1.1rem; color: #333; }
p.label { color: #0f6e8c; margin-bottom: .2rem; }
.marking { letter-spacing: .05em; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #e6edf3; }
table.legend th, table.legend td { width: 25%; }
${MARK_CSS}
pre { white-space: pre-wrap; background: #f7f9fb; padding: .5rem; }
nav ol { columns: 2; }
a { color: #0b5cad; }
:focus { outline: 3px solid #ffbf47; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 90%; }
  .r, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`.trim();

export function exportHtml(model: Model, options: ExportDocumentOptions = {}): string {
  const doc = buildExportDocument(model, options);
  const ctx: Context = { shift: doc.headingShift, ids: new Ids(), toc: [] };
  const header: string[] = [];
  let blocks = doc.blocks;
  if (doc.cover) {
    header.push(`<h1 id="${ctx.ids.next('title')}">${runsToHtml(documentTitle(doc))}</h1>`);
    for (const key of COVER_LINES) {
      const runs = doc.cover[key];
      if (runs) header.push(`<p class="subtitle">${runsToHtml(runs)}</p>`);
    }
  } else if (blocks[0]?.kind === 'heading' && blocks[0].level === 1) {
    header.push(blockToHtml(blocks[0], ctx)!);
    blocks = blocks.slice(1);
  }
  const marking = doc.classification
    ? `<p class="marking"><strong>${escapeHtml(doc.classification)}</strong></p>`
    : '';
  if (marking) header.push(marking);
  const main: string[] = [];
  let open = false;
  for (const block of blocks) {
    if (block.kind === 'heading' && block.level + doc.headingShift <= 2) {
      if (open) main.push('</section>');
      main.push('<section>');
      open = true;
    }
    const html = blockToHtml(block, ctx);
    if (html !== undefined) main.push(html);
  }
  if (open) main.push('</section>');
  const { info } = doc;
  return `<!DOCTYPE html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${plainText(documentTitle(doc))}: ${info.author}`)}</title>
<meta name="author" content="${escapeHtml(info.author)}">
<meta name="description" content="${escapeHtml(info.subject)}">
<meta name="keywords" content="${escapeHtml(info.keywords)}">
<style>
${CSS}
</style>
</head>
<body>
<header>
${header.join('\n')}
</header>
${
  ctx.toc.length
    ? `<nav aria-label="Contents">\n<h2 id="contents">Contents</h2>\n<ol>\n${ctx.toc.join('\n')}\n</ol>\n</nav>\n`
    : ''
}<main>
${main.join('\n')}
</main>
<footer>
${marking ? `${marking}\n` : ''}<p>${escapeHtml(`${info.shortTitle}, version ${doc.version}`)}</p>
</footer>
</body>
</html>
`;
}
