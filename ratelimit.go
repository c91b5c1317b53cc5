package gorgias

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Gorgias limits each account with a leaky bucket: an API key may make 40
// requests per 20 s, an OAuth2 app 80 per 20 s (some plans: the same counts
// per 10 s).
const (
	APIKeyRequestsPerWindow = 40
	OAuthRequestsPerWindow  = 80
	RateLimitWindow         = 20 * time.Second
)

// Bounds on what a server can make a client do. A hostile or broken
// server (or a proxy) could otherwise pause a client, and every client
// sharing its limiter, for years with one header.
const (
	// MaxRetryAfter caps the wait a server can impose with Retry-After,
	// before a retry and in the limiter: a longer Retry-After (or an HTTP
	// date further ahead) counts as MaxRetryAfter. Gorgias asks for a few
	// seconds; its bucket drains fully in 20 s.
	MaxRetryAfter = time.Minute
	// MaxCallLimit is the largest bucket size the X-Gorgias-Account-Api-Call-Limit
	// header is believed for; a header announcing a larger limit (or a
	// limit under 2) is ignored. A used count above the limit counts as
	// the limit.
	MaxCallLimit = 10000
)

// Limiter paces a client's requests under the account's rate limit. A
// Client calls Wait before each attempt of a request and, for each Wait
// that returned nil, Observe once with what the attempt learned, after
// the answer arrived or the attempt failed.
//
// RateLimiter, in memory, is the default. Implement Limiter to pace
// through something else, such as a store shared by several processes
// (the redislimit module of this repository holds the bucket in Redis).
// Implementations must be safe for concurrent use.
type Limiter interface {
	// Wait blocks until one request may be sent, or until ctx ends.
	Wait(ctx context.Context) error
	// Observe reports what one attempt learned of the account's bucket.
	Observe(o Observation)
}

// Observation is what one attempt learned of the account's bucket. The
// client builds it from the answer's headers, already checked and
// bounded, so a Limiter can trust it.
type Observation struct {
	// Sent is when the attempt started, and At when it ended. Only an
	// answer to a request sent after the last level was learned can show
	// a lower level: an older one may have been counted before requests
	// whose answers are already in.
	Sent, At time.Time
	// Status is the answer's HTTP status, 0 when no answer arrived (a
	// connection failure).
	Status int
	// Used and Limit come from X-Gorgias-Account-Api-Call-Limit: the
	// requests in the bucket and its size. Limit is 0 when the answer had
	// no valid header; Used is never more than Limit.
	Used, Limit int
	// RetryAfter is the wait a 429 asked for, at most MaxRetryAfter; 0
	// when the answer was not a 429 or did not say.
	RetryAfter time.Duration
}

// RateLimitState is what a limiter knows of the account's bucket now, for
// dashboards and for jobs that decide whether to start. See
// Client.RateLimit.
type RateLimitState struct {
	// Used and Limit are from the last call-limit header seen (Limit is 0
	// before any), and ObservedAt when it was seen.
	Used, Limit int
	ObservedAt  time.Time
	// Window is the limiter's estimate of how long the full bucket takes
	// to drain: the configured window at first, then learned from the
	// answers.
	Window time.Duration
	// PausedUntil is when pacing resumes after a 429; zero or past when
	// not paused.
	PausedUntil time.Time
}

// RateLimiter paces requests so that a sustained workload stays under the
// account's leaky bucket instead of running into 429s. It models the
// server's bucket (GCRA): a burst of up to the bucket's size goes out at
// once, then requests leave at the leak rate. Every answer corrects the
// model: the X-Gorgias-Account-Api-Call-Limit header ("used/limit") sets
// the bucket's size and level (counting the requests still in flight), the
// way the level moves between answers teaches it how fast the account's
// bucket really drains, and a 429 pauses sending for its Retry-After.
//
// A Client makes one by default, sized from its credentials. Share one
// RateLimiter between clients of the same account in one process with
// WithRateLimiter. It is safe for concurrent use.
type RateLimiter struct {
	mu       sync.Mutex
	capacity float64       // the bucket's size, in requests
	window   time.Duration // the estimated time the full bucket takes to drain
	// configured is the window given to NewRateLimiter; the estimate stays
	// within a factor maxDrainFactor of it.
	configured time.Duration
	interval   time.Duration // window / capacity: one request's share
	// tat is the theoretical arrival time: when the modelled bucket will
	// be empty, counting every request sent or reserved.
	tat time.Time
	// pausedUntil holds everything back after a 429.
	pausedUntil time.Time
	// inflight counts the waits granted whose answer has not been
	// observed: requests the server may not have counted yet.
	inflight int
	last     Observation // the last observation with a call-limit header
	// levelAt is when the level in force was learned.
	levelAt time.Time
	drain   drainEstimate
	clock   clock
}

// headroom is how many requests below the bucket's size the limiter keeps,
// to absorb requests the model has not seen yet (clock skew, a request of
// another program).
const headroom = 1

// NewRateLimiter returns a limiter for a bucket of requests that drains in
// window, such as NewRateLimiter(40, 20*time.Second).
func NewRateLimiter(requests int, window time.Duration) (*RateLimiter, error) {
	return newRateLimiter(requests, window, realClock{})
}

func newRateLimiter(requests int, window time.Duration, clk clock) (*RateLimiter, error) {
	if requests < 2 || requests > MaxCallLimit || window <= 0 {
		return nil, fmt.Errorf("gorgias: NewRateLimiter(%d, %s): need 2 to %d requests over a positive window", requests, window, MaxCallLimit)
	}
	l := &RateLimiter{window: window, configured: window, clock: clk}
	l.setCapacity(float64(requests))
	return l, nil
}

func (l *RateLimiter) setCapacity(requests float64) {
	l.capacity = requests
	l.interval = time.Duration(float64(l.window) / requests)
}

// burst is how far ahead of now the bucket may fill.
func (l *RateLimiter) burst() time.Duration {
	return time.Duration((l.capacity - headroom - 1) * float64(l.interval))
}

// Wait blocks until a request may be sent without overflowing the bucket,
// or until ctx ends, whichever comes first. A wait that would outlast the
// context's deadline fails at once. A slot is booked only when its time
// has come, so a waiter always goes by the latest model of the bucket and
// a cancelled wait holds nothing.
func (l *RateLimiter) Wait(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	deadline, hasDeadline := ctx.Deadline()
	for {
		delay, err := l.reserve(deadline, hasDeadline)
		if err != nil || delay <= 0 {
			return err
		}
		if err := l.clock.sleep(ctx, delay); err != nil {
			return fmt.Errorf("waiting for the rate limiter: %w", err)
		}
	}
}

// reserve books a slot in the bucket if one is free now; otherwise it
// books nothing and returns how long until one should be, failing when
// that is after the deadline.
func (l *RateLimiter) reserve(deadline time.Time, hasDeadline bool) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.now()
	if l.tat.Before(now) {
		l.tat = now
	}
	sendAt := l.tat.Add(-l.burst())
	if sendAt.Before(l.pausedUntil) {
		sendAt = l.pausedUntil
	}
	if delay := sendAt.Sub(now); delay > 0 {
		if hasDeadline && sendAt.After(deadline) {
			return 0, fmt.Errorf("the rate limiter's wait of %s would pass the context deadline: %w",
				delay.Round(time.Millisecond), context.DeadlineExceeded)
		}
		return delay, nil
	}
	l.tat = l.tat.Add(l.interval)
	l.inflight++
	return 0, nil
}

// Observe corrects the model from what one attempt learned.
func (l *RateLimiter) Observe(o Observation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inflight > 0 {
		l.inflight--
	}
	at := o.At
	if at.IsZero() {
		at = l.clock.now()
	}
	if o.Limit >= 2 && o.Limit <= MaxCallLimit {
		used := min(max(o.Used, 0), o.Limit)
		if float64(o.Limit) != l.capacity {
			l.setCapacity(float64(o.Limit))
		}
		if window, ok := l.drain.observe(at, used, counted(o.Status), float64(o.Limit), l.configured); ok && window != l.window {
			l.window = window
			l.setCapacity(l.capacity)
		}
		// Trust the server's level: its bucket holds used requests, and
		// the requests still in flight will add to it. A fuller bucket
		// than modelled holds requests back; one that drained faster lets
		// them go again at once, unless the answer is older news than the
		// level in force.
		serverTAT := at.Add(time.Duration(used+l.inflight) * l.interval)
		if serverTAT.After(l.tat) || !o.Sent.Before(l.levelAt) {
			l.tat, l.levelAt = serverTAT, at
		}
		o.Used = used
		l.last = o
	} else if counted(o.Status) {
		l.drain.answers++
	}
	if o.Status == http.StatusTooManyRequests {
		if full := at.Add(time.Duration(l.capacity) * l.interval); full.After(l.tat) {
			l.tat, l.levelAt = full, at
		}
		wait := min(o.RetryAfter, MaxRetryAfter)
		if wait <= 0 {
			wait = l.interval // no Retry-After: wait for one request to drain
		}
		if until := at.Add(wait); until.After(l.pausedUntil) {
			l.pausedUntil = until
		}
	}
}

// State returns what the limiter knows of the account's bucket now.
func (l *RateLimiter) State() RateLimitState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return RateLimitState{
		Used: l.last.Used, Limit: l.last.Limit, ObservedAt: l.last.At,
		Window: l.window, PausedUntil: l.pausedUntil,
	}
}

// maxDrainFactor bounds the learned window to within this factor of the
// configured one, so no run of answers can make the limiter reckless or
// stall it.
const maxDrainFactor = 8

// drainEstimate learns how fast the account's bucket drains from the
// level the call-limit header shows. Between two answers showing a
// non-empty bucket, the bucket drained (level before) + (requests counted
// since) − (level after). Sums of drained requests and elapsed time decay
// with age, so the estimate follows a change of plan. It counts only this
// limiter's requests: traffic of other programs makes it estimate a slower
// drain, which errs on the side of fewer 429s.
type drainEstimate struct {
	prevAt   time.Time
	prevUsed int
	answers  int     // answers counted by the server since prevAt
	drained  float64 // decayed sum of requests drained
	elapsed  float64 // decayed sum of seconds over which they drained
}

// counted reports whether the server put a request answered with status
// into its bucket: a 429 was refused, and a request without an answer may
// never have arrived.
func counted(status int) bool {
	return status != 0 && status != http.StatusTooManyRequests
}

// observe records a level and returns the window it now estimates for a
// bucket of capacity requests, once it has watched the bucket drain for a
// quarter of the configured window.
func (d *drainEstimate) observe(at time.Time, used int, isCounted bool, capacity float64, configured time.Duration) (time.Duration, bool) {
	if isCounted {
		d.answers++
	}
	if !d.prevAt.IsZero() && !at.After(d.prevAt) {
		return 0, false // no time has passed: fold into the next sample
	}
	prevAt, prevUsed, answers := d.prevAt, d.prevUsed, d.answers
	d.prevAt, d.prevUsed, d.answers = at, used, 0
	if prevAt.IsZero() || prevUsed == 0 || used == 0 {
		return 0, false // an empty bucket at either end hides the drain
	}
	dt := at.Sub(prevAt)
	// Older samples weigh less, by e^(-age/configured window).
	decay := math.Exp(-float64(dt) / float64(configured))
	d.drained = d.drained*decay + float64(prevUsed+answers-used)
	d.elapsed = d.elapsed*decay + dt.Seconds()
	if d.drained <= 0 || d.elapsed < configured.Seconds()/4 {
		return 0, false
	}
	window := time.Duration(capacity / (d.drained / d.elapsed) * float64(time.Second))
	return min(max(window, configured/maxDrainFactor), configured*maxDrainFactor), true
}

// parseCallLimit reads X-Gorgias-Account-Api-Call-Limit, such as "25/80":
// requests in the bucket and its size. A limit under 2 or over
// MaxCallLimit is refused; a used count over the limit is clamped to it.
func parseCallLimit(header string) (used, limit int, ok bool) {
	u, lim, found := strings.Cut(strings.TrimSpace(header), "/")
	if !found {
		return 0, 0, false
	}
	used, err1 := strconv.Atoi(strings.TrimSpace(u))
	limit, err2 := strconv.Atoi(strings.TrimSpace(lim))
	if err1 != nil || err2 != nil || used < 0 || limit < 2 || limit > MaxCallLimit {
		return 0, 0, false
	}
	return min(used, limit), limit, true
}

// WithRateLimit sets the pace: a bucket of requests draining in window,
// such as WithRateLimit(80, 20*time.Second) for an OAuth2 app or
// WithRateLimit(40, 10*time.Second) for an API key on a 10 s plan. By
// default the limit follows the credentials: 40 per 20 s for an API key,
// 80 per 20 s for a bearer token. Either way the window is the first
// estimate: the limiter learns the account's real drain rate from the
// answers.
func WithRateLimit(requests int, window time.Duration) Option {
	return func(c *Client) error {
		l, err := newRateLimiter(requests, window, c.clock)
		if err != nil {
			return err
		}
		c.limiter, c.limiterSet = l, true
		return nil
	}
}

// WithRateLimiter paces the client through l: a *RateLimiter shared by
// the clients of an account in one process, or your own Limiter.
func WithRateLimiter(l Limiter) Option {
	return func(c *Client) error {
		if l == nil || isNilLimiter(l) {
			return errors.New("gorgias: WithRateLimiter needs a non-nil Limiter; use WithoutRateLimit to turn pacing off")
		}
		c.limiter, c.limiterSet = l, true
		return nil
	}
}

func isNilLimiter(l Limiter) bool {
	rl, ok := l.(*RateLimiter)
	return ok && rl == nil
}

// WithoutRateLimit turns client-side pacing off: requests go out at once.
// A 429 is still retried after its Retry-After.
func WithoutRateLimit() Option {
	return func(c *Client) error {
		c.limiter, c.limiterSet = nil, true
		return nil
	}
}

// defaultLimiter sizes the limiter from the credentials.
func (c *Client) defaultLimiter() Limiter {
	requests := APIKeyRequestsPerWindow
	if c.auth.kind == authBearer {
		requests = OAuthRequestsPerWindow
	}
	l, _ := newRateLimiter(requests, RateLimitWindow, c.clock)
	return l
}

// RateLimit returns what the client's limiter knows of the account's
// bucket now, and false when pacing is off or the limiter does not say
// (a Limiter without a State method).
func (c *Client) RateLimit() (RateLimitState, bool) {
	if s, ok := c.limiter.(interface{ State() RateLimitState }); ok {
		return s.State(), true
	}
	return RateLimitState{}, false
}
