import { createHash } from 'node:crypto';

/**
 * Name-based UUIDs (RFC 9562 version 5, SHA-1): the same name in the same namespace always gives
 * the same UUID, so an export of unchanged answers is byte-for-byte the same file.
 */

/** srq's own namespace (a fixed random UUID). */
export const SRQ_NAMESPACE = '6f1c2a8e-3b7d-4e52-9a41-0d8c5e7b2f13';

function bytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

export function uuidV5(name: string, namespace = SRQ_NAMESPACE): string {
  const hash = createHash('sha1').update(bytes(namespace)).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
