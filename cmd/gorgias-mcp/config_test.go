package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestCredentialsComeFromTheEnvironment(t *testing.T) {
	const email, key, token = "agent@acme.example", "k3y-Sup3rSecret", "t0ken-Sup3rSecret"
	srv := newFake(t, gorgiastest.WithCredentials(email, key), gorgiastest.WithBearerToken(token))

	for name, getenv := range map[string]func(string) string{
		"API key":      env("GORGIAS_EMAIL", email, "GORGIAS_API_KEY", key),
		"access token": env("GORGIAS_ACCESS_TOKEN", token),
	} {
		t.Run(name, func(t *testing.T) {
			client, where, closeFake, err := newClient(config{baseURL: srv.URL}, getenv, discardLogger())
			require.NoError(t, err)
			defer closeFake()
			assert.Equal(t, srv.URL+"/api/", where)
			cs := connect(t, client, serverOptions{})
			mustOK(t, cs, "gorgias_tickets_list_tags", map[string]any{"limit": 1})
		})
	}

	for name, c := range map[string]struct {
		getenv func(string) string
		want   string
	}{
		"none":          {env(), "no credentials: set GORGIAS_EMAIL and GORGIAS_API_KEY"},
		"email only":    {env("GORGIAS_EMAIL", email), "GORGIAS_EMAIL is set but GORGIAS_API_KEY is not"},
		"key only":      {env("GORGIAS_API_KEY", key), "GORGIAS_API_KEY is set but GORGIAS_EMAIL is not"},
		"both kinds":    {env("GORGIAS_EMAIL", email, "GORGIAS_API_KEY", key, "GORGIAS_ACCESS_TOKEN", token), "set only one kind"},
		"blank token":   {env("GORGIAS_ACCESS_TOKEN", "   "), "no credentials"},
		"no account":    {env("GORGIAS_EMAIL", email, "GORGIAS_API_KEY", key), "GORGIAS_ACCOUNT is not set"},
		"not a gorgias": {env("GORGIAS_ACCOUNT", "acme.example.com", "GORGIAS_ACCESS_TOKEN", token), "not a gorgias.com helpdesk"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, _, err := newClient(config{}, c.getenv, discardLogger())
			require.ErrorContains(t, err, c.want)
			for _, secret := range []string{key, token} {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}

	t.Run("a real account's URL", func(t *testing.T) {
		_, where, _, err := newClient(config{}, env("GORGIAS_ACCOUNT", "acme", "GORGIAS_ACCESS_TOKEN", token), discardLogger())
		require.NoError(t, err)
		assert.Equal(t, "https://acme.gorgias.com/api/", where)
	})
}

// Refused credentials are a tool error that points at the environment,
// without repeating what is in it.
func TestRefusedCredentialsAreNotEchoed(t *testing.T) {
	const email, wrong = "agent@acme.example", "wr0ng-Sup3rSecret"
	srv := newFake(t, gorgiastest.WithCredentials(email, "right"))
	cs := connect(t, srv.Client(gorgias.WithBasicAuth(email, wrong)), serverOptions{})
	msg := mustFail(t, cs, "gorgias_tickets_list_tickets", nil)
	assert.Contains(t, msg, "401 Unauthorized")
	assert.Contains(t, msg, "GORGIAS_API_KEY")
	for _, secret := range secretForms(email, wrong) {
		assert.NotContains(t, msg, secret)
	}
}

func TestFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-fake", "-base-url", "http://127.0.0.1:1"}, "do not go together"},
		{[]string{"-log-level", "loud"}, "-log-level"},
		{[]string{"-timeout", "-1s"}, "cannot be negative"},
		{[]string{"my-api-key"}, "read from the environment, not the command line"},
		{[]string{"-http", "0.0.0.0:8787", "-fake"}, "not loopback"},
		{[]string{"-http", ":8787", "-fake"}, "every interface"},
		{[]string{"-http", "mcp.example.com:8787", "-fake"}, "not loopback"},
		{[]string{"-http", "8787", "-fake"}, "missing port"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), c.args, env(), strings.NewReader(""), &bytes.Buffer{}, &stderr)
		assert.ErrorContains(t, err, c.want, "%v", c.args)
	}
}

func TestCheckBind(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:8787", "localhost:0", "[::1]:8787", "127.0.0.2:1"} {
		assert.NoError(t, checkBind(addr, false), addr)
	}
	for _, addr := range []string{"0.0.0.0:8787", ":8787", "[::]:8787", "192.168.1.10:8787", "example.com:80"} {
		assert.Error(t, checkBind(addr, false), addr)
		assert.NoError(t, checkBind(addr, true), addr)
	}
}

// TestStdioRun drives run itself over pipes, as a desktop client does:
// it answers while stdin is open, and returns cleanly when it closes.
func TestStdioRun(t *testing.T) {
	srv := newFake(t)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"-base-url", srv.URL},
			env("GORGIAS_EMAIL", srv.Email, "GORGIAS_API_KEY", srv.APIKey), inR, outW, &stderr)
		_ = outW.Close()
	}()
	go func() {
		_, _ = io.WriteString(inW, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gorgias_tickets_get_tag","arguments":{"id":-1}}}
`)
	}()
	lines := bufio.NewScanner(outR)
	var answer string
	for lines.Scan() {
		if strings.Contains(lines.Text(), `"id":2`) {
			answer = lines.Text()
			break
		}
	}
	require.NoError(t, inW.Close())
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	require.NoError(t, <-done, stderr.String())
	assert.Contains(t, answer, `"isError":true`)
	assert.Contains(t, answer, "must be a positive id")
	assert.NotContains(t, stderr.String(), srv.APIKey)
}
