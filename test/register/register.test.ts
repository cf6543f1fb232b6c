import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IoError } from '../../src/errors';
import {
  findInRegister,
  isSignedPdf,
  readRegister,
  recordBuild,
  registerPath,
  type RegisterEntry,
} from '../../src/register';
import { ROOT, srq, tempDir, writeFiles } from '../helpers/cli';
import { V1 } from '../helpers/yearly';

const hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function project() {
  const dir = tempDir('srq-register-');
  writeFiles(dir, { 'answers/cloud.yaml': fs.readFileSync(V1), 'output/.gitkeep': '' });
  const pdf = Buffer.from('%PDF-1.7\n% not a real PDF, only bytes to hash\n%%EOF\n');
  fs.writeFileSync(path.join(dir, 'output', 'cloud.pdf'), pdf);
  return {
    dir,
    pdf,
    answers: path.join(dir, 'answers', 'cloud.yaml'),
    out: path.join(dir, 'output'),
  };
}

describe('recordBuild', () => {
  test('appends one JSON line with the hashes of the PDF and the answers file', () => {
    const p = project();
    const e = recordBuild({
      outputDir: p.out,
      pdfPath: path.join(p.out, 'cloud.pdf'),
      pdfBytes: p.pdf,
      answersFile: p.answers,
      version: '3.0',
      template: 'statement',
      tiers: ['managed'],
      buyer: 'Acme Borough Council',
      reference: 'ITT-2026-042',
      signerSubject: 'CN=Catriona Baird, O=Harbourline Cloud Ltd',
      time: new Date('2026-11-22T12:00:00Z'),
    });
    const lines = fs.readFileSync(registerPath(p.out), 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const stored = JSON.parse(lines[0]) as RegisterEntry;
    expect(stored).toEqual(e);
    expect(stored).toEqual({
      format: 1,
      time: '2026-11-22T12:00:00.000Z',
      file: 'cloud.pdf',
      sha256: hex(fs.readFileSync(path.join(p.out, 'cloud.pdf'))),
      bytes: p.pdf.length,
      answersFile: '../answers/cloud.yaml',
      answersSha256: hex(fs.readFileSync(p.answers)),
      version: '3.0',
      template: 'statement',
      tiers: ['managed'],
      buyer: 'Acme Borough Council',
      reference: 'ITT-2026-042',
      signerSubject: 'CN=Catriona Baird, O=Harbourline Cloud Ltd',
      answersCopy: `answers/${hex(fs.readFileSync(p.answers))}.yaml`,
    });
    // The copy kept beside the register is the answers file byte for byte.
    expect(fs.readFileSync(path.join(p.out, stored.answersCopy!))).toEqual(
      fs.readFileSync(p.answers),
    );
  });

  test('creates the output folder; optional fields are left out; answersText is hashed as given', () => {
    const p = project();
    const outDir = path.join(p.dir, 'new-output');
    const e = recordBuild({
      outputDir: outDir,
      pdfPath: path.join(p.dir, 'elsewhere', 'x.pdf'),
      pdfBytes: p.pdf,
      answersFile: p.answers,
      answersText: 'framework: ncsc-2023\n',
      version: '3.0',
      template: 'overview',
      tiers: [],
      time: new Date('2026-11-22T12:00:00Z'),
    });
    expect(e.file).toBe('../elsewhere/x.pdf');
    expect(e.answersSha256).toBe(hex('framework: ncsc-2023\n'));
    expect(Object.keys(e)).not.toEqual(expect.arrayContaining(['buyer']));
    expect(e.signerSubject).toBeUndefined();
    expect(readRegister(registerPath(outDir)).entries).toEqual([e]);
  });

  test('an unwritable register is an I/O error naming the file', () => {
    const p = project();
    fs.mkdirSync(registerPath(p.out)); // a folder where the file should be
    let thrown: unknown;
    try {
      recordBuild({
        outputDir: p.out,
        pdfPath: path.join(p.out, 'cloud.pdf'),
        pdfBytes: p.pdf,
        answersFile: p.answers,
        version: '3.0',
        template: 'statement',
        tiers: [],
        time: new Date(),
      });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(IoError);
    expect((thrown as IoError).message).toMatch(/output\/register\.jsonl: is a directory/);
  });

  test('builds appending at the same time never interleave or lose a line', async () => {
    const p = project();
    const writers = 8;
    const each = 50;
    const script = `
      const { recordBuild } = require(${JSON.stringify(path.join(ROOT, 'dist', 'register', 'index.js'))});
      const big = 'x'.repeat(3000);
      for (let i = 0; i < ${each}; i++) {
        recordBuild({ outputDir: process.argv[1], pdfPath: process.argv[1] + '/w' + process.argv[2] + '-' + i + '.pdf',
          pdfBytes: Buffer.from(process.argv[2] + ':' + i), answersFile: process.argv[3], answersText: big,
          version: '3.0', template: 'statement', tiers: [], buyer: big, time: new Date() });
      }`;
    await Promise.all(
      Array.from(
        { length: writers },
        (_, w) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, ['-e', script, p.out, String(w), p.answers], {
              stdio: 'inherit',
            });
            child.on('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`writer exit ${code}`)),
            );
          }),
      ),
    );
    const { entries, problems } = readRegister(registerPath(p.out));
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(writers * each);
    expect(new Set(entries.map((e) => e.file)).size).toBe(writers * each);
  });
});

describe('readRegister and lookups', () => {
  test('a missing register is empty; bad lines are reported with their line number and skipped', () => {
    const dir = tempDir();
    expect(readRegister(path.join(dir, 'register.jsonl'))).toMatchObject({
      entries: [],
      problems: [],
    });
    const good = {
      format: 1,
      time: '2026-11-22T12:00:00.000Z',
      file: 'a.pdf',
      sha256: 'a'.repeat(64),
      bytes: 1,
      answersFile: '../answers/a.yaml',
      answersSha256: 'b'.repeat(64),
      version: '1.0',
      template: 'statement',
      tiers: [],
    };
    fs.writeFileSync(
      path.join(dir, 'register.jsonl'),
      `${JSON.stringify(good)}\n{"truncated\n\n{"file":1}\n${JSON.stringify({ ...good, file: 'b.pdf' })}\n`,
    );
    const r = readRegister(path.join(dir, 'register.jsonl'));
    expect(r.entries.map((e) => e.file)).toEqual(['a.pdf', 'b.pdf']);
    expect(r.problems.map((d) => [d.line, d.message])).toEqual([
      [2, 'not a JSON line; skipped'],
      [4, 'not a register entry (needs file, sha256, time, version, answersFile); skipped'],
    ]);
    expect(findInRegister(dir, 'A'.repeat(64)).map((e) => e.file)).toEqual(['a.pdf', 'b.pdf']);
    expect(findInRegister(dir, 'c'.repeat(64))).toEqual([]);
  });

  test('isSignedPdf: a filled /ByteRange counts, the unsigned placeholder does not', () => {
    expect(
      isSignedPdf(Buffer.from('<< /Type /Sig /ByteRange [0 1234 5678 910] /Contents <00> >>')),
    ).toBe(true);
    expect(
      isSignedPdf(
        Buffer.from('<< /Type /Sig /ByteRange [0 /********** /********** /**********] >>'),
      ),
    ).toBe(false);
    expect(isSignedPdf(Buffer.from('%PDF-1.7 no signature here'))).toBe(false);
  });
});

describe('srq register (CLI)', () => {
  function withEntries() {
    const p = project();
    const base = {
      outputDir: p.out,
      answersFile: p.answers,
      version: '3.0',
      template: 'statement',
      time: new Date('2026-11-22T12:00:00Z'),
    };
    recordBuild({ ...base, pdfPath: path.join(p.out, 'cloud.pdf'), pdfBytes: p.pdf, tiers: [] });
    recordBuild({
      ...base,
      pdfPath: path.join(p.out, 'acme.pdf'),
      pdfBytes: Buffer.from('signed for acme'),
      tiers: ['managed'],
      buyer: 'Acme Borough Council',
      reference: 'ITT-42',
      signerSubject: 'CN=Catriona Baird',
    });
    fs.writeFileSync(path.join(p.out, 'acme.pdf'), 'signed for acme, then edited');
    return p;
  }

  test('lists entries and whether each file still matches its hash', () => {
    const p = withEntries();
    const r = srq(['register'], { cwd: p.dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'TIME',
      'FILE',
      'VERSION',
      'TEMPLATE',
      'TIERS',
      'FOR',
      'SIGNED BY',
      'SHA-256',
      'STATE',
    ]);
    expect(lines[1]).toMatch(
      /^2026-11-22T12:00:00Z\s+output\/cloud\.pdf\s+3\.0\s+statement\s+all\s+[0-9a-f]{16}\s+ok$/,
    );
    expect(lines[2]).toMatch(
      /output\/acme\.pdf\s+3\.0\s+statement\s+managed\s+Acme Borough Council \/ ITT-42\s+CN=Catriona Baird\s+[0-9a-f]{16}\s+changed$/,
    );
    expect(lines[4]).toBe(
      '2 document(s) in output/register.jsonl, 1 signed; state: ok = file matches its recorded SHA-256',
    );
    fs.rmSync(path.join(p.out, 'cloud.pdf'));
    expect(srq(['register'], { cwd: p.dir }).stdout).toMatch(/cloud\.pdf.*missing$/m);
  });

  test('--json and --register', () => {
    const p = withEntries();
    const moved = path.join(p.dir, 'elsewhere.jsonl');
    fs.copyFileSync(registerPath(p.out), moved);
    const r = srq(['register', '--json'], { cwd: p.dir });
    const j = JSON.parse(r.stdout) as {
      register: string;
      entries: (RegisterEntry & { state: string; path: string })[];
    };
    expect(j.register).toBe('output/register.jsonl');
    expect(j.entries.map((e) => [e.path, e.state, e.sha256])).toEqual([
      ['output/cloud.pdf', 'ok', hex(p.pdf)],
      ['output/acme.pdf', 'changed', hex('signed for acme')],
    ]);
    const none = srq(['register', '--register', 'nothing.jsonl'], { cwd: p.dir });
    expect(none.code).toBe(0);
    expect(none.stdout).toBe(
      'nothing.jsonl: no documents recorded yet (srq build adds one line per document)\n',
    );
  });
});
