import { execFileSync } from 'node:child_process';

/**
 * A PDF as pdf.js (Mozilla's reader, not srq's code) sees it page by page: each page's tagged
 * content in reading order, with the structure roles above it (Sect > H2, Table > TR > TD …)
 * and where it is drawn; the link annotations with their targets; named destinations resolved to
 * pages. Used to check the layout's keep-together rules and the contents page on real documents.
 */

export interface PageItem {
  /** Roles from the page's structure root down to the element holding the text. */
  roles: string[];
  /** The same elements as ids unique within the page ("LI#12"), to tell two list items apart. */
  path: string[];
  /** pdf.js's id of the structure element holding it (unique within the page). */
  element: string;
  /** pdf.js's id of the marked-content sequence holding it ("p163R_mc4": page object 163, MCID 4). */
  mc: string;
  text: string;
  /** Top and bottom of the text, in points from the top of the page. */
  top: number;
  bottom: number;
  x: number;
}

export interface PageLink {
  /** A URI link's address, or undefined for an internal link. */
  url?: string;
  /** An internal link's target page (zero-based), resolved through its destination. */
  page?: number;
  contents: string;
  rect: [number, number, number, number];
  /** Whether the annotation has a /StructParent (is tagged). */
  tagged: boolean;
}

export interface OutlineItem {
  title: string;
  level: number;
  /** Zero-based page the bookmark leads to. */
  page?: number;
}

export interface PdfPage {
  height: number;
  /** Tagged content (artifacts left out), in content-stream order. */
  items: PageItem[];
  links: PageLink[];
}

const SCRIPT = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(Buffer.concat(chunks)), verbosity: 0 }).promise;
  const pageOf = async (dest) => {
    if (typeof dest === 'string') dest = await doc.getDestination(dest);
    if (!Array.isArray(dest)) return undefined;
    return typeof dest[0] === 'number' ? dest[0] : await doc.getPageIndex(dest[0]);
  };
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const height = page.view[3];
    // Which element and roles each marked-content id belongs to.
    const owner = new Map();
    let serial = 0;
    const walk = (node, roles) => {
      if (!node) return;
      if (node.type === 'content') { owner.set(node.id, roles); return; }
      const here = node.role ? [...roles, node.role + '#' + serial++] : roles;
      for (const k of node.children || []) walk(k, here);
    };
    walk(await page.getStructTree(), []);
    const { items } = await page.getTextContent({ includeMarkedContent: true });
    const out = [];
    const stack = [];
    for (const it of items) {
      if (it.type === 'beginMarkedContentProps' || it.type === 'beginMarkedContent') { stack.push(it.id); continue; }
      if (it.type === 'endMarkedContent') { stack.pop(); continue; }
      const id = [...stack].reverse().find((s) => s && owner.has(s));
      if (!id || !it.str) continue;
      const chain = owner.get(id);
      const top = height - it.transform[5] - it.height * 0.8;
      out.push({
        roles: chain.map((r) => r.split('#')[0]),
        path: chain,
        element: chain[chain.length - 1] || '',
        mc: id,
        text: it.str,
        top,
        bottom: top + it.height,
        x: it.transform[4],
      });
    }
    const links = [];
    for (const a of await page.getAnnotations()) {
      if (a.subtype !== 'Link') continue;
      links.push({
        ...(a.url ? { url: a.url } : {}),
        ...(a.dest ? { page: await pageOf(a.dest) } : {}),
        contents: (a.contentsObj && a.contentsObj.str) || '',
        rect: a.rect,
        tagged: a.structParent !== undefined && a.structParent >= 0,
      });
    }
    pages.push({ height, items: out, links });
  }
  const outline = [];
  const visit = async (list, level) => {
    for (const o of list || []) {
      outline.push({ title: o.title, level, page: await pageOf(o.dest) });
      await visit(o.items, level + 1);
    }
  };
  await visit(await doc.getOutline(), 1);
  await doc.destroy();
  process.stdout.write(JSON.stringify({ pages, outline }));
});`;

/** Reads a PDF's pages and outline with pdf.js (a child process: pdf.js needs a dynamic import). */
export function pdfPages(pdf: Buffer): { pages: PdfPage[]; outline: OutlineItem[] } {
  const out = execFileSync(process.execPath, ['-e', SCRIPT], {
    input: pdf,
    cwd: __dirname,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  return JSON.parse(out) as { pages: PdfPage[]; outline: OutlineItem[] };
}

/** The role of an item's own element ("H2", "TD", "P", "LBody" …). */
export function roleOf(item: PageItem): string {
  return item.roles[item.roles.length - 1] ?? '';
}

/** Whether the item sits inside an element with this role (e.g. "Table", "L"). */
export function inside(item: PageItem, role: string): boolean {
  return item.roles.includes(role);
}
