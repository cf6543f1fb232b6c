/**
 * Words of a question or an answer as the matcher compares them: lower case, stop words out,
 * a light English stemmer (both sides get the same one, so it need only be consistent), and the
 * field's synonyms folded onto one term (encryption ~ TLS ~ cryptographic, staff ~ personnel ~
 * employees, vetting ~ screening, logs ~ audit, MFA ~ two-factor ...).
 */

import { createHash } from 'node:crypto';
import { FALSE_FRIENDS, OFF_TOPIC, PHRASES, SECURITY_DOMAIN, SYNONYMS } from './thesaurus';

const STOP = new Set(
  (
    'a an and are as at be been being by can could do does did for from has have having how i if in into is it its ' +
    'of on or our ours please provide describe detail details explain confirm outline state give list ' +
    'should shall so such that the their them then there these they this those to us we what when where which ' +
    'who whom whether why will with would you your yours any all also each other own same than too very ' +
    'ensure ensures ensured organisation organization company supplier service services solution provider ' +
    'offer offered place process processes procedure procedures measures measure approach used use using ' +
    'e g eg ie etc yes no n a documented document formal formally written defined established ' +
    'appropriate adequate relevant current regular regularly robust effective suitable kind type ' +
    'able ability capability support supports supported available availabl vendor contractor technical controls control measures external internal equipment'
  ).split(' '),
);

const SUFFIXES = [
  'isations',
  'izations',
  'isation',
  'ization',
  'ational',
  'ations',
  'ation',
  'ments',
  'ment',
  'nesses',
  'ness',
  'ities',
  'ity',
  'ings',
  'ing',
  'ions',
  'ion',
  'ies',
  'ied',
  'ers',
  'er',
  'ed',
  'es',
  'ly',
  'al',
  'ive',
  'able',
  'ible',
  'ance',
  'ence',
  'ise',
  'ize',
  's',
  'e',
];

/** A consistent, light stemmer: one suffix off (leaving at least three letters), then a doubled end undone. */
export function stem(word: string): string {
  let w = word;
  for (const suf of SUFFIXES) {
    if (w.length - suf.length >= 3 && w.endsWith(suf) && !(suf === 's' && w.endsWith('ss'))) {
      w = suf === 'ies' || suf === 'ied' ? `${w.slice(0, -suf.length)}y` : w.slice(0, -suf.length);
      break;
    }
  }
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ss|ll|ff)$/.test(w))
    w = w.slice(0, -1);
  return w;
}

const SYNONYM_OF = new Map<string, string>();
for (const group of SYNONYMS) {
  const head = group[0];
  for (const w of group) {
    SYNONYM_OF.set(w, head);
    SYNONYM_OF.set(stem(w), head);
  }
}

/** Lower case, accents off, whitespace collapsed. */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'");
}

/** The terms of a text, in order, with repeats. */
export function terms(text: string): string[] {
  const known = primed.get(text);
  if (known) return known;
  let t = ` ${fold(text)} `;
  for (const [re, to] of PHRASES) t = t.replace(re, to);
  return wordsOf(t);
}

/**
 * The terms of many texts, as terms() gives them for each, in one pass of each phrase rule
 * over all of them: they are joined with a NUL, which no rule matches or crosses (the rules
 * match letters, digits, spaces and hyphens). Much faster than one call per text: the cost of
 * a rule is mostly its call, not the length of the text.
 */
export function termsOfMany(texts: string[]): string[][] {
  let t = texts.map((x) => ` ${fold(x).replace(/\0/g, ' ')} `).join('\0');
  for (const [re, to] of PHRASES) t = t.replace(re, to);
  return t.split('\0').map(wordsOf);
}

/** Questions whose terms were worked out in advance (primeTerms), by text. */
const primed = new Map<string, string[]>();

/** Works out the terms of these texts in one pass, so that terms() on any of them is a look-up. */
export function primeTerms(texts: string[]): void {
  if (primed.size > 100_000) primed.clear();
  const todo = [...new Set(texts)].filter((x) => !primed.has(x));
  termsOfMany(todo).forEach((ts, i) => primed.set(todo[i], ts));
}

function wordsOf(t: string): string[] {
  const out: string[] = [];
  for (const raw of t.split(/[^a-z0-9]+/)) {
    if (!raw || STOP.has(raw) || /^\d{1,2}$/.test(raw)) continue;
    if (FALSE_FRIENDS.has(raw)) {
      out.push(raw);
      continue;
    }
    const syn = SYNONYM_OF.get(raw) ?? SYNONYM_OF.get(stem(raw));
    out.push(syn ?? stem(raw));
  }
  return out;
}

/**
 * A question's identity for "matched before": lower case, accents and punctuation off, leading
 * numbering ("4.2", "Q12.") dropped, whitespace collapsed. Two wordings that differ only in
 * those are the same question.
 */
export function normaliseQuestion(text: string): string {
  return fold(text)
    .replace(/^\s*(q(uestion)?\s*)?[\d.]+[).:]?\s+/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A question about the supplier as a business (see OFF_TOPIC in thesaurus.ts). */
export function isOffTopic(question: string): boolean {
  return OFF_TOPIC.test(fold(question));
}

/** A question that uses at least one word of the security domain (see SECURITY_DOMAIN). */
export function hasSecurityTerm(question: string): boolean {
  return SECURITY_DOMAIN.test(fold(question));
}

/**
 * A digest of everything terms() depends on (stop words, suffixes, phrase rules, synonyms):
 * terms worked out in advance (the question bank's, at build time) are only reused under the
 * same digest.
 */
export function termsFingerprint(): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        [...STOP],
        SUFFIXES,
        PHRASES.map(([re, to]) => [re.source, re.flags, to]),
        SYNONYMS,
        [...FALSE_FRIENDS],
      ]),
    )
    .digest('hex');
}
