import { execFileSync } from 'node:child_process';

export interface PdfText {
  /** Text of each page, in order. */
  pages: string[];
  text: string;
}

// NOTE: pdf.js (inside pdf-parse) loads its worker with a dynamic import, which jest's VM refuses
// without NODE_OPTIONS=--experimental-vm-modules; a plain node child process needs no flag.
const EXTRACT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const result = await parser.getText();
  await parser.destroy();
  process.stdout.write(JSON.stringify(result.pages.map((p) => p.text)));
});`;

/** Extracts the text of a PDF, page by page (pdf.js via pdf-parse). */
export function pdfText(pdf: Buffer): PdfText {
  const out = execFileSync(process.execPath, ['-e', EXTRACT], {
    input: pdf,
    cwd: __dirname,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  const pages = JSON.parse(out) as string[];
  return { pages, text: pages.join('\n') };
}

/** Collapses whitespace, so text broken across lines still matches. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The XMP metadata packet of a PDF (written uncompressed by pdfkit). */
export function xmpPacket(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  const start = s.indexOf('<?xpacket begin');
  const end = s.indexOf('<?xpacket end', start);
  if (start < 0 || end < 0) throw new Error('no XMP packet in the PDF');
  const close = s.indexOf('?>', end);
  return Buffer.from(s.slice(start, close + 2), 'latin1').toString('utf8');
}
