import path from 'node:path';
import { displayPath } from '../answers/read';
import { UsageError } from '../errors';
import { acquireLock, type Lock } from '../lock';
import type { CliContext } from '../cli/context';
import { isCancel, terminalPrompts, type Prompts } from './prompts';

/** What the interview commands share: the terminal check, the lock, and Ctrl+C handled once. */

/** Exit code after Ctrl+C: 128 + SIGINT, what shells report for an interrupted command. */
export const EXIT_CANCELLED = 130;

/** Refuses an interactive command without a terminal. `file`: the answers file it would write. */
export function requireTerminal(
  ctx: CliContext,
  command: string,
  alternative?: string,
  file?: string,
): void {
  if (ctx.isTTY) return;
  const target = file ? displayPath(path.resolve(ctx.cwd, file), ctx.cwd) : 'the answers file';
  throw new UsageError(
    `${command} is interactive and needs a terminal; without one, write ${target} as YAML ` +
      `(see "Answers format" in the README, or start from answers/example-cloud.yaml) and check it with \`srq validate <file>\`` +
      (alternative ? `; ${alternative}` : ''),
  );
}

export interface Interactive {
  prompts: Prompts;
  abs: string;
  shown: string;
}

/**
 * Runs an interactive flow on `file` holding its lock. Ctrl+C (the prompt library's
 * ExitPromptError) ends it here: everything completed is already saved; say how to resume.
 */
export async function withInteractiveFile(
  ctx: CliContext,
  file: string,
  resume: (shown: string) => string,
  flow: (i: Interactive) => Promise<number>,
): Promise<number> {
  const abs = path.resolve(ctx.cwd, file);
  const shown = displayPath(abs, ctx.cwd);
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
    ctx.stderr(
      `\nStopped. Every completed answer is saved in ${shown}; to carry on, run: ${resume(shown)}`,
    );
    return EXIT_CANCELLED;
  } finally {
    lock.release();
  }
}
