import fc from 'fast-check';
import { loadFonts, uncoveredChars } from '../../src/pdf/fonts';

/** The oracle: the characters by the string iterator, each asked of fontkit, once each. */
function reference(font: ReturnType<typeof loadFonts>['regular'], text: string): string[] {
  const missing: string[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const drawn =
      cp < 0x20 || cp === 0x7f || cp === 0xfe0f || cp === 0x200d || font.hasGlyphForCodePoint(cp);
    if (!drawn && !missing.includes(ch)) missing.push(ch);
  }
  return missing;
}

const fonts = loadFonts();

test('uncoveredChars names what fontkit cannot draw, as the string iterator reads the text', () => {
  // Latin, controls, CJK and Tifinagh (not in DejaVu Sans or only partly), emoji (astral),
  // lone and paired surrogates.
  const piece = fc.oneof(
    fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
    fc.constantFrom(
      '\u0000',
      '\u0085',
      '\u200d',
      '\ufe0f',
      '\u3000',
      '漢字',
      'ⵟⴰ',
      'é',
      '\ud83d\ude00',
    ),
    fc.constantFrom('\ud800', '\udc00', '\ud83d', 'a\udfffb', '\ud83d\ud83d\ude00'),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 12 }),
      fc.constantFrom('regular', 'mono', 'bold'),
      (parts, key) => {
        const font = fonts[key as 'regular'];
        const text = parts.join('');
        // Twice: the second answer comes from what the first one learnt.
        expect(uncoveredChars(font, text)).toEqual(reference(font, text));
        expect(uncoveredChars(font, text)).toEqual(reference(font, text));
      },
    ),
    { numRuns: 400 },
  );
  expect(uncoveredChars(fonts.regular, 'x\u3000y\u3000')).toEqual(['\u3000']);
  expect(uncoveredChars(fonts.regular, 'plain text')).toEqual([]);
});
