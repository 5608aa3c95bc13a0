import { type ConnectionErrorClassifier, createConnectionErrorClassifier } from '@strongbox/core';
import { LaneOpenError } from './lanes/lane-source.js';

/**
 * What porsager's and PostgreSQL's errors say about connectivity, about whether a write
 * reached the server, and which of their fields are safe to keep: the PostgreSQL half of
 * core's driver-neutral classifier and sanitizer.
 */

/** SQLSTATEs outside class 08 (connection exception) that mean the server is going away or full. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * PostgreSQL's messages of a server that ended or refused the session, for errors that lost
 * their SQLSTATE on the way (matched case-insensitively, after core's own patterns).
 */
const SERVER_UNAVAILABLE_MESSAGES = [
  'server closed the connection',
  'terminating connection',
  'the database system is starting up',
  'the database system is shutting down',
  'too many clients',
];

/**
 * Fields of a PostgreSQL error (as porsager reports it) that describe the failure without
 * echoing statement parameters or row data; `detail`, `where`, `query` and `parameters` may.
 */
export const POSTGRES_SAFE_ERROR_FIELDS: readonly string[] = [
  'severity',
  'routine',
  'schema_name',
  'table_name',
  'column_name',
  'constraint_name',
];

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
 * porsager's own verdict that a connection closed or never opened (a lane that could not be
 * opened means the server cannot be reached either).
 */
export function isDriverConnectionError(error: Error): boolean {
  if (error instanceof LaneOpenError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && DRIVER_CONNECTION_CODES.has(code);
}

/**
 * The PostgreSQL half of the connectivity test (core adds Node's errno codes and patterns):
 * porsager's codes, SQLSTATE class 08 and a server going away or full. Only for `unhealthy`:
 * the server also reports some class-08 errors (`08P01` for a malformed bind) at severity
 * ERROR on a session that goes on, so it says nothing about the connection itself.
 */
function isServerUnavailable(error: Error): boolean {
  if (isDriverConnectionError(error)) return true;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    isSqlState(code) &&
    (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code))
  );
}

/** Core's classifier with PostgreSQL's signals, plus the user's `patterns`. */
export function createPostgresErrorClassifier(
  patterns: readonly string[],
): ConnectionErrorClassifier {
  return createConnectionErrorClassifier({
    patterns: [...SERVER_UNAVAILABLE_MESSAGES, ...patterns],
    isDriverConnectionError: isServerUnavailable,
  });
}

/** Five characters of digits and capitals: a SQLSTATE, not a Node or porsager code. */
function isSqlState(code: string): boolean {
  return /^[0-9A-Z]{5}$/.test(code);
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
