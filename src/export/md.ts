import type { Model } from '../model/types';
import { buildExportDocument, type Block, type HeadingLevel } from './document';
import type { Run } from './markdown';

/** The statement as one Markdown file (GitHub-flavoured: tables). */

function escapeInline(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function runsToMarkdown(runs: Run[]): string {
  return runs
    .map((r) => {
      if (r.br) return '  \n';
      if (!r.text) return '';
      let s = r.code ? `\`${r.text}\`` : escapeInline(r.text);
      if (r.bold) s = `**${s.trim()}**${r.text.endsWith(' ') ? ' ' : ''}`;
      if (r.italic) s = `*${s.trim()}*${r.text.endsWith(' ') ? ' ' : ''}`;
      if (r.href) s = `[${s}](${r.href})`;
      return s;
    })
    .join('');
}

/** Moves the ATX headings of user Markdown below `base`, outside code fences. */
export function shiftHeadings(markdown: string, base: HeadingLevel): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (f) {
        if (!fence) fence = f[1][0];
        else if (f[1][0] === fence) fence = undefined;
        return line;
      }
      if (fence) return line;
      const h = /^(\s{0,3})(#{1,6})(\s|$)/.exec(line);
      if (!h) return line;
      const depth = Math.min(h[2].length + base, 6);
      return `${h[1]}${'#'.repeat(depth)}${line.slice(h[1].length + h[2].length)}`;
    })
    .join('\n');
}

function escapeLineStart(s: string): string {
  return s.replace(/^(#|\d+(?=[.)]\s)|[-+](?=\s))/, '\\$1');
}

function cellText(s: string): string {
  return escapeInline(s).replace(/\r?\n/g, ' ');
}

function blockToMarkdown(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${escapeInline(block.text)}`;
    case 'paragraph': {
      const s = runsToMarkdown(block.runs);
      return block.runs[0]?.bold || block.runs[0]?.italic ? s : escapeLineStart(s);
    }
    case 'markdown':
      return shiftHeadings(block.markdown.trim(), block.headingBase);
    case 'list':
      return block.items.map((runs) => `- ${runsToMarkdown(runs)}`).join('\n');
    case 'table': {
      const head = `| ${block.head.map(cellText).join(' | ')} |`;
      const rule = `|${block.head.map(() => '---').join('|')}|`;
      const rows = block.rows.map((r) => `| ${r.map((c) => cellText(c.text)).join(' | ')} |`);
      return [`*${escapeInline(block.caption)}*`, '', head, rule, ...rows].join('\n');
    }
  }
}

export function exportMarkdown(model: Model): string {
  const doc = buildExportDocument(model);
  return `${doc.blocks.map(blockToMarkdown).join('\n\n')}\n`;
}
