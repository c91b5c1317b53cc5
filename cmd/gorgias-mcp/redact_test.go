package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unicodeEscape writes s with every character as a \uXXXX escape: valid
// JSON that holds s, but not as its bytes.
func unicodeEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// echoingGorgias stands for Gorgias, or a proxy in front of it, that
// echoes what it was sent: the Authorization header and the credentials
// in error bodies (JSON and not), in answers (plainly and \u-escaped),
// and in the X-Request-Id header, which the SDK reports.
func echoingGorgias(t *testing.T, secrets ...string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		all := auth + " " + strings.Join(secrets, " ")
		w.Header().Set("X-Request-Id", auth)
		w.Header().Set("Content-Type", "application/json")
		quoted, _ := json.Marshal(all)
		switch r.URL.Path {
		case "/api/tickets/1": // a JSON error body
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error": {"msg": %s, "data": {"subject": [%s], %s: ["bad"]}}}`, quoted, quoted, quoted)
		case "/api/tickets/2": // a proxy's page
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "<html><body>Denied for %s</body></html>", all)
		case "/api/tickets/3": // a 200 that does not decode
			fmt.Fprintf(w, `{"id": %s}`, quoted)
		case "/api/tags/1": // a 200 answer echoing them
			fmt.Fprintf(w, `{"id": 1, "name": %s, "description": "%s", "uri": %s, "decoration": {"color": %s}, %s: 1}`,
				quoted, unicodeEscape(all), quoted, quoted, quoted)
		case "/api/tags":
			fmt.Fprintf(w, `{"data": [{"id": 1, "name": %s, "usage": 2}], "meta": {"next_cursor": %s, "prev_cursor": null}}`, quoted, quoted)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"error": {"msg": %s}}`, quoted)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// leakForms are the ways a secret could show.
func leakForms(email string, secrets ...string) []string {
	out := append([]string(nil), secrets...)
	if email != "" && len(secrets) > 0 {
		pair := email + ":" + secrets[0]
		out = append(out, base64.StdEncoding.EncodeToString([]byte(pair)), base64.RawStdEncoding.EncodeToString([]byte(pair)))
	}
	return out
}

// TestCredentialsNeverReachAResultOrTheLog runs gorgias-mcp (run, as
// main does) against servers that echo the credentials, calls tools
// whose results and errors carry the echoes, and checks neither a result
// (text or structured) nor the log shows one.
func TestCredentialsNeverReachAResultOrTheLog(t *testing.T) {
	email := "ops-" + strings.ToLower(rand.Text()) + "@example.test"
	key, token, mcpToken := "key-"+rand.Text(), "tok-"+rand.Text(), "mcp-"+rand.Text()
	for name, c := range map[string]struct {
		env   []string
		leaks []string
	}{
		"API key": {
			env:   []string{"GORGIAS_EMAIL", email, "GORGIAS_API_KEY", key, "GORGIAS_MCP_TOKEN", mcpToken},
			leaks: append(leakForms(email, key), mcpToken),
		},
		"access token": {
			env:   []string{"GORGIAS_ACCESS_TOKEN", token, "GORGIAS_MCP_TOKEN", mcpToken},
			leaks: []string{token, mcpToken},
		},
	} {
		t.Run(name, func(t *testing.T) {
			echo := echoingGorgias(t, key, token, mcpToken)
			cs, stderr := runOverPipes(t, env(c.env...), "-base-url", echo.URL, "-log-level", "debug")
			const p = "gorgias_tickets_"
			var shown []string
			for _, call := range []struct {
				tool string
				args map[string]any
			}{
				{p + "get_ticket", map[string]any{"id": 1}},
				{p + "get_ticket", map[string]any{"id": 2}},
				{p + "get_ticket", map[string]any{"id": 3}},
				{p + "get_tag", map[string]any{"id": 1}},
				{p + "list_tags", nil},
				{p + "list_tags", map[string]any{"full": true}},
				{p + "delete_tag", map[string]any{"id": 9}},
			} {
				res := invoke(t, cs, call.tool, call.args)
				data, err := json.Marshal(res)
				require.NoError(t, err)
				shown = append(shown, string(data))
			}
			require.NoError(t, cs.Close())
			log := stderr.String()
			require.Contains(t, log, "tool call", "the calls are logged")
			for _, leak := range c.leaks {
				for i, s := range shown {
					assert.NotContains(t, s, leak, "result %d shows a credential: %s", i, s)
				}
				assert.NotContains(t, log, leak, "the log shows a credential")
			}
			assert.Contains(t, strings.Join(shown, "\n"), redacted, "the echoes are there, redacted")
			for _, s := range shown {
				var res struct {
					StructuredContent json.RawMessage `json:"structuredContent"`
				}
				require.NoError(t, json.Unmarshal([]byte(s), &res))
				if res.StructuredContent != nil {
					assert.True(t, json.Valid(res.StructuredContent), "redacted structured content is still JSON")
				}
			}
		})
	}
}

// runOverPipes runs run with getenv and args, serving MCP over pipes a
// client session talks to.
func runOverPipes(t *testing.T, getenv func(string) string, args ...string) (*mcp.ClientSession, *syncBuffer) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(context.Background(), args, getenv, inR, outW, stderr)
		_ = outW.Close()
		_ = inR.Close()
		done <- err
	}()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "gorgias-mcp-test", Version: "0"}, nil).
		Connect(context.Background(), &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	require.NoError(t, err, stderr.String())
	t.Cleanup(func() {
		_ = cs.Close()
		_ = inW.Close()
		require.NoError(t, <-done)
	})
	return cs, stderr
}

func TestRedactorForms(t *testing.T) {
	const email, key, token, mcpToken = "a@b.example", "s3cr3t-KEY/+=", "t0ken<&>", " mcp-tok "
	r := newRedactor(credentials{Email: email, APIKey: key, AccessToken: token, MCPToken: mcpToken})
	basic := base64.StdEncoding.EncodeToString([]byte(email + ":" + key))
	for _, s := range []string{
		key, token, "mcp-tok", basic, strings.TrimRight(basic, "="),
		base64.URLEncoding.EncodeToString([]byte(email + ":" + key)),
		"Basic " + basic, "Bearer " + token, `t0ken\u003c\u0026\u003e`, "s3cr3t-KEY%2F%2B%3D",
	} {
		got := r.text("before " + s + " after")
		assert.Equal(t, "before "+redacted+" after", got, "%q", s)
	}
	assert.Equal(t, "nothing here", r.text("nothing here"))

	// JSON: strings decoded first (escapes cannot hide one), keys and
	// numbers too, order kept.
	doc := `{"z": "` + unicodeEscape(key) + `", "` + key + `": [1, "x ` + token + `", {"n": 123456789}], "a": null, "b": true}`
	assert.Equal(t, `{"z":"[REDACTED]","[REDACTED]":[1,"x [REDACTED]",{"n":123456789}],"a":null,"b":true}`, string(r.json([]byte(doc))))
	num := newRedactor(credentials{AccessToken: "123456"})
	assert.Equal(t, `{"n":"[REDACTED]","m":[7,{}],"e":[]}`, string(num.json([]byte(`{"n": 9123456, "m": [7, {}], "e": []}`))))
	assert.Equal(t, "not json "+redacted, string(r.json([]byte("not json "+key))))

	// Too short to be a secret: nothing is hidden.
	assert.False(t, newRedactor(credentials{APIKey: "k"}).active())
	assert.Equal(t, "k", (*redactor)(nil).text("k"))
}

func TestRedactingLogHandler(t *testing.T) {
	const key = "s3cr3t-KEY"
	r := newRedactor(credentials{Email: "a@b.example", APIKey: key})
	var sb syncBuffer
	logger := slog.New(r.logHandler(slog.NewJSONHandler(&sb, nil)))
	logger.With("with", "w "+key).WithGroup("g").Info("message "+key,
		"err", errors.New("failed: "+key),
		slog.Group("inner", "k", key),
		key, 1,
		"stringer", strings.NewReader(key), // %v shows the bytes
	)
	out := sb.String()
	assert.NotContains(t, out, key)
	assert.Contains(t, out, redacted)
	assert.Contains(t, out, `"message [REDACTED]"`)
}
