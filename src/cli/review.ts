import path from 'node:path';
import { displayPath } from '../answers/read';
import { EXIT } from '../errors';
import { acquireLock } from '../lock';
import { runReview, type ReviewResult } from '../interview/review';
import { requireTerminal, withInteractiveFile } from '../interview/terminal';
import type { Prompts } from '../interview/prompts';
import { printHint, type CliContext } from './context';

interface Options {
  yes?: boolean;
  major?: boolean;
  by?: string;
}

/** A prompt set for --yes: the flow asks nothing then, so any question is a bug. */
const noPrompts = new Proxy({} as Prompts, {
  get: (_t, name) =>
    name === 'say'
      ? () => undefined
      : () => {
          throw new Error(`srq review --yes asked a question (${String(name)})`);
        },
});

export async function run(ctx: CliContext, file: string, opts: Options): Promise<number> {
  const report = (res: ReviewResult, shown: string) => {
    printHint(
      ctx,
      `${shown}: version ${res.from} → ${res.to}, issued ${res.issued}, next review ${res.review}` +
        (res.edited.length ? `; edited ${res.edited.join(', ')}` : '') +
        (res.removed.length ? `; removed ${res.removed.join(', ')}` : ''),
    );
    for (const e of res.expiring) {
      ctx.stderr(
        `${shown}: warning: evidence ${e.id} (${e.name}) expires on ${e.expires}, before the next review ${res.review} (renew it and update the date)`,
      );
    }
    return EXIT.ok;
  };
  if (opts.yes) {
    const abs = path.resolve(ctx.cwd, file);
    const shown = displayPath(abs, ctx.cwd);
    const lock = acquireLock(abs, { now: ctx.now });
    if (lock.tookOver) ctx.stderr(`srq: ${lock.tookOver}`);
    try {
      const res = await runReview({
        file: abs,
        shown,
        yes: true,
        major: Boolean(opts.major),
        deps: { prompts: noPrompts, now: ctx.now },
      });
      return report(res, shown);
    } finally {
      lock.release();
    }
  }
  requireTerminal(ctx, {
    what: 'the review',
    file,
    alternative: 'or run `srq review <file> --yes` to keep every answer and bump the version',
  });
  return withInteractiveFile(ctx, file, {
    resume: (shown) =>
      `srq review ${shown} (kept and edited answers are saved; the version is bumped at the end)`,
    flow: async ({ prompts, abs, shown }) => {
      const res = await runReview({
        file: abs,
        shown,
        major: Boolean(opts.major),
        ...(opts.by ? { reviewer: opts.by } : {}),
        deps: { prompts, now: ctx.now },
      });
      return report(res, shown);
    },
  });
}
