import { loadFonts, shapeText } from '../../src/pdf/fonts';
import { breakLines, naturalWidths, type Line } from '../../src/pdf/measure';

/**
 * Line breaking by Unicode's rules (UAX #14), long words split between grapheme clusters, and
 * right-to-left text placed by the bidirectional algorithm (UAX #9). Expectations are written
 * by hand from the rules, not computed with the libraries srq uses.
 */

const fonts = loadFonts();
const lines = (text: string, width: number, size = 10): Line[] =>
  breakLines([{ text, font: 'regular' }], { fonts, size }, width);
const drawn = (ls: Line[]) => ls.map((l) => l.fragments.map((f) => f.text).join(''));

describe('UAX #14 line breaking', () => {
  test('a URL breaks after its slashes, never inside a word, and gets no space there', () => {
    const text = 'See https://www.ncsc.gov.uk/collection/cloud-security for more.';
    const ls = lines(text, 120);
    expect(drawn(ls)).toEqual([
      'See https://',
      'www.ncsc.gov.uk/',
      'collection/cloud-',
      'security for more.',
    ]);
    expect(drawn(ls).join('')).toBe(text);
  });

  test('"ISO/IEC 27001" and "e-mail" break after the slash and the hyphen', () => {
    expect(drawn(lines('certified to ISO/IEC 27001 by e-mail', 62))).toEqual([
      'certified to ',
      'ISO/IEC ',
      '27001 by e-',
      'mail',
    ]);
    expect(drawn(lines('certified to ISO/IEC 27001 by e-mail', 45))).toEqual([
      'certified ',
      'to ISO/',
      'IEC ',
      '27001 ',
      'by e-',
      'mail',
    ]);
  });

  test('no line starts with closing punctuation, at any width the words fit in', () => {
    const text =
      'Backups (daily) run at 02:00 , and restores are tested ! Every quarter ; really ?';
    // Narrower than "quarter ;" the piece itself must be split; from there on, never.
    const min = naturalWidths([{ text, font: 'regular' }], { fonts, size: 10 }).min;
    expect(min).toBeGreaterThan(40);
    for (let w = 30; w <= 300; w += 3) {
      const ls = drawn(lines(text, w));
      if (w >= min) for (const l of ls.slice(1)) expect(l).not.toMatch(/^[)!?,;:.\]}]/);
      // Only spaces the source had; none added, none lost.
      expect(ls.join('')).toBe(text);
      for (const l of lines(text, w)) expect(l.width).toBeLessThanOrEqual(w + 0.001);
    }
  });

  test('mandatory breaks: line feed, NEL, line and paragraph separators', () => {
    expect(drawn(lines('one\ntwo\u0085three\u2028four\u2029five', 300))).toEqual([
      'one ',
      'two ',
      'three ',
      'four ',
      'five',
    ]);
  });

  test('a dash or slash compound is not widened by a column: the narrowest piece is what fits', () => {
    const ctx = { fonts, size: 10 };
    const whole = naturalWidths([{ text: 'ISO/IEC', font: 'regular' }], ctx).min;
    const iso = naturalWidths([{ text: 'ISO/', font: 'regular' }], ctx).min;
    expect(whole).toBeCloseTo(
      Math.max(iso, naturalWidths([{ text: 'IEC', font: 'regular' }], ctx).min),
    );
  });
});

describe('long words split between grapheme clusters', () => {
  const starts = (ls: string[]) => ls.slice(1).map((l) => l.codePointAt(0)!);
  test('never between a letter and its combining marks', () => {
    const word = 'e\u0301\u0323'.repeat(40) + 'a\u0308'.repeat(40);
    for (let w = 8; w <= 60; w += 2) {
      const ls = drawn(lines(word, w));
      expect(ls.length).toBeGreaterThan(1);
      expect(ls.join('')).toBe(word);
      for (const l of ls) expect(l).not.toMatch(/^\p{M}/u);
    }
  });

  test('never inside an emoji ZWJ sequence or a flag', () => {
    const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}';
    const flag = '\u{1F1EC}\u{1F1E7}';
    const word = (family + flag + '\u{1F600}').repeat(12);
    for (let w = 10; w <= 80; w += 3) {
      const ls = drawn(lines(word, w));
      expect(ls.join('')).toBe(word);
      for (const l of ls) {
        expect(l).not.toMatch(/^\u200D|\u200D$/);
        // Regional indicators come in pairs on every line.
        expect([...l].filter((c) => /[\u{1F1E6}-\u{1F1FF}]/u.test(c)).length % 2).toBe(0);
      }
      for (const cp of starts(ls)) expect(cp).not.toBe(0x200d);
    }
  });
});

describe('right-to-left text (UAX #9)', () => {
  const logical = (l: Line) =>
    l.fragments.map((f) => (f.rtl ? f.text.split(/( +)/).reverse().join('') : f.text)).join('');

  test('a Hebrew phrase in an English line: placed right to left, listed in logical order', () => {
    const [l] = lines('colleagues in תל אביב and in دبي today', 400);
    expect(logical(l)).toBe('colleagues in תל אביב and in دبي today');
    const frag = (t: string) => l.fragments.find((f) => f.text === t)!;
    // Visual order: the phrase's words swap places, each drawn as one shaped word.
    expect(frag('אביב תל')).toMatchObject({ rtl: true });
    expect(frag('دبي')).toMatchObject({ rtl: true });
    const before = frag('colleagues in ');
    const after = frag(' and in ');
    expect(before.x).toBeLessThan(frag('אביב תל').x);
    expect(frag('אביב תל').x).toBeLessThan(after.x);
    // The fragments are contiguous, left to right, and fill the line's width.
    const byX = [...l.fragments].sort((a, b) => a.x - b.x);
    byX.reduce((x, f) => (expect(f.x).toBeCloseTo(x), f.x + f.width), 0);
    expect(l.width).toBeCloseTo(byX.reduce((s, f) => s + f.width, 0));
  });

  test('a right-to-left paragraph: numbers stay left to right, brackets mirror, words reverse', () => {
    const [l] = lines('הצפנה מלאה (AES-256) חובה, 2026.', 400);
    const byX = [...l.fragments].sort((a, b) => a.x - b.x).map((f) => f.text);
    // Read left to right on the page: "2026." comes first; the Hebrew words run right to left.
    expect(byX).toEqual(['.', '2026', ' חובה, (', 'AES-256', ') מלאה הצפנה']);
    expect(l.fragments.map((f) => f.text)).toEqual([
      ') מלאה הצפנה',
      'AES-256',
      ' חובה, (',
      '2026',
      '.',
    ]);
  });

  test('fontkit returns an Arabic word shaped, joined and in visual order; the cache agrees', () => {
    const font = fonts.regular;
    const run = shapeText(font, 'مرحبا');
    // Visual order: the last letter (alef) is the leftmost glyph.
    expect(run.glyphs.map((g) => String.fromCodePoint(...g.codePoints))).toEqual([
      'ا',
      'ب',
      'ح',
      'ر',
      'م',
    ]);
    // Joined forms, not the isolated letters' glyphs.
    const isolated = 'مرحبا'.split('').map((c) => shapeText(font, c).glyphs[0].id);
    expect(run.glyphs.map((g) => g.id).reverse()).not.toEqual(isolated);
    expect(shapeText(font, 'مرحبا')).toBe(run);
  });
});

describe('lines remembered per runs array', () => {
  test('the same runs at another width, size or font give the lines fresh runs give', () => {
    const text = 'Backups run nightly to the second site, https://example.com/a/b and are tested.';
    const runs = [{ text, font: 'regular' as const }];
    const fresh = (w: number, size: number, fontOverride?: 'bold') =>
      drawn(
        breakLines(
          [{ text, font: 'regular' }],
          { fonts, size, ...(fontOverride ? { fontOverride } : {}) },
          w,
        ),
      );
    for (const [w, size, bold] of [
      [300, 10, false],
      [120, 10, false],
      [120, 12, false],
      [120, 12, true],
      [300, 10, false],
    ] as const) {
      const ctx = { fonts, size, ...(bold ? { fontOverride: 'bold' as const } : {}) };
      const got = breakLines(runs, ctx, w);
      expect(drawn(got)).toEqual(fresh(w, size, bold ? 'bold' : undefined));
      if (bold) expect(got[0].fragments[0].font).toBe('bold');
    }
    // And another font set (a template's own fonts) is measured with its own faces.
    const other = { ...fonts, regular: fonts.bold };
    expect(breakLines(runs, { fonts: other, size: 10 }, 120)[0].width).toBeCloseTo(
      breakLines([{ text, font: 'bold' }], { fonts, size: 10 }, 120)[0].width,
    );
  });
});
