package redislimit

import (
	"context"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// BenchmarkRequest is what pacing costs one request on a real
// redis-server, the bucket never full (10,000 a second): a Wait and the
// Observe of its answer, beside one Redis round trip (PING), a script that
// returns at once (the floor of pacing by one script call), a Wait alone
// and the in-process limiter doing the same.
//
//	go test -run '^$' -bench BenchmarkRequest -count 8 .   # with REDIS_ADDR set
func BenchmarkRequest(b *testing.B) {
	rdb := realClient(b, realRedis(b))
	ctx := context.Background()
	answer := func() gorgias.Observation {
		now := time.Now()
		return gorgias.Observation{Sent: now, At: now, Status: 200, Used: 1, Limit: gorgias.MaxCallLimit}
	}
	b.Run("roundtrip", func(b *testing.B) {
		for b.Loop() {
			require.NoError(b, rdb.Ping(ctx).Err())
		}
	})
	b.Run("script", func(b *testing.B) {
		noop := redis.NewScript("return 1")
		keys := []string{uniqueAccount(b), uniqueAccount(b)}
		for b.Loop() {
			require.NoError(b, noop.Run(ctx, rdb, keys).Err())
		}
	})
	b.Run("redislimit", func(b *testing.B) {
		l, err := New(rdb, uniqueAccount(b), WithRate(gorgias.MaxCallLimit, time.Second), WithTimeout(10*time.Second))
		require.NoError(b, err)
		for b.Loop() {
			require.NoError(b, l.Wait(ctx))
			l.Observe(answer())
		}
		require.True(b, l.Shared())
		require.NoError(b, rdb.Del(ctx, l.keys...).Err())
	})
	b.Run("redislimit-wait", func(b *testing.B) {
		l, err := New(rdb, uniqueAccount(b), WithRate(gorgias.MaxCallLimit, time.Second), WithTimeout(10*time.Second),
			WithInflightHorizon(time.Second), WithTTL(time.Minute))
		require.NoError(b, err)
		for b.Loop() {
			require.NoError(b, l.Wait(ctx))
		}
		require.True(b, l.Shared())
		require.NoError(b, rdb.Del(ctx, l.keys...).Err())
	})
	b.Run("in-process", func(b *testing.B) {
		l, err := gorgias.NewRateLimiter(gorgias.MaxCallLimit, time.Second)
		require.NoError(b, err)
		for b.Loop() {
			require.NoError(b, l.Wait(ctx))
			l.Observe(answer())
		}
	})
}
