import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { looksLikeCustomerFile, type ParsedAnswers, type ParsedCustomer } from '../answers/parse';
import { displayPath, readAnswers, readCustomer } from '../answers/read';
import { CheckError, IoError, SrqError, UsageError } from '../errors';
import { decodeUtf8, MAX_INPUT_BYTES, readTextFile, sizeLimitError } from '../fsx';
import { resolveCustomerModel, resolveModel } from '../model/resolve';
import type { Model } from '../model/types';

/** `answers/x.yaml@HEAD~1` → file and revision; a path that exists as given is never split. */
export function parseVersionRef(ref: string, cwd: string): { file: string; rev?: string } {
  const whole = path.resolve(cwd, ref);
  const at = ref.lastIndexOf('@');
  if (at <= 0 || fs.existsSync(whole)) return { file: whole };
  const rev = ref.slice(at + 1);
  if (!rev) throw new UsageError(`${ref}: no revision after @ (write FILE@REV, e.g. ${ref}HEAD~1)`);
  return { file: path.resolve(cwd, ref.slice(0, at)), rev };
}

/**
 * The text of `file` as committed at `rev`, through `git show rev:./name` run in the file's
 * folder (so the file's own repository is used, whatever the current folder).
 */
export function readAtRevision(file: string, rev: string): string {
  const dir = path.dirname(file);
  const label = `${displayPath(file)}@${rev}`;
  if (!fs.existsSync(dir))
    throw new IoError(`${label}: the folder ${displayPath(dir)} does not exist (check the path)`);
  if (rev.startsWith('-')) throw new UsageError(`${label}: a revision cannot start with "-"`);
  const object = `${rev}:./${path.basename(file)}`;
  const git = (args: string[], maxBuffer: number) =>
    execFileSync('git', args, { cwd: dir, maxBuffer, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    // The size first (git cat-file -s), so a committed file over the limit is never read: the
    // same located size-limit error as for a file on disk.
    const size = Number(git(['cat-file', '-s', object], 1024).toString('latin1').trim());
    if (size > MAX_INPUT_BYTES) throw sizeLimitError(label, MAX_INPUT_BYTES, size);
    const bytes = git(['cat-file', 'blob', object], MAX_INPUT_BYTES + 1);
    return decodeUtf8(bytes, label);
  } catch (err) {
    if (err instanceof SrqError) throw err;
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer | string };
    if (e.code === 'ENOBUFS') throw sizeLimitError(label, MAX_INPUT_BYTES);
    if (e.code === 'ENOENT')
      throw new IoError(`${label}: git is not installed (install git, or compare two files)`);
    const msg = String(e.stderr ?? '').trim();
    if (/not a git repository/i.test(msg)) {
      throw new UsageError(
        `${label}: ${displayPath(dir)} is not in a git repository (compare two files instead)`,
      );
    }
    if (/exists on disk, but not in|does not exist in/i.test(msg)) {
      throw new UsageError(
        `${label}: the file was not committed at ${rev} (check with git log -- ${displayPath(file)})`,
      );
    }
    if (/unknown revision|bad revision|invalid object name|ambiguous argument/i.test(msg)) {
      throw new UsageError(
        `${label}: unknown revision '${rev}' (try HEAD~1, a tag or a commit id)`,
      );
    }
    throw new UsageError(`${label}: git show failed: ${msg.split('\n')[0] || e.message}`);
  }
}

export interface LoadedVersion {
  model: Model;
  /** How to name it to the user: a path relative to the current folder, or `path@rev`. */
  label: string;
}

/**
 * Loads one version of an answers file (provider or customer) for comparing: a path, or
 * `path@rev` for the version committed at a git revision. Throws CheckError when that version
 * is invalid, with diagnostics naming `path@rev`.
 */
export function loadVersion(
  ref: string,
  options: { cwd: string; tiers?: string[] },
): LoadedVersion {
  const { file, rev } = parseVersionRef(ref, options.cwd);
  const shown = displayPath(file, options.cwd);
  const label = rev ? `${shown}@${rev}` : shown;
  const text = rev ? readAtRevision(file, rev) : readTextFile(file);
  const customer = looksLikeCustomerFile(text);
  const res = customer ? readCustomer(file, text) : readAnswers(file, text);
  if (!res.value) {
    const shownFile = displayPath(file);
    throw new CheckError(
      `${label}: ${res.errors.length} error(s) in this version; fix them (srq validate) before comparing`,
      res.errors.map((d) => (rev && d.file === shownFile ? { ...d, file: label } : d)),
    );
  }
  const model = customer
    ? resolveCustomerModel(res.value as ParsedCustomer)
    : resolveModel(res.value as ParsedAnswers, { sourceFile: file });
  return { model: { ...model, sourceFile: file }, label };
}
