import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { buildDocument } from '../../src/build-document';
import { loadModel } from '../../src/model/resolve';
import { generateSelfSignedP12 } from '../../src/sign/keygen';
import { PdfFile, PdfRef as SrcRef, serialise } from '../../src/sign/pdf-syntax';
import { EXAMPLE, EXAMPLE_CUSTOMER, ROOT, srq, tempDir, type CliResult } from '../helpers/cli';
import { PdfObjects, nameOf, type PdfDict } from '../helpers/pdf-objects';
import {
  signatureWidgets,
  text,
  widgetProblems,
  type SignatureWidget,
} from '../helpers/signature-boxes';
import { PASSPHRASE, makePdf } from './helpers';

/**
 * The visible signature, whatever the subject's length: every text run of every signature
 * appearance is 8 pt or more, inside its widget's box, the box inside its page and off the
 * page's own text (checked with the independent reader, test/helpers/signature-boxes.ts). On
 * the statement (build --sign), srq sign of an unsigned statement, a countersignature into the
 * reserved field, and a PDF srq did not make. And srq sign of an unsigned statement reserves the
 * customer's field as build --sign does.
 */

const NOW = '2026-11-22T12:00:00Z';
const env = { SRQ_KEY_PASSPHRASE: PASSPHRASE, SRQ_NOW: NOW };
const EMAIL = 'procurement.and.commercial.assurance@department-for-example-affairs.gov.uk';
/** 200 characters with commas (escaped as `\,` in RFC 4514), 600 with accents and Cyrillic. */
const CN200 = 'Very Long Company Name, Subdivision of Assurance '.repeat(5).slice(0, 200);
const CN600 = 'Ünïcödé Départment für Überlange Namen, Отдел подписей и печатей; '
  .repeat(10)
  .slice(0, 600);

let dir: string;
const file = (name: string) => path.join(dir, name);
const run = (args: string[]): CliResult => srq(args, { cwd: dir, env });
const letters = (t: string) => t.replace(/\s/g, '');

function key(name: string, cn: string, email?: string): void {
  const k = generateSelfSignedP12({
    name: cn,
    ...(email ? { email } : {}),
    passphrase: PASSPHRASE,
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validTo: new Date('2036-01-01T00:00:00Z'),
  });
  fs.writeFileSync(file(`${name}.p12`), k.p12);
  fs.writeFileSync(file(`${name}.pem`), k.certificatePem);
}

function widgets(name: string): SignatureWidget[] {
  return signatureWidgets(fs.readFileSync(file(name)));
}

/** Every widget right, each named, so a failure says which and why. */
function expectReadable(list: SignatureWidget[]): void {
  expect(list.length).toBeGreaterThan(0);
  expect(list.flatMap(widgetProblems)).toEqual([]);
}

/**
 * A two-page tagged PDF: page 1 with one line, page 2 full of text (or, `lastFull: false`, with
 * room below a few lines); optionally page 1 is srq's sign-off section.
 */
function twoPages(o: { signOffOnFirst?: boolean; lastFull?: boolean } = {}): Promise<Buffer> {
  const font = fontkit.create(
    fs.readFileSync(
      path.join(
        path.dirname(require.resolve('dejavu-fonts-ttf/package.json')),
        'ttf',
        'DejaVuSans.ttf',
      ),
    ),
  ) as fontkit.Font;
  const doc = new PDFDocument({ tagged: true, lang: 'en-GB', font: font as unknown as string });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  const root = doc.struct('Document');
  doc.addStructure(root);
  const sect = doc.struct('Sect');
  root.add(sect);
  if (o.signOffOnFirst) {
    // As src/pdf/render.ts marks a statement's sign-off section.
    type Ref = { data: Record<string, unknown> };
    const dict = (sect as unknown as { dictionary: Ref }).dictionary;
    dict.data.ID = new String('srq-sign-off');
    const tree = (doc as unknown as { getStructTreeRoot(): Ref }).getStructTreeRoot();
    tree.data.IDTree = { Names: [new String('srq-sign-off'), dict] };
  }
  sect.add(doc.struct('P', {}, () => doc.fontSize(12).text('Sign-off: approved.', 72, 72)));
  sect.end();
  doc.addPage();
  // Lines across the whole width from top to bottom: no room for any box.
  root.add(
    doc.struct('P', {}, () => {
      doc.fontSize(11);
      for (let y = 20; y < (o.lastFull === false ? 100 : 780); y += 13)
        doc.text(`Line at ${y}: ${'a page that is full of text, '.repeat(3)}`, 20, y, {
          lineBreak: false,
        });
    }),
  );
  root.end();
  doc.end();
  return done;
}

beforeAll(async () => {
  dir = tempDir('srq-sign-appearance-');
  key('provider', 'Catriona Baird', 'catriona.baird@example.com');
  key('customer', 'Sam Patel', 'sam.patel@example.gov.uk');
  key('long200', CN200, EMAIL);
  key('long600', CN600, EMAIL);
  const { pdf } = await buildDocument(loadModel(EXAMPLE).model);
  fs.writeFileSync(file('statement.pdf'), pdf);
  fs.writeFileSync(file('plain.pdf'), await makePdf());
  fs.writeFileSync(file('two-pages.pdf'), await twoPages());
  fs.writeFileSync(
    file('sign-off-first.pdf'),
    await twoPages({ signOffOnFirst: true, lastFull: false }),
  );
  fs.copyFileSync(EXAMPLE, file('example-cloud.yaml'));
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['200 characters', 'long200', CN200],
  ['600 characters, non-ASCII', 'long600', CN600],
])('a subject of %s and a long e-mail', (_label, k, cn) => {
  test('build --sign: the provider box grows, its text at 8 pt or more, all inside; the reserved field too', () => {
    const out = `built-${k}.pdf`;
    const r = run(['build', 'example-cloud.yaml', '--sign', '--key', `${k}.p12`, '-o', out]);
    expect(r.code).toBe(0);
    const list = widgets(out);
    expect(list.map((w) => w.field)).toEqual(['Signature1', 'Countersignature']);
    expectReadable(list);
    const [sig, counter] = list;
    // Every character of the subject and the e-mail, once each, inside the box.
    expect(letters(sig.text)).toContain(letters(`Digitally signed by ${cn}`));
    expect(letters(sig.text).split(EMAIL).length - 1).toBe(1);
    expect(sig.rect[3] - sig.rect[1]).toBeGreaterThan(50);
    // The reserved field keeps its size, below the provider's box on the same page.
    expect(counter.rect[3] - counter.rect[1]).toBe(158);
    expect(counter.page).toBe(sig.page);
    expect(counter.rect[3]).toBeLessThan(sig.rect[1]);
  });

  test('srq sign of the unsigned statement: on the sign-off page, 8 pt or more, off the text, with the reserved field', () => {
    const out = `signed-${k}.pdf`;
    const r = run(['sign', 'statement.pdf', '--key', `${k}.p12`, '-o', out]);
    expect(r.code).toBe(0);
    const list = widgets(out);
    expect(list.map((w) => [w.field, w.filled])).toEqual([
      ['Signature1', true],
      ['Countersignature', false],
    ]);
    expectReadable(list);
    expect(letters(list[0].text)).toContain(letters(`Digitally signed by ${cn}`));
    expect(list[0].page).toBe(18);
    expect(r.stdout).toContain('page 18, with the empty field Countersignature');
  });

  test('srq sign of a PDF srq did not make: one field, no reserved one, readable', () => {
    const out = `plain-${k}.pdf`;
    const r = run(['sign', 'plain.pdf', '--key', `${k}.p12`, '-o', out]);
    expect(r.code).toBe(0);
    const list = widgets(out);
    expect(list.map((w) => w.field)).toEqual(['Signature1']);
    expectReadable(list);
    expect(letters(list[0].text)).toContain(letters(cn));
  });
});

test("build --sign with a template set's own, wider regular face: measured in that face, still 8 pt or more", () => {
  const dejavu = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  fs.cpSync(path.join(ROOT, 'templates'), file('tpl'), { recursive: true });
  fs.mkdirSync(file('tpl/statement/fonts'));
  fs.copyFileSync(path.join(dejavu, 'DejaVuSansMono.ttf'), file('tpl/statement/fonts/regular.ttf'));
  const r = run([
    'build',
    'example-cloud.yaml',
    '--templates',
    'tpl',
    '--sign',
    '--key',
    'long600.p12',
    '-o',
    'mono.pdf',
  ]);
  expect(r.code).toBe(0);
  expectReadable(widgets('mono.pdf'));
});

test('build --sign with a subject too long for any box: one line naming the limit, nothing written', () => {
  key('long1500', 'Abcdef Ghijk, '.repeat(120).slice(0, 1500));
  const r = run(['build', 'example-cloud.yaml', '--sign', '--key', 'long1500.p12', '-o', 'b.pdf']);
  expect(r.code).toBe(1);
  const errors = r.stderr.split('\n').filter((l) => /^srq: (?!warning|note)/.test(l));
  // One line that names the key file (the subject) and the answers file (name and role).
  expect(errors).toEqual([
    expect.stringMatching(
      /^srq: long1500\.p12: the signature box would need \d+ pt for its \d+ characters at 8 pt, over the 300 pt limit \(use a certificate with a shorter subject, or a shorter signatory name and role in example-cloud\.yaml\)$/,
    ),
  ]);
  expect(fs.existsSync(file('b.pdf'))).toBe(false);
});

describe('countersigning into the reserved field', () => {
  beforeAll(() => {
    expect(
      run(['sign', 'statement.pdf', '--key', 'provider.p12', '-o', 'certified.pdf']).code,
    ).toBe(0);
  });

  test('a 200-character subject wraps inside the fixed field at 8 pt or more', () => {
    const r = run(['sign', 'certified.pdf', '--key', 'long200.p12', '-o', 'counter200.pdf']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('in the reserved field Countersignature');
    const list = widgets('counter200.pdf');
    expect(list.map((w) => [w.field, w.filled])).toEqual([
      ['Signature1', true],
      ['Countersignature', true],
    ]);
    expectReadable(list);
    expect(letters(list[1].text)).toContain(letters(`Digitally signed by ${CN200}; ${EMAIL}`));
    expect(list[1].rect[3] - list[1].rect[1]).toBe(158);
  });

  test('a 600-character subject that cannot fit is refused in one line naming the limit; nothing written', () => {
    const r = run(['sign', 'certified.pdf', '--key', 'long600.p12', '-o', 'counter600.pdf']);
    expect(r.code).toBe(1);
    const errors = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('srq: ') && !l.startsWith('srq: note'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^srq: certified\.pdf: the reserved field Countersignature is 240 × 158 pt and its size cannot change after certification; this signature's \d+ characters need \d+ pt at 8 pt \(use a certificate with a shorter subject or a shorter --reason; a statement built by this version holds about \d+ characters\)$/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(file('counter600.pdf'))).toBe(false);
  });
});

describe('where srq sign puts the box', () => {
  test("a PDF whose last page is full: the box goes on a page with room, not over the last page's text", () => {
    const r = run(['sign', 'two-pages.pdf', '--key', 'long600.p12', '-o', 'two-signed.pdf']);
    expect(r.code).toBe(0);
    const list = widgets('two-signed.pdf');
    expect(list).toHaveLength(1);
    expect(list[0].page).toBe(1);
    expectReadable(list);
    expect(r.stdout).toContain('new visible field Signature1 on page 1');
  });

  test('the sign-off page first, even when the last page has room; the Form elements go in the sign-off section', () => {
    const r = run([
      'sign',
      'sign-off-first.pdf',
      '--key',
      'provider.p12',
      '-o',
      'first-signed.pdf',
    ]);
    expect(r.code).toBe(0);
    const pdf = fs.readFileSync(file('first-signed.pdf'));
    const list = signatureWidgets(pdf);
    expect(list.map((w) => [w.field, w.page])).toEqual([
      ['Signature1', 1],
      ['Countersignature', 1],
    ]);
    expectReadable(list);
    const objects = new PdfObjects(pdf);
    const tree = objects.dict(objects.catalog.StructTreeRoot)!;
    const names = objects.array(objects.dict(tree.IDTree)!.Names);
    const section = objects.dict(names[1])!;
    const forms = objects
      .array(section.K)
      .map((k) => objects.dict(k))
      .filter((d): d is PdfDict => nameOf(d?.S) === 'Form');
    expect(forms).toHaveLength(2);
    const widgetNames = forms.map((f) => {
      const objr = objects.dict(objects.array(f.K)[0])!;
      return text(objects.get(objects.dict(objr.Obj)!.T));
    });
    expect(widgetNames).toEqual(['Signature1', 'Countersignature']);
  });
});

describe('srq sign of an unsigned statement reserves the customer field as build --sign does', () => {
  const tree = (pdf: Buffer) => {
    const objects = new PdfObjects(pdf);
    const root = objects.dict(objects.catalog.StructTreeRoot)!;
    const names = objects.array(objects.dict(root.IDTree)?.Names);
    const section = objects.dict(names[1]);
    const forms = objects
      .array(section?.K)
      .map((k) => objects.dict(k))
      .filter((d): d is PdfDict => nameOf(d?.S) === 'Form')
      .map((f) => {
        const objr = objects.dict(objects.array(f.K)[0])!;
        const w = objects.dict(objr.Obj)!;
        return {
          field: text(objects.get(w.T)),
          tooltip: text(objects.get(w.TU)),
          alt: text(objects.get(f.Alt)),
        };
      });
    return { id: text(objects.get(section?.ID)), type: nameOf(section?.S), forms };
  };

  test('same field, label, page and structure; countersigned, both files verify with --trust', () => {
    expect(run(['sign', 'statement.pdf', '--key', 'provider.p12', '-o', 'by-sign.pdf']).code).toBe(
      0,
    );
    expect(
      run(['build', 'example-cloud.yaml', '--sign', '--key', 'provider.p12', '-o', 'by-build.pdf'])
        .code,
    ).toBe(0);
    const bySign = tree(fs.readFileSync(file('by-sign.pdf')));
    const byBuild = tree(fs.readFileSync(file('by-build.pdf')));
    expect(bySign.id).toBe('srq-sign-off');
    expect(bySign.type).toBe('Sect');
    expect(byBuild.id).toBe('srq-sign-off');
    const reserved = (t: typeof bySign) => t.forms.find((f) => f.field === 'Countersignature');
    expect(reserved(bySign)).toEqual(reserved(byBuild));
    expect(reserved(bySign)?.alt).toContain('Customer countersignature');
    const wSign = widgets('by-sign.pdf').find((w) => w.field === 'Countersignature')!;
    const wBuild = widgets('by-build.pdf').find((w) => w.field === 'Countersignature')!;
    const size = (w: SignatureWidget) => [w.rect[2] - w.rect[0], w.rect[3] - w.rect[1]];
    expect([wSign.page, wSign.filled, wSign.text, size(wSign)]).toEqual([
      wBuild.page,
      wBuild.filled,
      wBuild.text,
      size(wBuild),
    ]);

    for (const name of ['by-sign', 'by-build']) {
      const c = run(['sign', `${name}.pdf`, '--key', 'customer.p12', '-o', `${name}-counter.pdf`]);
      expect(c.code).toBe(0);
      expect(c.stdout).toContain('in the reserved field Countersignature');
      const v = run([
        'verify',
        `${name}-counter.pdf`,
        '--trust',
        'provider.pem',
        '--trust',
        'customer.pem',
      ]);
      expect(v.code).toBe(0);
      expect(v.stdout).toContain('2 signatures');
      expect(v.stdout).toMatch(/kind:\s+certification \(DocMDP P=2/);
    }
  });

  test("a customer document: srq sign labels the reserved field as build --sign does (the customer's own wording)", () => {
    fs.copyFileSync(EXAMPLE_CUSTOMER, file('example-customer.yaml'));
    const built = (extra: string[], out: string) =>
      run(['build', 'example-customer.yaml', ...extra, '-o', out, '--allow-unapproved']);
    expect(built([], 'customer.pdf').code).toBe(0);
    expect(run(['sign', 'customer.pdf', '--key', 'customer.p12', '-o', 'c-sign.pdf']).code).toBe(0);
    expect(built(['--sign', '--key', 'customer.p12'], 'c-build.pdf').code).toBe(0);
    const reserved = (name: string) => widgets(name).find((w) => w.field === 'Countersignature')!;
    expect(letters(reserved('c-sign.pdf').text)).toBe(letters(reserved('c-build.pdf').text));
    expect(reserved('c-sign.pdf').text).toMatch(/^Countersignature\b/);
    expect(reserved('c-sign.pdf').text).not.toContain('Customer countersignature');
    expect(reserved('c-sign.pdf').text).toContain('Reserved for a second signatory');
  });

  test('a change after the countersignature is still caught', () => {
    const pdf = fs.readFileSync(file('by-sign-counter.pdf'));
    const f = new PdfFile(pdf);
    const catalog = f.dict(f.trailer.get('Root'), 'catalog');
    const pages = f.dict(catalog.get('Pages'), 'pages');
    const kids = f.resolve(pages.get('Kids')) as SrcRef[];
    const last = kids[kids.length - 1];
    const page = new Map(f.dict(last, 'page'));
    const n = f.size;
    const content =
      '0 0 0 rg BT /F1 12 Tf 72 400 Td (Harbourline Cloud Ltd accepts no liability) Tj ET';
    page.set('Contents', new SrcRef(n, 0));
    const at = pdf.length;
    const body = `${n} 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`;
    const pageObj = `${last.num} 0 obj\n${serialise(page)}\nendobj\n`;
    const xref = at + body.length + pageObj.length;
    const prev = f.revisions[f.revisions.length - 1].xrefOffset;
    const tail = [
      'xref',
      `${last.num} 1`,
      `${String(at + body.length).padStart(10, '0')} 00000 n `,
      `${n} 1`,
      `${String(at).padStart(10, '0')} 00000 n `,
      `trailer\n<< /Size ${n + 1} /Root ${(f.trailer.get('Root') as SrcRef).num} 0 R /Prev ${prev} >>`,
      `startxref\n${xref}\n%%EOF\n`,
    ].join('\n');
    fs.writeFileSync(
      file('tampered.pdf'),
      Buffer.concat([pdf, Buffer.from(body + pageObj + tail, 'latin1')]),
    );
    const v = run(['verify', 'tampered.pdf', '--trust', 'provider.pem', '--trust', 'customer.pem']);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toMatch(/modified after signing/);
    expect(v.stdout + v.stderr).toMatch(/page 18/);
  });
});
