// NOTE: @types/pdfkit 0.17 lags pdfkit 0.20: fontkit Font objects as fonts, structure element
// attributes (bbox, placement, scope), outline positions, and `ref`. Declaration merging adds them.
declare namespace PDFKit {
  namespace Mixins {
    interface PDFFont {
      registerFont(name: string, src: import('fontkit').Font): this;
    }
    interface StructureElementOptions {
      bbox?: [number, number, number, number];
      placement?: 'Block' | 'Inline';
      scope?: 'Row' | 'Column' | 'Both';
    }
  }
  interface PDFOutline {
    addItem(
      title: string,
      options?: { expanded?: boolean; top?: number; left?: number; pageNumber?: number },
    ): PDFOutline;
  }
  interface PDFDocument {
    ref(data: object): PDFKitReference;
  }
}
