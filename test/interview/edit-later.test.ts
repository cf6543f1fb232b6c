import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { YamlEditor } from '../../src/answers/edit';
import { isCancel } from '../../src/interview/prompts';
import { runInterview } from '../../src/interview/provider';
import { progressPath, runReview } from '../../src/interview/review';
import {
  answerSteps,
  CTRL_C,
  ENTER,
  EXAMPLE,
  headerSteps,
  NOW,
  parsedAnswers,
  scripted,
  tempDir,
  type Step,
} from '../helpers/interview';

/**
 * Correcting things later without YAML: details and answers of a complete file, interrupted
 * evidence lists and reviews, revisit marks that outlive the session.
 */

function copyExample(): string {
  const file = path.join(tempDir(), 'example-cloud.yaml');
  fs.copyFileSync(EXAMPLE, file);
  return file;
}

function interview(file: string, steps: Step[]) {
  const prompts = scripted(steps);
  const done = runInterview({
    file,
    shown: path.basename(file),
    deps: { prompts, now: () => NOW },
  });
  return { prompts, done };
}

function review(file: string, steps: Step[]) {
  const prompts = scripted(steps);
  const done = runReview({ file, shown: path.basename(file), deps: { prompts, now: () => NOW } });
  return { prompts, done };
}

/** Lines of `after` that are not in `before` (a multiset difference, order ignored). */
function addedLines(before: string, after: string): string[] {
  const left = before.split('\n');
  return after.split('\n').filter((l) => {
    const i = left.indexOf(l);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

describe('a complete file: change any detail or answer, no version bump', () => {
  test('provider name, a renewed certificate, one tier of one answer; nothing else changes', async () => {
    const file = copyExample();
    const before = fs.readFileSync(file, 'utf8');
    const { prompts, done } = interview(file, [
      ['What would you like to do?', 'details'],
      ['Change which detail?', 0], // Provider
      ['Provider (company) name', 'Harbourline Cloud Limited'],
      ['Team responsible', ENTER],
      ['Contact e-mail', ENTER],
      ['Contact phone', ENTER],
      ['Postal address', ENTER],
      ['Change which detail?', 5], // Evidence
      ['Evidence:', 'edit:0'],
      ['Evidence name', ENTER],
      ['Issued by', ENTER],
      ['reference', ENTER],
      ['Expiry date', '2029-03-14'],
      ['Evidence:', 'done'],
      ['Change which detail?', -1],
      ['What would you like to do?', 'answer'],
      ['Which answer?', '1'],
      ['Which part', 'customer:managed'],
      ['What must the customer do in "Managed hosting"', 'Accept only encrypted connections.'],
      ['Which part', 'done'],
      ['What would you like to do?', 'finish'],
    ]);
    const res = await done;
    expect(prompts.left()).toEqual([]);
    expect(res.stopped).toBe(false);
    expect(prompts.said.join('\n')).toContain('Every principle in example-cloud.yaml is answered.');
    // The old values were offered to edit, not retyped.
    const asked = (m: string) => prompts.asked.find((q) => q.message.startsWith(m))?.default;
    expect(asked('Provider (company) name')).toBe('Harbourline Cloud Ltd');
    expect(asked('Expiry date')).toBe('2028-03-14');
    expect(asked('What must the customer do in "Managed hosting"')).toMatch(/^Make sure your/);

    const a = parsedAnswers(file).value!.answers;
    expect(a.provider.name).toBe('Harbourline Cloud Limited');
    expect(a.evidence!.find((e) => e.id === 'iso27001')!.expires).toBe('2029-03-14');
    expect(a.answers['1'].tiers.managed).toEqual({
      responsibility: 'shared',
      customer: 'Accept only encrypted connections.',
    });
    expect(a.answers['1'].tiers.unmanaged).toMatchObject({ responsibility: 'shared' });
    expect(a.document.version).toBe('3.0');
    // Only the changed lines are new (the evidence list is rewritten but says the same).
    const added = addedLines(before, fs.readFileSync(file, 'utf8'));
    expect(
      added.filter((l) => !/^ {2}- id:|^ {4}(name|issuer|reference|expires):/.test(l)),
    ).toEqual([
      '  name: Harbourline Cloud Limited',
      '        customer: Accept only encrypted connections.',
    ]);
    expect(added).toContain('    expires: 2029-03-14');
  });

  test('the details menu is reachable from any principle of an unfinished file', async () => {
    const file = path.join(tempDir(), 'acme.yaml');
    const { done } = interview(file, [
      ...headerSteps(),
      ['What now?', 'details'],
      ['Change which detail?', 4], // Signatory
      ['Signatory name', 'Jo Bloggs-Smith'],
      ['Signatory role', ENTER],
      ['Change which detail?', -1],
      ['What now?', 'answer'],
      ...answerSteps('Statement for 1.'),
      ['What now?', 'stop'],
    ]);
    await done;
    const a = parsedAnswers(file).value!.answers;
    expect(a.signatory).toEqual({ name: 'Jo Bloggs-Smith', role: 'CISO' });
    expect(a.answers['1'].provider).toBe('Statement for 1.');
  });

  test('a version like v1.1 is refused (it would name files ...-vv1-1.pdf)', async () => {
    const file = path.join(tempDir(), 'acme.yaml');
    const steps = headerSteps().map(([q, a]): Step => (q === 'Version' ? [q, 'v1.1'] : [q, a]));
    await expect(interview(file, steps).done).rejects.toThrow(
      'refused "v1.1": Use numbers and dots, e.g. 1.0 or 3.1 (no leading "v")',
    );
  });
});

describe('interrupted work keeps what was completed', () => {
  test('Ctrl+C while typing the second evidence item keeps the first', async () => {
    const file = path.join(tempDir(), 'acme.yaml');
    const header = headerSteps();
    const cut = header.findIndex(([q]) => q === 'Add another evidence item');
    const { done } = interview(file, [
      ...header.slice(0, cut),
      ['Add another evidence item', true],
      ['Evidence name', 'Cyber Essentials Plus'],
      ['Evidence id', CTRL_C],
    ]);
    expect(isCancel(await done.catch((e: unknown) => e))).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    const a = parse(text) as { evidence: unknown };
    expect(a.evidence).toEqual([
      { id: 'iso27001', name: 'ISO/IEC 27001:2022 certification', expires: '2028-01-31' },
    ]);
    expect(text).not.toContain('Cyber Essentials');
  });

  test('"mark to revisit" on an unanswered item is in the file, and shown next time', async () => {
    const file = path.join(tempDir(), 'acme.yaml');
    const first = interview(file, [
      ...headerSteps(),
      ['What now?', 'revisit'],
      ['What now?', 'stop'],
    ]);
    expect((await first.done).revisit).toEqual(['1']);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# srq: revisit, not answered yet: 1$/m);
    const second = interview(file, [
      ['What now?', 'summary'],
      ['Go to:', ''],
      ['What now?', 'answer'],
      ...answerSteps('Now answered.'),
      ['What now?', 'stop'],
    ]);
    const res = await second.done;
    expect(second.prompts.said.join('\n')).toMatch(/Marked to revisit \(1\):\n\s+1 /);
    // Answering it clears the mark.
    expect(res.revisit).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('srq: revisit');
  });

  test('removing a marked answer takes its mark along, not onto the next answer', () => {
    const ed = new YamlEditor('answers:\n  "1":\n    customer: One.\n  "2":\n    customer: Two.\n');
    ed.setMark(['answers', '1'], true);
    ed.delete(['answers', '1']);
    expect(ed.text).toBe('answers:\n  "2":\n    customer: Two.\n');
    expect(ed.hasMark(['answers', '2'])).toBe(false);
  });

  test('an interrupted review resumes where it stopped and its history says what changed', async () => {
    const file = copyExample();
    const a0 = parsedAnswers(file).value!.answers;
    const first = review(file, [
      ['Your name', 'Dana Okafor'],
      ['Keep, edit or remove', 'keep'], // 1
      ['Keep, edit or remove', 'edit'], // 2.1
      ['Which part', 'summary'],
      ['One-sentence summary', 'Data stays in the UK.'],
      ['Which part', 'done'],
      ['Approve this answer now, as Dana Okafor?', false],
      ['Keep, edit or remove', CTRL_C], // 2.2
    ]);
    expect(isCancel(await first.done.catch((e: unknown) => e))).toBe(true);
    expect(parsedAnswers(file).value!.answers.answers['2.1'].summary).toBe('Data stays in the UK.');
    expect(fs.existsSync(progressPath(file))).toBe(true);

    const ids = Object.keys(a0.answers);
    const rest = ids.slice(2).map((): Step => ['Keep, edit or remove', 'keep']);
    const expiring = a0.evidence!.filter((e) => e.expires && e.expires < '2028-10-30');
    const second = review(file, [
      ['Your name', ENTER],
      ...rest,
      ['New version', 'minor'],
      ...expiring.map((e): Step => [`(${e.id}) expires on`, ENTER]),
      ['Summary of the changes in 3.1', ENTER],
    ]);
    const res = await second.done;
    expect(second.prompts.left()).toEqual([]);
    const said = second.prompts.said.join('\n');
    expect(said).toContain('Resuming the review of version 3.0');
    expect(said).toContain('2 of 24 answers already reviewed; edited 2.1.');
    // It starts at the third answer, not the first.
    expect(said).toMatch(/── Answer 3 of 24 ──\n2\.2 /);
    expect(said).not.toContain('── Answer 1 of 24 ──');
    expect(res.edited).toEqual(['2.1']);
    expect(res.summary).toBe('Yearly review for 3.1: edited principle 2.1.');
    const a = parsedAnswers(file).value!.answers;
    expect(a.document.changes).toBe('Yearly review for 3.1: edited principle 2.1.');
    expect(a.document.history![0]).toEqual({ version: '3.0', issued: '2026-11-02' });
    expect(fs.existsSync(progressPath(file))).toBe(false);
  });

  test('review renews an expiring certificate where it warns about it', async () => {
    const file = copyExample();
    const a0 = parsedAnswers(file).value!.answers;
    const expiring = a0.evidence!.filter((e) => e.expires && e.expires < '2028-10-30');
    const { done } = review(file, [
      ['Your name', 'Dana Okafor'],
      ...Object.keys(a0.answers).map((): Step => ['Keep, edit or remove', 'keep']),
      ['New version', 'minor'],
      ...expiring.map((e): Step => [
        `${e.name} (${e.id}) expires on ${e.expires}, before the next review 2028-10-30`,
        e.id === 'cyber-essentials-plus' ? '2028-11-30' : ENTER,
      ]),
      ['Summary of the changes in 3.1', ENTER],
    ]);
    const res = await done;
    expect(res.expiring.map((e) => e.id)).not.toContain('cyber-essentials-plus');
    expect(res.expiring.map((e) => e.id)).toContain('iso27001');
    expect(res.summary).toBe('Yearly review for 3.1: renewed evidence cyber-essentials-plus.');
    const a = parsedAnswers(file).value!.answers;
    expect(a.evidence!.find((e) => e.id === 'cyber-essentials-plus')!.expires).toBe('2028-11-30');
  });
});
