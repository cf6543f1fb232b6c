import { missingWords, splitAcrossPages } from './oracle';

// The fuzz's oracle for a word a table row carries over a page break (test/hardening/oracle.ts):
// it must find a word drawn in parts on consecutive pages, following the lines, and nothing else.
test('splitAcrossPages: a word in parts on consecutive pages, each part along whole lines', () => {
  const pages = [
    'Page intro\na | abcd\nefg\nother cell\n',
    'header row\nhij\nklm\nmore cells\n',
    'no\nend\n',
  ];
  expect(splitAcrossPages('abcdefghijklm', pages)).toBe(true);
  expect(splitAcrossPages('abcdefghijk', pages)).toBe(true); // ends inside a line
  expect(splitAcrossPages('efghij', pages)).toBe(true); // starts at a line's start
  expect(splitAcrossPages('abcdefghijklmnoen', pages)).toBe(true); // over three pages
  expect(splitAcrossPages('intro', pages)).toBe(false); // not over a page break
  expect(splitAcrossPages('Pagehe', pages)).toBe(false); // "Page" does not end its line
  expect(splitAcrossPages('abcdefghiz', pages)).toBe(false); // a character lost
  expect(splitAcrossPages('abcdefgij', pages)).toBe(false); // one dropped at the break
  expect(splitAcrossPages('hijabcdefg', pages)).toBe(false); // parts out of page order
  expect(splitAcrossPages('cellno', pages)).toBe(false); // pages not consecutive
  expect(splitAcrossPages('ωωωω😀ω', ['a ωω\nωω\n', '😀ω\nb\n'])).toBe(true);
  // The next part must start a line there.
  expect(splitAcrossPages('ωω😀ω', ['a ωω\n', 'b\nc😀ω\n'])).toBe(false);
});

test('missingWords: a word mixing directions is counted by its characters, which must all be drawn', () => {
  // "ظa" drawn in a right-to-left line: the left-to-right run comes first.
  expect(missingWords(['ظa̋aa'], 'x\u200baa̋a\u200bظ\u200by')).toEqual([]);
  expect(missingWords(['ظa̋aa'], 'x\u200ba̋a\u200bظ\u200by')).toEqual(['ظa̋aa (U+61: 2 of 3)']);
  expect(missingWords(['ظظa'], 'a ظ')).toEqual(['ظظa (U+638: 1 of 2)']);
  // One direction only: still found whole, in order.
  expect(missingWords(['abc'], 'x cab')).toEqual(['abc']);
  expect(missingWords(['ظص'], 'صظ')).toEqual(['ظص']);
});
