/**
 * Turns driver errors into copies that are safe to log: credentials are redacted from every
 * message and stack, and only fields known to describe a failure without echoing command
 * arguments or stored values are copied. Core knows Node's system-error fields; an adapter
 * names its driver's other safe fields (the Postgres adapter: `severity`, `routine`, ...).
 */

/** Node system-error fields: they describe a failure without echoing arguments or data. */
const SYSTEM_ERROR_FIELDS = ['code', 'errno', 'syscall', 'address', 'port'] as const;

const MAX_CAUSE_DEPTH = 5;
const REDACTED = '***';
// URL parsers take everything up to the last `@` of the authority as credentials, so the
// password runs to that `@` (greedy), `@`s included.
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^/\s]*)@/gi;
// Quoted conninfo values escape quotes with a backslash (libpq).
const KEYWORD_PASSWORD = /\b(password|pass|pwd)\s*=\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)/gi;
const AUTH_COMMAND = /\bAUTH\s+\S+(\s+\S+)?/gi;

/** Remove credentials from a piece of text: URL passwords, `password=` pairs, AUTH arguments and the given secrets. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(URL_CREDENTIALS, `$1$2:${REDACTED}@`)
    .replace(KEYWORD_PASSWORD, `$1=${REDACTED}`)
    .replace(AUTH_COMMAND, `AUTH ${REDACTED}`);
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** An error copied from a driver's error with everything unsafe removed. */
export class SanitizedError extends Error {
  declare code?: string | number;
  declare errors?: SanitizedError[];
}

/**
 * A sanitized copy of `error` (and of its `cause` chain and `AggregateError` members):
 * `secrets` scrubbed from its text, and of its fields only Node's system-error fields and the
 * driver's `safeFields` (string or number values). Non-error values become a generic error
 * that does not echo them.
 */
export function sanitizeError(
  error: unknown,
  secrets: readonly string[] = [],
  safeFields: readonly string[] = [],
): SanitizedError {
  const fields =
    safeFields.length === 0 ? SYSTEM_ERROR_FIELDS : [...SYSTEM_ERROR_FIELDS, ...safeFields];
  return copySafely(error, secrets, fields, 0);
}

function copySafely(
  error: unknown,
  secrets: readonly string[],
  fields: readonly string[],
  depth: number,
): SanitizedError {
  if (!(error instanceof Error)) {
    return new SanitizedError(`non-error value thrown (${typeof error})`);
  }
  const message = redactText(error.message, secrets);
  const copy = new SanitizedError(message);
  copy.name = error.name;
  const source = error as unknown as Record<string, unknown>;
  const target = copy as unknown as Record<string, unknown>;
  for (const field of fields) {
    const value = source[field];
    if (typeof value === 'string' || typeof value === 'number') {
      target[field] = typeof value === 'string' ? redactText(value, secrets) : value;
    }
  }
  copy.stack = `${error.name}: ${message}${stackFrames(error.stack)}`;
  if (depth < MAX_CAUSE_DEPTH) {
    if (error.cause !== undefined) {
      copy.cause = copySafely(error.cause, secrets, fields, depth + 1);
    }
    if (error instanceof AggregateError && Array.isArray(error.errors)) {
      copy.errors = error.errors.map((inner) => copySafely(inner, secrets, fields, depth + 1));
    }
  }
  return copy;
}

/** The "    at ..." lines of a stack, without its first (message) lines. */
function stackFrames(stack: string | undefined): string {
  if (!stack) return '';
  const frames = stack.split('\n').filter((line) => line.startsWith('    at '));
  return frames.length > 0 ? `\n${frames.join('\n')}` : '';
}
