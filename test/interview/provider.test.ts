import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runInterview } from '../../src/interview/provider';
import { isCancel } from '../../src/interview/prompts';
import { loadCatalogue } from '../../src/catalogue';
import {
  answerSteps,
  CTRL_C,
  ENTER,
  headerSteps,
  NOW,
  parsedAnswers,
  scripted,
  tempDir,
  type Step,
} from '../helpers/interview';

const cat = loadCatalogue('ncsc-2023');
const tops = cat.items.filter((i) => !i.parent);

function run(file: string, steps: Step[], framework?: string) {
  const prompts = scripted(steps);
  const saves: string[] = [];
  const done = runInterview({
    file,
    shown: path.basename(file),
    ...(framework ? { framework } : {}),
    deps: { prompts, now: () => NOW, onSave: (w) => saves.push(w) },
  });
  return { prompts, saves, done };
}

/** Answers every principle as a whole, in order. */
function everyPrinciple(prefix = 'Statement'): Step[] {
  return tops.flatMap((t) => [
    ['What now?', t.children.length ? 'whole' : 'answer'] as Step,
    ...answerSteps(`${prefix} for ${t.id}.`),
  ]);
}

describe('srq interview: a new file', () => {
  test('asks the details, then every principle, and writes a file that validates', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'acme.yaml');
    const { prompts, saves, done } = run(file, [...headerSteps(), ...everyPrinciple()]);
    const res = await done;
    expect(prompts.left()).toEqual([]);
    expect(res.unanswered).toEqual([]);
    const { value } = parsedAnswers(file);
    const a = value!.answers;
    expect(a.provider).toEqual({ name: 'Acme Cloud Ltd', email: 'security@acme.example' });
    expect(a.tiers).toEqual([{ id: 'managed-hosting', name: 'Managed hosting' }]);
    // Defaults: today, and the review one year on.
    expect(a.document).toMatchObject({
      version: '1.0',
      issued: '2027-10-30',
      review: '2028-10-30',
      classification: 'OFFICIAL',
      // A new file asks for approvals before signing (issue 18).
      approval: 'required',
    });
    expect(a.evidence).toEqual([
      { id: 'iso27001', name: 'ISO/IEC 27001:2022 certification', expires: '2028-01-31' },
    ]);
    expect(a.answers['3']).toEqual({
      provider: 'Statement for 3.',
      assurance: 'provider-assertion',
      tiers: { 'managed-hosting': 'provider' },
    });
    // Saved after every section and every answer.
    expect(saves.slice(0, 9)).toEqual([
      'framework',
      'provider',
      'service',
      'tiers',
      'document',
      'signatory',
      'evidence',
      // Each evidence item is saved as soon as it is complete.
      'evidence.iso27001',
      'answers',
    ]);
    expect(saves.filter((s) => s.startsWith('answers.'))).toHaveLength(tops.length);
    // Progress is shown as "position of total · percent".
    expect(prompts.said.join('\n')).toContain('── 5 of 14 · 29% ──');
    // Keys in the file: quoted ids in catalogue order, the statement as a literal block.
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(
      /^# yaml-language-server: \$schema=[./]*[^\n]*schema\/answers\.schema\.json\n# Answers to a security framework/,
    );
    expect(text).toContain('  "1":\n    provider: |\n      Statement for 1.\n');
    expect(Object.keys((parse(text) as { answers: object }).answers)).toEqual(
      tops.map((t) => t.id),
    );
  });

  test('per sub-principle answers, a customer part, and the customer text carried to the next tier', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'acme.yaml');
    const steps: Step[] = [
      ...headerSteps().slice(0, 11),
      ['Tiers:', 'add'],
      ['Tier name', 'Unmanaged'],
      ['Tier id', ENTER],
      ['What the tier covers', 'You run the servers.'],
      ['Tiers:', 'up'],
      ['Which tier?', 1],
      ['Tiers:', 'done'],
      ...headerSteps().slice(12),
      ['What now?', 'answer'],
      ['How does Acme Cloud Ltd meet 1 Data in transit protection', 'TLS 1.2 everywhere.'],
      ['One-sentence summary', 'All traffic is encrypted.'],
      ['Assurance', 'independent-validation'],
      ['Evidence supporting', ['iso27001']],
      ['Who is responsible in "Unmanaged"', 'shared'],
      ['What must the customer do in "Unmanaged"', 'Encrypt your own traffic.'],
      ['Who is responsible in "Managed hosting"', 'shared'],
      ['What must the customer do in "Managed hosting"', ENTER],
      ['What now?', 'parts'],
      ['What now?', 'answer'],
      ...answerSteps('Physical security.', { responsibility: 'provider' }).slice(0, 4),
      ['Who is responsible', 'provider'],
      ['Who is responsible', 'not-applicable'],
      ['What now?', 'stop'],
    ];
    const { prompts, done } = run(file, steps);
    const res = await done;
    expect(prompts.left()).toEqual([]);
    expect(res.stopped).toBe(true);
    const customerDefault = prompts.asked.find((q) =>
      q.message.includes('customer do in "Managed hosting"'),
    );
    expect(customerDefault?.default).toBe('Encrypt your own traffic.');
    const { value, warnings } = parsedAnswers(file);
    const a = value!.answers;
    expect(a.tiers.map((t) => t.id)).toEqual(['unmanaged', 'managed-hosting']);
    expect(a.answers['1']).toEqual({
      summary: 'All traffic is encrypted.',
      provider: 'TLS 1.2 everywhere.',
      assurance: 'independent-validation',
      evidence: ['iso27001'],
      tiers: {
        unmanaged: { responsibility: 'shared', customer: 'Encrypt your own traffic.' },
        'managed-hosting': { responsibility: 'shared', customer: 'Encrypt your own traffic.' },
      },
    });
    expect(a.answers['2.1']).toMatchObject({
      provider: 'Physical security.',
      tiers: { unmanaged: 'provider', 'managed-hosting': 'not-applicable' },
    });
    expect(a.answers['2']).toBeUndefined();
    expect(res.unanswered[0]).toBe('2.2');
    expect(warnings.some((w) => w.message.includes('2.2'))).toBe(true);
  });

  test('--framework skips the framework question; an unknown one is a usage error with a hint', async () => {
    const dir = tempDir();
    const { prompts, done } = run(
      path.join(dir, 'a.yaml'),
      [...headerSteps({ framework: null }), ['What now?', 'stop']],
      'ncsc-2016',
    );
    await done;
    expect(prompts.left()).toEqual([]);
    expect(
      (parse(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8')) as { framework: string }).framework,
    ).toBe('ncsc-2016');
    const bad = run(path.join(dir, 'b.yaml'), [], 'ncsc-2032');
    await expect(bad.done).rejects.toThrow(
      /unknown framework 'ncsc-2032' \(did you mean ncsc-2023\?/,
    );
    expect(fs.existsSync(path.join(dir, 'b.yaml'))).toBe(false);
  });
});

describe('srq interview: resume, Ctrl+C, navigation', () => {
  test('Ctrl+C keeps every completed answer; the rerun resumes at the first unanswered item', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'acme.yaml');
    const first = run(file, [
      ...headerSteps(),
      ['What now?', 'answer'],
      ...answerSteps('Answer one.'),
      ['What now?', 'whole'],
      ['How does', 'Half-typed answer two'],
      ['One-sentence summary', CTRL_C],
    ]);
    const err: unknown = await first.done.catch((e: unknown) => e);
    expect(isCancel(err)).toBe(true);
    const saved = parse(fs.readFileSync(file, 'utf8')) as { answers: Record<string, unknown> };
    expect(Object.keys(saved.answers)).toEqual(['1']);

    const second = run(file, [
      ['What now?', 'whole'],
      ...answerSteps('Answer two.'),
      ['What now?', 'stop'],
    ]);
    await second.done;
    expect(second.prompts.left()).toEqual([]);
    expect(second.prompts.said.join('\n')).toContain(
      'Resuming at 2 Asset protection and resilience',
    );
    expect(Object.keys(parsedAnswers(file).value!.answers.answers)).toEqual(['1', '2']);
  });

  test('skip, back, jump, mark to revisit and the unanswered summary', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'acme.yaml');
    const steps: Step[] = [
      ...headerSteps(),
      ['What now?', 'skip'], // 1
      ['What now?', 'skip'], // 2 and its sub-principles
      ['What now?', 'back'], // back to 2
      ['What now?', 'whole'],
      ...answerSteps('Two as a whole.'),
      ['What now?', 'answer'], // 3
      ...answerSteps('Three.'),
      ['What now?', 'back'], // back to 3: answered
      ['What now?', 'revisit'],
      ['What now?', 'jump'], // at 4
      ['Jump to', '13.2'],
      ['What now?', 'answer'],
      ...answerSteps('Thirteen two.'),
      ['What now?', 'summary'], // at 14
      ['Go to:', ''], // carry on
      ['What now?', 'stop'],
    ];
    const { prompts, done } = run(file, steps);
    const res = await done;
    expect(prompts.left()).toEqual([]);
    expect(res.revisit).toEqual(['3']);
    const summary = prompts.said.find((s) => s.includes('Unanswered ('))!;
    expect(summary).toContain('    1 Data in transit protection');
    expect(summary).toContain('Marked to revisit (1):\n    3 Separation between customers');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('  # srq: revisit\n  "3":');
    const a = parsedAnswers(file).value!.answers.answers;
    expect(Object.keys(a)).toEqual(['2', '3', '13.2']);
    expect(res.unanswered).toEqual(
      cat.items
        .filter(
          (i) =>
            !i.children.length && !['2.1', '2.2', '2.3', '2.4', '2.5', '3', '13.2'].includes(i.id),
        )
        .map((i) => i.id),
    );

    // Resume: starts at 1 (the first unanswered); the end summary offers the marked item.
    const steps2: Step[] = [['What now?', 'answer'], ...answerSteps('One.'), ['What now?', 'stop']];
    const second = run(file, steps2);
    await second.done;
    expect(second.prompts.left()).toEqual([]);
  });

  test('editing an answered principle starts from its answer and keeps the comments in the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'acme.yaml');
    await run(file, [
      ...headerSteps(),
      ['What now?', 'answer'],
      ...answerSteps('First version.'),
      ['What now?', 'stop'],
    ]).done;
    const withComment = fs
      .readFileSync(file, 'utf8')
      .replace('  "1":\n', '  # Checked by legal, 2027.\n  "1":\n');
    fs.writeFileSync(file, `${withComment}# end of file\n`);
    const { prompts, done } = run(file, [
      ['What now?', 'back'],
      ['What now?', 'edit'],
      // Only the part asked for is asked; each starts from the old value.
      ['Which part', 'statement'],
      ['How does', 'Second version.'],
      ['Which part', 'assurance'],
      ['Assurance', ENTER],
      ['Which part', 'done'],
      ['What now?', 'stop'],
    ]);
    await done;
    expect(prompts.left()).toEqual([]);
    // The answer is shown before the question whether to keep it.
    expect(prompts.said.join('\n')).toContain('The answer now:\n  First version.');
    expect(prompts.asked.find((q) => q.kind === 'text')?.default).toBe('First version.\n');
    expect(prompts.asked.find((q) => q.message.startsWith('Assurance'))?.default).toBe(
      'provider-assertion',
    );
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(
      '  # Checked by legal, 2027.\n  "1":\n    provider: |\n      Second version.\n',
    );
    expect(text).toMatch(/# end of file\n$/);
    expect(text.startsWith(withComment.split('answers:')[0])).toBe(true);
  });
});
