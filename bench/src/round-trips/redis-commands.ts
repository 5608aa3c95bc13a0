import type { MessageCounter } from './counting-proxy.js';

const CR = 0x0d;
const LF = 0x0a;

/**
 * Counts commands in a Redis client stream. A RESP command is an array header `*<n>\r\n`
 * followed by n bulk strings `$<len>\r\n<bytes>\r\n`; any other line is an inline command.
 */
export function countRedisCommands(): MessageCounter {
  let line = '';
  let bulkLeft = 0; // bulk strings still expected in the current array
  let skip = 0; // payload bytes (plus CRLF) still to pass over
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
      const end = chunk.indexOf(LF, at);
      if (end === -1) {
        line += chunk.toString('latin1', at);
        break;
      }
      line += chunk.toString('latin1', at, chunk[end - 1] === CR ? end - 1 : end);
      at = end + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1); // CR was the last byte of a chunk
      if (bulkLeft > 0) {
        skip = Number(line.slice(1)) + 2;
        bulkLeft--;
      } else if (line.startsWith('*')) {
        bulkLeft = Number(line.slice(1));
        count++;
      } else if (line.length > 0) {
        count++;
      }
      line = '';
    }
    return count;
  };
}
