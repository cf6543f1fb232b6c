import path from 'node:path';
import { approveAnswers } from '../model/approve';
import { displayPath } from '../answers/read';
import { isRealDate } from '../answers/schema';
import { EXIT, UsageError } from '../errors';
import { readTextFile, writeFileAtomic } from '../fsx';
import { acquireLock } from '../lock';
import { localDay } from '../today';
import type { CliContext } from './context';

interface Options {
  by?: string;
  on?: string;
  all?: boolean;
  reviewed?: boolean;
}

/** srq approve <answers> [ids...] --by NAME: seal approvals of answers as they are now. */
export async function run(
  ctx: CliContext,
  { file, ids }: { file: string; ids: string[] },
  opts: Options,
): Promise<number> {
  const by = opts.by?.trim();
  if (!by) throw new UsageError('srq approve needs --by "Name" (who approves the answers)');
  const on = opts.on ?? localDay(ctx.now());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(on) || !isRealDate(on))
    throw new UsageError(`--on must be an ISO date such as 2026-11-22 (got "${on}")`);
  const abs = path.resolve(ctx.cwd, file);
  const shown = displayPath(abs, ctx.cwd);
  const lock = acquireLock(abs, { now: ctx.now });
  if (lock.tookOver) ctx.stderr(`srq: ${lock.tookOver}`);
  try {
    const text = readTextFile(abs);
    const res = approveAnswers({
      file: abs,
      shown,
      text,
      ids,
      by,
      on,
      ...(opts.all ? { all: true } : {}),
      ...(opts.reviewed ? { reviewed: true } : {}),
    });
    if (!res.approved.length) {
      ctx.stdout(`${shown}: every answer is already approved and current; nothing to do`);
      return EXIT.ok;
    }
    // NOTE: approve edits the answers file it read, on purpose.
    if (res.text !== text) writeFileAtomic(abs, res.text, { replacesInput: true });
    ctx.stdout(
      `${shown}: approved ${res.approved.length} answer(s) by ${by} on ${on}: ${res.approved.join(', ')}`,
    );
    return EXIT.ok;
  } finally {
    lock.release();
  }
}
