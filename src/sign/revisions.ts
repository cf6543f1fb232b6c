import {
  PdfFile,
  PdfName,
  PdfRawValue,
  PdfRef,
  PdfString,
  isDict,
  isStream,
  type PdfDict,
  type PdfValue,
} from './pdf-syntax';

/**
 * What one incremental update changed, object by object, and whether a signature made before
 * it allows that change. srq's own comparison (viewers' DocMDP checks have been bypassed, "Evil
 * Annotation" / "Sneaky Signature", IEEE S&P 2021): allowed are filling a reserved signature
 * field (its /V and appearance), a new signature field where the certification allows one (its
 * widget, appearance, the AcroForm and page /Annots bookkeeping, its Form structure element),
 * and PAdES long-term additions (/DSS, /VRI, document timestamps). Everything else is reported.
 */

export interface RevisionChange {
  /** 0-based revision that made the change. */
  revision: number;
  object: number;
  /** 1-based page the object belongs to, when it belongs to one. */
  page?: number;
  /** Plain words: "page 2 content stream (object 45) changed". */
  what: string;
}

/** The signature that covers the revision being compared, if one does. */
export interface RevisionSigning {
  /** Object number of the signature dictionary (the field's new /V). */
  signature: number;
  /** A document timestamp (ETSI.RFC3161): allowed at any certification level. */
  docTimestamp: boolean;
}

export interface ComparePolicy {
  /** DocMDP P of the document's certification signature, if it has one. */
  docMdp?: number;
}

function same(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && a.bytes.equals(b.bytes);
  if (a instanceof PdfRawValue) return b instanceof PdfRawValue && a.text === b.text;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isStream(a)) return isStream(b) && same(a.dict, b.dict) && a.data.equals(b.data);
  if (isDict(a)) {
    if (!isDict(b) || isStream(b) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!same(v, b.get(k))) return false;
    return true;
  }
  return false;
}

/** Keys whose values differ between two dictionaries. */
function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => !same(a.get(k), b.get(k))).sort();
}

function nameOf(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}

/** `after` is `before` with items appended; the appended items, or undefined when not. */
function appended(before: PdfValue[], after: PdfValue): PdfValue[] | undefined {
  if (!Array.isArray(after) || after.length < before.length) return undefined;
  if (!before.every((x, i) => same(x, after[i]))) return undefined;
  return after.slice(before.length);
}

function arrayOf(file: PdfFile, v: PdfValue | undefined): PdfValue[] {
  const r = file.resolve(v);
  return Array.isArray(r) ? r : [];
}

function dictOrUndefined(file: PdfFile, v: PdfValue | undefined): PdfDict | undefined {
  const r = file.resolve(v);
  return isDict(r) && !isStream(r) ? r : undefined;
}

/** Page dictionaries in order, and which page each page-level object belongs to. */
function pageIndex(file: PdfFile): { pages: number[]; owner: Map<number, number> } {
  const pages: number[] = [];
  const owner = new Map<number, number>();
  const root = dictOrUndefined(file, file.trailer.get('Root'));
  const walk = (ref: PdfValue | undefined, depth: number): void => {
    if (!(ref instanceof PdfRef) || depth > 64 || pages.length > 100_000) return;
    const node = dictOrUndefined(file, ref);
    if (!node) return;
    const kids = file.resolve(node.get('Kids'));
    if (Array.isArray(kids)) {
      for (const k of kids) walk(k, depth + 1);
      return;
    }
    pages.push(ref.num);
    const page = pages.length;
    const mark = (v: PdfValue | undefined): void => {
      if (v instanceof PdfRef && !owner.has(v.num)) owner.set(v.num, page);
    };
    mark(node.get('Contents'));
    for (const c of arrayOf(file, node.get('Contents'))) mark(c);
    mark(node.get('Resources'));
    mark(node.get('Annots'));
    for (const a of arrayOf(file, node.get('Annots'))) mark(a);
    const res = dictOrUndefined(file, node.get('Resources'));
    for (const key of ['XObject', 'Font', 'ExtGState', 'ColorSpace', 'Pattern', 'Shading']) {
      const group = dictOrUndefined(file, res?.get(key));
      mark(res?.get(key));
      for (const v of group?.values() ?? []) mark(v);
    }
  };
  try {
    walk(root?.get('Pages'), 0);
  } catch {
    // NOTE: a page tree that cannot be read leaves pages unnamed; the change is still reported.
  }
  pages.forEach((num, i) => owner.set(num, i + 1));
  return { pages, owner };
}

/** What kind of object it is, in words, for the report. */
function kindOf(v: PdfValue | undefined, page: number | undefined, num: number): string {
  const d = isStream(v) ? v.dict : isDict(v) ? v : undefined;
  const type = nameOf(d?.get('Type'));
  const subtype = nameOf(d?.get('Subtype'));
  const on = page ? ` on page ${page}` : '';
  let kind: string;
  if (type === 'Page') kind = `page ${page ?? '?'}`;
  else if (type === 'Annot' || (subtype && d?.has('Rect')))
    kind = `${subtype ?? ''} annotation${on}`.trim();
  else if (type === 'Metadata') kind = 'the XMP metadata';
  else if (type === 'StructTreeRoot' || type === 'StructElem') kind = 'the structure tree';
  else if (!type && (d?.has('Producer') || d?.has('CreationDate')))
    kind = 'the document information (title, author)';
  else if (type === 'Outlines' || d?.has('Title')) kind = 'the outline (bookmarks)';
  else if (type === 'Catalog') kind = 'the document catalog';
  else if (type === 'Font') kind = `a font${on}`;
  else if (subtype === 'Image' || subtype === 'Form')
    kind = `an ${subtype === 'Form' ? 'XObject' : 'image'}${on}`;
  else if (d?.has('FT')) kind = 'a form field';
  else if (isStream(v)) kind = page ? `page ${page} content stream` : 'a stream';
  else kind = page ? `page ${page} resources` : 'an object';
  return `${kind} (object ${num})`;
}

/**
 * The changes revision `k` of `views` made that nothing permits. `views[i]` reads the file as it
 * was at the end of revision i.
 */
export function forbiddenChanges(
  views: PdfFile[],
  k: number,
  { signing, policy }: { signing: RevisionSigning | undefined; policy: ComparePolicy },
): RevisionChange[] {
  const before = views[k - 1];
  const after = views[k];
  const rev = after.revisions[k];
  const out: RevisionChange[] = [];
  const { owner } = pageIndex(before);
  const report = (object: number, what: string, page = owner.get(object)): void => {
    out.push({ revision: k, object, what, ...(page ? { page } : {}) });
  };
  const get = (file: PdfFile, num: number): PdfValue | undefined =>
    file.entry(num) === undefined ? undefined : file.object(new PdfRef(num, 0));

  const rootRef = before.trailer.get('Root');
  const newRootRef = after.trailer.get('Root');
  if (
    !same(rootRef, newRootRef) ||
    after.trailer.has('Encrypt') !== before.trailer.has('Encrypt')
  ) {
    report(
      newRootRef instanceof PdfRef ? newRootRef.num : 0,
      'the trailer points at another document catalog',
    );
    return out;
  }
  const rootNum = rootRef instanceof PdfRef ? rootRef.num : -1;
  const oldRoot = dictOrUndefined(before, rootRef);
  const oldAcroRef = oldRoot?.get('AcroForm');
  const oldAcro = dictOrUndefined(before, oldAcroRef);
  const newFieldsAllowed = policy.docMdp === undefined || policy.docMdp === 3;

  /** New objects that a permitted change refers to (checked for reachability at the end). */
  const allowedRoots: PdfValue[] = [];
  /** New field and annotation references to check once all changes are known. */
  const addedFields: PdfValue[] = [];
  const addedAnnots: { ref: PdfValue; page?: number }[] = [];
  const newObjects = new Set<number>();
  const structAdditions: PdfValue[] = [];
  const oldStructRoot = dictOrUndefined(before, oldRoot?.get('StructTreeRoot'));
  const structRootNum =
    oldRoot?.get('StructTreeRoot') instanceof PdfRef
      ? (oldRoot.get('StructTreeRoot') as PdfRef).num
      : -1;
  const parentTreeNum =
    oldStructRoot?.get('ParentTree') instanceof PdfRef
      ? (oldStructRoot.get('ParentTree') as PdfRef).num
      : -1;

  const changed = [...new Set([...rev.entries.keys(), ...rev.freed])].sort((a, b) => a - b);
  for (const num of changed) {
    const o = get(before, num);
    const n = get(after, num);
    if (n === undefined) {
      if (o !== undefined) report(num, `${kindOf(o, owner.get(num), num)} was deleted`);
      continue;
    }
    if (o === undefined) {
      newObjects.add(num);
      continue;
    }
    if (same(o, n)) continue;
    const what = kindOf(o, owner.get(num), num);
    if (isStream(o) || isStream(n) || !isDict(o) || !isDict(n)) {
      // Arrays: an indirect /Annots or /Fields may grow by new items.
      if (Array.isArray(o) && Array.isArray(n)) {
        const added = appended(o, n);
        if (added && same(oldAcro?.get('Fields'), new PdfRef(num, 0))) {
          addedFields.push(...added);
          continue;
        }
        if (added && owner.has(num)) {
          addedAnnots.push(...added.map((ref) => ({ ref, page: owner.get(num) })));
          continue;
        }
      }
      report(num, `${what} changed`);
      continue;
    }
    const keys = changedKeys(o, n);
    const type = nameOf(o.get('Type'));
    if (same(oldRoot?.get('DSS'), new PdfRef(num, 0))) {
      // Long-term validation data (PAdES): the DSS may gain certificates, OCSP, CRLs, VRI.
      allowedRoots.push(...n.values());
    } else if (num === rootNum) {
      for (const key of keys) {
        if (key === 'DSS') allowedRoots.push(n.get('DSS') ?? null);
        else if (key === 'AcroForm' && oldAcroRef === undefined) {
          allowedRoots.push(n.get('AcroForm') ?? null);
          const acro = dictOrUndefined(after, n.get('AcroForm'));
          addedFields.push(...arrayOf(after, acro?.get('Fields')));
        } else report(num, `the document catalog's /${key} changed`);
      }
    } else if (oldAcroRef instanceof PdfRef && num === oldAcroRef.num) {
      for (const key of keys) {
        if (key === 'Fields') {
          const added = appended(arrayOf(before, o.get('Fields')), after.resolve(n.get('Fields')));
          if (added) addedFields.push(...added);
          else report(num, "the form's field list changed (fields removed or replaced)");
        } else if (key === 'SigFlags' || (key === 'NeedAppearances' && !n.has(key))) {
          // Bookkeeping for signatures.
        } else report(num, `the form's /${key} changed`);
      }
    } else if (type === 'Page') {
      for (const key of keys) {
        if (key === 'Annots') {
          const added = appended(arrayOf(before, o.get('Annots')), after.resolve(n.get('Annots')));
          if (added) addedAnnots.push(...added.map((ref) => ({ ref, page: owner.get(num) })));
          else report(num, `page ${owner.get(num)}'s annotations were removed or replaced`);
        } else if (key === 'Tabs') {
          // Tab order (PDF/UA) set when a field is added.
        } else report(num, `page ${owner.get(num)}'s /${key} changed`);
      }
    } else if (nameOf(o.get('FT')) === 'Sig') {
      const fieldName =
        o.get('T') instanceof PdfString ? (o.get('T') as PdfString).text() : `object ${num}`;
      const fills =
        signing &&
        (policy.docMdp !== 1 || signing.docTimestamp) &&
        o.get('V') === undefined &&
        n.get('V') instanceof PdfRef &&
        (n.get('V') as PdfRef).num === signing.signature;
      for (const key of keys) {
        if (fills && key === 'V') allowedRoots.push(n.get('V') ?? null);
        else if (fills && key === 'AP') allowedRoots.push(n.get('AP') ?? null);
        else
          report(
            num,
            `signature field "${fieldName}" (object ${num}): /${key} changed${o.get('V') !== undefined ? ' after it was signed' : ''}`,
          );
      }
    } else if (
      (newFieldsAllowed || signing?.docTimestamp) &&
      signing &&
      (num === structRootNum ||
        num === parentTreeNum ||
        type === 'StructElem' ||
        (o.has('S') && o.has('P')))
    ) {
      // A Form structure element for a new signature widget (PDF/UA): additions only.
      const grownIn = (a: PdfValue | undefined, b: PdfValue | undefined): PdfValue[] | undefined =>
        appended(arrayOf(before, a), after.resolve(b));
      for (const key of keys) {
        if (key === 'ParentTreeNextKey' && num === structRootNum) continue;
        const grown = grownIn(o.get(key), n.get(key));
        if ((key === 'K' || key === 'Nums' || key === 'Kids') && grown) {
          structAdditions.push(...grown.filter((x) => x instanceof PdfRef));
          continue;
        }
        // A parent tree written inline in the structure tree root: its /Nums may grow.
        const oldTree = o.get(key);
        const newTree = n.get(key);
        if (key === 'ParentTree' && isDict(oldTree) && isDict(newTree)) {
          const treeKeys = changedKeys(oldTree, newTree);
          const nums = grownIn(oldTree.get('Nums'), newTree.get('Nums'));
          if (treeKeys.length === 1 && treeKeys[0] === 'Nums' && nums) {
            structAdditions.push(...nums.filter((x) => x instanceof PdfRef));
            continue;
          }
        }
        report(num, `the structure tree (object ${num}): /${key} changed`);
      }
    } else {
      report(num, `${what} changed (${keys.map((k2) => `/${k2}`).join(', ')})`);
    }
  }

  // New fields: signature fields only, signed in this revision, where the certification allows.
  const fieldNums = new Set<number>();
  for (const ref of addedFields) {
    const num = ref instanceof PdfRef ? ref.num : 0;
    const field = dictOrUndefined(after, ref);
    const name =
      field?.get('T') instanceof PdfString ? (field.get('T') as PdfString).text() : `object ${num}`;
    const v = field?.get('V');
    const sigDict = dictOrUndefined(after, v);
    const isTimestamp =
      nameOf(sigDict?.get('Type')) === 'DocTimeStamp' ||
      nameOf(sigDict?.get('SubFilter')) === 'ETSI.RFC3161';
    const signsHere = signing && v instanceof PdfRef && v.num === signing.signature;
    if (nameOf(field?.get('FT')) !== 'Sig') {
      report(num, `a new form field "${name}" (object ${num}) was added`);
    } else if (!signsHere) {
      report(
        num,
        `a new signature field "${name}" (object ${num}) was added without being signed in the same update`,
      );
    } else if (!newFieldsAllowed && !isTimestamp) {
      report(
        num,
        `a new signature field "${name}" (object ${num}) was added, which the certification (DocMDP P=${policy.docMdp}) forbids; only the reserved field may be filled`,
      );
    } else {
      fieldNums.add(num);
      allowedRoots.push(ref);
      const rect = field?.get('Rect');
      if (Array.isArray(rect) && rect.length === 4 && rect.every((x) => typeof x === 'number')) {
        const [x0, y0, x1, y1] = rect;
        // NOTE: a new widget may not cover the page: its appearance could hide what was signed.
        if (Math.abs(x1 - x0) > 300 || Math.abs(y1 - y0) > 150)
          report(
            num,
            `the new signature field "${name}" (object ${num}) is ${Math.round(Math.abs(x1 - x0))} x ${Math.round(Math.abs(y1 - y0))} pt, large enough to cover the page`,
          );
      }
    }
  }
  for (const { ref, page } of addedAnnots) {
    const num = ref instanceof PdfRef ? ref.num : 0;
    if (fieldNums.has(num)) continue;
    const annot = dictOrUndefined(after, ref);
    report(
      num,
      `a new ${nameOf(annot?.get('Subtype')) ?? ''} annotation (object ${num}) was added${page ? ` on page ${page}` : ''}`.replace(
        'new  ',
        'new ',
      ),
      page,
    );
  }
  for (const ref of structAdditions) {
    const el = dictOrUndefined(after, ref);
    const num = (ref as PdfRef).num;
    const objr = arrayOf(after, el?.get('K')).map((x) => dictOrUndefined(after, x));
    const forField =
      objr.length === 1 &&
      objr[0]?.get('Obj') instanceof PdfRef &&
      fieldNums.has((objr[0].get('Obj') as PdfRef).num);
    if (nameOf(el?.get('S')) === 'Form' && forField) allowedRoots.push(ref);
    else if (!(el && newObjects.has(num) && nameOf(el.get('S')) === 'Form'))
      report(num, `the structure tree gained an element (object ${num})`);
  }

  // Every new object must be reachable from something a permitted change added.
  const reached = new Set<number>();
  const stack = [...allowedRoots];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof PdfRef) {
      if (reached.has(v.num) || !newObjects.has(v.num)) continue;
      reached.add(v.num);
      stack.push(get(after, v.num) ?? null);
    } else if (Array.isArray(v)) stack.push(...v);
    else if (isStream(v)) stack.push(v.dict);
    else if (isDict(v)) stack.push(...v.values());
  }
  for (const num of newObjects) {
    if (reached.has(num)) continue;
    report(num, `${kindOf(get(after, num), undefined, num)} was added`);
  }
  return out;
}
