package redislimit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The load test's child processes are this test binary, started again
// with loadChildEnv set: TestMain runs the child's workload instead of the
// tests.
const loadChildEnv = "REDISLIMIT_LOAD_CHILD"

func TestMain(m *testing.M) {
	redis.SetLogger(quietRedis{}) // go-redis logs each failed dial; the tests kill Redis on purpose
	if os.Getenv(loadChildEnv) != "" {
		os.Exit(loadChild())
	}
	os.Exit(m.Run())
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// The load: 3 processes of 8 goroutines reading as fast as their pacing
// lets them, for 10 s, against one account's bucket of 40 per 2 s (the API
// key's 40 per 20 s, ten times faster).
const (
	loadProcesses = 3
	loadWorkers   = 8
	loadDuration  = 10 * time.Second
	loadCapacity  = 40
	loadWindow    = 2 * time.Second
)

// childResult is what a child prints.
type childResult struct {
	OK, Errors int64
	Shared     bool
	Scripts    int64            // script calls to Redis
	Calls      map[string]int64 // by script and reason (countScripts.byKind)
}

// loadChild is one process of the load: it paces through Redis
// (LOAD_MODE=redis) or its own in-memory limiter (local), from LOAD_START
// to LOAD_END (Unix nanoseconds), and prints a childResult.
func loadChild() int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "load child:", err); return 1 }
	start, err1 := strconv.ParseInt(os.Getenv("LOAD_START"), 10, 64)
	end, err2 := strconv.ParseInt(os.Getenv("LOAD_END"), 10, 64)
	if err1 != nil || err2 != nil {
		return fail(fmt.Errorf("LOAD_START, LOAD_END: %w, %w", err1, err2))
	}
	pacing := gorgias.WithRateLimit(loadCapacity, loadWindow)
	var limiter *Limiter
	scripts := &countScripts{}
	if os.Getenv("LOAD_MODE") == "redis" {
		rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR"), ContextTimeoutEnabled: true})
		defer func() { _ = rdb.Close() }()
		rdb.AddHook(scripts)
		var err error
		if limiter, err = New(rdb, os.Getenv("LOAD_ACCOUNT"), WithRate(loadCapacity, loadWindow)); err != nil {
			return fail(err)
		}
		pacing = gorgias.WithRateLimiter(limiter)
	}
	client, err := gorgias.NewClient("", gorgias.WithBaseURL(os.Getenv("LOAD_URL")),
		gorgias.WithBasicAuth(gorgiastest.DefaultEmail, gorgiastest.DefaultAPIKey),
		gorgias.WithRetryPolicy(10, 10*time.Millisecond, 100*time.Millisecond), pacing)
	if err != nil {
		return fail(err)
	}
	time.Sleep(time.Until(time.Unix(0, start)))
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, end))
	defer cancel()
	var ok, errs atomic.Int64
	var wg sync.WaitGroup
	for range loadWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := client.Tags.List(ctx, &gorgias.ListTagsOptions{ListOptions: gorgias.ListOptions{Limit: 1}})
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, context.DeadlineExceeded):
					return // no slot before the end
				default:
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	res := childResult{OK: ok.Load(), Errors: errs.Load(), Shared: limiter != nil && limiter.Shared(), Scripts: scripts.n.Load(), Calls: scripts.byKind()}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		return fail(err)
	}
	return 0
}

// loadFigures is what one run of the load achieved.
type loadFigures struct {
	ok, errors, limited int64
	allowed             float64
	shared              bool
	scripts, commands   int64 // script calls, and commands Redis ran (those of the scripts too)
	calls               map[string]int64
}

func (f loadFigures) share() float64 { return 100 * float64(f.ok) / f.allowed }

// perRequest is n per answered request.
func (f loadFigures) perRequest(n int64) float64 { return float64(n) / float64(max(f.ok, 1)) }

// redisCommands is how many commands the Redis at addr ran since it
// started (INFO commandstats), the commands scripts called included.
func redisCommands(t *testing.T, addr string) int64 {
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer func() { _ = rdb.Close() }()
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	require.NoError(t, err)
	var total int64
	for _, line := range strings.Split(info, "\n") {
		// cmdstat_get:calls=2,usec=…
		if _, rest, ok := strings.Cut(line, ":calls="); ok && strings.HasPrefix(line, "cmdstat_") {
			n, err := strconv.ParseInt(rest[:strings.IndexByte(rest, ',')], 10, 64)
			require.NoError(t, err, line)
			total += n
		}
	}
	return total
}

// runLoad runs the load's processes in mode against a fresh fake.
func runLoad(t *testing.T, mode, redisAddr string) loadFigures {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithRateLimit(loadCapacity, loadWindow))
	start := time.Now().Add(2 * time.Second) // time for the processes to start
	end := start.Add(loadDuration)
	account := uniqueAccount(t)
	outs := make([]*syncBuffer, loadProcesses)
	cmds := make([]*exec.Cmd, loadProcesses)
	for i := range cmds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), loadChildEnv+"=1", "LOAD_MODE="+mode, "LOAD_URL="+srv.URL,
			"REDIS_ADDR="+redisAddr, "LOAD_ACCOUNT="+account,
			"LOAD_START="+strconv.FormatInt(start.UnixNano(), 10), "LOAD_END="+strconv.FormatInt(end.UnixNano(), 10))
		outs[i] = &syncBuffer{}
		cmd.Stdout, cmd.Stderr = outs[i], os.Stderr
		require.NoError(t, cmd.Start())
		cmds[i] = cmd
	}
	f := loadFigures{shared: mode == "redis"}
	before := redisCommands(t, redisAddr)
	for i, cmd := range cmds {
		require.NoError(t, cmd.Wait(), "child %d", i)
		var res childResult
		require.NoError(t, json.Unmarshal(outs[i].Bytes(), &res), "child %d printed %q", i, outs[i].Bytes())
		f.ok += res.OK
		f.errors += res.Errors
		f.shared = f.shared && res.Shared
		f.scripts += res.Scripts
		for kind, n := range res.Calls {
			if f.calls == nil {
				f.calls = map[string]int64{}
			}
			f.calls[kind] += n
		}
	}
	f.commands = redisCommands(t, redisAddr) - before - 1 // less this INFO
	f.limited = int64(srv.Stats().RateLimited)
	// The bucket lets its capacity through at once, then leaks.
	f.allowed = loadCapacity + end.Sub(start).Seconds()*loadCapacity/loadWindow.Seconds()
	return f
}

// TestThreeProcessesShareOneBucket is a measurement, on the wall clock:
// 3 processes of 8 goroutines each pace through one Redis Limiter for 10
// s, and get at least 97% of what the account's bucket allows without a
// single 429. The same processes with an in-memory limiter each are run
// beside them, for comparison: each believes it has the whole bucket.
func TestThreeProcessesShareOneBucket(t *testing.T) {
	addr := realRedis(t)
	if testing.Short() {
		t.Skip("a 2 × 10 s measurement")
	}
	shared := runLoad(t, "redis", addr)
	alone := runLoad(t, "local", addr)
	report := fmt.Sprintf("%d processes × %d goroutines, %s, a bucket of %d per %s (%.0f requests allowed):\n"+
		"  redislimit:                  %4d answered (%5.1f%% of allowed), %5d 429s, %d errors;\n"+
		"                               %.2f script calls and %.1f Redis commands a request\n"+
		"  an in-memory limiter each:   %4d answered (%5.1f%% of allowed), %5d 429s, %d errors\n",
		loadProcesses, loadWorkers, loadDuration, loadCapacity, loadWindow, shared.allowed,
		shared.ok, shared.share(), shared.limited, shared.errors, shared.perRequest(shared.scripts), shared.perRequest(shared.commands),
		alone.ok, alone.share(), alone.limited, alone.errors)
	kinds := slices.Sorted(maps.Keys(shared.calls))
	for _, kind := range kinds {
		report += fmt.Sprintf("    %-34s %5d  %.3f a request\n", kind, shared.calls[kind], shared.perRequest(shared.calls[kind]))
	}
	t.Log("\n" + report)
	assert.True(t, shared.shared, "every process paced through Redis to the end")
	assert.Zero(t, shared.limited, "429s through the shared limiter")
	assert.Zero(t, shared.errors)
	assert.GreaterOrEqual(t, shared.share(), 97.0, "share of what the bucket allows")
	assert.LessOrEqual(t, shared.share(), 100.5, "no more than the bucket allows")
}

// syncBuffer collects a child's output.
type syncBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.buf...)
}

var _ io.Writer = (*syncBuffer)(nil)
