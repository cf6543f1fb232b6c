import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir, writeFiles } from '../helpers/cli';
import { PASSPHRASE, testKey } from '../sign/helpers';

/**
 * The overview and the customer split, built and signed through the CLI, checked with
 * independent tools like the statement (statement.interop.ts). Run: npm run test:interop.
 */
const dir = tempDir();
const env = { SRQ_KEY_PASSPHRASE: PASSPHRASE };

beforeAll(() => {
  const key = testKey({ name: 'Interop Signer TEST' });
  writeFiles(dir, { 'key.p12': key.p12, 'key-cert.pem': key.certificatePem });
  fs.copyFileSync(EXAMPLE, path.join(dir, 'example-cloud.yaml'));
  fs.copyFileSync(EXAMPLE_CUSTOMER, path.join(dir, 'example-customer.yaml'));
});

describe.each([
  ['overview', ['example-cloud.yaml', '--template', 'overview']],
  ['customer split', ['example-customer.yaml']],
])('%s, signed', (name, args) => {
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.pdf`);
  beforeAll(() => {
    const r = srq(['build', ...args, '-o', file, '--sign', '--key', 'key.p12'], { cwd: dir, env });
    expect(r.stderr).not.toMatch(/^srq: (?!warning)/m);
    expect(r.code).toBe(0);
  });

  test('pdfsig: Signature is Valid, whole document signed', () => {
    const out = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('Total document signed');
    expect(out).toContain('ETSI.CAdES.detached');
  });

  test('qpdf --check clean, fonts embedded, tagged, PDF/A claim kept', () => {
    const q = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    expect(q.status).toBe(0);
    expect(q.stdout + q.stderr).not.toMatch(/WARNING/i);
    for (const l of execFileSync('pdffonts', [file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2)) {
      expect(l).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
    }
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
    expect(fs.readFileSync(file).toString('latin1')).toContain('<pdfaid:part>2</pdfaid:part>');
    const s = execFileSync('pdfinfo', ['-struct', file], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const tag of ['Document', 'H1', 'P', 'Form'])
      expect(s).toMatch(new RegExp(`^\\s*${tag}\\b`, 'm'));
  });

  test('srq verify agrees', () => {
    expect(srq(['verify', file, '--trust', 'key-cert.pem'], { cwd: dir }).code).toBe(0);
  });
});

test('the customer countersigns the provider-signed statement: pdfsig shows two valid signatures', () => {
  const statement = path.join(dir, 'statement.pdf');
  expect(
    srq(['build', 'example-cloud.yaml', '-o', statement, '--sign', '--key', 'key.p12'], {
      cwd: dir,
      env,
    }).code,
  ).toBe(0);
  const counter = srq(['sign', statement, '--key', 'key.p12', '-o', 'countersigned.pdf'], {
    cwd: dir,
    env,
  });
  expect(counter.code).toBe(0);
  const out = execFileSync('pdfsig', [path.join(dir, 'countersigned.pdf')], { encoding: 'utf8' });
  expect(out.match(/Signature is Valid\./g)).toHaveLength(2);
  expect(
    spawnSync('qpdf', ['--check', path.join(dir, 'countersigned.pdf')], { encoding: 'utf8' })
      .status,
  ).toBe(0);
});
