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
	used, limit, ok := parseCallLimit("25/80")
	assert.True(t, ok)
	assert.Equal(t, 25, used)
	assert.Equal(t, 80, limit)
	used, _, ok = parseCallLimit("99/40")
	assert.True(t, ok)
	assert.Equal(t, 40, used, "clamped to the limit")
	for _, bad := range []string{"", "25", "a/b", "-1/40", "3/0", "1/1", "1/10001", "9999999999999999999999/40"} {
		t.Run(bad, func(t *testing.T) {
			_, _, ok := parseCallLimit(bad)
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

// TestNewRateLimiterBounds: 2 to MaxCallLimit requests over a positive
// window; the ends are accepted, their neighbours refused.
func TestNewRateLimiterBounds(t *testing.T) {
	for _, requests := range []int{2, MaxCallLimit} {
		l, err := NewRateLimiter(requests, time.Second)
		require.NoError(t, err, requests)
		assert.Equal(t, float64(requests), l.capacity)
	}
	for _, tc := range []struct {
		requests int
		window   time.Duration
	}{{1, time.Second}, {MaxCallLimit + 1, time.Second}, {40, 0}, {40, -time.Second}} {
		_, err := NewRateLimiter(tc.requests, tc.window)
		assert.Error(t, err, "%d over %s", tc.requests, tc.window)
	}
}

// TestParseCallLimitBounds: limits of 2 and MaxCallLimit are believed.
func TestParseCallLimitBounds(t *testing.T) {
	for header, want := range map[string][2]int{"0/2": {0, 2}, "2/2": {2, 2}, "17/10000": {17, MaxCallLimit}} {
		used, limit, ok := parseCallLimit(header)
		require.True(t, ok, header)
		assert.Equal(t, want, [2]int{used, limit}, header)
	}
}

// TestRateLimiterBelievesLimitsAtTheBounds: an answer announcing a bucket
// of 2 or of MaxCallLimit resizes the limiter.
func TestRateLimiterBelievesLimitsAtTheBounds(t *testing.T) {
	for _, limit := range []int{2, MaxCallLimit} {
		l, _ := newTestLimiter(t, 40, 20*time.Second)
		l.answer(200, 1, limit, 0)
		assert.Equal(t, float64(limit), l.capacity, limit)
		assert.Equal(t, RateLimitState{Used: 1, Limit: limit, ObservedAt: l.clock.now(), Window: 20 * time.Second}, l.State())
	}
}

// TestRateLimiterAnswersWithoutWaitsKeepNoneInFlight: more answers than
// granted waits (a limiter shared with a caller that observes without
// waiting) leave nothing in flight, rather than a negative count that
// would hide requests from the bucket.
func TestRateLimiterAnswersWithoutWaitsKeepNoneInFlight(t *testing.T) {
	l, _ := newTestLimiter(t, 10, 10*time.Second) // 1 s per request, a burst of 8
	l.answer(200, 0, 0, 0)
	l.answer(200, 0, 0, 0)
	assert.Zero(t, l.inflight)
	l.answer(200, 9, 10, 0)
	assert.Equal(t, time.Second, l.next(t), "9 in the bucket and none in flight: wait for one to drain")
}

// TestRateLimiterPauseWithoutRetryAfterOutlastsAnEmptyBucket: a 429 that
// names no wait pauses sending for one request's interval, even if an
// answer at the same moment shows the bucket empty.
func TestRateLimiterPauseWithoutRetryAfterOutlastsAnEmptyBucket(t *testing.T) {
	l, clk := newTestLimiter(t, 40, 20*time.Second) // 500 ms per request
	l.answer(429, 0, 0, 0)
	assert.Equal(t, clk.now().Add(500*time.Millisecond), l.State().PausedUntil)
	l.answer(200, 0, 40, 0)
	assert.Equal(t, 500*time.Millisecond, l.next(t))
}

// TestDrainEstimateIsTheDecayedDrainRate: between two answers showing a
// non-empty bucket, it drained (level before) + (answers counted since) −
// (level after); the window is the bucket's size over that rate, with
// older samples weighing e^(-age/configured) less, once a quarter of the
// configured window has been watched.
func TestDrainEstimateIsTheDecayedDrainRate(t *testing.T) {
	const capacity, configured = 40.0, 20 * time.Second
	var d drainEstimate
	t0 := time.Now()
	_, ok := d.observe(t0, 20, true, capacity, configured)
	assert.False(t, ok, "one level is no rate")

	// 20 + 1 − 15 = 6 drained in 5 s (a quarter of the window, just
	// enough): 1.2 a second, so 40 drain in 33.3 s.
	window, ok := d.observe(t0.Add(5*time.Second), 15, true, capacity, configured)
	require.True(t, ok)
	assert.InDelta(t, 33.333, window.Seconds(), 0.001)

	// 15 + 1 − 5 = 11 more in the next 5 s; the first sample now weighs
	// e^(-5/20) = 0.7788: (6·0.7788 + 11) / (5·0.7788 + 5) = 1.762 a second.
	window, ok = d.observe(t0.Add(10*time.Second), 5, true, capacity, configured)
	require.True(t, ok)
	assert.InDelta(t, 22.699, window.Seconds(), 0.001)
}

// TestDrainEstimateNeedsADrainAndAQuarterWindow: no estimate from less
// than a quarter of the configured window, from a bucket that did not
// drain, or across an empty bucket.
func TestDrainEstimateNeedsADrainAndAQuarterWindow(t *testing.T) {
	const capacity, configured = 40.0, 20 * time.Second
	t0 := time.Now()

	var short drainEstimate
	short.observe(t0, 20, true, capacity, configured)
	_, ok := short.observe(t0.Add(4999*time.Millisecond), 10, true, capacity, configured)
	assert.False(t, ok, "under a quarter of the window")

	var still drainEstimate
	still.observe(t0, 10, true, capacity, configured)
	_, ok = still.observe(t0.Add(10*time.Second), 11, true, capacity, configured)
	assert.False(t, ok, "10 + 1 − 11: nothing drained")

	for _, levels := range [][2]int{{0, 10}, {10, 0}} {
		var empty drainEstimate
		empty.observe(t0, levels[0], true, capacity, configured)
		_, ok = empty.observe(t0.Add(10*time.Second), levels[1], true, capacity, configured)
		assert.False(t, ok, "an empty bucket at either end: %v", levels)
	}
}

// TestDrainEstimateIsBoundedByTheConfiguredWindow: however fast or slow
// the bucket seems to drain, the window stays within maxDrainFactor of the
// configured one. Answers at the same instant fold into the next sample.
func TestDrainEstimateIsBoundedByTheConfiguredWindow(t *testing.T) {
	const capacity, configured = 40.0, 20 * time.Second
	t0 := time.Now()

	var slow drainEstimate
	slow.observe(t0, 40, true, capacity, configured)
	window, ok := slow.observe(t0.Add(5*time.Second), 40, true, capacity, configured) // 1 in 5 s: 200 s
	require.True(t, ok)
	assert.Equal(t, configured*maxDrainFactor, window)

	var fast drainEstimate
	fast.observe(t0, 40, false, capacity, configured)
	for range 100 {
		_, ok = fast.observe(t0, 40, true, capacity, configured)
		require.False(t, ok, "no time has passed")
	}
	window, ok = fast.observe(t0.Add(5*time.Second), 1, true, capacity, configured) // 40 + 101 − 1 in 5 s: 1.4 s
	require.True(t, ok)
	assert.Equal(t, configured/maxDrainFactor, window)
}

// TestRateLimiterLearnsTheWindowFromCountedAnswers: the limiter's window
// follows the drain estimate, counting every answer the server put in its
// bucket (those without a call-limit header too), but not a 429 or a
// request that got no answer.
func TestRateLimiterLearnsTheWindowFromCountedAnswers(t *testing.T) {
	l, clk := newTestLimiter(t, 40, 20*time.Second)
	l.answer(200, 20, 40, 0)
	clk.add(5 * time.Second)
	l.answer(200, 0, 0, 0) // counted, without a header
	l.answer(0, 0, 0, 0)   // no answer: maybe never arrived
	l.answer(404, 0, 0, 0) // counted
	l.answer(200, 15, 40, 0)
	// 20 + 3 − 15 = 8 drained in 5 s: 40 drain in 25 s.
	assert.Equal(t, 25*time.Second, l.State().Window)
	assert.Equal(t, 625*time.Millisecond, l.interval, "the pace follows the window")

	l, clk = newTestLimiter(t, 40, 20*time.Second)
	l.answer(200, 20, 40, 0)
	clk.add(5 * time.Second)
	l.answer(429, 40, 40, 0) // refused: not counted
	clk.add(5 * time.Second)
	l.answer(200, 10, 40, 0)
	// 20 − 40 in the first 5 s (the 429 adds nothing); 40 + 1 − 10 in the
	// next, the first sample weighing e^(-1/4):
	// (−20·0.7788 + 31) / (5·0.7788 + 5) = 1.734 a second: 40 in 23.07 s.
	assert.InDelta(t, 23.07, l.State().Window.Seconds(), 0.01)
}
