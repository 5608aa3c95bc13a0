/**
 * Values are stored as `bytea` holding their UTF-8 encoding. A `text` column cannot hold
 * U+0000, and UTF-8 is a one-to-one encoding of well-formed strings, so byte equality in SQL
 * is exactly string equality in JavaScript: CAS compares bytes, whatever the database's
 * encoding, collation or locale.
 *
 * On the wire the bytes travel as hex text (`decode($n, 'hex')` in, `encode(value, 'hex')`
 * out), so neither the client's type serializers nor its `transform` options nor the server's
 * `bytea_output` setting can change them.
 */

/** The hex text sent for `value` (a well-formed string, validated by the caller). */
export function encodeValue(value: string): string {
  return Buffer.from(value, 'utf8').toString('hex');
}

/** The string whose UTF-8 bytes `hex` (a raw `encode(value, 'hex')` column) spells. */
export function decodeValue(hex: Buffer): string {
  return Buffer.from(hex.toString('latin1'), 'hex').toString('utf8');
}
