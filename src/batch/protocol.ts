import type { BuildOptions } from '../build-document';
import { CheckError, EXIT, SrqError, type Diagnostic } from '../errors';
import type { PageRect } from '../pdf';
import type { Model } from '../model/types';

/** Messages between the batch pool and its worker threads (structured-clone plain data). */

export interface BuildRequest {
  id: number;
  model: Model;
  options: BuildOptions;
}

/** An error that crossed a thread: SrqError classes do not survive structured cloning. */
export interface JobError {
  message: string;
  exitCode: number;
  diagnostics: Diagnostic[];
  /** Not an SrqError: a bug, reported as an internal error. */
  internal: boolean;
  stack?: string;
}

export interface BuiltDocument {
  pdf: Buffer;
  pages: number;
  warnings: string[];
  signatureRect?: PageRect;
}

export type BuildReply =
  | {
      id: number;
      ok: true;
      pdf: Uint8Array;
      pages: number;
      warnings: string[];
      signatureRect?: PageRect;
    }
  | { id: number; ok: false; error: JobError };

export function toJobError(err: unknown): JobError {
  if (err instanceof SrqError) {
    return {
      message: err.message,
      exitCode: err.exitCode,
      diagnostics: err instanceof CheckError ? err.diagnostics : [],
      internal: false,
      ...(err.stack ? { stack: err.stack } : {}),
    };
  }
  const e = err as Error | undefined;
  return {
    message: e?.message ?? String(err),
    exitCode: EXIT.bug,
    diagnostics: [],
    internal: true,
    ...(e?.stack ? { stack: e.stack } : {}),
  };
}
