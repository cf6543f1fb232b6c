import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { BIN, EXAMPLE, ROOT, tempDir, writeFiles } from '../helpers/cli';
import { PASSPHRASE, testKey } from '../sign/helpers';
import { readShapeStore } from '../helpers/shape-store';
import * as fontkit from 'fontkit';
import {
  changedInput,
  statKey,
  substituteOutputs,
  unambiguous,
  whyNot,
} from '../../src/cli/snapshot';
import { forgetGlyphs, shapeText } from '../../src/pdf/fonts';

/**
 * srq's V8 startup snapshot (issue 15): bin/srq.js, started as a program, runs `build` and
 * `example` from dist/.snapshot/srq.blob (made by `npm run build`, scripts/snapshot.js). The
 * snapshot is only an optimisation: the same bytes, exit codes and messages as the normal path,
 * and every blob it cannot use (missing, garbage, cut short, another Node, NODE_OPTIONS) means
 * the normal path, never a crash. Oracles: the normal path itself (`SRQ_SNAPSHOT=0`, or
 * `node bin/srq.js`), byte for byte, and the `SRQ_SNAPSHOT_TRACE=1` line that says which ran.
 */

const SNAPSHOT = path.join(ROOT, 'dist', '.snapshot');
const BLOB = path.join(SNAPSHOT, 'srq.blob');
const STARTED = 'srq: started from the startup snapshot';
const TRACE = /^srq: (started from the |)startup snapshot.*\n/gm;
const haveBlob = fs.existsSync(BLOB);
const withBlob = haveBlob ? test : test.skip;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** stderr without the trace line */
  stderr: string;
  /** the trace line, '' when node never started the blob */
  trace: string;
}

/** Runs `bin` as a program (so /bin/sh reads its first lines, as `srq` and `npx srq` do). */
function run(
  bin: string,
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; viaNode?: boolean },
): Run {
  const [cmd, argv] = opts.viaNode ? [process.execPath, [bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      SRQ_NOW: '2026-11-22T12:00:00Z',
      SRQ_SNAPSHOT_TRACE: '1',
      SRQ_KEY_PASSPHRASE: PASSPHRASE,
      ...opts.env,
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const trace = (r.stderr.match(TRACE) ?? []).join('');
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout,
    stderr: r.stderr.replace(TRACE, ''),
    trace,
  };
}

const dir = tempDir('srq-snapshot-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The example with Unicode answers: accents, Greek, Cyrillic, Hebrew, Arabic, marks, a crab. */
function unicodeAnswers(): string {
  const doc = YAML.parse(fs.readFileSync(EXAMPLE, 'utf8')) as {
    answers: Record<string, { provider?: string }>;
  };
  doc.answers['1'].provider = [
    'Données chiffrées à l’arrivée — naïve café, Ærøskøbing, Łódź, İstanbul, ß → SS.',
    'Ελληνικά: η κρυπτογράφηση προστατεύει τα δεδομένα. Русский: шифрование данных при передаче.',
    'עברית: ההצפנה מגינה על הנתונים. العربية: التشفير يحمي البيانات أثناء النقل.',
    'Combining marks: e\u0301 a\u0308 o\u0302; ligatures ﬁ ﬂ; digits ١٢٣ ٤٥٦.',
  ].join('\n\n');
  doc.answers['2.1'].provider = 'Our mascot is a crab 🦀, drawn as a box.';
  return YAML.stringify(doc);
}

/** Builds with and without the snapshot in two folders; the PDFs, exit codes and output. */
function both(name: string, args: string[]): { snap: Run; plain: Run; a: Buffer; b: Buffer } {
  const out: Buffer[] = [];
  const runs: Run[] = [];
  for (const mode of ['1', '0']) {
    const cwd = path.join(dir, `${name}-${mode}`);
    fs.mkdirSync(cwd, { recursive: true });
    for (const f of fs.readdirSync(dir).filter((f) => /\.(yaml|p12)$/.test(f))) {
      fs.copyFileSync(path.join(dir, f), path.join(cwd, f));
    }
    runs.push(run(BIN, [...args, '-o', 'out.pdf'], { cwd, env: { SRQ_SNAPSHOT: mode } }));
    out.push(fs.readFileSync(path.join(cwd, 'out.pdf')));
  }
  return { snap: runs[0], plain: runs[1], a: out[0], b: out[1] };
}

// On Node 20 the snapshot is known to build: a missing blob means its build failed (a warning in
// `npm run build`), which the tests below would only skip. SRQ_SNAPSHOT=0 builds without it.
(process.version.startsWith('v20.') && process.env.SRQ_SNAPSHOT !== '0' ? test : test.skip)(
  'npm run build made the blob, with its stamp (this Node, the blob size, the same mtime) and a link to this node',
  () => {
    expect(haveBlob).toBe(true);
    const stamp = path.join(SNAPSHOT, 'node');
    expect(fs.readFileSync(stamp, 'utf8')).toBe(`${process.version} ${fs.statSync(BLOB).size}\n`);
    expect(fs.statSync(stamp).mtimeMs).toBe(fs.statSync(BLOB).mtimeMs);
    expect(fs.realpathSync(path.join(SNAPSHOT, 'node-bin'))).toBe(
      fs.realpathSync(process.execPath),
    );
  },
);

describe('byte-identical with and without the snapshot', () => {
  beforeAll(() => {
    writeFiles(dir, {
      'unicode.yaml': unicodeAnswers(),
      'key.p12': testKey({ name: 'Snapshot Signer TEST' }).p12,
    });
  });

  const cases: [string, string[]][] = [
    ['the example', [EXAMPLE]],
    ['one tier, for a buyer', [EXAMPLE, '--tier', 'managed', '--buyer', 'Acme Borough Council']],
    ['Unicode answers', ['unicode.yaml']],
    [
      'signed with a fixed key and signing time',
      [EXAMPLE, '--sign', '--key', 'key.p12', '--signing-time', '2026-11-22T12:00:00Z'],
    ],
  ];
  (haveBlob ? test.each(cases) : test.skip.each(cases))(
    '%s',
    (name, args) => {
      const { snap, plain, a, b } = both(name.replace(/\W+/g, '-'), ['build', ...args]);
      expect(snap.trace).toBe(`${STARTED}\n`);
      expect(plain.trace).toBe('');
      expect(snap.code).toBe(0);
      expect([snap.code, snap.stdout, snap.stderr]).toEqual([
        plain.code,
        plain.stdout,
        plain.stderr,
      ]);
      expect(a.length).toBeGreaterThan(50_000);
      expect(a.equals(b)).toBe(true);
    },
    120_000,
  );

  withBlob(
    'errors: the same exit code and message, and --debug still prints a stack trace',
    () => {
      writeFiles(dir, { 'bad.yaml': 'provider: [\n' });
      for (const args of [
        ['build', 'nope.yaml'],
        ['build', 'bad.yaml'],
        ['build', '--bogus'],
      ]) {
        const snap = run(BIN, args, { cwd: dir });
        const plain = run(BIN, args, { cwd: dir, env: { SRQ_SNAPSHOT: '0' } });
        expect(snap.trace).toBe(`${STARTED}\n`);
        expect(snap.code).not.toBe(0);
        expect([snap.code, snap.stdout, snap.stderr]).toEqual([
          plain.code,
          plain.stdout,
          plain.stderr,
        ]);
      }
      const debug = run(BIN, ['--debug', 'build', 'bad.yaml'], { cwd: dir });
      expect(debug.trace).toBe(`${STARTED}\n`);
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(/^CheckError: bad\.yaml: 1 error\(s\)/m);
      expect(debug.stderr).toMatch(/^ {4}at readAny \(.*dist[\\/]snapshot\.js:\d+:\d+\)$/m);
    },
    120_000,
  );

  withBlob(
    'SRQ_SNAPSHOT=0 and `node bin/srq.js` run the normal path; other commands never use the blob',
    () => {
      const off = run(BIN, ['build', EXAMPLE, '-o', 'off.pdf'], {
        cwd: dir,
        env: { SRQ_SNAPSHOT: '0' },
      });
      const viaNode = run(BIN, ['build', EXAMPLE, '-o', 'node.pdf'], { cwd: dir, viaNode: true });
      const validate = run(BIN, ['validate', EXAMPLE], { cwd: dir });
      for (const r of [off, viaNode, validate]) {
        expect(r.code).toBe(0);
        expect(r.trace).toBe('');
      }
      // The first command word is found past --today's value and other options.
      const today = run(
        BIN,
        ['--today', '2026-12-01', '--debug', 'build', EXAMPLE, '-o', 't.pdf'],
        {
          cwd: dir,
        },
      );
      expect(today.code).toBe(0);
      expect(today.trace).toBe(`${STARTED}\n`);
    },
    120_000,
  );

  withBlob(
    'SRQ_BENCH_PEAK records the peak memory of a build that starts from the snapshot',
    () => {
      const peak = path.join(dir, 'peak.json');
      const r = run(BIN, ['build', EXAMPLE, '-o', 'peak.pdf'], {
        cwd: dir,
        env: { SRQ_BENCH_PEAK: peak },
      });
      expect(r.code).toBe(0);
      expect(r.trace).toBe(`${STARTED}\n`);
      const { peakRssMB } = JSON.parse(fs.readFileSync(peak, 'utf8')) as { peakRssMB: number };
      // A build's resident memory: more than the blob's heap alone, less than the machine.
      expect(peakRssMB).toBeGreaterThan(30);
      expect(peakRssMB).toBeLessThan(2000);
    },
    120_000,
  );

  withBlob(
    "a symlinked bin (npm's node_modules/.bin/srq, a link to a relative link) starts it",
    () => {
      const links = path.join(dir, 'links', '.bin');
      fs.mkdirSync(links, { recursive: true });
      fs.symlinkSync(BIN, path.join(dir, 'links', 'srq-real'));
      fs.symlinkSync('../srq-real', path.join(links, 'srq'));
      const linked = run(path.join(links, 'srq'), ['build', EXAMPLE, '-o', 'linked.pdf'], {
        cwd: dir,
      });
      expect(linked.code).toBe(0);
      expect(linked.trace).toBe(`${STARTED}\n`);
      const plain = run(BIN, ['build', EXAMPLE, '-o', 'unlinked.pdf'], {
        cwd: dir,
        env: { SRQ_SNAPSHOT: '0' },
      });
      const a = fs.readFileSync(path.join(dir, 'linked.pdf'));
      expect(a.equals(fs.readFileSync(path.join(dir, 'unlinked.pdf')))).toBe(true);
      expect(linked.stdout.replace('linked.pdf', 'unlinked.pdf')).toBe(plain.stdout);
    },
    120_000,
  );

  withBlob(
    'a batch (-j 2, worker threads started from the restored heap): the same documents',
    () => {
      const outs: Buffer[][] = [];
      for (const mode of ['1', '0']) {
        const out = path.join(dir, `batch-${mode}`);
        const r = run(BIN, ['build', EXAMPLE, '--each-tier', '-j', '2', '-o', `${out}/`], {
          cwd: dir,
          env: { SRQ_SNAPSHOT: mode },
        });
        expect(r.code).toBe(0);
        expect(r.trace).toBe(mode === '1' ? `${STARTED}\n` : '');
        const files = fs.readdirSync(out).sort();
        expect(files).toHaveLength(3);
        outs.push(files.map((f) => fs.readFileSync(path.join(out, f))));
      }
      outs[0].forEach((pdf, i) => expect(pdf.equals(outs[1][i])).toBe(true));
    },
    120_000,
  );

  withBlob(
    'a setting read at module load (SRQ_TEST_FAULT) runs the normal CLI in the same process',
    () => {
      const env = { SRQ_TEST_FAULT: 'create:EACCES' };
      const snap = run(BIN, ['build', EXAMPLE, '-o', 'fault.pdf'], { cwd: dir, env });
      const plain = run(BIN, ['build', EXAMPLE, '-o', 'fault.pdf'], {
        cwd: dir,
        env: { ...env, SRQ_SNAPSHOT: '0' },
      });
      expect(snap.trace).toBe('srq: startup snapshot not used: SRQ_TEST_FAULT is set\n');
      expect(plain.code).not.toBe(0);
      expect([snap.code, snap.stdout, snap.stderr]).toEqual([
        plain.code,
        plain.stdout,
        plain.stderr,
      ]);
    },
    120_000,
  );

  withBlob(
    'the shape cache is read and written where SRQ_CACHE_DIR says at run time, not at build time',
    () => {
      const words: string[][] = [];
      for (const mode of ['1', '0']) {
        const cache = path.join(dir, `cache-${mode}`);
        fs.mkdirSync(cache);
        const r = run(BIN, ['build', 'unicode.yaml', '-o', `cache-${mode}.pdf`], {
          cwd: dir,
          env: { SRQ_SNAPSHOT: mode, SRQ_CACHE_DIR: cache },
        });
        expect(r.code).toBe(0);
        expect(r.trace).toBe(mode === '1' ? `${STARTED}\n` : '');
        const files = fs.readdirSync(cache).filter((f) => f.startsWith('shapes-'));
        words.push(files.flatMap((f) => Object.keys(readShapeStore(path.join(cache, f)))));
      }
      // An empty cache folder: words the warm-up never met were shaped and saved there. (The
      // snapshot's heap already holds the warm-up's words shaped, so it saves fewer.)
      for (const w of words) expect(w).toEqual(expect.arrayContaining(['Ελληνικά:', 'Русский:']));
      const a = fs.readFileSync(path.join(dir, 'cache-1.pdf'));
      expect(a.equals(fs.readFileSync(path.join(dir, 'cache-0.pdf')))).toBe(true);
    },
    120_000,
  );
});

/**
 * A copy of the package (hard links for dist/, node_modules linked) whose dist/.snapshot each test
 * sets up: the launcher's checks, one by one, each on a blob only that check refuses. Its
 * introduction template says something else, so a heap built from the real package's templates
 * (the snapshot's, when it is not refused) shows in the PDF.
 */
describe('a blob the launcher must not hand to node: the normal path, no crash', () => {
  const pkg = path.join(dir, 'pkg');
  const snap = path.join(pkg, 'dist', '.snapshot');
  const bin = path.join(pkg, 'bin', 'srq.js');
  const blobSize = haveBlob ? fs.statSync(BLOB).size : 0;
  const past = new Date(Date.now() - 3600_000);
  let reference: Run;
  let referencePdf: Buffer;

  /** Puts `blob` (bytes, or the real blob hard-linked) and a stamp into the copy's .snapshot. */
  function stage(opts: {
    blob?: Buffer | 'real';
    stamp?: string;
    blobTime?: Date;
    stampTime?: Date;
    /** The node executable the blob was made with (default: the one running the tests). */
    nodeBin?: string;
  }): void {
    fs.rmSync(snap, { recursive: true, force: true });
    fs.mkdirSync(snap);
    const b = path.join(snap, 'srq.blob');
    const s = path.join(snap, 'node');
    fs.symlinkSync(opts.nodeBin ?? fs.realpathSync(process.execPath), path.join(snap, 'node-bin'));
    if (opts.blob === 'real') fs.linkSync(BLOB, b);
    else if (opts.blob) fs.writeFileSync(b, opts.blob);
    fs.writeFileSync(s, opts.stamp ?? `${process.version} ${blobSize}\n`);
    // A hard link shares the real blob's mtime: give the stamp the same one, as the build does.
    const blobTime = opts.blobTime ?? (opts.blob === 'real' ? fs.statSync(BLOB).mtime : past);
    if (opts.blob && opts.blob !== 'real') fs.utimesSync(b, blobTime, blobTime);
    const stampTime = opts.stampTime ?? blobTime;
    fs.utimesSync(s, stampTime, stampTime);
  }

  function build(name: string, env: Record<string, string> = {}): { r: Run; pdf: Buffer } {
    const cwd = path.join(dir, `copy-${name}`);
    fs.mkdirSync(cwd);
    const r = run(bin, ['build', EXAMPLE, '-o', 'out.pdf'], { cwd, env });
    const out = path.join(cwd, 'out.pdf');
    return { r, pdf: fs.existsSync(out) ? fs.readFileSync(out) : Buffer.alloc(0) };
  }

  function expectNormal(name: string, env: Record<string, string> = {}): void {
    const { r, pdf } = build(name, env);
    expect(r.signal).toBeNull();
    expect(r.trace).toBe('');
    expect([r.code, r.stdout, r.stderr]).toEqual([
      reference.code,
      reference.stdout,
      reference.stderr,
    ]);
    expect(pdf.equals(referencePdf)).toBe(true);
  }

  beforeAll(() => {
    if (!haveBlob) return;
    fs.mkdirSync(pkg);
    for (const entry of ['bin', 'templates', 'schema', 'src', 'answers', 'package.json']) {
      fs.cpSync(path.join(ROOT, entry), path.join(pkg, entry), {
        recursive: true,
        preserveTimestamps: true,
      });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    const cp = spawnSync('cp', ['-al', path.join(ROOT, 'dist'), path.join(pkg, 'dist')]);
    if (cp.status !== 0) {
      fs.cpSync(path.join(ROOT, 'dist'), path.join(pkg, 'dist'), {
        recursive: true,
        preserveTimestamps: true,
      });
    }
    fs.rmSync(path.join(pkg, 'dist', '.snapshot'), { recursive: true, force: true });
    fs.rmSync(path.join(pkg, 'dist', '.cache'), { recursive: true, force: true });
    const intro = path.join(pkg, 'templates', 'statement', 'introduction.md.hbs');
    const text = fs.readFileSync(intro, 'utf8');
    fs.rmSync(intro);
    fs.writeFileSync(intro, text.replace('It describes:', 'This copy describes:'));
    const cwd = path.join(dir, 'copy-reference');
    fs.mkdirSync(cwd);
    reference = run(bin, ['build', EXAMPLE, '-o', 'out.pdf'], { cwd, viaNode: true });
    referencePdf = fs.readFileSync(path.join(cwd, 'out.pdf'));
    if (reference.code !== 0) throw new Error(`reference build: ${reference.stderr}`);
  }, 120_000);

  withBlob(
    'a good blob in another folder is started, sees it was built elsewhere, runs the copy',
    () => {
      stage({ blob: 'real' });
      const { r, pdf } = build('good');
      expect(r.trace).toBe(
        `srq: startup snapshot not used: it was built in ${ROOT}, not in ${fs.realpathSync(pkg)}\n`,
      );
      expect([r.code, r.stdout, r.stderr]).toEqual([
        reference.code,
        reference.stdout,
        reference.stderr,
      ]);
      expect(pdf.equals(referencePdf)).toBe(true);
    },
    120_000,
  );

  withBlob(
    'no blob',
    () => {
      stage({});
      expectNormal('missing');
    },
    120_000,
  );

  withBlob(
    'garbage written over the blob after the build (a newer mtime)',
    () => {
      const garbage = crypto.randomBytes(1 << 20);
      stage({
        blob: garbage,
        stamp: `${process.version} ${garbage.length}\n`,
        blobTime: new Date(),
        stampTime: past,
      });
      expectNormal('garbage');
    },
    120_000,
  );

  withBlob(
    'an older blob put back over it (an older mtime)',
    () => {
      const garbage = crypto.randomBytes(1 << 20);
      stage({
        blob: garbage,
        stamp: `${process.version} ${garbage.length}\n`,
        blobTime: new Date(past.getTime() - 3600_000),
        stampTime: past,
      });
      expectNormal('older');
    },
    120_000,
  );

  withBlob(
    'a blob cut short, its mtime kept',
    () => {
      stage({ blob: fs.readFileSync(BLOB).subarray(0, blobSize >> 1) });
      expectNormal('truncated');
    },
    120_000,
  );

  withBlob(
    'a blob made by another node executable than the first on the PATH',
    () => {
      // Another executable: what `nvm use` or another install puts first on the PATH.
      stage({ blob: 'real', nodeBin: '/bin/sh' });
      expectNormal('other-node');
    },
    120_000,
  );

  withBlob(
    'the node executable changed in place since the blob was made (newer than the stamp)',
    () => {
      // A copy of this node, first on the PATH, newer than the stamp: an upgrade written over it.
      const binDir = path.join(dir, 'newer-node');
      fs.mkdirSync(binDir, { recursive: true });
      const copy = path.join(binDir, 'node');
      fs.copyFileSync(fs.realpathSync(process.execPath), copy);
      fs.chmodSync(copy, 0o755);
      stage({ blob: 'real', nodeBin: copy });
      const later = new Date(fs.statSync(path.join(snap, 'node')).mtimeMs + 60_000);
      fs.utimesSync(copy, later, later);
      expectNormal('newer-node', { PATH: `${binDir}:${process.env.PATH ?? ''}` });
      // The same copy, not newer than the stamp: the launcher starts the blob with it.
      const before = new Date(fs.statSync(path.join(snap, 'node')).mtimeMs - 60_000);
      fs.utimesSync(copy, before, before);
      const { r } = build('same-node', { PATH: `${binDir}:${process.env.PATH ?? ''}` });
      expect(r.trace).toBe(
        `srq: startup snapshot not used: it was built in ${ROOT}, not in ${fs.realpathSync(pkg)}\n`,
      );
    },
    120_000,
  );

  withBlob(
    'NODE_OPTIONS set (V8 flags there make node refuse the blob)',
    () => {
      stage({ blob: 'real' });
      expectNormal('node-options', { NODE_OPTIONS: '--max-old-space-size=3000' });
    },
    120_000,
  );

  withBlob(
    'SRQ_SNAPSHOT=0',
    () => {
      stage({ blob: 'real' });
      expectNormal('off', { SRQ_SNAPSHOT: '0' });
    },
    120_000,
  );
});

test('the launcher starts node with the V8 flags the blob is made with', () => {
  // V8 refuses (exit 14) a blob made under other flags: the two lists must stay the same.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script (CommonJS)
  const { V8_FLAGS } = require('../../scripts/snapshot') as { V8_FLAGS: string[] };
  const launcher = fs.readFileSync(path.join(ROOT, 'bin', 'srq.js'), 'utf8').split('\n')[1];
  expect(V8_FLAGS.length).toBeGreaterThan(0);
  expect(launcher).toContain(`exec "$b" ${V8_FLAGS.join(' ')} --snapshot-blob "$d/srq.blob"`);
});

describe('the in-process checks at start (src/cli/snapshot.ts)', () => {
  const script = path.join(ROOT, 'bin', 'srq.js');

  test('a package file changed since the build is named; caches and the snapshot are not', () => {
    const root = tempDir('srq-snapshot-root-');
    try {
      writeFiles(root, {
        'templates/a.hbs': 'one',
        'dist/.cache/shapes.json': '{}',
        'dist/.snapshot/node': 'v20',
      });
      const files = ['templates/a.hbs', 'dist/.cache/shapes.json', 'dist/.snapshot/node'].map((f) =>
        path.join(root, f),
      );
      const inputs = new Map(files.map((f) => [f, statKey(f)]));
      inputs.set('/elsewhere/x.js', 'old');
      expect(changedInput(inputs, root)).toBeUndefined();
      for (const f of files.slice(1)) fs.appendFileSync(f, 'more');
      expect(changedInput(inputs, root)).toBeUndefined();
      fs.appendFileSync(files[0], ' two');
      expect(changedInput(inputs, root)).toBe(files[0]);
      fs.rmSync(files[0]);
      expect(changedInput(inputs, root)).toBe(files[0]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('whyNot: another package folder, a load-time setting, no record', () => {
    const inputs = new Map<string, string>();
    expect(whyNot({}, inputs, script)).toBeUndefined();
    expect(whyNot({}, inputs, '/opt/srq/bin/srq.js')).toMatch(
      /^it was built in .*, not in \/opt\/srq$/,
    );
    expect(whyNot({ SRQ_TEST_FAULT: 'create:EACCES' }, inputs, script)).toBe(
      'SRQ_TEST_FAULT is set',
    );
    expect(whyNot({}, undefined, script)).toBe('it recorded no inputs');
  });
});

describe("the warm-up's glyphs kept in the heap (src/cli/snapshot.ts, unambiguous)", () => {
  const dejavu = () => {
    const ttf = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    return fontkit.create(fs.readFileSync(path.join(ttf, 'DejaVuSans.ttf'))) as fontkit.Font;
  };
  const ids = (font: fontkit.Font, text: string) => font.layout(text).glyphs.map((g) => g.id);
  const saved = process.env.SRQ_SHAPE_CACHE;
  beforeAll(() => (process.env.SRQ_SHAPE_CACHE = '0'));
  afterAll(() => {
    if (saved === undefined) delete process.env.SRQ_SHAPE_CACHE;
    else process.env.SRQ_SHAPE_CACHE = saved;
  });

  test('substitution outputs: the fl ligature, Arabic joining forms; not a plain letter', () => {
    const font = dejavu();
    const out = substituteOutputs(font);
    const [fl] = ids(font, 'fl');
    const beh = ids(font, 'ببب');
    expect(ids(font, 'f')).not.toContain(fl);
    expect(out.has(fl)).toBe(true);
    for (const id of beh) expect(out.has(id)).toBe(true);
    expect(out.has(ids(font, 'a')[0])).toBe(false);
    expect(out.size).toBeGreaterThan(100);
  });

  test('kept: a glyph only its own code point reaches; not a ligature first met as U+FB02', () => {
    const font = dejavu();
    // First uses as the warm-up would make them: literal ﬂ (one code point, its own glyph).
    const [lig] = font.layout('\ufb02').glyphs;
    const [a] = font.layout('a').glyphs;
    const [space] = font.layout(' ').glyphs;
    expect(lig.codePoints).toEqual([0xfb02]);
    const keep = unambiguous(font);
    expect(keep.has(a)).toBe(true);
    expect(keep.has(lig)).toBe(false);
    // The space glyph is kept unless the cmap maps U+00A0 to it too.
    const nbsp = ids(dejavu(), '\u00a0')[0];
    expect(keep.has(space)).toBe(nbsp !== space.id);
  });

  test('forgetGlyphs drops the glyph objects and the shaped runs holding them', () => {
    const font = dejavu();
    const word = shapeText(font, 'flow');
    const other = shapeText(font, 'a');
    expect(shapeText(font, 'flow')).toBe(word);
    forgetGlyphs(font, new Set(other.glyphs));
    expect(shapeText(font, 'a')).toBe(other);
    const again = shapeText(font, 'flow');
    expect(again).not.toBe(word);
    expect(again.glyphs[0]).not.toBe(word.glyphs[0]);
  });
});
