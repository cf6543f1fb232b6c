import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EXIT } from '../errors';
import { readTextFile, shownPath, writeFileAtomic } from '../fsx';
import { PACKAGE_ROOT } from '../paths';
import { generateSelfSignedP12 } from '../sign/keygen';
import { run as build } from './build';
import type { CliContext } from './context';

/**
 * `npm start`: builds the bundled example statement, signed with a demo certificate made on
 * first run in `.demo-key/` (git-ignored; the subject says DEMO). Never use it for real documents.
 */
const DEMO_DIR = '.demo-key';
const DEMO_NAME = 'srq DEMO signer - not for real documents';

function ensureDemoKey(
  ctx: CliContext,
  dir: string,
): { key: string; passphrase: string; cert: string } {
  const key = path.join(dir, 'demo.p12');
  const passFile = path.join(dir, 'passphrase');
  const cert = path.join(dir, 'demo-cert.pem');
  if (fs.existsSync(key) && fs.existsSync(passFile) && fs.existsSync(cert)) {
    return { key, passphrase: readTextFile(passFile).trim(), cert };
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // NOTE: a random passphrase kept beside the demo key, both git-ignored and mode 0600;
  // a real key's passphrase comes from SRQ_KEY_PASSPHRASE or a prompt, never a file.
  const passphrase = crypto.randomBytes(18).toString('base64url');
  const made = generateSelfSignedP12({ name: DEMO_NAME, passphrase, days: 365, now: ctx.now() });
  writeFileAtomic(passFile, `${passphrase}\n`, { mode: 0o600 });
  writeFileAtomic(key, made.p12, { mode: 0o600, overwrite: true });
  // The certificate alone (public), for `srq verify --trust`.
  writeFileAtomic(cert, made.certificatePem, { overwrite: true });
  ctx.stdout(
    `made a demo certificate in ${shownPath(key)} (${made.subject}; valid until ${made.validTo.toISOString().slice(0, 10)})`,
  );
  return { key, passphrase, cert };
}

export async function run(ctx: CliContext): Promise<number> {
  const { key, passphrase, cert } = ensureDemoKey(ctx, path.join(ctx.cwd, DEMO_DIR));
  const answers = path.join(PACKAGE_ROOT, 'answers', 'example-cloud.yaml');
  const output = path.join('output', 'example-statement-signed.pdf');
  fs.mkdirSync(path.join(ctx.cwd, 'output'), { recursive: true });
  const code = await build(
    { ...ctx, env: { ...ctx.env, SRQ_KEY_PASSPHRASE: passphrase } },
    [path.relative(ctx.cwd, answers) || answers],
    // NOTE: --force: the demo output is remade on every run; real signed documents are not.
    // --allow-unapproved: the example's approvals age (maxAge 1y) while the repository stands
    // still; `npm start` must keep working, and says so (a warning) once they have gone stale.
    { output, sign: true, key, force: true, allowUnapproved: true },
  );
  if (code !== EXIT.ok) return code;
  ctx.stdout(`\nThe signed example statement is ${output}`);
  ctx.stdout(
    `Check its signature with:  npx srq verify ${output} --trust ${path.relative(ctx.cwd, cert) || cert}`,
  );
  ctx.stdout(
    'The demo certificate is self-signed and marked DEMO; sign real documents with your own key (srq keygen, or a company certificate).',
  );
  return EXIT.ok;
}
