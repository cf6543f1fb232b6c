import { decodeHTMLStrict } from 'entities';

/**
 * Character references (`&copy;`, `&#163;`, `&#x2014;`) as the characters they stand for. marked
 * keeps them in text tokens (an HTML renderer leaves them to the browser), so every writer that is
 * not a browser decodes them here. NOTE: strict, as CommonMark: only references ending in `;`.
 */
export function decodeEntities(s: string): string {
  return s.includes('&') ? decodeHTMLStrict(s) : s;
}
