import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { addSignaturePlaceholder } from '../../src/pdf/signature-field';
import {
  generateSelfSignedP12,
  type KeygenOptions,
  type KeygenResult,
} from '../../src/sign/keygen';
import type { TrustAnchor } from '../../src/sign/trust';

const FONT_FILE = path.join(
  path.dirname(require.resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSans.ttf',
);
let font: fontkit.Font | undefined;
function dejavu(): fontkit.Font {
  if (!font) font = fontkit.create(fs.readFileSync(FONT_FILE)) as fontkit.Font;
  return font;
}

/** Signing times inside the test keys' validity (2026-01-01 to 2036-01-01). */
export const SIGNED_AT = new Date('2026-11-22T12:00:00Z');
export const PASSPHRASE = 'correct horse battery staple';

/** A test key valid 2026-2036 unless told otherwise. */
export function testKey(overrides: Partial<KeygenOptions> = {}): KeygenResult {
  return generateSelfSignedP12({
    name: 'Alex Morgan',
    email: 'alex@example.com',
    passphrase: PASSPHRASE,
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validTo: new Date('2036-01-01T00:00:00Z'),
    ...overrides,
  });
}

/**
 * A small tagged PDF/A-2a document made with pdfkit, optionally with a signature placeholder.
 * Fixed dates, so the bytes are the same every run.
 */
export function makePdf(
  options: { placeholder?: boolean; draft?: boolean; pages?: number } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    subset: 'PDF/A-2a',
    pdfVersion: '1.7',
    font: dejavu() as unknown as string,
    info: {
      Title: 'Signing test',
      Author: 'srq tests',
      CreationDate: new Date('2026-11-01T00:00:00Z'),
      ...(options.draft ? { SrqDraft: 'true' } : {}),
    },
  });
  doc.registerFont('body', dejavu());
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const pages = options.pages ?? 1;
  for (let p = 0; p < pages; p++) {
    if (p > 0) doc.addPage();
    root.add(
      doc.struct('P', {}, () =>
        doc
          .font('body')
          .fontSize(12)
          .text(`Statement page ${p + 1}. Approved.`, 72, 72),
      ),
    );
  }
  if (options.placeholder) {
    addSignaturePlaceholder(doc, {
      rect: { x: 72, y: 160, width: 220, height: 60 },
      name: 'Alex Morgan',
      reason: 'Approved statement of Example Cloud Ltd, version 3.0',
      location: 'Glasgow',
      contactInfo: 'compliance@example.com',
      appearanceLines: [
        'Alex Morgan',
        'Head of Compliance',
        '22 November 2026',
        'Digitally signed by CN=Alex Morgan',
      ],
      font: 'body',
      structParent: root,
    });
  }
  root.end();
  doc.end();
  return done;
}

/** The signed CMS bytes' location: the hole between the two signed ranges. */
export function contentsRange(pdf: Buffer, index = 0): { start: number; end: number } {
  const all = [...pdf.toString('latin1').matchAll(/\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/g)];
  const m = all[index];
  if (!m) throw new Error('no filled ByteRange');
  return { start: Number(m[1]), end: Number(m[2]) };
}

/** Trust anchors for test keys, as `--trust` would load them. */
export function anchorsFor(...keys: KeygenResult[]): TrustAnchor[] {
  return keys.map((k) => {
    const x509 = new crypto.X509Certificate(k.certificatePem);
    return { der: Buffer.from(x509.raw), x509, source: `${x509.subject}.pem` };
  });
}
