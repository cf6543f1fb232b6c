import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  EXAMPLE,
  EXAMPLE_CUSTOMER,
  ROOT,
  srq,
  tempDir,
  writeFiles,
  type CliResult,
} from '../helpers/cli';
import { makePdf, testKey, PASSPHRASE } from '../sign/helpers';
import { objectsText } from '../helpers/pdf-objects';

/**
 * Bad inputs to every command, one table row each, run through the real CLI (dist/, via
 * bin/srq.js). Every row checks the contract in architecture.md: the documented exit code, one
 * line on stderr naming the offending file with a fix hint, no stack trace, nothing written at
 * the output path, no temporary files, and every input file byte for byte as it was.
 *
 * Each row runs in its own fresh folder (its "sandbox"): the whole folder is hashed before and
 * after, so anything created, removed or changed there fails the row.
 */

type Category =
  | 'answers'
  | 'catalogue'
  | 'templates'
  | 'logo'
  | 'fonts'
  | 'keys'
  | 'pdf'
  | 'output'
  | 'yaml-bomb'
  | 'prototype-keys'
  | 'size-limit'
  | 'encoding'
  | 'directory'
  | 'interactive';

interface Row {
  name: string;
  category: Category;
  /** Writes the row's input files into its sandbox. */
  setup?: (dir: string) => void;
  /** Undoes what the snapshot or the temp-folder cleanup cannot (permissions). */
  cleanup?: (dir: string) => void;
  args: string[];
  /** Extra environment; every row has the right key passphrase unless it says otherwise. */
  env?: Record<string, string>;
  code: 0 | 1 | 2 | 3;
  /** The file the error line must name (its basename at least). */
  file: string;
  /** A word of the fix hint, found in the line's hint part (in parentheses or after "; "). */
  hint: string;
  /**
   * Lines allowed besides the one error line, each matching this; the row name says which.
   * Validation errors are followed by a count summary line.
   */
  extra?: RegExp;
  /** The -o target: must not exist afterwards. */
  output?: string;
  /** Why the row cannot run here (shown in its name). */
  skip?: string;
  /** Checks beyond the sandbox (a device outside it is still a device). */
  after?: (dir: string) => void;
  /** Text of an input that must appear in no output (stderr or stdout). */
  secret?: string;
  /** What the error line must say (beyond the file and the hint). */
  line?: RegExp;
  /** Standard input for the command. */
  input?: string;
}

const VALIDATE_SUMMARY = /^\S+: \d+ error\(s\), \d+ warning\(s\)$/;
const BUILD_SUMMARY = /^srq: \S+: \d+ error\(s\); fix them and run srq validate again$/;
const DIFF_SUMMARY = /^srq: \S+: \d+ error\(s\) in this version; fix them \(srq validate\)/;

const MB = 1024 * 1024;
const RIGHT_ENV = { SRQ_KEY_PASSPHRASE: PASSPHRASE };

/** Shared inputs, made once: the answers text, keys, PDFs. */
const fx: {
  dir: string;
  answers: string;
  p12: Record<'good' | 'expired' | 'noSigning', Buffer>;
  plainPdf: Buffer;
  signedPdf: Buffer;
  /** The good key's certificate, for `verify --trust`. */
  certPem: string;
} = {
  dir: '',
  answers: '',
  p12: { good: Buffer.alloc(0), expired: Buffer.alloc(0), noSigning: Buffer.alloc(0) },
  plainPdf: Buffer.alloc(0),
  signedPdf: Buffer.alloc(0),
  certPem: '',
};

/** The example with one textual edit; fails loudly if the edit did not apply. */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`edit did not apply: ${String(from)}`);
  return out;
}

const answersWith = (from: string | RegExp, to: string) => edit(fx.answers, from, to);
const withFramework = (ref: string) => answersWith(/^framework: ncsc-2023$/m, `framework: ${ref}`);
const withLogo = (logo: string) => answersWith(/^( {2}name: .*)$/m, `$1\n  logo: ${logo}`);

/** A git repository in `dir` with `name` committed at `size` bytes (a comment), then removed. */
function gitWithFile(dir: string, name: string, size: number): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q');
  fs.writeFileSync(path.join(dir, name), `#${'x'.repeat(size - 2)}\n`);
  git('add', name);
  git('commit', '-qm', 'big');
  fs.rmSync(path.join(dir, name));
}

/** A file of `size` bytes that takes no disk space (its size is what the limit checks). */
function sparseFile(file: string, size: number, head = ''): void {
  fs.writeFileSync(file, head);
  fs.truncateSync(file, size);
}

/** A copy of the built-in statement template set at <dir>/tpl/statement. */
function templateCopy(dir: string): string {
  const set = path.join(dir, 'tpl', 'statement');
  fs.cpSync(path.join(ROOT, 'templates', 'statement'), set, { recursive: true });
  return set;
}

function appendTo(file: string, text: string): void {
  fs.appendFileSync(file, text);
}

const DEJAVU = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** A template set with a fonts/ folder holding `files`. */
function fontsSet(dir: string, files: Record<string, string | Buffer>): void {
  const set = templateCopy(dir);
  fs.mkdirSync(path.join(set, 'fonts'));
  writeFiles(path.join(set, 'fonts'), files);
}

/** A one-page PDF written by hand: `trailer` adds trailer entries, `objects` more objects. */
function handPdf(options: { trailer?: string; objects?: string[]; startxref?: number } = {}) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    ...(options.objects ?? []),
  ];
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${options.trailer ?? ''}>>\n`;
  out += `startxref\n${options.startxref ?? xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** An incremental update appended after the signature (a changed page object). */
function withIncrementalUpdate(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const prev = [...text.matchAll(/startxref\s+(\d+)/g)].pop()![1];
  const size = Number([...text.matchAll(/\/Size (\d+)/g)].pop()![1]);
  const root = /\/Root (\d+ \d+ R)/.exec(text)![1];
  const obj = `${size} 0 obj\n<< /Producer (appended later) >>\nendobj\n`;
  const at = pdf.length;
  const xref = at + obj.length;
  const update =
    `${obj}xref\n${size} 1\n${String(at).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}

/** A FIFO (named pipe) at `file`: reading it would wait for a writer forever. */
function fifo(file: string): void {
  fs.rmSync(file, { force: true });
  execFileSync('mkfifo', [file]);
}

/** A PNG chunk: length, type, data, CRC. */
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG whose header claims `width`×`height` (colour type 6 is RGBA), with `idat` as data. */
function png(width: number, height: number, idat: Buffer, colour = 6): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colour;
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real 64×64 RGBA PNG with noisy pixels (so it compresses little). */
function rgbaPng(): Buffer {
  const raw = Buffer.alloc(64 * (1 + 64 * 4));
  for (let i = 0; i < raw.length; i++) raw[i] = i % (1 + 64 * 4) === 0 ? 0 : (i * 7919) % 251;
  return png(64, 64, zlib.deflateSync(raw));
}

/** A valid 16×16 grey PNG of 1 bit per pixel, Adam7-interlaced (its passes, all rows filter 0). */
function interlacedOneBitPng(): Buffer {
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  const rows: Buffer[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((16 - x0) / dx);
    const h = Math.ceil((16 - y0) / dy);
    for (let r = 0; r < h; r++) rows.push(Buffer.alloc(1 + Math.ceil(w / 8), 0x55).fill(0, 0, 1));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16, 0);
  ihdr.writeUInt32BE(16, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // grey
  ihdr[12] = 1; // Adam7
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-principle catalogue with Object.prototype names as ids, and answers for it. */
function protoProject(d: string, tiers: string[], answered: string[]): void {
  writeFiles(d, {
    'cat.yaml': `${CATALOGUE_HEAD}  - id: toString\n    title: To string\n    requirement: Do it.\n`,
    'p.yaml': [
      'framework: cat.yaml',
      'provider:\n  name: Proto Ltd',
      'service:\n  name: Proto\n  summary: A service.',
      `tiers:\n${tiers.map((t) => `  - id: ${t}\n    name: Tier ${t}\n    summary: A tier.`).join('\n')}`,
      'document:\n  title: Statement\n  version: "1.0"\n  issued: 2026-01-01\n  review: 2027-01-01',
      'signatory:\n  name: N\n  role: R',
      `answers:\n  toString:\n    provider: We do it.\n    tiers:\n${answered.map((t) => `      ${t}: provider`).join('\n')}`,
      '',
    ].join('\n'),
  });
}

/** A secret-looking value; a row with `secret` fails if it appears in any output. */
const SECRET = 'sk-live-7f3a9c2e51d84b06';
const SECRET_LINE = `API_KEY=${SECRET}`;

const CATALOGUE_HEAD = 'id: my-catalogue\ntitle: My catalogue\nversion: "1"\nprinciples:\n';

/* ------------------------------------------------------------------------------------------ */

const rows: Row[] = [
  // --- answers files (validate.test.ts covers many more) ---
  {
    name: 'validate: YAML syntax error (+ error-count summary line)',
    category: 'answers',
    setup: (d) => writeFiles(d, { 'bad.yaml': 'framework: [\nprovider:\n' }),
    args: ['validate', 'bad.yaml'],
    code: 1,
    file: 'bad.yaml',
    hint: 'check the indentation',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: tab indentation (+ summary line)',
    category: 'answers',
    setup: (d) => writeFiles(d, { 'tabs.yaml': 'framework: ncsc-2023\nprovider:\n\tname: X\n' }),
    args: ['validate', 'tabs.yaml'],
    code: 1,
    file: 'tabs.yaml',
    hint: 'never tabs',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: a date of the wrong form is one error, not two (+ summary line)',
    category: 'answers',
    setup: (d) =>
      writeFiles(d, { 'a.yaml': answersWith(/issued: \d{4}-\d\d-\d\d/, 'issued: soon') }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'write e.g. 2026-11-22',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: a misspelt key (+ summary line)',
    category: 'answers',
    setup: (d) => writeFiles(d, { 'a.yaml': answersWith(/^service:/m, 'servce:') }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: "did you mean 'service'",
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'build: YAML syntax error, no PDF (+ summary line)',
    category: 'answers',
    setup: (d) => writeFiles(d, { 'bad.yaml': 'framework: [\nprovider:\n' }),
    args: ['build', 'bad.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'bad.yaml',
    hint: 'check the indentation',
    extra: BUILD_SUMMARY,
    output: 'out.pdf',
  },
  {
    name: 'export: a list where text is expected, no export (+ summary line)',
    category: 'answers',
    setup: (d) =>
      writeFiles(d, { 'a.yaml': answersWith(/^( {2}version: ).*$/m, '  version: [3]') }),
    args: ['export', 'a.yaml', '--format', 'csv', '-o', 'out.csv'],
    code: 1,
    file: 'a.yaml',
    hint: 'expected text',
    extra: BUILD_SUMMARY,
    output: 'out.csv',
  },
  {
    name: 'diff: the new version does not parse (+ summary line)',
    category: 'answers',
    setup: (d) => writeFiles(d, { 'old.yaml': fx.answers, 'new.yaml': 'framework: [\n' }),
    args: ['diff', 'old.yaml', 'new.yaml'],
    code: 1,
    file: 'new.yaml',
    hint: 'check the indentation',
    extra: DIFF_SUMMARY,
  },
  {
    name: 'build: no such answers file',
    category: 'answers',
    args: ['build', 'missing.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'missing.yaml',
    hint: 'check the path',
    output: 'out.pdf',
  },
  {
    name: 'status: no such folder',
    category: 'answers',
    args: ['status', 'nowhere'],
    code: 3,
    file: 'nowhere',
    hint: 'check the path',
  },
  {
    name: 'status: a folder without answers files',
    category: 'answers',
    setup: (d) => fs.mkdirSync(path.join(d, 'empty')),
    args: ['status', 'empty'],
    code: 2,
    file: 'empty',
    hint: 'give the folder that holds them',
  },
  {
    name: 'register: a binary register file is one warning, exit 0',
    category: 'encoding',
    setup: (d) => {
      const noise = Buffer.alloc(8192);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 256;
      writeFiles(d, { 'reg.jsonl': noise });
    },
    args: ['register', '--register', 'reg.jsonl'],
    code: 0,
    file: 'reg.jsonl',
    hint: 'restore it from a backup',
  },

  // --- catalogue files given by path (framework: <file>) ---
  {
    name: 'validate: catalogue with a duplicate id (+ summary line)',
    category: 'catalogue',
    setup: (d) =>
      writeFiles(d, {
        'cat.yaml': `${CATALOGUE_HEAD}  - id: "1"\n    title: One\n    requirement: Do one.\n  - id: "1"\n    title: Again\n    requirement: Do it again.\n`,
        'a.yaml': withFramework('cat.yaml'),
      }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'cat.yaml',
    hint: 'every id must be unique',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'build: catalogue sub-principle not under its parent (+ summary line)',
    category: 'catalogue',
    setup: (d) =>
      writeFiles(d, {
        'cat.yaml': `${CATALOGUE_HEAD}  - id: "1"\n    title: One\n    requirement: Do one.\n    principles:\n      - id: "2.1"\n        title: Sub\n        requirement: Do a part.\n`,
        'a.yaml': withFramework('cat.yaml'),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'cat.yaml',
    hint: 'number it 1.1',
    extra: BUILD_SUMMARY,
    output: 'out.pdf',
  },
  {
    name: 'validate: catalogue file missing (+ summary line)',
    category: 'catalogue',
    setup: (d) => writeFiles(d, { 'a.yaml': withFramework('frameworks/mine.yaml') }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'mine.yaml',
    hint: 'a path to a catalogue file',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: catalogue with a YAML syntax error (+ summary line)',
    category: 'catalogue',
    setup: (d) =>
      writeFiles(d, { 'cat.yaml': 'id: [\nprinciples:\n', 'a.yaml': withFramework('cat.yaml') }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'cat.yaml',
    hint: 'check the indentation',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: catalogue path is a folder (+ summary line)',
    category: 'directory',
    setup: (d) => {
      fs.mkdirSync(path.join(d, 'cat.yaml'));
      writeFiles(d, { 'a.yaml': withFramework('cat.yaml') });
    },
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'cat.yaml',
    hint: 'give a file path',
    extra: VALIDATE_SUMMARY,
  },

  // --- templates via --templates DIR ---
  {
    name: 'build --templates: Handlebars syntax error',
    category: 'templates',
    setup: (d) =>
      appendTo(path.join(templateCopy(d), 'cover.md.hbs'), '\n{{#if x}} never closed\n'),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 1,
    file: 'cover.md.hbs',
    hint: 'fix the template',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: unknown helper',
    category: 'templates',
    setup: (d) =>
      appendTo(path.join(templateCopy(d), 'cover.md.hbs'), '\n{{shout service.name}}\n'),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 1,
    file: 'cover.md.hbs',
    hint: 'fix the template',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: missing partial',
    category: 'templates',
    setup: (d) => appendTo(path.join(templateCopy(d), 'cover.md.hbs'), '\n{{> no-such-part}}\n'),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 1,
    file: 'cover.md.hbs',
    hint: 'fix the template',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: set without document.md.hbs',
    category: 'templates',
    setup: (d) => fs.rmSync(path.join(templateCopy(d), 'document.md.hbs')),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 2,
    file: 'document.md.hbs',
    hint: 'expected statement/document.md.hbs',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: no such folder',
    category: 'templates',
    args: ['build', 'a.yaml', '--templates', 'my-templates', '-o', 'out.pdf'],
    code: 3,
    file: 'my-templates',
    hint: 'check --templates',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: names a file, not a folder',
    category: 'directory',
    setup: (d) => writeFiles(d, { 'tpl.hbs': '# not a folder\n' }),
    args: ['build', 'a.yaml', '--templates', 'tpl.hbs', '-o', 'out.pdf'],
    code: 3,
    file: 'tpl.hbs',
    hint: 'a folder of template sets',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: a binary partial',
    category: 'encoding',
    setup: (d) =>
      fs.writeFileSync(
        path.join(templateCopy(d), 'cover.md.hbs'),
        Buffer.from([0x7b, 0x7b, 0xff, 0xfe, 0x00, 0x81, 0x7d, 0x7d]),
      ),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 1,
    file: 'cover.md.hbs',
    hint: 'save it as UTF-8',
    output: 'out.pdf',
  },

  // --- logos (provider.logo, relative to the answers file) ---
  {
    name: 'build: logo file missing',
    category: 'logo',
    setup: (d) => writeFiles(d, { 'a.yaml': withLogo('logos/logo.png') }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'logo.png',
    hint: 'relative to the answers file',
    output: 'out.pdf',
  },
  {
    name: 'build: corrupt PNG (right signature, broken data)',
    category: 'logo',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': withLogo('logo.png'),
        'logo.png': Buffer.concat([
          Buffer.from('89504e470d0a1a0a0000000d4948445200000010000000100802000000', 'hex'),
          Buffer.from('not zlib data at all, just noise'),
        ]),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'logo.png',
    hint: 'use a PNG or JPEG file',
    output: 'out.pdf',
  },
  {
    name: 'build: a text file named .png',
    category: 'logo',
    setup: (d) => writeFiles(d, { 'a.yaml': withLogo('logo.png'), 'logo.png': 'our logo\n' }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'logo.png',
    hint: 'use a PNG or JPEG file',
    output: 'out.pdf',
  },
  {
    name: 'build: unsupported logo format (GIF)',
    category: 'logo',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': withLogo('logo.gif'),
        'logo.gif': Buffer.from(
          '47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b',
          'hex',
        ),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'logo.gif',
    hint: 'use a PNG or JPEG file',
    output: 'out.pdf',
  },
  {
    name: 'build: logo path is a folder',
    category: 'directory',
    setup: (d) => {
      fs.mkdirSync(path.join(d, 'logo.png'));
      writeFiles(d, { 'a.yaml': withLogo('logo.png') });
    },
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'logo.png',
    hint: 'give a file path',
    output: 'out.pdf',
  },
  {
    name: 'build: a 21 MB logo is over the limit',
    category: 'size-limit',
    setup: (d) => {
      writeFiles(d, { 'a.yaml': withLogo('logo.png') });
      sparseFile(path.join(d, 'logo.png'), 21 * MB, '\x89PNG\r\n\x1a\n');
    },
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'logo.png',
    hint: 'is this the right file',
    output: 'out.pdf',
  },

  // --- fonts: a template set's fonts/ folder ---
  {
    name: 'build --templates: corrupt font (cut short)',
    category: 'fonts',
    setup: (d) =>
      fontsSet(d, {
        'regular.ttf': fs.readFileSync(path.join(DEJAVU, 'DejaVuSerif.ttf')).subarray(0, 200_000),
      }),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 1,
    file: 'regular.ttf',
    hint: 'use another copy of the font',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: missing font (a link to nowhere)',
    category: 'fonts',
    setup: (d) => {
      fontsSet(d, {});
      fs.symlinkSync(
        path.join(d, 'gone', 'Serif.ttf'),
        path.join(d, 'tpl', 'statement', 'fonts', 'bold.ttf'),
      );
    },
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 3,
    file: 'bold.ttf',
    hint: 'copy the font file itself',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: a text file named regular.ttf',
    category: 'fonts',
    setup: (d) => fontsSet(d, { 'regular.ttf': 'font goes here\n' }),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 1,
    file: 'regular.ttf',
    hint: 'use a .ttf or .otf font file',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: unsupported font format (WOFF2)',
    category: 'fonts',
    setup: (d) => fontsSet(d, { 'mono.woff2': Buffer.from('wOF2\0\x01\0\0 rest of a web font') }),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 1,
    file: 'mono.woff2',
    hint: 'convert it to a .ttf or .otf file',
    output: 'out.pdf',
  },
  {
    name: 'build --templates: a font file with a face name srq does not know',
    category: 'fonts',
    setup: (d) =>
      fontsSet(d, { 'serif.ttf': fs.readFileSync(path.join(DEJAVU, 'DejaVuSerif.ttf')) }),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 1,
    file: 'serif.ttf',
    hint: 'name the files regular, bold, italic, bold-italic or mono',
    output: 'out.pdf',
  },

  // --- keys ---
  {
    name: 'sign: wrong passphrase',
    category: 'keys',
    setup: (d) => writeFiles(d, { 'in.pdf': fx.plainPdf, 'key.p12': fx.p12.good }),
    args: ['sign', 'in.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    env: { SRQ_KEY_PASSPHRASE: 'not the passphrase' },
    code: 1,
    file: 'key.p12',
    hint: 'check SRQ_KEY_PASSPHRASE',
    output: 'out.pdf',
  },
  {
    name: 'build --sign: wrong passphrase, nothing built',
    category: 'keys',
    setup: (d) => writeFiles(d, { 'key.p12': fx.p12.good }),
    args: ['build', 'a.yaml', '--sign', '--key', 'key.p12', '-o', 'out.pdf'],
    env: { SRQ_KEY_PASSPHRASE: 'not the passphrase' },
    code: 1,
    file: 'key.p12',
    hint: 'check SRQ_KEY_PASSPHRASE',
    output: 'out.pdf',
  },
  {
    name: 'sign: corrupt P12 (cut in half)',
    category: 'keys',
    setup: (d) =>
      writeFiles(d, {
        'in.pdf': fx.plainPdf,
        'key.p12': fx.p12.good.subarray(0, fx.p12.good.length >> 1),
      }),
    args: ['sign', 'in.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'key.p12',
    hint: 'srq keygen',
    output: 'out.pdf',
  },
  {
    name: 'sign: not a P12 (a PEM certificate)',
    category: 'keys',
    setup: (d) =>
      writeFiles(d, {
        'in.pdf': fx.plainPdf,
        'cert.pem':
          '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n',
      }),
    args: ['sign', 'in.pdf', '--key', 'cert.pem', '-o', 'out.pdf'],
    code: 1,
    file: 'cert.pem',
    hint: 'export the key and certificate together',
    output: 'out.pdf',
  },
  {
    name: 'build --sign: expired certificate',
    category: 'keys',
    setup: (d) => writeFiles(d, { 'old.p12': fx.p12.expired }),
    args: ['build', 'a.yaml', '--sign', '--key', 'old.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'old.p12',
    hint: '--allow-expired',
    output: 'out.pdf',
  },
  {
    name: 'sign: certificate without digitalSignature key usage',
    category: 'keys',
    setup: (d) => writeFiles(d, { 'in.pdf': fx.plainPdf, 'enc-only.p12': fx.p12.noSigning }),
    args: ['sign', 'in.pdf', '--key', 'enc-only.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'enc-only.p12',
    hint: 'use a signing certificate',
    output: 'out.pdf',
  },
  {
    name: 'sign: key file missing',
    category: 'keys',
    setup: (d) => writeFiles(d, { 'in.pdf': fx.plainPdf }),
    args: ['sign', 'in.pdf', '--key', 'keys/provider.p12', '-o', 'out.pdf'],
    code: 3,
    file: 'provider.p12',
    hint: 'check the path',
    output: 'out.pdf',
  },
  {
    name: 'sign: --key is a folder',
    category: 'directory',
    setup: (d) => {
      writeFiles(d, { 'in.pdf': fx.plainPdf });
      fs.mkdirSync(path.join(d, 'keys'));
    },
    args: ['sign', 'in.pdf', '--key', 'keys', '-o', 'out.pdf'],
    code: 3,
    file: 'keys',
    hint: 'give a file path',
    output: 'out.pdf',
  },

  // --- PDFs to verify or sign ---
  {
    name: 'verify: not a PDF',
    category: 'pdf',
    setup: (d) => writeFiles(d, { 'doc.pdf': 'Dear buyer, please find our statement attached.\n' }),
    args: ['verify', 'doc.pdf'],
    code: 1,
    file: 'doc.pdf',
    hint: 'the PDF you meant',
  },
  {
    name: 'verify: empty file',
    category: 'pdf',
    setup: (d) => writeFiles(d, { 'empty.pdf': '' }),
    args: ['verify', 'empty.pdf'],
    code: 1,
    file: 'empty.pdf',
    hint: 'the PDF you meant',
  },
  {
    name: 'verify: signed PDF truncated',
    category: 'pdf',
    setup: (d) =>
      writeFiles(d, { 'cut.pdf': fx.signedPdf.subarray(0, fx.signedPdf.length - 2000) }),
    args: ['verify', 'cut.pdf'],
    code: 1,
    file: 'cut.pdf',
    hint: 'signed original',
  },
  {
    name: 'verify: one byte tampered',
    category: 'pdf',
    setup: (d) => {
      const t = Buffer.from(fx.signedPdf);
      t[60] ^= 1;
      writeFiles(d, { 'tampered.pdf': t });
    },
    args: ['verify', 'tampered.pdf'],
    code: 1,
    file: 'tampered.pdf',
    hint: 'changed after it was signed',
  },
  {
    name: 'verify: an incremental update appended after signing',
    category: 'pdf',
    setup: (d) => writeFiles(d, { 'updated.pdf': withIncrementalUpdate(fx.signedPdf) }),
    args: ['verify', 'updated.pdf'],
    code: 1,
    file: 'updated.pdf',
    hint: 'added after the last signature',
  },
  {
    name: 'verify: encrypted PDF',
    category: 'pdf',
    setup: (d) => writeFiles(d, { 'locked.pdf': encryptedPdf() }),
    args: ['verify', 'locked.pdf'],
    code: 1,
    file: 'locked.pdf',
    hint: 'decrypt it',
  },
  {
    name: 'verify: a folder',
    category: 'directory',
    setup: (d) => fs.mkdirSync(path.join(d, 'statement.pdf')),
    args: ['verify', 'statement.pdf'],
    code: 3,
    file: 'statement.pdf',
    hint: 'give a file path',
  },
  {
    name: 'sign: not a PDF',
    category: 'pdf',
    setup: (d) => writeFiles(d, { 'doc.pdf': 'plain text\n', 'key.p12': fx.p12.good }),
    args: ['sign', 'doc.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'doc.pdf',
    hint: 'give the PDF to sign',
    output: 'out.pdf',
  },
  {
    name: 'sign: empty file',
    category: 'pdf',
    setup: (d) => writeFiles(d, { 'empty.pdf': '', 'key.p12': fx.p12.good }),
    args: ['sign', 'empty.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'empty.pdf',
    hint: 'give the PDF to sign',
    output: 'out.pdf',
  },
  {
    name: 'sign: unsigned PDF truncated (no %%EOF)',
    category: 'pdf',
    setup: (d) =>
      writeFiles(d, {
        'cut.pdf': fx.plainPdf.subarray(0, fx.plainPdf.length >> 1),
        'key.p12': fx.p12.good,
      }),
    args: ['sign', 'cut.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'cut.pdf',
    hint: 'get a complete copy',
    output: 'out.pdf',
  },
  {
    name: 'sign: countersigning a tampered PDF is refused',
    category: 'pdf',
    setup: (d) => {
      const t = Buffer.from(fx.signedPdf);
      t[60] ^= 1;
      writeFiles(d, { 'tampered.pdf': t, 'key.p12': fx.p12.good });
    },
    args: ['sign', 'tampered.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'tampered.pdf',
    hint: 'refusing to countersign',
    output: 'out.pdf',
  },
  {
    name: 'sign: countersigning a PDF updated after signing is refused',
    category: 'pdf',
    setup: (d) =>
      writeFiles(d, { 'updated.pdf': withIncrementalUpdate(fx.signedPdf), 'key.p12': fx.p12.good }),
    args: ['sign', 'updated.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'updated.pdf',
    hint: 'signed original',
    output: 'out.pdf',
  },
  {
    name: 'sign: encrypted PDF',
    category: 'pdf',
    setup: (d) => writeFiles(d, { 'locked.pdf': encryptedPdf(), 'key.p12': fx.p12.good }),
    args: ['sign', 'locked.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'locked.pdf',
    hint: 'qpdf --decrypt',
    output: 'out.pdf',
  },
  {
    name: 'sign: cross-reference offset outside the file',
    category: 'pdf',
    setup: (d) =>
      writeFiles(d, { 'broken.pdf': handPdf({ startxref: 999_999 }), 'key.p12': fx.p12.good }),
    args: ['sign', 'broken.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 1,
    file: 'broken.pdf',
    hint: 're-save it with a PDF tool',
    output: 'out.pdf',
  },

  // --- output paths ---
  {
    name: 'build: -o into a folder that does not exist',
    category: 'output',
    args: ['build', 'a.yaml', '-o', 'issued/2026/out.pdf'],
    code: 3,
    file: 'out.pdf',
    hint: 'create it first',
  },
  {
    name: 'build: -o names an existing folder',
    category: 'output',
    setup: (d) => fs.mkdirSync(path.join(d, 'issued')),
    args: ['build', 'a.yaml', '-o', 'issued'],
    code: 3,
    file: 'issued',
    hint: 'not a folder',
  },
  {
    name: 'build: -o below a file',
    category: 'output',
    setup: (d) => writeFiles(d, { notes: 'a file, not a folder\n' }),
    args: ['build', 'a.yaml', '-o', 'notes/out.pdf'],
    code: 3,
    file: 'out.pdf',
    hint: 'check the path',
  },
  {
    name: 'build --sign: -o into a folder that does not exist',
    category: 'output',
    setup: (d) => writeFiles(d, { 'key.p12': fx.p12.good }),
    args: ['build', 'a.yaml', '--sign', '--key', 'key.p12', '-o', 'issued/out.pdf'],
    code: 3,
    file: 'out.pdf',
    hint: 'create it first',
  },
  {
    name: 'build: -o is the answers file itself',
    category: 'output',
    args: ['build', 'a.yaml', '-o', 'a.yaml'],
    code: 2,
    file: 'a.yaml',
    hint: 'choose another path',
  },
  {
    // chmod 0500 does not stop root (CI runs as root), so the file system's answer is simulated
    // too: SRQ_TEST_FAULT makes creating any file for writing fail with EACCES.
    name: 'build: -o into a read-only folder (chmod 0500, and EACCES simulated for root)',
    category: 'output',
    setup: (d) => {
      fs.mkdirSync(path.join(d, 'locked'));
      fs.chmodSync(path.join(d, 'locked'), 0o500);
    },
    cleanup: (d) => fs.chmodSync(path.join(d, 'locked'), 0o700),
    env: { SRQ_TEST_FAULT: 'create:EACCES' },
    args: ['build', 'a.yaml', '-o', 'locked/out.pdf'],
    code: 3,
    file: 'out.pdf',
    hint: "check the folder's permissions",
    output: 'locked/out.pdf',
  },
  {
    name: 'sign: -o names an existing folder',
    category: 'output',
    setup: (d) => {
      writeFiles(d, { 'in.pdf': fx.plainPdf, 'key.p12': fx.p12.good });
      fs.mkdirSync(path.join(d, 'signed'));
    },
    args: ['sign', 'in.pdf', '--key', 'key.p12', '-o', 'signed'],
    code: 3,
    file: 'signed',
    hint: 'not a folder',
  },
  {
    name: 'sign --force: -o is the key file',
    category: 'output',
    setup: (d) => writeFiles(d, { 'in.pdf': fx.plainPdf, 'key.p12': fx.p12.good }),
    args: ['sign', 'in.pdf', '--key', 'key.p12', '-o', 'key.p12', '--force'],
    code: 2,
    file: 'key.p12',
    hint: 'choose another path',
  },
  {
    name: 'export: -o into a folder that does not exist',
    category: 'output',
    args: ['export', 'a.yaml', '--format', 'md', '-o', 'exports/out.md'],
    code: 3,
    file: 'out.md',
    hint: 'create it first',
  },
  {
    name: 'export xlsx: -o names an existing folder',
    category: 'output',
    setup: (d) => fs.mkdirSync(path.join(d, 'exports')),
    args: ['export', 'a.yaml', '--format', 'xlsx', '-o', 'exports'],
    code: 3,
    file: 'exports',
    hint: 'not a folder',
  },
  {
    name: 'export: -o is the answers file itself',
    category: 'output',
    args: ['export', 'a.yaml', '--format', 'md', '-o', 'a.yaml'],
    code: 2,
    file: 'a.yaml',
    hint: 'choose another path',
  },
  {
    name: 'keygen: -o into a folder that does not exist',
    category: 'output',
    args: ['keygen', '--name', 'Alex Morgan', '-o', 'keys/alex.p12'],
    code: 3,
    file: 'alex.p12',
    hint: 'create it first',
  },
  {
    name: 'keygen: -o names an existing folder',
    category: 'output',
    setup: (d) => fs.mkdirSync(path.join(d, 'keys')),
    args: ['keygen', '--name', 'Alex Morgan', '-o', 'keys'],
    code: 3,
    file: 'keys',
    hint: 'choose another path',
  },

  // --- YAML bombs ---
  {
    name: 'validate: billion-laughs alias expansion (+ summary line)',
    category: 'yaml-bomb',
    setup: (d) => writeFiles(d, { 'lol.yaml': billionLaughs() }),
    args: ['validate', 'lol.yaml'],
    code: 1,
    file: 'lol.yaml',
    hint: 'write the values out',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'build: alias bomb inside an answers file (+ summary line)',
    category: 'yaml-bomb',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': answersWith(
          /^framework: ncsc-2023$/m,
          `framework: ncsc-2023\n${billionLaughs('x-')}`,
        ),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'a.yaml',
    hint: 'write the values out',
    extra: BUILD_SUMMARY,
    output: 'out.pdf',
  },

  // --- __proto__ / constructor / prototype keys at several levels ---
  {
    name: 'validate: __proto__ at the top level (+ summary line)',
    category: 'prototype-keys',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': answersWith(
          /^framework: ncsc-2023$/m,
          'framework: ncsc-2023\n__proto__:\n  isAdmin: true',
        ),
      }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'remove it',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: constructor under provider (+ summary line)',
    category: 'prototype-keys',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': answersWith(/^provider:$/m, 'provider:\n  constructor: { name: X }'),
      }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'remove it',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'build: prototype inside an answer (+ summary line)',
    category: 'prototype-keys',
    setup: (d) =>
      writeFiles(d, { 'a.yaml': answersWith(/^ {2}"1":$/m, '  "1":\n    prototype: polluted') }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'a.yaml',
    hint: 'remove it',
    extra: BUILD_SUMMARY,
    output: 'out.pdf',
  },
  {
    name: 'export: __proto__ as a tier id of one answer (+ summary line)',
    category: 'prototype-keys',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': answersWith(/^( {4}tiers:)$/m, '    tiers:\n      __proto__: provider'),
      }),
    args: ['export', 'a.yaml', '--format', 'md', '-o', 'out.md'],
    code: 1,
    file: 'a.yaml',
    hint: 'remove it',
    extra: BUILD_SUMMARY,
    output: 'out.md',
  },
  {
    name: 'validate: __proto__ as a catalogue principle key (+ summary line)',
    category: 'prototype-keys',
    setup: (d) =>
      writeFiles(d, {
        'cat.yaml': `${CATALOGUE_HEAD}  - id: "1"\n    title: One\n    requirement: Do one.\n    __proto__: { maxWords: 1 }\n`,
        'a.yaml': withFramework('cat.yaml'),
      }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'cat.yaml',
    hint: 'remove it',
    extra: VALIDATE_SUMMARY,
  },

  // --- files over the size limits (YAML 5 MB, PDF 100 MB: src/fsx.ts) ---
  {
    name: 'validate: a 20 MB answers file',
    category: 'size-limit',
    setup: (d) =>
      writeFiles(d, { 'big.yaml': `${fx.answers}\n# ${'padding '.repeat((20 * MB) / 8)}\n` }),
    args: ['validate', 'big.yaml'],
    code: 3,
    file: 'big.yaml',
    hint: 'is this the right file',
  },
  {
    name: 'build: a 20 MB answers file',
    category: 'size-limit',
    setup: (d) => sparseFile(path.join(d, 'big.yaml'), 20 * MB, fx.answers),
    args: ['build', 'big.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'big.yaml',
    hint: 'is this the right file',
    output: 'out.pdf',
  },
  {
    name: 'diff: a 20 MB old version',
    category: 'size-limit',
    setup: (d) => sparseFile(path.join(d, 'old.yaml'), 20 * MB, fx.answers),
    args: ['diff', 'old.yaml', 'a.yaml'],
    code: 3,
    file: 'old.yaml',
    hint: 'is this the right file',
  },
  {
    name: 'verify: a 101 MB PDF',
    category: 'size-limit',
    setup: (d) => sparseFile(path.join(d, 'huge.pdf'), 101 * MB, '%PDF-1.7\n'),
    args: ['verify', 'huge.pdf'],
    code: 3,
    file: 'huge.pdf',
    hint: 'is this the right file',
  },
  {
    name: 'sign: a 101 MB PDF',
    category: 'size-limit',
    setup: (d) => {
      sparseFile(path.join(d, 'huge.pdf'), 101 * MB, '%PDF-1.7\n');
      writeFiles(d, { 'key.p12': fx.p12.good });
    },
    args: ['sign', 'huge.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 3,
    file: 'huge.pdf',
    hint: 'is this the right file',
    output: 'out.pdf',
  },

  // --- non-UTF-8 and binary input ---
  {
    name: 'validate: binary file',
    category: 'encoding',
    setup: (d) =>
      writeFiles(d, { 'a.yaml': Buffer.from([0x66, 0x72, 0x00, 0xff, 0xfe, 0x9c, 0x80]) }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'save it as UTF-8',
  },
  {
    name: 'build: Latin-1 answers file',
    category: 'encoding',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': Buffer.from(
          answersWith(/^( {2}name: )(.*)$/m, '  name: Caf\u00e9 Cloud'),
          'latin1',
        ),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'a.yaml',
    hint: 'save it as UTF-8',
    output: 'out.pdf',
  },
  {
    name: 'diff: UTF-16 old version',
    category: 'encoding',
    setup: (d) =>
      writeFiles(d, {
        'old.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fx.answers, 'utf16le')]),
      }),
    args: ['diff', 'old.yaml', 'a.yaml'],
    code: 1,
    file: 'old.yaml',
    hint: 'save it as UTF-8',
  },

  // --- a folder where a file is expected ---
  {
    name: 'validate: a folder named like an answers file',
    category: 'directory',
    setup: (d) => fs.mkdirSync(path.join(d, 'answers.yaml')),
    args: ['validate', 'answers.yaml'],
    code: 3,
    file: 'answers.yaml',
    hint: 'give a file path',
  },
  {
    name: 'register: --register is a folder',
    category: 'directory',
    setup: (d) => fs.mkdirSync(path.join(d, 'reg')),
    args: ['register', '--register', 'reg'],
    code: 3,
    file: 'reg',
    hint: 'give a file path',
  },

  // --- interactive commands without a terminal ---
  {
    name: 'interview: no terminal',
    category: 'interactive',
    args: ['interview', 'new.yaml'],
    code: 2,
    file: 'new.yaml',
    hint: 'srq validate',
  },
  {
    name: 'customer: no terminal',
    category: 'interactive',
    args: ['customer', 'a.yaml', '--tier', 'managed', '-o', 'mine.yaml'],
    code: 2,
    file: 'mine.yaml',
    hint: 'srq validate',
    output: 'mine.yaml',
  },

  // --- issue 14, class 1: special files as inputs (opened once, fstat, only regular files) ---
  {
    name: 'validate: the answers file is a FIFO (no hang)',
    category: 'answers',
    setup: (d) => fifo(path.join(d, 'a.yaml')),
    args: ['validate', 'a.yaml'],
    code: 3,
    file: 'a.yaml',
    hint: 'give the path of a saved file',
  },
  {
    name: 'build: the logo is /dev/zero (not read to the end of memory)',
    category: 'logo',
    setup: (d) => writeFiles(d, { 'a.yaml': withLogo('/dev/zero') }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'zero',
    hint: 'give the path of a saved file',
    output: 'out.pdf',
  },
  {
    name: 'sign: the key is a FIFO',
    category: 'keys',
    setup: (d) => {
      writeFiles(d, { 'plain.pdf': fx.plainPdf });
      fifo(path.join(d, 'key.p12'));
    },
    args: ['sign', 'plain.pdf', '--key', 'key.p12', '-o', 'out.pdf'],
    code: 3,
    file: 'key.p12',
    hint: 'give the path of a saved file',
    output: 'out.pdf',
  },
  {
    name: 'verify: the PDF is a FIFO',
    category: 'pdf',
    setup: (d) => fifo(path.join(d, 'in.pdf')),
    args: ['verify', 'in.pdf'],
    code: 3,
    file: 'in.pdf',
    hint: 'give the path of a saved file',
  },
  {
    name: 'register: --register is a FIFO',
    category: 'directory',
    setup: (d) => fifo(path.join(d, 'reg.jsonl')),
    args: ['register', '--register', 'reg.jsonl'],
    code: 3,
    file: 'reg.jsonl',
    hint: 'give the path of a saved file',
  },
  {
    name: 'build --templates: a partial is a FIFO',
    category: 'templates',
    setup: (d) => fifo(path.join(templateCopy(d), 'cover.md.hbs')),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'out.pdf'],
    code: 3,
    file: 'cover.md.hbs',
    hint: 'give the path of a saved file',
    output: 'out.pdf',
  },
  {
    name: "build: a customer file's provider: file is a FIFO",
    category: 'answers',
    setup: (d) => {
      writeFiles(d, {
        'c.yaml': fs
          .readFileSync(EXAMPLE_CUSTOMER, 'utf8')
          .replace(/^provider: .*$/m, 'provider: p.yaml'),
      });
      fifo(path.join(d, 'p.yaml'));
    },
    args: ['build', 'c.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'p.yaml',
    hint: 'give the path of a saved file',
    output: 'out.pdf',
  },
  {
    name: 'diff: the old version is a FIFO',
    category: 'answers',
    setup: (d) => fifo(path.join(d, 'old.yaml')),
    args: ['diff', 'old.yaml', 'a.yaml'],
    code: 3,
    file: 'old.yaml',
    hint: 'give the path of a saved file',
  },

  // --- class 2: special files and inputs as outputs ---
  {
    name: 'build: -o /dev/null is refused, the device left as it is (even as root)',
    category: 'output',
    args: ['build', 'a.yaml', '-o', '/dev/null'],
    code: 3,
    file: '/dev/null',
    hint: 'choose a file path with -o',
    after: () => expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true),
  },
  {
    name: 'build: -o a FIFO is refused at once (no hang)',
    category: 'output',
    setup: (d) => fifo(path.join(d, 'out.pdf')),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'out.pdf',
    hint: 'choose a file path with -o',
  },
  {
    name: 'export: -o a FIFO names -o - instead',
    category: 'output',
    setup: (d) => fifo(path.join(d, 'out.csv')),
    args: ['export', 'a.yaml', '--format', 'csv', '-o', 'out.csv'],
    code: 3,
    file: 'out.csv',
    hint: '-o - for standard output',
  },
  {
    name: 'export: -o names a signed PDF',
    category: 'output',
    setup: (d) => writeFiles(d, { 'signed.pdf': fx.signedPdf }),
    args: ['export', 'a.yaml', '--format', 'csv', '-o', 'signed.pdf'],
    code: 1,
    file: 'signed.pdf',
    hint: 'choose another path',
  },
  {
    name: 'build: -o is the --changes-since file',
    category: 'output',
    setup: (d) => writeFiles(d, { 'old.yaml': fx.answers }),
    args: ['build', 'a.yaml', '--changes-since', 'old.yaml', '-o', 'old.yaml'],
    code: 2,
    file: 'old.yaml',
    hint: 'choose another path',
  },
  {
    name: 'build: -o is the register',
    category: 'output',
    args: ['build', 'a.yaml', '-o', 'output/register.jsonl'],
    code: 2,
    file: 'register.jsonl',
    hint: 'choose another path',
  },
  {
    name: 'build --templates: -o is one of the templates',
    category: 'output',
    setup: (d) => templateCopy(d),
    args: ['build', 'a.yaml', '--templates', 'tpl', '-o', 'tpl/statement/cover.md.hbs'],
    code: 2,
    file: 'cover.md.hbs',
    hint: 'choose another path',
  },
  {
    name: "build: a customer document's -o is the provider's file",
    category: 'output',
    setup: (d) =>
      writeFiles(d, {
        'c.yaml': fs
          .readFileSync(EXAMPLE_CUSTOMER, 'utf8')
          .replace(/^provider: .*$/m, 'provider: a.yaml'),
      }),
    args: ['build', 'c.yaml', '-o', 'a.yaml'],
    code: 2,
    file: 'a.yaml',
    hint: 'choose another path',
  },
  {
    name: 'customer: -o is the provider file',
    category: 'interactive',
    args: ['customer', 'a.yaml', '--tier', 'managed', '-o', 'a.yaml'],
    code: 2,
    file: 'a.yaml',
    hint: 'choose another path',
  },
  {
    name: 'sign: -o is the PDF being signed',
    category: 'output',
    setup: (d) => writeFiles(d, { 'plain.pdf': fx.plainPdf, 'key.p12': fx.p12.good }),
    args: ['sign', 'plain.pdf', '--key', 'key.p12', '-o', 'plain.pdf', '--force'],
    code: 2,
    file: 'plain.pdf',
    hint: 'choose another path',
  },
  {
    name: 'build: an existing PDF srq cannot read is not taken as unsigned',
    category: 'output',
    setup: (d) => sparseFile(path.join(d, 'out.pdf'), 101 * MB, '%PDF-1.7\n'),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'out.pdf',
    hint: '--force to replace it',
  },

  // --- class 3: locks ---
  {
    name: 'review --yes: a folder where the lock goes',
    category: 'directory',
    setup: (d) => fs.mkdirSync(path.join(d, 'a.yaml.lock')),
    args: ['review', 'a.yaml', '--yes'],
    code: 3,
    file: 'a.yaml.lock',
    hint: 'remove it',
  },

  // --- class 4: ids that are Object.prototype names ---
  {
    name: 'validate: a tier named toString that no answer covers (+ summary line)',
    category: 'prototype-keys',
    setup: (d) => protoProject(d, ['valueOf', 'toString'], ['valueOf']),
    args: ['validate', 'p.yaml'],
    code: 1,
    file: 'p.yaml',
    hint: 'add `toString: provider`',
    extra: VALIDATE_SUMMARY,
  },

  // --- class 5: the register and the PDF are one outcome ---
  {
    name: 'build: output/ is a file (clear error, not 70; no PDF left)',
    category: 'directory',
    setup: (d) => writeFiles(d, { output: 'not a folder\n' }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'output',
    hint: 'move that file away',
    output: 'out.pdf',
  },
  {
    name: 'build: the register cannot be written, so no PDF is left either',
    category: 'directory',
    setup: (d) => fs.mkdirSync(path.join(d, 'output', 'register.jsonl'), { recursive: true }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'register.jsonl',
    hint: 'give a file path',
    output: 'out.pdf',
  },
  {
    name: 'build: a write failing half-way (ENOSPC) leaves no PDF and no temporary file',
    category: 'output',
    env: { SRQ_TEST_FAULT: 'write:ENOSPC:5000' },
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 3,
    file: 'out.pdf',
    hint: 'free some space',
    output: 'out.pdf',
  },

  // --- class 6: logos ---
  {
    name: 'build: a 20000×20000 RGBA logo is refused before decoding',
    category: 'logo',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': withLogo('logo.png'),
        'logo.png': png(20000, 20000, zlib.deflateSync(Buffer.alloc(100_000))),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'logo.png',
    hint: 'scale it down',
    output: 'out.pdf',
  },
  {
    name: 'build: a PNG header claiming 2^31×2^31 px',
    category: 'logo',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': withLogo('logo.png'),
        'logo.png': png(2 ** 31, 2 ** 31, zlib.deflateSync(Buffer.alloc(10))),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'logo.png',
    hint: 'scale it down',
    output: 'out.pdf',
  },
  {
    name: 'build: a truncated RGBA PNG (no uncaught exception)',
    category: 'logo',
    setup: (d) => {
      const whole = rgbaPng();
      writeFiles(d, {
        'a.yaml': withLogo('logo.png'),
        'logo.png': whole.subarray(0, whole.length >> 1),
      });
    },
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'logo.png',
    hint: 'use a PNG or JPEG file',
    output: 'out.pdf',
  },
  {
    name: 'build: an RGBA PNG whose data inflates short of its size (checksums right)',
    category: 'logo',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': withLogo('logo.png'),
        'logo.png': png(64, 64, zlib.deflateSync(Buffer.alloc(64 * 100))),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'logo.png',
    hint: 'use a PNG or JPEG file',
    output: 'out.pdf',
  },

  // --- class 10: messages that mislead ---
  {
    name: 'validate: version 3.10 unquoted: the hint keeps 3.10 (+ summary line)',
    category: 'answers',
    setup: (d) =>
      writeFiles(d, { 'a.yaml': answersWith(/^ {2}version: "3\.0"$/m, '  version: 3.10') }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'put it in quotes: version: "3.10"',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: CR-only line endings are named, not "empty" (+ summary line)',
    category: 'encoding',
    setup: (d) => writeFiles(d, { 'a.yaml': fx.answers.replace(/\n/g, '\r') }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'LF (or CRLF) line endings',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: a second YAML document, in srq words (+ summary line)',
    category: 'answers',
    setup: (d) => writeFiles(d, { 'a.yaml': `${fx.answers}---\nframework: ncsc-2023\n` }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'remove the "---" line',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: a !!binary value is called binary data, not a mapping (+ summary line)',
    category: 'answers',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': answersWith(/^ {2}name: Harbourline Cloud Ltd$/m, '  name: !!binary aGVsbG8='),
      }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'expected text',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: an alias before its anchor (+ summary line)',
    category: 'yaml-bomb',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml': answersWith(/^ {2}name: Harbourline Cloud Ltd$/m, '  name: *later'),
      }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'define &later earlier',
    extra: VALIDATE_SUMMARY,
  },
  {
    name: 'validate: 800 levels of nesting, not "maximum call stack" (+ summary line)',
    category: 'yaml-bomb',
    setup: (d) => writeFiles(d, { 'a.yaml': `a: ${'['.repeat(800)}${']'.repeat(800)}\n` }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'a.yaml',
    hint: 'only a few levels of nesting',
    extra: VALIDATE_SUMMARY,
  },
  // --- stop 20: files that are not srq files are never quoted (a path may name a key file) ---
  {
    name: 'validate: framework: names a secrets file, none of it is echoed (+ summary line)',
    category: 'catalogue',
    setup: (d) =>
      writeFiles(d, {
        'secrets.env': `${SECRET_LINE}\nOTHER=2\n`,
        'a.yaml': withFramework('secrets.env'),
      }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'secrets.env',
    hint: 'check the path',
    extra: VALIDATE_SUMMARY,
    secret: SECRET,
  },
  {
    name: 'build: framework: names a JSON credentials file, none of it is echoed (+ summary line)',
    category: 'catalogue',
    setup: (d) =>
      writeFiles(d, {
        'creds.json': `{"token": "${SECRET}", "user": "me"}\n`,
        'a.yaml': withFramework('creds.json'),
      }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'creds.json',
    hint: 'check the path',
    extra: BUILD_SUMMARY,
    output: 'out.pdf',
    secret: SECRET,
  },
  {
    name: 'validate: framework: names a YAML file with an odd tag, the tag is not echoed (+ summary line)',
    category: 'catalogue',
    setup: (d) =>
      writeFiles(d, { 'k.yaml': `token: !${SECRET} x\n`, 'a.yaml': withFramework('k.yaml') }),
    args: ['validate', 'a.yaml'],
    code: 1,
    file: 'k.yaml',
    hint: 'check the path',
    extra: VALIDATE_SUMMARY,
    secret: SECRET,
  },
  {
    name: "validate: a customer file's provider: names a secrets file, none of it is echoed (+ summary line)",
    category: 'answers',
    setup: (d) =>
      writeFiles(d, {
        'secrets.env': `${SECRET_LINE}\n`,
        'c.yaml': edit(
          fs.readFileSync(EXAMPLE_CUSTOMER, 'utf8'),
          /^provider: .*$/m,
          'provider: secrets.env',
        ),
      }),
    args: ['validate', 'c.yaml'],
    code: 1,
    file: 'secrets.env',
    hint: 'check the path',
    extra: VALIDATE_SUMMARY,
    secret: SECRET,
  },
  {
    name: 'validate: a plain-text file is "plain text", not quoted (+ summary line)',
    category: 'answers',
    setup: (d) => writeFiles(d, { 'notes.txt': `${SECRET_LINE}\n` }),
    args: ['validate', 'notes.txt'],
    code: 1,
    file: 'notes.txt',
    hint: 'expected a mapping',
    extra: VALIDATE_SUMMARY,
    secret: SECRET,
  },
  // --- stop 20: the -o folder in a batch collision; file@rev over the limit; standard input ---
  {
    name: 'build (batch): two files would write one file in the -o folder: the message names that path',
    category: 'output',
    setup: (d) => writeFiles(d, { 'x/a.yaml': fx.answers, 'y/a.yaml': fx.answers }),
    args: ['build', 'x/a.yaml', 'y/a.yaml', '-o', 'out/'],
    code: 2,
    file: 'a.yaml',
    hint: 'build them separately',
    line: /would both write out\/[^ ]+\.pdf /,
    output: 'out',
  },
  {
    name: 'diff: a committed file over 16 MB read as file@rev: the size-limit error, no ENOBUFS',
    category: 'size-limit',
    setup: (d) => gitWithFile(d, 'big.yaml', 17 * MB),
    args: ['diff', 'big.yaml@HEAD', 'a.yaml'],
    code: 3,
    file: 'big.yaml@HEAD',
    hint: 'is this the right file?',
    line: /big\.yaml@HEAD: file is 17 MB \(17825792 bytes\), over srq's 5 MB limit/,
  },
  {
    name: 'diff: a committed file of 8 MB read as file@rev: over the 5 MB limit like a file on disk',
    category: 'size-limit',
    setup: (d) => gitWithFile(d, 'big.yaml', 8 * MB),
    args: ['diff', 'big.yaml@HEAD', 'a.yaml'],
    code: 3,
    file: 'big.yaml@HEAD',
    hint: 'is this the right file?',
  },
  {
    name: 'validate -: more than 5 MB on standard input stops at the limit',
    category: 'size-limit',
    input: `framework: ncsc-2023\n#${'x'.repeat(6 * MB)}\n`,
    args: ['validate', '-'],
    code: 3,
    file: 'standard input',
    hint: 'is this the right file?',
  },
  {
    name: 'validate -: a YAML error on standard input is located there (+ summary line)',
    category: 'answers',
    input: 'framework: [\n',
    args: ['validate', '-'],
    code: 1,
    file: 'standard input',
    hint: 'check the indentation',
    extra: /^standard input: \d+ error\(s\), \d+ warning\(s\)$/,
    line: /^standard input:2:1: YAML syntax/,
  },
  // --- stop 20: one more row of each class the rows above do not cover ---
  {
    name: 'review --yes: the file is locked by a running srq on this machine; the lock is kept',
    category: 'answers',
    setup: (d) =>
      writeFiles(d, {
        'a.yaml.lock': `${JSON.stringify({ pid: process.pid, host: os.hostname(), started: '2026-11-10T09:00:00.000Z' })}\n`,
      }),
    args: ['review', 'a.yaml', '--yes'],
    code: 3,
    file: 'a.yaml',
    hint: 'finish that interview first',
    line: new RegExp(`is being edited by another srq \\(process ${process.pid}, since 2026-11-10`),
  },
  {
    name: 'build --tier hasOwnProperty: an Object.prototype name is no tier',
    category: 'prototype-keys',
    args: ['build', 'a.yaml', '--tier', 'hasOwnProperty', '-o', 'out.pdf'],
    code: 2,
    file: '--tier hasOwnProperty',
    hint: 'tiers are: unmanaged, managed, fully-managed',
    output: 'out.pdf',
  },
  {
    name: 'build: an interlaced 1-bit PNG logo is refused with a hint, no PDF (+ summary line)',
    category: 'logo',
    setup: (d) =>
      writeFiles(d, { 'a.yaml': withLogo('logo.png'), 'logo.png': interlacedOneBitPng() }),
    args: ['build', 'a.yaml', '-o', 'out.pdf'],
    code: 1,
    file: 'logo.png',
    hint: 'save it without interlacing',
    output: 'out.pdf',
  },
  {
    name: 'export - -o -: a binary format to standard output is refused',
    category: 'output',
    input: 'framework: ncsc-2023\n',
    args: ['export', '-', '--format', 'xlsx', '-o', '-'],
    code: 2,
    file: '-o -',
    hint: 'give a file name instead',
  },
];

/** A YAML alias bomb: 10 levels of 9 aliases each (9^10 nodes once expanded). */
function billionLaughs(prefix = ''): string {
  const lines = [`${prefix}a: &${prefix}a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i < 10; i++) {
    const name = `${prefix}${String.fromCharCode(97 + i)}`;
    const prev = `*${prefix}${String.fromCharCode(96 + i)}`;
    lines.push(`${name}: &${name} [${Array(9).fill(prev).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** A minimal PDF whose trailer says it is encrypted (Standard security handler, RC4 128). */
function encryptedPdf(): Buffer {
  return handPdf({
    objects: ['<< /Filter /Standard /V 2 /R 3 /Length 128 /O <00> /U <00> /P -4 >>'],
    trailer:
      '/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ',
  });
}

/* ------------------------------------------------------------------------------------------ */

type Snapshot = Record<string, string>;

/** Every entry under `dir` (hidden ones too) with its content hash; big files by size only. */
function snapshot(dir: string): Snapshot {
  const out: Snapshot = {};
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    for (const name of fs.readdirSync(abs)) {
      const r = path.join(rel, name);
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isSymbolicLink()) out[r] = `link ${fs.readlinkSync(path.join(dir, r))}`;
      else if (st.isFIFO()) out[r] = 'fifo';
      else if (st.isDirectory()) {
        out[r] = 'dir';
        if (st.mode & 0o400) walk(r);
      } else if (st.size > 32 * MB) out[r] = `file ${st.size} bytes`;
      else
        out[r] = `file ${createHash('sha256')
          .update(fs.readFileSync(path.join(dir, r)))
          .digest('hex')}`;
    }
  };
  walk('');
  return out;
}

/** The part of an error line that says how to fix it: from the first "(" or "; " on. */
function hintPart(line: string): string {
  const at = [line.indexOf('('), line.indexOf('; ')].filter((i) => i >= 0);
  return at.length ? line.slice(Math.min(...at)) : '';
}

const sandboxes: string[] = [];

function runRow(row: Row): void {
  const dir = tempDir('srq-bad-input-');
  sandboxes.push(dir);
  // Every row has the clean answers file at hand (a.yaml); rows may overwrite it.
  writeFiles(dir, { 'a.yaml': fx.answers });
  row.setup?.(dir);
  const before = snapshot(dir);
  let r: CliResult;
  try {
    r = srq(row.args, {
      cwd: dir,
      env: { ...RIGHT_ENV, ...row.env },
      ...(row.input !== undefined ? { input: row.input } : {}),
    });
  } finally {
    row.cleanup?.(dir);
  }
  const context = `srq ${row.args.join(' ')}\n--- stderr ---\n${r.stderr}--- stdout ---\n${r.stdout.slice(0, 2000)}`;

  expect({ code: r.code, context }).toEqual({ code: row.code, context });
  // No stack trace, no Node error prefix, no internal error.
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/\b(?:[A-Z]\w*)?Error\b/);
  expect(r.stderr).not.toMatch(/internal error|node:internal/);

  const lines = r.stderr.split('\n').filter((l) => l.trim());
  const main = lines.filter((l) => !row.extra?.test(l));
  expect({ lines: main, context }).toEqual({ lines: [expect.any(String)], context });
  expect(lines.length - main.length).toBe(row.extra ? 1 : 0);
  const [line] = main;
  expect(line).toContain(path.basename(row.file));
  expect(hintPart(line)).toContain(row.hint);
  if (row.secret) expect(r.stderr + r.stdout).not.toContain(row.secret);
  if (row.line) expect(line).toMatch(row.line);

  // Nothing written, nothing left behind, every input as it was.
  if (row.output) expect(fs.existsSync(path.join(dir, row.output))).toBe(false);
  const after = snapshot(dir);
  expect(Object.keys(after).filter((f) => /(^|\/)\.srq-tmp-/.test(f))).toEqual([]);
  expect(after).toEqual(before);
  row.after?.(dir);
}

beforeAll(async () => {
  fx.dir = tempDir('srq-bad-input-fixtures-');
  // The example, minus its one warning (evidence expiring before the review date), so a row's
  // stderr holds only what the row is about.
  fx.answers = fs
    .readFileSync(EXAMPLE, 'utf8')
    .replace(/expires: 2027-05-20/, 'expires: 2028-05-20');
  const good = testKey();
  fx.p12.good = good.p12;
  fx.certPem = good.certificatePem;
  fx.p12.expired = testKey({
    validFrom: new Date('2024-01-01T00:00:00Z'),
    validTo: new Date('2025-01-01T00:00:00Z'),
  }).p12;
  fx.p12.noSigning = testKey({ keyUsage: { digitalSignature: false, nonRepudiation: true } }).p12;
  fx.plainPdf = await makePdf();
  writeFiles(fx.dir, { 'plain.pdf': fx.plainPdf, 'key.p12': fx.p12.good });
  const s = srq(['sign', 'plain.pdf', '--key', 'key.p12', '-o', 'signed.pdf'], {
    cwd: fx.dir,
    env: RIGHT_ENV,
  });
  expect(s.code).toBe(0);
  fx.signedPdf = fs.readFileSync(path.join(fx.dir, 'signed.pdf'));
});

afterAll(() => {
  for (const d of [fx.dir, ...sandboxes]) fs.rmSync(d, { recursive: true, force: true });
});

describe('controls: the inputs the rows spoil are good', () => {
  test('the answers build cleanly, and the signed PDF verifies', () => {
    const dir = tempDir('srq-bad-input-control-');
    sandboxes.push(dir);
    writeFiles(dir, { 'a.yaml': fx.answers, 'signed.pdf': fx.signedPdf, 'key.pem': fx.certPem });
    const b = srq(['build', 'a.yaml', '-o', 'out.pdf'], { cwd: dir });
    expect([b.code, b.stderr]).toEqual([0, '']);
    const v = srq(['verify', 'signed.pdf', '--trust', 'key.pem'], { cwd: dir });
    expect([v.code, v.stderr]).toEqual([0, '']);
  });

  test('the table has at least 45 rows and every category', () => {
    expect(rows.length).toBeGreaterThanOrEqual(45);
    expect(new Set(rows.map((r) => r.category))).toEqual(
      new Set<Category>([
        'answers',
        'catalogue',
        'templates',
        'logo',
        'fonts',
        'keys',
        'pdf',
        'output',
        'yaml-bomb',
        'prototype-keys',
        'size-limit',
        'encoding',
        'directory',
        'interactive',
      ]),
    );
    const commands = new Set(
      rows.map((r) => (r.args.includes('--sign') ? 'build --sign' : r.args[0])),
    );
    for (const c of ['validate', 'build', 'build --sign', 'sign', 'verify', 'keygen', 'export'])
      expect(commands).toContain(c);
    for (const c of ['diff', 'status', 'register', 'customer', 'interview'])
      expect(commands).toContain(c);
  });
});

describe('bad inputs: one line naming the file and the fix, nothing written', () => {
  for (const row of rows) (row.skip ? test.skip : test)(row.name, () => runRow(row));
});

describe("fonts: a template set's fonts/ folder", () => {
  test('replaces the DejaVu faces it names, and coverage is checked against the new font', () => {
    const dir = tempDir('srq-fonts-');
    sandboxes.push(dir);
    // ✓ is in DejaVu Sans but not in DejaVu Serif.
    const answers = edit(fx.answers, /^( {2}summary: >-)$/m, '  summary: >-\n    ✓');
    writeFiles(dir, { 'a.yaml': answers });
    fontsSet(dir, {
      'regular.ttf': fs.readFileSync(path.join(DEJAVU, 'DejaVuSerif.ttf')),
      'Bold.TTF': fs.readFileSync(path.join(DEJAVU, 'DejaVuSerif-Bold.ttf')),
      'OFL.txt': 'the font licence, ignored\n',
    });

    const plain = srq(['build', 'a.yaml', '-o', 'plain.pdf'], { cwd: dir });
    expect([plain.code, plain.stderr]).toEqual([0, '']);

    const r = srq(['build', 'a.yaml', '--templates', 'tpl', '-o', 'serif.pdf'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(
      'srq: warning: service: U+2713 ✓ is not in the embedded fonts (it prints as a box)',
    );
    const fonts = (file: string) =>
      [
        ...objectsText(fs.readFileSync(path.join(dir, file))).matchAll(
          /\/FontName \/[A-Z]{6}\+([\w-]+)/g,
        ),
      ]
        .map((m) => m[1])
        .sort();
    expect(new Set(fonts('serif.pdf'))).toEqual(
      new Set(['DejaVuSerif', 'DejaVuSerif-Bold', 'DejaVuSans-Oblique']),
    );
    expect(fonts('plain.pdf')).toContain('DejaVuSans');
    expect(fonts('plain.pdf')).not.toContain('DejaVuSerif');
  });
});

describe('ids that are Object.prototype names', () => {
  test('principles toString (answered) and constructor (not), a tier valueOf: a draft builds (was exit 70)', () => {
    const dir = tempDir('srq-proto-');
    sandboxes.push(dir);
    protoProject(dir, ['valueOf'], ['valueOf']);
    // A second principle, `constructor`, left unanswered: Object.prototype has one.
    appendTo(
      path.join(dir, 'cat.yaml'),
      '  - id: constructor\n    title: C\n    requirement: Do it.\n',
    );
    const r = srq(['build', 'p.yaml', '--draft', '-o', 'out.pdf'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(fs.readFileSync(path.join(dir, 'out.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
