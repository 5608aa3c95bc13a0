/** Hash slots of a Redis Cluster. */
const SLOTS = 16_384;

/**
 * The Cluster hash slot of `key`: CRC16 (XMODEM) of the key, or of its `{hash tag}` when it
 * has a non-empty one, modulo 16384 (the Redis Cluster specification).
 */
export function clusterSlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b); // '{'
  const close = open === -1 ? -1 : bytes.indexOf(0x7d, open + 1); // '}'
  const hashed = close > open + 1 ? bytes.subarray(open + 1, close) : bytes;
  let crc = 0;
  for (const byte of hashed) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % SLOTS;
}
