package gorgias

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryIdempotentOn5xx(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		c, ts := newTestClient(t, sequence(respond(status, nil), respond(status, nil), respond(200, fixture(t, "ticket.json"))))
		ticket, err := c.Tickets.Get(context.Background(), 1, nil)
		require.NoError(t, err, status)
		assert.Equal(t, int64(82759724), ticket.ID)
		assert.Len(t, ts.Requests(), 3, status)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422, 501} {
		c, ts := newTestClient(t, respond(status, []byte(`{"error":{"msg":"nope"}}`)))
		_, err := c.Tickets.Get(context.Background(), 1, nil)
		var apiErr *Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, status, apiErr.StatusCode)
		assert.Len(t, ts.Requests(), 1, status)
	}
}

func TestRetriesExhausted(t *testing.T) {
	c, ts := newTestClient(t, respond(503, []byte(`{"error":{"msg":"An external service had an issue."}}`), "X-Request-Id", "abc123"))
	_, err := c.Tickets.List(context.Background(), nil)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, "An external service had an issue.", apiErr.Message)
	assert.Equal(t, "abc123", apiErr.RequestID)
	assert.Len(t, ts.Requests(), 4, "1 attempt + 3 retries")
}

func TestRetryDisabled(t *testing.T) {
	c, ts := newTestClient(t, respond(503, nil), WithRetryPolicy(0, 0, 0))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1)
}

func TestPostNotRetriedOn5xx(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		c, ts := newTestClient(t, respond(status, nil))
		_, err := c.Tickets.Create(context.Background(), minimalTicket())
		var apiErr *Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, status, apiErr.StatusCode)
		assert.Len(t, ts.Requests(), 1, "a POST that reached the server is never sent twice (status %d)", status)
	}
}

func TestPostRetriedOn429(t *testing.T) {
	c, ts := newTestClient(t, sequence(
		respond(429, fixture(t, "error_404.json"), "Retry-after", "0"),
		respond(200, fixture(t, "ticket.json"))))
	ticket, err := c.Tickets.Create(context.Background(), minimalTicket())
	require.NoError(t, err)
	assert.Equal(t, int64(82759724), ticket.ID)
	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.JSONEq(t, string(reqs[0].Body), string(reqs[1].Body), "the retry sends the same body")
}

// TestPostNotRetriedAfterDroppedConnection: the server reads the request
// and closes the connection without answering. The ticket may exist, so
// the POST must not be sent again; a GET is retried.
func TestPostNotRetriedAfterDroppedConnection(t *testing.T) {
	hangUp := func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
	c, ts := newTestClient(t, hangUp)
	_, err := c.Tickets.Create(context.Background(), minimalTicket())
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1)

	c, ts = newTestClient(t, sequence(hangUp, respond(200, fixture(t, "ticket.json"))))
	_, err = c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Len(t, ts.Requests(), 2)
}

// TestPostRetriedWhenDialFails: nothing was written, so retrying is safe.
func TestPostRetriedWhenDialFails(t *testing.T) {
	var dials atomic.Int32
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) == 1 {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	c2, err := NewClient("", WithBaseURL(ts.URL), WithHTTPClient(hc), WithRetryPolicy(3, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_ = c
	ticket, err := c2.Tickets.Create(context.Background(), minimalTicket())
	require.NoError(t, err)
	assert.Equal(t, int64(82759724), ticket.ID)
	assert.Equal(t, int32(2), dials.Load())
	assert.Len(t, ts.Requests(), 1)
}

func TestRateLimitWaitsRetryAfter(t *testing.T) {
	c, ts := newTestClient(t, sequence(
		respond(429, []byte(`{"error":{"msg":"Too Many Requests"}}`), "Retry-after", "7", "X-Gorgias-Account-Api-Call-Limit", "40/40"),
		respond(200, fixture(t, "ticket.json"))))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Contains(t, clockOf(c).Sleeps(), 7*time.Second, "waited Retry-after, not the 1–5 ms backoff")
	assert.Len(t, ts.Requests(), 2)
}

func TestRateLimitErrorAfterRetries(t *testing.T) {
	c, ts := newTestClient(t, respond(429, []byte(`{"error":{"msg":"Too Many Requests"}}`), "Retry-after", "0"), WithRetryPolicy(1, time.Millisecond, time.Millisecond))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Len(t, ts.Requests(), 2)
}

// TestRateLimitWaitPastDeadline: the server asks for 30 s, the context has
// 200 ms left: fail at once, wrapping both causes.
func TestRateLimitWaitPastDeadline(t *testing.T) {
	c, ts := newTestClient(t, respond(429, fixture(t, "error_404.json"), "Retry-after", "30"))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.Tickets.Get(ctx, 1, nil)
	assert.Empty(t, clockOf(c).Sleeps(), "returned at once, without waiting")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, err, ErrRateLimited)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 30*time.Second, apiErr.RetryAfter)
	assert.Len(t, ts.Requests(), 1)
}

func TestContextCancelledDuringBackoff(t *testing.T) {
	c, ts := newTestClient(t, respond(503, nil), WithRetryPolicy(3, 10*time.Second, 10*time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	var asked []time.Duration
	clockOf(c).onSleep = func(d time.Duration) { asked = append(asked, d); cancel() }
	_, err := c.Tickets.Get(ctx, 1, nil)
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, asked, 1, "cancelled during the first backoff")
	assert.GreaterOrEqual(t, asked[0], 5*time.Second)
	assert.Len(t, ts.Requests(), 1, "no attempt after the cancel")
}

func TestContextAlreadyCancelled(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Tickets.Get(ctx, 1, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, ts.Requests())
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for header, want := range map[string]time.Duration{
		"5": 5 * time.Second, " 0 ": 0, "60": time.Minute, "61": MaxRetryAfter, "100000000": MaxRetryAfter,
		"99999999999999999999999":                         MaxRetryAfter,
		now.Add(30 * time.Second).Format(http.TimeFormat): 30 * time.Second,
		now.Add(time.Hour).Format(http.TimeFormat):        MaxRetryAfter,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		t.Run(header, func(t *testing.T) {
			d, ok := parseRetryAfter(header, now)
			assert.True(t, ok)
			assert.Equal(t, want, d)
		})
	}
	for _, bad := range []string{"", "soon", "-3", "1.5"} {
		_, ok := parseRetryAfter(bad, now)
		assert.False(t, ok, bad)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c := &Client{minWait: 100 * time.Millisecond, maxWait: time.Second, clock: newTestClock()}
	cl := &call{client: c, method: "GET", path: "/api/tickets"}
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 9: time.Second} {
		cl.attempt = attempt
		for range 20 {
			got := cl.nextWait(nil)
			assert.GreaterOrEqual(t, got, want/2, "attempt %d", attempt)
			assert.LessOrEqual(t, got, want, "attempt %d", attempt)
		}
	}
}

func minimalTicket() *CreateTicketRequest {
	return &CreateTicketRequest{
		Customer: &CustomerRef{Email: "marie.curie@example.com"},
		Messages: []CreateMessageRequest{{Channel: ChannelEmail, FromAgent: Ptr(false), BodyText: "The mug arrived broken."}},
	}
}

// TestUntrustedCertificateIsNotRetried: a certificate that does not
// verify fails the same way every time.
func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	var handshakes atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) }))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			handshakes.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	c, err := NewClient("", withClock(newTestClock()), WithBaseURL(srv.URL), WithRetryPolicy(3, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.Tickets.Get(context.Background(), 1, nil)
	var certErr *tls.CertificateVerificationError
	require.ErrorAs(t, err, &certErr)
	assert.Equal(t, int32(1), handshakes.Load(), "one connection, no retry")
	assert.Empty(t, clockOf(c).Sleeps(), "no backoff")
}

// TestRetryAfterIsHonouredWithPacingOff: the wait a 429 asks for is the
// retry's, not the limiter's.
func TestRetryAfterIsHonouredWithPacingOff(t *testing.T) {
	c, ts := newTestClient(t, sequence(respond(429, nil, "Retry-After", "7"), respond(200, fixture(t, "ticket.json"))), WithoutRateLimit())
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{7 * time.Second}, clockOf(c).Sleeps())
	assert.Len(t, ts.Requests(), 2)
}

// TestA429WithoutRetryAfterStillWaits: with no Retry-After the retry
// backs off, and the limiter holds the next requests back.
func TestA429WithoutRetryAfterStillWaits(t *testing.T) {
	c, _ := newTestClient(t, sequence(respond(429, nil), respond(200, fixture(t, "ticket.json"))),
		WithRetryPolicy(3, time.Second, time.Second))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	sleeps := clockOf(c).Sleeps()
	require.NotEmpty(t, sleeps)
	assert.GreaterOrEqual(t, sum(sleeps), 500*time.Millisecond, "the backoff, and the limiter's pause")
}

// TestRetryAfterIsHonouredOn429And503Only: a 503's Retry-After sets the
// wait as a 429's does; on other statuses the header is ignored and the
// backoff applies.
func TestRetryAfterIsHonouredOn429And503Only(t *testing.T) {
	c := &Client{minWait: 100 * time.Millisecond, maxWait: time.Second, clock: newTestClock()}
	cl := &call{client: c, method: "GET", path: "/api/tickets", attempt: 1}
	retryAfter := http.Header{"Retry-After": {"7"}}
	assert.Equal(t, 7*time.Second, cl.nextWait(&http.Response{StatusCode: http.StatusTooManyRequests, Header: retryAfter}))
	assert.Equal(t, 7*time.Second, cl.nextWait(&http.Response{StatusCode: http.StatusServiceUnavailable, Header: retryAfter}))
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout} {
		got := cl.nextWait(&http.Response{StatusCode: status, Header: retryAfter})
		assert.GreaterOrEqual(t, got, 50*time.Millisecond, status)
		assert.LessOrEqual(t, got, 100*time.Millisecond, "%d: the backoff, not the Retry-After", status)
	}
}

// TestBackoffJitterSpansHalfToTheWholeWait: the jitter draws from
// [wait/2, wait], both ends included; a wait too short to halve (1 ns) is
// waited whole.
func TestBackoffJitterSpansHalfToTheWholeWait(t *testing.T) {
	waits := func(wait time.Duration) map[time.Duration]int {
		c := &Client{minWait: wait, maxWait: wait, clock: newTestClock()}
		cl := &call{client: c, method: "GET", path: "/api/tickets", attempt: 1}
		seen := map[time.Duration]int{}
		for range 64 {
			seen[cl.nextWait(nil)]++
		}
		return seen
	}
	seen := waits(2)
	assert.Len(t, seen, 2, "2 ns: both 1 and 2 ns drawn in 64 tries: %v", seen)
	assert.Positive(t, seen[1])
	assert.Positive(t, seen[2])
	assert.Equal(t, map[time.Duration]int{1: 64}, waits(1))

	seen = waits(time.Second)
	assert.Greater(t, len(seen), 1, "1 s: the waits vary")
	for d := range seen {
		assert.GreaterOrEqual(t, d, 500*time.Millisecond)
		assert.LessOrEqual(t, d, time.Second)
	}
}

// TestTransportErrorCountsAttemptsOnlyWhenRetried: a failure on the only
// attempt does not speak of attempts; one after retries says how many.
func TestTransportErrorCountsAttemptsOnlyWhenRetried(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	addr := closed.URL
	closed.Close()
	for retries, want := range map[int]string{0: "", 1: " after 2 attempts"} {
		c, err := NewClient("", withClock(newTestClock()), WithBaseURL(addr), WithRetryPolicy(retries, time.Millisecond, time.Millisecond))
		require.NoError(t, err)
		_, err = c.Tickets.Get(context.Background(), 1, nil)
		require.Error(t, err)
		assert.True(t, strings.HasSuffix(err.Error(), "refused"+want), "%d retries: %v", retries, err)
	}
}
