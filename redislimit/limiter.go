// Package redislimit paces the requests of many processes, on one machine
// or many, under one Gorgias account's rate limit, by keeping the
// account's leaky bucket in Redis.
//
// A Gorgias account has one bucket (40 requests per 20 s for an API key,
// 80 for OAuth2) shared by every program using it. gorgias.RateLimiter
// models it in one process; a Limiter models it in Redis, with the same
// model (GCRA, corrected by every answer's X-Gorgias-Account-Api-Call-Limit
// header and by 429s, learning the drain rate), updated atomically by Lua
// scripts on Redis's own clock:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	limiter, err := redislimit.New(rdb, "acme") // the account's subdomain
//	if err != nil { … }
//	client, err := gorgias.NewClient("acme", gorgias.WithBasicAuth(email, key),
//		gorgias.WithRateLimiter(limiter))
//
// When Redis does not answer within the timeout (250 ms by default), the
// Limiter paces through an in-process gorgias.RateLimiter instead, logs it
// once, and goes back to Redis when Redis answers again. A Redis that is
// away or slow never fails a request: it costs a waiter about one timeout
// before the fallback takes over.
//
// The account is read as gorgias.NewClient reads it: "ACME",
// "acme.gorgias.com" and "https://acme.gorgias.com/" are one account, one
// bucket. State in Redis that is damaged never turns pacing off: the
// scripts check every field they read, and the Limiter every answer. Redis's
// clock stepping costs at most about a window: no stored instant is
// trusted further ahead of now than the model allows.
//
// It needs Redis 5 or later (it is tested on 7.0 and on miniredis). Any
// redis.UniversalClient will do, a Redis Cluster's too: the account's two
// keys share the hash tag {SUBDOMAIN} (the subdomain holds no brace, and a
// prefix may hold none), so one slot, one node, holds them and the scripts
// never meet CROSSSLOT.
package redislimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/redis/go-redis/v9"
)

// Defaults of the options.
const (
	// DefaultPrefix starts every key: the account's bucket lives at
	// "gorgias:ratelimit:{ACCOUNT}" and "gorgias:ratelimit:{ACCOUNT}:inflight".
	DefaultPrefix = "gorgias:ratelimit:"
	// DefaultTimeout bounds each Redis call.
	DefaultTimeout = 250 * time.Millisecond
	// DefaultProbeInterval is how often a Limiter pacing in process
	// checks whether Redis answers again.
	DefaultProbeInterval = time.Second
	// DefaultTTL is how long an idle account's bucket stays in Redis.
	DefaultTTL = 10 * time.Minute
	// DefaultInflightHorizon is how long a granted request counts as in
	// flight when its answer is never observed (its process died, or
	// Redis was away when it ended). The SDK's HTTP timeout is 60 s.
	DefaultInflightHorizon = 2 * time.Minute
)

// maxOrphans bounds the grants a Limiter remembers to release once Redis
// answers again.
const maxOrphans = 1024

// maxPending bounds the answers a Limiter holds for its next script call:
// past it, Observe tells Redis at once.
const maxPending = 64

// Limiter paces requests under one account's rate limit, shared through
// Redis by every process that uses a Limiter for the same account and key
// prefix. It implements gorgias.Limiter, and State for
// gorgias.Client.RateLimit. It is safe for concurrent use. On a client
// whose options set ContextTimeoutEnabled it makes its Redis calls on the
// caller's goroutine, each ended by its timeout; on another, on
// goroutines of its own, so that a call Redis does not answer in time is
// left behind; each ends 10 s after its last call.
type Limiter struct {
	rdb         redis.UniversalClient
	keys        []string // the state hash and the in-flight set
	capacity    int
	window      time.Duration
	timeout     time.Duration
	probeEvery  time.Duration
	ttl         time.Duration
	horizon     time.Duration
	logger      *slog.Logger
	local       *gorgias.RateLimiter
	tokenPrefix string
	seq         atomic.Uint64
	// gen and shift are the count of pauses (429s) and the sum of the
	// level's raises, in microseconds, that Redis answered last. A waiter
	// that sees gen change while it sleeps (a pause, or a Redis that
	// restarted empty), or shift fall, asks again; one that sees shift
	// grow sleeps that much longer, as its slot moved.
	gen, shift atomic.Int64
	// flushDelay is how long an answer that agrees with the model waits
	// for the next script call before it is told to Redis on its own.
	flushDelay time.Duration
	workers    workers
	// direct: rdb's options set ContextTimeoutEnabled, so its calls end
	// at the context's deadline, and bounded makes them on the caller's
	// goroutine.
	direct bool
	// config are the first four arguments of every script call (args).
	config [4]any

	mu        sync.Mutex
	down      bool      // pacing in process: Redis did not answer
	probing   bool      // a probe is running
	lastProbe time.Time // when Redis was last tried while down
	// granted holds the Redis grants whose answer has not been observed,
	// oldest first; localGranted counts the fallback's grants.
	granted      []grant
	localGranted int
	// pending are answers that agree with what their grant's booking
	// modelled: the next script call tells them to Redis, or a flush
	// flushDelay after the first of them (flushArmed).
	pending    []answer
	flushArmed bool
	// orphans are grants whose answer came while Redis was away: released
	// by the next observation Redis answers.
	orphans []string

	// now, sleep and afterFunc are the clock, replaced by tests.
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
	afterFunc func(d time.Duration, f func())
}

// grant is a slot Redis booked: its token, and what the model counted in
// the bucket at the slot (level, this request included, and cap).
type grant struct {
	token      string
	level, cap int64
}

// agrees reports whether o, the answer to g's request, shows what g's
// booking modelled, within raiseTolerance: no 429, the same bucket size,
// a level no higher. Redis may hear of it with the next script call.
func (g grant) agrees(o gorgias.Observation) bool {
	return o.Status != 429 && o.RetryAfter == 0 &&
		(o.Limit == 0 || int64(o.Limit) == g.cap && int64(o.Used) <= g.level+raiseTolerance)
}

// answer is an observation to tell Redis, and its grant's token (empty:
// none).
type answer struct {
	token string
	o     gorgias.Observation
}

// config collects the options.
type config struct {
	prefix         string
	requests       int
	window         time.Duration
	timeout, probe time.Duration
	ttl, horizon   time.Duration
	logger         *slog.Logger
	fallback       *gorgias.RateLimiter
}

// Option configures a Limiter.
type Option func(*config)

// WithPrefix sets the prefix of the account's keys (default DefaultPrefix).
// Processes share a bucket when they use the same prefix and account. The
// prefix may not hold '{' or '}': the braces after it are the keys' Redis
// Cluster hash tag.
func WithPrefix(prefix string) Option {
	return func(c *config) { c.prefix = prefix }
}

// WithRate sets the bucket the model starts from, before the first answer
// tells its size and the answers teach its drain rate: requests draining
// in window, such as WithRate(80, 20*time.Second) for an OAuth2 app. The
// default is 40 per 20 s, an API key's. The first process to create the
// account's bucket in Redis sets it.
func WithRate(requests int, window time.Duration) Option {
	return func(c *config) { c.requests, c.window = requests, window }
}

// WithTimeout bounds each Redis call (default DefaultTimeout). A call that
// takes longer counts as Redis being away. For the timeout to also
// abandon the network wait, give New a client whose options set
// ContextTimeoutEnabled (the Limiter then also makes its calls on the
// caller's goroutine, without a handoff to one of its own); otherwise the
// abandoned call ends in the background, by the client's own read
// timeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithProbeInterval sets how often a Limiter pacing in process checks
// whether Redis answers again (default DefaultProbeInterval).
func WithProbeInterval(d time.Duration) Option {
	return func(c *config) { c.probe = d }
}

// WithTTL sets how long an idle account's bucket stays in Redis (default
// DefaultTTL); every request renews it. It must be at least the in-flight
// horizon.
func WithTTL(d time.Duration) Option {
	return func(c *config) { c.ttl = d }
}

// WithInflightHorizon sets how long a granted request counts as in flight
// when its answer is never observed (default DefaultInflightHorizon). Set
// it above the HTTP timeout of the clients using the Limiter.
func WithInflightHorizon(d time.Duration) Option {
	return func(c *config) { c.horizon = d }
}

// WithLogger sets where the Limiter says that Redis went away and came
// back (default slog.Default()).
func WithLogger(logger *slog.Logger) Option {
	return func(c *config) { c.logger = logger }
}

// WithFallback sets the in-process limiter used while Redis is away
// (default gorgias.NewRateLimiter with the rate of WithRate). Every
// process then paces on its own: give it a smaller share of the bucket,
// such as gorgias.NewRateLimiter(40, 60*time.Second) for one of three
// processes, to keep the processes together under the account's limit.
// The Limiter tells it every answer, so it knows the bucket's level when
// it takes over.
func WithFallback(l *gorgias.RateLimiter) Option {
	return func(c *config) { c.fallback = l }
}

// New returns a Limiter for account on rdb. The account is read as
// gorgias.NewClient reads it (gorgias.AccountSubdomain): "acme", "ACME",
// "acme.gorgias.com" and "https://acme.gorgias.com/" share one bucket, and
// a name NewClient refuses is refused.
func New(rdb redis.UniversalClient, account string, opts ...Option) (*Limiter, error) {
	cfg := config{
		prefix: DefaultPrefix, requests: gorgias.APIKeyRequestsPerWindow, window: gorgias.RateLimitWindow,
		timeout: DefaultTimeout, probe: DefaultProbeInterval, ttl: DefaultTTL, horizon: DefaultInflightHorizon,
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	switch {
	case rdb == nil || reflect.ValueOf(rdb).Kind() == reflect.Pointer && reflect.ValueOf(rdb).IsNil():
		return nil, errors.New("redislimit: New needs a Redis client")
	case cfg.timeout <= 0 || cfg.probe <= 0 || cfg.horizon <= 0:
		return nil, errors.New("redislimit: the timeout, probe interval and in-flight horizon must be positive")
	case strings.ContainsAny(cfg.prefix, "{}"):
		return nil, fmt.Errorf("redislimit: the prefix %q holds a brace: the account's keys keep theirs for the Redis Cluster hash tag", cfg.prefix)
	case cfg.ttl < cfg.horizon:
		return nil, fmt.Errorf("redislimit: the TTL (%s) must be at least the in-flight horizon (%s)", cfg.ttl, cfg.horizon)
	}
	sub, err := gorgias.AccountSubdomain(account)
	if err != nil {
		return nil, fmt.Errorf("redislimit: New: %w", err)
	}
	local, err := gorgias.NewRateLimiter(cfg.requests, cfg.window) // checks the rate
	if err != nil {
		return nil, fmt.Errorf("redislimit: %w", err)
	}
	if cfg.fallback != nil {
		local = cfg.fallback
	}
	logger := cfg.logger
	if logger == nil {
		logger = slog.Default()
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	// The subdomain holds only a-z, 0-9 and '-': no brace in it can end
	// the hash tag early, so whatever the prefix holds, every key of the
	// account hashes to one Cluster slot.
	key := cfg.prefix + "{" + sub + "}"
	return &Limiter{
		rdb: rdb, keys: []string{key, key + ":inflight"},
		capacity: cfg.requests, window: cfg.window,
		timeout: cfg.timeout, probeEvery: cfg.probe, ttl: cfg.ttl, horizon: cfg.horizon,
		logger: logger, local: local,
		tokenPrefix: hex.EncodeToString(id[:]) + ":",
		flushDelay:  min(max(cfg.window/time.Duration(cfg.requests), 50*time.Millisecond), time.Second),
		now:         time.Now,
		sleep:       sleepContext,
		afterFunc:   func(d time.Duration, f func()) { time.AfterFunc(d, f) },
		workers:     workers{idle: make(chan func())},
		direct:      contextTimeouts(rdb),
		config:      [4]any{cfg.requests, cfg.window.Microseconds(), cfg.ttl.Milliseconds(), cfg.horizon.Microseconds()},
	}, nil
}

// Key returns the Redis key of the account's bucket (a hash); the
// requests in flight are in the sorted set Key()+":inflight".
func (l *Limiter) Key() string { return l.keys[0] }

// Shared reports whether the Limiter paces through Redis now, rather than
// in process because Redis did not answer.
func (l *Limiter) Shared() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.down
}

// Wait blocks until one request may be sent, or until ctx ends. It asks
// Redis once: the answer books the next slot and says how long until it,
// and Wait sleeps that long. The same script call tells Redis the answers
// this process observed since its last call. A wait that would outlast
// the context's deadline books nothing and fails at once. When an answer
// showing a fuller bucket than modelled arrives while it sleeps (in any
// process, as far as this one has heard), it sleeps as much longer; when
// a 429 does, it asks again. While Redis is away it waits on the
// in-process fallback.
func (l *Limiter) Wait(ctx context.Context) error {
	if ctx == nil {
		return errors.New("redislimit: Wait needs a non-nil context")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var reason askReason // why Wait asks Redis again: none the first time
	for {
		if !l.useRedis() {
			if err := l.local.Wait(ctx); err != nil {
				return err
			}
			l.mu.Lock()
			l.localGranted++
			l.mu.Unlock()
			return nil
		}
		askCtx := ctx
		if reason != "" {
			askCtx = context.WithValue(ctx, askReasonKey{}, reason)
		}
		granted, again, err := l.waitRedis(askCtx)
		if granted || err != nil {
			return err
		}
		reason = again
	}
}

// askReason says why a Wait asks Redis again; a context carries it to
// the Redis client's hooks (the tests count the script calls by reason).
type askReason string

// askReasonKey is the context key of an askReason.
type askReasonKey struct{}

// Why a Wait asks again.
const (
	askFailed    askReason = "failed"     // Redis did not answer
	askQueueFull askReason = "queue-full" // a window of slots was booked already
	askCorrected askReason = "corrected"  // a pause or a restart came during the sleep
	askProbe     askReason = "probe"      // is Redis back?
)

// waitRedis books a slot in Redis and sleeps until it. It returns false,
// why, and no error when Redis failed, when a window of slots was booked
// already, or when the slot was given up for a correction that came
// during the sleep: the caller tries again.
func (l *Limiter) waitRedis(ctx context.Context) (bool, askReason, error) {
	token := l.tokenPrefix + strconv.FormatUint(l.seq.Add(1), 10)
	longest := time.Duration(-1)
	deadline, hasDeadline := ctx.Deadline()
	if hasDeadline {
		longest = max(deadline.Sub(l.now()), 0)
	}
	l.mu.Lock()
	orphans, answers := l.takeLocked()
	l.mu.Unlock()
	status, delay, g, gen, shift, err := l.reserve(ctx, token, longest, orphans, answers)
	if err != nil {
		// The script may have run, its answer lost: release the grant it
		// may hold, and those it was to release, once Redis answers again.
		l.mu.Lock()
		l.orphan(append(append(orphans, token), answerTokens(answers)...))
		l.mu.Unlock()
		if ctx.Err() != nil {
			return false, "", fmt.Errorf("waiting for the rate limiter: %w", ctx.Err())
		}
		l.fail(err)
		return false, askFailed, nil
	}
	l.gen.Store(gen)
	l.shift.Store(shift)
	switch status {
	case reserveTooFar:
		return false, "", fmt.Errorf("the rate limiter's wait of %s would pass the context deadline: %w",
			delay.Round(time.Millisecond), context.DeadlineExceeded)
	case reserveQueueFull: // a window of slots booked already: come back
		if err := l.sleep(ctx, delay); err != nil {
			return false, "", fmt.Errorf("waiting for the rate limiter: %w", err)
		}
		return false, askQueueFull, nil
	}
	for delay > 0 {
		err := l.sleep(ctx, delay)
		delay = 0
		if err == nil {
			// A raise of the level heard of during the sleep moved the
			// slot that much later; a pause, or a Redis that restarted
			// empty, may have made it too early: book again.
			switch nowGen, nowShift := l.gen.Load(), l.shift.Load(); {
			case nowGen != gen || nowShift < shift:
				err = errCorrected
			case nowShift > shift:
				delay = min(time.Duration(nowShift-shift)*time.Microsecond, l.longestWait())
				shift = nowShift
				if hasDeadline && l.now().Add(delay).After(deadline) {
					err = fmt.Errorf("the rate limiter's wait of %s more would pass the context deadline: %w",
						delay.Round(time.Millisecond), context.DeadlineExceeded)
				}
			}
		}
		if err != nil {
			// The slot goes unused: the next script call releases it.
			l.mu.Lock()
			l.orphan([]string{token})
			l.mu.Unlock()
			if errors.Is(err, errCorrected) {
				return false, askCorrected, nil
			}
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				return false, "", err
			}
			return false, "", fmt.Errorf("waiting for the rate limiter: %w", err)
		}
	}
	l.mu.Lock()
	l.granted = append(l.granted, g)
	l.mu.Unlock()
	return true, "", nil
}

// errCorrected ends a sleep whose slot a correction may have made too early.
var errCorrected = errors.New("redislimit: the model was corrected during the wait")

// Observe corrects the model, in Redis and in the fallback, from what one
// attempt learned. An answer that agrees with what its grant's booking
// modelled (no 429, the same bucket size, a level no higher than
// modelled, within two requests) goes to Redis with this process's next
// script call, or on its own shortly after (by a timer); any other goes
// at once, and Observe waits for Redis at most the timeout.
func (l *Limiter) Observe(o gorgias.Observation) {
	// The fallback learns every answer, so that it knows the bucket when
	// it takes over. Its in-flight count is its own grants'.
	l.local.Observe(o)
	l.mu.Lock()
	a := answer{o: o}
	var g grant
	switch {
	case l.localGranted > 0:
		l.localGranted--
	case len(l.granted) > 0:
		g = l.granted[0]
		a.token = g.token
		l.granted = l.granted[1:]
	}
	if !l.useRedisLocked() {
		if a.token != "" {
			l.orphan([]string{a.token})
		}
		l.mu.Unlock()
		return
	}
	l.pending = append(l.pending, a)
	if a.token != "" && g.agrees(o) && len(l.pending) < maxPending {
		if !l.flushArmed {
			l.flushArmed = true
			l.afterFunc(l.flushDelay, l.flushLater)
		}
		l.mu.Unlock()
		return
	}
	orphans, answers := l.takeLocked()
	l.mu.Unlock()
	l.tell(context.WithValue(context.Background(), askReasonKey{}, askCorrection), orphans, answers)
}

// Why a script call tells Redis answers without booking.
const (
	askCorrection askReason = "correction" // an answer that disagrees with the model
	askFlush      askReason = "flush"      // answers that waited flushDelay for a script call
)

// flushLater tells Redis the pending answers that no script call took
// within flushDelay.
func (l *Limiter) flushLater() {
	l.mu.Lock()
	l.flushArmed = false
	if len(l.pending) == 0 || !l.useRedisLocked() {
		l.mu.Unlock()
		return
	}
	orphans, answers := l.takeLocked()
	l.mu.Unlock()
	l.tell(context.WithValue(context.Background(), askReasonKey{}, askFlush), orphans, answers)
}

// flush tells Redis the pending answers now, if there are any.
func (l *Limiter) flush() {
	l.mu.Lock()
	if len(l.pending) == 0 || !l.useRedisLocked() {
		l.mu.Unlock()
		return
	}
	orphans, answers := l.takeLocked()
	l.mu.Unlock()
	l.tell(context.WithValue(context.Background(), askReasonKey{}, askFlush), orphans, answers)
}

// takeLocked takes the grants to release and the answers to tell with
// the next script call.
func (l *Limiter) takeLocked() ([]string, []answer) {
	orphans, answers := l.orphans, l.pending
	l.orphans, l.pending = nil, nil
	return orphans, answers
}

// tell runs observeScript with the grants to release and the answers.
func (l *Limiter) tell(ctx context.Context, orphans []string, answers []answer) {
	gen, shift, err := l.observe(ctx, orphans, answers)
	if err != nil {
		l.mu.Lock()
		l.orphan(append(orphans, answerTokens(answers)...))
		l.mu.Unlock()
		l.fail(err)
		return
	}
	l.gen.Store(gen)
	l.shift.Store(shift)
}

// answerTokens are the grants' tokens of answers.
func answerTokens(answers []answer) []string {
	var tokens []string
	for _, a := range answers {
		if a.token != "" {
			tokens = append(tokens, a.token)
		}
	}
	return tokens
}

// observeArgs are the observe function's arguments in the scripts: the
// grants to release, then 7 for each answer.
func (l *Limiter) observeArgs(args []any, orphans []string, answers []answer) []any {
	args = append(args, strings.Join(orphans, " "))
	now := l.now()
	for _, a := range answers {
		o := a.o
		sentAgo := int64(-1)
		if !o.Sent.IsZero() {
			sentAgo = max(now.Sub(o.Sent), 0).Microseconds()
		}
		var atAgo int64
		if !o.At.IsZero() {
			atAgo = max(now.Sub(o.At), 0).Microseconds()
		}
		args = append(args, a.token, sentAgo, atAgo, o.Status, o.Used, o.Limit, o.RetryAfter.Microseconds())
	}
	return args
}

// orphan keeps tokens to release when Redis answers again. Past
// maxOrphans the oldest are forgotten: the in-flight horizon ends them.
func (l *Limiter) orphan(tokens []string) {
	l.orphans = append(l.orphans, tokens...)
	if n := len(l.orphans) - maxOrphans; n > 0 {
		l.orphans = append([]string(nil), l.orphans[n:]...)
	}
}

// State returns what the Limiter knows of the account's bucket now: from
// Redis, or from the fallback while Redis is away. Times are on this
// machine's clock.
func (l *Limiter) State() gorgias.RateLimitState {
	l.flush()
	if !l.useRedis() {
		return l.local.State()
	}
	args := l.args(0)
	vals, err := bounded(context.Background(), l, func(ctx context.Context) ([]int64, error) {
		return stateScript.Run(ctx, l.rdb, l.keys, args...).Int64Slice()
	})
	if err != nil {
		l.fail(err)
		return l.local.State()
	}
	if len(vals) == 0 {
		return gorgias.RateLimitState{Window: l.window} // nothing in Redis yet
	}
	if len(vals) != 6 || vals[0] < 0 || vals[0] > gorgias.MaxCallLimit || vals[1] != 0 && (vals[1] < 2 || vals[1] > gorgias.MaxCallLimit) ||
		vals[2] < -1 || vals[3] <= 0 || vals[3] > (maxDrainFactor*l.window).Microseconds() ||
		vals[4] > l.longestWait().Microseconds() || vals[5] != 0 && vals[5] != 1 {
		return l.local.State() // not this version's state
	}
	now := l.now()
	st := gorgias.RateLimitState{
		Used: int(vals[0]), Limit: int(vals[1]),
		Window: time.Duration(vals[3]) * time.Microsecond,
	}
	if vals[2] >= 0 {
		st.ObservedAt = now.Add(-time.Duration(vals[2]) * time.Microsecond)
	}
	if vals[5] == 1 {
		st.PausedUntil = now.Add(time.Duration(vals[4]) * time.Microsecond)
	}
	return st
}

// What reserveScript did.
const (
	reserveTooFar    = 0 // booked nothing: the first free slot is further than the caller waits
	reserveBooked    = 1 // booked a slot for the token
	reserveQueueFull = 2 // booked nothing: a window of slots is booked already
)

// reserve runs reserveScript, telling Redis orphans and answers first:
// what it did (reserveBooked…), how long until the slot (or until one may
// be booked), the grant, and the pause count and raise sum. longest is
// negative for no bound. An answer out of bounds is an error: pacing goes
// on in process.
func (l *Limiter) reserve(ctx context.Context, token string, longest time.Duration, orphans []string, answers []answer) (
	status int64, delay time.Duration, g grant, gen, shift int64, err error) {
	limit := int64(-1)
	if longest >= 0 {
		limit = longest.Microseconds()
	}
	args := l.observeArgs(append(l.args(3+7*len(answers)), token, limit), orphans, answers)
	vals, err := bounded(ctx, l, func(ctx context.Context) ([]int64, error) {
		return reserveScript.Run(ctx, l.rdb, l.keys, args...).Int64Slice()
	})
	if err != nil {
		return 0, 0, grant{}, 0, 0, err
	}
	if len(vals) != 6 || vals[0] < reserveTooFar || vals[0] > reserveQueueFull ||
		vals[1] < 0 || vals[1] > l.longestWait().Microseconds() || !counter(vals[2]) || !counter(vals[3]) ||
		vals[4] < 0 || vals[4] > 2*gorgias.MaxCallLimit || vals[5] < 2 || vals[5] > gorgias.MaxCallLimit {
		return 0, 0, grant{}, 0, 0, fmt.Errorf("redislimit: the reserve script answered %v, out of bounds: the state at %s is not this version's", vals, l.keys[0])
	}
	return vals[0], time.Duration(vals[1]) * time.Microsecond, grant{token: token, level: vals[4], cap: vals[5]}, vals[2], vals[3], nil
}

// counter reports whether n is a count the scripts keep: Lua holds
// integers exactly below 2^53.
func counter(n int64) bool { return n >= 0 && n < 1<<53 }

// longestWait bounds the waits the scripts may ask for: the bucket's
// level and the slots booked beyond it are at most two (learned) windows
// ahead, a pause at most the longest Retry-After.
func (l *Limiter) longestWait() time.Duration {
	return max(2*maxDrainFactor*l.window, gorgias.MaxRetryAfter) + time.Millisecond
}

// observe runs observeScript; it answers the pause count and the raise
// sum.
func (l *Limiter) observe(ctx context.Context, orphans []string, answers []answer) (gen, shift int64, err error) {
	args := l.observeArgs(l.args(1+7*len(answers)), orphans, answers)
	vals, err := bounded(ctx, l, func(ctx context.Context) ([]int64, error) {
		return observeScript.Run(ctx, l.rdb, l.keys, args...).Int64Slice()
	})
	if err == nil && (len(vals) != 2 || !counter(vals[0]) || !counter(vals[1])) {
		err = fmt.Errorf("redislimit: the observe script answered %v, out of bounds", vals)
	}
	if err != nil {
		return 0, 0, err
	}
	return vals[0], vals[1], nil
}

// args is the scripts' common ARGV: the configuration, and this process's
// model of the bucket (the fallback's) to start a missing key from; room
// for more arguments after them.
func (l *Limiter) args(more int) []any {
	st := l.local.State()
	now := l.now()
	capacity, window := l.capacity, st.Window
	var level, pause time.Duration
	if st.Limit > 0 {
		capacity = st.Limit
		level = time.Duration(float64(st.Used)*float64(window)/float64(st.Limit)) - now.Sub(st.ObservedAt)
	}
	if st.PausedUntil.After(now) {
		pause = st.PausedUntil.Sub(now)
	}
	args := make([]any, 0, len(l.config)+4+more)
	args = append(args, l.config[:]...)
	return append(args, capacity, window.Microseconds(), max(level, 0).Microseconds(), pause.Microseconds())
}

// bounded runs call with at most l's timeout. A client that honours the
// context's deadline (ContextTimeoutEnabled) makes its call on the
// caller's goroutine: the deadline ends a call Redis does not answer, and
// a handoff to a worker costs a request about 5 µs. A client that does
// not is abandoned at the timeout: its call ends in the background, and
// its result is dropped.
func bounded[T any](ctx context.Context, l *Limiter, call func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	if l.direct {
		v, err := call(ctx)
		if err != nil {
			// The client's read deadline is the context's: its timeout
			// may come a moment before the context says it is done.
			if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
				<-ctx.Done()
			}
			if ctx.Err() != nil {
				var zero T
				return zero, fmt.Errorf("redis did not answer within %s: %w", l.timeout, ctx.Err())
			}
		}
		return v, err
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	l.workers.run(func() {
		v, err := call(ctx)
		done <- result{v, err}
	})
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("redis did not answer within %s: %w", l.timeout, ctx.Err())
	}
}

// contextTimeouts reports whether rdb's calls end at their context's
// deadline: a client, a cluster client or a ring whose options set
// ContextTimeoutEnabled. Another client's are run by workers.
func contextTimeouts(rdb redis.UniversalClient) bool {
	switch c := rdb.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return false
}

// workers run the Redis calls off their callers' goroutines, so that a
// call that outlasts the timeout can be abandoned. A goroutine that ends
// a call waits workerIdle for the next before it ends: a new goroutine
// for every call would grow its stack for every call (a quarter of the
// CPU time of a request, in a profile).
type workers struct {
	idle chan func() // unbuffered: a send goes through when a worker waits
}

// workerIdle is how long a worker waits for the next call.
const workerIdle = 10 * time.Second

// run runs job on a waiting worker, or on a new one.
func (w *workers) run(job func()) {
	select {
	case w.idle <- job:
	default:
		go w.work(job)
	}
}

// work runs job, then the calls that come within workerIdle of the last.
func (w *workers) work(job func()) {
	timer := time.NewTimer(workerIdle)
	defer timer.Stop()
	for {
		job()
		timer.Reset(workerIdle)
		select {
		case job = <-w.idle:
		case <-timer.C:
			return
		}
	}
}

// useRedis reports whether to pace through Redis, starting a probe when
// Redis is away and the last try is old enough.
func (l *Limiter) useRedis() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.useRedisLocked()
}

func (l *Limiter) useRedisLocked() bool {
	if !l.down {
		return true
	}
	if now := l.now(); !l.probing && now.Sub(l.lastProbe) >= l.probeEvery {
		l.probing, l.lastProbe = true, now
		go l.probe()
	}
	return false
}

// probe tries Redis with an observation that teaches nothing (no
// answer, no header) and, when it goes through, paces through Redis
// again. It runs a script, and writes, as pacing does: a Redis that
// answers PING but refuses scripts or writes (a replica, an ACL) stays
// left behind.
func (l *Limiter) probe() {
	_, _, err := l.observe(context.WithValue(context.Background(), askReasonKey{}, askProbe), nil, nil)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.probing = false
	if err != nil || !l.down {
		return
	}
	l.down = false
	l.logger.LogAttrs(context.Background(), slog.LevelInfo, "redislimit: Redis answers again; pacing through it",
		slog.String("key", l.keys[0]))
}

// fail notes that Redis did not answer: from now on the Limiter paces in
// process, and says so once.
func (l *Limiter) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return
	}
	l.down, l.lastProbe = true, l.now()
	l.logger.LogAttrs(context.Background(), slog.LevelWarn, "redislimit: Redis did not answer; pacing in this process until it does",
		slog.String("key", l.keys[0]), slog.String("error", err.Error()))
}

// sleepContext waits for d, or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var _ gorgias.Limiter = (*Limiter)(nil)
