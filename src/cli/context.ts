import fs from 'node:fs';
import path from 'node:path';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdin and stdout are terminals (interactive prompts allowed). */
  isTTY: boolean;
  /** Whether stdout is a terminal (colour, progress). */
  colour: boolean;
  /** The terminal's width when stdout is one; undefined when piped (tables print whole). */
  columns?: number;
  debug: boolean;
  /** Clock, pinned in tests. */
  now: () => Date;
  /** How the user runs srq (`npx srq`, `srq`, `./node_modules/.bin/srq`); hints use it. */
  invocation?: string;
}

const COMMANDS =
  'validate|build|sign|verify|keygen|interview|review|customer|diff|status|register|export|version';
const SRQ_COMMAND = new RegExp(`(^|[\\s\`(:])(?<!npx )srq (?=(?:${COMMANDS})\\b)`, 'g');

/**
 * Hints name commands as `srq build …`; this writes them the way the user runs srq, so a hint
 * can be copied as it is (`npx srq build …` when srq came through npx and is not on the PATH).
 */
export function asTyped(text: string, invocation = 'srq'): string {
  return invocation === 'srq' ? text : text.replace(SRQ_COMMAND, `$1${invocation} `);
}

/** Prints a line for the user on stdout, with commands written the way they run srq. */
export function printHint(ctx: CliContext, text: string): void {
  ctx.stdout(asTyped(text, ctx.invocation));
}

/**
 * How srq was started, as the user would type it again: `npx srq` under npm (npx, npm start),
 * `srq` when that name on the PATH is this program (npm link, a global install), else the path
 * the user typed (`./node_modules/.bin/srq`); plain `srq` otherwise.
 */
export function detectInvocation(o: {
  env: NodeJS.ProcessEnv;
  script: string | undefined;
  cwd: string;
}): string {
  // npx srq …, npm exec srq …, npm start (not npm test: its children are tests, not users).
  const npm = o.env.npm_lifecycle_event;
  if (npm === 'npx' || npm === 'start' || (o.env.npm_command === 'exec' && !npm)) return 'npx srq';
  if (!o.script) return 'srq';
  const real = (f: string) => {
    try {
      return fs.realpathSync(f);
    } catch {
      return undefined;
    }
  };
  const self = real(o.script);
  for (const dir of (o.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const onPath = real(path.join(dir, 'srq'));
    if (onPath && onPath === self) return 'srq';
  }
  const up = path.relative(o.cwd, o.script);
  const rel = !up || up.startsWith('..') ? o.script : up;
  const shown = path.isAbsolute(rel) || rel.startsWith('.') ? rel : `./${rel}`;
  // NOTE: `node bin/srq.js` (a developer's or a test's way) keeps the plain `srq` in hints.
  return path.basename(o.script) === 'srq' ? shown : 'srq';
}

/**
 * A writer for stdout (fd 1) or stderr (2) that goes quiet once the reader has gone (`srq … |
 * head`): the EPIPE is not an error of srq, and the command still finishes what it was doing (a
 * build still writes its PDF and register line), it just prints nothing more.
 * NOTE: written with fs.writeSync, not through process.stdout and process.stderr: making those
 * streams loads node:net, node:stream and node:tty, ~4 ms of every start (a twentieth of `srq
 * --help`), and on Linux they write a terminal, a pipe or a file synchronously too. A pipe left
 * non-blocking by whoever made it (EAGAIN: full) gets the rest through the stream, which waits.
 */
export function quietOnEpipe(
  fd: 1 | 2,
  stream: () => NodeJS.WritableStream,
  write: typeof fs.writeSync = fs.writeSync,
): (text: string) => void {
  let closed = false;
  let viaStream: NodeJS.WritableStream | undefined;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw err;
  };
  return (t) => {
    if (closed) return;
    const bytes = Buffer.from(t.endsWith('\n') ? t : `${t}\n`);
    if (viaStream) {
      viaStream.write(bytes);
      return;
    }
    let done = 0;
    try {
      while (done < bytes.length) done += write(fd, bytes, done, bytes.length - done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        closed = true;
        return;
      }
      if (code !== 'EAGAIN') throw err;
      viaStream = stream();
      viaStream.on('error', onError);
      viaStream.write(bytes.subarray(done));
    }
  };
}

/**
 * Whether `fd` is a terminal. NOTE: a terminal is a character device, so for a pipe or a file
 * (tests, CI, `srq … | less`, `> file`) a stat answers, without node:tty (which loads node:net
 * and node:stream); /dev/null and real terminals are asked of tty.isatty.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fs.fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * SRQ_NOW pins the clock for srq's own tests (an ISO date-time). It is not a user setting
 * (users have --today): a value that is not a date-time is ignored, never an internal error.
 */
export function pinnedNow(value: string | undefined): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
    return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export function processContext(debug: boolean): CliContext {
  const invocation = detectInvocation({
    env: process.env,
    script: process.argv[1],
    cwd: process.cwd(),
  });
  const stderr = quietOnEpipe(2, () => process.stderr);
  // NOTE: not process.stdin.isTTY nor process.stdout.isTTY: the first use of each makes its
  // stream (~2 ms each of every start); the prompts make them when they ask.
  const terminal = isTerminal(1);
  return {
    stdout: quietOnEpipe(1, () => process.stdout),
    stderr: (t) => stderr(asTyped(t, invocation)),
    invocation,
    ...(terminal && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    cwd: process.cwd(),
    env: process.env,
    isTTY: terminal && isTerminal(0),
    colour: terminal && !process.env.NO_COLOR,
    debug,
    now: () => pinnedNow(process.env.SRQ_NOW) ?? new Date(),
  };
}
