import type { SanitizedError } from './sanitize.js';

/** Longest reason put into a KVError's message; the cause holds the whole error. */
const MAX_REASON_LENGTH = 120;

/**
 * A one-line reason for a KVError's message, from an already sanitized error (credentials
 * redacted, see `sanitizeError`): the first line of its message, else its `code`, else the same
 * from its first aggregated error or its cause. Undefined when none says anything.
 */
export function briefReason(error: SanitizedError): string | undefined {
  const line = error.message.split('\n', 1)[0]?.trim() ?? '';
  const reason = line !== '' ? line : error.code !== undefined ? String(error.code) : undefined;
  if (reason !== undefined) {
    return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
  }
  const next = error.errors?.[0] ?? error.cause;
  return next instanceof Error ? briefReason(next as SanitizedError) : undefined;
}
