package gorgias

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallHeaderIsSentOnceAndDoesNotLeak(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	ctx := context.Background()
	_, err := c.Tickets.Get(ctx, 1, nil, CallHeader("X-Correlation-Id", "abc-1"), CallHeader("x-correlation-id", "abc-2"))
	require.NoError(t, err)
	_, err = c.Tickets.Get(ctx, 1, nil)
	require.NoError(t, err)
	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, []string{"abc-1", "abc-2"}, reqs[0].Header.Values("X-Correlation-Id"))
	assert.Empty(t, reqs[1].Header.Values("X-Correlation-Id"), "the next call does not carry it")
	assert.NotEmpty(t, reqs[0].Header.Get("Authorization"), "the client's own headers are kept")
}

func TestBadCallOptionsAreRefusedBeforeSending(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	for name, tc := range map[string]struct {
		opt  CallOption
		want string
	}{
		"Authorization":      {CallHeader("authorization", "Bearer other"), "sets Authorization itself"},
		"a newline":          {CallHeader("X-Note", "a\n"), "line break"},
		"a bad name":         {CallHeader("X Note", "a"), "not a valid header name"},
		"a zero timeout":     {CallTimeout(0), "must be positive"},
		"negative retries":   {CallRetries(-1), "cannot be negative"},
		"a nil meta pointer": {CallMeta(nil), "non-nil"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Tickets.Get(context.Background(), 1, nil, tc.opt)
			require.ErrorContains(t, err, tc.want)
		})
	}
	assert.Empty(t, ts.Requests())
}

func TestCallRetriesOverridesTheClientForOneCall(t *testing.T) {
	c, ts := newTestClient(t, respond(503, nil))
	_, err := c.Tickets.Get(context.Background(), 1, nil, CallRetries(0))
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1, "no retry for this call")
	_, err = c.Tickets.Get(context.Background(), 1, nil)
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1+4, "the next call retries as the client says")

	c, ts = newTestClient(t, respond(503, nil), WithRetryPolicy(0, 0, 0))
	_, err = c.Tickets.Get(context.Background(), 1, nil, CallRetries(2))
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 3, "more retries than the client's, for one call")
}

// TestCallTimeoutBoundsEveryAttempt: the retry's wait would pass the
// call's timeout, so the call ends after one attempt; without the option
// the client retries.
func TestCallTimeoutBoundsEveryAttempt(t *testing.T) {
	c, ts := newTestClient(t, respond(503, nil), WithRetryPolicy(5, time.Second, time.Second))
	_, err := c.Tickets.Get(context.Background(), 1, nil, CallTimeout(50*time.Millisecond))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, ts.Requests(), 1)
	_, err = c.Tickets.Get(context.Background(), 1, nil)
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1+6, "the timeout was for one call only")
}

func TestCallMetaOnSuccessAndOnError(t *testing.T) {
	n := 0
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set("X-Request-Id", "req-"+string(rune('0'+n)))
		w.Header().Set("X-Gorgias-Account-Api-Call-Limit", "12/40")
		if n == 1 {
			w.Header().Set("X-Gorgias-Account-Api-Call-Limit", "1/2") // a full bucket: the retry waits
		}
		switch n {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			_, _ = w.Write(fixture(t, "ticket.json"))
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(fixture(t, "error_404.json"))
		}
	}, WithRateLimit(2, 10*time.Second))
	var meta ResponseMeta
	_, err := c.Tickets.Get(context.Background(), 1, nil, CallMeta(&meta))
	require.NoError(t, err)
	assert.Equal(t, 200, meta.StatusCode)
	assert.Equal(t, "req-2", meta.RequestID)
	assert.Equal(t, 12, meta.CallLimitUsed)
	assert.Equal(t, 40, meta.CallLimit)
	assert.Equal(t, 2, meta.Attempts)
	assert.Equal(t, "req-2", meta.Header.Get("X-Request-Id"))
	assert.Positive(t, meta.LimiterWait, "the retry waited for the limiter")
	assert.Equal(t, meta.LimiterWait, sum(clockOf(c).Sleeps())-sum(clockOf(c).Sleeps()[:1]), "the limiter's waits, not the backoff")

	_, err = c.Tickets.Get(context.Background(), 1, nil, CallMeta(&meta))
	require.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, 404, meta.StatusCode)
	assert.Equal(t, "req-3", meta.RequestID)
	assert.Equal(t, 1, meta.Attempts)
}

func sum(ds []time.Duration) time.Duration {
	var total time.Duration
	for _, d := range ds {
		total += d
	}
	return total
}

func TestCallMetaOfAPageCarriesItsCursors(t *testing.T) {
	pages := map[string]string{
		"":   `{"data":[{"id":1},{"id":2}],"meta":{"next_cursor":"c2","prev_cursor":null}}`,
		"c2": `{"data":[{"id":3}],"meta":{"next_cursor":null,"prev_cursor":"c1"}}`,
	}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(pages[r.URL.Query().Get("cursor")]))
	})
	var meta ResponseMeta
	var seen []string
	for tag, err := range c.Tags.All(context.Background(), nil, CallMeta(&meta)) {
		require.NoError(t, err)
		seen = append(seen, meta.Cursor+">"+meta.NextCursor)
		_ = tag
	}
	assert.Equal(t, []string{">c2", ">c2", "c2>"}, seen, "each item sees the meta of its page")
	assert.Equal(t, "c1", meta.PrevCursor)
}

func TestRateLimitSnapshot(t *testing.T) {
	c, _ := newTestClient(t, respond(200, fixture(t, "ticket.json"), "X-Gorgias-Account-Api-Call-Limit", "7/40"))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	state, ok := c.RateLimit()
	require.True(t, ok)
	assert.Equal(t, 7, state.Used)
	assert.Equal(t, 40, state.Limit)
	assert.Equal(t, RateLimitWindow, state.Window)
	assert.False(t, state.ObservedAt.IsZero())
}

// spyLimiter counts what the client asks of its limiter.
type spyLimiter struct {
	mu           sync.Mutex
	waits        int
	observations []Observation
}

func (s *spyLimiter) Wait(context.Context) error { s.mu.Lock(); s.waits++; s.mu.Unlock(); return nil }
func (s *spyLimiter) Observe(o Observation) {
	s.mu.Lock()
	s.observations = append(s.observations, o)
	s.mu.Unlock()
}

func TestDoIsPacedAndRetriedLikeTypedCalls(t *testing.T) {
	spy := &spyLimiter{}
	c, ts := newTestClient(t, sequence(respond(503, nil), respond(200, []byte(`{"id":123,"email":"marie@example.com"}`),
		"X-Gorgias-Account-Api-Call-Limit", "3/40")), WithRateLimiter(spy))
	var customer struct {
		ID    int64  `json:"id"`
		Email string `json:"email"`
	}
	err := c.Do(context.Background(), http.MethodGet, "/api/customers/123?relationships=orders", nil, &customer, CallHeader("X-Trace", "t1"))
	require.NoError(t, err)
	assert.Equal(t, int64(123), customer.ID)
	reqs := ts.Requests()
	require.Len(t, reqs, 2, "a GET is retried")
	assert.Equal(t, "/api/customers/123", reqs[1].Path)
	assert.Equal(t, "relationships=orders", reqs[1].Query.Encode())
	assert.Equal(t, "t1", reqs[1].Header.Get("X-Trace"))
	assert.NotEmpty(t, reqs[1].Header.Get("Authorization"))
	assert.Equal(t, 2, spy.waits, "each attempt waited for the limiter")
	require.Len(t, spy.observations, 2)
	assert.Equal(t, 3, spy.observations[1].Used)

	c, ts = newTestClient(t, respond(503, nil))
	err = c.Do(context.Background(), http.MethodPost, "/api/customers", map[string]string{"email": "a@b.c"}, nil)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "/api/customers", apiErr.Path)
	assert.Len(t, ts.Requests(), 1, "a POST that reached the server is not sent twice")
	assert.JSONEq(t, `{"email":"a@b.c"}`, string(ts.Requests()[0].Body))
}

func TestDoRefusesPathsOutsideTheAPI(t *testing.T) {
	c, ts := newTestClient(t, respond(200, []byte(`{}`)))
	for _, path := range []string{
		"https://evil.example/api/customers", "//evil.example/api/customers", "http:/api/customers",
		"/api/../admin", "/api/customers/../../admin", "/api/./customers", "/admin", "api/customers", "/api/",
		"/api/customers\n", "/api/cus tomers", "/api/a%2Fb", "/api/customers#x", `/api\customers`,
	} {
		t.Run(path, func(t *testing.T) {
			err := c.Do(context.Background(), http.MethodGet, path, nil, nil)
			var verr *ValidationError
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, "path", verr.Problems[0].Field)
		})
	}
	err := c.Do(context.Background(), "get", "/api/customers", nil, nil)
	require.ErrorContains(t, err, "not GET")
	assert.Empty(t, ts.Requests())
}

type customer struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
}

func TestRawListAndAllWalkAnyList(t *testing.T) {
	pages := map[string]string{
		"":   `{"data":[{"id":1,"email":"a@x"},{"id":2,"email":"b@x"}],"meta":{"next_cursor":"n2"}}`,
		"n2": `{"data":[{"id":3,"email":"c@x"}],"meta":{"next_cursor":null}}`,
	}
	c, ts := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(pages[r.URL.Query().Get("cursor")]))
	})
	var ids []int64
	for cust, err := range All[customer](context.Background(), c, "/api/customers?order_by=created_datetime:asc", url.Values{"channel": {"email"}}) {
		require.NoError(t, err)
		ids = append(ids, cust.ID)
	}
	assert.Equal(t, []int64{1, 2, 3}, ids)
	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "channel=email&limit=100&order_by=created_datetime%3Aasc", reqs[0].Query.Encode())
	assert.Equal(t, "channel=email&cursor=n2&limit=100&order_by=created_datetime%3Aasc", reqs[1].Query.Encode())

	page, err := List[customer](context.Background(), c, "/api/customers", url.Values{"limit": {"2"}})
	require.NoError(t, err)
	assert.Equal(t, "n2", page.NextCursor)
	assert.Equal(t, "b@x", page.Data[1].Email)
	assert.Equal(t, "limit=2", ts.Requests()[2].Query.Encode())

	_, err = List[customer](context.Background(), c, "/api/customers", url.Values{"limit": {"500"}})
	require.ErrorContains(t, err, "limit")
	for _, err := range All[customer](context.Background(), c, "/admin", nil) {
		require.ErrorContains(t, err, "not under /api/")
	}
	assert.Len(t, ts.Requests(), 3)
}

func TestDoKeepsEscapesInThePath(t *testing.T) {
	c, ts := newTestClient(t, respond(200, []byte(`{}`)))
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/api/customers/search/marie%20curie", nil, nil))
	assert.Equal(t, "/api/customers/search/marie curie", ts.Requests()[0].Path)
}
