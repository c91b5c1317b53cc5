package redislimit

import (
	"context"
	"log/slog"
	"net"
	"os/exec"
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

// The acceptance tests: on a real redis-server, started by scripts/redis.
// They skip without REDIS_ADDR, and fail without it when
// GORGIAS_REQUIRE_REDIS=1.

func realClient(t testing.TB, addr string) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// TestTheScriptsOnARealRedis: a burst, then no slot within the deadline;
// the header, a 429 and the TTL, on redis-server's own clock.
func TestTheScriptsOnARealRedis(t *testing.T) {
	rdb := realClient(t, realRedis(t))
	ctx := context.Background()
	l, err := New(rdb, uniqueAccount(t), WithRate(10, time.Hour), WithTTL(5*time.Minute))
	require.NoError(t, err)
	for range 9 {
		require.NoError(t, l.Wait(ctx))
	}
	short, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	require.ErrorIs(t, l.Wait(short), context.DeadlineExceeded, "the 10th request waits 6 minutes")
	assert.True(t, l.Shared())
	inflight, err := rdb.ZCard(ctx, l.Key()+":inflight").Result()
	require.NoError(t, err)
	assert.EqualValues(t, 9, inflight)

	at := time.Now()
	l.Observe(gorgias.Observation{Sent: at, At: at, Status: 429, Used: 3, Limit: 80, RetryAfter: 5 * time.Second})
	st := l.State()
	assert.Equal(t, 3, st.Used)
	assert.Equal(t, 80, st.Limit)
	assert.WithinDuration(t, at, st.ObservedAt, time.Second)
	assert.WithinDuration(t, at.Add(5*time.Second), st.PausedUntil, time.Second)
	assert.Equal(t, time.Hour, st.Window)
	assert.EqualValues(t, 8, rdb.ZCard(ctx, l.Key()+":inflight").Val())
	ttl := rdb.PTTL(ctx, l.Key()).Val()
	assert.True(t, ttl > 4*time.Minute && ttl <= 5*time.Minute, "TTL %s", ttl)
	assert.Equal(t, ttl.Round(time.Second), rdb.PTTL(ctx, l.Key()+":inflight").Val().Round(time.Second))
	require.NoError(t, rdb.Del(ctx, l.keys...).Err())
}

// TestDamagedStateOnARealRedis: redis-server's Lua reads a hash whose
// fields are numbers by arithmetic, and one that is not a number by
// tonumber: the level that is garbage reads as a full bucket (the next
// slot is a window away, too far for the caller), the other fields keep
// their values, and the level is written back a number.
func TestDamagedStateOnARealRedis(t *testing.T) {
	rdb := realClient(t, realRedis(t))
	ctx := context.Background()
	l, err := New(rdb, uniqueAccount(t), WithRate(10, time.Hour))
	require.NoError(t, err)
	require.NoError(t, l.Wait(ctx))
	require.NoError(t, rdb.HSet(ctx, l.Key(), "tat", "garbage").Err())
	short, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	require.ErrorIs(t, l.Wait(short), context.DeadlineExceeded, "a full bucket: the next slot is 6 minutes away")
	assert.True(t, l.Shared())
	v, err := rdb.HMGet(ctx, l.Key(), "cap", "cfg", "tat").Result()
	require.NoError(t, err)
	assert.Equal(t, "10", v[0])
	assert.Equal(t, strconv.FormatInt(time.Hour.Microseconds(), 10), v[1])
	tat, err := strconv.ParseFloat(v[2].(string), 64)
	require.NoError(t, err, "the level written back a number")
	assert.Greater(t, tat, float64(time.Now().Add(50*time.Minute).UnixMicro()), "about a window ahead")
	require.NoError(t, rdb.Del(ctx, l.keys...).Err())
}

// TestARequestCostsFewRedisCommands: on a real redis-server, a request
// whose answer agrees with the model costs one script call (its Wait's,
// telling Redis the answer before) and at most 8 commands in it: TIME,
// HMGET, ZREM and ZCOUNT for the answer, ZADD, HSET of the fields that
// changed, and the two keys' PEXPIRE. The in-flight set is swept only once
// its earliest expiry has passed. The hash is kept in a hash table.
func TestARequestCostsFewRedisCommands(t *testing.T) {
	addr := realRedis(t)
	rdb := realClient(t, addr)
	ctx := context.Background()
	l, err := New(rdb, uniqueAccount(t), WithRate(gorgias.MaxCallLimit, time.Second), WithTimeout(10*time.Second))
	require.NoError(t, err)
	l.afterFunc = func(time.Duration, func()) {} // answers wait for the next Wait
	require.NoError(t, rdb.Ping(ctx).Err())
	const requests = 50
	before := redisCommands(t, addr)
	for range requests {
		require.NoError(t, l.Wait(ctx))
		now := time.Now()
		l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 1, Limit: gorgias.MaxCallLimit})
	}
	commands := redisCommands(t, addr) - before - 1 // less the first INFO
	assert.True(t, l.Shared())
	// Each request: its script call and the commands in it. The first
	// script call may come as EVALSHA, then EVAL, and creates the keys.
	t.Logf("%.1f commands a request", float64(commands)/requests)
	assert.LessOrEqual(t, commands, int64(requests*(1+8)+20), "commands")
	assert.Equal(t, "hashtable", rdb.ObjectEncoding(ctx, l.Key()).Val(), "not a listpack, scanned for every field")
	require.NoError(t, rdb.Del(ctx, l.keys...).Err())
}

// ownRedis starts a redis-server of the test's own with scripts/redis, on
// a free port; stop and start stop and restart it on that port.
type ownRedis struct {
	t    *testing.T
	port string
}

func startOwnRedis(t *testing.T) *ownRedis {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	require.NoError(t, ln.Close())
	r := &ownRedis{t: t, port: port}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *ownRedis) addr() string { return "127.0.0.1:" + r.port }

func (r *ownRedis) start() {
	out, err := exec.Command("../scripts/redis", "start", r.port).CombinedOutput()
	require.NoError(r.t, err, "%s", out)
	require.Contains(r.t, string(out), "REDIS_ADDR="+r.addr())
}

func (r *ownRedis) stop() {
	out, err := exec.Command("../scripts/redis", "stop", r.port).CombinedOutput()
	assert.NoError(r.t, err, "%s", out)
}

// TestRedisStopsMidRunAndComesBack: a client keeps working through a
// Redis that is killed and restarted; the Limiter says so once each way.
func TestRedisStopsMidRunAndComesBack(t *testing.T) {
	realRedis(t)
	own := startOwnRedis(t)
	rdb := realClient(t, own.addr())
	logs := &logRecorder{}
	account := uniqueAccount(t)
	l, err := New(rdb, account, WithRate(40, 2*time.Second), WithLogger(slog.New(logs)),
		WithProbeInterval(100*time.Millisecond))
	require.NoError(t, err)
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithRateLimit(40, 2*time.Second))
	client := srv.Client(gorgias.WithRateLimiter(l), gorgias.WithRetryPolicy(10, 10*time.Millisecond, 100*time.Millisecond))

	ctx, cancel := context.WithCancel(context.Background())
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := client.Tags.List(ctx, &gorgias.ListTagsOptions{ListOptions: gorgias.ListOptions{Limit: 1}})
				switch {
				case err == nil:
					ok.Add(1)
				case ctx.Err() == nil:
					failed.Add(1)
					t.Errorf("a request failed: %v", err)
				}
			}
		}()
	}
	stopped := false
	defer func() {
		cancel()
		wg.Wait()
		if stopped {
			own.start() // for the cleanup's stop
		}
	}()
	// progress waits until n more requests were answered.
	progress := func(n int64) {
		target := ok.Load() + n
		require.Eventually(t, func() bool { return ok.Load() >= target }, 30*time.Second, 5*time.Millisecond)
	}

	progress(50) // a burst, then the bucket's pace, through Redis
	require.True(t, l.Shared())
	require.True(t, rdb.Exists(ctx, l.Key()).Val() == 1)

	own.stop()
	stopped = true
	progress(30)
	assert.False(t, l.Shared(), "pacing in process")
	assert.Equal(t, 1, logs.count("WARN redislimit: Redis did not answer"))

	own.start()
	stopped = false
	require.Eventually(t, l.Shared, 10*time.Second, 5*time.Millisecond, "back on Redis")
	progress(30)
	assert.True(t, l.Shared())
	assert.Equal(t, 1, logs.count("INFO redislimit: Redis answers again"))
	assert.Equal(t, 1, logs.count("WARN"), "said once")
	assert.EqualValues(t, 1, rdb.Exists(ctx, l.Key()).Val(), "the restarted Redis holds the bucket again")
	assert.Zero(t, failed.Load())
	t.Logf("%d requests answered, %d 429s from the fake's bucket", ok.Load(), srv.Stats().RateLimited)
}

// parseAddr reads scripts/redis's output line.
func parseAddr(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "REDIS_ADDR="); ok {
			return v
		}
	}
	return ""
}

func TestScriptsRedisStartsAndStops(t *testing.T) {
	realRedis(t)
	out, err := exec.Command("../scripts/redis", "start").Output()
	require.NoError(t, err)
	addr := parseAddr(string(out))
	require.NotEmpty(t, addr, "%s", out)
	rdb := realClient(t, addr)
	require.NoError(t, rdb.Ping(context.Background()).Err())
	saves, err := rdb.ConfigGet(context.Background(), "save").Result()
	require.NoError(t, err)
	assert.Empty(t, saves["save"], "nothing saved to disk")
	stop := exec.Command("../scripts/redis", "stop")
	stop.Env = append(stop.Environ(), "REDIS_ADDR="+addr)
	require.NoError(t, stop.Run())
	assert.Error(t, rdb.Ping(context.Background()).Err())
	_, port, _ := net.SplitHostPort(addr)
	_, err = strconv.Atoi(port)
	assert.NoError(t, err)
}
