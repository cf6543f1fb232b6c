/**
 * Just enough XML for Office parts: escaping, attributes, and finding elements with their
 * positions in the text so an edit can splice one element and leave every other byte alone.
 * Office parts are machine-written (no DTDs, no CDATA in the parts srq reads), which is what
 * makes this small scanner sufficient.
 */

export function escapeXml(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // Characters XML 1.0 cannot hold at all (control characters other than tab, LF, CR).
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}

export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e]!;
  });
}

/** An attribute's (unescaped) value in an opening tag, e.g. attr('<c r="A1" s="2">', 'r') = 'A1'. */
export function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name.replace(/[:.]/g, '\\$&')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(
    tag,
  );
  return m ? unescapeXml(m[2] ?? m[3]) : undefined;
}

/** Sets (or adds) an attribute in an opening tag; `undefined` removes it. */
export function setAttr(tag: string, name: string, value: string | undefined): string {
  const re = new RegExp(`\\s${name.replace(/[:.]/g, '\\$&')}\\s*=\\s*("[^"]*"|'[^']*')`);
  const without = tag.replace(re, '');
  if (value === undefined) return without;
  const end = without.endsWith('/>') ? without.length - 2 : without.length - 1;
  return `${without.slice(0, end)} ${name}="${escapeXml(value)}"${without.slice(end)}`;
}

export interface XmlElement {
  /** Offset of `<` of the opening tag. */
  start: number;
  /** Offset just after the closing tag (or the self-closing tag). */
  end: number;
  /** The opening tag, e.g. `<c r="A1" t="s">`. */
  open: string;
  /** Text between the opening and closing tags ('' when self-closing). */
  inner: string;
  /** Offset where `inner` starts. */
  innerStart: number;
  selfClosing: boolean;
}

/**
 * Every element named `name` (with any namespace prefix, or the one given: 'w:tc') in
 * `xml[from, to)` (default: all of it; `inside(el)`: within an element), outermost only: an
 * element of the same name nested inside another is part of the outer one's `inner` (Word tables
 * inside table cells).
 */
export function findElements(
  xml: string,
  name: string,
  { from = 0, to = xml.length }: XmlRange = {},
): XmlElement[] {
  const local = name.includes(':') ? name.replace(/[.]/g, '\\.') : `(?:[A-Za-z_][\\w.-]*:)?${name}`;
  const re = new RegExp(`<(/?)(${local})(?=[\\s/>])[^>]*>`, 'g');
  re.lastIndex = from;
  const out: XmlElement[] = [];
  let depth = 0;
  let open: { start: number; tag: string; innerStart: number } | undefined;
  for (let m = re.exec(xml); m && m.index < to; m = re.exec(xml)) {
    const tag = m[0];
    const closing = m[1] === '/';
    const selfClosing = !closing && tag.endsWith('/>');
    if (closing) {
      depth--;
      if (depth === 0 && open) {
        out.push({
          start: open.start,
          end: m.index + tag.length,
          open: open.tag,
          inner: xml.slice(open.innerStart, m.index),
          innerStart: open.innerStart,
          selfClosing: false,
        });
        open = undefined;
      }
      if (depth < 0) depth = 0;
    } else if (selfClosing) {
      if (depth === 0) {
        const end = m.index + tag.length;
        out.push({ start: m.index, end, open: tag, inner: '', innerStart: end, selfClosing: true });
      }
    } else {
      if (depth === 0) open = { start: m.index, tag, innerStart: m.index + tag.length };
      depth++;
    }
  }
  return out;
}

/** The first such element, if any. */
export function findElement(
  xml: string,
  name: string,
  range: XmlRange = {},
): XmlElement | undefined {
  return findElements(xml, name, range)[0];
}

/** A part of an XML text, `[from, to)`. */
export interface XmlRange {
  from?: number;
  to?: number;
}

/** The range of an element's content (between its tags). */
export function inside(el: XmlElement): XmlRange {
  return { from: el.innerStart, to: el.innerStart + el.inner.length };
}

/** The concatenated, unescaped text of every `<t>` (any prefix) in `xml`. */
export function textOf(xml: string, tName = 't'): string {
  return findElements(xml, tName)
    .map((e) => unescapeXml(e.inner))
    .join('');
}

export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping splices (any order) to a string, in one pass. */
export function applySplices(s: string, splices: Splice[]): string {
  // Insertions at one offset keep the order they were given in; a replacement starting at that
  // offset goes after them.
  const sorted = splices
    .map((sp, i) => ({ ...sp, i }))
    .sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.i - b.i);
  const parts: string[] = [];
  let at = 0;
  for (const sp of sorted) {
    parts.push(s.slice(at, sp.start), sp.text);
    at = Math.max(at, sp.end);
  }
  parts.push(s.slice(at));
  return parts.join('');
}
