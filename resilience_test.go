//go:build !mutation

package gorgias_test

import (
	"context"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var pacingDuration = flag.Duration("pacing.duration", 30*time.Second, "how long BenchmarkPacing runs each workload")

// loadResult is what a sustained read workload achieved.
type loadResult struct {
	ok, limited int64 // answered requests, 429s received (retried or not)
	allowed     float64
	elapsed     time.Duration
}

// readLoad runs workers goroutines issuing Tags.List against a fake whose
// bucket holds capacity requests draining in window, for d.
func readLoad(t testing.TB, capacity int, window, d time.Duration, workers int, clientOpts ...gorgias.Option) loadResult {
	return sharedLoad(t, capacity, window, d, workers, 1, clientOpts...)
}

// sharedLoad is readLoad with the workers split between clients separate
// clients of one account, each with its own limiter, as separate
// processes would be.
func sharedLoad(t testing.TB, capacity int, window, d time.Duration, workers, clients int, clientOpts ...gorgias.Option) loadResult {
	srv := gorgiastest.NewServer(gorgiastest.WithRateLimit(capacity, window))
	defer srv.Close()
	cs := make([]*gorgias.Client, clients)
	for i := range cs {
		cs[i] = srv.Client(append([]gorgias.Option{gorgias.WithRetryPolicy(10, 10*time.Millisecond, 100*time.Millisecond)}, clientOpts...)...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var ok atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		client := cs[w%clients]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := client.Tags.List(ctx, &gorgias.ListTagsOptions{ListOptions: gorgias.ListOptions{Limit: 1}}); err == nil {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	st := srv.Stats()
	// The bucket lets capacity requests through at once, then leaks.
	allowed := float64(capacity) + elapsed.Seconds()*float64(capacity)/window.Seconds()
	return loadResult{ok: ok.Load(), limited: int64(st.RateLimited), allowed: allowed, elapsed: elapsed}
}

// TestLongPacingTargets runs 8 goroutines for 6 s against a bucket of 40
// whose drain the client was told wrongly (its window is only the
// limiter's first estimate), with both windows scaled so the run takes
// seconds, and checks the targets: a server draining 2x faster than the
// client's window gets at least 95% of the bucket; one draining 2x slower
// answers at most 1% of requests with a 429; a matched one gets 97% and
// no 429. Two clients with separate limiters on one account (as two
// processes) are measured too.
func TestLongPacingTargets(t *testing.T) {
	if !*gorgias.LongTests {
		t.Skip("a 24 s load test: run with -long")
	}
	for _, tc := range []struct {
		name               string
		server, client     time.Duration
		clients            int
		minAllowed, max429 float64
	}{
		{"server drains 2x faster", time.Second, 2 * time.Second, 1, 95, 1},
		{"server drains 2x slower", 2 * time.Second, time.Second, 1, 0, 1},
		{"matched", time.Second, time.Second, 1, 97, 0},
		{"two clients, separate limiters", time.Second, time.Second, 2, 95, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := sharedLoad(t, 40, tc.server, 6*time.Second, 8, tc.clients, gorgias.WithRateLimit(40, tc.client))
			share := 100 * float64(r.ok) / r.allowed
			limited := 100 * float64(r.limited) / float64(r.ok+r.limited)
			t.Logf("%d requests in %s: %.1f%% of the %.0f the bucket allows; %d 429s (%.2f%% of answers)",
				r.ok, r.elapsed.Round(time.Millisecond), share, r.allowed, r.limited, limited)
			assert.GreaterOrEqual(t, share, tc.minAllowed, "share of the bucket used")
			assert.LessOrEqual(t, limited, tc.max429, "share of answers that were 429s")
		})
	}
}

// BenchmarkPacing measures the throughput of 8 goroutines against a bucket
// of 40 requests for -pacing.duration (30 s by default): with the client's
// pacing told the bucket's window, with it told a window 2x too long or 2x
// too short (it learns the real one), at the real 20 s and 10 s windows,
// and with pacing off. Run it with
//
//	go test -run '^$' -bench BenchmarkPacing -benchtime 1x .
func BenchmarkPacing(b *testing.B) {
	for _, tc := range []struct {
		name   string
		window time.Duration
		opt    gorgias.Option
	}{
		{"scaled/paced", 2 * time.Second, gorgias.WithRateLimit(40, 2*time.Second)},
		{"scaled/unpaced", 2 * time.Second, gorgias.WithoutRateLimit()},
		{"real/matched-20s", 20 * time.Second, gorgias.WithRateLimit(40, 20*time.Second)},
		{"real/server-10s-client-20s", 10 * time.Second, gorgias.WithRateLimit(40, 20*time.Second)},
		{"real/server-20s-client-10s", 20 * time.Second, gorgias.WithRateLimit(40, 10*time.Second)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var r loadResult
			for range b.N {
				r = readLoad(b, 40, tc.window, *pacingDuration, 8, tc.opt)
			}
			b.ReportMetric(float64(r.ok)/r.elapsed.Seconds(), "req/s")
			b.ReportMetric(100*float64(r.ok)/r.allowed, "%allowed")
			b.ReportMetric(float64(r.limited), "429s")
		})
	}
}

// TestCancellationIsHonoured cancels a walk while a page is in flight, a
// call in its backoff wait and a call in its limiter wait: each returns
// context.Canceled, and no goroutine is left behind. (That the waits are
// cut short is checked on the fake clock in the package's own tests; the
// generous failsafe here only keeps a broken build from hanging.)
func TestCancellationIsHonoured(t *testing.T) {
	before := runtime.NumGoroutine()
	cancelled := func(name string, started <-chan struct{}, call func(ctx context.Context) error) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- call(ctx) }()
		<-started
		cancel()
		select {
		case err := <-done:
			require.ErrorIs(t, err, context.Canceled, name)
		case <-time.After(time.Minute):
			t.Fatalf("%s: still running a minute after the cancel", name)
		}
	}

	inFlight := make(chan struct{}, 1)
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFlight <- struct{}{}
		<-r.Context().Done()
	}))
	client, err := gorgias.NewClient("", gorgias.WithBaseURL(hanging.URL), gorgias.WithoutRateLimit())
	require.NoError(t, err)
	cancelled("All with a page in flight", inFlight, func(ctx context.Context) error {
		for _, err := range client.Tickets.All(ctx, nil) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	hanging.Close()

	// The cancel comes once the client has decided to retry (it logs that
	// before waiting), not when the server has written the 503: a cancel
	// that lands before the 503 is read ends the call with that answer.
	retrying := make(chan struct{}, 1)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	client, err = gorgias.NewClient("", gorgias.WithBaseURL(failing.URL), gorgias.WithoutRateLimit(),
		gorgias.WithRetryPolicy(5, time.Hour, time.Hour), gorgias.WithLogger(slog.New(onMessage{"gorgias: retrying", retrying})))
	require.NoError(t, err)
	cancelled("backoff wait", retrying, func(ctx context.Context) error {
		_, err := client.Tags.List(ctx, nil)
		return err
	})
	failing.Close()

	srv := gorgiastest.NewServer(gorgiastest.WithRateLimit(2, time.Hour))
	limiter, err := gorgias.NewRateLimiter(2, time.Hour) // one request, then half an hour to wait
	require.NoError(t, err)
	client = srv.Client(gorgias.WithRateLimiter(limiter))
	_, err = client.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	started := make(chan struct{})
	close(started)
	cancelled("limiter wait", started, func(ctx context.Context) error {
		_, err := client.Tags.List(ctx, nil)
		return err
	})
	srv.Close()

	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

// onMessage is a slog handler that signals on its channel, without
// blocking, each time a record with message msg is logged.
type onMessage struct {
	msg string
	ch  chan<- struct{}
}

func (h onMessage) Enabled(context.Context, slog.Level) bool { return true }
func (h onMessage) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h onMessage) WithGroup(string) slog.Handler            { return h }
func (h onMessage) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		select {
		case h.ch <- struct{}{}:
		default:
		}
	}
	return nil
}

// TestRateLimitStorm: a fake that answers a third of requests with 429 and
// has a tight bucket; a walk of 1,000 tickets still completes, every
// ticket once.
func TestRateLimitStorm(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 1000}),
		gorgiastest.WithRateLimit(4, 200*time.Millisecond), gorgiastest.WithFaults(gorgiastest.Faults{RateLimitRate: 0.1, Seed: 9, RetryAfter: new(time.Duration)}))
	client := srv.Client(gorgias.WithRateLimit(4, 200*time.Millisecond), gorgias.WithRetryPolicy(8, time.Millisecond, 10*time.Millisecond))
	seen := map[int64]bool{}
	for ticket, err := range client.Tickets.All(context.Background(), nil) {
		require.NoError(t, err)
		require.False(t, seen[ticket.ID])
		seen[ticket.ID] = true
	}
	assert.Len(t, seen, 1000)
	assert.Positive(t, srv.Stats().RateLimited, "the storm happened")
}
