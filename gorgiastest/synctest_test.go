package gorgiastest_test

import (
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Inside a synctest bubble the fake and its client run on the bubble's
// clock: the client's pacing, the fake's bucket, Retry-After and retry
// backoff take no wall time, and pacing still keeps every request under
// the bucket.
func TestSynctestPacingRetryAfterAndDropTakeNoWallTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithFault(
			gorgiastest.Fault{On: "POST /api/tags", Call: 30, Kind: gorgiastest.FaultRateLimit, RetryAfter: 5 * time.Second},
			gorgiastest.Fault{On: "PUT", Kind: gorgiastest.FaultDrop},
		))
		c := srv.Client() // default pacing (40 / 20 s) and retry policy (1 s to 30 s)
		start := time.Now()
		var first *gorgias.Tag
		var took [60]time.Duration
		for i := range 60 {
			began := time.Now()
			tag, err := c.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: fmt.Sprintf("synctest-%02d", i)})
			took[i] = time.Since(began)
			require.NoError(t, err, "create %d", i+1)
			if first == nil {
				first = tag
			}
		}
		afterCreates := time.Since(start)
		tag, err := c.Tags.Update(ctx, first.ID, &gorgias.UpdateTagRequest{Name: gorgias.Ptr("synctest-renamed")})
		require.NoError(t, err, "the dropped PUT is retried after the backoff")
		assert.Equal(t, "synctest-renamed", tag.Name)

		st := srv.Stats()
		assert.Equal(t, 0, st.OverLimit, "pacing keeps every request under the bucket")
		assert.Equal(t, 1, st.RateLimited, "only the planned 429")
		assert.Equal(t, 1, st.Dropped)
		assert.Equal(t, 61, st.ByRoute["POST /api/tags"], "60 creates and the one retried after Retry-After")
		assert.Equal(t, 2, st.ByRoute["PUT /api/tags/{id}"], "the dropped PUT and its retry")
		// The bubble's clock moved as the waits asked: 61 POSTs over a
		// bucket of 40 per 20 s take at least 10.5 s of pacing, the 30th
		// create waited the 5 s of Retry-After, and the retried PUT 0.5 s
		// to 1 s of backoff.
		assert.GreaterOrEqual(t, afterCreates, 10500*time.Millisecond)
		assert.Less(t, afterCreates, 20*time.Second)
		assert.GreaterOrEqual(t, took[29], 5*time.Second)
		assert.GreaterOrEqual(t, time.Since(start)-afterCreates, 500*time.Millisecond)
	})
}

// Every request is counted in its route, faulted or not.
func TestStatsByRouteCountsEveryRequest(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithRateLimit(3, time.Hour), gorgiastest.WithFault(
		gorgiastest.Fault{On: "GET /api/tags", Kind: gorgiastest.FaultServerError},
		gorgiastest.Fault{On: "GET /api/tags", Kind: gorgiastest.FaultDrop},
		gorgiastest.Fault{On: "GET /api/tags", Kind: gorgiastest.FaultRateLimit},
	))
	c := srv.Client(gorgias.WithoutRateLimit(), gorgias.WithRetryPolicy(0, 0, 0))
	for range 4 { // a 503, a drop, a planned 429, then the bucket's 429
		_, err := c.Tags.List(ctx, nil)
		require.Error(t, err)
	}
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/tags", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req) // no credentials
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	st := srv.Stats()
	assert.Equal(t, 4, st.Requests)
	assert.Equal(t, 1, st.ServerErrors)
	assert.Equal(t, 1, st.Dropped)
	assert.Equal(t, 2, st.RateLimited)
	assert.Equal(t, 1, st.OverLimit)
	assert.Equal(t, 1, st.Unauthorized)
	assert.Equal(t, map[string]int{"GET /api/tags": 4}, st.ByRoute)
	sum := 0
	for _, n := range st.ByRoute {
		sum += n
	}
	assert.Equal(t, st.Requests, sum, "ByRoute sums to Requests")
}

// A client with the bearer token gets OAuth2's bucket, 80 per 20 s, and
// one with the API key 40 per 20 s, as the live API gives them.
func TestBearerTokenGetsTheOAuthBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		burst := func(c *gorgias.Client) (ok int, limit string) {
			for range 100 {
				_, err := c.Tags.List(ctx, nil)
				if err != nil {
					break
				}
				ok++
			}
			state, _ := c.RateLimit()
			return ok, fmt.Sprint(state.Limit)
		}
		unpaced := []gorgias.Option{gorgias.WithoutRateLimit(), gorgias.WithRetryPolicy(0, 0, 0)}
		srv := gorgiastest.NewTestServer(t)
		n, _ := burst(srv.Client(append(unpaced, gorgias.WithBearerToken(srv.BearerToken))...))
		assert.Equal(t, 80, n, "OAuth2: 80 at once")
		resp, err := (&http.Client{Transport: srv.Transport()}).Do(bearerRequest(t, srv))
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, "80/80", resp.Header.Get("X-Gorgias-Account-Api-Call-Limit"))

		srv = gorgiastest.NewTestServer(t)
		n, _ = burst(srv.Client(unpaced...))
		assert.Equal(t, 40, n, "API key: 40 at once")

		// Server.Client paces a bearer client to the OAuth2 bucket.
		srv = gorgiastest.NewTestServer(t)
		start := time.Now()
		n, limit := burst(srv.Client(gorgias.WithBearerToken(srv.BearerToken)))
		assert.Equal(t, 100, n)
		assert.Equal(t, "80", limit)
		assert.Zero(t, srv.Stats().OverLimit)
		assert.Less(t, time.Since(start), 15*time.Second, "paced to 80 per 20 s, not 40")
	})
}

func bearerRequest(t *testing.T, srv *gorgiastest.Server) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://gorgias.invalid/api/tags", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.BearerToken)
	return req
}
