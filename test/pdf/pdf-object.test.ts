import fc from 'fast-check';
import PDFDocument from 'pdfkit';
import { pdfObject, type PdfClasses } from '../../src/pdf/pdf-object';

/**
 * src/pdf/pdf-object.ts against pdfkit's own PDFObject.convert (module-private in pdfkit, so
 * reached as pdfkit uses it: a reference's dictionary written by `finalize`).
 */
interface Internals {
  _write(data: string | Uint8Array): void;
  ref(data: Record<string, unknown>): { end(): void };
  _root: { data: { Names: { data: { Dests: object } } } };
}

function newDoc(): Internals & { written: string[] } {
  const doc = new PDFDocument({ autoFirstPage: false }) as unknown as Internals & {
    written: string[];
  };
  doc.written = [];
  doc._write = (d) => {
    doc.written.push(typeof d === 'string' ? d : Buffer.from(d).toString('latin1'));
  };
  return doc;
}

const doc = newDoc();
const parent = (o: object) => Object.getPrototypeOf(Object.getPrototypeOf(o)) as object;
const classes: PdfClasses = {
  reference: parent(doc.ref({})).constructor as PdfClasses['reference'],
  tree: parent(doc._root.data.Names.data.Dests).constructor as PdfClasses['tree'],
};
const aRef = doc.ref({ Type: 'Page' });
const tree = doc._root.data.Names.data.Dests as { add(k: string, v: unknown): void };
tree.add('b', aRef);
tree.add('a', [aRef, 'XYZ', 0, 792, null]);

/** What pdfkit writes for `value` as a dictionary's entry. */
function pdfkit(value: unknown): string {
  const d = newDoc();
  d.ref({ V: value }).end();
  return d.written[1];
}

const names = fc.oneof(
  fc.constantFrom('Type', 'Page', 'StructElem', 'P', 'K', 'Pg'),
  fc.string({ maxLength: 6 }),
);
const texts = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('(a) \\ b\n\r\t\b\f', 'café', 'ÿ\u0100', '漢字 😀', '\u2028)', ''),
);
const numbers = fc.oneof(
  fc.integer(),
  fc.double({ min: -1e20, max: 1e20, noNaN: true }),
  fc.constantFrom(0, -0, 0.1 + 0.2, 1e-7, 123.4567891, -595.28, 1e20),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    names,
    numbers,
    texts.map((t) => new String(t)),
    fc.uint8Array({ maxLength: 8 }),
    fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
    fc.date({ min: new Date(1900, 0, 1), max: new Date(2200, 0, 1), noInvalidDate: true }),
    fc.constantFrom(true, false, null, aRef, tree),
    fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 5 }),
    fc.dictionary(names, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  ),
}));

test('pdf-object writes what pdfkit writes, for every kind of value', () => {
  fc.assert(
    fc.property(value, (v) => {
      expect(`<<\n/V ${pdfObject(v, classes)}\n>>`).toBe(pdfkit(v));
    }),
    { numRuns: 600 },
  );
});

test('pdf-object: the values srq writes most, and what pdfkit refuses', () => {
  const element = {
    Type: 'StructElem',
    S: 'P',
    P: aRef,
    K: [0, 1, aRef],
    Alt: new String('A (b)'),
  };
  expect(`<<\n/V ${pdfObject(element, classes)}\n>>`).toBe(pdfkit(element));
  expect(`<<\n/V ${pdfObject([undefined, [], {}], classes)}\n>>`).toBe(pdfkit([undefined, [], {}]));
  expect(() => pdfObject(1e21, classes)).toThrow(/unsupported number/);
  expect(() => pdfObject(Number.NaN, classes)).toThrow(/unsupported number/);
});
