import crypto from 'node:crypto';
import fs from 'node:fs';
import forge from 'node-forge';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { addReservedSignatureField, addSignaturePlaceholder } from '../../src/pdf/signature-field';
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
  options: {
    placeholder?: boolean;
    draft?: boolean;
    pages?: number;
    /** The placeholder certifies (DocMDP P=2), as build --sign's does. */
    certify?: boolean;
    /** Also reserve an empty countersignature field, as build --sign does. */
    reserve?: boolean;
  } = {},
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
      ...(options.certify ? { certify: true } : {}),
    });
  }
  if (options.reserve) {
    addReservedSignatureField(doc, {
      rect: { x: 72, y: 240, width: 220, height: 60 },
      fieldName: 'Countersignature',
      name: 'the customer',
      appearanceLines: ['Customer countersignature', 'Not signed yet'],
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

/** A certificate and key made with node-forge: a CA, a certificate it issues, or a TSA. */
export interface MadeCert {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  der: Buffer;
  pem: string;
  keyObject: crypto.KeyObject;
}

export function makeCert(options: {
  cn: string;
  issuer?: MadeCert;
  ca?: boolean;
  /** Extended key usage timeStamping (critical), for a TSA. */
  tsa?: boolean;
  from?: Date;
  to?: Date;
}): MadeCert {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = crypto
    .randomBytes(8)
    .toString('hex')
    .replace(/^[89a-f]/, '1');
  cert.validity.notBefore = options.from ?? new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = options.to ?? new Date('2036-01-01T00:00:00Z');
  const subject = [{ name: 'commonName', value: options.cn }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: Boolean(options.ca), critical: true },
    {
      name: 'keyUsage',
      critical: true,
      digitalSignature: !options.ca,
      nonRepudiation: !options.ca && !options.tsa,
      keyCertSign: Boolean(options.ca),
      cRLSign: Boolean(options.ca),
    },
    ...(options.tsa ? [{ name: 'extKeyUsage', critical: true, timeStamping: true }] : []),
  ]);
  cert.sign(options.issuer?.key ?? key, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { cert, key, der, pem: forge.pki.certificateToPem(cert), keyObject: privateKey };
}

/** A P12 with the key of `leaf` and its certificates (leaf first), as a CA-issued key comes. */
export function p12Of(leaf: MadeCert, chain: MadeCert[] = []): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    leaf.key,
    [leaf.cert, ...chain.map((c) => c.cert)],
    PASSPHRASE,
    {
      algorithm: 'aes256',
    },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** A trust anchor from a made certificate. */
export function anchorOf(c: MadeCert, source = 'ca.pem'): TrustAnchor {
  const x509 = new crypto.X509Certificate(c.der);
  return { der: c.der, x509, source };
}
