package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/require"
)

// newFake starts a seeded fake Gorgias whose bucket is large enough that
// the SDK's pacing never waits in these tests.
func newFake(t *testing.T, opts ...gorgiastest.Option) *gorgiastest.Server {
	t.Helper()
	base := []gorgiastest.Option{
		gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 60}),
		gorgiastest.WithRateLimit(1000, time.Second),
	}
	return gorgiastest.NewTestServer(t, append(base, opts...)...)
}

// connect serves the tools for client in memory and connects the
// protocol SDK's own client to them.
func connect(t *testing.T, client *gorgias.Client, opts serverOptions) *mcp.ClientSession {
	t.Helper()
	server, err := newServer(client, opts)
	require.NoError(t, err)
	serverT, clientT := mcp.NewInMemoryTransports()
	ctx := context.Background()
	ss, err := server.Connect(ctx, serverT, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "gorgias-mcp-test", Version: "0"}, nil).Connect(ctx, clientT, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

// invoke calls a tool and fails the test on a protocol error; a tool
// error comes back in the result.
func invoke(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	require.NoError(t, err, "calling %s", name)
	return res
}

// text joins a result's text content.
func text(res *mcp.CallToolResult) string {
	var sb strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			sb.WriteString(tc.Text)
		}
	}
	return sb.String()
}

// mustOK calls a tool that must succeed and decodes its JSON answer into
// a generic value.
func mustOK(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) any {
	t.Helper()
	res := invoke(t, cs, name, args)
	require.False(t, res.IsError, "%s failed: %s", name, text(res))
	var v any
	require.NoError(t, json.Unmarshal([]byte(text(res)), &v), "%s answered no JSON: %s", name, text(res))
	return v
}

// mustFail calls a tool that must come back as a tool error and returns
// the error's text.
func mustFail(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) string {
	t.Helper()
	res := invoke(t, cs, name, args)
	require.True(t, res.IsError, "%s should have failed: %s", name, text(res))
	return text(res)
}

// field reads a path of object keys and array indexes from a decoded
// JSON value: field(v, "data", 0, "id").
func field(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			require.True(t, ok, "want an object holding %q, got %T", k, v)
			v = m[k]
		case int:
			a, ok := v.([]any)
			require.True(t, ok, "want an array, got %T", v)
			require.Greater(t, len(a), k, "array too short")
			v = a[k]
		}
	}
	return v
}

// id reads an id at path.
func id(t *testing.T, v any, path ...any) int64 {
	t.Helper()
	n, ok := field(t, v, path...).(float64)
	require.True(t, ok, "no numeric id at %v", path)
	return int64(n)
}

// toolNames lists the catalog's tool names.
func toolNames(t *testing.T) []string {
	t.Helper()
	ops, err := ParseCatalog(catalogText)
	require.NoError(t, err)
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.Name
	}
	return names
}

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v), "not JSON: %s", s)
	return v
}

// discardLogger is a logger that drops everything.
func discardLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}
