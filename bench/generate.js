'use strict';
// Generates a catalogue of N principles (in groups with sub-principles) and answers for it.
const fs = require('node:fs');
const path = require('node:path');

const WORDS =
  'secure platform encrypted monitored tested reviewed customer provider access logged managed resilient audited patched hardened isolated'.split(
    ' ',
  );
function sentence(i, n) {
  const w = [];
  for (let k = 0; k < n; k++) w.push(WORDS[(i * 7 + k * 3) % WORDS.length]);
  w[0] = w[0][0].toUpperCase() + w[0].slice(1);
  return `${w.join(' ')}.`;
}

function writeScaleCase(dir, n) {
  const cat = ['id: bench', 'title: Generated benchmark catalogue', 'version: "1"', 'principles:'];
  const ans = [
    'framework: catalogue.yaml',
    'provider: {name: Bench Cloud Ltd, email: bench@example.invalid}',
    'service: {name: Bench Service, summary: A generated service.}',
    'tiers:',
    '  - {id: basic, name: Basic}',
    '  - {id: managed, name: Managed}',
    '  - {id: full, name: Fully managed}',
    'document: {title: Benchmark statement, version: "1.0", issued: 2026-11-22, review: 2027-11-22, classification: OFFICIAL}',
    'signatory: {name: Bench Signer, role: Compliance}',
    'evidence:',
    '  - {id: iso, name: ISO 27001, expires: 2028-01-01}',
    'answers:',
  ];
  for (let i = 1; i <= n; i++) {
    cat.push(
      `  - id: "${i}"`,
      `    title: Generated principle ${i}`,
      `    requirement: ${sentence(i, 24)}`,
    );
    ans.push(
      `  "${i}":`,
      `    summary: ${sentence(i + 1, 12)}`,
      '    provider: |',
      `      ${sentence(i, 40)} ${sentence(i + 2, 30)}`,
      '',
      `      - ${sentence(i + 3, 10)}`,
      `      - ${sentence(i + 4, 10)}`,
      '    assurance: independent-validation',
      '    evidence: [iso]',
      '    tiers:',
      `      basic: {responsibility: customer, customer: "${sentence(i + 5, 20)}"}`,
      `      managed: {responsibility: shared, customer: "${sentence(i + 6, 14)}"}`,
      '      full: provider',
    );
  }
  fs.writeFileSync(path.join(dir, 'catalogue.yaml'), `${cat.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'answers.yaml'), `${ans.join('\n')}\n`);
}

module.exports = { writeScaleCase };
