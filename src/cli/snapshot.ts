import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import type * as fontkit from 'fontkit';
import { EXIT } from '../errors';
import { resetInputs } from '../fsx';
import { PACKAGE_ROOT } from '../paths';
import { forgetGlyphs, loadFonts } from '../pdf/fonts';
import { forgetLines } from '../pdf/measure';
import { forgetShapeStores, revalidateShapeStores } from '../pdf/shape-cache';
import { run as build } from './build';
import type { CliContext } from './context';
import { run as example } from './example';
import { main } from './index';

/**
 * The entry of srq's V8 startup snapshot (scripts/snapshot.js bundles this file, with all it
 * imports, into dist/snapshot.js and runs `node --build-snapshot` on it at `npm run build`).
 * Building it evaluates every module the PDF commands use and builds the bundled example twice
 * (signed, with a throw-away demo key, and unsigned), so that fonts are parsed, templates
 * compiled, the shape cache read and every function compiled to bytecode; the heap as it is then
 * is written to dist/.snapshot/srq.blob. bin/srq.js starts `node --snapshot-blob` on it for the
 * commands it serves: a cold build then starts from that heap instead of from nothing.
 *
 * The snapshot is only ever an optimisation: at start `start` checks that nothing it was made
 * from has changed since (each package file the build read, by size and mtime) and that no
 * setting read at module load is set; otherwise it runs the normal CLI (bin/load.js) in this
 * process. SRQ_SNAPSHOT_TRACE=1 says on stderr which of the two ran, and why.
 */

/** What the banner scripts/snapshot.js puts before the bundle records while the snapshot builds. */
interface Recorder {
  /** path -> its size and mtime (or '' when absent) when the build first looked at it */
  inputs: Map<string, string>;
  recording: boolean;
  /** Called when the snapshot starts: the real require() of this package, for run time. */
  runtime(): void;
}
const RECORDER = Symbol.for('srq.snapshot');
const recorder = (): Recorder | undefined =>
  (globalThis as unknown as Record<symbol, Recorder | undefined>)[RECORDER];

/** A file's size and mtime, or '' when it does not exist (the same key the banner records). */
export function statKey(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** Package files (not caches, not the warm-up's temporary files) the snapshot was made from. */
export function packageInputs(inputs: Map<string, string>, root = PACKAGE_ROOT): string[] {
  const skip = [path.join(root, 'dist', '.cache'), path.join(root, 'dist', '.snapshot')];
  return [...inputs.keys()].filter(
    (f) =>
      f.startsWith(root + path.sep) && !skip.some((s) => f === s || f.startsWith(s + path.sep)),
  );
}

/** The first package file that differs from when the snapshot was made, if any. */
export function changedInput(inputs: Map<string, string>, root = PACKAGE_ROOT): string | undefined {
  return packageInputs(inputs, root).find((f) => statKey(f) !== inputs.get(f));
}

/**
 * Settings read once, when a module is evaluated: in a snapshot they would keep the value they
 * had when it was built, so a process with any of them set runs the normal CLI instead.
 */
export const LOAD_TIME_SETTINGS = ['SRQ_TEST_FAULT'];

/** Why this process cannot use the snapshot's heap, or undefined when it can. */
export function whyNot(
  env: NodeJS.ProcessEnv,
  inputs: Map<string, string> | undefined,
  script: string,
): string | undefined {
  // A copy of the package elsewhere, blob and all: this heap reads the files where it was built.
  if (path.dirname(path.dirname(script)) !== PACKAGE_ROOT) {
    return `it was built in ${PACKAGE_ROOT}, not in ${path.dirname(path.dirname(script))}`;
  }
  const set = LOAD_TIME_SETTINGS.find((k) => env[k] !== undefined);
  if (set) return `${set} is set`;
  if (!inputs) return 'it recorded no inputs';
  const changed = changedInput(inputs);
  if (changed) return `${path.relative(PACKAGE_ROOT, changed)} changed since it was built`;
  return undefined;
}

/**
 * V8's interrupt budget in the restored process (node's default is 67,584). NOTE: V8 counts
 * bytecode run against this budget to decide when a function is worth optimising with TurboFan;
 * optimising the functions a cold build runs only briefly cost more than it saved (the
 * build used 540 ms of CPU for 400 ms of wall). With 9x the budget only code that runs long is
 * optimised: the cold build --sign of the example took 357 ms instead of 400 (420 ms of CPU instead of 540,
 * interleaved, 15 runs), and the 1,400-principle build was no slower (3.41 s against 3.39-3.51).
 * 3x (200,000) is better than 9x for both (issue 15, later): the cold signed build 344 -> 334 ms
 * (31 runs), the 1,400-principle build 2,896 -> 2,764 ms (7 runs), interleaved, for a little more
 * CPU (the compiler threads run on the second core while the build waits on nothing; with node's
 * default the 702-page build spent ~2.4 s of compiler-thread time, and was 2,724 ms against
 * 2,557 at 200,000 and 2,722 at 600,000, without the snapshot).
 * Set at run time, after the heap is restored: V8 refuses a blob made with other flags.
 * NOTE: only here, not in bin/load.js: a code cache (vm.Script cachedData) records the flags
 * it was made under, so the normal path would refuse its own caches.
 */
export const INTERRUPT_BUDGET = 200_000;

function trace(text: string): void {
  if (process.env.SRQ_SNAPSHOT_TRACE === '1') process.stderr.write(`srq: ${text}\n`);
}

/** The deserialised process's main: argv as node gives a script ([node, script, ...args]). */
function start(): void {
  const rec = recorder();
  rec?.runtime();
  const script = path.resolve(process.argv[1] ?? path.join(PACKAGE_ROOT, 'bin', 'srq.js'));
  process.argv[1] = script;
  // bin/srq.js as node would load it: through any symlinks (npm's .bin/srq is one).
  let real = script;
  try {
    real = fs.realpathSync(script);
  } catch {
    // not there: whyNot says so
  }
  const why = whyNot(process.env, rec?.inputs, real);
  if (why) {
    trace(`startup snapshot not used: ${why}`);
    const req = createRequire(real);
    (req('./load.js') as { loadCli(): { main(argv: string[]): void } })
      .loadCli()
      .main(process.argv);
    return;
  }
  trace('started from the startup snapshot');
  v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  // Another process may have added words to the shape cache since the snapshot read it.
  revalidateShapeStores();
  main(process.argv);
}

/** A LazyArray of fontkit's (or a plain array, or nothing) as an array. */
function list<T>(x: unknown): T[] {
  if (!x) return [];
  if (Array.isArray(x)) return x as T[];
  const lazy = x as { toArray?: () => T[] };
  if (typeof lazy.toArray === 'function') return lazy.toArray();
  throw new Error('not a list');
}

interface Coverage {
  version: number;
  glyphs?: unknown;
  rangeRecords?: unknown;
}

function coverageGlyphs(c: Coverage): number[] {
  if (c.version === 1) return list<number>(c.glyphs);
  if (c.version === 2) {
    const out: number[] = [];
    for (const r of list<{ start: number; end: number }>(c.rangeRecords)) {
      for (let g = r.start; g <= r.end; g++) out.push(g);
    }
    return out;
  }
  throw new Error(`coverage format ${c.version}`);
}

/** Every glyph id some GSUB substitution of `font` can put out (throws on a table it cannot read). */
export function substituteOutputs(font: fontkit.Font): Set<number> {
  const out = new Set<number>();
  const gsub = (font as unknown as { GSUB?: { lookupList: unknown } }).GSUB;
  if (!gsub) return out;
  type Sub = Record<string, unknown> & { version?: number; coverage?: Coverage };
  const visit = (type: number, st: Sub): void => {
    switch (type) {
      case 1:
        if (st.version === 1) {
          for (const g of coverageGlyphs(st.coverage!))
            out.add((g + Number(st.deltaGlyphID)) & 0xffff);
        } else if (st.version === 2) list<number>(st.substitute).forEach((g) => out.add(g));
        else throw new Error(`single substitution format ${st.version}`);
        return;
      case 2:
      case 3:
        for (const seq of list<unknown>(st.sequences ?? st.alternateSet)) {
          list<number>(seq).forEach((g) => out.add(g));
        }
        return;
      case 4:
        for (const set of list<unknown>(st.ligatureSets)) {
          for (const lig of list<{ glyph: number }>(set)) out.add(lig.glyph);
        }
        return;
      case 5:
      case 6:
        return; // they apply other lookups, which are visited themselves
      case 7:
        visit(Number(st.lookupType), st.extension as Sub);
        return;
      case 8:
        list<number>(st.substitutes).forEach((g) => out.add(g));
        return;
      default:
        throw new Error(`GSUB lookup type ${type}`);
    }
  };
  for (const lookup of list<{ lookupType: number; subTables: unknown }>(gsub.lookupList)) {
    for (const st of list<Sub>(lookup.subTables)) visit(lookup.lookupType, st);
  }
  return out;
}

/**
 * The glyph objects of `font` (made by the warm-up) whose code points any first use gives: one
 * code point, the only one the cmap maps to that glyph, and no substitution puts the glyph out.
 * None when the font's tables cannot be read that far (all are then made again).
 */
export function unambiguous(font: fontkit.Font): Set<fontkit.Glyph> {
  const made = (font as unknown as { _glyphs?: Record<string, fontkit.Glyph> })._glyphs ?? {};
  const before = Object.entries(made);
  const keep = new Set<fontkit.Glyph>();
  try {
    const substituted = substituteOutputs(font);
    // glyphForCodePoint makes glyph objects too: those are dropped with the rest below.
    const mappedFrom = new Map<number, number[]>();
    const cmap = font as unknown as {
      characterSet: number[];
      glyphForCodePoint(cp: number): fontkit.Glyph;
    };
    for (const cp of cmap.characterSet) {
      const id = cmap.glyphForCodePoint(cp).id;
      mappedFrom.set(id, [...(mappedFrom.get(id) ?? []), cp]);
    }
    for (const [id, glyph] of before) {
      const cps = glyph.codePoints ?? [];
      const from = mappedFrom.get(Number(id)) ?? [];
      if (
        cps.length === 1 &&
        from.length === 1 &&
        from[0] === cps[0] &&
        !substituted.has(Number(id))
      ) {
        keep.add(glyph);
      }
    }
  } catch {
    keep.clear();
  }
  return keep;
}

/** Builds the example as `npm start` does (demo key, signed) and unsigned, in the current folder. */
async function warmUp(): Promise<void> {
  const dir = process.cwd();
  const lines: string[] = [];
  const ctx: CliContext = {
    stdout: (t) => lines.push(t),
    stderr: (t) => lines.push(t),
    invocation: 'srq',
    cwd: dir,
    env: {},
    isTTY: false,
    colour: false,
    debug: false,
    // A day on which the example is current (its approvals and evidence have not aged).
    now: () => new Date(2026, 11, 1, 12),
  };
  const answers = path.join(PACKAGE_ROOT, 'answers', 'example-cloud.yaml');
  const codes = [
    await example(ctx),
    await build(ctx, [answers], { output: path.join(dir, 'unsigned.pdf'), force: true }),
  ];
  if (codes.some((c) => c !== EXIT.ok)) {
    throw new Error(`the warm-up build failed (exit ${codes.join(', ')}):\n${lines.join('\n')}`);
  }
  // What the warm-up read is not an input of the first real command.
  resetInputs();
  // Glyphs keep the text of their first use, which the next document's ToUnicode map reads: the
  // first real document must not inherit the warm-up's (the bytes would differ from a fresh run).
  for (const font of new Set(Object.values(loadFonts()))) forgetGlyphs(font, unambiguous(font));
  // The builds saved their words; the files are read again when a real build needs them.
  forgetShapeStores();
  forgetLines();
}

if (v8.startupSnapshot?.isBuildingSnapshot()) {
  void warmUp().then(() => {
    const rec = recorder();
    if (rec) rec.recording = false;
    if (process.listenerCount('exit')) throw new Error('the warm-up left an exit listener');
    // The banner made the build's regexps interpreted; V8 refuses a snapshot taken with other
    // flags than the process that starts from it, so they go back to node's defaults.
    v8.setFlagsFromString('--no-regexp-interpret-all');
    v8.setFlagsFromString('--regexp-tier-up');
    v8.startupSnapshot.setDeserializeMainFunction(start);
  });
}
