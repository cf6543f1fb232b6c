import type { Model } from '../model/types';
import { mdText } from '../render/markdown-escape';
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
 * The document as one Markdown page (GitHub-flavoured: tables), with YAML front matter as static
 * site generators (Jekyll, Hugo, Eleventy, Just the Docs) expect, so a provider's docs or trust
 * site can publish it as it stands.
 */

export interface MarkdownExportOptions extends ExportDocumentOptions {
  /** Front matter keys beyond `title`, in order; a `title` here replaces the document's. */
  frontMatter?: [string, string][];
}

/** A front matter value: numbers and true/false as they are, anything else a quoted string. */
function yamlValue(v: string): string {
  return /^(-?\d+(\.\d+)?|true|false)$/.test(v) ? v : JSON.stringify(v);
}

function frontMatter(title: string, extra: [string, string][]): string {
  const entries = new Map<string, string>([['title', title]]);
  for (const [k, v] of extra) entries.set(k, v);
  return `---\n${[...entries].map(([k, v]) => `${k}: ${yamlValue(v)}`).join('\n')}\n---\n\n`;
}

/** A code span that holds `text` whatever backticks it contains. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(text) || /^ .* $/.test(text) ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** Plain text as inline Markdown that prints it literally; a line break stays one. */
function literal(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? mdText(line) : ''))
    .join('\\\n');
}

function wrap(text: string, mark: string): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(text)!;
  return m[2] ? `${m[1]}${mark}${literal(m[2])}${mark}${m[3]}` : literal(text);
}

function runToMarkdown(r: Run): string {
  let s: string;
  if (r.font === 'mono') s = codeSpan(r.text);
  else if (r.font === 'bold') s = wrap(r.text, '**');
  else if (r.font === 'italic') s = wrap(r.text, '*');
  else if (r.font === 'boldItalic') s = wrap(r.text, '***');
  else s = literal(r.text);
  const href = r.link ? safeHref(r.link) : undefined;
  return href ? `[${s}](<${href.replace(/[<>\s]/g, encodeURIComponent)}>)` : s;
}

export function runsToMarkdown(runs: Run[]): string {
  return runs.map(runToMarkdown).join('');
}

function cellMarkdown(runs: Run[]): string {
  return runsToMarkdown(runs.map((r) => ({ ...r, text: r.text.replace(/\n/g, ' ') }))) || ' ';
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

function blockToMarkdown(block: Block, shift: number): string | undefined {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(Math.min(block.level + shift, 6))} ${cellMarkdown(block.runs)}`;
    case 'paragraph':
      return runsToMarkdown(block.runs);
    case 'code': {
      const longest = Math.max(2, ...[...block.text.matchAll(/`+/g)].map((m) => m[0].length));
      const fence = '`'.repeat(longest + 1);
      return `${fence}\n${block.text}\n${fence}`;
    }
    case 'list':
      return block.items
        .map((item, i) => {
          const marker = block.ordered ? `${block.start + i}. ` : '- ';
          const body = item
            .map((b) => blockToMarkdown(b, shift))
            .filter((s): s is string => s !== undefined)
            .join('\n\n');
          return marker + indent(body, ' '.repeat(marker.length)).slice(marker.length);
        })
        .join('\n');
    case 'table': {
      const head = `| ${block.header.map(cellMarkdown).join(' | ')} |`;
      const rule = `|${block.header.map(() => ' --- |').join('')}`;
      const rows = block.rows.map((r) => `| ${r.map(cellMarkdown).join(' | ')} |`);
      return [head, rule, ...rows].join('\n');
    }
    case 'rule':
      return '---';
    case 'pagebreak':
    case 'signature':
    case 'cover':
      return undefined;
  }
}

/** Writes the blocks of a document as Markdown. */
export function blocksToMarkdown(blocks: Block[], shift = 0): string {
  return blocks
    .map((b) => blockToMarkdown(b, shift))
    .filter((s): s is string => s !== undefined && s !== '')
    .join('\n\n');
}

export function exportMarkdown(model: Model, options: MarkdownExportOptions = {}): string {
  const doc = buildExportDocument(model, options);
  const title = documentTitle(doc);
  const head: string[] = [];
  if (doc.cover) {
    head.push(`# ${runsToMarkdown(title)}`);
    for (const key of COVER_LINES) {
      const runs = doc.cover[key];
      if (runs) head.push(runsToMarkdown(runs));
    }
    if (doc.cover.classification) head.push(`**${runsToMarkdown(doc.cover.classification)}**`);
  }
  const plainTitle = title.map((r) => r.text).join('');
  const body = blocksToMarkdown(doc.blocks, doc.headingShift);
  return `${frontMatter(plainTitle, options.frontMatter ?? [])}${[...head, body].join('\n\n')}\n`;
}
