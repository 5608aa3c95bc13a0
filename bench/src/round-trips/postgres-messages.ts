import type { MessageCounter } from './counting-proxy.js';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const SYNC = 0x53; // 'S'
const FLUSH = 0x48; // 'H'
const SIMPLE_QUERY = 0x51; // 'Q'

/**
 * Counts round trips in a Postgres client stream: Sync messages (each ends an extended-query
 * batch the server answers), Flush messages (porsager sends Parse/Describe/Flush to prepare a
 * statement, then waits for the answer) and simple Query messages. The first message of a connection is
 * the untyped startup packet (after optional SSL/GSS requests); every later one is a type byte
 * and a 4-byte length that includes itself.
 */
export function countPostgresRoundTrips(): MessageCounter {
  let inStartup = true;
  let header = Buffer.alloc(0);
  let skip = 0;
  return (chunk) => {
    let count = 0;
    let at = 0;
    while (at < chunk.length) {
      if (skip > 0) {
        const skipped = Math.min(skip, chunk.length - at);
        skip -= skipped;
        at += skipped;
        continue;
      }
      const headerLength = inStartup ? 8 : 5;
      const taken = chunk.subarray(at, at + headerLength - header.length);
      header = Buffer.concat([header, taken]);
      at += taken.length;
      if (header.length < headerLength) break;
      if (inStartup) {
        const code = header.readInt32BE(4);
        skip = header.readInt32BE(0) - 8;
        inStartup = code === SSL_REQUEST || code === GSSENC_REQUEST;
      } else {
        const type = header[0];
        skip = header.readInt32BE(1) - 4;
        if (type === SYNC || type === FLUSH || type === SIMPLE_QUERY) count++;
      }
      header = Buffer.alloc(0);
    }
    return count;
  };
}
