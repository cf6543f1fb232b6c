import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import type { CliContext } from '../../src/cli/context';
import {
  inputSha256,
  readInput,
  resetInputs,
  withInputScope,
  writeFileAtomic,
} from '../../src/fsx';
import { EXAMPLE, tempDir } from '../helpers/cli';

/**
 * The record of files read as inputs (refused as outputs, and the answers hash the register
 * keeps) belongs to one command invocation: a long-lived process (tests, the bench's warm
 * builds, a batch worker) never carries one command's inputs into the next.
 */

function context(cwd: string): CliContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    isTTY: false,
    colour: false,
    debug: false,
    now: () => new Date('2026-11-10T12:00:00Z'),
  };
}

describe('inputs are recorded per command invocation', () => {
  test('a file read in one scope may be written by the next; in the same scope it is refused', () => {
    const dir = tempDir();
    const f = path.join(dir, 'x.txt');
    fs.writeFileSync(f, 'one\n');
    withInputScope(() => {
      readInput(f);
      expect(inputSha256(f)).toMatch(/^[0-9a-f]{64}$/);
      expect(() => writeFileAtomic(f, 'two\n')).toThrow(/that is an input file of this command/);
    });
    withInputScope(() => {
      expect(inputSha256(f)).toBeUndefined();
      writeFileAtomic(f, 'two\n');
    });
    expect(fs.readFileSync(f, 'utf8')).toBe('two\n');
  });

  test('reads outside any command share one record until resetInputs()', () => {
    const dir = tempDir();
    const f = path.join(dir, 'y.txt');
    fs.writeFileSync(f, 'one\n');
    readInput(f);
    expect(() => writeFileAtomic(f, 'two\n')).toThrow(/that is an input file/);
    resetInputs();
    writeFileAtomic(f, 'two\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('two\n');
  });

  test('two CLI commands in one process: what the first read, the second may write', async () => {
    const dir = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(dir, 'a.yaml'));
    fs.writeFileSync(path.join(dir, 'notes.md'), 'old notes\n');
    // 1: reads notes.md (as an input: a file `validate` checks).
    const first = context(dir);
    expect(await runCli(['validate', 'notes.md'], first)).toBe(1);
    // 2: writes notes.md. With one process-wide record it would be refused as an input.
    const second = context(dir);
    const code = await runCli(['export', 'a.yaml', '--format', 'md', '-o', 'notes.md'], second);
    expect({ code, err: second.err.filter((l) => !/warning/.test(l)) }).toEqual({
      code: 0,
      err: [],
    });
    expect(fs.readFileSync(path.join(dir, 'notes.md'), 'utf8')).toMatch(/^---\ntitle: /);
    // 3: and a command still refuses its own input as its output.
    const third = context(dir);
    expect(await runCli(['export', 'a.yaml', '--format', 'md', '-o', 'a.yaml'], third)).toBe(2);
    expect(third.err.join('\n')).toMatch(/that is an input file of this command/);
  });
});
