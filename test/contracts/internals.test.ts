import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli';

/**
 * Every private member of a dependency that src/ touches (`x._name`) has a contract test in this
 * folder, which fails when an upgrade changes it (issue 12). A new private member used without
 * one fails here; zod's and node-forge's are public APIs now, so they have none.
 */
const CONTRACTS: Record<string, string> = {
  _font: 'pdfkit',
  _fontFamilies: 'pdfkit',
  _fontSource: 'pdfkit',
  _fontFamily: 'pdfkit',
  _fontSize: 'pdfkit',
  _write: 'pdfkit',
  _offset: 'pdfkit',
  _addInfo: 'pdfkit',
  _root: 'pdfkit',
  _acroform: 'pdfkit',
  _compareKeys: 'pdfkit',
  _refEnd: 'pdfkit',
  _security: 'pdfkit',
  _fillColor: 'pdfkit',
  _glyphs: 'fontkit',
  _tables: 'fontkit',
  _decodeTable: 'fontkit',
  _addGlyph: 'fontkit',
  _getMetrics: 'fontkit',
  _variationProcessor: 'fontkit',
  _layoutEngine: 'fontkit',
};

/** Code without comments and string contents (`"_xlnm._FilterDatabase"` is XML, not a member). */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
}

describe('private members of dependencies', () => {
  const files = (fs.readdirSync(path.join(ROOT, 'src'), { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.ts'),
  );
  const used = new Map<string, string[]>();
  for (const f of files) {
    const text = code(fs.readFileSync(path.join(ROOT, 'src', f), 'utf8'));
    for (const m of text.matchAll(/\??\.\s*(_[A-Za-z]\w*)\b/g)) {
      used.set(m[1], [...(used.get(m[1]) ?? []), f]);
    }
  }

  it('each one src/ uses has its contract test', () => {
    const missing = [...used]
      .filter(([name]) => !CONTRACTS[name])
      .map(([n, f]) => `${n} (${f[0]})`);
    expect(missing).toEqual([]);
    expect([...used.keys()].sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  it.each(Object.entries(CONTRACTS))('%s is checked in test/contracts/%s.test.ts', (name, pkg) => {
    const test = fs.readFileSync(path.join(ROOT, 'test', 'contracts', `${pkg}.test.ts`), 'utf8');
    expect(test).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('zod is used through its public API only', () => {
    expect(used.has('_zod')).toBe(false);
    expect(used.has('_def')).toBe(false);
  });
});
