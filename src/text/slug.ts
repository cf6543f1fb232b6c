/**
 * ASCII, lowercase, dashes: safe in every file system, URL and answers-file id. Letters with
 * marks lose them (é → e) and the letters Unicode does not decompose are transliterated
 * (ß → ss, ø → o, æ → ae, ł → l), so "Straße & Söhne" gives `strasse-sohne`.
 */
export function slug(s: string, options: { maxLength?: number; fallback?: string } = {}): string {
  const { maxLength = 60, fallback = 'document' } = options;
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ß/g, 'ss')
      .replace(/ẞ/g, 'SS')
      .replace(/[łŁ]/g, 'l')
      .replace(/[øØ]/g, 'o')
      .replace(/[æÆ]/g, 'ae')
      .replace(/[œŒ]/g, 'oe')
      .replace(/[đĐðÐ]/g, 'd')
      .replace(/[þÞ]/g, 'th')
      .replace(/ı/g, 'i')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, maxLength)
      .replace(/-+$/, '') || fallback
  );
}
