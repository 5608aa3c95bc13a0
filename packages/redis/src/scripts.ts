import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, computed from the text so the two can never disagree. */
export interface RedisScript {
  readonly lua: string;
  readonly sha: string;
}

function defineScript(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * checkAndSet. KEYS[1]: the key. ARGV[1]: '1' when a value is expected, '0' when absence is;
 * ARGV[2]: the expected value; ARGV[3]: the new value; ARGV[4]: 'keep' (KEEPTTL; an absent key
 * gets no expiry), '0' (no expiry) or a TTL in ms, passed to PX as the decimal text it came in.
 * Returns 1 when it wrote, 0 on a mismatch. Expired keys read as absent (GET never returns them).
 */
export const CHECK_AND_SET = defineScript(`local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[4] == 'keep' then
  redis.call('SET', KEYS[1], ARGV[3], 'KEEPTTL')
elseif ARGV[4] == '0' then
  redis.call('SET', KEYS[1], ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
end
return 1
`);

/** checkAndDelete. KEYS[1]: the key; ARGV[1]: the expected value. Returns 1 when it deleted. */
export const CHECK_AND_DELETE = defineScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);
