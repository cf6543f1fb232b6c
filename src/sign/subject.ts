import forge from 'node-forge';
import { parseAsn1 } from './cms-read';

/**
 * A certificate's subject as a person reads it, for the visible signature: the values only, no
 * `CN=` labels and no RFC 4514 escapes (`Example\, Ltd` is shown `Example, Ltd`), relative
 * names separated by "; ", the e-mail address once, last.
 */
export interface ShownSubject {
  /** The common name (or the whole subject when it has none). */
  name: string;
  /** "Alex Morgan; Example, Ltd; GB; alex@example.com". */
  text: string;
}

const ORDER = ['2.5.4.3', '2.5.4.10', '2.5.4.11', '2.5.4.7', '2.5.4.8', '2.5.4.6'];
const EMAIL = '1.2.840.113549.1.9.1';

/** The subject Name of a DER certificate, read with the same bounds-checked parser as CMS. */
export function shownSubject(certDer: Buffer): ShownSubject {
  const cert = parseAsn1(certDer);
  const tbs = (cert.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  const offset = Number(tbs[0].tagClass) === Number(forge.asn1.Class.CONTEXT_SPECIFIC) ? 1 : 0;
  const name = tbs[offset + 4];
  const values: { oid: string; value: string }[] = [];
  for (const rdn of (name?.value as forge.asn1.Asn1[]) ?? []) {
    for (const atv of (rdn.value as forge.asn1.Asn1[]) ?? []) {
      const [t, v] = atv.value as forge.asn1.Asn1[];
      if (typeof t?.value !== 'string' || typeof v?.value !== 'string') continue;
      values.push({ oid: forge.asn1.derToOid(t.value), value: decode(v) });
    }
  }
  const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
  const rank = (oid: string) => (ORDER.includes(oid) ? ORDER.indexOf(oid) : ORDER.length);
  const parts = values
    .filter((x) => x.oid !== EMAIL)
    .sort((a, b) => rank(a.oid) - rank(b.oid))
    .map((x) => clean(x.value))
    .filter(Boolean);
  const emails = [...new Set(values.filter((x) => x.oid === EMAIL).map((x) => clean(x.value)))];
  const cn = values.find((x) => x.oid === '2.5.4.3');
  const text = [...new Set(parts), ...emails].join('; ');
  return { name: cn ? clean(cn.value) : text, text };
}

function decode(node: forge.asn1.Asn1): string {
  const raw = node.value as string;
  const type = Number(node.type);
  if (type === Number(forge.asn1.Type.UTF8)) return Buffer.from(raw, 'binary').toString('utf8');
  if (type === Number(forge.asn1.Type.BMPSTRING) && raw.length % 2 === 0)
    return Buffer.from(raw, 'binary').swap16().toString('utf16le');
  // PrintableString, IA5String, TeletexString (as Latin-1, what viewers do)
  return raw;
}
