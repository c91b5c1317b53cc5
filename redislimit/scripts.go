package redislimit

import (
	"fmt"
	"regexp"
	"strconv"
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
//	p_len    how long that pause was (it bounds the pause after a clock step)
//	gen      counts the pauses (429s): a slot booked before one may fall in it
//	shift    the sum of the level's raises (another program of the account,
//	         or a model that drifted), added when they exceed two requests:
//	         a slot booked before goes that much later
//	raised   the raises, less the falls, not added to shift yet
//	lvl_at   when the level in force was learned
//	l_used, l_limit, l_at   the last call-limit header, for State
//	d_prev_at, d_prev_used, d_answers, d_drained, d_elapsed
//	         the drain-rate estimate (gorgias's drainEstimate)
//	sweep    no grant in the in-flight set expires before this: until
//	         then, removing the expired ones finds nothing to remove
//	about    says what the hash is, written with a new one. Its 65 bytes
//	         and more also keep Redis from packing the hash in a listpack,
//	         where reading or writing a field scans the others: a third
//	         of HMGET's and HSET's cost, 8% of the script's
//
// A script writes only the fields that changed.

// The root package's unexported constants, repeated: the two models must
// agree.
const (
	headroom       = 1 // requests kept free below the bucket's size
	maxDrainFactor = 8 // the learned window stays within this factor of the configured one
)

// raiseTolerance is the raise of the level, in requests, that booked
// slots absorb: a larger one shifts them (the scripts' shift), and an
// answer showing one is told to Redis at once.
const raiseTolerance = 2

// modelFields are the hash's fields of the model, in the order HMGET
// reads them and saveCode writes them: cap first (a hash without it
// starts from the seed), the instants an answer sets alike together.
var modelFields = []string{"cap", "win", "cfg", "tat", "paused", "lvl_at", "l_at", "d_prev_at", "l_used", "l_limit",
	"d_prev_used", "d_answers", "d_drained", "d_elapsed", "p_len", "gen", "shift", "raised", "sweep"}

// In the scripts, the model is a set of locals, s_tat for the field tat,
// written s.tat in the blocks below (model rewrites them), and the code
// that reads and writes each field is repeated for each (perField): a
// table of the fields, read and written by name, spent a tenth of a
// request's instructions in table lookups and inserts.

// luaList is item for each model field, {f} its name, joined by commas.
func luaList(item string) string {
	items := make([]string, len(modelFields))
	for i, f := range modelFields {
		items[i] = strings.ReplaceAll(item, "{f}", f)
	}
	return strings.Join(items, ", ")
}

// perField is code for each model field, {f} its name and {i} its index
// in HMGET's reply.
func perField(code string) string {
	var b strings.Builder
	for i, f := range modelFields {
		b.WriteString(strings.NewReplacer("{f}", f, "{i}", strconv.Itoa(i+1)).Replace(code))
	}
	return b.String()
}

// modelRef is a reference to a model field in a block: s.tat.
var modelRef = regexp.MustCompile(`\bs\.([a-z_]+)\b`)

// model turns a script's references to the model's fields into its locals.
func model(script string) string { return modelRef.ReplaceAllString(script, "s_$1") }

// The scripts are built from the blocks below, pasted in line rather
// than called as Lua functions: a script defining its functions at every
// call (EVALSHA runs the whole chunk each time) pays for their closures
// and upvalues: 9% of the reserve script's instructions (callgrind on
// redis-server 7.0). header starts every script; every script's ARGV
// starts with:
//
//	1 configured capacity   2 configured window   3 key TTL in milliseconds
//	4 in-flight horizon     5 seed capacity       6 seed window
//	7 seed level: how long the seed's bucket takes to drain from now
//	8 seed pause: how long the seed's pause lasts from now
//
// The seed (this process's own model, kept by its fallback limiter)
// starts a key that does not exist: a new account, one idle past its TTL,
// or a Redis that restarted empty.
var header = fmt.Sprintf(`
local HEADROOM, MAX_CALL_LIMIT, MAX_RETRY_AFTER, MAX_DRAIN_FACTOR, RAISE_TOLERANCE = %d, %d, %d, %d, %d
local state, inflight = KEYS[1], KEYS[2]
local fields = {%s}
local NFIELDS, EXACT = #fields, 2^53
local ABOUT = 'the rate limit bucket of a Gorgias account, kept by github.com/go-gorgias/gorgias/redislimit'
local call, tonumber, floor, format = redis.call, tonumber, math.floor, string.format
-- The configured window and the in-flight horizon, read once. The
-- numbers this version's client sends are read by arithmetic (x + 0), not
-- tonumber, which converts its string twice: a seventh of the reserve
-- script's instructions went to tonumber.
local CFG, HORIZON = ARGV[2] + 0, ARGV[4] + 0

`, headroom, gorgias.MaxCallLimit, gorgias.MaxRetryAfter.Microseconds(), maxDrainFactor, raiseTolerance, luaList("'{f}'"))

// clockCode sets now, Redis's clock in microseconds. Redis 3.2 to 4
// replicate a script that reads TIME only as its effects if told; later
// versions always do.
const clockCode = `
if redis.replicate_commands then redis.replicate_commands() end
local now
do
  local t = call('TIME')
  now = t[1] * 1000000 + t[2]
end
`

// loadCode reads the model (s.tat and the rest); fresh when it starts from the seed. A
// missing key starts from the seed. Damaged state (by hand, a bug, another
// version, a partial restore) never reads as "go": a size or drain time
// that is not a number in bounds restarts the model from the seed; a
// level that is not a number reads as a full bucket; a pause that is not
// one reads as none; the rest of the bookkeeping resets. And every
// instant is bounded by now, so a step of Redis's clock costs at most
// about a window (a pause, at most its own length): the level is at most
// one window ahead and the slots booked beyond it at most one more (tat
// <= now + 2 windows: the next wait is at most a window and two
// requests), a pause at most its length ahead, and the instants of past
// events are not in the future.
var loadCode = `
local fresh
local ` + luaList("s_{f}") + ` -- the model
local ` + luaList("o_{f}") + ` -- the numbers as stored: saveCode writes the fields that differ
local s_damaged = false
do
  local v = call('HMGET', state, unpack(fields))
  local cfg = CFG
  local exists = v[1] ~= false
  -- Each value as a number: by arithmetic, one conversion each, when all
  -- are numbers (as saveCode writes them); else by tonumber, which makes
  -- what is not a number nil.
  local numbers = exists and pcall(function()
    for i = 1, NFIELDS do
      local r = v[i]
      if r then v[i] = r + 0 end
    end
  end)
  local x, hi
` + perField(`  x = v[{i}]
  if x then
    if not numbers then x = tonumber(x) end
    if x and x == x and x > -EXACT and x < EXACT then o_{f} = x else x, s_damaged = nil, true end
  else
    x = nil
  end
  s_{f} = x
`) + `  local cap, win = s.cap, s.win
  fresh = not exists or not (cap and cap >= 2 and cap <= MAX_CALL_LIMIT and cap == floor(cap) and win and win > 0)
  if fresh then
    ` + luaList("s_{f}") + ` = ` + luaList("0") + `
    ` + luaList("o_{f}") + ` = nil
    s.damaged = exists
    cap, win = tonumber(ARGV[5]), tonumber(ARGV[6])
    -- (a number Redis stores exactly)
    if not (cap and cap == cap and cap >= 2 and cap <= MAX_CALL_LIMIT) then cap = tonumber(ARGV[1]) end
    if not (win and win == win and win > 0 and win < EXACT) then win = cfg end
    s.cap = cap
    local level, pause = tonumber(ARGV[7]) or 0, tonumber(ARGV[8]) or 0
    if level > 0 then s.tat = now + level end
    if pause > 0 then s.paused, s.p_len = now + pause, pause end
  end
  -- The configured window is this process's: it bounds the estimate.
  s.cfg = cfg
  if win < cfg / MAX_DRAIN_FACTOR then win = cfg / MAX_DRAIN_FACTOR elseif win > cfg * MAX_DRAIN_FACTOR then win = cfg * MAX_DRAIN_FACTOR end
  s.win = win
  -- Each instant within its bounds; one moved there notes damage: the
  -- state is saved. A level that is not a number reads as a full bucket.
  x, hi = s.tat, now + 2 * win
  if x == nil or x > hi then s.tat, s.damaged = hi, true elseif x < 0 then s.tat, s.damaged = 0, true end
  x = s.p_len
  if not (x and x > 0 and x <= MAX_RETRY_AFTER) then s.p_len = MAX_RETRY_AFTER end
  x, hi = s.paused, now + s.p_len
  if x == nil then s.paused = 0 elseif x > hi then s.paused, s.damaged = hi, true elseif x < 0 then s.paused, s.damaged = 0, true end
  x = s.lvl_at
  if x == nil then s.lvl_at = 0 elseif x > now then s.lvl_at, s.damaged = now, true elseif x < 0 then s.lvl_at, s.damaged = 0, true end
  x = s.l_at
  if x == nil then s.l_at = 0 elseif x > now then s.l_at, s.damaged = now, true elseif x < 0 then s.l_at, s.damaged = 0, true end
  x = s.d_prev_at
  if x == nil then s.d_prev_at = 0 elseif x > now then s.d_prev_at, s.damaged = now, true elseif x < 0 then s.d_prev_at, s.damaged = 0, true end
  x = s.gen
  if not (x and x >= 0) then s.gen = 0 end
  x = s.shift
  if not (x and x >= 0) then s.shift = 0 end
  x, hi = s.raised, 2 * win
  if x == nil or x > hi then s.raised, s.damaged = hi, true elseif x < 0 then s.raised, s.damaged = 0, true end
  if not (s.d_answers and s.d_answers >= 0 and s.d_drained and s.d_drained >= 0 and s.d_elapsed and s.d_elapsed >= 0) then
    s.d_answers, s.d_drained, s.d_elapsed = 0, 0, 0
  end
  local used, limit = s.l_used, s.l_limit
  if not (limit and used and (limit == 0 or limit >= 2 and limit <= MAX_CALL_LIMIT) and used >= 0 and used <= limit) then
    s.l_used, s.l_limit, s.l_at = 0, 0, 0
  end
  if s.d_prev_used == nil then s.d_prev_used = 0 end
  -- No grant expires later than the slots can be booked (below).
  x, hi = s.sweep, math.ceil(now + HORIZON + 2 * win + MAX_RETRY_AFTER)
  if x == nil then s.sweep = 0 elseif x > hi then s.sweep, s.damaged = hi, true elseif x < 0 then s.sweep, s.damaged = 0, true end
end
`

// saveCode writes the model fields that changed since loadCode, and
// renews the state's TTL. (The in-flight set's is renewed with each grant
// booked, the only command that adds to it.)
var saveCode = `
do
  -- Redis writes a number exactly (%.17g); an integer is quicker
  -- formatted here, and the one before (px, as ps) is not formatted again:
  -- an answer sets lvl_at, l_at and d_prev_at to the same instant.
  local args, n, x, px, ps = {}, 0, nil, nil, nil
` + perField(`  x = s_{f}
  if x ~= o_{f} then
    if x == px then
      x = ps
    elseif x == floor(x) and x > -EXACT and x < EXACT then
      px, ps = x, format('%d', x)
      x = ps
    end
    args[n + 1], args[n + 2] = '{f}', x
    n = n + 2
  end
`) + `  if not o_cap then -- a new hash: say what it is
    args[n + 1], args[n + 2] = 'about', ABOUT
    n = n + 2
  end
  if n > 0 then call('HSET', state, unpack(args, 1, n)) end
  call('PEXPIRE', state, ARGV[3])
end
`

// observeCode corrects the model from the answers in ARGV from index
// OBS on, as gorgias.RateLimiter.Observe does, and sets told when it did
// anything (the state is then saved):
//
//	ARGV OBS: tokens of grants abandoned unused, space-separated
//	then 7 for each answer, in the order they came: its grant's token
//	(empty: none), how long ago the attempt was sent (-1: unknown), how
//	long ago the answer came, status, used, limit, Retry-After.
var observeCode = `
local told = false
do
  local i = OBS
  local orphans = ARGV[i] or ''
  if orphans ~= '' or #ARGV > i then
    told = true
    if orphans ~= '' then
      for token in string.gmatch(orphans, '%S+') do call('ZREM', inflight, token) end
    end
    -- A grant counts in flight from its booking until its expiry, and no
    -- slot is booked further ahead than the level or a pause allows: one
    -- expiring later was scored on a clock that has since stepped back.
    -- Grants outside that range are removed once the earliest expiry
    -- booked has passed (sweep); until then they do not count.
    -- (now and hi are integers, formatted here: Lua's default conversion
    -- keeps 14 digits, too few for microseconds since 1970, and Redis's of
    -- a number costs a script call about 4,000 instructions.)
    local hi = math.ceil(now + HORIZON + 2 * s.win + MAX_RETRY_AFTER)
    local hs = format('%d', hi)
    if s.sweep <= now then
      call('ZREMRANGEBYSCORE', inflight, '-inf', format('%d', now))
      call('ZREMRANGEBYSCORE', inflight, '(' .. hs, '+inf')
      local first = call('ZRANGE', inflight, 0, 0, 'WITHSCORES')
      s.sweep = tonumber(first[2]) or hi
    end
    local model_tat, lo = s.tat, nil
    for j = i + 1, #ARGV - 6, 7 do
      if ARGV[j] ~= '' then call('ZREM', inflight, ARGV[j]) end
      if not lo then lo = '(' .. format('%d', now) end
      local in_flight = call('ZCOUNT', inflight, lo, hs)
      local sent_ago, at_ago = ARGV[j + 1] + 0, ARGV[j + 2] + 0
      if 0 > at_ago then at_ago = 0 end -- as math.max(at_ago, 0)
      local status, used, limit = ARGV[j + 3] + 0, ARGV[j + 4] + 0, ARGV[j + 5] + 0
      local retry_after = ARGV[j + 6] + 0
      local at = now - at_ago
      local sent = 0
      if sent_ago >= 0 then sent = now - sent_ago end
      -- A request the server put into its bucket: a 429 was refused, and a
      -- request without an answer may never have arrived.
      local counted = status ~= 0 and status ~= 429

      if limit >= 2 and limit <= MAX_CALL_LIMIT then
        if 0 > used then used = 0 end -- as math.min(math.max(used, 0), limit)
        if limit < used then used = limit end
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
        if at + wait > s.paused then s.paused, s.p_len, s.gen = at + wait, wait, s.gen + 1 end
      end
    end
    -- The level and the booked slots at most two windows ahead, whatever the
    -- answers claim in flight.
    s.tat = math.min(s.tat, now + 2 * s.win)
    -- Raises of the level, less its falls, since the booked slots last
    -- moved: past the tolerance, every slot booked before is that much too
    -- early, and they move by it.
    s.raised = math.max(s.raised + s.tat - math.max(model_tat, now), 0)
    if s.raised > RAISE_TOLERANCE * s.win / s.cap then
      s.shift, s.raised = s.shift + math.ceil(s.raised), 0
    end
  end
end
`

// reserveScript first tells the model the answers and abandoned grants
// in ARGV from 11 on (observeCode's arguments), then books the next slot for
// token. It returns {1, the microseconds until the slot, gen, shift,
// level, cap}: the wait is 0 when the slot is free now; level is the
// requests the model counts in the bucket at the slot, this one's
// included, and cap the bucket's size. A slot further than the caller
// can wait is not booked: {0, the microseconds until it, …}. Slots are
// booked at most one window beyond the bucket's level; when as many are
// booked, it books nothing and returns {2, the microseconds until one may
// be booked, …}. The booked slot counts as in flight until an observation
// names it, or the in-flight horizon after it passes.
//
//	ARGV 9: a token naming the grant
//	ARGV 10: the longest wait the caller accepts (-1: any)
var reserveScript = redis.NewScript(model(header + clockCode + loadCode + "local OBS = 11\n" + observeCode + `
local interval = s.win / s.cap
local tat = math.max(s.tat, now)
local send_at = math.max(tat - (s.cap - HEADROOM - 1) * interval, s.paused, now)
local wait = math.ceil(send_at - now)
local longest = ARGV[10] + 0
local result, changed
if longest >= 0 and wait > longest then
  result, changed = {0, wait, s.gen, s.shift, 0, s.cap}, fresh or s.damaged or told
elseif tat + interval > now + 2 * s.win then
  result, changed = {2, math.ceil(tat + interval - 2 * s.win - now), s.gen, s.shift, 0, s.cap}, fresh or s.damaged or told
else
  s.tat = tat + interval
  -- (an integer: the score is formatted here, quicker than by Redis)
  local expiry = math.ceil(send_at + HORIZON)
  call('ZADD', inflight, format('%d', expiry), ARGV[9])
  call('PEXPIRE', inflight, ARGV[3])
  s.sweep = math.min(s.sweep, expiry)
  result, changed = {1, wait, s.gen, s.shift, math.ceil(math.max(tat - send_at, 0) / interval) + 1, s.cap}, true
end
if changed then
` + saveCode + `end
return result
`))

// observeScript tells the model the answers and abandoned grants in ARGV
// from 9 on (observeCode's arguments), and returns {gen, shift}.
var observeScript = redis.NewScript(model(header + clockCode + loadCode + "local OBS = 9\n" + observeCode + saveCode + `
return {s.gen, s.shift}
`))

// stateScript reads the model for State, without changing it: a missing
// key gives an empty list; otherwise {used, limit, how long ago the header
// came (-1: never), window, when the pause ends relative to now (negative:
// in the past), whether there was a pause (1) or not (0)}.
var stateScript = redis.NewScript(model(header + `
if call('EXISTS', state) == 0 then return {} end
` + clockCode + loadCode + `local ago = -1
if s.l_limit > 0 then ago = math.max(now - s.l_at, 0) end
local paused = 0
if s.paused > 0 then paused = 1 end
return {s.l_used, s.l_limit, ago, math.floor(s.win), math.floor(s.paused - now), paused}
`))
