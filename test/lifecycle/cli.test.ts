import fs from 'node:fs';
import path from 'node:path';
import type { RegisterEntry } from '../../src/register';
import type { FileStatus } from '../../src/status';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';
import { PASSPHRASE, testKey } from '../sign/helpers';

/*
 * The shipped example: document.approval: required, maxAge 1y, every answer reviewed and
 * approved by Catriona Baird on 2026-10-28 (so stale from 2027-10-29); answer 1 owned by
 * Network Operations.
 */
const example = fs.readFileSync(EXAMPLE, 'utf8');
const edited = example.replace('accepts connections over', 'accepts only connections over');
const env = { SRQ_KEY_PASSPHRASE: PASSPHRASE };

function project(text = example): string {
  const dir = tempDir('srq-approval-');
  writeFiles(dir, {
    'answers/cloud.yaml': text,
    'key.p12': testKey({ name: 'Harbourline Compliance TEST' }).p12,
  });
  fs.mkdirSync(path.join(dir, 'output'));
  return dir;
}

const register = (dir: string): RegisterEntry[] =>
  fs
    .readFileSync(path.join(dir, 'output', 'register.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RegisterEntry);

describe('srq status: approvals, age and commitments', () => {
  const status = (text: string, now: string) => {
    const dir = project(text);
    const r = srq(['status', 'answers'], { cwd: dir, env: { SRQ_NOW: now } });
    const j = srq(['status', 'answers', '--json'], { cwd: dir, env: { SRQ_NOW: now } });
    return { ...r, file: (JSON.parse(j.stdout) as { files: FileStatus[] }).files[0] };
  };

  test('an answer changed after its approval is reported void, with its owner; not overdue: exit 0', () => {
    const r = status(edited, '2026-11-22T12:00:00Z');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'answers/cloud.yaml: answer 1 changed after its approval by Catriona Baird on 2026-10-28: approval void; owner Network Operations (review it, then srq approve answers/cloud.yaml 1 --by NAME)\n',
    );
    expect(r.stdout).toMatch(/\s1 unapproved\s+no\n/);
    expect(r.stdout).toContain('answers/cloud.yaml: Network Operations: 1 open (1)\n');
    expect(r.file.unapproved).toEqual([
      expect.objectContaining({ id: '1', approval: 'void', owner: 'Network Operations' }),
    ]);
    expect(r.file.stale).toEqual([]);
    expect(r.file.failing).toBe(false);
  });

  test('answers never approved are listed in one line', () => {
    const text = example.replace(/\n {4}approved:\n {6}by: .*\n {6}on: .*\n {6}digest: .*/g, '');
    const r = status(text, '2026-11-22T12:00:00Z');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /answers\/cloud\.yaml: 24 answer\(s\) never approved: 1, 2\.1, 2\.2, .*, 14\.2 \(review them, then srq approve answers\/cloud\.yaml --by NAME\)\n/,
    );
  });

  test('answers older than maxAge are stale: exit 1 the day after, not on the day', () => {
    // Nothing else is overdue then: the evidence that would have expired is renewed.
    const renewed = example.replace('expires: 2027-05-20', 'expires: 2028-05-20');
    const onTheDay = status(renewed, '2027-10-28T12:00:00Z');
    expect(onTheDay.code).toBe(0);
    expect(onTheDay.file.stale).toEqual([]);
    const after = status(renewed, '2027-10-29T12:00:00Z');
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(
      'answers/cloud.yaml: 24 answers are stale: last reviewed 2026-10-28, older than maxAge 1y since 2027-10-28: 1, 2.1,',
    );
    expect(after.file.stale).toHaveLength(24);
    expect(after.file.failing).toBe(true);
  });

  test('a planned answer past its due date: exit 1, with what to do', () => {
    const text = example.replace(
      '    owner: Network Operations\n',
      '    owner: Network Operations\n    state: planned\n    due: 2026-11-30\n',
    );
    expect(status(text, '2026-11-30T12:00:00Z').code).toBe(0);
    const r = status(text, '2026-12-01T12:00:00Z');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'answers/cloud.yaml: answer 1 is planned for 2026-11-30, now past due; owner Network Operations (deliver it and set state: yes, or move due to the new date)\n',
    );
    expect(r.file.pastDue).toEqual([expect.objectContaining({ id: '1', due: '2026-11-30' })]);
  });
});

describe('srq approve', () => {
  test('re-approving a void answer restores it; only that answer is touched; diff shows it', () => {
    const dir = project(edited);
    const before = fs.readFileSync(path.join(dir, 'answers/cloud.yaml'), 'utf8');
    const r = srq(['approve', 'answers/cloud.yaml', '--by', 'Morag Reid', '--on', '2026-11-21'], {
      cwd: dir,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'answers/cloud.yaml: approved 1 answer(s) by Morag Reid on 2026-11-21: 1\n',
    );
    const after = fs.readFileSync(path.join(dir, 'answers/cloud.yaml'), 'utf8');
    // Only the approval of answer 1 changed: every other line, comments included, is as it was.
    const changed = after.split('\n').filter((l, i) => l !== before.split('\n')[i]);
    expect(changed).toEqual([
      '      by: Morag Reid',
      '      on: 2026-11-21',
      expect.stringMatching(/^ {6}digest: "?[0-9a-f]{12}"?$/),
    ]);
    const v = srq(['validate', 'answers/cloud.yaml'], { cwd: dir });
    expect(v.stderr).not.toMatch(/void/);
    writeFiles(dir, { 'old.yaml': before });
    const d = srq(['diff', 'old.yaml', 'answers/cloud.yaml'], { cwd: dir });
    expect(d.stdout).toContain('approved: Catriona Baird on 2026-10-28 → Morag Reid on 2026-11-21');
    expect(d.stdout).toContain('1 lifecycle change');
  });

  test('an unknown id is a usage error with a hint; the file is not touched', () => {
    const dir = project(edited);
    const r = srq(['approve', 'answers/cloud.yaml', '2.9', '--by', 'X'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^srq: answers\/cloud\.yaml: no answer "2\.9" to approve \(did you mean 2\.[0-9]\?/,
    );
    expect(fs.readFileSync(path.join(dir, 'answers/cloud.yaml'), 'utf8')).toBe(edited);
    expect(srq(['approve', 'answers/cloud.yaml'], { cwd: dir }).code).toBe(2);
  });
});

describe('signing honours approvals (document.approval: required)', () => {
  test('build --sign refuses a void answer, listing it, and writes nothing', () => {
    const dir = project(edited);
    const r = srq(['build', 'answers/cloud.yaml', '--sign', '--key', 'key.p12'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'srq: answers/cloud.yaml: not signed: 1 answer(s) not approved and current (document.approval: required): changed since Catriona Baird approved it on 2026-10-28 (approval void): 1 (approve them with srq approve answers/cloud.yaml --by NAME, or sign with --allow-unapproved, which the register records)',
    );
    expect(fs.readdirSync(path.join(dir, 'output'))).toEqual([]);
  });

  test('stale answers are refused too; an unsigned build is not', () => {
    const dir = project();
    const late = { ...env, SRQ_NOW: '2027-11-01T12:00:00Z' };
    const r = srq(['build', 'answers/cloud.yaml', '--sign', '--key', 'key.p12'], {
      cwd: dir,
      env: late,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /not signed: 24 answer\(s\) not approved and current .*: last reviewed 2026-10-28, older than 1y: 1, 2\.1, /,
    );
    expect(srq(['build', 'answers/cloud.yaml'], { cwd: dir, env: late }).code).toBe(0);
  });

  test('--allow-unapproved signs, warns, and the register records the override; approved builds record none', () => {
    const dir = project(edited);
    const r = srq(
      [
        'build',
        'answers/cloud.yaml',
        '--sign',
        '--key',
        'key.p12',
        '--allow-unapproved',
        '-o',
        'output/a.pdf',
      ],
      { cwd: dir, env },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'srq: warning: signed with --allow-unapproved: 1 not approved and current (recorded in the register)',
    );
    const [entry] = register(dir);
    expect(entry.approvalOverride).toEqual(['1']);
    expect(entry.signerSubject).toMatch(/Harbourline Compliance TEST/);

    const ok = project();
    expect(
      srq(['build', 'answers/cloud.yaml', '--sign', '--key', 'key.p12'], { cwd: ok, env }).code,
    ).toBe(0);
    expect(register(ok)[0].approvalOverride).toBeUndefined();
  });

  test('srq sign checks the answers the PDF was built from, before asking for the passphrase', () => {
    const dir = project(edited);
    expect(srq(['build', 'answers/cloud.yaml', '-o', 'output/u.pdf'], { cwd: dir }).code).toBe(0);
    // No passphrase given: a refusal must come before the prompt would.
    const r = srq(['sign', 'output/u.pdf', '--key', 'key.p12'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^srq: output\/u\.pdf: not signed: 1 answer\(s\) .*: 1 \(approve them with srq approve answers\/cloud\.yaml --by NAME, then build again/,
    );
    expect(fs.existsSync(path.join(dir, 'output', 'u-signed.pdf'))).toBe(false);
    // Fixing the file afterwards does not help: the document holds the answers as built.
    writeFiles(dir, { 'answers/cloud.yaml': example });
    expect(srq(['sign', 'output/u.pdf', '--key', 'key.p12'], { cwd: dir, env }).code).toBe(1);
    const o = srq(['sign', 'output/u.pdf', '--key', 'key.p12', '--allow-unapproved'], {
      cwd: dir,
      env,
    });
    expect(o.code).toBe(0);
    const entries = register(dir);
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ file: 'u-signed.pdf', approvalOverride: ['1'] });
  });
});
