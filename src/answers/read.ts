import fs from 'node:fs';
import path from 'node:path';
import { catalogueExists, loadCatalogue, BUILTIN_CATALOGUES } from '../catalogue';
import { CheckError, SrqError, type Diagnostic } from '../errors';
import { decodeUtf8, readInput, readTextFile } from '../fsx';
import { closest } from '../text/suggest';
import {
  looksLikeCustomerFile,
  parseAnswers,
  parseCustomer,
  type CatalogueResolver,
  type ParsedAnswers,
  type ParsedCustomer,
  type ParseResult,
} from './parse';

/** The thin file layer around the pure parsers: reads files, resolves relative references. */

export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function fileCatalogueResolver(baseDir: string): CatalogueResolver {
  return (ref) => {
    if (!catalogueExists(ref, baseDir)) {
      const guess = closest(ref, BUILTIN_CATALOGUES);
      const looksLikePath = /[/\\]|\.ya?ml$/i.test(ref);
      return {
        error: looksLikePath ? `catalogue file '${ref}' not found` : `unknown framework '${ref}'`,
        hint: guess
          ? `did you mean ${guess}?`
          : `use ${BUILTIN_CATALOGUES.join(' or ')}, or a path to a catalogue file relative to this file`,
      };
    }
    try {
      return loadCatalogue(ref, baseDir);
    } catch (err) {
      if (err instanceof CheckError && err.diagnostics[0]) {
        const d = err.diagnostics[0];
        return {
          error: `catalogue '${ref}' is invalid: ${d.file}:${d.line}:${d.col}: ${d.path ? `${d.path}: ` : ''}${d.message}`,
          hint: d.hint ?? 'run srq validate on the catalogue',
        };
      }
      if (err instanceof SrqError) return { error: err.message, hint: 'check the catalogue file' };
      throw err;
    }
  };
}

/** Reads and checks a provider answers file. */
export function readAnswers(file: string, text = readTextFile(file)): ParseResult<ParsedAnswers> {
  return parseAnswers(text, {
    file: displayPath(file),
    resolveCatalogue: fileCatalogueResolver(path.dirname(path.resolve(file))),
  });
}

/** Reads and checks a customer answers file and the provider file it points at. */
export function readCustomer(file: string, text = readTextFile(file)): ParseResult<ParsedCustomer> {
  const baseDir = path.dirname(path.resolve(file));
  return parseCustomer(text, {
    file: displayPath(file),
    resolveProvider: (ref) => {
      const providerFile = path.resolve(baseDir, ref);
      if (!fs.existsSync(providerFile)) {
        return {
          error: `provider file '${ref}' not found`,
          hint: `the path is relative to ${displayPath(file)}; check it`,
        };
      }
      const text = readTextFile(providerFile);
      if (!/^framework\s*:/m.test(text)) {
        // NOTE: not an srq provider file (a path naming some other file): none of it is quoted.
        return {
          error: `provider file '${ref}' is not an srq provider answers file (it has no top-level 'framework:' line)`,
          hint: `check the path (relative to ${displayPath(file)}); it names the provider's answers file`,
        };
      }
      const res = readAnswers(providerFile, text);
      if (!res.value) {
        const d = res.errors[0];
        return {
          error: `the provider file has ${res.errors.length} error(s), first: ${d.file}:${d.line}:${d.col}: ${d.path ? `${d.path}: ` : ''}${d.message}`,
          hint: `run srq validate ${displayPath(providerFile)}`,
        };
      }
      return { value: res.value, file: providerFile };
    },
  });
}

/**
 * What a command that documents `-` reads for it: the answers from standard input (bounded like
 * a file), named "standard input" in messages; paths in it are relative to the current folder.
 */
export const STDIN_NAME = 'standard input';

/** The answers text of `file`, or of standard input when the command was given `-`. */
export function answersSource(arg: string, cwd: string): { file: string; text?: string } {
  if (arg !== '-') return { file: path.resolve(cwd, arg) };
  const text = decodeUtf8(readInput('-', { allowStdin: true }), STDIN_NAME);
  return { file: path.join(cwd, STDIN_NAME), text };
}

/** Reads a provider or customer file (told apart by its top-level keys) without throwing on invalid input. */
export function inspectFile(
  file: string,
  text = readTextFile(file),
): {
  customer: boolean;
  res: ParseResult<ParsedAnswers> | ParseResult<ParsedCustomer>;
} {
  const customer = looksLikeCustomerFile(text);
  return { customer, res: customer ? readCustomer(file, text) : readAnswers(file, text) };
}

export type AnyParsed =
  | { kind: 'provider'; file: string; value: ParsedAnswers; warnings: Diagnostic[] }
  | { kind: 'customer'; file: string; value: ParsedCustomer; warnings: Diagnostic[] };

/**
 * Reads a provider or customer file (told apart by its top-level keys) and throws a CheckError
 * listing every problem when it is invalid.
 */
export function readAny(file: string, text?: string): AnyParsed {
  const { customer, res } = inspectFile(file, text);
  if (!res.value) {
    throw new CheckError(
      `${displayPath(file)}: ${res.errors.length} error(s); fix them and run srq validate again`,
      [...res.errors, ...res.warnings],
    );
  }
  return customer
    ? { kind: 'customer', file, value: res.value as ParsedCustomer, warnings: res.warnings }
    : { kind: 'provider', file, value: res.value as ParsedAnswers, warnings: res.warnings };
}
