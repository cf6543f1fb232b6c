/** The logo cannot be used (not a PNG or JPEG srq can read, or damaged); the message says why. */
export class LogoError extends Error {
  override name = 'LogoError';
}
