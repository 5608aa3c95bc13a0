import { LaneOpenError } from './lanes/connection-lanes.js';

/**
 * What porsager's errors say about connectivity and about whether a write reached the
 * server. Structured fields only (codes, SQLSTATEs, severities), never message text.
 */

/** porsager's own codes for a connection that closed, was destroyed, ended or never opened. */
const DRIVER_CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
]);

/**
 * Codes that only ever come before a statement is sent: the connection could not be
 * opened (refused, unresolvable, timed out, rejected at startup: authentication class 28,
 * unknown database 3D000, too many clients 53300, starting up 57P03) or the client was ended.
 */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_ENDED',
  '3D000',
  '53300',
  '57P03',
]);

/**
 * The driver-specific half of the connectivity test (core adds errno, SQLSTATE and patterns).
 * A lane that could not be opened means the server cannot be reached either.
 */
export function isDriverConnectionError(error: Error): boolean {
  if (error instanceof LaneOpenError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && DRIVER_CONNECTION_CODES.has(code);
}

/**
 * Whether a write that failed with `error` may still have been applied. No when the
 * statement was never sent, or when the server answered it with an ERROR: a single-statement
 * transaction that errs is rolled back whole. A lost connection, or a FATAL that ended the
 * session mid-statement, leaves it unknown.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (error instanceof LaneOpenError) return false; // no lane, so nothing was sent
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string') return true;
  if (NEVER_SENT_CODES.has(code) || code.startsWith('28')) return false;
  return severity !== 'ERROR';
}

/**
 * Whether the connection a statement failed on is surely gone: its socket failed (a Node
 * system error), porsager reports it closed, or the server ended the session (FATAL, PANIC).
 * A server ERROR, or anything else, leaves the session going.
 */
export function connectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { syscall, severity } = error as { syscall?: unknown; severity?: unknown };
  return (
    typeof syscall === 'string' ||
    severity === 'FATAL' ||
    severity === 'PANIC' ||
    isDriverConnectionError(error)
  );
}
