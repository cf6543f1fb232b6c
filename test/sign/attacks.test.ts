import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BYTE_RANGE_PLACEHOLDER } from '../../src/pdf/signature-field';
import { createCadesSignature } from '../../src/sign/cms';
import { OID, integer, octets, oid, seq, tlv } from '../../src/sign/der';
import { appendSignatureField, fillSignatureField } from '../../src/sign/incremental';
import { PdfFile, PdfRef, isDict, serialise, type PdfDict } from '../../src/sign/pdf-syntax';
import { findPlaceholder, signPdf } from '../../src/sign/signer';
import { srq, tempDir } from '../helpers/cli';
import { PASSPHRASE, SIGNED_AT, makeCert, makePdf, p12Of, testKey, type MadeCert } from './helpers';
import type { KeygenResult } from '../../src/sign/keygen';

/**
 * Attacks on signed statements, after "PDF Insecurity" (CCS 2019: universal signature forgery,
 * incremental saving, signature wrapping), "Shadow Attacks" (NDSS 2021) and forged signers. Each
 * file is crafted here from a freshly certified statement and a countersigned one; `srq verify`
 * with both signers trusted must exit 1 and say what changed. The genuine files must exit 0.
 */

let provider: KeygenResult;
let customer: KeygenResult;
let lookalike: KeygenResult;
let signed: Buffer;
let countersigned: Buffer;
let dir: string;

const COUNTERSIGNED_AT = new Date('2026-11-23T09:00:00Z');
const sign = (pdf: Buffer, k: KeygenResult, at = SIGNED_AT, allowExpired = false) =>
  signPdf(pdf, { p12: k.p12, passphrase: PASSPHRASE, signingTime: at, allowExpired });
const fieldOptions = (who: string) => ({
  name: who,
  appearanceLines: [who, `Digitally signed by CN=${who}`],
});

/** Reads a PDF's current objects. */
function open(pdf: Buffer) {
  const file = new PdfFile(pdf);
  const root = file.dict(file.trailer.get('Root'), 'root');
  const pages = file.dict(root.get('Pages'), 'pages');
  const kids = file.resolve(pages.get('Kids')) as PdfRef[];
  const page = kids[0];
  const pageDict = file.dict(page, 'page');
  const acroRef = root.get('AcroForm') as PdfRef;
  const acro = file.dict(acroRef, 'acroform');
  const fields = (file.resolve(acro.get('Fields')) as PdfRef[]).map((ref) => ({
    ref,
    dict: file.dict(ref, 'field'),
  }));
  const field = (name: string) =>
    fields.find(
      (f) => f.dict.get('T') && String((f.dict.get('T') as { text(): string }).text()) === name,
    )!;
  return { file, root, page, pageDict, acroRef, acro, fields, field };
}

/**
 * An incremental update: the given objects (PDF syntax after "N 0 obj"), a classic
 * cross-reference section and a trailer with /Prev. New object numbers start at `size`.
 */
function update(
  pdf: Buffer,
  objects: Record<number, string | Buffer>,
  extra: { trailer?: string; eof?: boolean } = {},
): Buffer {
  const file = new PdfFile(pdf);
  const last = file.revisions[file.revisions.length - 1];
  const parts: Buffer[] = [pdf];
  let at = pdf.length;
  const offsets: [number, number][] = [];
  for (const [k, body] of Object.entries(objects)) {
    const bytes = Buffer.concat([
      Buffer.from(`${k} 0 obj\n`),
      Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
      Buffer.from('\nendobj\n'),
    ]);
    offsets.push([Number(k), at]);
    parts.push(bytes);
    at += bytes.length;
  }
  const size = Math.max(file.size, ...offsets.map(([n]) => n + 1));
  const lines = ['xref'];
  for (const [n, o] of offsets) lines.push(`${n} 1`, `${String(o).padStart(10, '0')} 00000 n `);
  const root = file.trailer.get('Root') as PdfRef;
  const id = file.trailer.get('ID');
  lines.push(
    'trailer',
    `<< /Size ${size} /Root ${root.toString()}${id ? ` /ID ${serialise(id)}` : ''} /Prev ${last.xrefOffset}${extra.trailer ?? ''} >>`,
    'startxref',
    String(at),
    ...(extra.eof === false ? [] : ['%%EOF', '']),
  );
  parts.push(Buffer.from(lines.join('\n'), 'latin1'));
  return Buffer.concat(parts);
}

const dictText = (d: PdfDict, changes: Record<string, string | undefined> = {}) => {
  const copy = new Map(d);
  const extra: string[] = [];
  for (const [k, v] of Object.entries(changes)) {
    copy.delete(k);
    if (v !== undefined) extra.push(`/${k} ${v}`);
  }
  return serialise(copy).replace(/>>$/, `${extra.join('\n')}\n>>`);
};
const stream = (content: string, dict = '') =>
  `<< /Length ${Buffer.byteLength(content, 'latin1')} ${dict} >>\nstream\n${content}\nendstream`;

/** Signs the placeholder `pdf` carries with an arbitrary CMS (a document timestamp here). */
function fillWith(pdf: Buffer, cmsFor: (ranges: Buffer[]) => Buffer): Buffer {
  const place = findPlaceholder(pdf)!;
  const out = Buffer.from(pdf);
  const { contentsStart, contentsEnd } = place;
  const ranges = `0 ${contentsStart} ${contentsEnd} ${out.length - contentsEnd}`;
  const width = BYTE_RANGE_PLACEHOLDER.length - '/ByteRange ['.length - ']'.length;
  out.write(`/ByteRange [${ranges.padEnd(width, ' ')}]`, place.byteRangeAt, 'latin1');
  if (place.signingTimeAt >= 0) out.write('/M (D:20261124100000Z)', place.signingTimeAt, 'latin1');
  const cms = cmsFor([out.subarray(0, contentsStart), out.subarray(contentsEnd)]);
  out.write(cms.toString('hex').toUpperCase(), contentsStart + 1, 'latin1');
  return out;
}

/** An RFC 3161 token from `tsa` over the digest of `ranges`. */
function timestampToken(tsa: MadeCert, ranges: Buffer[], genTime: string): Buffer {
  const h = crypto.createHash('sha256');
  for (const r of ranges) h.update(r);
  const tstInfo = seq(
    integer(1),
    oid('1.2.3.4.1'),
    seq(seq(oid(OID.sha256)), octets(h.digest())),
    integer(42),
    tlv(0x18, Buffer.from(genTime)),
  );
  return createCadesSignature({
    contentDigest: crypto.createHash('sha256').update(tstInfo).digest(),
    certificate: tsa.der,
    privateKey: tsa.keyObject,
    content: { type: OID.tstInfo, bytes: tstInfo },
  });
}

interface Row {
  name: string;
  make: () => Buffer;
  /** What stderr must say (after "not valid: "). */
  reason: RegExp;
}

beforeAll(async () => {
  provider = testKey();
  customer = testKey({ name: 'Sam Patel', email: undefined });
  // The same subject as the provider's certificate, but another key.
  lookalike = testKey();
  signed = sign(await makePdf({ placeholder: true, certify: true, reserve: true }), provider);
  countersigned = sign(
    fillSignatureField(signed, fieldOptions('Sam Patel'))!.pdf,
    customer,
    COUNTERSIGNED_AT,
  );
  dir = tempDir('srq-attacks-');
  fs.writeFileSync(path.join(dir, 'provider.pem'), provider.certificatePem);
  fs.writeFileSync(path.join(dir, 'customer.pem'), customer.certificatePem);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function verify(pdf: Buffer, trust = ['provider.pem', 'customer.pem']) {
  const file = `f${++n}.pdf`;
  fs.writeFileSync(path.join(dir, file), pdf);
  return srq(['verify', file, ...trust.flatMap((t) => ['--trust', t])], {
    cwd: dir,
    env: { SRQ_NOW: '2026-11-24T12:00:00Z' },
  });
}

const contentRef = () => open(signed).pageDict.get('Contents') as PdfRef;
const replaceContent = (pdf: Buffer, text: string) =>
  update(pdf, {
    [contentRef().num]: stream(`BT /F1 24 Tf 72 700 Td (${text}) Tj ET`),
  });

const rows: Row[] = [
  // Overlay annotations (shadow "hide"): an annotation drawn over the signed text.
  {
    name: 'overlay: a FreeText annotation added to page 1',
    make: () => {
      const o = open(signed);
      const n0 = o.file.size;
      const annots = (o.file.resolve(o.pageDict.get('Annots')) as PdfRef[]).map(String).join(' ');
      return update(signed, {
        [n0]: '<< /Type /Annot /Subtype /FreeText /Rect [0 0 600 800] /Contents (Another company) /DA (/Helv 40 Tf) /F 4 >>',
        [o.page.num]: dictText(o.pageDict, { Annots: `[${annots} ${n0} 0 R]` }),
      });
    },
    reason: /^modified after signing: a new FreeText annotation \(object \d+\) was added on page 1/,
  },
  {
    name: 'overlay: a Square annotation with its own appearance, after the countersignature',
    make: () => {
      const o = open(countersigned);
      const n0 = o.file.size;
      const annots = (o.file.resolve(o.pageDict.get('Annots')) as PdfRef[]).map(String).join(' ');
      return update(countersigned, {
        [n0]: `<< /Type /Annot /Subtype /Square /Rect [0 0 600 800] /F 4 /AP << /N ${n0 + 1} 0 R >> >>`,
        [n0 + 1]: stream(
          '1 1 1 rg 0 0 600 800 re f',
          '/Type /XObject /Subtype /Form /BBox [0 0 600 800]',
        ),
        [o.page.num]: dictText(o.pageDict, { Annots: `[${annots} ${n0} 0 R]` }),
      });
    },
    reason:
      /^modified after signing: a new Square annotation \(object \d+\) was added on page 1 in revision 3/,
  },
  // Content replaced in an update (incremental saving attack).
  {
    name: 'content: the page content stream redefined',
    make: () => replaceContent(signed, 'Another Company Ltd'),
    reason: /^modified after signing: page 1 content stream \(object \d+\) changed in revision 2/,
  },
  {
    name: 'content: the page pointed at a new content stream',
    make: () => {
      const o = open(signed);
      const n0 = o.file.size;
      return update(signed, {
        [n0]: stream('BT /F1 24 Tf 72 700 Td (Forged) Tj ET'),
        [o.page.num]: dictText(o.pageDict, { Contents: `${n0} 0 R` }),
      });
    },
    reason: /^modified after signing: page 1's \/Contents changed in revision 2/,
  },
  // A second cross-reference that redefines objects.
  {
    name: 'xref: a cross-reference stream redefining the content',
    make: () => {
      const o = open(signed);
      const body = Buffer.from(stream('BT (Forged) Tj ET'), 'latin1');
      const num = contentRef().num;
      const at = signed.length;
      const obj = Buffer.concat([Buffer.from(`${num} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
      const xrefAt = at + obj.length;
      const xnum = o.file.size;
      const row = (t: number, a: number, b: number) =>
        Buffer.from([t, (a >> 24) & 255, (a >> 16) & 255, (a >> 8) & 255, a & 255, b]);
      const data = Buffer.concat([row(1, at, 0), row(1, xrefAt, 0)]);
      const last = o.file.revisions[o.file.revisions.length - 1];
      const xref = Buffer.concat([
        Buffer.from(
          `${xnum} 0 obj\n<< /Type /XRef /Size ${xnum + 1} /W [1 4 1] /Index [${num} 1 ${xnum} 1] /Root ${(o.file.trailer.get('Root') as PdfRef).toString()} /Prev ${last.xrefOffset} /Length ${data.length} >>\nstream\n`,
        ),
        data,
        Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`),
      ]);
      return Buffer.concat([signed, obj, xref]);
    },
    reason: /^modified after signing: page 1 content stream \(object \d+\) changed in revision 2/,
  },
  {
    name: 'xref: two cross-reference sections in one update, the hidden one redefining the catalog',
    make: () => {
      const o = open(signed);
      const first = update(
        signed,
        { [o.root.get('Pages') instanceof PdfRef ? o.file.size : 0]: '(x)' },
        { eof: false },
      );
      // The first section's trailer is followed at once by a second one pointing back at it.
      const prev = new PdfFile(Buffer.concat([first, Buffer.from('\n%%EOF\n')])).revisions.at(
        -1,
      )!.xrefOffset;
      const catalog = dictText(o.root, { OpenAction: '[0 0 R /Fit]' });
      const tail = update(Buffer.concat([first, Buffer.from('\n%%EOF\n')]), {
        [(o.file.trailer.get('Root') as PdfRef).num]: catalog,
      });
      void prev;
      return tail;
    },
    reason: /^modified after signing: /,
  },
  // Objects after %%EOF.
  {
    name: 'after %%EOF: an object appended with no cross-reference',
    make: () =>
      Buffer.concat([signed, Buffer.from(`${contentRef().num} 0 obj\n(forged)\nendobj\n`)]),
    reason:
      /^modified after signing: \d+ bytes after the last %%EOF \(byte \d+\) that no cross-reference lists/,
  },
  {
    name: 'after %%EOF: an update without its %%EOF',
    make: () => update(signed, { [contentRef().num]: stream('BT (Forged) Tj ET') }, { eof: false }),
    reason: /^modified after signing: \d+ bytes after the last %%EOF/,
  },
  // Shifted or duplicated /ByteRange.
  {
    name: 'byterange: shifted by two bytes',
    make: () => {
      const text = signed.toString('latin1');
      const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(text)!;
      const [b, c, d] = [m[1], m[2], m[3]].map(Number);
      const next = `/ByteRange [0 ${b + 2} ${c + 2} ${d - 2}`.padEnd(m[0].length - 1, ' ') + ']';
      const out = Buffer.from(signed);
      out.write(next, m.index, 'latin1');
      return out;
    },
    reason: /^the signed ranges do not cover the file/,
  },
  {
    name: 'byterange: a second field whose value is the provider signature',
    make: () => {
      const o = open(signed);
      const sig = o.field('Signature1').dict.get('V') as PdfRef;
      const n0 = o.file.size;
      const fields = o.fields.map((f) => f.ref.toString()).join(' ');
      return update(signed, {
        [n0]: `<< /FT /Sig /T (Copy) /V ${sig.toString()} /Rect [0 0 0 0] /Type /Annot /Subtype /Widget /F 4 >>`,
        [o.acroRef.num]: dictText(o.acro, { Fields: `[${fields} ${n0} 0 R]` }),
      });
    },
    reason: /is the value of two fields|a new signature field "Copy"/,
  },
  // Zeroed or empty /Contents.
  {
    name: 'contents: the signature value zeroed in place',
    make: () => {
      const m = /\/ByteRange \[0 (\d+) (\d+)/.exec(signed.toString('latin1'))!;
      const out = Buffer.from(signed);
      out.fill('0', Number(m[1]) + 1, Number(m[2]) - 1);
      return out;
    },
    reason: /^invalid signature \(\/Contents is empty\)/,
  },
  {
    name: 'contents: the signature dictionary redefined with empty /Contents',
    make: () => {
      const o = open(signed);
      const sig = o.field('Signature1').dict.get('V') as PdfRef;
      const d = o.file.dict(sig, 'sig');
      return update(signed, { [sig.num]: dictText(d, { Contents: '<>' }) });
    },
    reason: /^modified after signing: .*object \d+/,
  },
  // Signature wrapping: the hole moved to other bytes.
  {
    name: 'wrapping: the hole moved to a hex string in an appended object',
    make: () => {
      const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(signed.toString('latin1'))!;
      const hole = signed.subarray(Number(m[1]), Number(m[2]));
      const extra = Buffer.concat([Buffer.from('\n999 0 obj\n'), hole, Buffer.from('\nendobj\n')]);
      const full = Buffer.concat([signed, extra]);
      const b = signed.length + 10;
      const c = b + hole.length;
      const next = `/ByteRange [0 ${b} ${c} ${full.length - c}`.padEnd(m[0].length - 1, ' ') + ']';
      full.write(next, m.index, 'latin1');
      return full;
    },
    reason:
      /^the signed ranges do not cover the file|^modified after signing: \d+ bytes after the last %%EOF/,
  },
  {
    name: 'wrapping: a copy of the signature dictionary in an update, on the same ranges',
    make: () => {
      const o = open(signed);
      const sig = o.field('Signature1').dict.get('V') as PdfRef;
      const d = o.file.dict(sig, 'sig');
      const widget = o.field('Signature1');
      const n0 = o.file.size;
      return update(signed, {
        [n0]: serialise(d),
        [widget.ref.num]: dictText(widget.dict, { V: `${n0} 0 R` }),
      });
    },
    reason:
      /^the signed ranges do not cover the file \(\/ByteRange points outside its signature\)|^modified after signing: signature field "Signature1" \(object \d+\): \/V changed after it was signed/,
  },
  // Forged later signatures by a look-alike certificate.
  {
    name: 'look-alike: the reserved field signed by another "Alex Morgan" key',
    make: () => sign(fillSignatureField(signed, fieldOptions('Alex Morgan'))!.pdf, lookalike),
    reason:
      /^not trusted: the certificate of CN=Alex Morgan, emailAddress=alex@example.com \(SHA-256 /,
  },
  {
    name: 'look-alike: a certificate issued by a CA named like a trusted one',
    make: () => {
      const fakeCa = makeCert({ cn: 'Sam Patel', ca: true });
      const leaf = makeCert({ cn: 'Sam Patel Countersigning', issuer: fakeCa });
      return signPdf(fillSignatureField(signed, fieldOptions('Sam Patel'))!.pdf, {
        p12: p12Of(leaf, [fakeCa]),
        passphrase: PASSPHRASE,
        signingTime: COUNTERSIGNED_AT,
      });
    },
    reason: /^not trusted: the certificate of CN=Sam Patel Countersigning/,
  },
  // Signatures that are in no field.
  {
    name: 'no field: an unsigned statement with a copied signature dictionary',
    make: () => {
      const sigText = /\d+ 0 obj\s*<<\s*\/Type \/Sig[\s\S]*?endobj/.exec(
        signed.toString('latin1'),
      )![0];
      const body = sigText.replace(/^\d+ 0 obj\s*/, '').replace(/\s*endobj$/, '');
      const unsignedFile = signed.subarray(0, 0);
      void unsignedFile;
      return update(countersignedBase(), { [new PdfFile(countersignedBase()).size]: body });
    },
    reason: /^no signature \(a signature dictionary at byte \d+ is in no signature field/,
  },
  {
    name: 'no field: an orphan signature dictionary appended to a signed file',
    make: () => {
      const sigText = /<<\s*\/Type \/Sig[\s\S]*?\]\s*\/Contents <[0-9A-F]+>\s*>>/.exec(
        signed.toString('latin1'),
      )![0];
      const shifted = sigText.replace(
        /\/ByteRange \[0 (\d+)/,
        (_, b: string) => `/ByteRange [0 ${Number(b) + 1}`,
      );
      return update(signed, { [open(signed).file.size]: shifted });
    },
    reason: /in no signature field of the document/,
  },
  // Stripped and re-signed.
  {
    name: 'stripped: the content changed and re-signed from scratch by a look-alike key',
    make: () => {
      const forged = fs.readFileSync(path.join(dir, 'forged-unsigned.pdf'));
      return sign(forged, lookalike);
    },
    reason: /^not trusted: the certificate of CN=Alex Morgan, emailAddress=alex@example.com/,
  },
  {
    name: 'stripped: the provider field re-pointed at a new signature',
    make: () => {
      const o = open(signed);
      const widget = o.field('Signature1');
      const n0 = o.file.size;
      return update(signed, {
        [n0]: '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] /Contents <00> >>',
        [widget.ref.num]: dictText(widget.dict, { V: `${n0} 0 R` }),
      });
    },
    reason: /.+/,
  },
  // A real key countersigning with other changes.
  {
    name: 'real countersigner: fills the field and rewrites page 1 in the same update',
    make: () => {
      const filled = fillSignatureField(signed, fieldOptions('Sam Patel'))!.pdf;
      const o = open(filled);
      const text = stream('BT (Forged by the countersigner) Tj ET');
      const withChange = update(filled, { [contentRef().num]: text });
      void o;
      // Re-chain: the change and the fill in one signed revision.
      return sign(mergeLastTwo(withChange), customer, COUNTERSIGNED_AT);
    },
    reason: /^modified after signing: page 1 content stream \(object \d+\) changed in revision 2/,
  },
  {
    name: 'real countersigner: adds a new text field while signing',
    make: () => {
      const o = open(signed);
      const n0 = o.file.size;
      const withField = update(signed, {
        [n0]: '<< /FT /Tx /T (Price) /V (0.00) /Type /Annot /Subtype /Widget /Rect [72 72 200 90] /F 4 >>',
        [o.acroRef.num]: dictText(o.acro, {
          Fields: `[${o.fields.map((f) => f.ref.toString()).join(' ')} ${n0} 0 R]`,
        }),
      });
      const filled = fillSignatureField(withField, fieldOptions('Sam Patel'))!.pdf;
      return sign(mergeLastTwo(filled), customer, COUNTERSIGNED_AT);
    },
    reason:
      /^modified after signing: a new form field "Price" \(object \d+\) was added in revision 2/,
  },
  // A change after the countersignature.
  {
    name: 'after countersigning: page content replaced',
    make: () => replaceContent(countersigned, 'Changed after both signed'),
    reason: /^modified after signing: page 1 content stream \(object \d+\) changed in revision 3/,
  },
  {
    name: 'after countersigning: the document title (metadata) changed',
    make: () => {
      const o = open(countersigned);
      const info = o.file.trailer.get('Info') as PdfRef;
      const d = o.file.dict(info, 'info');
      return update(countersigned, { [info.num]: dictText(d, { Title: '(Another company)' }) });
    },
    reason:
      /^modified after signing: the document information \(title, author\) \(object \d+\) changed \(\/Title\) in revision 3/,
  },
  // New form fields.
  {
    name: 'new field: a text field added after certification',
    make: () => {
      const o = open(signed);
      const n0 = o.file.size;
      return update(signed, {
        [n0]: '<< /FT /Tx /T (Note) /Type /Annot /Subtype /Widget /Rect [72 72 200 90] /F 4 >>',
        [o.acroRef.num]: dictText(o.acro, {
          Fields: `[${o.fields.map((f) => f.ref.toString()).join(' ')} ${n0} 0 R]`,
        }),
      });
    },
    reason: /^modified after signing: a new form field "Note" \(object \d+\) was added/,
  },
  {
    name: 'new field: a real key signs a new signature field the certification forbids',
    make: () =>
      sign(appendSignatureField(signed, fieldOptions('Sam Patel')).pdf, customer, COUNTERSIGNED_AT),
    reason:
      /^modified after signing: .*which the certification \(DocMDP P=2\) forbids|the structure tree/,
  },
  // A changed signature appearance.
  {
    name: 'appearance: the provider widget given a new appearance',
    make: () => {
      const o = open(signed);
      const widget = o.field('Signature1');
      const n0 = o.file.size;
      return update(signed, {
        [n0]: stream(
          '0 0 1 rg 0 0 220 60 re f',
          '/Type /XObject /Subtype /Form /BBox [0 0 220 60]',
        ),
        [widget.ref.num]: dictText(widget.dict, { AP: `<< /N ${n0} 0 R >>` }),
      });
    },
    reason:
      /^modified after signing: signature field "Signature1" \(object \d+\): \/AP changed after it was signed/,
  },
  {
    name: 'appearance: the provider appearance stream redefined',
    make: () => {
      const o = open(signed);
      const ap = o.file.dict(o.field('Signature1').dict.get('AP'), 'ap').get('N') as PdfRef;
      return update(signed, {
        [ap.num]: stream(
          '0 0 1 rg 0 0 220 60 re f',
          '/Type /XObject /Subtype /Form /BBox [0 0 220 60]',
        ),
      });
    },
    reason: /^modified after signing: an XObject \(object \d+\) changed in revision 2/,
  },
  // Backdating: an expired certificate claims a time inside its validity.
  {
    name: 'backdating: an expired provider key signs with a backdated time',
    make: () => {
      const expired = expiredProvider();
      return sign(
        fs.readFileSync(path.join(dir, 'unsigned.pdf')),
        expired,
        new Date('2020-06-01T00:00:00Z'),
        true,
      );
    },
    reason: /is not valid at 2026-11-24T12:00:00.000Z \(valid 2020-01-01/,
  },
  {
    name: 'backdating: an expired customer key countersigns with a backdated time',
    make: () =>
      sign(
        fillSignatureField(signed, fieldOptions('Sam Patel'))!.pdf,
        expiredCustomer(),
        new Date('2020-06-01T00:00:00Z'),
        true,
      ),
    reason: /is not valid at 2026-11-24T12:00:00.000Z \(valid 2020-01-01/,
  },
];

const expiredKeys: { provider?: KeygenResult; customer?: KeygenResult } = {};
function expiredProvider(): KeygenResult {
  expiredKeys.provider ??= testKey({
    validFrom: new Date('2020-01-01T00:00:00Z'),
    validTo: new Date('2021-01-01T00:00:00Z'),
  });
  fs.writeFileSync(
    path.join(dir, 'provider.pem'),
    provider.certificatePem + expiredKeys.provider.certificatePem,
  );
  return expiredKeys.provider;
}
function expiredCustomer(): KeygenResult {
  expiredKeys.customer ??= testKey({
    name: 'Sam Patel',
    email: undefined,
    validFrom: new Date('2020-01-01T00:00:00Z'),
    validTo: new Date('2021-01-01T00:00:00Z'),
  });
  fs.writeFileSync(
    path.join(dir, 'customer.pem'),
    customer.certificatePem + expiredKeys.customer.certificatePem,
  );
  return expiredKeys.customer;
}
void expiredKeys;

/** The certified file's first revision without its signature: an unsigned srq statement. */
let unsignedBase: Buffer;
function countersignedBase(): Buffer {
  return unsignedBase;
}

/** Joins the last two updates into one (one cross-reference section), so one signature covers both. */
function mergeLastTwo(pdf: Buffer): Buffer {
  const file = new PdfFile(pdf);
  const revs = file.revisions;
  const a = revs[revs.length - 2];
  const b = revs[revs.length - 1];
  const start = revs[revs.length - 3].end;
  const objects: Record<number, Buffer> = {};
  for (const r of [a, b]) {
    for (const [num, off] of r.offsets) {
      const end = pdf.indexOf('endobj', off, 'latin1');
      const body = pdf.subarray(pdf.indexOf('obj', off, 'latin1') + 3, end);
      objects[num] = Buffer.from(body.toString('latin1').trim(), 'latin1');
    }
  }
  return update(pdf.subarray(0, start), objects);
}

describe('attacks: srq verify exits 1 and names what changed', () => {
  beforeAll(async () => {
    unsignedBase = await makePdf({ reserve: true });
    fs.writeFileSync(
      path.join(dir, 'unsigned.pdf'),
      await makePdf({ placeholder: true, certify: true, reserve: true }),
    );
    const forgedDoc = await makePdf({ placeholder: true, certify: true, reserve: true, pages: 2 });
    fs.writeFileSync(path.join(dir, 'forged-unsigned.pdf'), forgedDoc);
  });

  test('at least two variants of each class', () => {
    const classes = new Map<string, number>();
    for (const r of rows) {
      const c = r.name.split(':')[0];
      classes.set(c, (classes.get(c) ?? 0) + 1);
    }
    expect(classes.size).toBeGreaterThanOrEqual(15);
    for (const [c, count] of classes)
      expect({ c, count: Math.min(count, 2) }).toEqual({ c, count: 2 });
  });

  test.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const r = verify(row.make());
    const reason = /^srq: f\d+\.pdf: not valid: (.*)$/m.exec(r.stderr)?.[1] ?? r.stderr;
    expect({ code: r.code, reason }).toEqual({
      code: 1,
      reason: expect.stringMatching(row.reason) as unknown,
    });
  });
});

describe('genuine files: srq verify exits 0', () => {
  test('the certified statement, and the countersigned one', () => {
    const one = verify(signed);
    expect([one.code, one.stderr]).toEqual([0, '']);
    expect(one.stdout).toMatch(/kind: +certification \(DocMDP P=2/);
    const two = verify(countersigned);
    expect([two.code, two.stderr]).toEqual([0, '']);
    expect(two.stdout).toMatch(/2\. CN=Sam Patel: valid/);
    expect(two.stdout).toMatch(/changes after: +only permitted ones/);
  });

  test('a CA-issued signer, with the root given by --trust', async () => {
    const root = makeCert({ cn: 'Example Root CA', ca: true });
    const inter = makeCert({ cn: 'Example Signing CA', ca: true, issuer: root });
    const leaf = makeCert({ cn: 'Harbourline Compliance', issuer: inter });
    fs.writeFileSync(path.join(dir, 'root.pem'), root.pem);
    const pdf = signPdf(await makePdf({ placeholder: true, certify: true, reserve: true }), {
      p12: p12Of(leaf, [inter]),
      passphrase: PASSPHRASE,
      signingTime: SIGNED_AT,
    });
    const ok = verify(pdf, ['root.pem']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(
      /chain: +CN=Harbourline Compliance <- issued by CN=Example Signing CA <- issued by CN=Example Root CA/,
    );
    // Without the root: intact, not trusted.
    const no = verify(pdf, []);
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(
      /not trusted: the certificate of CN=Harbourline Compliance .* does not chain to one/,
    );
    // An intermediate that is not a CA cannot issue.
    const notCa = makeCert({ cn: 'Not A CA', issuer: root });
    const leaf2 = makeCert({ cn: 'Harbourline Compliance', issuer: notCa });
    const bad = signPdf(await makePdf({ placeholder: true }), {
      p12: p12Of(leaf2, [notCa]),
      passphrase: PASSPHRASE,
      signingTime: SIGNED_AT,
    });
    const b = verify(bad, ['root.pem']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/CN=Not A CA is not a CA \(basicConstraints\)/);
  });

  test('long-term validation: a /DSS added later', () => {
    const o = open(countersigned);
    const n0 = o.file.size;
    const certStream = stream('0000', '');
    const pdf = update(countersigned, {
      [n0]: `<< /Type /DSS /Certs [${n0 + 1} 0 R] /VRI << >> >>`,
      [n0 + 1]: certStream,
      [(o.file.trailer.get('Root') as PdfRef).num]: dictText(o.root, { DSS: `${n0} 0 R` }),
    });
    const r = verify(pdf);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  test('long-term validation: an RFC 3161 document timestamp proves the time', () => {
    const tsa = makeCert({ cn: 'Example TSA', tsa: true });
    fs.writeFileSync(path.join(dir, 'tsa.pem'), tsa.pem);
    const field = appendSignatureField(countersigned, {
      appearanceLines: [],
      fieldName: 'Timestamp1',
    });
    const text = field.pdf.toString('latin1');
    const at = text.lastIndexOf('/SubFilter /ETSI.CAdES.detached');
    const withTs = Buffer.from(field.pdf);
    withTs.write('/SubFilter /ETSI.RFC3161       ', at, 'latin1');
    const pdf = fillWith(withTs, (ranges) => timestampToken(tsa, ranges, '20261124100000Z'));
    const r = verify(pdf, ['provider.pem', 'customer.pem', 'tsa.pem']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/3\. CN=Example TSA: valid\n +kind: +document timestamp/);
    expect(r.stdout).toMatch(/checked at: +2026-11-24T10:00:00.000Z \(proven by a timestamp\)/);
    // The same token on other bytes does not match.
    const tampered = Buffer.from(pdf);
    tampered[50] ^= 1;
    expect(verify(tampered, ['provider.pem', 'customer.pem', 'tsa.pem']).code).toBe(1);
  });
});

void isDict;
