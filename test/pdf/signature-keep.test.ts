import { loadFonts } from '../../src/pdf/fonts';
import { layoutBlocks } from '../../src/pdf/layout';
import { normaliseMarkdown } from '../../src/pdf/normalise';

/**
 * The section holding the signature marker (the sign-off) is kept on one page with its heading,
 * its paragraphs and the signature box, wherever the text before it ends; other sections flow
 * as usual (src/pdf/layout/signature.ts, measured only for the section with the marker).
 */

const fonts = loadFonts();
const filler = (n: number) =>
  Array.from({ length: n }, (_, i) => `Filler paragraph ${i + 1} before the sign-off, wrapped.`);

function pagesOf(k: number, reserveSignature: boolean) {
  const markdown = [
    '# Introduction',
    ...filler(k),
    '# Sign-off',
    'Signed for the provider by the signatory named below.',
    'A second paragraph of the sign-off, before the signature marker, about as long as the first.',
    'A third one, so that the section is tall enough to be split by a page break somewhere.',
    '<!-- signature -->',
    ...Array.from(
      { length: 10 },
      (_, i) =>
        `Beside ${i + 1}: this paragraph runs beside the signature box, long enough to wrap over lines of the narrower column next to it.`,
    ),
  ].join('\n\n');
  const layout = layoutBlocks(normaliseMarkdown(markdown), { fonts, reserveSignature });
  const page = (text: string) =>
    layout.pages.findIndex((p) => p.ops.some((o) => o.kind === 'text' && o.text.includes(text)));
  return {
    layout,
    heading: page('Sign-off'),
    first: page('Signed for'),
    last: page('Beside 10'),
    filler: layout.pages.findIndex((p) =>
      p.ops.some((o) => o.kind === 'text' && o.text.includes(`paragraph ${k} `)),
    ),
  };
}

test.each([true, false])(
  'the sign-off stays on one page after any amount of text (box reserved: %s)',
  (reserve) => {
    let moved = 0;
    for (let k = 20; k <= 60; k++) {
      const p = pagesOf(k, reserve);
      expect([p.first, p.last]).toEqual([p.heading, p.heading]);
      if (reserve) expect(p.layout.signature?.page).toBe(p.heading);
      if (p.heading > p.filler) moved++;
    }
    // Some of those cases did need the section moved to a new page.
    expect(moved).toBeGreaterThan(0);
  },
);
