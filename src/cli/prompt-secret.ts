import { UsageError } from '../errors';
import type { CliContext } from './context';

/** The environment variable srq reads a key passphrase from; never a command-line argument. */
export const PASSPHRASE_ENV = 'SRQ_KEY_PASSPHRASE';

/**
 * A key passphrase: from SRQ_KEY_PASSPHRASE, else asked on the terminal with the input hidden
 * (and asked twice when `confirm`, for a new key). Without a terminal and without the variable
 * this is a usage error, never a silent empty passphrase.
 */
export async function readPassphrase(
  ctx: CliContext,
  options: { purpose: string; confirm?: boolean },
): Promise<string> {
  const fromEnv = ctx.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!ctx.isTTY) {
    throw new UsageError(
      `no passphrase for ${options.purpose}: set ${PASSPHRASE_ENV} (there is no terminal to ask on)`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { password } = require('@inquirer/prompts') as typeof import('@inquirer/prompts');
  const first = await password({ message: `Passphrase for ${options.purpose}:`, mask: '*' });
  if (!first) throw new UsageError('the passphrase is empty (type one, or set SRQ_KEY_PASSPHRASE)');
  if (options.confirm) {
    const again = await password({ message: 'Type it again:', mask: '*' });
    if (again !== first)
      throw new UsageError('the two passphrases differ (nothing was written; try again)');
  }
  return first;
}
