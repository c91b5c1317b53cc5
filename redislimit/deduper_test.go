package redislimit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/go-gorgias/gorgias/webhook"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeduperClaimsOnce(t *testing.T) {
	ctx := context.Background()
	m := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	d := NewDeduper(rdb, "")
	claim := func(id string) bool { ok, err := d.Claim(ctx, id, time.Minute); require.NoError(t, err); return ok }
	assert.True(t, claim("abc"))
	assert.False(t, claim("abc"))
	assert.True(t, m.Exists("gorgias:webhook:abc"))
	assert.Equal(t, time.Minute, m.TTL("gorgias:webhook:abc"))
	m.FastForward(time.Minute)
	assert.True(t, claim("abc"), "the claim expired with the window")
	require.NoError(t, d.Release(ctx, "abc"))
	assert.True(t, claim("abc"), "released")
	_, err := d.Claim(ctx, strings.Repeat("x", 257), time.Minute)
	assert.Error(t, err)

	// Redis away: Claim fails (the handler answers 503), quickly.
	m.Close()
	_, err = d.Claim(ctx, "def", time.Minute)
	assert.Error(t, err)
}

// TestReplicasShareTheDeduper: two handlers (two replicas) behind one
// integration run a delivery Gorgias sent to each once between them.
func TestReplicasShareTheDeduper(t *testing.T) {
	m := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	const secret = "replica-secret-0123456789"
	var runs atomic.Int32
	fn := func(context.Context, webhook.Event) error { runs.Add(1); return nil }
	a := webhook.NewHandler(secret, fn, webhook.WithDeduper(NewDeduper(rdb, "")))
	b := webhook.NewHandler(secret, fn, webhook.WithDeduper(NewDeduper(rdb, "")))
	for _, h := range []http.Handler{a, b, a} {
		req := httptest.NewRequest("POST", "/", strings.NewReader(`{"trigger":"ticket-created","ticket_id":"7","updated_datetime":"2026-11-20T10:00:00"}`))
		req.Header.Set(webhook.SecretHeader, secret)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		assert.Equal(t, 200, w.Code)
	}
	assert.Equal(t, int32(1), runs.Load())
}
