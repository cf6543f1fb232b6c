import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../../src/build-document';
import { loadModel } from '../../src/model/resolve';
import { testModel } from '../helpers/model';
import { tempDir } from '../helpers/cli';
import { xmpPacket } from '../helpers/pdf';

/** Checks built statements with independent tools (poppler, qpdf). Run: npm run test:interop. */
const EXAMPLE = path.resolve(__dirname, '..', '..', 'answers', 'example-cloud.yaml');
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

describe.each([
  ['the example', () => loadModel(EXAMPLE).model],
  ['a 6-tier stress case', () => testModel({ tiers: 6, providerName: 'Smith & Sons <Ltd>' })],
])('%s', (_name, makeModel) => {
  let file: string;
  beforeAll(async () => {
    const { pdf } = await buildDocument(makeModel());
    file = path.join(tempDir(), 'statement.pdf');
    fs.writeFileSync(file, pdf);
  });

  test('qpdf --check is clean', () => {
    const r = run('qpdf', ['--check', file]);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/WARNING/i);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
  });

  test('pdffonts: every font embedded', () => {
    const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
  });

  test('pdfinfo: tagged, A4, title shown', () => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89/);
    expect(info).toMatch(/Title:\s+Following the NCSC Cloud Security Principles/);
  });

  test('XMP: pdfaid part 2 and well-formed XML', () => {
    const xmp = xmpPacket(fs.readFileSync(file));
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
    const xml = path.join(path.dirname(file), 'xmp.xml');
    fs.writeFileSync(xml, xmp.replace(/<\?xpacket[^>]*\?>/g, ''));
    // NOTE: python3's expat is on every CI image; xmllint is not.
    const r = run('python3', ['-c', 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])', xml]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('pdfinfo -struct: headings and a table with TH cells', () => {
    const s = execFileSync('pdfinfo', ['-struct', file], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const tag of [
      'Document',
      'Sect',
      'H1',
      'H2',
      'P',
      'L',
      'LI',
      'LBody',
      'Table',
      'TR',
      'TH',
      'TD',
    ]) {
      expect(s).toMatch(new RegExp(`^\\s*${tag}\\b`, 'm'));
    }
  });
});
