package redislimit

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These unit tests run on miniredis with a fake clock that is also
// miniredis's TIME: every wait is checked as asked of the clock, never
// measured. redis_test.go runs the scripts on a real redis-server.

func TestBurstThenPace(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, 10*time.Second)) // one request a second

	// A burst of the bucket's size less the headroom, then one a second.
	assert.Equal(t, 9, immediate(t, l, w.clock, 20))
	require.NoError(t, l.Wait(context.Background()))
	assert.Equal(t, []time.Duration{time.Second}, w.clock.sleeps())
	require.NoError(t, l.Wait(context.Background()))
	assert.Equal(t, []time.Duration{time.Second}, w.clock.sleeps())
}

func TestProcessesShareTheBucket(t *testing.T) {
	w := newWorld(t)
	a := w.limiter("acme", WithRate(10, 10*time.Second))
	b := w.limiter("acme", WithRate(10, 10*time.Second))
	granted := 0
	for range 4 {
		granted += immediate(t, a, w.clock, 1) + immediate(t, b, w.clock, 1)
	}
	granted += immediate(t, b, w.clock, 20)
	assert.Equal(t, 9, granted, "two processes together get one burst")

	// Another account, or another prefix, is another bucket.
	assert.Equal(t, 9, immediate(t, w.limiter("globex", WithRate(10, 10*time.Second)), w.clock, 20))
	assert.Equal(t, 9, immediate(t, w.limiter("acme", WithRate(10, 10*time.Second), WithPrefix("staging:")), w.clock, 20))
	assert.True(t, w.m.Exists("gorgias:ratelimit:{acme}"))
	assert.True(t, w.m.Exists("gorgias:ratelimit:{globex}"))
	assert.True(t, w.m.Exists("staging:{acme}"))
}

func TestTheServersLevelIsTrusted(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	ctx := context.Background()
	require.NoError(t, l.Wait(ctx))
	sent := w.clock.now()
	w.clock.advance(100 * time.Millisecond)

	// Another program filled the bucket: wait until 2 requests drained.
	l.Observe(gorgias.Observation{Sent: sent, At: w.clock.now(), Status: 200, Used: 10, Limit: 10})
	require.NoError(t, l.Wait(ctx))
	assert.Equal(t, []time.Duration{2 * time.Second}, w.clock.sleeps())

	// An answer to a request sent before that level was learned cannot
	// lower it; one sent after can.
	l.Observe(gorgias.Observation{Sent: sent, At: w.clock.now(), Status: 200, Used: 0, Limit: 10})
	require.NoError(t, l.Wait(ctx))
	assert.Equal(t, []time.Duration{time.Second}, w.clock.sleeps())
	l.Observe(gorgias.Observation{Sent: w.clock.now(), At: w.clock.now(), Status: 200, Used: 0, Limit: 10})
	assert.Equal(t, 9, immediate(t, l, w.clock, 20), "an empty bucket: a full burst again")
}

func TestRequestsInFlightCount(t *testing.T) {
	w := newWorld(t)
	a := w.limiter("acme", WithRate(10, 10*time.Second))
	b := w.limiter("acme", WithRate(10, 10*time.Second))
	ctx := context.Background()
	for range 3 {
		require.NoError(t, a.Wait(ctx))
	}
	require.NoError(t, b.Wait(ctx))
	// One of a's requests is answered with an empty bucket: the three
	// others, in two processes, are still on their way to it.
	now := w.clock.now()
	a.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 0, Limit: 10})
	a.flush() // an answer that agrees with the model goes with a's next script call, or by itself soon after
	assert.Equal(t, 6, immediate(t, b, w.clock, 20))
}

func TestUnobservedGrantsExpire(t *testing.T) {
	w := newWorld(t)
	crashed := w.limiter("acme", WithRate(10, 10*time.Second), WithInflightHorizon(time.Minute))
	assert.Equal(t, 9, immediate(t, crashed, w.clock, 9)) // and its process dies: no Observe
	l := w.limiter("acme", WithRate(10, 10*time.Second), WithInflightHorizon(time.Minute))

	w.clock.advance(30 * time.Second)
	now := w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 0, Limit: 10})
	assert.Len(t, w.m.Keys(), 2)
	members, err := w.m.ZMembers(l.Key() + ":inflight")
	require.NoError(t, err)
	assert.Len(t, members, 9, "within the horizon, the grants may still reach the server")

	w.clock.advance(31 * time.Second)
	now = w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 0, Limit: 10})
	assert.False(t, w.m.Exists(l.Key()+":inflight"), "past the horizon they no longer count")
	assert.Equal(t, 9, immediate(t, l, w.clock, 20))
}

func TestKeysExpireWhenIdle(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithTTL(5*time.Minute))
	require.NoError(t, l.Wait(context.Background()))
	assert.Equal(t, 5*time.Minute, w.m.TTL(l.Key()))
	assert.Equal(t, 5*time.Minute, w.m.TTL(l.Key()+":inflight"))
	w.m.FastForward(5*time.Minute + time.Second)
	assert.Empty(t, w.m.Keys())
}

func TestA429Pauses(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	ctx := context.Background()
	require.NoError(t, l.Wait(ctx))
	now := w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 429, RetryAfter: 5 * time.Second})
	assert.Equal(t, now.Add(5*time.Second), l.State().PausedUntil)
	require.NoError(t, l.Wait(ctx))
	assert.Equal(t, []time.Duration{5 * time.Second}, w.clock.sleeps(), "the pause outlasts the full bucket's 2 s")
}

func TestTheBucketsSizeComesFromTheHeader(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	now := w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 0, Limit: 20})
	st := l.State()
	assert.Equal(t, 20, st.Limit)
	assert.Equal(t, now, st.ObservedAt)
	assert.Equal(t, 19, immediate(t, l, w.clock, 40))
	require.NoError(t, l.Wait(context.Background()))
	assert.Equal(t, []time.Duration{500 * time.Millisecond}, w.clock.sleeps(), "20 requests in 10 s")
}

// TestTheSameModelAsRateLimiter feeds one account's answers to a
// gorgias.RateLimiter and to a Limiter: they learn the same size, level,
// pause and drain rate.
func TestTheSameModelAsRateLimiter(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	mem, err := gorgias.NewRateLimiter(10, 10*time.Second)
	require.NoError(t, err)

	// The account's bucket drains at half the configured rate: 10
	// requests in 20 s. One request a second fills it, then half are
	// refused.
	level := 0.0
	for range 60 {
		sent := w.clock.now()
		w.clock.advance(time.Second)
		level = math.Max(level-0.5, 0)
		o := gorgias.Observation{Sent: sent, At: w.clock.now(), Status: 200, Limit: 10}
		if level+1 > 10 {
			o.Status, o.RetryAfter = 429, time.Second
		} else {
			level++
		}
		o.Used = int(math.Ceil(level))
		l.Observe(o)
		mem.Observe(o)
		want, got := mem.State(), l.State()
		assert.Equal(t, want.Used, got.Used)
		assert.Equal(t, want.Limit, got.Limit)
		assert.Equal(t, want.ObservedAt, got.ObservedAt)
		assert.Equal(t, want.PausedUntil, got.PausedUntil)
		assert.InDelta(t, want.Window, got.Window, float64(time.Millisecond))
	}
	assert.InDelta(t, 20*time.Second, l.State().Window, float64(2*time.Second), "learned: the bucket drains in 20 s")
}

func TestAMissingKeyStartsFromThisProcesssModel(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	now := w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 10, Limit: 10})
	w.m.FlushAll() // Redis restarted empty
	w.clock.advance(time.Second)
	require.NoError(t, l.Wait(context.Background()))
	assert.Equal(t, []time.Duration{time.Second}, w.clock.sleeps(), "the full bucket, drained for 1 s, holds 9: wait for one more")
	assert.Equal(t, gorgias.RateLimitState{Window: 10 * time.Second}, w.limiter("other", WithRate(10, 10*time.Second)).State())
}

func TestWaitFailsAtOnceWhenTheDeadlineIsTooNear(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	now := w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 429, RetryAfter: time.Minute})
	ctx, cancel := context.WithDeadline(context.Background(), now.Add(time.Second))
	defer cancel()
	err := l.Wait(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "would pass the context deadline")
	assert.Empty(t, w.clock.sleeps())

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, l.Wait(cancelled), context.Canceled)
	//lint:ignore SA1012 a nil context is refused, not a panic
	assert.Error(t, l.Wait(nil)) //nolint:staticcheck // the test checks that a nil context is refused
}

func TestFallbackAndRecovery(t *testing.T) {
	w := newWorld(t)
	logs := &logRecorder{}
	l := w.limiter("acme", WithRate(10, 10*time.Second), WithLogger(slog.New(logs)), WithProbeInterval(time.Second))
	ctx := context.Background()
	require.NoError(t, l.Wait(ctx)) // granted by Redis
	require.True(t, l.Shared())

	w.m.Close()
	for range 3 {
		require.NoError(t, l.Wait(ctx), "Redis away: the fallback grants")
	}
	assert.False(t, l.Shared())
	now := w.clock.now()
	for range 4 { // the Redis grant, now orphaned, and the three local ones
		l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 4, Limit: 10})
	}
	assert.Equal(t, 4, l.State().Used, "the fallback's state")
	assert.Equal(t, 1, logs.count("WARN redislimit: Redis did not answer"), "said once")

	require.NoError(t, w.m.Restart())
	require.NoError(t, l.Wait(ctx), "no probe before the interval")
	assert.False(t, l.Shared())
	w.clock.advance(time.Second)
	require.NoError(t, l.Wait(ctx)) // starts the probe
	require.Eventually(t, l.Shared, 5*time.Second, time.Millisecond)
	assert.Equal(t, 1, logs.count("INFO redislimit: Redis answers again"), "said once")
	assert.Equal(t, 1, logs.count("WARN"))

	// Back on Redis: the grant orphaned while Redis was away is released
	// by the next script call, which books a new grant.
	members, err := w.m.ZMembers(l.Key() + ":inflight")
	require.NoError(t, err)
	assert.Len(t, members, 1, "the orphan")
	require.NoError(t, l.Wait(ctx))
	members, err = w.m.ZMembers(l.Key() + ":inflight")
	require.NoError(t, err)
	assert.Len(t, members, 1, "the new grant, not the orphan")
	now = w.clock.now()
	for range 3 { // the two local grants before the recovery, the new one
		l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 1, Limit: 10})
	}
	l.flush()
	assert.False(t, w.m.Exists(l.Key()+":inflight"))
}

// TestASlowRedisIsLeftBehind: a Redis that accepts connections and never
// answers costs at most the timeout per call, once: on a worker for a
// client that ignores the context's deadline, on the caller's goroutine
// for one that honours it (ContextTimeoutEnabled).
func TestASlowRedisIsLeftBehind(t *testing.T) {
	for _, honoured := range []bool{false, true} {
		t.Run(fmt.Sprint("ContextTimeoutEnabled=", honoured), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			t.Cleanup(func() { _ = ln.Close() })
			go func() {
				for {
					conn, err := ln.Accept()
					if err != nil {
						return
					}
					t.Cleanup(func() { _ = conn.Close() })
				}
			}()
			rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), MaxRetries: -1, ContextTimeoutEnabled: honoured})
			t.Cleanup(func() { _ = rdb.Close() })
			logs := &logRecorder{}
			l, err := New(rdb, "acme", WithTimeout(20*time.Millisecond), WithLogger(slog.New(logs)))
			require.NoError(t, err)
			assert.Equal(t, honoured, l.direct)
			ctx := context.Background()
			for range 5 {
				require.NoError(t, l.Wait(ctx))
				l.Observe(gorgias.Observation{Sent: time.Now(), At: time.Now(), Status: 200, Used: 1, Limit: 40})
			}
			assert.False(t, l.Shared())
			assert.Equal(t, 1, l.State().Used)
			assert.Equal(t, 1, logs.count("WARN"))

			// The caller's deadline is not Redis's fault.
			l2, err := New(rdb, "acme", WithTimeout(time.Hour), WithLogger(slog.New(logs)))
			require.NoError(t, err)
			short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
			defer cancel()
			require.ErrorIs(t, l2.Wait(short), context.DeadlineExceeded)
			assert.True(t, l2.Shared())
			assert.Equal(t, 1, logs.count("WARN"))
		})
	}
}

// TestCallsReuseTheirGoroutines: the Redis calls run off the caller's
// goroutine, so that one outlasting the timeout is abandoned, on
// goroutines kept for the next calls (a new goroutine would grow its
// stack for every call); a call that hangs keeps its own.
func TestCallsReuseTheirGoroutines(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme")
	ctx := context.Background()
	ids := map[string]int{}
	for range 20 {
		id, err := bounded(ctx, l, func(context.Context) (string, error) { return goroutineID(), nil })
		require.NoError(t, err)
		ids[id]++
	}
	// A call that comes before the worker of the last one waits again
	// starts another: a few, not one a call.
	assert.LessOrEqual(t, len(ids), 4, "the 20 calls in turn ran on a few goroutines: %v", ids)
	assert.NotContains(t, ids, goroutineID(), "not the caller's")

	l.timeout = 10 * time.Millisecond
	release := make(chan struct{})
	defer close(release)
	_, err := bounded(ctx, l, func(context.Context) (string, error) { <-release; return "", nil })
	require.ErrorIs(t, err, context.DeadlineExceeded, "abandoned at the timeout")
	l.timeout = 10 * time.Second
	id, err := bounded(ctx, l, func(context.Context) (string, error) { return goroutineID(), nil })
	require.NoError(t, err, "the next call does not wait for the hung one")
	assert.NotEmpty(t, id)
}

// goroutineID is the number runtime.Stack gives the calling goroutine.
func goroutineID() string {
	buf := make([]byte, 64)
	return strings.Fields(string(buf[:runtime.Stack(buf, false)]))[1]
}

func TestNewChecksItsArguments(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { _ = rdb.Close() })
	for name, call := range map[string]func() (*Limiter, error){
		"no client":      func() (*Limiter, error) { return New(nil, "acme") },
		"no account":     func() (*Limiter, error) { return New(rdb, "") },
		"bad rate":       func() (*Limiter, error) { return New(rdb, "acme", WithRate(1, time.Second)) },
		"no timeout":     func() (*Limiter, error) { return New(rdb, "acme", WithTimeout(0)) },
		"TTL < horizon":  func() (*Limiter, error) { return New(rdb, "acme", WithTTL(time.Minute)) },
		"no probe":       func() (*Limiter, error) { return New(rdb, "acme", WithProbeInterval(-1)) },
		"no in-flight ":  func() (*Limiter, error) { return New(rdb, "acme", WithInflightHorizon(0)) },
		"nil typed rdb?": func() (*Limiter, error) { return New((*redis.Client)(nil), "acme") },
	} {
		l, err := call()
		assert.Error(t, err, name)
		assert.Nil(t, l, name)
	}
	l, err := New(rdb, "acme")
	require.NoError(t, err)
	assert.Equal(t, "gorgias:ratelimit:{acme}", l.Key())
	assert.Equal(t, gorgias.RateLimitWindow, l.window)
	assert.True(t, errors.Is(l.Wait(canceled()), context.Canceled))
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// refuseScripts is a hook failing every script while on: a Redis that
// answers PING but not EVAL (a replica, an ACL).
type refuseScripts struct{ on atomic.Bool }

func (h *refuseScripts) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *refuseScripts) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (h *refuseScripts) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if name := cmd.Name(); h.on.Load() && (name == "evalsha" || name == "eval") {
			return errors.New("NOPERM this user has no permissions to run the 'eval' command")
		}
		return next(ctx, cmd)
	}
}

func TestTheProbeRunsAScript(t *testing.T) {
	w := newWorld(t)
	hook := &refuseScripts{}
	w.rdb.AddHook(hook)
	logs := &logRecorder{}
	l := w.limiter("acme", WithLogger(slog.New(logs)))
	ctx := context.Background()
	probed := func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return !l.probing
	}

	hook.on.Store(true)
	require.NoError(t, l.Wait(ctx))
	require.False(t, l.Shared())
	w.clock.advance(DefaultProbeInterval)
	require.NoError(t, l.Wait(ctx)) // starts a probe, which fails
	require.Eventually(t, probed, 5*time.Second, time.Millisecond)
	assert.False(t, l.Shared(), "PING answers, scripts do not: still in process")

	hook.on.Store(false)
	w.clock.advance(DefaultProbeInterval)
	require.NoError(t, l.Wait(ctx))
	require.Eventually(t, l.Shared, 5*time.Second, time.Millisecond)
	assert.Equal(t, 1, logs.count("WARN"))
	assert.Equal(t, 1, logs.count("INFO"))
}

// countScripts counts the scripts a client runs (not the first try of
// each, which finds Redis without it and sends it): n in all, and by
// script and reason in calls.
type countScripts struct {
	n     atomic.Int64
	mu    sync.Mutex
	calls map[string]int64
}

func (h *countScripts) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countScripts) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (h *countScripts) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if name := cmd.Name(); (name == "evalsha" || name == "eval") && !redis.HasErrorPrefix(err, "NOSCRIPT") {
			h.n.Add(1)
			kind := scriptCallKind(ctx, cmd)
			h.mu.Lock()
			if h.calls == nil {
				h.calls = map[string]int64{}
			}
			h.calls[kind]++
			h.mu.Unlock()
		}
		return err
	}
}

// byKind returns a copy of the counts by script and reason.
func (h *countScripts) byKind() map[string]int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.calls)
}

// scriptCallKind names a script call by its script and why it ran:
// "reserve first/booked", "reserve corrected/too-far", "observe
// correction", "observe flush", "observe probe", "state".
func scriptCallKind(ctx context.Context, cmd redis.Cmder) string {
	args := cmd.Args()
	sha, _ := args[1].(string)
	if cmd.Name() == "eval" {
		sum := sha1.Sum([]byte(sha))
		sha = hex.EncodeToString(sum[:])
	}
	switch sha {
	case reserveScript.Hash():
		reason, _ := ctx.Value(askReasonKey{}).(askReason)
		if reason == "" {
			reason = "first"
		}
		status := "error"
		if c, ok := cmd.(*redis.Cmd); ok && cmd.Err() == nil {
			if vals, err := c.Int64Slice(); err == nil && len(vals) > 0 {
				status = map[int64]string{reserveTooFar: "too-far", reserveBooked: "booked", reserveQueueFull: "queue-full"}[vals[0]]
			}
		}
		return "reserve " + string(reason) + "/" + status
	case observeScript.Hash():
		reason, _ := ctx.Value(askReasonKey{}).(askReason)
		return "observe " + string(reason)
	case stateScript.Hash():
		return "state"
	}
	return "other"
}

func TestWithFallback(t *testing.T) {
	w := newWorld(t)
	fallback, err := gorgias.NewRateLimiter(40, time.Minute) // a third of an API key's bucket
	require.NoError(t, err)
	l := w.limiter("acme", WithFallback(fallback), WithLogger(slog.New(&logRecorder{})))
	w.m.Close()
	require.NoError(t, l.Wait(context.Background()))
	now := time.Now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 7, Limit: 40})
	assert.Equal(t, 7, fallback.State().Used)
	assert.Equal(t, fallback.State(), l.State())
	assert.Equal(t, time.Minute, l.State().Window)
}
