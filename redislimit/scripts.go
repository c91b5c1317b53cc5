package redislimit

import (
	"fmt"
	"strings"

	"github.com/go-gorgias/gorgias"
	"github.com/redis/go-redis/v9"
)

// The bucket of one account lives in two keys that share a hash tag, so a
// Redis Cluster keeps them on one node:
//
//	PREFIX{ACCOUNT}           a hash: the GCRA model (fields below)
//	PREFIX{ACCOUNT}:inflight  a sorted set: the requests granted and not yet
//	                          observed, each scored by when it stops counting
//
// Times are microseconds of Redis's clock (TIME), so the machines sharing
// the bucket never compare their own clocks: a client sends durations
// (how long ago an answer came), never instants. Durations are in
// microseconds too.
//
// Hash fields, the same model as gorgias.RateLimiter:
//
//	cap      the bucket's size, in requests (from the call-limit header)
//	win      the estimated time the full bucket takes to drain
//	cfg      the configured window, which bounds the estimate
//	tat      the theoretical arrival time: when the modelled bucket empties
//	paused   nothing is granted before this, after a 429
//	lvl_at   when the level in force was learned
//	l_used, l_limit, l_at   the last call-limit header, for State
//	d_prev_at, d_prev_used, d_answers, d_drained, d_elapsed
//	         the drain-rate estimate (gorgias's drainEstimate)

// The root package's unexported constants, repeated: the two models must
// agree.
const (
	headroom       = 1 // requests kept free below the bucket's size
	maxDrainFactor = 8 // the learned window stays within this factor of the configured one
)

// prelude is shared by the scripts. Every script's ARGV starts with:
//
//	1 configured capacity   2 configured window   3 key TTL in milliseconds
//	4 in-flight horizon     5 seed capacity       6 seed window
//	7 seed level: how long the seed's bucket takes to drain from now
//	8 seed pause: how long the seed's pause lasts from now
//
// The seed (this process's own model, kept by its fallback limiter)
// starts a key that does not exist: a new account, one idle past its TTL,
// or a Redis that restarted empty.
var prelude = fmt.Sprintf(`
local HEADROOM, MAX_CALL_LIMIT, MAX_RETRY_AFTER, MAX_DRAIN_FACTOR = %d, %d, %d, %d
local state, inflight = KEYS[1], KEYS[2]
local fields = {'cap', 'win', 'cfg', 'tat', 'paused', 'lvl_at', 'l_used', 'l_limit', 'l_at',
  'd_prev_at', 'd_prev_used', 'd_answers', 'd_drained', 'd_elapsed'}

local function clock()
  -- Redis 3.2 to 4 replicate a script that reads TIME only as its effects
  -- if told; later versions always do.
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- num formats a number for Redis: the default conversion keeps 14 digits,
-- too few for microseconds since 1970.
local function num(x)
  if x == math.floor(x) and math.abs(x) < 2^53 then
    return string.format('%%d', x)
  end
  return string.format('%%.17g', x)
end

local function load(now)
  local v = redis.call('HMGET', state, unpack(fields))
  local s = {}
  if v[1] then
    for i, f in ipairs(fields) do s[f] = tonumber(v[i]) or 0 end
    return s, false
  end
  for _, f in ipairs(fields) do s[f] = 0 end
  s.cap, s.win, s.cfg = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[2])
  local level, pause = tonumber(ARGV[7]), tonumber(ARGV[8])
  if level > 0 then s.tat = now + level end
  if pause > 0 then s.paused = now + pause end
  return s, true
end

local function save(s)
  local args = {}
  for _, f in ipairs(fields) do
    args[#args + 1] = f
    args[#args + 1] = num(s[f])
  end
  redis.call('HSET', state, unpack(args))
  local ttl = ARGV[3]
  redis.call('PEXPIRE', state, ttl)
  if redis.call('EXISTS', inflight) == 1 then redis.call('PEXPIRE', inflight, ttl) end
end
`, headroom, gorgias.MaxCallLimit, gorgias.MaxRetryAfter.Microseconds(), maxDrainFactor)

// reserveScript books a slot if one is free now and returns 0; otherwise it
// books nothing and returns the microseconds until one should be.
//
//	ARGV 9: a token naming the grant, for observeScript to remove
var reserveScript = redis.NewScript(prelude + `
local now = clock()
local s, fresh = load(now)
local interval = s.win / s.cap
local tat = math.max(s.tat, now)
local send_at = math.max(tat - (s.cap - HEADROOM - 1) * interval, s.paused)
if send_at > now then
  if fresh then save(s) end
  return math.ceil(send_at - now)
end
s.tat = tat + interval
redis.call('ZADD', inflight, num(now + tonumber(ARGV[4])), ARGV[9])
save(s)
return 0
`)

// observeScript corrects the model from what one attempt learned, as
// gorgias.RateLimiter.Observe does.
//
//	ARGV 9: tokens of grants now answered or abandoned, space-separated
//	ARGV 10: how long ago the attempt was sent (-1: unknown)
//	ARGV 11: how long ago the answer came
//	ARGV 12: status   13: used   14: limit   15: Retry-After
var observeScript = redis.NewScript(prelude + `
local now = clock()
local s = load(now)
for token in string.gmatch(ARGV[9], '%S+') do redis.call('ZREM', inflight, token) end
redis.call('ZREMRANGEBYSCORE', inflight, '-inf', num(now))
local in_flight = redis.call('ZCARD', inflight)
local sent_ago, at_ago = tonumber(ARGV[10]), tonumber(ARGV[11])
local status, used, limit, retry_after = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14]), tonumber(ARGV[15])
local at = now - at_ago
local sent = 0
if sent_ago >= 0 then sent = now - sent_ago end
-- A request the server put into its bucket: a 429 was refused, and a
-- request without an answer may never have arrived.
local counted = status ~= 0 and status ~= 429

if limit >= 2 and limit <= MAX_CALL_LIMIT then
  used = math.min(math.max(used, 0), limit)
  s.cap = limit
  -- The drain rate: between two answers showing a non-empty bucket, it
  -- drained (level before) + (requests counted since) - (level after).
  if counted then s.d_answers = s.d_answers + 1 end
  if s.d_prev_at == 0 or at > s.d_prev_at then
    local prev_at, prev_used, answers = s.d_prev_at, s.d_prev_used, s.d_answers
    s.d_prev_at, s.d_prev_used, s.d_answers = at, used, 0
    if prev_at ~= 0 and prev_used ~= 0 and used ~= 0 then
      local dt = at - prev_at
      local decay = math.exp(-dt / s.cfg)
      s.d_drained = s.d_drained * decay + (prev_used + answers - used)
      s.d_elapsed = s.d_elapsed * decay + dt
      if s.d_drained > 0 and s.d_elapsed >= s.cfg / 4 then
        local win = s.cap / (s.d_drained / s.d_elapsed)
        s.win = math.min(math.max(win, s.cfg / MAX_DRAIN_FACTOR), s.cfg * MAX_DRAIN_FACTOR)
      end
    end
  end
  -- Trust the server's level, counting the requests still in flight; an
  -- answer to a request sent before the level in force was learned may
  -- only raise it.
  local server_tat = at + (used + in_flight) * (s.win / s.cap)
  if server_tat > s.tat or sent >= s.lvl_at then
    s.tat, s.lvl_at = server_tat, at
  end
  s.l_used, s.l_limit, s.l_at = used, limit, at
elseif counted then
  s.d_answers = s.d_answers + 1
end

if status == 429 then
  local interval = s.win / s.cap
  local full = at + s.cap * interval
  if full > s.tat then s.tat, s.lvl_at = full, at end
  local wait = math.min(retry_after, MAX_RETRY_AFTER)
  if wait <= 0 then wait = interval end
  if at + wait > s.paused then s.paused = at + wait end
end
save(s)
return 0
`)

// stateScript reads the model for State, without changing it: a missing
// key gives an empty list; otherwise {used, limit, how long ago the header
// came (-1: never), window, when the pause ends relative to now (negative:
// in the past), whether there was a pause (1) or not (0)}.
var stateScript = redis.NewScript(prelude + `
if redis.call('EXISTS', state) == 0 then return {} end
local now = clock()
local s = load(now)
local ago = -1
if s.l_limit > 0 then ago = math.max(now - s.l_at, 0) end
local paused = 0
if s.paused > 0 then paused = 1 end
return {s.l_used, s.l_limit, ago, math.floor(s.win), s.paused - now, paused}
`)

// joinTokens is ARGV 9 of observeScript.
func joinTokens(tokens []string) string { return strings.Join(tokens, " ") }
