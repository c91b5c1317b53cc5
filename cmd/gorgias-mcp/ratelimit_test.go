package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 429 is the SDK's business: it waits Retry-After and tries again, and
// the assistant sees a normal answer.
func TestRateLimitedCallsArePacedAndRetried(t *testing.T) {
	srv := newFake(t, gorgiastest.WithFaults(gorgiastest.Faults{RateLimitRate: 0.5, Seed: 7, Methods: []string{http.MethodGet}}))
	cs := connect(t, srv.Client(), serverOptions{timeout: time.Minute})
	for range 3 {
		mustOK(t, cs, "gorgias_tickets_list_tags", map[string]any{"limit": 2})
	}
	require.Positive(t, srv.Stats().RateLimited, "the seed should have produced 429s")
}

// A 429 that outlasts what the call may wait is a tool error that says
// when to try again; the server carries on.
func TestRateLimitThatDoesNotClearIsAToolError(t *testing.T) {
	srv := newFake(t, gorgiastest.WithFaults(gorgiastest.Faults{RateLimitRate: 1, Methods: []string{http.MethodDelete}}))
	// The fake's Retry-After is 1 s; the call may take 100 ms, so the SDK
	// gives up at once rather than wait past the deadline.
	cs := connect(t, srv.Client(), serverOptions{timeout: 100 * time.Millisecond})
	tag := mustOK(t, cs, "gorgias_tickets_create_tag", map[string]any{"name": "busy"})
	msg := mustFail(t, cs, "gorgias_tickets_delete_tag", map[string]any{"id": id(t, tag, "id")})
	assert.Contains(t, msg, "429 Too Many Requests")
	assert.Contains(t, msg, "call the tool again")

	// The SDK now holds every request back for the Retry-After second,
	// which the next call's 100 ms cannot cover: it is told so at once.
	res := invoke(t, cs, "gorgias_tickets_get_tag", map[string]any{"id": id(t, tag, "id")})
	if res.IsError {
		assert.Contains(t, text(res), "rate limit")
	}
}
