import fs from 'node:fs';
import path from 'node:path';
import { statementView, templateVersion } from '../../src/render';
import type { Model, ModelItem } from '../../src/model/types';
import type { Responsibility } from '../../src/answers/schema';
import { ROOT, srq, tempDir } from '../helpers/cli';
import { testModel } from '../helpers/model';

/**
 * What the templates used to decide with nested #ifs is the view model's now (the closing line
 * of an item's responsibilities, the assurance line); templates carry a version srq checks.
 */

const TEMPLATES = path.join(ROOT, 'templates');
const ANSWERS = path.join(ROOT, 'test', 'fixtures', 'three-tier', 'answers.yaml');

/** A model whose first item has the given responsibility per tier (no customer text on N/A). */
function withTiers(rs: Responsibility[]): Model {
  const model = testModel({ tiers: rs.length });
  const item = model.items[0];
  const tiers = model.tiers.map((tier, t) => ({
    tier,
    responsibility: rs[t],
    ...(rs[t] === 'shared' || rs[t] === 'customer' ? { customer: `Do part ${t}.` } : {}),
  }));
  const items: ModelItem[] = [{ ...item, tiers }, ...model.items.slice(1)];
  return {
    ...model,
    items,
    principles: model.principles.map((p) => ({
      ...p,
      items: p.items.map((i) => (i.id === item.id ? items[0] : i)),
    })),
  };
}

function firstItem(model: Model) {
  return statementView(model).principles[0].items[0];
}

describe('the closing line of an item, decided in the view model', () => {
  it('names the other tiers when the customer carries some of it elsewhere', () => {
    const v = firstItem(withTiers(['shared', 'customer', 'provider']));
    expect(v.providerInFull).toBe(
      'In the other tiers, Example Cloud Ltd carries this principle in full (Fully managed application).',
    );
    expect(v.notApplicable).toBeUndefined();
  });

  it('says "every tier" when the provider carries all of it in every tier', () => {
    expect(firstItem(withTiers(['provider', 'provider'])).providerInFull).toBe(
      'In every tier, Example Cloud Ltd carries this principle in full.',
    );
  });

  it('says "this tier" for a one-tier statement', () => {
    expect(firstItem(withTiers(['provider'])).providerInFull).toBe(
      'In this tier, Example Cloud Ltd carries this principle in full.',
    );
  });

  it('says "where it applies" and lists the N/A tiers', () => {
    const v = firstItem(withTiers(['provider', 'not-applicable', 'not-applicable']));
    expect(v.providerInFull).toBe(
      'In every tier where it applies, Example Cloud Ltd carries this principle in full.',
    );
    expect(v.notApplicable).toBe('Not applicable to: Managed hosting, Fully managed application.');
  });

  it('has no closing line when the customer carries part of it in every tier', () => {
    const v = firstItem(withTiers(['shared', 'customer']));
    expect(v.providerInFull).toBeUndefined();
    expect(v.notApplicable).toBeUndefined();
  });

  it('builds the assurance line from the assurance level and the evidence', () => {
    expect(firstItem(withTiers(['provider'])).assuranceLine).toBe(
      '*Assurance:* Independent validation. *Evidence:* ISO/IEC 27001:2022 certification.',
    );
  });

  it('the item templates hold no nested #if any more', () => {
    for (const set of ['statement', 'customer']) {
      const text = fs.readFileSync(path.join(TEMPLATES, set, 'item.md.hbs'), 'utf8');
      // No {{#if}} opened on a line that already holds another {{#if}} or {{else}}.
      for (const line of text.split('\n')) {
        expect({ set, line, ifs: (line.match(/\{\{#if /g) ?? []).length }).toEqual({
          set,
          line,
          ifs: Math.min((line.match(/\{\{#if /g) ?? []).length, 1),
        });
      }
    }
  });
});

describe('template versions', () => {
  it('every built-in template file carries its set and version', () => {
    for (const set of fs.readdirSync(TEMPLATES)) {
      const dir = path.join(TEMPLATES, set);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.md.hbs'))) {
        const v = templateVersion(fs.readFileSync(path.join(dir, file), 'utf8'));
        expect({ file: `${set}/${file}`, set: v?.set }).toEqual({ file: `${set}/${file}`, set });
        expect(v!.version).toBeGreaterThanOrEqual(1);
      }
    }
  });

  function copyTemplates(edit?: (dir: string) => void): string {
    const dir = path.join(tempDir(), 'my-templates');
    fs.cpSync(TEMPLATES, dir, { recursive: true });
    edit?.(dir);
    return dir;
  }

  it('a current copy builds and exports without a template warning', () => {
    const dir = copyTemplates();
    const out = path.join(tempDir(), 'x.pdf');
    const build = srq(['build', ANSWERS, '--templates', dir, '-o', out], {
      cwd: path.dirname(out),
    });
    const md = srq(['export', ANSWERS, '--format', 'md', '--templates', dir, '-o', '-']);
    for (const r of [build, md]) {
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/srq-template|template version/);
    }
  });

  it('an older copy still builds, with one warning per outdated file naming it and the fix', () => {
    const dir = copyTemplates((d) => {
      const item = path.join(d, 'statement', 'item.md.hbs');
      fs.writeFileSync(
        item,
        fs
          .readFileSync(item, 'utf8')
          .replace(/srq-template: statement \d+/, 'srq-template: statement 1'),
      );
      const cover = path.join(d, 'statement', 'cover.md.hbs');
      fs.writeFileSync(cover, fs.readFileSync(cover, 'utf8').split('\n').slice(1).join('\n'));
    });
    const out = path.join(tempDir(), 'x.pdf');
    for (const r of [
      srq(['build', ANSWERS, '--templates', dir, '-o', out], { cwd: path.dirname(out) }),
      srq(['export', ANSWERS, '--format', 'html', '--templates', dir, '-o', '-']),
    ]) {
      expect(r.code).toBe(0);
      const lines = r.stderr.split('\n').filter((l) => /template/.test(l));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^srq: warning: .*statement\/cover\.md\.hbs: no srq-template version line, .*set its first line to \{\{!-- srq-template: statement 1 --\}\}\)$/,
      );
      expect(lines[1]).toMatch(
        /^srq: warning: .*statement\/item\.md\.hbs: template version 1 is older than srq's version 3; .*templates\/statement\/item\.md\.hbs/,
      );
    }
  });
});
