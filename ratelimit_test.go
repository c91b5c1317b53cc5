package gorgias

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestLimiter(t *testing.T, requests int, window time.Duration) (*RateLimiter, *testClock) {
	t.Helper()
	clk := newTestClock()
	l, err := newRateLimiter(requests, window, clk)
	require.NoError(t, err)
	return l, clk
}

// next waits for a slot and returns how long the limiter slept for it
// (on its fake clock, which moves on by as much).
func (l *RateLimiter) next(t *testing.T) time.Duration {
	t.Helper()
	clk := l.clock.(*testClock)
	before := len(clk.Sleeps())
	require.NoError(t, l.Wait(context.Background()))
	var slept time.Duration
	for _, d := range clk.Sleeps()[before:] {
		slept += d
	}
	return slept
}

// answer observes an answer to a request sent and answered now, with a
// call-limit header used/limit.
func (l *RateLimiter) answer(status, used, limit int, retryAfter time.Duration) {
	now := l.clock.now()
	l.Observe(Observation{Sent: now, At: now, Status: status, Used: used, Limit: limit, RetryAfter: retryAfter})
}

func TestRateLimiterBurstThenLeakRate(t *testing.T) {
	l, clk := newTestLimiter(t, 10, time.Second) // one request per 100 ms
	for i := range 9 {
		assert.Zero(t, l.next(t), "request %d of the burst goes at once", i)
	}
	assert.Equal(t, 100*time.Millisecond, l.next(t), "the bucket is full but for the headroom: wait one interval")
	clk.add(time.Second)
	assert.Zero(t, l.next(t), "after a second the bucket has drained")
}

func TestRateLimiterAdaptsToCallLimitHeader(t *testing.T) {
	l, _ := newTestLimiter(t, 40, 20*time.Second)
	l.next(t)
	l.answer(200, 39, 40, 0)
	// The server's bucket holds 39 (another program is busy): wait one
	// interval, until it has drained to 38.
	assert.Equal(t, 500*time.Millisecond, l.next(t))

	l.answer(200, 1, 80, 0)
	assert.Equal(t, 80.0, l.capacity, "the limit in the header resizes the bucket")
	assert.Equal(t, 250*time.Millisecond, l.interval)
	assert.Equal(t, RateLimitState{Used: 1, Limit: 80, ObservedAt: l.clock.now(), Window: 20 * time.Second}, l.State())
}

// TestRateLimiterTrustsALowerLevel: the model thinks the bucket is full,
// the server says it is nearly empty (it drains faster than modelled):
// requests go at once again.
func TestRateLimiterTrustsALowerLevel(t *testing.T) {
	l, _ := newTestLimiter(t, 10, 10*time.Second)
	for range 9 {
		l.next(t)
	}
	require.Equal(t, time.Second, l.next(t))
	l.answer(200, 2, 10, 0) // one answer for ten requests: nine in flight
	assert.Equal(t, 3*time.Second, l.next(t), "2 in the bucket + 9 in flight overflow it: wait for 3 to drain")
	for range 9 {
		l.answer(200, 0, 10, 0)
	}
	assert.Zero(t, l.next(t), "every answer in: the empty bucket lets a request go")
}

func TestRateLimiterPausesAfter429(t *testing.T) {
	l, _ := newTestLimiter(t, 40, 20*time.Second)
	l.answer(429, 40, 40, 5*time.Second)
	assert.Equal(t, 5*time.Second, l.next(t))
	// The full bucket has drained by 10 in 5 s: 8 requests go at once
	// (keeping the headroom), then one per interval.
	for i := range 8 {
		assert.Zero(t, l.next(t), "request %d", i)
	}
	assert.Equal(t, 500*time.Millisecond, l.next(t))
}

// TestRateLimiterStaleAnswerCannotLowerTheLevel: answers arrive out of
// order; one to a request sent before the level in force was learned may
// predate requests already counted, so it can raise the level, never
// lower it.
func TestRateLimiterStaleAnswerCannotLowerTheLevel(t *testing.T) {
	l, clk := newTestLimiter(t, 10, 10*time.Second)
	sent := clk.now()
	clk.add(time.Second)
	l.answer(200, 8, 10, 0)
	level := l.tat
	l.Observe(Observation{Sent: sent, At: clk.now(), Status: 200, Used: 2, Limit: 10})
	assert.Equal(t, level, l.tat, "the older answer's lower level is ignored")
	l.Observe(Observation{Sent: sent, At: clk.now(), Status: 200, Used: 9, Limit: 10})
	assert.Equal(t, level.Add(time.Second), l.tat, "a higher level counts, however old")
}

// TestRateLimiter429WithoutRetryAfterPauses: a 429 that does not say how
// long to wait still holds requests back until one has drained.
func TestRateLimiter429WithoutRetryAfterPauses(t *testing.T) {
	l, _ := newTestLimiter(t, 40, 20*time.Second)
	l.answer(429, 0, 0, 0)
	assert.Equal(t, time.Second, l.next(t), "the bucket is taken as full: wait for one request and the headroom to drain")
}

// TestRateLimiterRecoversFromA429: after one 429, the next answers showing
// room bring pacing back to the bucket's rate.
func TestRateLimiterRecoversFromA429(t *testing.T) {
	l, clk := newTestLimiter(t, 40, 2*time.Second) // 50 ms per request
	l.answer(429, 40, 40, time.Second)
	require.Equal(t, time.Second, l.next(t))
	clk.add(time.Second)
	l.answer(200, 3, 40, 0)
	for i := range 30 {
		assert.Zero(t, l.next(t), "request %d goes at once: the server shows room", i)
	}
}

// TestRateLimiterBoundsHostileAnswers: a huge Retry-After or used count
// cannot pause the limiter beyond MaxRetryAfter, and it recovers then.
func TestRateLimiterBoundsHostileAnswers(t *testing.T) {
	l, clk := newTestLimiter(t, 40, 20*time.Second)
	o := observation(clk.now(), &http.Response{StatusCode: 429, Header: http.Header{
		"Retry-After": {"100000000"}, "X-Gorgias-Account-Api-Call-Limit": {"9999999999/40"}}})
	assert.Equal(t, Observation{At: clk.now(), Status: 429, Used: 40, Limit: 40, RetryAfter: MaxRetryAfter}, o,
		"used is clamped to the limit; the wait is capped")
	l.Observe(o)
	assert.Equal(t, MaxRetryAfter, l.next(t))

	o = observation(clk.now(), &http.Response{StatusCode: 200, Header: http.Header{"X-Gorgias-Account-Api-Call-Limit": {"5/99999999"}}})
	assert.Zero(t, o.Limit, "an absurd limit is ignored")
	l.Observe(o)
	assert.Equal(t, 40.0, l.capacity)
	clk.add(MaxRetryAfter + 20*time.Second)
	assert.Zero(t, l.next(t), "a minute and a window later the limiter sends again")
}

func TestRateLimiterWaitHonoursContext(t *testing.T) {
	l, clk := newTestLimiter(t, 2, 10*time.Second) // no burst: 5 s between requests
	require.NoError(t, l.Wait(context.Background()))

	ctx, cancel := context.WithDeadline(context.Background(), clk.now().Add(time.Second))
	defer cancel()
	tatBefore, inflightBefore := l.tat, l.inflight
	err := l.Wait(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Empty(t, clk.Sleeps(), "a wait past the deadline fails without waiting")
	assert.Equal(t, tatBefore, l.tat, "and books nothing")
	assert.Equal(t, inflightBefore, l.inflight)

	ctx, cancel = context.WithCancel(context.Background())
	clk.onSleep = func(time.Duration) { cancel() }
	tatBefore = l.tat
	err = l.Wait(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, tatBefore, l.tat, "a cancelled wait gives its slot back")
	assert.Equal(t, 1, l.inflight, "only the granted wait is in flight")
}

func TestParseCallLimit(t *testing.T) {
	used, limit, ok := ParseCallLimit("25/80")
	assert.True(t, ok)
	assert.Equal(t, 25, used)
	assert.Equal(t, 80, limit)
	used, _, ok = ParseCallLimit("99/40")
	assert.True(t, ok)
	assert.Equal(t, 40, used, "clamped to the limit")
	for _, bad := range []string{"", "25", "a/b", "-1/40", "3/0", "1/1", "1/10001", "9999999999999999999999/40"} {
		t.Run(bad, func(t *testing.T) {
			_, _, ok := ParseCallLimit(bad)
			assert.False(t, ok)
		})
	}
}

func TestDefaultLimiterFollowsCredentials(t *testing.T) {
	capacity := func(c *Client) float64 { return c.limiter.(*RateLimiter).capacity }
	c, err := NewClient("acme", WithBasicAuth("a@b.c", "k"))
	require.NoError(t, err)
	assert.Equal(t, 40.0, capacity(c))
	c, err = NewClient("acme", WithBearerToken("t"))
	require.NoError(t, err)
	assert.Equal(t, 80.0, capacity(c))
	c, err = NewClient("acme", WithoutRateLimit())
	require.NoError(t, err)
	assert.Nil(t, c.limiter)
	_, ok := c.RateLimit()
	assert.False(t, ok)
	shared, err := NewRateLimiter(40, 10*time.Second)
	require.NoError(t, err)
	c1, _ := NewClient("acme", WithRateLimiter(shared))
	c2, _ := NewClient("acme", WithBearerToken("t"), WithRateLimiter(shared))
	assert.Same(t, c1.limiter, c2.limiter)
	_, err = NewClient("acme", WithRateLimit(1, time.Second))
	assert.Error(t, err)
	_, err = NewClient("acme", WithRateLimiter(nil))
	assert.Error(t, err)
	var nilLimiter *RateLimiter
	_, err = NewClient("acme", WithRateLimiter(nilLimiter))
	assert.Error(t, err)
}

// TestClientPacesRequests: with a 4-request bucket over 400 ms, the fourth
// request of a burst waits one interval.
func TestClientPacesRequests(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")), WithRateLimit(4, 400*time.Millisecond))
	for range 4 {
		_, err := c.Tickets.Get(context.Background(), 1, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, []time.Duration{100 * time.Millisecond}, clockOf(c).Sleeps(), "3 go at once, the 4th waits an interval")
	assert.Len(t, ts.Requests(), 4)
}
