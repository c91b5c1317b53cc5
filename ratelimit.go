package gorgias

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Gorgias limits each account with a leaky bucket: an API key may make 40
// requests per 20 s, an OAuth2 app 80 per 20 s (Enterprise accounts: the
// same counts per 10 s).
const (
	APIKeyRequestsPerWindow = 40
	OAuthRequestsPerWindow  = 80
	RateLimitWindow         = 20 * time.Second
)

// RateLimiter paces requests so that a sustained workload stays under the
// account's leaky bucket instead of running into 429s. It models the
// server's bucket (GCRA): a burst of up to the bucket's size goes out at
// once, then requests leave at the leak rate. It corrects its model from
// the X-Gorgias-Account-Api-Call-Limit header ("used/limit") of every
// answer, and stops sending for Retry-After after a 429.
//
// A Client makes one by default, sized from its credentials. Share one
// RateLimiter between clients of the same account with WithRateLimiter.
// It is safe for concurrent use.
type RateLimiter struct {
	mu       sync.Mutex
	capacity float64       // the bucket's size, in requests
	window   time.Duration // the time the full bucket takes to drain
	interval time.Duration // window / capacity: one request's share
	// tat is the theoretical arrival time: when the modelled bucket will
	// be empty, counting every request sent or reserved.
	tat time.Time
	// pausedUntil holds everything back after a 429.
	pausedUntil time.Time
	now         func() time.Time
}

// headroom is how many requests below the bucket's size the limiter keeps,
// to absorb requests the model has not seen yet (clock skew, a request of
// another program).
const headroom = 1

// NewRateLimiter returns a limiter for a bucket of requests that drains in
// window, such as NewRateLimiter(40, 20*time.Second).
func NewRateLimiter(requests int, window time.Duration) (*RateLimiter, error) {
	if requests < 2 || window <= 0 {
		return nil, fmt.Errorf("gorgias: NewRateLimiter(%d, %s): need at least 2 requests over a positive window", requests, window)
	}
	l := &RateLimiter{window: window, now: time.Now}
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
// context's deadline fails at once.
func (l *RateLimiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	deadline, hasDeadline := ctx.Deadline()
	delay, err := l.reserve(deadline, hasDeadline)
	if err != nil || delay <= 0 {
		return err
	}
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		l.tat = l.tat.Add(-l.interval) // give the unused slot back
		l.mu.Unlock()
		return fmt.Errorf("gorgias: waiting for the rate limiter: %w", ctx.Err())
	}
}

// reserve books the next slot in the bucket and returns how long to wait
// for it; it books nothing when the slot comes after the deadline.
func (l *RateLimiter) reserve(deadline time.Time, hasDeadline bool) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.tat.Before(now) {
		l.tat = now
	}
	sendAt := l.tat.Add(-l.burst())
	if sendAt.Before(l.pausedUntil) {
		sendAt = l.pausedUntil
	}
	delay := sendAt.Sub(now)
	if hasDeadline && delay > 0 && sendAt.After(deadline) {
		return 0, fmt.Errorf("gorgias: the rate limiter's wait of %s would pass the context deadline: %w",
			delay.Round(time.Millisecond), context.DeadlineExceeded)
	}
	l.tat = l.tat.Add(l.interval)
	if next := sendAt.Add(l.interval); l.tat.Before(next) {
		l.tat = next
	}
	return max(delay, 0), nil
}

// Observe corrects the model from an answer: the call-limit header, and a
// 429's Retry-After.
func (l *RateLimiter) Observe(resp *http.Response) {
	if resp == nil {
		return
	}
	used, limit, ok := ParseCallLimit(resp.Header.Get("X-Gorgias-Account-Api-Call-Limit"))
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if ok {
		if float64(limit) != l.capacity && limit >= 2 {
			l.setCapacity(float64(limit))
		}
		// The server's bucket holds used requests: it is empty no sooner
		// than used intervals from now.
		if serverTAT := now.Add(time.Duration(used) * l.interval); serverTAT.After(l.tat) {
			l.tat = serverTAT
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		if full := now.Add(time.Duration(l.capacity) * l.interval); full.After(l.tat) {
			l.tat = full
		}
		wait, ok := parseRetryAfter(resp.Header.Get("Retry-After"))
		if !ok {
			wait = l.interval
		}
		if until := now.Add(wait); until.After(l.pausedUntil) {
			l.pausedUntil = until
		}
	}
}

// ParseCallLimit reads X-Gorgias-Account-Api-Call-Limit, such as "25/80":
// requests in the bucket and its size.
func ParseCallLimit(header string) (used, limit int, ok bool) {
	u, lim, found := strings.Cut(strings.TrimSpace(header), "/")
	if !found {
		return 0, 0, false
	}
	used, err1 := strconv.Atoi(strings.TrimSpace(u))
	limit, err2 := strconv.Atoi(strings.TrimSpace(lim))
	if err1 != nil || err2 != nil || used < 0 || limit <= 0 {
		return 0, 0, false
	}
	return used, limit, true
}

// WithRateLimit sets the pace: a bucket of requests draining in window,
// such as WithRateLimit(80, 20*time.Second) for an OAuth2 app or
// WithRateLimit(40, 10*time.Second) for an Enterprise API key. By default
// the limit follows the credentials: 40 per 20 s for an API key, 80 per
// 20 s for a bearer token, and adapts to the call-limit header.
func WithRateLimit(requests int, window time.Duration) Option {
	return func(c *Client) error {
		l, err := NewRateLimiter(requests, window)
		if err != nil {
			return err
		}
		c.limiter, c.limiterSet = l, true
		return nil
	}
}

// WithRateLimiter shares one limiter between the clients of an account, so
// together they stay under its bucket.
func WithRateLimiter(l *RateLimiter) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("gorgias: WithRateLimiter needs a non-nil *RateLimiter; use WithoutRateLimit to turn pacing off")
		}
		c.limiter, c.limiterSet = l, true
		return nil
	}
}

// WithoutRateLimit turns client-side pacing off: requests go out at once,
// and a 429 is still retried after its Retry-After.
func WithoutRateLimit() Option {
	return func(c *Client) error {
		c.limiter, c.limiterSet = nil, true
		return nil
	}
}

// defaultLimiter sizes the limiter from the credentials.
func (c *Client) defaultLimiter() *RateLimiter {
	requests := APIKeyRequestsPerWindow
	if c.auth.kind == authBearer {
		requests = OAuthRequestsPerWindow
	}
	l, _ := NewRateLimiter(requests, RateLimitWindow)
	return l
}
