import {
  AlignmentType,
  Bookmark,
  BookmarkEnd,
  BookmarkStart,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel as DocxHeading,
  InternalHyperlink,
  LevelFormat,
  Packer,
  PageBreak,
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
import type { Model } from '../model/types';
import { plainText } from '../pdf/normalise';
import { markOf, RESPONSIBILITY_COLOURS } from '../render/marks';
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
 * The statement as a Word document for buyers who require one: real headings (navigation pane),
 * Word lists and tables with repeating header rows, and a running header and footer with the
 * title, the classification and "Page N of M". Made from the same blocks as the PDF (document.ts).
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
const HEADER_FILL = 'E6EDF3';

type Out = Paragraph | Table;

/** `#rrggbb` → Word's `RRGGBB`. */
function wordColour(hex: string): string {
  return hex.replace(/^#/, '').toUpperCase();
}

type Heading = Extract<Block, { kind: 'heading' }>;

/** The contents list's title, as the PDF's contents page calls it. */
const CONTENTS_TITLE = 'Contents';

/**
 * The contents list (`<!-- contents -->`): like the PDF's contents page, every level 1 and 2
 * heading after it, each entry a link to a bookmark on its heading. Word's own TOC field is not
 * used: it stays empty until the reader updates fields, and page numbers depend on Word's layout.
 */
function contentsBookmarks(blocks: Block[]): Map<Heading, string> {
  const at = blocks.findIndex((b) => b.kind === 'contents');
  const marks = new Map<Heading, string>();
  if (at < 0) return marks;
  blocks
    .slice(at + 1)
    .filter((b): b is Heading => b.kind === 'heading' && b.level <= 2)
    // Word bookmark names: a letter first, letters, digits and _ only, at most 40 characters.
    .forEach((h, i) => marks.set(h, `srq_contents_${i + 1}`));
  return marks;
}

/**
 * A bookmark with its own number. NOTE: docx 9.6's Bookmark numbers each bookmark from a
 * generator of its own, so every one is w:id="1"; Word pairs bookmarkStart and bookmarkEnd by
 * that id and needs it unique in the document.
 */
class NumberedBookmark extends Bookmark {
  constructor(options: { id: string; children: ParagraphChild[]; number: number }) {
    super(options);
    const self = this as unknown as { start: BookmarkStart; end: BookmarkEnd };
    self.start = new BookmarkStart(options.id, options.number);
    self.end = new BookmarkEnd(options.number);
  }
}

/** Writes blocks as Word paragraphs; ordered lists each get their own numbering instance. */
class DocxWriter {
  private listInstance = 0;
  /** Headings the contents list links to, with their bookmark names. */
  bookmarks = new Map<Heading, string>();

  constructor(private readonly shift: number) {}

  private heading(level: number, children: ParagraphChild[]): Paragraph {
    // Word's Title style is the document's title; sections start at Heading 1.
    return new Paragraph({
      heading: HEADINGS[Math.min(level + this.shift - 1, 6) - 1],
      children,
      keepNext: true,
    });
  }

  private contents(): Out[] {
    const out: Out[] = [this.heading(1, [new TextRun(CONTENTS_TITLE)])];
    for (const [h, id] of this.bookmarks) {
      out.push(
        new Paragraph({
          ...(h.level > 1 ? { indent: { left: 360 } } : {}),
          children: [
            new InternalHyperlink({
              anchor: id,
              children: [new TextRun({ text: plainText(h.runs), style: 'Hyperlink' })],
            }),
          ],
        }),
      );
    }
    return out;
  }

  runs(
    runs: Run[],
    base: { size?: number; bold?: boolean; colour?: string } = {},
  ): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const r of runs) {
      r.text.split('\n').forEach((text, i) => {
        const run = new TextRun({
          text,
          ...(i > 0 ? { break: 1 } : {}),
          ...(base.bold || r.font === 'bold' || r.font === 'boldItalic' ? { bold: true } : {}),
          ...(r.font === 'italic' || r.font === 'boldItalic' ? { italics: true } : {}),
          ...(r.font === 'mono' ? { font: 'Consolas' } : {}),
          ...(base.size ? { size: base.size } : {}),
          ...(base.colour ? { color: base.colour } : {}),
          ...(r.link && safeHref(r.link) ? { style: 'Hyperlink' } : {}),
        });
        const href = r.link ? safeHref(r.link) : undefined;
        out.push(
          href && !href.startsWith('#')
            ? new ExternalHyperlink({ link: href, children: [run] })
            : run,
        );
      });
    }
    return out;
  }

  private table(block: Extract<Block, { kind: 'table' }>): Out[] {
    const legend = block.matrix && markOf(plainText(block.header[0] ?? [])) !== undefined;
    const cell = (runs: Run[], header: boolean, rowHeader: boolean) => {
      const mark = block.matrix ? markOf(plainText(runs)) : undefined;
      const colours = mark ? RESPONSIBILITY_COLOURS[mark] : undefined;
      const fill = colours ? wordColour(colours.fill) : header ? HEADER_FILL : undefined;
      return new TableCell({
        ...(fill ? { shading: { type: ShadingType.CLEAR, fill, color: 'auto' } } : {}),
        children: [
          new Paragraph({
            children: this.runs(runs, {
              bold: header || rowHeader,
              ...(colours ? { colour: wordColour(colours.text) } : {}),
            }),
          }),
        ],
      });
    };
    return [
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({
            tableHeader: true,
            cantSplit: true,
            children: block.header.map((c) => cell(c, true, false)),
          }),
          ...block.rows.map(
            (r) =>
              new TableRow({
                cantSplit: true,
                children: r.map((c, i) => cell(c, false, i === 0 && !legend)),
              }),
          ),
        ],
      }),
      new Paragraph({ children: [] }),
    ];
  }

  private list(block: Extract<Block, { kind: 'list' }>, depth: number): Out[] {
    const instance = block.ordered ? ++this.listInstance : 0;
    const level = Math.min(depth, 8);
    const out: Out[] = [];
    for (const item of block.items) {
      let first = true;
      for (const child of item) {
        if (child.kind === 'list') {
          out.push(...this.list(child, depth + 1));
          continue;
        }
        if (child.kind !== 'paragraph') {
          out.push(...this.block(child, depth + 1));
          continue;
        }
        const children = this.runs(child.runs);
        if (first) {
          out.push(
            new Paragraph({
              children,
              ...(block.ordered
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

  block(block: Block, depth = 0): Out[] {
    switch (block.kind) {
      case 'heading': {
        const id = this.bookmarks.get(block);
        const runs = this.runs(block.runs);
        const number = [...this.bookmarks.values()].indexOf(id ?? '') + 1;
        return [
          this.heading(
            block.level,
            id ? [new NumberedBookmark({ id, children: runs, number })] : runs,
          ),
        ];
      }
      case 'paragraph':
        return [
          new Paragraph({
            children: this.runs(block.runs),
            ...(block.label ? { keepNext: true } : {}),
          }),
        ];
      case 'code':
        return block.text
          .split('\n')
          .map(
            (line) => new Paragraph({ children: [new TextRun({ text: line, font: 'Consolas' })] }),
          );
      case 'list':
        return this.list(block, depth);
      case 'table':
        return this.table(block);
      case 'rule':
        return [
          new Paragraph({
            children: [],
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '8A8A8A', space: 1 } },
          }),
        ];
      case 'pagebreak':
        return [new Paragraph({ children: [new PageBreak()] })];
      case 'contents':
        return this.contents();
      case 'signature':
      case 'cover':
        return [];
    }
  }
}

/** Writes the DOCX file's bytes. */
export async function exportDocx(
  model: Model,
  options: ExportDocumentOptions = {},
): Promise<Buffer> {
  const doc = buildExportDocument(model, options);
  let blocks = doc.blocks;
  const w = new DocxWriter(doc.headingShift);
  w.bookmarks = contentsBookmarks(blocks);
  const title = new Paragraph({ heading: DocxHeading.TITLE, children: w.runs(documentTitle(doc)) });
  const front: Out[] = [title];
  if (doc.cover) {
    for (const key of COVER_LINES) {
      const runs = doc.cover[key];
      if (runs) front.push(new Paragraph({ children: w.runs(runs, { size: 28 }) }));
    }
  } else if (blocks[0]?.kind === 'heading' && blocks[0].level === 1) {
    blocks = blocks.slice(1);
  }
  if (doc.classification) {
    front.push(
      new Paragraph({ children: [new TextRun({ text: doc.classification, bold: true })] }),
    );
  }
  const children = [...front, ...blocks.flatMap((b) => w.block(b))];
  const marking = doc.classification ?? '';
  const { info } = doc;
  const rightTab = [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }];
  const file = new Document({
    creator: info.author,
    lastModifiedBy: info.author,
    title: info.title,
    subject: info.subject,
    keywords: info.keywords,
    description: `${info.shortTitle}, version ${doc.version}`,
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
                  new TextRun({ text: info.shortTitle, size: 18 }),
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
