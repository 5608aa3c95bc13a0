/** One line explaining why a way of getting a test server failed, for `missingServerError`. */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if ((error as NodeJS.ErrnoException).code === 'ENOENT')
    return `${text} (not installed or not on PATH)`;
  return text.split('\n').slice(0, 6).join(' | ');
}
