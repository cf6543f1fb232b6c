import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel as DocxHeading,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { Token, Tokens } from 'marked';
import type { Model } from '../model/types';
import { buildExportDocument, type Block, type Cell, type HeadingLevel } from './document';
import { RESPONSIBILITY_FILL } from './labels';
import { inlineRuns, lexMarkdown, safeHref, type Run } from './markdown';

/**
 * The statement as a Word document for buyers who require one: real headings (navigation pane),
 * Word lists and tables with repeating header rows, and a running header and footer with the
 * title, the classification and "Page N of M". Answer Markdown goes through marked's lexer.
 */

const HEADINGS = [
  DocxHeading.HEADING_1,
  DocxHeading.HEADING_2,
  DocxHeading.HEADING_3,
  DocxHeading.HEADING_4,
  DocxHeading.HEADING_5,
  DocxHeading.HEADING_6,
] as const;

/** A4 with 2 cm margins, in twentieths of a point. */
const PAGE = { width: 11906, height: 16838, margin: 1134 };
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
const ORDERED = 'srq-ordered';

type Out = Paragraph | Table;

/** Builds Word paragraphs; ordered lists each get their own numbering instance so they restart. */
class DocxWriter {
  private listInstance = 0;

  runs(runs: Run[], base: { size?: number } = {}): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const r of runs) {
      if (r.br) {
        out.push(new TextRun({ text: '', break: 1 }));
        continue;
      }
      const run = new TextRun({
        text: r.text,
        ...(r.bold ? { bold: true } : {}),
        ...(r.italic ? { italics: true } : {}),
        ...(r.strike ? { strike: true } : {}),
        ...(r.code ? { font: 'Consolas' } : {}),
        ...(base.size ? { size: base.size } : {}),
        ...(r.href && safeHref(r.href) ? { style: 'Hyperlink' } : {}),
      });
      const href = r.href ? safeHref(r.href) : undefined;
      out.push(
        href && !href.startsWith('#')
          ? new ExternalHyperlink({ link: href, children: [run] })
          : run,
      );
    }
    return out;
  }

  heading(level: number, text: string): Paragraph {
    return new Paragraph({
      heading: HEADINGS[Math.min(Math.max(level, 1), 6) - 1],
      children: [new TextRun(text)],
      keepNext: true,
    });
  }

  /** Answer Markdown as Word blocks; its headings are placed below `base`. */
  markdown(markdown: string, base: HeadingLevel): Out[] {
    return lexMarkdown(markdown).flatMap((t) => this.token(t, base, 0));
  }

  private token(t: Token, base: number, depth: number): Out[] {
    switch (t.type) {
      case 'space':
      case 'def':
        return [];
      case 'heading': {
        const h = t as Tokens.Heading;
        return [
          new Paragraph({
            heading: HEADINGS[Math.min(h.depth + base, 6) - 1],
            children: this.runs(inlineRuns(h.tokens)),
            keepNext: true,
          }),
        ];
      }
      case 'paragraph':
        return [new Paragraph({ children: this.runs(inlineRuns((t as Tokens.Paragraph).tokens)) })];
      case 'text': {
        const tt = t as Tokens.Text;
        return [new Paragraph({ children: this.runs(inlineRuns(tt.tokens ?? [tt])) })];
      }
      case 'list':
        return this.list(t as Tokens.List, base, depth);
      case 'table':
        return [this.mdTable(t as Tokens.Table)];
      case 'blockquote':
        return (t as Tokens.Blockquote).tokens.flatMap((c) => this.token(c, base, depth));
      case 'code':
        return (t as Tokens.Code).text
          .split('\n')
          .map(
            (line) => new Paragraph({ children: [new TextRun({ text: line, font: 'Consolas' })] }),
          );
      case 'hr':
        return [
          new Paragraph({
            children: [],
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '8A8A8A', space: 1 } },
          }),
        ];
      case 'html':
        // NOTE: raw HTML in an answer is kept as literal text, as in the HTML export.
        return [new Paragraph({ children: [new TextRun((t as Tokens.HTML).raw.trim())] })];
      default:
        return t.raw.trim() ? [new Paragraph({ children: [new TextRun(t.raw.trim())] })] : [];
    }
  }

  private list(list: Tokens.List, base: number, depth: number): Out[] {
    const instance = list.ordered ? ++this.listInstance : 0;
    const level = Math.min(depth, 8);
    const out: Out[] = [];
    for (const item of list.items) {
      let first = true;
      for (const child of item.tokens) {
        if (child.type === 'list') {
          out.push(...this.list(child as Tokens.List, base, depth + 1));
          continue;
        }
        if (child.type === 'space') continue;
        const tokens =
          child.type === 'text' || child.type === 'paragraph'
            ? ((child as Tokens.Text).tokens ?? [child])
            : undefined;
        if (!tokens) {
          out.push(...this.token(child, base, depth + 1));
          continue;
        }
        const children = this.runs(inlineRuns(tokens));
        if (first) {
          out.push(
            new Paragraph({
              children,
              ...(list.ordered
                ? { numbering: { reference: ORDERED, level, instance } }
                : { bullet: { level } }),
            }),
          );
          first = false;
        } else {
          out.push(new Paragraph({ children, indent: { left: 720 * (level + 1) } }));
        }
      }
    }
    return out;
  }

  private mdTable(tb: Tokens.Table): Table {
    const row = (cells: Tokens.TableCell[], header: boolean) =>
      new TableRow({
        tableHeader: header,
        cantSplit: true,
        children: cells.map(
          (c) =>
            new TableCell({
              ...(header
                ? { shading: { type: ShadingType.CLEAR, fill: 'E8EDF3', color: 'auto' } }
                : {}),
              children: [
                new Paragraph({
                  children: this.runs(
                    inlineRuns(c.tokens).map((r) => (header ? { ...r, bold: true } : r)),
                  ),
                }),
              ],
            }),
        ),
      });
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [row(tb.header, true), ...tb.rows.map((r) => row(r, false))],
    });
  }

  table(block: Extract<Block, { type: 'table' }>): Out[] {
    const cell = (c: Cell, bold: boolean, fill?: string) =>
      new TableCell({
        ...(fill ? { shading: { type: ShadingType.CLEAR, fill, color: 'auto' } } : {}),
        children: [new Paragraph({ children: [new TextRun({ text: c.text, bold })] })],
      });
    return [
      new Paragraph({
        children: [new TextRun({ text: block.caption, bold: true })],
        keepNext: true,
      }),
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({
            tableHeader: true,
            cantSplit: true,
            children: block.head.map((h) => cell({ text: h }, true, 'E8EDF3')),
          }),
          ...block.rows.map(
            (r) =>
              new TableRow({
                cantSplit: true,
                children: r.map((c, i) =>
                  cell(
                    c,
                    i === 0 && block.rowHeaders,
                    c.responsibility ? RESPONSIBILITY_FILL[c.responsibility] : undefined,
                  ),
                ),
              }),
          ),
        ],
      }),
      new Paragraph({ children: [] }),
    ];
  }

  block(block: Block): Out[] {
    switch (block.type) {
      case 'heading':
        return [
          block.level === 1
            ? new Paragraph({ heading: DocxHeading.TITLE, children: [new TextRun(block.text)] })
            : this.heading(block.level - 1, block.text),
        ];
      case 'paragraph':
        return [
          new Paragraph({
            children: this.runs(block.runs, block.role === 'subtitle' ? { size: 28 } : {}),
            ...(block.role === 'marking' ? { alignment: AlignmentType.CENTER } : {}),
          }),
        ];
      case 'markdown':
        // Document headings are one level up in Word (the title takes Title style, not Heading 1).
        return this.markdown(block.markdown, (block.headingBase - 1) as HeadingLevel);
      case 'list':
        return block.items.map(
          (r) => new Paragraph({ children: this.runs(r), bullet: { level: 0 } }),
        );
      case 'table':
        return this.table(block);
    }
  }
}

/** Writes the DOCX file's bytes. */
export async function exportDocx(model: Model): Promise<Buffer> {
  const doc = buildExportDocument(model);
  const w = new DocxWriter();
  const children = doc.blocks.flatMap((b) => w.block(b));
  const marking = doc.classification ?? '';
  const rightTab = [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }];
  const file = new Document({
    creator: doc.author,
    lastModifiedBy: doc.author,
    title: doc.title,
    subject: doc.subject,
    keywords: doc.keywords.join(', '),
    description: `${doc.shortTitle}, version ${model.document.version}`,
    styles: {
      default: {
        document: { run: { font: 'Calibri', size: 22, language: { value: 'en-GB' } } },
      },
    },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: {
              top: PAGE.margin,
              bottom: PAGE.margin,
              left: PAGE.margin,
              right: PAGE.margin,
            },
          },
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                tabStops: rightTab,
                children: [
                  new TextRun({ text: doc.shortTitle, size: 18 }),
                  new TextRun({ text: `\t${marking}`, size: 18, bold: true }),
                ],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                tabStops: rightTab,
                children: [
                  new TextRun({ text: marking, size: 18, bold: true }),
                  new TextRun({
                    size: 18,
                    children: ['\tPage ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES],
                  }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(file);
}
