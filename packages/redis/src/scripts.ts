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

/**
 * increment. KEYS[1]: the key. ARGV[1]: the delta, a safe integer as decimal text; ARGV[2]: the
 * expiry in ms of a counter this call creates, '0' for none. Returns `{ value, PTTL }` (integer
 * replies; PTTL is -1 for no expiry), or, writing nothing, the status reply `NOT_A_COUNTER` (the
 * live value is not a canonical decimal integer within +-(2^53 - 1)) or `COUNTER_OVERFLOW` (the
 * result would leave that range). Status replies keep these outcomes apart from Redis' own
 * error replies, which are failures of the call.
 *
 * Lua numbers are doubles: exact for integers up to 2^53, so the range check is exact, and the
 * numbers go back as integer replies, never through `tostring` (which prints 2^53 - 1 as
 * "9.007199254741e+15"). INCRBY keeps a live key's expiry.
 */
export const INCREMENT = defineScript(`local max = 9007199254740991
local current = redis.call('GET', KEYS[1])
if not current then
  if ARGV[2] == '0' then
    redis.call('SET', KEYS[1], ARGV[1])
  else
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  end
  return {tonumber(ARGV[1]), redis.call('PTTL', KEYS[1])}
end
local digits = current
if string.sub(current, 1, 1) == '-' then digits = string.sub(current, 2) end
if current ~= '0' and not (#digits <= 16 and string.find(digits, '^[1-9][0-9]*$')) then
  return redis.status_reply('NOT_A_COUNTER')
end
local stored = tonumber(current)
if stored > max or stored < -max then return redis.status_reply('NOT_A_COUNTER') end
local sum = stored + tonumber(ARGV[1])
if sum > max or sum < -max then return redis.status_reply('COUNTER_OVERFLOW') end
return {redis.call('INCRBY', KEYS[1], ARGV[1]), redis.call('PTTL', KEYS[1])}
`);
