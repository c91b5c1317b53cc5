package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedThroughRedis runs the example on the real redis-server at
// REDIS_ADDR (scripts/redis start): skipped without one, failed without
// one when GORGIAS_REQUIRE_REDIS=1.
func TestSharedThroughRedis(t *testing.T) {
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		if os.Getenv("GORGIAS_REQUIRE_REDIS") == "1" {
			t.Fatal("GORGIAS_REQUIRE_REDIS=1 but REDIS_ADDR is unset")
		}
		t.Skip("needs a real redis-server: eval \"$(scripts/redis start)\"; export REDIS_ADDR")
	}
	var out bytes.Buffer
	cfg := config{redisAddr: addr, account: "example-" + time.Now().Format("150405-000000000"), workers: 3,
		duration: 3 * time.Second, logger: slog.New(slog.DiscardHandler)}
	require.NoError(t, run(context.Background(), cfg, &out))
	text := out.String()
	t.Log("\n" + text)
	assert.Equal(t, 3, strings.Count(text, "paced through Redis"))
	assert.Contains(t, text, "it answered 0 with 429")
}

// TestWithoutRedis: with nothing listening at the Redis address, the
// workers pace in process and the example still runs.
func TestWithoutRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	var out bytes.Buffer
	var logs bytes.Buffer
	cfg := config{redisAddr: addr, account: "acme", workers: 2, duration: time.Second,
		logger: slog.New(slog.NewTextHandler(&logs, nil))}
	require.NoError(t, run(context.Background(), cfg, &out))
	assert.Equal(t, 2, strings.Count(out.String(), "paced in process (Redis did not answer)"))
	assert.Equal(t, 2, strings.Count(logs.String(), "Redis did not answer"), "once per Limiter")
}
