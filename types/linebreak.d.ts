// NOTE: linebreak (UAX #14, pdfkit's dependency) ships no type declarations; this covers srq's use.
declare module 'linebreak' {
  interface Break {
    /** Offset (UTF-16 code units) where the next line may begin. */
    position: number;
    /** A mandatory break (after a line feed, NEL, line or paragraph separator). */
    required: boolean;
  }
  class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
  export = LineBreaker;
}
