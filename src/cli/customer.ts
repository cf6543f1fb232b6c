import path from 'node:path';
import { displayPath } from '../answers/read';
import { CheckError, EXIT, IoError, UsageError } from '../errors';
import { readAnswers } from '../answers/read';
import fs from 'node:fs';
import { refuseInputAsOutput } from '../fsx';
import { runCustomerInterview } from '../interview/customer';
import { requireTerminal, withInteractiveFile } from '../interview/terminal';
import { printHint, type CliContext } from './context';

interface Options {
  tier?: string;
  output: string;
}

/** Without --tier: the provider's tiers, to choose from (needs no terminal). */
function listTiers(providerAbs: string, providerShown: string): never {
  const parsed = readAnswers(providerAbs);
  if (!parsed.value) {
    throw new CheckError(
      `${providerShown}: ${parsed.errors.length} error(s) in the provider's file; fix them (srq validate ${providerShown}) first`,
      parsed.errors,
    );
  }
  const tiers = parsed.value.answers.tiers;
  throw new UsageError(
    `give the tier you bought with --tier; ${providerShown} has ${tiers.map((t) => `${t.id} (${t.name})`).join(', ')} (e.g. srq customer ${providerShown} --tier ${tiers[0].id})`,
  );
}

export async function run(ctx: CliContext, providerFile: string, opts: Options): Promise<number> {
  const providerAbs = path.resolve(ctx.cwd, providerFile);
  // The customer's file is written, the provider's only read: -o must not name it.
  refuseInputAsOutput(path.resolve(ctx.cwd, opts.output), [providerAbs]);
  if (!opts.tier && fs.existsSync(providerAbs))
    listTiers(providerAbs, displayPath(providerAbs, ctx.cwd));
  requireTerminal(ctx, {
    what: 'the customer interview',
    file: opts.output,
    example: 'answers/example-customer.yaml',
  });
  const providerShown = displayPath(providerAbs, ctx.cwd);
  if (!fs.existsSync(providerAbs))
    throw new IoError(`${providerShown}: no such file (give the provider's answers file)`);
  const tier = opts.tier ?? listTiers(providerAbs, providerShown);
  return withInteractiveFile(ctx, opts.output, {
    resume: (shown) => `srq customer ${providerShown} --tier ${tier} -o ${shown}`,
    flow: async ({ prompts, abs, shown }) => {
      const res = await runCustomerInterview({
        providerFile: providerAbs,
        providerShown,
        tier: tier,
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
  });
}
