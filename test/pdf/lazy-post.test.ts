import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { loadFonts } from '../../src/pdf/fonts';
import { deferPostNames } from '../../src/pdf/lazy-post';

/**
 * src/pdf/lazy-post.ts: a face's `post` table reads as fontkit decodes it, field for field, while
 * its glyph names wait until asked for. The oracle is fontkit's own decoding of a fresh copy.
 */

const DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FACES = fs.readdirSync(DIR).filter((f) => f.endsWith('.ttf'));
const open = (file: string) =>
  fontkit.create(fs.readFileSync(path.join(DIR, file))) as fontkit.Font;
interface Internals {
  _decodeTable(t: unknown): unknown;
  post: Record<string, unknown>;
}

test.each(FACES)('%s: the same post table, header and names', (file) => {
  const plain = open(file) as unknown as Internals;
  const lazy = open(file);
  deferPostNames(lazy);
  const l = lazy as unknown as Internals;
  for (const key of Object.keys(plain.post))
    expect([key, l.post[key]]).toEqual([key, plain.post[key]]);
  const angle = (f: unknown) => (f as { italicAngle: number }).italicAngle;
  expect(angle(lazy)).toBe(angle(plain));
  const nameOf = (f: unknown) =>
    (f as { getGlyph(id: number): { name: string } }).getGlyph(36).name;
  expect(nameOf(lazy)).toBe(nameOf(plain));
});

test('pdfkit embedding reads the header only: the glyph names stay undecoded', () => {
  const fonts = loadFonts();
  const spies = Object.values(fonts).map((f) =>
    jest.spyOn(f as unknown as Internals, '_decodeTable'),
  );
  for (const f of Object.values(fonts)) {
    const post = (f as unknown as Internals).post;
    expect(typeof post.isFixedPitch).toBe('number');
    expect(typeof (f as unknown as { italicAngle: unknown }).italicAngle).toBe('number');
  }
  for (const s of spies) expect(s).not.toHaveBeenCalled();
  const glyphs = (fonts.regular as unknown as Internals).post.glyphNameIndex as number[];
  expect(glyphs.length).toBeGreaterThan(1000);
  // Decoded once: a second look at its fields reads the same object.
  const post = (fonts.regular as unknown as Internals).post;
  expect(post.glyphNameIndex).toBe(glyphs);
  expect((post.names as string[]).length).toBeGreaterThan(100);
  expect(spies[Object.keys(fonts).indexOf('regular')]).toHaveBeenCalledTimes(1);
  spies.forEach((s) => s.mockRestore());
});
