import fs from 'node:fs';
import path from 'node:path';
import { EXIT, IoError, UsageError } from '../errors';
import { shownPath, writeFileAtomic } from '../fsx';
import { KEY_TYPES, type KeyType, generateSelfSignedP12 } from '../sign/keygen';
import type { CliContext } from './context';
import { readPassphrase } from '../interview/prompts';

interface Options {
  name: string;
  email?: string;
  ca?: boolean;
  days?: string;
  keyType?: string;
  output?: string;
}

/** Passphrases shorter than this get a warning at keygen (a P12 can be attacked offline). */
export const MIN_PASSPHRASE = 12;

/** Where the public certificate goes beside a key file: `key.p12` -> `key-cert.pem`. */
export function certificatePathFor(keyFile: string): string {
  const ext = path.extname(keyFile);
  return `${ext ? keyFile.slice(0, -ext.length) : keyFile}-cert.pem`;
}

const KEY_LABELS: Record<KeyType, string> = {
  rsa: 'RSA 2048-bit',
  'ec-p256': 'ECDSA P-256 (signs with SHA-256)',
  'ec-p384': 'ECDSA P-384 (signs with SHA-384)',
};

export async function run(ctx: CliContext, opts: Options): Promise<number> {
  const days = Number(opts.days ?? '365');
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new UsageError(
      `--days must be a whole number of days from 1 to 36500 (got "${opts.days}")`,
    );
  }
  if (!opts.name.trim())
    throw new UsageError(
      '--name must not be empty (the certificate\'s common name, e.g. "Alex Morgan")',
    );
  const keyType = (opts.keyType ?? 'rsa').toLowerCase();
  if (!(KEY_TYPES as readonly string[]).includes(keyType)) {
    throw new UsageError(
      `--key-type must be one of ${KEY_TYPES.join(', ')} (got "${opts.keyType}")`,
    );
  }
  const file = path.resolve(ctx.cwd, opts.output ?? 'srq-key.p12');
  // Checked before asking for a passphrase; writeFileAtomic checks again, race-free.
  if (fs.existsSync(file)) {
    throw new IoError(
      `${shownPath(file)}: already exists (choose another path with -o; nothing was overwritten)`,
    );
  }
  const passphrase = await readPassphrase(ctx, {
    purpose: `the new key ${shownPath(file)}`,
    confirm: true,
  });
  const key = generateSelfSignedP12({
    name: opts.name.trim(),
    email: opts.email,
    ca: opts.ca,
    days,
    passphrase,
    now: ctx.now(),
    keyType: keyType as KeyType,
  });
  // Counted in characters (code points), as a person types them.
  if ([...passphrase].length < MIN_PASSPHRASE) {
    ctx.stderr(
      `srq: warning: the passphrase has fewer than ${MIN_PASSPHRASE} characters; anyone who copies ${shownPath(file)} can guess it (make a new key with a longer one)`,
    );
  }
  writeFileAtomic(file, key.p12, { mode: 0o600, overwrite: false });
  const certFile = certificatePathFor(file);
  writeFileAtomic(certFile, key.certificatePem, { overwrite: true });
  ctx.stdout(
    [
      `Wrote ${shownPath(file)} (self-signed${opts.ca ? ' CA' : ''} certificate and key, mode 0600)`,
      `  subject:     ${key.subject}`,
      `  key:         ${KEY_LABELS[keyType as KeyType]}`,
      `  SHA-256:     ${key.fingerprint}`,
      `  valid:       ${key.validFrom.toISOString()} to ${key.validTo.toISOString()}`,
      `Wrote ${shownPath(certFile)} (the certificate alone, no key: give it to those who verify your documents)`,
      `Sign with: srq sign <pdf> --key ${shownPath(file)} (passphrase from SRQ_KEY_PASSPHRASE or a prompt)`,
      `Verify with: srq verify <signed pdf> --trust ${shownPath(certFile)}`,
    ].join('\n'),
  );
  return EXIT.ok;
}
