import type * as fontkit from 'fontkit';

/**
 * A font's `post` table without decoding its glyph names until something asks for them. fontkit
 * decodes the whole table on first access, and pdfkit reads it for two numbers (isFixedPitch,
 * italicAngle) when it embeds a face: for DejaVu that is ~6,000 glyph-name indices and ~3,000
 * Pascal strings per face, 20-50 ms of a cold build for each of the faces a statement uses.
 * Version 2 tables (DejaVu's) get the fixed 32-byte header read directly (as fontkit reads it:
 * fixed32 = int32 / 65536) and their glyph names decoded by fontkit itself on first use; any
 * other version, or a table too short to hold the header, is left to fontkit as before.
 */

interface FontInternals {
  _tables: Record<string, unknown>;
  directory: { tables: Record<string, { offset: number; length: number } | undefined> };
  stream: { buffer: Uint8Array };
  _decodeTable(table: unknown): Record<string, unknown> | undefined;
}

export function deferPostNames(font: fontkit.Font): void {
  const f = font as unknown as FontInternals;
  const table = f.directory?.tables?.post;
  if (!table || 'post' in f._tables || table.length < 32) return;
  const buf = f.stream.buffer;
  if (table.offset + table.length > buf.length) return;
  const view = new DataView(buf.buffer, buf.byteOffset + table.offset, 32);
  const version = view.getInt32(0) / 65536;
  if (version !== 2) return;
  let full: Record<string, unknown> | undefined;
  const decoded = () => (full ??= f._decodeTable(table) ?? {});
  const post: Record<string, unknown> = {
    version,
    italicAngle: view.getInt32(4) / 65536,
    underlinePosition: view.getInt16(8),
    underlineThickness: view.getInt16(10),
    isFixedPitch: view.getUint32(12),
    minMemType42: view.getUint32(16),
    maxMemType42: view.getUint32(20),
    minMemType1: view.getUint32(24),
    maxMemType1: view.getUint32(28),
  };
  for (const key of ['numberOfGlyphs', 'glyphNameIndex', 'names']) {
    Object.defineProperty(post, key, { enumerable: true, get: () => decoded()[key] });
  }
  f._tables.post = post;
}
