package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStdioBinary builds the command and drives it over stdio with the
// protocol SDK's client, as a desktop MCP client would.
func TestStdioBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "gorgias-mcp")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	t.Run("every tool against gorgiastest, with credentials from the environment that never show", func(t *testing.T) {
		email := "ops-" + rand.Text() + "@example.test"
		key := "key-" + rand.Text()
		srv := newFake(t, gorgiastest.WithCredentials(email, key))
		cs, stderr := startStdio(t, bin, []string{"GORGIAS_EMAIL=" + email, "GORGIAS_API_KEY=" + key},
			"-base-url", srv.URL, "-log-level", "debug")

		texts := exerciseAllTools(t, cs)
		// And a refusal, whose text is the most likely to echo input.
		texts = append(texts, mustFail(t, cs, "gorgias_tickets_get_ticket", map[string]any{"id": 1}))
		require.NoError(t, cs.Close())

		log := stderr.String()
		assert.Contains(t, log, "tool call", "the binary logs its calls")
		assert.Contains(t, log, "gorgias_tickets_delete_ticket")
		for _, secret := range secretForms(email, key) {
			assert.NotContains(t, log, secret, "the log shows a credential")
			for _, text := range texts {
				require.NotContains(t, text, secret, "a tool result shows a credential")
			}
		}
	})

	t.Run("-fake needs no account", func(t *testing.T) {
		cs, stderr := startStdio(t, bin, nil, "-fake")
		tools := listTools(t, cs)
		assert.Len(t, tools, 36)
		page := mustOK(t, cs, "gorgias_tickets_list_tickets", map[string]any{"limit": 3})
		assert.Len(t, field(t, page, "data"), 3)
		mustOK(t, cs, "gorgias_tickets_create_tag", map[string]any{"name": "tried-it"})
		require.NoError(t, cs.Close())
		assert.Contains(t, stderr.String(), "embedded fake")
	})

	t.Run("-read-only", func(t *testing.T) {
		cs, _ := startStdio(t, bin, nil, "-fake", "-read-only")
		assert.Len(t, listTools(t, cs), 16)
		// A write is refused with a tool error that says why and how
		// to allow writes.
		msg := mustFail(t, cs, "gorgias_tickets_create_tag", map[string]any{"name": "not-made"})
		assert.Contains(t, msg, "runs read-only")
		assert.Contains(t, msg, "restart it without -read-only")
		tags := mustOK(t, cs, "gorgias_tickets_list_tags", map[string]any{"search": "not-made"})
		assert.Empty(t, field(t, tags, "data"), "the refused write took effect")
	})

	t.Run("the protocol SDK's client: every schema, every read tool with structured results", func(t *testing.T) {
		cs, _ := startStdio(t, bin, nil, "-fake")
		schemas := toolSchemas(t, cs) // resolves every input and output schema
		require.Len(t, schemas, 36)
		const p = "gorgias_tickets_"
		called := map[string]bool{}
		read := func(name string, args map[string]any) any {
			t.Helper()
			called[p+name] = true
			res := invoke(t, cs, p+name, args)
			require.False(t, res.IsError, "%s(%v): %s", name, args, text(res))
			checkStructured(t, schemas[p+name], res)
			if slices.Contains(bindings[p+name].extra, fullParam) {
				full := maps.Clone(args)
				if full == nil {
					full = map[string]any{}
				}
				full["full"] = true
				resFull := invoke(t, cs, p+name, full)
				require.False(t, resFull.IsError, "%s(%v): %s", name, full, text(resFull))
				checkStructured(t, schemas[p+name], resFull)
			}
			return mustDecode(t, text(res))
		}
		tickets := read("list_tickets", nil)
		ticketID := id(t, tickets, "data", 0, "id")
		read("get_ticket", map[string]any{"id": ticketID, "relationships": []string{"custom_fields"}})
		read("get_api_tickets_ticket_id_tags", map[string]any{"ticket_id": ticketID})
		read("list_ticket_custom_fields", map[string]any{"ticket_id": ticketID})
		msgs := read("list_messages", map[string]any{"ticket_id": ticketID})
		read("get_ticket_message", map[string]any{"ticket_id": ticketID, "id": id(t, msgs, "data", 0, "id")})
		tags := read("list_tags", map[string]any{"order_by": "usage:desc,name:desc"})
		read("get_tag", map[string]any{"id": id(t, tags, "data", 0, "id")})
		surveys := read("list_satisfaction_surveys", nil)
		read("get_satisfaction_survey", map[string]any{"id": id(t, surveys, "data", 0, "id")})
		calls := read("list_voice_calls", nil)
		callID := id(t, calls, "data", 0, "id")
		read("get_voice_call", map[string]any{"id": callID})
		events := read("list_voice_call_events", map[string]any{"call_id": callID})
		read("get_voice_call_event", map[string]any{"id": id(t, events, "data", 0, "id")})
		recs := read("list_voice_call_recordings", map[string]any{"call_id": callID})
		read("get_voice_call_recording", map[string]any{"id": id(t, recs, "data", 0, "id")})

		for name := range schemas {
			if b := bindings[name]; b.readOnly {
				assert.True(t, called[name], "read tool %s not called", name)
			}
		}
		assert.Len(t, called, 16)
	})

	t.Run("no credentials: a clear error naming the variables", func(t *testing.T) {
		cmd := exec.Command(bin)
		cmd.Env = []string{"GORGIAS_ACCOUNT=acme"}
		out, err := cmd.CombinedOutput()
		require.Error(t, err)
		assert.Contains(t, string(out), "GORGIAS_EMAIL and GORGIAS_API_KEY")
		assert.Contains(t, string(out), "-fake")
	})
}

// secretForms are the ways a credential could leak: itself, and encoded
// in a Basic Authorization header.
func secretForms(email, key string) []string {
	return []string{key, email, base64.StdEncoding.EncodeToString([]byte(email + ":" + key))}
}

// startStdio runs the binary with only env as its environment and
// connects to it over stdin/stdout.
func startStdio(t *testing.T, bin string, env []string, args ...string) (*mcp.ClientSession, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "gorgias-mcp-test", Version: "0"}, nil).
		Connect(context.Background(), &mcp.CommandTransport{Command: cmd}, nil)
	require.NoError(t, err, "starting %s: %s", bin, stderr.String())
	t.Cleanup(func() { _ = cs.Close() })
	return cs, stderr
}

// syncBuffer is a bytes.Buffer safe for the goroutine exec copies stderr
// with.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Clone(b.buf.String())
}
