import fs from 'node:fs';
import path from 'node:path';
import { readAnswers } from '../../src/answers/read';
import {
  AnswerIndex,
  DEFAULT_MARGIN,
  DEFAULT_THRESHOLD,
  matchQuestion,
  type Answerable,
} from '../../src/fill/match';
import { buildTargets } from '../../src/fill/targets';
import { terms, termsOfMany } from '../../src/fill/text';
import { resolveModel } from '../../src/model/resolve';
import { EXAMPLE } from '../helpers/cli';

/**
 * The matcher's precision rules, one by one, on questions a buyer could send: a question with
 * no word of the security domain, stemmer false friends, an answer that rests on one word, and
 * the one-pass thesaurus (the speed-up) giving the same terms as one text at a time.
 */

const parsed = readAnswers(EXAMPLE).value!;
const targets = buildTargets(parsed, resolveModel(parsed)).all;
const index = new AnswerIndex(targets);
const match = (text: string, on: AnswerIndex = index) =>
  matchQuestion(
    on,
    { text },
    { threshold: DEFAULT_THRESHOLD, margin: DEFAULT_MARGIN, namespaces: [], remembered: {} },
  );

describe('a question that uses no word of the security domain', () => {
  it.each([
    'Describe the qualifications held by the team leader who will manage our account.',
    'Has your company been subject to any legal proceedings in the last three years?',
    'What onboarding and training do you provide to new customer users?',
  ])('is left blank, saying why: %s', (q) => {
    const r = match(q);
    expect(r.kind).toBe('none');
    expect(r.kind === 'none' && r.reason).toMatch(/not about the service/);
  });

  it('is still answered from a library entry that words it', () => {
    const library: Answerable = {
      kind: 'library',
      id: 'team-leads',
      label: 'library team-leads',
      fields: [
        { text: 'What qualifications do your team leaders hold?', weight: 3 },
        { text: '', weight: 0 },
        { text: '', weight: 0 },
        { text: '', weight: 1.5 },
        { text: 'Our team leaders hold a recognised management qualification.', weight: 0.6 },
        { text: '', weight: 0 },
      ],
      also: [],
    };
    const r = match(
      'Describe the qualifications held by the team leader who will manage our account.',
      new AnswerIndex([...targets, library]),
    );
    expect(r.kind === 'match' && r.match.target.id).toBe('team-leads');
  });

  it('a security question in everyday words is answered', () => {
    const r = match('Are insecure features switched off unless a customer turns them on?');
    expect(r.kind === 'match' && r.match.target.id).toBe('14.1');
  });
});

describe('stemmer false friends', () => {
  it.each([
    ['How will the transition from our current arrangements be managed?', 'transit'],
    ['Do you work with local government customers?', 'governance'],
    ['Do you work with local government customers?', 'location'],
    ['Describe your apprenticeship programme.', 'develop'],
  ])('%s has no %s term', (q, concept) => {
    expect(terms(q)).not.toContain(concept);
  });
});

describe('an answer resting on one word needs a clearer lead', () => {
  const [a, b] = targets;
  /** An index whose ranking is given: the decision rule alone. */
  const ranked = (support: number) =>
    ({
      targets,
      get: () => undefined,
      rank: () => [
        { target: a, score: 0.4, support },
        { target: b, score: 0.28, support: 1 },
      ],
    }) as unknown as AnswerIndex;
  const q = 'Is our data safe?';

  it('a runner-up at 0.7 of the best: answered when two words point at the best', () => {
    const r = match(q, ranked(2));
    expect(r.kind === 'match' && r.match.target.id).toBe(a.id);
  });

  it('... and left blank (ambiguous) when only one does', () => {
    const r = match(q, ranked(1));
    expect(r.kind).toBe('none');
    expect(r.kind === 'none' && r.reason).toMatch(/^ambiguous/);
  });

  it('the index counts, per target, the question words whose largest share is there', () => {
    const [best] = index.rank('Is customer data encrypted at rest with customer-managed keys?');
    expect(best.target.id).toBe('2.3');
    // "atrest" and "keymanagement" both point at 2.3 (the other words point elsewhere or nowhere).
    expect(best.support).toBeGreaterThanOrEqual(2);
  });
});

describe('the one-pass thesaurus', () => {
  it('gives every text the terms it gets alone (all answers fields, all evaluation questions)', () => {
    const texts = targets.flatMap((t) => t.fields.map((f) => f.text));
    const dir = path.join(__dirname, 'fixtures');
    for (const f of fs.readdirSync(dir).filter((f) => f.startsWith('evaluation')))
      for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/- q: (.*)/g))
        texts.push(m[1]);
    expect(texts.length).toBeGreaterThan(800);
    const many = termsOfMany(texts);
    expect(many).toEqual(texts.map((t) => terms(t)));
  });
});

describe('the neighbour confusions of the stop-20 blind run', () => {
  it.each([
    ['Is the service resilient to the loss of a single data centre?', '2.5'],
    ['Do your facilities have backup generators and redundant network links?', '2.5'],
    ['Can logs be forwarded to our own security monitoring tools?', '13.1'],
    ['Is there an on-call team that investigates alerts outside business hours?', '5.2'],
  ])('%s: answered from %s', (q, right) => {
    const r = match(q);
    expect(r.kind === 'match' ? r.match.target.id : r.kind).toBe(right);
  });

  it('a penetration test of the software is not answered from vulnerability management', () => {
    const r = match('Is your software independently penetration tested?');
    expect(r.kind === 'match' ? r.match.target.id : 'blank').not.toBe('5.1');
  });
});
