import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { readFileChecked, shownPath } from '../fsx';
import { parseCertificates, type TrustAnchor } from '../sign/trust';

/** Certificate files a trust folder may hold. */
const CERT_FILE = /\.(pem|crt|cer|der)$/i;

/**
 * The certificates the user trusts: every `--trust` path and every path in SRQ_TRUST (separated
 * by the platform's path delimiter, ":" on Linux and macOS), each a PEM or DER certificate file
 * or a folder of them (*.pem, *.crt, *.cer, *.der).
 */
export function loadTrustAnchors(options: {
  cwd: string;
  trust?: string[];
  env: NodeJS.ProcessEnv;
}): TrustAnchor[] {
  const fromEnv = (options.env.SRQ_TRUST ?? '').split(path.delimiter).filter(Boolean);
  const anchors: TrustAnchor[] = [];
  for (const given of [...(options.trust ?? []), ...fromEnv]) {
    const abs = path.resolve(options.cwd, given);
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    const files = stat?.isDirectory()
      ? fs
          .readdirSync(abs)
          .filter((f) => CERT_FILE.test(f))
          .sort()
          .map((f) => path.join(abs, f))
      : [abs];
    for (const file of files) {
      const bytes = readFileChecked(file, 1024 * 1024);
      let ders: Buffer[];
      try {
        ders = parseCertificates(bytes);
      } catch {
        throw new UsageError(
          `${shownPath(file)}: not a certificate (give a PEM or DER certificate file, such as the .pem that srq keygen writes beside the key)`,
        );
      }
      for (const der of ders)
        anchors.push({ der, x509: new crypto.X509Certificate(der), source: shownPath(file) });
    }
  }
  return anchors;
}
