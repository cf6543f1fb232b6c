import crypto from 'node:crypto';
import { CheckError } from '../../src/errors';
import { WrongPassphraseError } from '../../src/sign/p12';
import { appendSignatureField } from '../../src/sign/incremental';
import { SIGNATURE_CONTENTS_BYTES } from '../../src/pdf/signature-field';
import { findPlaceholder, signPdf } from '../../src/sign/signer';
import { verifyPdf } from '../../src/sign/verify';
import { PASSPHRASE, SIGNED_AT, anchorsFor, contentsRange, makePdf, testKey } from './helpers';
import type { KeygenResult } from '../../src/sign/keygen';

let key: KeygenResult;
let other: KeygenResult;
let unsigned: Buffer;
let signed: Buffer;

beforeAll(async () => {
  key = testKey();
  other = testKey({ name: 'Sam Patel', email: undefined });
  unsigned = await makePdf({ placeholder: true });
  signed = signPdf(unsigned, { p12: key.p12, passphrase: PASSPHRASE, signingTime: SIGNED_AT });
});

/** Checked the day after signing, trusting both test keys. */
const verify = (pdf: Buffer) =>
  verifyPdf(pdf, { anchors: anchorsFor(key, other), now: new Date('2026-11-24T00:00:00Z') });

const sign = (pdf: Buffer, k = key) =>
  signPdf(pdf, { p12: k.p12, passphrase: PASSPHRASE, signingTime: SIGNED_AT });

describe('placeholder', () => {
  test('writes /ByteRange before /Contents, a printable widget with an appearance, SigFlags 3, no NeedAppearances', () => {
    const text = unsigned.toString('latin1');
    expect(text.indexOf('/ByteRange')).toBeLessThan(text.indexOf('/Contents <'));
    expect(text).toMatch(/\/FT \/Sig/);
    expect(text).toMatch(/\/Subtype \/Widget[\s\S]*?\/F 4/);
    expect(text).toMatch(/\/AP <<\s*\/N \d+ 0 R/);
    expect(text).toMatch(/\/TU \(Signature of Alex Morgan\)/);
    expect(text).toMatch(/\/SigFlags 3/);
    expect(text).not.toMatch(/NeedAppearances/);
    expect(text).toMatch(/\/S \/Form/);
    expect(text).toMatch(/\/Type \/OBJR/);
    const place = findPlaceholder(unsigned)!;
    expect((place.contentsEnd - place.contentsStart - 2) / 2).toBe(SIGNATURE_CONTENTS_BYTES);
  });
});

describe('sign and verify', () => {
  test('round trip: one valid PAdES B-B signature covering the whole file', () => {
    const report = verify(signed);
    expect(report.valid).toBe(true);
    expect(report.signatures).toHaveLength(1);
    const [s] = report.signatures;
    expect(s).toMatchObject({
      signer: 'CN=Alex Morgan, emailAddress=alex@example.com',
      selfSigned: true,
      signingTime: SIGNED_AT.toISOString(),
      digestAlgorithm: 'SHA-256',
      digestMatches: true,
      signatureValid: true,
      signingCertificateV2: true,
      certificateValid: true,
      trusted: true,
      fingerprint: key.fingerprint,
      kind: 'approval',
      revision: 1,
      coversWholeFile: true,
      subFilter: 'ETSI.CAdES.detached',
      valid: true,
    });
    expect(s.byteRange[2] + s.byteRange[3]).toBe(signed.length);
  });

  test('same key and signing time give the same bytes', () => {
    expect(sign(unsigned).equals(signed)).toBe(true);
  });

  test('the input buffer is not changed', async () => {
    const input = await makePdf({ placeholder: true });
    const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    const before = sha(input);
    const out = sign(input);
    expect(sha(out)).not.toBe(before);
    expect(sha(input)).toBe(before);
    expect(findPlaceholder(input)).toBeDefined();
  });

  test('an unsigned PDF reports "no signature"', async () => {
    const report = verify(await makePdf());
    expect(report).toMatchObject({ valid: false, reason: 'no signature' });
  });
});

describe('tampering', () => {
  const flip = (pdf: Buffer, at: number, value?: number) => {
    const copy = Buffer.from(pdf);
    copy[at] = value ?? copy[at] ^ 0x01;
    return copy;
  };

  test('a byte flipped in the first signed range: digest mismatch', () => {
    const report = verify(flip(signed, 40));
    expect(report.valid).toBe(false);
    expect(report.reason).toBe('digest mismatch');
  });

  test('a byte flipped in the second signed range: digest mismatch', () => {
    const { end } = contentsRange(signed);
    const report = verify(flip(signed, end + Math.floor((signed.length - end) / 2)));
    expect(report.reason).toBe('digest mismatch');
  });

  test('a byte flipped in the signature itself: invalid signature', () => {
    const { start } = contentsRange(signed);
    const hex = signed.toString('latin1', start + 1, start + 1 + 8);
    // The DER length says where the CMS ends; its last bytes are the RSA signature value.
    const derLength = 4 + parseInt(hex.slice(4, 8), 16);
    const at = start + 1 + (derLength - 20) * 2;
    const tampered = flip(signed, at, signed[at] === 0x41 ? 0x42 : 0x41);
    const report = verify(tampered);
    expect(report.valid).toBe(false);
    expect(report.reason).toMatch(/^invalid signature/);
  });

  test('an incremental update appended after signing: modified after signing', () => {
    const startxref = /startxref\s+(\d+)/.exec(signed.toString('latin1').slice(-64))![1];
    const root = /\/Root (\d+ 0 R)/.exec(signed.toString('latin1'))![1];
    const object = '99 0 obj\n(appended)\nendobj\n';
    const update = Buffer.from(
      `${object}xref\n99 1\n${String(signed.length).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 100 /Root ${root} /Prev ${startxref} >>\nstartxref\n${signed.length + object.length}\n%%EOF\n`,
    );
    const report = verify(Buffer.concat([signed, update]));
    expect(report.signatures[0].intact).toBe(true);
    expect(report.signatures[0].valid).toBe(false);
    expect(report.signatures[0].coversRevision).toBe(true);
    expect(report.valid).toBe(false);
    expect(report.reason).toBe(
      'modified after signing: an object (object 99) was added in revision 2',
    );
    expect(report.appendedAfterLastSignature).toBe(update.length);
  });

  test('a truncated file is an error naming it truncated', () => {
    expect(() => verify(signed.subarray(0, signed.length - 300))).toThrow(
      /^the file is truncated or damaged \(no %%EOF/,
    );
  });

  test('a file truncated before its signature is an error, not a pass', () => {
    expect(() => verify(signed.subarray(0, 200))).toThrow(/truncated/);
  });

  test('not a PDF is a one-line error', () => {
    expect(() => verify(Buffer.from('hello'))).toThrow(
      new CheckError('not a PDF file (no %PDF- header)'),
    );
  });
});

describe('countersigning', () => {
  test('an incremental update with a second field keeps the first signature valid', () => {
    const field = appendSignatureField(signed, {
      name: 'Sam Patel',
      reason: 'Countersigned by Acme Borough Council',
      appearanceLines: [
        'Sam Patel',
        'Senior Information Risk Owner',
        '23 November 2026',
        'Digitally signed by CN=Sam Patel',
      ],
    });
    expect(field.fieldName).toBe('Signature2');
    // Every earlier byte is kept.
    expect(field.pdf.subarray(0, signed.length).equals(signed)).toBe(true);
    const tail = field.pdf.subarray(signed.length).toString('latin1');
    const id = /\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/.exec(signed.toString('latin1'))![0];
    expect(tail).toContain(id);
    expect(tail).toMatch(/\/Prev \d+/);

    const twice = signPdf(field.pdf, {
      p12: other.p12,
      passphrase: PASSPHRASE,
      signingTime: new Date('2026-11-23T09:00:00Z'),
    });
    const report = verify(twice);
    expect(report.valid).toBe(true);
    expect(
      report.signatures.map((s) => [s.signer, s.valid, s.coversWholeFile, s.coversRevision]),
    ).toEqual([
      ['CN=Alex Morgan, emailAddress=alex@example.com', true, false, true],
      ['CN=Sam Patel', true, true, true],
    ]);
  });

  test('a PDF without any field gets one and signs', async () => {
    const plain = await makePdf({ pages: 2 });
    const field = appendSignatureField(plain, { appearanceLines: ['Alex Morgan'] });
    expect(field.visible).toBe(true);
    const report = verify(sign(field.pdf));
    expect(report.valid).toBe(true);
  });
});

describe('refusals: one-line CheckErrors', () => {
  test('wrong passphrase', () => {
    expect(() =>
      signPdf(unsigned, { p12: key.p12, passphrase: 'wrong', signingTime: SIGNED_AT }),
    ).toThrow(new CheckError('the key file: wrong passphrase (check SRQ_KEY_PASSPHRASE)'));
  });

  test('corrupt or non-P12 key file', () => {
    const corrupt = Buffer.from(key.p12);
    corrupt.fill(0x42, 40, 80);
    for (const p12 of [corrupt, Buffer.from('not a key'), crypto.randomBytes(64)]) {
      expect(() =>
        signPdf(unsigned, { p12, passphrase: PASSPHRASE, signingTime: SIGNED_AT }),
      ).toThrow(CheckError);
    }
    expect(() =>
      signPdf(unsigned, { p12: Buffer.from('not a key'), passphrase: PASSPHRASE }),
    ).toThrow(/not a PKCS#12/);
  });

  test('expired certificate, unless allowed', () => {
    const expired = testKey({
      validFrom: new Date('2020-01-01T00:00:00Z'),
      validTo: new Date('2021-01-01T00:00:00Z'),
    });
    expect(() => sign(unsigned, expired)).toThrow(/certificate expired on 2021-01-01/);
    const pdf = signPdf(unsigned, {
      p12: expired.p12,
      passphrase: PASSPHRASE,
      signingTime: SIGNED_AT,
      allowExpired: true,
    });
    const report = verify(pdf);
    expect(report.signatures[0].certificateValid).toBe(false);
    expect(report.reason).toMatch(
      /^the certificate of CN=Alex Morgan, emailAddress=alex@example.com is not valid at 2026-11-24T00:00:00.000Z/,
    );
  });

  test('certificate not yet valid', () => {
    const future = testKey({ validFrom: new Date('2030-01-01T00:00:00Z') });
    expect(() => sign(unsigned, future)).toThrow(/not valid until 2030-01-01/);
  });

  test('key without digitalSignature usage', () => {
    const noSign = testKey({ keyUsage: { digitalSignature: false, nonRepudiation: true } });
    expect(() => sign(unsigned, noSign)).toThrow(/key usage does not include digitalSignature/);
  });

  test('a draft cannot be signed', async () => {
    const draft = await makePdf({ placeholder: true, draft: true });
    expect(() => sign(draft)).toThrow(/draft and cannot be signed/);
  });

  test('errors never contain the passphrase', () => {
    expect.assertions(3);
    const secret = 'Sup3r-S3cret-Passphrase';
    try {
      signPdf(unsigned, { p12: key.p12, passphrase: secret });
    } catch (err) {
      expect(err).toBeInstanceOf(WrongPassphraseError);
      expect(String((err as Error).message)).not.toContain(secret);
      expect(String((err as Error).stack)).not.toContain(secret);
    }
  });
});

describe('keygen', () => {
  test('the common name is a UTF8String and the e-mail an IA5String', () => {
    const k = testKey({ name: 'Zoë Brontë', email: 'zoe@example.com' });
    const der = new crypto.X509Certificate(k.certificatePem).raw;
    // UTF8String (0x0c) "Zoë Brontë" in UTF-8, IA5String (0x16) the address.
    const name = Buffer.from('Zoë Brontë', 'utf8');
    expect(der.includes(Buffer.concat([Buffer.from([0x0c, name.length]), name]))).toBe(true);
    const mail = Buffer.from('zoe@example.com');
    expect(der.includes(Buffer.concat([Buffer.from([0x16, mail.length]), mail]))).toBe(true);
    expect(new crypto.X509Certificate(k.certificatePem).subject).toContain('CN=Zoë Brontë');
  });
});
