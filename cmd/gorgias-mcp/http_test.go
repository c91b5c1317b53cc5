package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bearer adds an Authorization header to every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

func connectHTTP(t *testing.T, url string, hc *http.Client) (*mcp.ClientSession, error) {
	t.Helper()
	tr := &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: hc, MaxRetries: -1, DisableStandaloneSSE: true}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "gorgias-mcp-test", Version: "0"}, nil).Connect(context.Background(), tr, nil)
	if err == nil {
		t.Cleanup(func() { _ = cs.Close() })
	}
	return cs, err
}

func TestStreamableHTTP(t *testing.T) {
	srv := newFake(t)
	server, err := newServer(srv.Client(), serverOptions{})
	require.NoError(t, err)

	t.Run("open on loopback", func(t *testing.T) {
		web := httptest.NewServer(httpHandler(server, ""))
		defer web.Close()
		cs, err := connectHTTP(t, web.URL+"/mcp", web.Client())
		require.NoError(t, err)
		assert.Len(t, listTools(t, cs), 36)
		page := mustOK(t, cs, "gorgias_tickets_list_tickets", map[string]any{"limit": 2})
		assert.Len(t, field(t, page, "data"), 2)
		assert.Contains(t, mustFail(t, cs, "gorgias_tickets_get_ticket", map[string]any{"id": 0}), "- id: must be a positive id")
	})

	t.Run("with GORGIAS_MCP_TOKEN", func(t *testing.T) {
		const token = "mcp-t0ken"
		web := httptest.NewServer(httpHandler(server, token))
		defer web.Close()

		_, err := connectHTTP(t, web.URL+"/mcp", web.Client())
		require.Error(t, err, "connected without the token")
		_, err = connectHTTP(t, web.URL+"/mcp", &http.Client{Transport: bearer{"wrong", http.DefaultTransport}})
		require.Error(t, err, "connected with a wrong token")

		cs, err := connectHTTP(t, web.URL+"/mcp", &http.Client{Transport: bearer{token, http.DefaultTransport}})
		require.NoError(t, err)
		mustOK(t, cs, "gorgias_tickets_list_tags", map[string]any{"limit": 1})
	})

	t.Run("refuses cross-origin browser requests", func(t *testing.T) {
		web := httptest.NewServer(httpHandler(server, ""))
		defer web.Close()
		req, err := http.NewRequest(http.MethodPost, web.URL+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		resp, err := web.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
}
