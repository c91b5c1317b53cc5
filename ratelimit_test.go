package gorgias

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock lets limiter tests read the wait the limiter computes without
// sleeping: Wait is called with a context whose deadline makes any real
// wait fail at once.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newTestLimiter(t *testing.T, requests int, window time.Duration) (*RateLimiter, *fakeClock) {
	t.Helper()
	l, err := NewRateLimiter(requests, window)
	require.NoError(t, err)
	clock := &fakeClock{t: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}
	l.now = clock.now
	return l, clock
}

// next books a slot and returns the wait the limiter computed for it.
func (l *RateLimiter) next(t *testing.T) time.Duration {
	t.Helper()
	d, err := l.reserve(time.Time{}, false)
	require.NoError(t, err)
	return d
}

func TestRateLimiterBurstThenLeakRate(t *testing.T) {
	l, clock := newTestLimiter(t, 10, time.Second) // one request per 100 ms
	for i := range 9 {
		assert.Zero(t, l.next(t), "request %d of the burst goes at once", i)
	}
	assert.Equal(t, 100*time.Millisecond, l.next(t), "the bucket is full but for the headroom: wait one interval")
	clock.add(time.Second)
	assert.Zero(t, l.next(t), "after a second the bucket has drained")
}

func TestRateLimiterAdaptsToCallLimitHeader(t *testing.T) {
	l, _ := newTestLimiter(t, 40, 20*time.Second)
	l.Observe(&http.Response{StatusCode: 200, Header: http.Header{"X-Gorgias-Account-Api-Call-Limit": {"39/40"}}})
	// The server's bucket holds 39 (another program is busy): wait one
	// interval, until it has drained to 38.
	assert.Equal(t, 500*time.Millisecond, l.next(t))

	l.Observe(&http.Response{StatusCode: 200, Header: http.Header{"X-Gorgias-Account-Api-Call-Limit": {"1/80"}}})
	assert.Equal(t, 80.0, l.capacity, "the limit in the header resizes the bucket")
	assert.Equal(t, 250*time.Millisecond, l.interval)
}

func TestRateLimiterPausesAfter429(t *testing.T) {
	l, clock := newTestLimiter(t, 40, 20*time.Second)
	l.Observe(&http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"5"}}})
	assert.Equal(t, 5*time.Second, l.next(t))
	clock.add(5 * time.Second)
	// The full bucket has drained by 10 in 5 s: 8 requests go at once
	// (keeping the headroom), then one per interval.
	for i := range 8 {
		assert.Zero(t, l.next(t), "request %d", i)
	}
	assert.Equal(t, 500*time.Millisecond, l.next(t))
}

func TestRateLimiterWaitHonoursContext(t *testing.T) {
	l, err := NewRateLimiter(2, 10*time.Second) // no burst: 5 s between requests
	require.NoError(t, err)
	require.NoError(t, l.Wait(context.Background()))

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = l.Wait(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 10*time.Millisecond, "a wait past the deadline fails at once")

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start = time.Now()
	err = l.Wait(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 70*time.Millisecond, "cancelling stops the wait within 50 ms")
}

func TestParseCallLimit(t *testing.T) {
	used, limit, ok := ParseCallLimit("25/80")
	assert.True(t, ok)
	assert.Equal(t, 25, used)
	assert.Equal(t, 80, limit)
	for _, bad := range []string{"", "25", "a/b", "-1/40", "3/0"} {
		_, _, ok := ParseCallLimit(bad)
		assert.False(t, ok, bad)
	}
}

func TestDefaultLimiterFollowsCredentials(t *testing.T) {
	c, err := NewClient("acme", WithBasicAuth("a@b.c", "k"))
	require.NoError(t, err)
	assert.Equal(t, 40.0, c.limiter.capacity)
	c, err = NewClient("acme", WithBearerToken("t"))
	require.NoError(t, err)
	assert.Equal(t, 80.0, c.limiter.capacity)
	c, err = NewClient("acme", WithoutRateLimit())
	require.NoError(t, err)
	assert.Nil(t, c.limiter)
	shared, err := NewRateLimiter(40, 10*time.Second)
	require.NoError(t, err)
	c1, _ := NewClient("acme", WithRateLimiter(shared))
	c2, _ := NewClient("acme", WithBearerToken("t"), WithRateLimiter(shared))
	assert.Same(t, c1.limiter, c2.limiter)
	_, err = NewClient("acme", WithRateLimit(1, time.Second))
	assert.Error(t, err)
	_, err = NewClient("acme", WithRateLimiter(nil))
	assert.Error(t, err)
}

// TestClientPacesRequests: with a 4-request bucket over 400 ms, the fifth
// request of a burst waits for the bucket to drain.
func TestClientPacesRequests(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")), WithRateLimit(4, 400*time.Millisecond))
	start := time.Now()
	for range 4 {
		_, err := c.Tickets.Get(context.Background(), 1, nil)
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond, "3 go at once, the 4th waits an interval")
	assert.Len(t, ts.Requests(), 4)
}
