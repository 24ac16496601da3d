/**
 * The global token bucket, run atomically inside Redis (one key, so it also runs on Redis
 * Cluster). Same arithmetic as @weir/limits `TokenBucket`, with Redis's own clock (`TIME`), so
 * hosts with skewed clocks still share one refill rate.
 *
 * KEYS[1]  the bucket: a hash { tokens, ts } (ts in ms with microsecond fraction)
 * ARGV[1]  rate, tokens per second (> 0)
 * ARGV[2]  burst (>= 1); a missing bucket is full
 * ARGV[3]  want: > 0 takes up to that many whole tokens, < 0 gives -want back (capped at burst)
 * ARGV[4]  PEXPIRE ms: about twice the time to refill from empty, after which an untouched
 *          bucket is full anyway, so letting it expire changes nothing
 * ARGV[5]  atLeast (1..want): take nothing unless this many whole tokens are there
 * returns  { granted, retryAfterMs until atLeast tokens (0 unless granted 0), floor(tokens left) }
 *
 * Numbers are written with %.17g: Redis's default number-to-string conversion keeps 14
 * digits, which for a 13-digit millisecond timestamp loses everything under 0.1 ms.
 * A clock that stepped back refills nothing and restarts the bucket's time from the new reading.
 * (`TIME` before a write is allowed: scripts are replicated by effects since Redis 5.)
 */
export const TOKEN_BUCKET_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local least = tonumber(ARGV[5]) or 1
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
elseif now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
end
local granted = 0
local retry = 0
if want > 0 then
  if least > want then least = want end
  if least > burst then least = burst end
  if least < 1 then least = 1 end
  if math.floor(tokens) >= least then
    granted = math.min(want, math.floor(tokens))
    tokens = tokens - granted
  else
    retry = math.max(1, math.ceil((least - tokens) * 1000 / rate))
  end
else
  tokens = math.min(burst, tokens - want)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], ttl)
return { granted, retry, math.floor(tokens) }
`;
