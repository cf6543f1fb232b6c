import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { readAnswers } from '../../src/answers/read';
import { overviewView } from '../../src/render/overview';
import { resolveModel } from '../../src/model/resolve';
import { TEMPLATES_DIR } from '../../src/paths';
import { registerHelpers } from '../../src/render/helpers';
import { statementView } from '../../src/render/view';
import { EXAMPLE } from '../helpers/cli';

/**
 * The `overview` template set rendered with the statement's view plus the overview fields, as
 * `srq build --template overview` renders it. Checks the Markdown the layout receives.
 */

const DIR = path.join(TEMPLATES_DIR, 'overview');

function render(text = fs.readFileSync(EXAMPLE, 'utf8')): string {
  const res = readAnswers(EXAMPLE, text);
  const model = resolveModel(res.value!, { sourceFile: EXAMPLE });
  const env = Handlebars.create();
  registerHelpers(env);
  for (const f of fs.readdirSync(DIR)) {
    if (f.endsWith('.md.hbs') && f !== 'document.md.hbs') {
      env.registerPartial(
        f.slice(0, -7),
        env.compile(fs.readFileSync(path.join(DIR, f), 'utf8'), { noEscape: true }),
      );
    }
  }
  const main = env.compile(fs.readFileSync(path.join(DIR, 'document.md.hbs'), 'utf8'), {
    noEscape: true,
  });
  return main({ ...statementView(model), ...overviewView(model) }).replace(/\n{3,}/g, '\n\n');
}

describe('templates/overview', () => {
  const md = render();

  it('every file carries its template version', () => {
    for (const f of fs.readdirSync(DIR)) {
      expect(fs.readFileSync(path.join(DIR, f), 'utf8')).toMatch(
        /^\{\{!-- srq-template: overview 1 --\}\}\n/,
      );
    }
  });

  it('opens with the title and a paragraph naming the framework and certifications', () => {
    expect(
      md.startsWith(
        '# Harbourline Cloud Ltd Security Overview\n\nHarbourline Cloud Ltd runs Harbourline Hosting Platform for organisations',
      ),
    ).toBe(true);
    expect(md).toContain(
      // A penetration test is a report, not a certification (issue 16): the sentence says both.
      'by following the NCSC Cloud Security Principles (version 2.1), and independent certifications and reports back our controls: ISO/IEC 27001:2022 certification, ',
    );
    expect(md).toContain(' and ISO 22301:2019 business continuity certification.');
  });

  it('lists one measure per answer: a bold lead phrase and the summary', () => {
    const bullets = md.split('\n').filter((l) => l.startsWith('- **'));
    expect(bullets).toHaveLength(24);
    expect(bullets[0]).toBe(
      '- **Data in transit protection.** Traffic into and across the platform is encrypted with TLS 1.2 or above, and links between our sites are encrypted too.',
    );
    expect(bullets).toContain(
      '- **Physical location and legal jurisdiction.** Customer data is stored and processed only in our two UK data centres, under UK law.',
    );
  });

  it('falls back to the first sentence of the statement where there is no summary', () => {
    const out = render(
      fs.readFileSync(EXAMPLE, 'utf8').replace(/^ {4}summary: Customers are separated.*\n/m, ''),
    );
    expect(out).toContain(
      "- **Separation between customers.** Each customer's virtual servers run under a hardened KVM hypervisor, which uses hardware virtualisation to keep one server's memory and processes apart from every other's.",
    );
  });

  it('lists certifications with renewal dates and policies with review dates', () => {
    expect(md).toContain(
      '| ISO/IEC 27001:2022 certification | Example Certification Services Ltd | IS 704512 | 14 March 2028 |',
    );
    expect(md).toContain(
      '| Cyber Essentials Plus certificate | Example Assessment Partners Ltd | CEP-2026-04417 | 20 May 2027 |',
    );
    expect(md).toContain('| Information Security Policy | 1 June 2026 |');
    expect(md).toContain('| Business Continuity Plan | 22 July 2026 |');
  });

  it('ends with a contact line and the sign-off with the signature field', () => {
    expect(md).toContain(
      'contact Compliance Team, Harbourline Cloud Ltd, email compliance@harbourline.example, telephone +44 141 496 0123.',
    );
    expect(md).toMatch(
      /<!-- signature -->\n\n\*\*Catriona Baird\*\*\\\nHead of Compliance, Harbourline Cloud Ltd\\\nDate: 2 November 2026\n$/,
    );
  });

  it('escapes Markdown in names and summaries, so they print as written', () => {
    const out = render(
      fs
        .readFileSync(EXAMPLE, 'utf8')
        .replace('name: Harbourline Cloud Ltd', 'name: "Harbour*line* <Cloud>"')
        .replace(
          'summary: Traffic into and across',
          'summary: Very **bold** [x](y) traffic into and across',
        ),
    );
    expect(out).toContain('# Harbour\\*line\\* \\<Cloud\\> Security Overview');
    expect(out).toContain(
      '- **Data in transit protection.** Very \\*\\*bold\\*\\* \\[x\\](y) traffic',
    );
  });

  it('is short: one to two pages of text', () => {
    const words = md.split(/\s+/).length;
    expect(words).toBeGreaterThan(400);
    expect(words).toBeLessThan(1100);
  });
});
