package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The promises a shared limiter keeps under odd conditions: one bucket
// per account whatever its spelling, pacing that damaged state or a
// stepped clock cannot turn off or stall, and keys a Redis Cluster keeps
// in one slot.

// accountSpellings are the spellings of one account NewClient accepts
// (client_test.go's TestNewClientAccount), and some more.
var accountSpellings = []string{"acme", "ACME", " acme ", " acme", "Acme.Gorgias.com", "acme.gorgias.com",
	"https://acme.gorgias.com", "https://acme.gorgias.com/", "https://acme.gorgias.com/api", "HTTPS://ACME.gorgias.com/api/"}

func TestOneAccountOneBucketWhateverTheSpelling(t *testing.T) {
	w := newWorld(t)
	var limiters []*Limiter
	for _, account := range accountSpellings {
		_, err := gorgias.NewClient(account)
		require.NoError(t, err, "NewClient accepts %q", account)
		l := w.limiter(account, WithRate(10, 10*time.Second))
		assert.Equal(t, "gorgias:ratelimit:{acme}", l.Key(), "%q", account)
		limiters = append(limiters, l)
	}
	granted := 0
	for _, l := range limiters {
		granted += immediate(t, l, w.clock, 1)
	}
	for _, l := range limiters {
		granted += immediate(t, l, w.clock, 1)
	}
	assert.Equal(t, 9, granted, "every spelling shares the one burst")
	assert.Len(t, w.m.Keys(), 2, "one bucket, one in-flight set")

	// What NewClient refuses, New refuses: it would name no account.
	for _, account := range []string{"", "  ", "ac me", "}x", "{acme}", "acme/tickets", "http://acme.gorgias.com",
		"acme.example.com", "-acme", strings.Repeat("a", 64)} {
		_, clientErr := gorgias.NewClient(account)
		require.Error(t, clientErr, "%q", account)
		l, err := New(w.rdb, account)
		assert.Error(t, err, "%q", account)
		assert.Nil(t, l)
	}
}

// damage is one way the bucket's hash may be damaged: by hand, a bug, an
// older or newer version, a partial restore.
type damage struct{ field, value string }

var damages = []damage{
	{"cap", "0"}, {"cap", "garbage"}, {"cap", "-3"}, {"cap", "1"}, {"cap", "nan"}, {"cap", "inf"}, {"cap", "2.5"},
	{"cap", "1e300"}, {"cap", ""},
	{"win", "0"}, {"win", "garbage"}, {"win", "-1"}, {"win", "inf"}, {"win", "nan"}, {"win", "1e300"},
	{"cfg", "0"}, {"cfg", "garbage"}, {"cfg", "-inf"},
	{"tat", "inf"}, {"tat", "nan"}, {"tat", "garbage"}, {"tat", "-inf"}, {"tat", "1e300"},
	{"paused", "inf"}, {"paused", "nan"}, {"paused", "1e300"},
	{"lvl_at", "inf"}, {"lvl_at", "nan"}, {"d_drained", "nan"}, {"d_elapsed", "-inf"}, {"d_prev_at", "inf"},
	{"d_answers", "nan"}, {"l_used", "nan"}, {"l_limit", "inf"}, {"l_at", "nan"}, {"p_len", "nan"}, {"p_len", "1e300"},
}

// TestDamagedStateNeverTurnsPacingOff: whatever one field of the hash
// holds, 60 waits against a bucket of 10 per 10 s get at most a burst at
// once, each wait is at most a window (or the longest pause), and State
// reads sane values.
func TestDamagedStateNeverTurnsPacingOff(t *testing.T) {
	for _, d := range damages {
		t.Run(d.field+"="+d.value, func(t *testing.T) {
			w := newWorld(t)
			l := w.limiter("acme", WithRate(10, 10*time.Second))
			require.NoError(t, l.Wait(context.Background())) // the key exists
			w.m.HSet(l.Key(), d.field, d.value)
			w.clock.sleeps()
			granted := 0
			for range 60 {
				require.NoError(t, l.Wait(context.Background()))
				if len(w.clock.sleeps()) == 0 {
					granted++
				}
			}
			assert.LessOrEqual(t, granted, 9, "at most one burst at once")
			assert.True(t, l.Shared(), "still paced through Redis")
			checkState(t, l.State(), 10*time.Second)
			// and State keeps its bounds on a damaged hash too
			w.m.HSet(l.Key(), d.field, d.value)
			checkState(t, l.State(), 10*time.Second)
		})
	}
}

func checkState(t *testing.T, st gorgias.RateLimitState, window time.Duration) {
	t.Helper()
	assert.True(t, st.Used >= 0 && st.Used <= gorgias.MaxCallLimit, "used %d", st.Used)
	assert.True(t, st.Limit == 0 || st.Limit >= 2 && st.Limit <= gorgias.MaxCallLimit, "limit %d", st.Limit)
	assert.True(t, st.Window >= window/maxDrainFactor && st.Window <= window*maxDrainFactor, "window %s", st.Window)
	if !st.PausedUntil.IsZero() {
		assert.WithinDuration(t, time.Now(), st.PausedUntil, 2*gorgias.MaxRetryAfter, "paused until %s", st.PausedUntil)
	}
	if !st.ObservedAt.IsZero() {
		assert.WithinDuration(t, time.Now(), st.ObservedAt, time.Hour, "observed at %s", st.ObservedAt)
	}
}

// TestDamagedAnswersFallBack: an answer out of bounds (from a script
// that is not ours, or a Redis that is not Redis) in any of its fields is
// never read as "go": the Limiter paces in process.
func TestDamagedAnswersFallBack(t *testing.T) {
	edges := []int64{-1, math.MinInt64, math.MaxInt64}
	for _, c := range []struct {
		field   int // of the reserve script's answer
		answers []int64
	}{
		{1, append(edges, 2*maxDrainFactor*(10*time.Second).Microseconds()+1001)}, // the wait
		{2, edges},                // the pause count
		{3, append(edges, 1<<53)}, // the raise sum
		{4, append(edges, 2*gorgias.MaxCallLimit+1)},     // the level at the slot
		{5, append(edges, 0, 1, gorgias.MaxCallLimit+1)}, // the bucket's size
	} {
		for _, answer := range c.answers {
			t.Run(fmt.Sprint(c.field, "=", answer), func(t *testing.T) {
				w := newWorld(t)
				w.rdb.AddHook(&rewriteReserve{field: c.field, answer: answer})
				require.NoError(t, reserveScript.Load(context.Background(), w.rdb).Err()) // no EVAL: EVALSHA from the start
				fallback, err := gorgias.NewRateLimiter(gorgias.MaxCallLimit, time.Hour)  // never sleeps here
				require.NoError(t, err)
				logs := &logRecorder{}
				l := w.limiter("acme", WithRate(10, 10*time.Second), WithLogger(slog.New(logs)), WithProbeInterval(time.Hour),
					WithFallback(fallback))
				for range 20 {
					require.NoError(t, l.Wait(context.Background()))
				}
				assert.False(t, l.Shared(), "an answer out of bounds: pacing in process")
				assert.Equal(t, 20, l.localGranted, "every wait granted by the fallback")
				assert.Empty(t, l.granted, "none by the answer read as go")
				assert.Equal(t, 1, logs.count("WARN redislimit: Redis did not answer"))
			})
		}
	}
}

// rewriteReserve replaces field of the reserve script's answers with
// answer, the others sane (a slot free now).
type rewriteReserve struct {
	field  int
	answer int64
}

func (h *rewriteReserve) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *rewriteReserve) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (h *rewriteReserve) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		args := cmd.Args()
		if c, ok := cmd.(*redis.Cmd); ok && err == nil && len(args) > 1 && args[1] == reserveScript.Hash() {
			vals := []any{int64(1), int64(0), int64(0), int64(0), int64(1), int64(10)}
			vals[h.field] = h.answer
			c.SetVal(vals)
		}
		return err
	}
}

// TestAClockStepCostsAtMostAWindow: the state as Redis's clock leaves it
// when it steps back an hour (every time in the hash, and every in-flight
// grant's expiry, an hour ahead of now). A bucket of 10 per second waits
// at most a second, and an answer showing an empty bucket gives a full
// burst again.
func TestAClockStepCostsAtMostAWindow(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, time.Second))
	ctx := context.Background()
	require.NoError(t, l.Wait(ctx))
	sent := w.clock.now()
	l.Observe(gorgias.Observation{Sent: sent, At: sent, Status: 429, Used: 10, Limit: 10, RetryAfter: 2 * time.Second})
	require.NoError(t, l.Wait(ctx))
	w.clock.sleeps()

	step := time.Hour
	ahead := func(field string) {
		v, err := strconv.ParseFloat(w.m.HGet(l.Key(), field), 64)
		require.NoError(t, err, field)
		w.m.HSet(l.Key(), field, strconv.FormatInt(int64(v)+step.Microseconds(), 10))
	}
	for _, f := range []string{"tat", "paused", "lvl_at", "l_at", "d_prev_at"} {
		ahead(f)
	}
	members, err := w.m.ZMembers(l.Key() + ":inflight")
	require.NoError(t, err)
	require.NotEmpty(t, members)
	for _, m := range members {
		score, err := w.m.ZScore(l.Key()+":inflight", m)
		require.NoError(t, err)
		_, err = w.m.ZAdd(l.Key()+":inflight", score+float64(step.Microseconds()), m)
		require.NoError(t, err)
	}

	require.NoError(t, l.Wait(ctx))
	slept := w.clock.sleeps()
	require.LessOrEqual(t, len(slept), 2, "sleeps")
	assert.LessOrEqual(t, sum(slept), 2*time.Second, "at most the pause's own length, not an hour")
	st := l.State()
	assert.False(t, st.ObservedAt.After(w.clock.now()), "no answer from the future")
	assert.False(t, st.PausedUntil.After(w.clock.now().Add(2*time.Second)))

	// An answer showing the empty bucket lowers the level (the level in
	// force is not an hour in the future), and no grant counts as in
	// flight for an hour.
	w.clock.advance(3 * time.Second)
	now := w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 0, Limit: 10})
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 0, Limit: 10})
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 0, Limit: 10})
	assert.Equal(t, 9, immediate(t, l, w.clock, 20), "a full burst: nothing an hour ahead still counts")
}

// TestTheBucketIsNeverMoreThanAWindowAhead: answers claiming more in
// flight than the bucket holds leave its level at most one window ahead,
// with at most one more window of booked slots beyond it.
func TestTheBucketIsNeverMoreThanAWindowAhead(t *testing.T) {
	w := newWorld(t)
	l := w.limiter("acme", WithRate(10, time.Second))
	for range 30 { // an in-flight set three buckets deep, from processes that died
		_, err := w.m.ZAdd(l.Key()+":inflight", float64(w.clock.now().Add(time.Minute).UnixMicro()), fmt.Sprint(w.clock.now().UnixNano(), len(w.m.Keys())))
		require.NoError(t, err)
		w.clock.advance(time.Microsecond)
	}
	now := w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 10, Limit: 10})
	w.clock.sleeps()
	require.NoError(t, l.Wait(context.Background()))
	assert.Equal(t, 1200*time.Millisecond, sum(w.clock.sleeps()),
		"a full bucket and a window of booked slots: 12 requests drain, no more")
}

// hashTag is the part of key Redis Cluster hashes: the first {…} with
// something in it, else the whole key.
func hashTag(key string) string {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			return key[i+1 : i+1+j]
		}
	}
	return key
}

// TestEveryKeyInOneSlot: whatever the account and the prefix, every key
// the scripts touch hashes alike in a Redis Cluster.
func TestEveryKeyInOneSlot(t *testing.T) {
	w := newWorld(t)
	// An account whose braces would end the tag early: refused, or in one slot.
	if l, err := New(w.rdb, "}x"); err == nil {
		assert.Equal(t, hashTag(l.keys[0]), hashTag(l.keys[1]), "%q", l.keys)
		assert.NotEqual(t, l.keys[0], hashTag(l.keys[0]), "a tag, not the whole key")
	}
	for _, prefix := range []string{"{", "}", "a{b}", "x{", "}{", "{}", "staging:{eu}:", "p}q{"} {
		l, err := New(w.rdb, "acme", WithPrefix(prefix))
		assert.Error(t, err, "a brace in the prefix %q would take the hash tag", prefix)
		assert.Nil(t, l)
	}
	for _, prefix := range []string{DefaultPrefix, "", "staging:", "a:b:c/"} {
		for _, account := range []string{"acme", "ACME", "https://acme.gorgias.com/", "a-1", "x"} {
			l := w.limiter(account, WithPrefix(prefix))
			require.Len(t, l.keys, 2)
			tag := hashTag(l.keys[0])
			for _, key := range l.keys {
				assert.Equal(t, tag, hashTag(key), "prefix %q, account %q: %q", prefix, account, key)
				assert.True(t, strings.HasPrefix(key, prefix))
			}
			sub, err := gorgias.AccountSubdomain(account)
			require.NoError(t, err)
			assert.Equal(t, sub, tag, "the tag is the account's subdomain")
		}
	}
}

// TestOneScriptCallPerGrant: 20 goroutines wait at once on a bucket of
// 10 per 10 s. Each asks Redis once: 9 go at once, and the 11 others
// learn from that one answer how long to sleep (1 s to 11 s), so the
// slots go out one a second after the burst.
func TestOneScriptCallPerGrant(t *testing.T) {
	w := newWorld(t)
	scripts := &countScripts{}
	w.rdb.AddHook(scripts)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	var mu sync.Mutex
	var slept []time.Duration
	l.sleep = func(ctx context.Context, d time.Duration) error { // the clock stands still
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d)
		return ctx.Err()
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { assert.NoError(t, l.Wait(context.Background())) })
	}
	wg.Wait()
	slices.Sort(slept)
	var want []time.Duration
	for i := range 11 {
		want = append(want, time.Duration(i+1)*time.Second)
	}
	assert.Equal(t, want, slept)
	assert.EqualValues(t, 20, scripts.n.Load(), "one script call a waiter")
}

func sum(ds []time.Duration) time.Duration {
	var total time.Duration
	for _, d := range ds {
		total += d
	}
	return total
}

// TestOneScriptCallPerRequest: a request whose answer agrees with the
// model costs one script call, its Wait's: the answer goes to Redis with
// the next Wait's call, or with a flush shortly after when none comes. An
// answer showing a fuller bucket, or a 429, goes at once.
func TestOneScriptCallPerRequest(t *testing.T) {
	w := newWorld(t)
	scripts := &countScripts{}
	w.rdb.AddHook(scripts)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	var flushes []func()
	l.afterFunc = func(d time.Duration, f func()) {
		assert.Equal(t, time.Second, d, "a request's share of the window")
		flushes = append(flushes, f)
	}
	ctx := context.Background()
	for i := range 30 {
		require.NoError(t, l.Wait(ctx))
		now := w.clock.now()
		l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: min(i+1, 9), Limit: 10})
	}
	assert.EqualValues(t, 30, scripts.n.Load(), "one script call a request")
	members, err := w.m.ZMembers(l.Key() + ":inflight")
	require.NoError(t, err)
	assert.Len(t, members, 1, "the last answer waits for the next call")

	require.NotEmpty(t, flushes)
	flushes[len(flushes)-1]() // no call came: the timer tells it
	assert.EqualValues(t, 31, scripts.n.Load())
	assert.False(t, w.m.Exists(l.Key()+":inflight"))

	// Another program filled the emptied bucket: told at once.
	w.clock.advance(20 * time.Second)
	require.NoError(t, l.Wait(ctx))
	now := w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 10, Limit: 10})
	assert.EqualValues(t, 33, scripts.n.Load(), "a fuller bucket than modelled goes at once")
	require.NoError(t, l.Wait(ctx))
	now = w.clock.now()
	l.Observe(gorgias.Observation{Sent: now, At: now, Status: 429, RetryAfter: time.Second})
	assert.EqualValues(t, 35, scripts.n.Load(), "a 429 goes at once")
	assert.Equal(t, now.Add(time.Second), l.State().PausedUntil)
}

// TestARaiseMovesABookedSlotWithoutAsking: a waiter hears, while it
// sleeps, that the level is higher than modelled: it sleeps as much
// longer, without asking Redis again. A 429 heard while it sleeps makes it
// ask again.
func TestARaiseMovesABookedSlotWithoutAsking(t *testing.T) {
	w := newWorld(t)
	scripts := &countScripts{}
	w.rdb.AddHook(scripts)
	l := w.limiter("acme", WithRate(10, 10*time.Second))
	ctx := context.Background()
	assert.Equal(t, 9, immediate(t, l, w.clock, 9))
	var during func()
	l.sleep = func(ctx context.Context, d time.Duration) error {
		if f := during; f != nil {
			during = nil
			f()
		}
		return w.clock.sleep(ctx, d)
	}
	during = func() {
		// Another goroutine's answer: another program filled the bucket.
		now := w.clock.now()
		l.Observe(gorgias.Observation{Sent: now, At: now, Status: 200, Used: 10, Limit: 10})
	}
	calls := scripts.n.Load()
	require.NoError(t, l.Wait(ctx))
	slept := w.clock.sleeps()
	require.Len(t, slept, 2)
	assert.Equal(t, time.Second, slept[0], "the 10th request's slot")
	assert.Greater(t, slept[1], 5*time.Second, "the raise: the slot moved")
	assert.EqualValues(t, calls+2, scripts.n.Load(), "the waiter's one call, and the answer's")

	during = func() {
		now := w.clock.now()
		l.Observe(gorgias.Observation{Sent: now, At: now, Status: 429, RetryAfter: 30 * time.Second})
	}
	calls = scripts.n.Load()
	require.NoError(t, l.Wait(ctx))
	assert.EqualValues(t, calls+3, scripts.n.Load(), "the waiter's call, the 429's, and the waiter's again")
	assert.GreaterOrEqual(t, sum(w.clock.sleeps()), 30*time.Second, "past the pause")
}
