/**
 * Words of a question or an answer as the matcher compares them: lower case, stop words out,
 * a light English stemmer (both sides get the same one, so it need only be consistent), and the
 * field's synonyms folded onto one term (encryption ~ TLS ~ cryptographic, staff ~ personnel ~
 * employees, vetting ~ screening, logs ~ audit, MFA ~ two-factor ...).
 */

/** Phrases folded before splitting into words, so "two-factor" or "data centre" is one term. */
const PHRASES: [RegExp, string][] = [
  [/\b(two|2|multi|multiple)[\s-]?(factor|step)\b/g, ' mfa '],
  [/\b2fa\b|\bstrong authentication\b/g, ' mfa '],
  [/\bdata[\s-]?cent(re|er)s?\b/g, ' datacentre '],
  [/\bat[\s-]rest\b|\bstored data\b|\bdata (is )?stored\b/g, ' atrest '],
  [/\bin[\s-]transit\b|\bover the (network|internet|wire)\b/g, ' transit '],
  [
    /\bthird[\s-]part(y|ies)\b|\bsub[\s-]?(processors?|contractors?)\b|\bsupply[\s-]chains?\b/g,
    ' supplychain ',
  ],
  [/\bpen(etration)?[\s-]?test(s|ing|ed)?\b/g, ' pentest '],
  [/\bbackground checks?\b|\bsecurity clearances?\b|\bbpss\b|\bsc clear(ed|ance)\b/g, ' vetting '],
  [
    /\bsingle sign[\s-]?on\b|\bsso\b|\bsaml\b|\boidc\b|\bsign[\s-]?in\b|\blog[\s-]?in\b|\blogon\b/g,
    ' authenticate ',
  ],
  [/\bjump (host|box|server)s?\b|\bbastions?\b/g, ' admin '],
  [
    /\bmulti[\s-]?tenan(t|cy)\b|\b(an)?other (customers?|tenants?|clients?)('s)?\b|\bbetween (customers|tenants|clients)\b/g,
    ' tenancy ',
  ],
  [/\binternet[\s-]facing\b/g, ' interface '],
  [/\biso\s?\/?\s?(iec\s)?27001\b/g, ' iso27001 '],
  [/\bcyber essentials( plus)?\b/g, ' certif '],
  [/\bsecurity operations? cent(re|er)\b|\bsoc\b|\bsiem\b/g, ' monitor '],
  [/\bdenial[\s-]of[\s-]service\b|\bddos\b/g, ' ddos '],
  [/\bshared responsibilit(y|ies)\b|\bresponsibility (model|matrix)\b/g, ' responsibility guide '],
  [/\bbusiness continuity\b|\bdisaster recovery\b|\bdr\b/g, ' resilience '],
  [/\bsecure(ly)? by (design|default)\b/g, ' default hardened '],
  [/\bsource code\b/g, ' develop '],
  [/\bleast privilege\b/g, ' role '],
  [/\bjurisdictions?\b|\bsovereignty\b|\bresidency\b/g, ' location '],
  [/\bunited kingdom\b|\bgreat britain\b|\bbritain\b/g, ' uk '],
];

/** Groups of (stemmed) words treated as one term. The first word names the group. */
const SYNONYMS: string[][] = [
  [
    'encrypt',
    'encryption',
    'encrypted',
    'encrypting',
    'tls',
    'ssl',
    'https',
    'cryptographic',
    'cryptography',
    'cipher',
    'aes',
    'ipsec',
    'crypto',
  ],
  [
    'staff',
    'personnel',
    'employee',
    'employees',
    'people',
    'workforce',
    'worker',
    'contractor',
    'individuals',
  ],
  ['vetting', 'vet', 'vetted', 'screening', 'screen', 'screened', 'clearance', 'bpss', 'nppv'],
  ['log', 'logs', 'logging', 'audit', 'auditing', 'trail'],
  ['mfa', 'multifactor', '2fa', 'otp', 'token'],
  ['vulnerability', 'vulnerabilities', 'patch', 'patching', 'patches', 'cve', 'scan', 'scanning'],
  [
    'resilience',
    'resilient',
    'availability',
    'available',
    'redundancy',
    'redundant',
    'uptime',
    'outage',
    'failover',
    'continuity',
    'recover',
    'recovery',
    'backup',
    'backups',
    'restore',
  ],
  ['incident', 'incidents', 'breach', 'breaches', 'compromise'],
  [
    'sanitise',
    'sanitize',
    'sanitisation',
    'sanitization',
    'erase',
    'erasure',
    'wipe',
    'wiping',
    'destroy',
    'destruction',
    'dispose',
    'disposal',
    'decommission',
    'decommissioned',
    'delete',
    'deletion',
    'deleted',
    'shred',
  ],
  [
    'location',
    'located',
    'country',
    'countries',
    'region',
    'regions',
    'hosted',
    'geographic',
    'legal',
    'law',
    'laws',
  ],
  ['datacentre', 'facility', 'facilities', 'premises', 'physical', 'building'],
  [
    'tenancy',
    'segregation',
    'segregate',
    'segregated',
    'isolation',
    'isolate',
    'isolated',
    'tenant',
    'tenants',
    'partition',
  ],
  ['governance', 'isms', 'board', 'oversight', 'accountable', 'accountability'],
  ['change', 'changes', 'configuration', 'config', 'baseline', 'baselines'],
  ['monitor', 'monitoring', 'monitored', 'detect', 'detection', 'intrusion', 'ids'],
  [
    'develop',
    'development',
    'developer',
    'developers',
    'sdlc',
    'code',
    'coding',
    'software',
    'devsecops',
    'build',
    'pipeline',
  ],
  ['supplychain', 'suppliers', 'vendor', 'vendors', 'subcontractor', 'outsourced', 'outsource'],
  ['role', 'roles', 'rbac', 'permission', 'permissions', 'entitlement', 'entitlements'],
  [
    'authenticate',
    'authentication',
    'authenticated',
    'identity',
    'identities',
    'password',
    'passwords',
    'credential',
    'credentials',
    'idp',
  ],
  [
    'admin',
    'administrator',
    'administrators',
    'administration',
    'administrative',
    'privileged',
    'privilege',
    'privileges',
    'superuser',
    'root',
  ],
  [
    'interface',
    'interfaces',
    'firewall',
    'firewalls',
    'waf',
    'perimeter',
    'exposed',
    'ddos',
    'endpoint',
    'endpoints',
  ],
  [
    'alert',
    'alerts',
    'alerting',
    'warn',
    'warning',
    'warnings',
    'notify',
    'notified',
    'notification',
    'notifications',
    'inform',
  ],
  ['train', 'training', 'trained', 'awareness', 'culture', 'educate', 'education'],
  [
    'certif',
    'certification',
    'certified',
    'certificate',
    'accreditation',
    'accredited',
    'iso27001',
    'soc2',
  ],
  ['guide', 'guidance', 'documentation', 'documented', 'onboarding', 'handbook'],
  ['hardened', 'hardening', 'harden', 'default', 'defaults', 'image', 'images'],
];

const STOP = new Set(
  (
    'a an and are as at be been being by can could do does did for from has have having how i if in into is it its ' +
    'of on or our ours please provide describe detail details explain confirm outline state give list ' +
    'should shall so such that the their them then there these they this those to us we what when where which ' +
    'who whom whether why will with would you your yours any all also each other own same than too very ' +
    'ensure ensures ensured organisation organization company supplier service services solution provider ' +
    'offer offered place process processes procedure procedures measures measure approach used use using ' +
    'e g eg ie etc yes no n a'
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
    if (w.length - suf.length >= 3 && w.endsWith(suf)) {
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
  let t = ` ${fold(text)} `;
  for (const [re, to] of PHRASES) t = t.replace(re, to);
  const out: string[] = [];
  for (const raw of t.split(/[^a-z0-9]+/)) {
    if (!raw || STOP.has(raw) || /^\d{1,2}$/.test(raw)) continue;
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

/**
 * Questions that are about the supplier as a business rather than the service's security
 * (insurance, prices, size, finances, social value): only the library may answer them, never a
 * principle that happens to share a word ("employees" is not personnel security).
 */
const OFF_TOPIC =
  /\b(insur(ance|ed|er)|indemnit(y|ies)|liabilit(y|ies) cover|price|prices|pricing|costs?|fees?|rate card|discounts?|invoic(e|es|ing)|payment terms|turnover|revenue|profits?|financ\w*|integrat\w* with (our|your|the|an?) (finance|hr|crm|erp|payroll|case management|housing)\w*|send (text|sms)\w*|text messages?|accounts|headcount|how many (staff|employees|people|customers)|number of (staff|employees|customers)|company size|size of (your|the) (company|organisation|organization|business)|years in business|(year|when) (was )?(the company |your company )?(founded|established|incorporated)|registered (office|number|address)|company (registration|number)|vat number|case stud(y|ies)|customer references|referees?|sustainab\w*|carbon|net zero|modern slavery|social value|diversity|equality|equal opportunit\w*|gender pay|apprentic\w*|parent company|ownership|shareholders?|mergers?|acquisitions?|litigation|lawsuits?|conflicts? of interest|bribery|anti[\s-]corruption|contract (length|term)|notice period|sla credits?|service credits?|support hours|opening hours|account manager|training courses|languages?)\b/;

export function isOffTopic(question: string): boolean {
  return OFF_TOPIC.test(fold(question));
}
