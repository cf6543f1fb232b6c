import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../../src/build-document';
import { loadModel } from '../../src/model/resolve';
import { appendSignatureField, fillSignatureField } from '../../src/sign/incremental';
import { loadSigningKey } from '../../src/sign/p12';
import { signPdf } from '../../src/sign/signer';
import { tempDir } from '../helpers/cli';
import { PASSPHRASE, SIGNED_AT, contentsRange, makePdf, testKey } from '../sign/helpers';

/**
 * Our signatures checked by independent tools: poppler's pdfsig (NSS), qpdf, pdfinfo.
 * Needs poppler-utils, qpdf and libnss3-tools. Run: npm run test:interop.
 * NOTE: pdfsig exits 0 even on "Digest Mismatch.", so its output is what is checked.
 */
const EXAMPLE = path.resolve(__dirname, '..', '..', 'answers', 'example-cloud.yaml');
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const VALID = 'Signature is Valid.';

let dir: string;
const files: Record<string, string> = {};
const write = (name: string, data: Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  files[name] = file;
  return file;
};
const pdfsig = (file: string, ...args: string[]) => {
  const r = run('pdfsig', [...args, file]);
  return r.stdout + r.stderr;
};
const count = (text: string, needle: string) => text.split(needle).length - 1;

const ca = testKey({ name: 'srq interop CA signer', ca: true });
const customer = testKey({ name: 'Sam Patel' });

beforeAll(async () => {
  dir = tempDir('srq-sign-interop-');
  const signed = signPdf(await makePdf({ placeholder: true }), {
    p12: ca.p12,
    passphrase: PASSPHRASE,
    signingTime: SIGNED_AT,
  });
  write('signed.pdf', signed);
  const field = appendSignatureField(signed, {
    name: 'Sam Patel',
    appearanceLines: ['Sam Patel', 'Countersigned'],
  });
  write(
    'countersigned.pdf',
    signPdf(field.pdf, { p12: customer.p12, passphrase: PASSPHRASE, signingTime: SIGNED_AT }),
  );

  const { pdf } = await buildDocument(loadModel(EXAMPLE).model);
  const exampleField = appendSignatureField(pdf, {
    name: 'Alex Morgan',
    appearanceLines: ['Alex Morgan', 'Approved'],
  });
  write(
    'example-signed.pdf',
    signPdf(exampleField.pdf, { p12: ca.p12, passphrase: PASSPHRASE, signingTime: SIGNED_AT }),
  );

  const flip = (at: number, to?: number) => {
    const copy = Buffer.from(signed);
    copy[at] = to ?? copy[at] ^ 1;
    return copy;
  };
  const { start, end } = contentsRange(signed);
  write('tamper-first-range.pdf', flip(60));
  write('tamper-second-range.pdf', flip(signed.length - 400));
  const sigAt = start + 1 + 2 * 1200;
  write('tamper-signature.pdf', flip(sigAt, signed[sigAt] === 0x41 ? 0x42 : 0x41));
  write('tamper-appended.pdf', Buffer.concat([signed, Buffer.from('1 0 obj\n(x)\nendobj\n')]));
  write('tamper-truncated.pdf', signed.subarray(0, signed.length - 300));
  expect(end).toBeGreaterThan(start);
});

describe.each(['signed.pdf', 'countersigned.pdf', 'example-signed.pdf'])('%s', (name) => {
  test('pdfsig: every signature is valid and the last covers the document', () => {
    const out = pdfsig(files[name]);
    const expected = name === 'countersigned.pdf' ? 2 : 1;
    expect(count(out, VALID)).toBe(expected);
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out.trimEnd().split('Signature #').pop()).toContain('Total document signed');
  });

  test('qpdf --check is clean', () => {
    const r = run('qpdf', ['--check', files[name]]);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/WARNING/i);
  });

  test('pdfinfo: still tagged, with a form; PDF/A claim kept', () => {
    const info = run('pdfinfo', [files[name]]).stdout;
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Form:\s+AcroForm/);
    const meta = run('pdfinfo', ['-meta', files[name]]).stdout;
    expect(meta).toMatch(/pdfaid:part(>2<|="2")/);
    const struct = run('pdfinfo', ['-struct', files[name]]).stdout;
    expect(count(struct, 'Form')).toBe(name === 'countersigned.pdf' ? 2 : 1);
  });
});

describe('pdfsig rejects every tampered file', () => {
  test.each([
    ['tamper-first-range.pdf', 'Digest Mismatch.'],
    ['tamper-second-range.pdf', 'Digest Mismatch.'],
    ['tamper-signature.pdf', 'Signature is Invalid.'],
  ])('%s: %s', (name, expected) => {
    const out = pdfsig(files[name]);
    expect(out).toContain(expected);
    expect(out).not.toContain(VALID);
  });

  test('appended after signing: not the total document', () => {
    const out = pdfsig(files['tamper-appended.pdf']);
    expect(out).toContain('Not total document signed');
  });

  test('truncated: no valid signature', () => {
    expect(pdfsig(files['tamper-truncated.pdf'])).not.toContain(VALID);
  });
});

describe('trust', () => {
  test('with the --ca certificate in an NSS database: "Certificate is Trusted."', () => {
    const nss = path.join(dir, 'nss');
    fs.mkdirSync(nss);
    expect(run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']).status).toBe(0);
    const cert = path.join(dir, 'ca.der');
    fs.writeFileSync(cert, loadSigningKey(ca.p12, PASSPHRASE).certificate);
    const add = run('certutil', [
      '-A',
      '-d',
      `sql:${nss}`,
      '-n',
      'srq-test',
      '-t',
      'CT,C,C',
      '-i',
      cert,
    ]);
    expect(add.stderr).toBe('');
    const out = pdfsig(files['signed.pdf'], '-nssdir', `sql:${nss}`);
    expect(out).toContain(VALID);
    expect(out).toContain('Certificate is Trusted.');
  });
});

describe('mupdf: mutool sign -v on a certified and a countersigned statement', () => {
  test('the certification is valid; the countersignature covers the whole, unchanged document', async () => {
    const provider = testKey();
    const customer = testKey({ name: 'Sam Patel', email: undefined });
    const dir = tempDir('srq-mutool-');
    const certified = signPdf(await makePdf({ placeholder: true, certify: true, reserve: true }), {
      p12: provider.p12,
      passphrase: PASSPHRASE,
      signingTime: SIGNED_AT,
    });
    const filled = fillSignatureField(certified, {
      name: 'Sam Patel',
      appearanceLines: ['Sam Patel'],
    });
    const counter = signPdf(filled!.pdf, {
      p12: customer.p12,
      passphrase: PASSPHRASE,
      signingTime: SIGNED_AT,
    });
    fs.writeFileSync(path.join(dir, 'certified.pdf'), certified);
    fs.writeFileSync(path.join(dir, 'counter.pdf'), counter);
    const one = run('mutool', ['sign', '-v', path.join(dir, 'certified.pdf')]).stdout;
    expect(one).toMatch(/The document is unchanged since signing\./);
    expect(one).not.toMatch(/not valid|invalid|Digest/i);
    const two = run('mutool', ['sign', '-v', path.join(dir, 'counter.pdf')]).stdout;
    expect(two.match(/Verifying signature/g)).toHaveLength(2);
    expect(two).toMatch(
      /The signature is valid but there have been edits since signing\.[\s\S]*cn=Sam Patel[\s\S]*The document is unchanged since signing\./,
    );
    expect(two).not.toMatch(/not valid|invalid|Digest/i);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
