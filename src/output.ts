import path from 'node:path';
import { CheckError, IoError } from './errors';
import {
  checkWritableTarget,
  MAX_PDF_INPUT_BYTES,
  readInput,
  refuseInputAsOutput,
  shownPath,
  writeTarget,
} from './fsx';
import { isSignedPdf } from './register';

/**
 * Checks made on a command's output path before any work: the path is a regular file or new
 * (never a device, FIFO or folder), names none of the command's inputs, and is not a signed PDF
 * unless `force` allows replacing one. Writes themselves (fsx.writeFileAtomic) check again.
 */
export interface OutputCheck {
  /** Files the command reads: the output must be none of them. */
  inputs?: (string | undefined)[];
  /** Replace an existing signed PDF (`--force`); `never` refuses one even then (export). */
  signed?: 'refuse' | 'force' | 'never';
  /** The fix named when the path is a special file. */
  hint?: string;
}

export function checkOutputPath(output: string, o: OutputCheck = {}): void {
  const abs = path.resolve(output);
  const shown = shownPath(abs);
  let target: string;
  try {
    target = writeTarget(abs);
  } catch {
    target = abs;
  }
  const st = checkWritableTarget(target, o.hint);
  refuseInputAsOutput(abs, o.inputs ?? []);
  if (!st || o.signed === 'force') return;
  let head: Buffer;
  try {
    head = readInput(target, { maxBytes: MAX_PDF_INPUT_BYTES, input: false });
  } catch (err) {
    // NOTE: a file srq cannot read might be a signed PDF: not knowing is not "not signed".
    throw new IoError(
      `${shown}: exists and cannot be read (${err instanceof Error ? err.message.replace(/^.*?: /, '') : String(err)}), so srq cannot tell whether it is a signed document; choose another path with -o${o.signed === 'never' ? '' : ', or --force to replace it'}`,
      { cause: err },
    );
  }
  if (isSignedPdf(head)) {
    throw new CheckError(
      o.signed === 'never'
        ? `${shown}: a signed PDF already exists there (an export never replaces one; choose another path with -o)`
        : `${shown}: a signed PDF already exists there (choose another path with -o, or --force to replace it)`,
    );
  }
}
