import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';

/*
 * Three editions of one answers file in a temporary git repository, each issued to a buyer:
 *   v1 (commit 1) → Acme Borough Council, every tier
 *   v2 (commit 2): answer 1's statement revised → Bramble County Council, managed tier only
 *   v3 (commit 3): answer 5.1's unmanaged responsibility customer → shared, and answer 9 revised
 * A fourth document (Cedar Trust) is built from v3 itself: nothing has changed since for it.
 */
const v1 = fs.readFileSync(EXAMPLE, 'utf8');
const v2 = v1.replace('accepts connections over', 'accepts only connections over');
const v3 = v2;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
    },
  });
}

function edit5and9(text: string): string {
  // Answer 5.1's tiers: the first "responsibility: customer" after the "5.1" key (unmanaged).
  const at = text.indexOf('\n  "5.1":\n');
  const i = text.indexOf('responsibility: customer', at);
  const out = `${text.slice(0, i)}responsibility: shared${text.slice(i + 'responsibility: customer'.length)}`;
  const nine = out.indexOf('\n  "9":\n');
  const p = out.indexOf('provider: |\n', nine) + 'provider: |\n'.length;
  return `${out.slice(0, p)}      Every account now needs a hardware security key.\n${out.slice(p)}`;
}

describe('srq register --affected-by', () => {
  const dir = tempDir('srq-affected-');
  const file = 'answers/cloud.yaml';
  const run = (args: string[]) => srq(args, { cwd: dir });
  beforeAll(() => {
    fs.mkdirSync(path.join(dir, 'output'));
    git(dir, 'init', '-q');
    writeFiles(dir, { [file]: v1 });
    git(dir, 'add', file);
    git(dir, 'commit', '-qm', 'v1');
    expect(
      run([
        'build',
        file,
        '--buyer',
        'Acme Borough Council',
        '--reference',
        'ITT-1',
        '-o',
        'output/acme.pdf',
      ]).code,
    ).toBe(0);
    writeFiles(dir, { [file]: v2 });
    git(dir, 'commit', '-qam', 'v2');
    expect(
      run([
        'build',
        file,
        '--tier',
        'managed',
        '--buyer',
        'Bramble County Council',
        '-o',
        'output/bramble.pdf',
      ]).code,
    ).toBe(0);
    writeFiles(dir, { [file]: edit5and9(v3) });
    git(dir, 'commit', '-qam', 'v3');
    expect(run(['build', file, '--buyer', 'Cedar Trust', '-o', 'output/cedar.pdf']).code).toBe(0);
    // Acme's copy of the answers as built is lost: it must be found in git history instead.
    const acme = JSON.parse(
      fs.readFileSync(path.join(dir, 'output/register.jsonl'), 'utf8').split('\n')[0],
    ) as { answersCopy: string };
    fs.rmSync(path.join(dir, 'output', acme.answersCopy));
  });

  test('lists every issued document whose answers changed, with what changed per document', () => {
    const r = run(['register', '--affected-by', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'ISSUED',
      'FILE',
      'VERSION',
      'FOR',
      'SIGNED',
      'CHANGED ANSWERS',
    ]);
    expect(lines[1].split(/\s{2,}/)).toEqual([
      '2026-11-22',
      'output/acme.pdf',
      '3.0',
      'Acme Borough Council / ITT-1',
      'no',
      '1, 5.1, 9',
    ]);
    expect(lines[2].split(/\s{2,}/)).toEqual([
      '2026-11-22',
      'output/bramble.pdf',
      '3.0',
      'Bramble County Council',
      'no',
      '9',
    ]);
    expect(r.stdout).toContain(
      [
        'output/acme.pdf (Acme Borough Council):',
        '  1 Data in transit protection: Statement revised.',
        '  5.1 Vulnerability management: Unmanaged virtual servers: Customer → Shared.',
        '  9 Secure user management: Statement revised.',
      ].join('\n'),
    );
    // Bramble's document has only the managed tier: 5.1's unmanaged change is not in it.
    expect(r.stdout).toContain(
      'output/bramble.pdf (Bramble County Council):\n  9 Secure user management: Statement revised.\n',
    );
    expect(r.stdout).not.toContain('cedar.pdf');
    expect(r.stdout).toContain(
      '2 issued document(s) affected by changes to answers/cloud.yaml; 1 unchanged.',
    );
  });

  test('FILE@REV compares with a committed version; --json says where the answers as built were found', () => {
    const r = run(['register', '--affected-by', `${file}@HEAD~1`, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      affected: { file: string; changed: string[]; foundIn: string; buyer: string }[];
      unchanged: { file: string }[];
    };
    expect(j.affected.map((a) => [a.file, a.changed])).toEqual([
      ['output/acme.pdf', ['1']],
      ['output/cedar.pdf', ['5.1', '9']],
    ]);
    expect(j.affected[0].foundIn).toMatch(/^git [0-9a-f]{40}$/);
    expect(j.affected[1].foundIn).toBe('copy');
    expect(j.unchanged.map((u) => u.file)).toEqual(['output/bramble.pdf']);
  });

  test('--format md -o writes one change notice per buyer, from the --changes-since comparison', () => {
    const r = run(['register', '--affected-by', file, '--format', 'md', '-o', 'notices']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'wrote notices/acme-borough-council-change-notice.md for Acme Borough Council\nwrote notices/bramble-county-council-change-notice.md for Bramble County Council\n',
    );
    const acme = fs.readFileSync(
      path.join(dir, 'notices/acme-borough-council-change-notice.md'),
      'utf8',
    );
    expect(acme).toContain('# Change notice for Acme Borough Council\n');
    expect(acme).toContain('(reference ITT-1), version 3.0');
    // The version was never bumped: the notice must not claim "version 3.0 replaces version 3.0".
    expect(acme).not.toContain('replaces version');
    expect(acme).toContain(
      'This is a revised edition of version 3.0, issued 2 November 2026: its content changed after that edition was issued, without a new version number or issue date.',
    );
    expect(acme).toContain(
      '| 5.1 Vulnerability management | Unmanaged virtual servers: Customer → Shared. |',
    );
    expect(acme).toContain('| 1 Data in transit protection | Statement revised. |');
    const bramble = fs.readFileSync(
      path.join(dir, 'notices/bramble-county-council-change-notice.md'),
      'utf8',
    );
    expect(bramble).toContain('| 9 Secure user management | Statement revised. |');
    expect(bramble).not.toContain('5.1');
  });

  test('only owner or approval changes affect no document; a document whose answers cannot be found is reported', () => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    writeFiles(dir, { [file]: text.replace('owner: Network Operations', 'owner: Platform Team') });
    const r = run(['register', '--affected-by', file]);
    expect(r.stdout).not.toContain('cedar.pdf');
    writeFiles(dir, { [file]: text });
    const other = tempDir('srq-affected-lost-');
    fs.cpSync(path.join(dir, 'output'), path.join(other, 'output'), { recursive: true });
    writeFiles(other, { [file]: text });
    fs.rmSync(path.join(other, 'output', 'answers'), { recursive: true });
    const lost = srq(['register', '--affected-by', file], { cwd: other });
    expect(lost.code).toBe(0);
    expect(lost.stderr).toContain(
      'srq: warning: output/acme.pdf: the answers it was built from are not in output/answers, unchanged on disk or in git history; it cannot be compared',
    );
  });
});
