import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT } from './cli';
import type { CliContext } from '../../src/cli/context';

export const YEARLY = path.join(ROOT, 'test', 'fixtures', 'yearly');
export const V1 = path.join(YEARLY, 'v1.yaml');
export const V2 = path.join(YEARLY, 'v2.yaml');

/**
 * The v1 fixture with edits applied through the YAML document API (comments kept):
 * `set` paths are arrays of keys, a value of undefined deletes.
 */
export function editedAnswers(edits: [Array<string | number>, unknown][], base = V1): string {
  const doc = YAML.parseDocument(fs.readFileSync(base, 'utf8'));
  for (const [p, v] of edits) {
    if (v === undefined) doc.deleteIn(p);
    else doc.setIn(p, doc.createNode(v));
  }
  return doc.toString({ lineWidth: 0 });
}

/** A CliContext that records output, for running commands in-process. */
export function memoryContext(
  over: Partial<CliContext> = {},
): CliContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: ROOT,
    env: {},
    isTTY: false,
    colour: false,
    debug: false,
    now: () => new Date('2026-11-22T12:00:00Z'),
    ...over,
    out,
    err,
  };
}
