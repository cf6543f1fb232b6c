import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import { diffModels } from '../../src/diff/diff';
import { renderChangesMarkdown } from '../../src/diff/changes';
import { changesSinceMarkdown } from '../../src/diff';
import { formatDiffText } from '../../src/diff/format';
import { loadVersion } from '../../src/diff/load';
import { diffText, hunks, normaliseText } from '../../src/diff/words';
import type { Diff } from '../../src/diff/types';
import type { Model } from '../../src/model/types';
import { ROOT, srq, tempDir, writeFiles } from '../helpers/cli';
import { editedAnswers, memoryContext, V1, V2, YEARLY } from '../helpers/yearly';

const rel = (f: string) => path.relative(ROOT, f);

/** The GFM table in a Markdown text: header cells and body rows, split on unescaped pipes. */
function tableOf(md: string): { head: string[]; rows: string[][] } {
  const lines = md.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) =>
    l
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
  expect(lines[1]).toMatch(/^\|( --- \|)+$/);
  return { head: cells(lines[0]), rows: lines.slice(2).map(cells) };
}

function fixtureDiff(): Diff {
  const a = loadVersion(rel(V1), { cwd: ROOT });
  const b = loadVersion(rel(V2), { cwd: ROOT });
  return diffModels(a.model, b.model, { oldLabel: a.label, newLabel: b.label });
}

describe('diffModels on the yearly fixture', () => {
  const diff = fixtureDiff();

  test('finds exactly the edits listed in the fixture README', () => {
    expect(diff.items.map((i) => [i.id, i.kind])).toEqual([
      ['1', 'changed'],
      ['2.5', 'changed'],
      ['4', 'added'],
      ['7', 'changed'],
      ['11', 'changed'],
      ['13.2', 'removed'],
    ]);
    expect(diff.document).toEqual([
      { field: 'version', old: '3.0', new: '3.1' },
      { field: 'issued', old: '2026-11-02', new: '2027-10-25' },
      { field: 'review', old: '2027-11-02', new: '2028-10-25' },
    ]);
    expect(diff.history).toEqual({
      added: [{ version: '3.0', issued: '2026-11-02' }],
      removed: [],
    });
    expect(diff.tiers).toEqual({
      added: [{ id: 'backup', name: 'Backup and recovery service' }],
      removed: [],
      changed: [],
    });
    expect(diff.evidence.added.map((e) => e.id)).toEqual(['soc2-type2']);
    expect(diff.evidence.removed.map((e) => e.id)).toEqual(['iso22301']);
    expect(diff.evidence.changed).toEqual([
      {
        id: 'cyber-essentials-plus',
        name: 'Cyber Essentials Plus certificate',
        changes: [
          { field: 'reference', old: 'CEP-2026-04417', new: 'CEP-2027-05102' },
          { field: 'expires', old: '2027-05-20', new: '2028-05-18' },
        ],
      },
    ]);
    expect(diff.policies).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.counts).toMatchObject({
      itemsChanged: 4,
      itemsAdded: 1,
      itemsRemoved: 1,
      responsibilityChanges: 1,
      tiersAdded: 1,
      evidenceAdded: 1,
      evidenceRemoved: 1,
      evidenceChanged: 1,
    });
  });

  test('principle 1: word diff of the statement and the managed tier moving to the provider', () => {
    const p1 = diff.items[0];
    expect(p1.summary).toBeUndefined();
    const removed = p1.provider!.words.filter((w) => w.op === '-').map((w) => w.text.trim());
    const added = p1.provider!.words.filter((w) => w.op === '+').map((w) => w.text.trim());
    expect(removed).toEqual(['IPsec', 'AES-256-GCM']);
    expect(added).toEqual(['WireGuard', 'ChaCha20-Poly1305']);
    expect(p1.tiers).toHaveLength(1);
    expect(p1.tiers[0].tier.id).toBe('managed');
    expect(p1.tiers[0].responsibility).toEqual({ old: 'shared', new: 'provider' });
    // The customer's part went away with the shared responsibility.
    expect(p1.tiers[0].customer?.new).toBe('');
    // A tier added in v2 is reported once, not as a change to every principle.
    expect(diff.items.flatMap((i) => i.tiers).some((t) => t.tier.id === 'backup')).toBe(false);
  });

  test('customer text, assurance and evidence changes', () => {
    const p7 = diff.items.find((i) => i.id === '7')!;
    expect(p7.tiers.map((t) => t.tier.id)).toEqual(['unmanaged']);
    expect(p7.tiers[0].responsibility).toBeUndefined();
    expect(
      p7.tiers[0].customer!.words.filter((w) => w.op === '+').map((w) => w.text.trim()),
    ).toEqual(['have it reviewed,']);
    const p11 = diff.items.find((i) => i.id === '11')!;
    expect(p11.assurance).toEqual({ old: 'independent-testing', new: 'independent-validation' });
    expect(p11.evidence).toEqual({
      added: [{ id: 'soc2-type2', name: 'SOC 2 Type II report (2027)' }],
      removed: [],
    });
    expect(p11.provider).toBeUndefined();
    const p25 = diff.items.find((i) => i.id === '2.5')!;
    expect(p25.evidence?.removed.map((e) => e.id)).toEqual(['iso22301']);
  });

  test('a version compared with itself has no changes', () => {
    const a = loadVersion(rel(V1), { cwd: ROOT });
    const d = diffModels(a.model, a.model);
    expect(d.counts.total).toBe(0);
    expect(formatDiffText(d).split('\n')[0]).toBe('3.0 → 3.0: no changes');
  });

  test('removed and renamed tiers, and --tier narrowing', () => {
    const a = loadVersion(rel(V1), { cwd: ROOT }).model;
    const b: Model = structuredClone(a);
    b.tiers = b.tiers.filter((t) => t.id !== 'unmanaged');
    b.tiers[0] = { ...b.tiers[0], name: 'Managed hosting plus' };
    const d = diffModels(a, b);
    expect(d.tiers.removed).toEqual([{ id: 'unmanaged', name: 'Unmanaged virtual servers' }]);
    expect(d.tiers.changed).toEqual([
      {
        id: 'managed',
        name: 'Managed hosting plus',
        changes: [{ field: 'name', old: 'Managed hosting', new: 'Managed hosting plus' }],
      },
    ]);
    const narrowed = diffModels(a, b, { tiers: ['fully-managed'] });
    expect(narrowed.counts.total).toBe(0);
  });
});

describe('word diff helpers', () => {
  test('re-wrapping a paragraph or re-indenting is not a change; a new paragraph is', () => {
    expect(diffText('one two\nthree  four', '  one two three\nfour')).toBeUndefined();
    expect(normaliseText('a\nb\n\nc\n- d\n- e')).toBe('a b\n\nc\n- d\n- e');
    expect(diffText('one two three four', 'one two\n\nthree four')).toBeDefined();
  });

  test('hunks keep a few words of context and mark what was cut', () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const t = diffText(long, long.replace('w20', 'CHANGED'))!;
    const hs = hunks(t.words, 3);
    expect(hs).toHaveLength(1);
    expect(hs[0].before && hs[0].after).toBe(true);
    expect(hs[0].parts.map((p) => p.text.trim()).join('|')).toBe(
      'w17 w18 w19|w20|CHANGED|w21 w22 w23',
    );
  });
});

describe('srq diff (CLI)', () => {
  test('text format: summary line first, then exactly the changes', () => {
    const r = srq(['diff', rel(V1), rel(V2)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(YEARLY, 'expected-diff.txt'), 'utf8'));
    expect(r.stdout).not.toContain('\u001b[');
  });

  test('md format', () => {
    const r = srq(['diff', rel(V1), rel(V2), '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(YEARLY, 'expected-diff.md'), 'utf8'));
  });

  test('json format carries the same changes', () => {
    const r = srq(['diff', rel(V1), rel(V2), '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Diff & { summary: string };
    expect(j.summary).toMatch(
      /^3\.0 → 3\.1: principles: 4 changed, 1 added, 1 removed; 1 responsibility change/,
    );
    expect(j.items.map((i) => `${i.kind}:${i.id}`)).toEqual([
      'changed:1',
      'changed:2.5',
      'added:4',
      'changed:7',
      'changed:11',
      'removed:13.2',
    ]);
    expect(j.items[0].tiers[0]).toMatchObject({
      tier: { id: 'managed' },
      responsibility: { old: 'shared', new: 'provider' },
    });
    expect(j.tiers.added).toEqual([{ id: 'backup', name: 'Backup and recovery service' }]);
    expect(j.evidence.removed[0].id).toBe('iso22301');
    expect(j.old.label).toBe('test/fixtures/yearly/v1.yaml');
  });

  test('colour on a terminal, none with NO_COLOR', async () => {
    const coloured = memoryContext({ colour: true });
    expect(await runCli(['diff', rel(V1), rel(V2)], coloured)).toBe(0);
    const out = coloured.out.join('');
    expect(out).toContain('\u001b[31mIPsec\u001b[39m');
    expect(out).toContain('\u001b[32mWireGuard\u001b[39m');
    expect(out).not.toContain('[-IPsec-]');
    const noColour = memoryContext({ colour: true, env: { NO_COLOR: '1' } });
    await runCli(['diff', rel(V1), rel(V2)], noColour);
    expect(noColour.out.join('')).not.toContain('\u001b[');
    expect(noColour.out.join('')).toContain('[-IPsec-]{+WireGuard+}');
  });

  test('a missing file is an I/O error (exit 3), an invalid version a check failure (exit 1)', () => {
    const missing = srq(['diff', 'nope.yaml', rel(V2)]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^srq: nope\.yaml: no such file/);
    const dir = tempDir();
    writeFiles(dir, { 'bad.yaml': editedAnswers([[['document', 'review'], '2027-13-40']]) });
    const bad = srq(['diff', path.join(dir, 'bad.yaml'), rel(V2)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml:\d+:\d+: document\.review: not a real calendar date/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

test('a provider file cannot be compared with a customer file (exit 2)', () => {
  const r = srq(['diff', 'answers/example-cloud.yaml', 'answers/example-customer.yaml']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'srq: answers/example-cloud.yaml is a provider file and answers/example-customer.yaml is not: compare two versions of the same kind of file\n',
  );
});

describe('srq diff FILE@REV', () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@example.com',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: dir,
      },
      encoding: 'utf8',
    });
  let repo: string;
  beforeAll(() => {
    repo = tempDir('srq-git-');
    writeFiles(repo, { 'answers/cloud.yaml': fs.readFileSync(V1, 'utf8') });
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'v1');
    fs.writeFileSync(path.join(repo, 'answers/cloud.yaml'), fs.readFileSync(V2, 'utf8'));
  });

  test('compares the committed version with the working file, from any folder', () => {
    // Run from outside the repository: git runs in the file's own folder.
    const elsewhere = tempDir();
    const file = path.join(repo, 'answers', 'cloud.yaml');
    const r = srq(['diff', `${file}@HEAD`, file, '--format', 'json'], { cwd: elsewhere });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Diff;
    expect(j.old.label).toBe(`${file}@HEAD`);
    expect(j.old.version).toBe('3.0');
    expect(j.new.version).toBe('3.1');
    expect(j.items.map((i) => i.id)).toEqual(['1', '2.5', '4', '7', '11', '13.2']);
  });

  test('relative paths and the text summary', () => {
    const r = srq(['diff', 'answers/cloud.yaml@HEAD', 'answers/cloud.yaml'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe(
      '--- answers/cloud.yaml@HEAD (version 3.0, issued 2026-11-02)',
    );
  });

  test('an unknown revision or a file not committed is a usage error (exit 2)', () => {
    const r = srq(['diff', 'answers/cloud.yaml@v9', 'answers/cloud.yaml'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "srq: answers/cloud.yaml@v9: unknown revision 'v9' (try HEAD~1, a tag or a commit id)\n",
    );
    writeFiles(repo, { 'answers/new.yaml': fs.readFileSync(V1, 'utf8') });
    const r2 = srq(['diff', 'answers/new.yaml@HEAD', 'answers/cloud.yaml'], { cwd: repo });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/^srq: answers\/new\.yaml@HEAD: the file was not committed at HEAD/);
  });

  test('outside a git repository', () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.yaml': fs.readFileSync(V1, 'utf8') });
    const r = srq(['diff', 'a.yaml@HEAD', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not in a git repository/);
  });

  test('errors in the old version are located at FILE@REV', () => {
    const dir = tempDir('srq-git-');
    writeFiles(dir, { 'a.yaml': editedAnswers([[['tiers', 0, 'id'], 'bad id!']]) });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'broken');
    fs.writeFileSync(path.join(dir, 'a.yaml'), fs.readFileSync(V1, 'utf8'));
    const r = srq(['diff', 'a.yaml@HEAD', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^a\.yaml@HEAD:\d+:\d+: tiers\.0\.id:/m);
  });
});

describe('renderChangesMarkdown (the changes appendix)', () => {
  const md = renderChangesMarkdown(fixtureDiff(), { sinceVersion: '3.0' });

  test('an H2 section with a summary, a table of principles and lists', () => {
    expect(md.split('\n')[0]).toBe('## Changes since version 3.0');
    expect(md.match(/^#/gm)).toHaveLength(1);
    const table = tableOf(md);
    expect(table.head).toEqual(['Principle', 'What changed']);
    expect(table.rows.map((r) => r[0])).toEqual([
      '1 Data in transit protection',
      '2.5 Physical resilience and availability',
      '4 Governance framework',
      '7 Secure development',
      '11 External interface protection',
      '13.2 Security alerts',
    ]);
    expect(table.rows[0][1]).toBe('Statement revised. Managed hosting: Shared → Provider.');
    expect(md).toContain(
      'This is version 3.1, issued 25 October 2027. It replaces version 3.0, issued 2 November 2026.',
    );
    expect(md).toContain('- Added: Backup and recovery service.');
    expect(md).toContain('- Removed: ISO 22301:2019 business continuity certification.');
    expect(md).toContain(
      '- Updated: Cyber Essentials Plus certificate (now valid until 18 May 2028, reference CEP-2027-05102).',
    );
    expect(table.rows[4][1]).toBe(
      'Assurance: independent validation (was independent testing). Evidence added: SOC 2 Type II report (2027).',
    );
  });

  test('only document details changed', () => {
    const a = loadVersion(rel(V1), { cwd: ROOT }).model;
    const b: Model = structuredClone(a);
    b.document.version = '3.0.1';
    const out = renderChangesMarkdown(diffModels(a, b));
    expect(out).toBe(
      '## Changes since version 3.0\n\nThis is version 3.0.1, issued 2 November 2026. It replaces version 3.0, issued 2 November 2026. No answers, tiers or evidence changed; only the document details were updated.\n',
    );
  });

  test('content changed under the same version: a revised edition, never "3.0 replaces 3.0"', () => {
    const a = loadVersion(rel(V1), { cwd: ROOT }).model;
    const b: Model = structuredClone(a);
    b.items[0].provider = `${b.items[0].provider} Revised.`;
    const same = renderChangesMarkdown(diffModels(a, b));
    expect(same).not.toContain('replaces version');
    expect(same).toContain(
      'This is a revised edition of version 3.0, issued 2 November 2026: its content changed after that edition was issued, without a new version number or issue date.',
    );
    b.document.issued = '2026-12-01';
    const later = renderChangesMarkdown(diffModels(a, b));
    expect(later).toContain(
      'This is a revised edition of version 3.0, issued 1 December 2026. It replaces the edition of 2 November 2026, which had the same version number.',
    );
  });

  test('table cells escape Markdown in titles', () => {
    const a = loadVersion(rel(V1), { cwd: ROOT }).model;
    const b: Model = structuredClone(a);
    b.items[0].provider = 'New | text';
    b.items[0].title = 'Data | transit *protection*';
    const out = renderChangesMarkdown(diffModels(a, b));
    expect(tableOf(out).rows[0]).toEqual([
      '1 Data \\| transit \\*protection\\*',
      'Statement revised.',
    ]);
  });

  test('changesSinceMarkdown: FILE or FILE@REV against the model being built, narrowed to its tiers', () => {
    const built = loadVersion(rel(V2), { cwd: ROOT }).model;
    expect(changesSinceMarkdown(rel(V1), built, { cwd: ROOT })).toBe(
      renderChangesMarkdown(fixtureDiff()),
    );
    const managedOnly: Model = { ...built, tiers: built.tiers.filter((t) => t.id === 'managed') };
    const md = changesSinceMarkdown(rel(V1), managedOnly, { cwd: ROOT });
    expect(md).toContain('Managed hosting: Shared → Provider');
    // The unmanaged tier's customer text change (principle 7) is outside this document.
    expect(tableOf(md).rows.map((r) => r[0])).not.toContain('7 Secure development');
    expect(md).not.toContain('Backup and recovery service');
  });
});
