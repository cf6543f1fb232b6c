import { loadFonts, type FontSet } from './fonts';
import { checkImage, type CheckedImage } from './image';
import { LogoError } from './logo-error';

export { LogoError } from './logo-error';
import { layoutBlocks, type PageRect } from './layout/index';
import { normaliseMarkdown, type Block } from './normalise';
import { renderPdf, type DocumentInfo, type SignatureFieldArgs } from './render';

export type { PageRect } from './layout/index';
export type { DocumentInfo, SignatureFieldArgs } from './render';
export {
  loadFonts,
  fontFilesIn,
  FONTS_FOLDER,
  uncoveredChars,
  describeChar,
  type FontSet,
} from './fonts';
export { checkImage, imageInfo } from './image';

export interface PdfOptions {
  info: DocumentInfo;
  /** Running header and footer; `draft` also puts DRAFT across every page. */
  /** `stamp`: a line at the foot of every page (an NDA build's recipient). */
  furniture: { shortTitle: string; classification?: string; draft: boolean; stamp?: string };
  /**
   * PNG or JPEG bytes for the cover, with its alternative text, and the result of checking them
   * (checkImage) when the caller already did, so the image is decoded only once.
   */
  logo?: { data: Buffer; alt: string; checked?: CheckedImage };
  /**
   * Reserve a visible signature field at the `<!-- signature -->` marker, and let the signer
   * draw it (src/sign). Without `addField` the rect is only reserved and returned. `height`:
   * the provider's box, tall enough for its lines at 8 pt (default STYLE.signature.height).
   */
  signature?: {
    addField?: (doc: PDFKit.PDFDocument, args: SignatureFieldArgs) => void;
    height?: number;
  };
  /** The faces to set the text in (default: the bundled DejaVu fonts). */
  fonts?: FontSet;
}

/** A character no embedded font draws, and the heading it was drawn under ("the cover" before any). */
export interface Uncovered {
  char: string;
  where: string;
}

export interface PdfResult {
  pdf: Buffer;
  pages: number;
  /** Where the visible signature field is, when one was asked for. */
  signature?: PageRect;
  /** Characters the fonts cannot draw, each once per heading it was drawn under. */
  uncovered: Uncovered[];
}

/**
 * Lays out Markdown as a tagged PDF/A-2a document: normalise → measure → lay out → render.
 * Throws a LogoError with a one-line message for an unusable logo.
 */
export async function layoutPdf(markdown: string, options: PdfOptions): Promise<PdfResult> {
  const fonts = options.fonts ?? loadFonts();
  // NOTE: released before rendering (issue 15): an async function's frame keeps its locals
  // across the await, and the blocks (with the measurements keyed by them) of a 700-page
  // statement held ~10 MB through the whole render.
  let blocks: Block[] | undefined = normaliseMarkdown(markdown);
  let logo: { info: CheckedImage['info']; alt: string } | undefined;
  let checked: CheckedImage | undefined;
  if (options.logo) {
    const res = options.logo.checked ?? checkImage(options.logo.data);
    if ('error' in res) throw new LogoError(`it is ${res.error}`);
    checked = res;
    logo = { info: res.info, alt: options.logo.alt };
  }
  const layout = layoutBlocks(blocks, {
    fonts,
    ...(logo ? { logo } : {}),
    reserveSignature: Boolean(options.signature),
    ...(options.signature?.height ? { signatureHeight: options.signature.height } : {}),
  });
  blocks = undefined;
  const pdf = await renderPdf(layout, {
    fonts,
    info: options.info,
    furniture: options.furniture,
    ...(options.logo && checked ? { logo: { data: options.logo.data, ...checked } } : {}),
    // NOTE: PDF/UA-1 7.21.8 forbids .notdef glyphs, and 7.3 needs every figure described.
    claimUa: !layout.uncovered.length && (!options.logo || Boolean(options.logo.alt.trim())),
    ...(options.signature?.addField ? { addSignatureField: options.signature.addField } : {}),
  });
  return {
    pdf,
    pages: layout.pages.length,
    ...(layout.signature ? { signature: layout.signature } : {}),
    uncovered: layout.uncovered,
  };
}
