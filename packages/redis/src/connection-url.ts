/**
 * Why `url` is not a usable Redis URL, or undefined when it is. The explanation never repeats
 * the URL, which may hold a password.
 */
export function redisUrlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string')
    return `url must be a string, got ${url === null ? 'null' : typeof url}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url is not a valid URL';
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return `url must start with redis:// or rediss://, got ${parsed.protocol}//`;
  }
  if (parsed.hostname === '') return 'url has no host';
  if (!/^(\/\d*)?$/.test(parsed.pathname)) return 'the path of url must be a db index such as /0';
  return undefined;
}
