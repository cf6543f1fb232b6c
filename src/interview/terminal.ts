import fs from 'node:fs';
import path from 'node:path';
import { displayPath } from '../answers/read';
import { CancelledError, UsageError } from '../errors';
import { acquireLock, type Lock } from '../lock';
import type { CliContext } from '../cli/context';
import { isCancel, terminalPrompts, type Prompts } from './prompts';

/** What the interview commands share: the terminal check, the lock, and Ctrl+C handled once. */

/** Refuses an interactive command without a terminal, saying how to do the same without one. */
export function requireTerminal(
  ctx: CliContext,
  o: {
    /** What needs the terminal: "the interview". */
    what: string;
    /** The answers file it would write. */
    file?: string;
    /** The example to start from instead. */
    example?: string;
    alternative?: string;
  },
): void {
  if (ctx.isTTY) return;
  const target = o.file ? displayPath(path.resolve(ctx.cwd, o.file), ctx.cwd) : 'the answers file';
  throw new UsageError(
    `${o.what} asks its questions on a terminal, and there is none here (input or output is redirected); ` +
      `without one, write ${target} as YAML (see "Answers format" in the README, or start from ${o.example ?? 'answers/example-cloud.yaml'}) and check it with \`srq validate <file>\`` +
      (o.alternative ? `; ${o.alternative}` : ''),
  );
}

export interface Interactive {
  prompts: Prompts;
  abs: string;
  shown: string;
}

/**
 * Runs an interactive flow on `file` holding its lock. Ctrl+C (the prompt library's
 * ExitPromptError) becomes a CancelledError that says how to resume (everything completed is
 * already saved); the CLI's one top-level catch prints it and exits 130.
 */
export async function withInteractiveFile(
  ctx: CliContext,
  file: string,
  {
    resume,
    flow,
  }: { resume: (shown: string) => string; flow: (i: Interactive) => Promise<number> },
): Promise<number> {
  const abs = path.resolve(ctx.cwd, file);
  const shown = displayPath(abs, ctx.cwd);
  // A new file in a folder that does not exist yet (`srq interview` outside a project makes
  // answers/answers.yaml): make the folder, and take it away again if nothing was saved in it.
  const dir = path.dirname(abs);
  const madeDir = !fs.existsSync(dir);
  if (madeDir) {
    fs.mkdirSync(dir, { recursive: true });
    ctx.stderr(`srq: creating the folder ${displayPath(dir, ctx.cwd)} for ${shown}`);
  }
  const lock: Lock = acquireLock(abs, { now: ctx.now });
  if (lock.tookOver) ctx.stderr(`srq: ${lock.tookOver}`);
  try {
    return await flow({
      prompts: terminalPrompts({ env: ctx.env, say: (t) => ctx.stdout(t) }),
      abs,
      shown,
    });
  } catch (err) {
    if (!isCancel(err)) throw err;
    throw new CancelledError(
      `Stopped. Every completed answer is saved in ${shown}; to carry on, run: ${resume(shown)}`,
      { cause: err },
    );
  } finally {
    lock.release();
    if (madeDir && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
}
