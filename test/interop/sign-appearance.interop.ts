import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, srq, tempDir } from '../helpers/cli';
import { signatureWidgets } from '../helpers/signature-boxes';
import { makePdf } from '../sign/helpers';

/**
 * The visible signatures as poppler draws them (pdftotext -bbox): every word a widget's box
 * holds is its appearance's own text (no page text under the box, no word cut by its edge) for
 * very long subjects on build --sign, srq sign of an unsigned statement, a countersignature in
 * the reserved field and a PDF srq did not make. And a statement certified by srq sign (not
 * build --sign) and then countersigned in the field srq sign reserved: pdfsig and mutool report
 * both signatures valid. Needs poppler-utils and mupdf-tools.
 */
const PASS = 'Pässwörd-ключ-🔑';
const env = { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', SRQ_KEY_PASSPHRASE: PASS };
const EMAIL = 'procurement.and.commercial.assurance@department-for-example-affairs.gov.uk';
const CN200 = 'Very Long Company Name, Subdivision of Assurance '.repeat(5).slice(0, 200);
const CN600 = 'Ünïcödé Départment für Überlange Namen, Отдел подписей и печатей; '
  .repeat(10)
  .slice(0, 600);
let dir: string;
const file = (name: string) => path.join(dir, name);
const run = (args: string[]) => {
  const r = srq(args, { cwd: dir, env });
  if (r.code !== 0) throw new Error(`srq ${args.join(' ')}: ${r.stderr}`);
  return r;
};
const tool = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return r.stdout + r.stderr;
};

beforeAll(async () => {
  dir = tempDir('srq-sign-appearance-interop-');
  run(['keygen', '--name', 'Catriona Baird', '--email', 'c.baird@example.com', '-o', 'prov.p12']);
  run(['keygen', '--name', 'Sam Patel', '-o', 'cust.p12']);
  run(['keygen', '--name', CN200, '--email', EMAIL, '-o', 'long200.p12']);
  run(['keygen', '--name', CN600, '--email', EMAIL, '-o', 'long600.p12']);
  run(['build', EXAMPLE, '-o', 'statement.pdf']);
  fs.writeFileSync(file('plain.pdf'), await makePdf());
  run(['sign', 'statement.pdf', '--key', 'prov.p12', '-o', 'certified.pdf']);
  run(['sign', 'certified.pdf', '--key', 'cust.p12', '-o', 'countersigned.pdf']);
  run(['sign', 'certified.pdf', '--key', 'long200.p12', '-o', 'counter-long200.pdf']);
  run(['sign', 'statement.pdf', '--key', 'long600.p12', '-o', 'sign-long600.pdf']);
  run(['build', EXAMPLE, '--sign', '--key', 'long600.p12', '-o', 'build-long600.pdf']);
  run(['sign', 'plain.pdf', '--key', 'long600.p12', '-o', 'plain-long600.pdf']);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

/** pdftotext's words on a page, in PDF user space (origin bottom-left). */
function words(name: string, page: number): Word[] {
  const bbox = tool('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', name, '-']);
  const height = Number(/<page width="[\d.]+" height="([\d.]+)"/.exec(bbox)![1]);
  return [
    ...bbox.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    ),
  ].map((m) => ({
    x0: +m[1],
    y0: height - +m[4],
    x1: +m[3],
    y1: height - +m[2],
    text: m[5].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
  }));
}

/** The characters of a text, sorted: the same multiset whatever order a tool reads them in. */
const chars = (t: string) => [...t.replace(/\s/g, '')].sort().join('');

describe.each([
  ['build --sign, 600-character subject', 'build-long600.pdf', CN600],
  ['srq sign of the unsigned statement, 600-character subject', 'sign-long600.pdf', CN600],
  ['countersignature in the reserved field, 200-character subject', 'counter-long200.pdf', CN200],
  ['srq sign of a PDF srq did not make, 600-character subject', 'plain-long600.pdf', CN600],
])('%s', (_label, name, cn) => {
  test('every word inside a signature box is the box’s own text; none straddles its edge', () => {
    const list = signatureWidgets(fs.readFileSync(file(name)));
    expect(list.length).toBeGreaterThan(0);
    for (const w of list) {
      const [x0, y0, x1, y1] = w.rect;
      const page = words(name, w.page);
      const touching = page.filter((p) => p.x0 < x1 && p.x1 > x0 && p.y0 < y1 && p.y1 > y0);
      const inside = touching.filter(
        (p) => p.x0 >= x0 - 1 && p.x1 <= x1 + 1 && p.y0 >= y0 - 1 && p.y1 <= y1 + 1,
      );
      expect({ field: w.field, straddling: touching.filter((p) => !inside.includes(p)) }).toEqual({
        field: w.field,
        straddling: [],
      });
      // Nothing but the appearance: page text under the box would add characters.
      expect(chars(inside.map((p) => p.text).join(''))).toBe(chars(w.text));
    }
    const signed = list.filter((w) => w.filled).pop()!;
    expect(signed.text.replace(/\s/g, '')).toContain(
      `Digitally signed by ${cn}; ${EMAIL}`.replace(/\s/g, ''),
    );
  });
});

test('a statement certified by srq sign and countersigned in its reserved field: pdfsig and mutool validate both', () => {
  const out = tool('pdfsig', ['countersigned.pdf']);
  expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
  expect(out).toContain('Signature Field Name: Countersignature');
  expect(out.trimEnd().split('Signature #').pop()).toContain('Total document signed');
  const mu = tool('mutool', ['sign', '-v', 'countersigned.pdf']);
  expect(mu.match(/Verifying signature/g)).toHaveLength(2);
  expect(mu).toMatch(/The document is unchanged since signing\./);
  expect(mu).not.toMatch(/not valid|invalid|Digest/i);
  const v = srq(
    ['verify', 'countersigned.pdf', '--trust', 'prov-cert.pem', '--trust', 'cust-cert.pem'],
    {
      cwd: dir,
      env,
    },
  );
  expect(v.code).toBe(0);
});
