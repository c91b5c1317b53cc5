package gorgias_test

import (
	"context"
	"flag"
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
	srv := gorgiastest.NewServer(gorgiastest.WithRateLimit(capacity, window))
	defer srv.Close()
	client := srv.Client(append([]gorgias.Option{gorgias.WithRetryPolicy(10, 10*time.Millisecond, 100*time.Millisecond)}, clientOpts...)...)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var ok atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
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

// TestPacingAvoids429s: 8 goroutines reading as fast as they can for 3 s
// against a bucket of 40 per 2 s never receive a 429 when the client paces
// at the same rate.
func TestPacingAvoids429s(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for 3 s")
	}
	r := readLoad(t, 40, 2*time.Second, 3*time.Second, 8, gorgias.WithRateLimit(40, 2*time.Second))
	assert.Zero(t, r.limited, "429s received while pacing")
	assert.Positive(t, r.ok)
	t.Logf("paced: %d requests in %s (%.0f%% of the %.0f the bucket allows), %d 429s", r.ok, r.elapsed.Round(time.Millisecond), 100*float64(r.ok)/r.allowed, r.allowed, r.limited)
}

// BenchmarkPacing measures the throughput of 8 goroutines against a bucket
// of 40 requests per 2 s, with the client's pacing on and off, for
// -pacing.duration (30 s by default). Run it with
//
//	go test -run '^$' -bench BenchmarkPacing -benchtime 1x .
func BenchmarkPacing(b *testing.B) {
	for _, tc := range []struct {
		name string
		opt  gorgias.Option
	}{
		{"paced", gorgias.WithRateLimit(40, 2*time.Second)},
		{"unpaced", gorgias.WithoutRateLimit()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var r loadResult
			for range b.N {
				r = readLoad(b, 40, 2*time.Second, *pacingDuration, 8, tc.opt)
			}
			b.ReportMetric(float64(r.ok)/r.elapsed.Seconds(), "req/s")
			b.ReportMetric(100*float64(r.ok)/r.allowed, "%allowed")
			b.ReportMetric(float64(r.limited), "429s")
		})
	}
}

// TestCancellationIsPrompt cancels a walk while a page is in flight, a
// backoff wait and a limiter wait: each returns within 50 ms, and no
// goroutine is left behind.
func TestCancellationIsPrompt(t *testing.T) {
	before := runtime.NumGoroutine()
	within := func(name string, call func(ctx context.Context) error) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		err := call(ctx)
		took := time.Since(start) - 100*time.Millisecond
		require.ErrorIs(t, err, context.Canceled, name)
		assert.Less(t, took, 50*time.Millisecond, "%s: returned %s after the cancel", name, took)
	}

	slow := gorgiastest.NewServer(gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 300}), gorgiastest.WithoutRateLimit(),
		gorgiastest.WithFaults(gorgiastest.Faults{Latency: 2 * time.Second}))
	within("All with a page in flight", func(ctx context.Context) error {
		for _, err := range slow.Client(gorgias.WithoutRateLimit()).Tickets.All(ctx, nil) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	slow.Close()

	failing := gorgiastest.NewServer(gorgiastest.WithoutRateLimit(), gorgiastest.WithFaults(gorgiastest.Faults{ServerErrorRate: 1}))
	within("backoff wait", func(ctx context.Context) error {
		_, err := failing.Client(gorgias.WithRetryPolicy(5, 10*time.Second, 10*time.Second)).Tags.List(ctx, nil)
		return err
	})
	failing.Close()

	srv := gorgiastest.NewServer(gorgiastest.WithRateLimit(2, time.Minute))
	limiter, err := gorgias.NewRateLimiter(2, time.Minute) // one request, then 30 s to wait
	require.NoError(t, err)
	client := srv.Client(gorgias.WithRateLimiter(limiter))
	_, err = client.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	within("limiter wait", func(ctx context.Context) error {
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

// TestRateLimitStorm: a fake that answers a third of requests with 429 and
// has a tight bucket; a walk of 1,000 tickets still completes, every
// ticket once.
func TestRateLimitStorm(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 1000}),
		gorgiastest.WithRateLimit(4, 200*time.Millisecond), gorgiastest.WithFaults(gorgiastest.Faults{RateLimitRate: 0.1, Seed: 9}))
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
