/**
 * The few error classes srq throws, and the exit-code table (architecture.md, "CLI").
 * Library code throws these; only src/cli prints them and exits.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The input or document failed a check (validation errors, invalid signature). */
  check: 1,
  /** Usage error: unknown command or option, missing argument, no terminal for an interview. */
  usage: 2,
  /** I/O error: file missing, not readable or not writable. */
  io: 3,
  /** Stopped with Ctrl+C: 128 + SIGINT, what shells report for an interrupted command. */
  cancelled: 130,
  /** A bug in srq (an unexpected internal error; EX_SOFTWARE in sysexits.h). */
  bug: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A located problem in an input file. Paths are dot-paths such as `answers.2.1.tiers.managed`. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  col?: number;
  path?: string;
  message: string;
  hint?: string;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text from a file made safe for a one-line message: control characters and line separators
 * shown as a string literal writes them (`\n`, `\t`, `\u001b`, `\u2028`), so a line break cannot
 * split the line and an escape sequence never reaches the terminal.
 */
export function oneLine(s: string): string {
  return s.replace(CONTROL_CHARS, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** One line; paths and messages quote the file (a key, a value), hence `oneLine`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}:${d.col ?? 1}` : d.file;
  const path = d.path ? ` ${d.path}:` : '';
  const sev = d.severity === 'warning' ? ' warning:' : '';
  const hint = d.hint ? ` (${d.hint})` : '';
  return oneLine(`${where}:${sev}${path} ${d.message}${hint}`);
}

export class SrqError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** The input or the document failed a check. Carries every diagnostic, not just the first. */
export class CheckError extends SrqError {
  readonly diagnostics: Diagnostic[];
  constructor(message: string, diagnostics: Diagnostic[] = [], options?: { cause?: unknown }) {
    super(message, EXIT.check, options);
    this.diagnostics = diagnostics;
  }
}

export class UsageError extends SrqError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

export class IoError extends SrqError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.io, options);
  }
}

/**
 * Ctrl+C at a prompt (or the terminal closed). The message says what was kept and how to carry
 * on; the CLI prints it without the `srq:` prefix and exits 130.
 */
export class CancelledError extends SrqError {
  constructor(message = 'Stopped (Ctrl+C); nothing was changed.', options?: { cause?: unknown }) {
    super(message, EXIT.cancelled, options);
  }
}

/** Turns a Node fs error into a one-line IoError naming the file and the fix. */
export function ioErrorFrom(
  err: unknown,
  file: string,
  action: 'read' | 'write' = 'read',
): SrqError {
  if (err instanceof SrqError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new IoError(
        action === 'read'
          ? `${file}: no such file (check the path; paths are relative to the current directory)`
          : `${file}: the folder does not exist (create it first, or choose another path with -o)`,
        { cause: err },
      );
    case 'EACCES':
    case 'EPERM':
      return new IoError(
        action === 'read'
          ? `${file}: permission denied (check the file's permissions)`
          : `${file}: permission denied (check the folder's permissions, or choose another path with -o)`,
        { cause: err },
      );
    case 'EISDIR':
      return new IoError(`${file}: is a directory, not a file (give a file path)`, { cause: err });
    case 'ENOTDIR':
      return new IoError(`${file}: a part of the path is not a folder (check the path)`, {
        cause: err,
      });
    case 'EROFS':
      return new IoError(`${file}: the file system is read-only (choose another path)`, {
        cause: err,
      });
    case 'ENOSPC':
      return new IoError(`${file}: no space left on the device (free some space)`, { cause: err });
    default:
      return new IoError(
        `${file}: could not ${action} the file: ${(err as Error | undefined)?.message ?? String(err)}`,
        { cause: err },
      );
  }
}
