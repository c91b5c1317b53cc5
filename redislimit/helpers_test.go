package redislimit

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// fakeClock is the Limiter's clock in unit tests, and miniredis's TIME:
// sleeping advances both, so no test waits on the wall clock.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	m     *miniredis.Miniredis
	slept []time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.m.SetTime(c.t)
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.slept = append(c.slept, d)
	c.mu.Unlock()
	c.advance(d)
	return ctx.Err()
}

// sleeps returns the sleeps asked for so far, and forgets them.
func (c *fakeClock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.slept
	c.slept = nil
	return s
}

// world is one miniredis and one clock, shared by the limiters (the
// "processes") a test makes.
type world struct {
	t     *testing.T
	m     *miniredis.Miniredis
	clock *fakeClock
	rdb   *redis.Client
}

func newWorld(t *testing.T) *world {
	m := miniredis.RunT(t)
	start := time.Now().Truncate(time.Second)
	clock := &fakeClock{t: start, m: m}
	m.SetTime(start)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	return &world{t: t, m: m, clock: clock, rdb: rdb}
}

// limiter is one process's Limiter for account, on the world's clock.
// A busy machine may hold miniredis longer than the default timeout: the
// tests give it 10 s, unless they set their own.
func (w *world) limiter(account string, opts ...Option) *Limiter {
	l, err := New(w.rdb, account, append([]Option{WithTimeout(10 * time.Second)}, opts...)...)
	require.NoError(w.t, err)
	l.now, l.sleep = w.clock.now, w.clock.sleep
	l.afterFunc = func(time.Duration, func()) {} // answers wait for a script call, or flush
	return l
}

// immediate counts the Waits granted without sleeping, up to limit.
func immediate(t *testing.T, l *Limiter, c *fakeClock, limit int) int {
	t.Helper()
	c.sleeps()
	for n := range limit {
		require.NoError(t, l.Wait(context.Background()))
		if len(c.sleeps()) > 0 {
			return n
		}
	}
	return limit
}

// logRecorder keeps what a Limiter logs.
type logRecorder struct {
	mu      sync.Mutex
	records []string
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *logRecorder) WithGroup(string) slog.Handler            { return r }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Level.String()+" "+rec.Message)
	return nil
}

// count returns how many records contain s.
func (r *logRecorder) count(s string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, rec := range r.records {
		if strings.Contains(rec, s) {
			n++
		}
	}
	return n
}

// realRedis returns the address of the real redis-server the acceptance
// tests run against: REDIS_ADDR, as printed by scripts/redis start. Without
// it the test is skipped, or fails when GORGIAS_REQUIRE_REDIS=1 (as in CI).
func realRedis(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		if os.Getenv("GORGIAS_REQUIRE_REDIS") == "1" {
			t.Fatal("GORGIAS_REQUIRE_REDIS=1 but REDIS_ADDR is unset: start one with `eval \"$(scripts/redis start)\"; export REDIS_ADDR`")
		}
		t.Skip("needs a real redis-server: eval \"$(scripts/redis start)\"; export REDIS_ADDR")
	}
	return addr
}

// uniqueAccount names an account no earlier run used, on a shared Redis:
// a subdomain, as New asks.
func uniqueAccount(t testing.TB) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(t.Name()))
	return fmt.Sprintf("t%x-%d", h.Sum64(), time.Now().UnixNano())
}
