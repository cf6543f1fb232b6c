import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';
import { PASSPHRASE, testKey } from '../sign/helpers';

/**
 * The structure tree of the statement, before and after a countersignature, read by a second
 * independent reader: qpdf's JSON dump (qpdf resolves the incremental updates itself). Needs
 * qpdf 11 (`--json=2`). Run: npm run test:interop.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Dict = { [k: string]: Json };

const dir = tempDir('srq-qpdf-json-');
const files: Record<string, string> = {};

class Objects {
  private readonly objs: Record<string, { value?: Json; stream?: { dict: Dict } }>;
  constructor(file: string) {
    const r = spawnSync('qpdf', ['--json=2', '--json-key=qpdf', file], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`qpdf --json: ${r.stderr}`);
    this.objs = (JSON.parse(r.stdout) as { qpdf: [unknown, Objects['objs']] }).qpdf[1];
  }
  /** A value with a reference ("12 0 R") followed. */
  get(v: Json | undefined): Json | undefined {
    if (typeof v === 'string' && /^\d+ \d+ R$/.test(v)) {
      const o = this.objs[`obj:${v}`];
      return o?.value ?? o?.stream?.dict;
    }
    return v;
  }
  dict(v: Json | undefined): Dict | undefined {
    const d = this.get(v);
    return d && typeof d === 'object' && !Array.isArray(d) ? d : undefined;
  }
  array(v: Json | undefined): Json[] {
    const a = this.get(v);
    return Array.isArray(a) ? a : a === undefined || a === null ? [] : [a];
  }
  get root(): Dict {
    return this.dict(this.dict(this.objs.trailer.value)!['/Root'])!;
  }
  /** Every object, by reference. */
  all(): [string, Dict][] {
    return Object.entries(this.objs)
      .filter(([k]) => k.startsWith('obj:'))
      .map(([k, o]) => [k.slice(4), (o.value ?? o.stream?.dict) as Dict])
      .filter(([, d]) => d && typeof d === 'object' && !Array.isArray(d)) as [string, Dict][];
  }
}

beforeAll(() => {
  const provider = testKey({ name: 'Harbourline Compliance TEST' });
  const customer = testKey({ name: 'Sam Patel TEST', email: 'sam@example.org' });
  writeFiles(dir, { 'provider.p12': provider.p12, 'customer.p12': customer.p12 });
  const env = { SRQ_KEY_PASSPHRASE: PASSPHRASE };
  const time = ['--signing-time', '2026-11-22T12:00:00Z'];
  const b = srq(
    ['build', EXAMPLE, '-o', 'statement.pdf', '--sign', '--key', 'provider.p12', ...time],
    { cwd: dir, env },
  );
  expect(b.code).toBe(0);
  const s = srq(
    ['sign', 'statement.pdf', '--key', 'customer.p12', '-o', 'countersigned.pdf', ...time],
    { cwd: dir, env },
  );
  expect(s.code).toBe(0);
  for (const n of ['statement', 'countersigned']) files[n] = path.join(dir, `${n}.pdf`);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(['statement', 'countersigned'])('%s, as qpdf reads it', (name) => {
  let o: Objects;
  let tree: Dict;
  let nums: Json[];
  beforeAll(() => {
    o = new Objects(files[name]);
    tree = o.dict(o.dict(o.root['/StructTreeRoot'])!['/ParentTree'])!;
    nums = o.array(tree['/Nums']);
  });
  /** Structure elements in reading order: [reference, dictionary]. */
  const elements = (): [string, Dict][] => {
    const out: [string, Dict][] = [];
    const walk = (k: Json) => {
      for (const kid of o.array(k)) {
        if (typeof kid !== 'string') continue;
        const d = o.dict(kid)!;
        if (d['/Type'] === '/OBJR' || d['/Type'] === '/MCR') continue;
        out.push([kid, d]);
        walk(d['/K']);
      }
    };
    walk(o.dict(o.root['/StructTreeRoot'])!['/K']);
    return out;
  };
  const parentOf = (key: number) => nums[nums.indexOf(key) + 1];

  test('the ParentTree root is a flat number tree without /Limits', () => {
    expect(tree['/Limits']).toBeUndefined();
    expect(tree['/Kids']).toBeUndefined();
    expect(nums.length).toBeGreaterThan(20);
  });

  test('every TH has a /Scope', () => {
    const ths = elements().filter(([, d]) => d['/S'] === '/TH');
    expect(ths.length).toBeGreaterThan(20);
    for (const [, th] of ths) expect(['/Row', '/Column']).toContain(o.dict(th['/A'])?.['/Scope']);
    // Row headers, not only column headers: the matrix's principle column.
    expect(ths.some(([, th]) => o.dict(th['/A'])?.['/Scope'] === '/Row')).toBe(true);
  });

  test('every Link element holds an OBJR to a link annotation that points back to it', () => {
    const links = elements().filter(([, d]) => d['/S'] === '/Link');
    expect(links.length).toBeGreaterThan(0);
    for (const [ref, link] of links) {
      const objrs = o
        .array(link['/K'])
        .map((k) => o.dict(k))
        .filter((k) => k?.['/Type'] === '/OBJR');
      expect(objrs.length).toBeGreaterThan(0);
      for (const objr of objrs) {
        const annot = o.dict(objr!['/Obj'])!;
        expect(annot['/Subtype']).toBe('/Link');
        expect(typeof annot['/StructParent']).toBe('number');
        expect(parentOf(annot['/StructParent'] as number)).toBe(ref);
        expect(annot['/Contents'] as string).toMatch(/^u:(Link to|Email|Go to) /);
      }
    }
  });

  test('every annotation on every page has a /StructParent the ParentTree knows', () => {
    let annots = 0;
    for (const p of o.array(o.dict(o.root['/Pages'])!['/Kids'])) {
      for (const a of o.array(o.dict(p)!['/Annots'])) {
        annots++;
        const annot = o.dict(a)!;
        expect(typeof annot['/StructParent']).toBe('number');
        expect(parentOf(annot['/StructParent'] as number)).toMatch(/^\d+ \d+ R$/);
      }
    }
    expect(annots).toBeGreaterThan(name === 'countersigned' ? 2 : 1);
  });

  test('heading levels never skip', () => {
    let level = 0;
    for (const [, d] of elements()) {
      const m = /^\/H(\d)$/.exec(d['/S'] as string);
      if (!m) continue;
      expect(Number(m[1])).toBeLessThanOrEqual(level + 1);
      level = Number(m[1]);
    }
    expect(level).toBeGreaterThan(0);
  });

  test('every font subset has its own tag', () => {
    const names = o
      .all()
      .filter(([, d]) => d['/Type'] === '/Font' && d['/Subtype'] === '/Type0')
      .map(([, d]) => d['/BaseFont'] as string);
    expect(names.length).toBeGreaterThanOrEqual(name === 'countersigned' ? 4 : 3);
    const tags = names.map((n) => /^\/([A-Z]{6})\+/.exec(n)?.[1]);
    expect(tags.every(Boolean)).toBe(true);
    expect(new Set(tags).size).toBe(tags.length);
  });
});
