import { loadFonts } from '../../src/pdf/fonts';
import { layoutBlocks, type Op } from '../../src/pdf/layout';
import { normaliseMarkdown } from '../../src/pdf/normalise';
import { renderPdf } from '../../src/pdf/render';
import { paintedState, pathObjectIntruders, type Painted } from '../helpers/pdf-content';
import { nameOf, PdfObjects, type PdfDict } from '../helpers/pdf-objects';

/**
 * The render stage sets a colour or a line width only when it changes (render.ts drawOps):
 * each painting operator must still paint in the colour and width its layout operation asks
 * for. The oracle is the content stream read as a viewer reads it (paintedState: q/Q, cs/scn,
 * CS/SCN, w), against the layout's operations recorded before rendering: every text line srq
 * draws itself, every rule and table border, every filled box, in order; and the lines pdfkit
 * draws for links (inside q … Q) in the link colour.
 */

const fonts = loadFonts();

const MARKDOWN = `# Colours and rules

A paragraph in the body colour, long enough to wrap over more than one line of the page so that
consecutive lines share their colour, with a [link to the NCSC](https://www.ncsc.gov.uk/) inside it
and **bold words** after it.

## A table

| Control | Provider | Customer |
|---|---|---|
| Encryption at rest | Shared | N/A |
| Patching of the guest OS | Provider | Customer |
| Access reviews, with a [link](https://example.org/reviews) | Customer | Shared |

After the table, more text in the body colour, then a list:

- first item with a [second link](mailto:security@example.org)
- second item

### A smaller heading

\`\`\`
code block line one
code block line two
\`\`\`

Closing paragraph.
`;

const hex = (c: string) =>
  [1, 3, 5].map((i) => Math.round((parseInt(c.slice(i, i + 2), 16) / 255) * 1e4) / 1e4);
const round = (xs: number[]) => xs.map((x) => Math.round(x * 1e4) / 1e4);

/** What each operation should paint, in order: srq's own drawing (outside any q … Q). */
function expected(ops: Op[]): Partial<Painted>[] {
  const out: Partial<Painted>[] = [];
  for (const op of ops) {
    if (op.kind === 'text' && !op.link && !op.rtl && !op.text.includes('\n'))
      out.push({ kind: 'text', fill: hex(op.colour) });
    else if (op.kind === 'line')
      out.push({ kind: 'stroke', stroke: hex(op.colour), lineWidth: op.width });
    else if (op.kind === 'rect' && op.fill && op.stroke)
      out.push({ kind: 'fill+stroke', fill: hex(op.fill), stroke: hex(op.stroke) });
    else if (op.kind === 'rect' && op.fill) out.push({ kind: 'fill', fill: hex(op.fill) });
    else if (op.kind === 'rect' && op.stroke) out.push({ kind: 'stroke', stroke: hex(op.stroke) });
  }
  return out;
}

function pages(objects: PdfObjects): PdfDict[] {
  const out: PdfDict[] = [];
  const walk = (ref: unknown) => {
    const node = objects.dict(ref as PdfDict)!;
    if (nameOf(node.Type) === 'Pages') for (const kid of objects.array(node.Kids)) walk(kid);
    else out.push(node);
  };
  walk(objects.dict(objects.trailer.Root)!.Pages);
  return out;
}

test('every line, rule, border and box paints in the colour and width its layout asks for', async () => {
  const layout = layoutBlocks(normaliseMarkdown(MARKDOWN), { fonts });
  // The render stage releases each page's operations once drawn: what they ask for, first.
  const want = layout.pages.map((p) => expected(p.ops));
  const links = layout.pages.flatMap((p) => p.ops).filter((o) => o.kind === 'text' && o.link);
  expect(links.length).toBeGreaterThanOrEqual(3);
  const pdf = await renderPdf(layout, {
    fonts,
    info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date(0) },
    furniture: { shortTitle: 'Colours', draft: false },
  });
  const objects = new PdfObjects(pdf);
  const contents = pages(objects).map((page) => objects.stream(page.Contents).toString('latin1'));
  // A colour or width is set before a path, not between its construction and its painting.
  for (const content of contents) expect(pathObjectIntruders(content)).toEqual([]);
  const painted = contents.map(paintedState);
  expect(painted).toHaveLength(want.length);
  const kinds = new Set(want.flat().map((w) => w.kind));
  expect([...kinds].sort()).toEqual(['fill', 'stroke', 'text']);
  for (const [i, events] of painted.entries()) {
    // srq's own drawing: at the top level, not the page furniture (Pagination artifacts).
    const own = events.filter((e) => e.depth === 0 && e.artifact !== 'Pagination');
    const got = own.map((e, k) => {
      const w = want[i][k] ?? {};
      return {
        kind: e.kind,
        ...('fill' in w ? { fill: round(e.fill) } : {}),
        ...('stroke' in w ? { stroke: round(e.stroke) } : {}),
        ...('lineWidth' in w ? { lineWidth: e.lineWidth } : {}),
      };
    });
    expect(got).toEqual(want[i]);
    // pdfkit's lines for links, inside q … Q: the link colour.
    for (const e of events.filter((x) => x.depth > 0 && x.kind === 'text'))
      expect(round(e.fill)).toEqual(hex(links[0].kind === 'text' ? links[0].colour : ''));
  }
});
