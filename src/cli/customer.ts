import path from 'node:path';
import { displayPath } from '../answers/read';
import { EXIT, IoError } from '../errors';
import fs from 'node:fs';
import { refuseInputAsOutput } from '../fsx';
import { runCustomerInterview } from '../interview/customer';
import { requireTerminal, withInteractiveFile } from '../interview/terminal';
import { printHint, type CliContext } from './context';

interface Options {
  tier: string;
  output: string;
}

export async function run(ctx: CliContext, providerFile: string, opts: Options): Promise<number> {
  const providerAbs = path.resolve(ctx.cwd, providerFile);
  // The customer's file is written, the provider's only read: -o must not name it.
  refuseInputAsOutput(path.resolve(ctx.cwd, opts.output), [providerAbs]);
  requireTerminal(ctx, {
    what: 'the customer interview',
    file: opts.output,
    example: 'answers/example-customer.yaml',
  });
  const providerShown = displayPath(providerAbs, ctx.cwd);
  if (!fs.existsSync(providerAbs))
    throw new IoError(`${providerShown}: no such file (give the provider's answers file)`);
  return withInteractiveFile(
    ctx,
    opts.output,
    (shown) => `srq customer ${providerShown} --tier ${opts.tier} -o ${shown}`,
    async ({ prompts, abs, shown }) => {
      const res = await runCustomerInterview({
        providerFile: providerAbs,
        providerShown,
        tier: opts.tier,
        file: abs,
        shown,
        deps: { prompts, now: ctx.now },
      });
      if (res.unanswered.length) {
        printHint(
          ctx,
          `\nSaved ${shown}. Still unanswered: ${res.unanswered.join(', ')}. Run the same command again to carry on.`,
        );
      } else {
        printHint(
          ctx,
          `\nSaved ${shown}. Check it with \`srq validate ${shown}\`, then \`srq build ${shown}\`.`,
        );
      }
      return EXIT.ok;
    },
  );
}
