import { markedText } from './pdf-content';
import { nameOf, PdfObjects, PdfRef, type PdfDict, type PdfValue } from './pdf-objects';

/**
 * The tagged structure of a PDF as a screen reader sees it: structure elements from the file's
 * objects (pdf-objects.ts), the text of each marked-content sequence from its content stream
 * (pdf-content.ts). None of it is srq's code.
 */

export interface TagNode {
  role: string;
  /** The element's attribute dictionary (/A), if any. */
  attrs?: PdfDict;
  alt?: string;
  actualText?: string;
  /** All text inside, in reading order (descendants included), as drawn. */
  text: string;
  kids: TagNode[];
  /** Annotations the element refers to (OBJR), with their object numbers. */
  objr: { num: number; annot: PdfDict }[];
  /** The element's dictionary. */
  dict: PdfDict;
}

export interface TaggedPdf {
  objects: PdfObjects;
  root: TagNode;
  /** Every element, depth first. */
  all: TagNode[];
}

/** Reads the structure tree of a PDF with the text of each element. */
export function readTagged(pdf: Buffer): TaggedPdf {
  const objects = new PdfObjects(pdf);
  const texts = markedText(objects);
  const treeRoot = objects.dict(objects.catalog.StructTreeRoot);
  if (!treeRoot) throw new Error('the PDF has no structure tree');
  const all: TagNode[] = [];
  const visit = (v: PdfValue, inheritedPage?: PdfRef): TagNode | undefined => {
    const dict = objects.dict(v);
    if (!dict) return undefined;
    const page = dict.Pg instanceof PdfRef ? dict.Pg : inheritedPage;
    const node: TagNode = {
      role: nameOf(dict.S) ?? '?',
      text: '',
      kids: [],
      objr: [],
      dict,
      ...(objects.dict(dict.A) ? { attrs: objects.dict(dict.A)! } : {}),
      ...(typeof dict.Alt === 'string' ? { alt: dict.Alt } : {}),
      ...(typeof dict.ActualText === 'string' ? { actualText: dict.ActualText } : {}),
    };
    all.push(node);
    for (const kid of objects.array(dict.K)) {
      if (typeof kid === 'number') {
        node.text += (page && texts[page.num]?.[kid]) ?? '';
        continue;
      }
      const k = objects.dict(kid);
      if (!k) continue;
      const type = nameOf(k.Type);
      if (type === 'MCR') {
        const pg = k.Pg instanceof PdfRef ? k.Pg : page;
        node.text += (pg && typeof k.MCID === 'number' && texts[pg.num]?.[k.MCID]) || '';
      } else if (type === 'OBJR') {
        const ref = k.Obj as PdfRef;
        node.objr.push({ num: ref.num, annot: objects.dict(ref) ?? {} });
      } else {
        const child = visit(kid, page);
        if (child) {
          node.kids.push(child);
          node.text += child.text;
        }
      }
    }
    return node;
  };
  const root: TagNode = { role: 'StructTreeRoot', text: '', kids: [], objr: [], dict: treeRoot };
  for (const kid of objects.array(treeRoot.K)) {
    const n = visit(kid);
    if (n) {
      root.kids.push(n);
      root.text += n.text;
    }
  }
  return { objects, root, all };
}

/** The text a screen reader reads for an element: its ActualText, or its content. */
export function spoken(n: TagNode): string {
  return n.actualText ?? n.text;
}

/** Elements with the role, depth first. */
export function byRole(t: TaggedPdf, role: string | RegExp): TagNode[] {
  return t.all.filter((n) => (typeof role === 'string' ? n.role === role : role.test(n.role)));
}
