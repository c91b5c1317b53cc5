package gorgias

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientAccount(t *testing.T) {
	for _, account := range []string{"acme", "ACME", " acme ", "acme.gorgias.com", "https://acme.gorgias.com", "https://acme.gorgias.com/"} {
		c, err := NewClient(account)
		require.NoError(t, err, account)
		assert.Equal(t, "https://acme.gorgias.com/api/", c.BaseURL(), account)
	}
	for _, account := range []string{"", "  ", "ac me", "acme/tickets", "http://acme.gorgias.com", "https://acme.gorgias.com/api/tickets",
		"acme.example.com", "-acme", "ftp://acme.gorgias.com", "acme.gorgias.com:8080", strings.Repeat("a", 64)} {
		_, err := NewClient(account)
		assert.Error(t, err, "account %q", account)
	}
}

func TestWithBaseURL(t *testing.T) {
	cases := map[string]string{
		"http://127.0.0.1:8080":          "http://127.0.0.1:8080/api/",
		"http://localhost:1234/":         "http://localhost:1234/api/",
		"http://[::1]:99/api":            "http://[::1]:99/api/",
		"https://proxy.example.com/gorg": "https://proxy.example.com/gorg/api/",
		"https://proxy.example.com/api/": "https://proxy.example.com/api/",
	}
	for in, want := range cases {
		c, err := NewClient("", WithBaseURL(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, c.BaseURL(), in)
	}
	for _, in := range []string{"http://acme.gorgias.com", "http://10.0.0.1", "ftp://127.0.0.1", "127.0.0.1:8080", "https://u:p@proxy.example.com", "::"} {
		_, err := NewClient("", WithBaseURL(in))
		assert.Error(t, err, in)
	}
	// Without a base URL the account is required.
	_, err := NewClient("")
	assert.Error(t, err)
}

func TestOptionErrors(t *testing.T) {
	for name, opt := range map[string]Option{
		"empty email":      WithBasicAuth("", "key"),
		"empty key":        WithBasicAuth("a@b.c", " "),
		"empty token":      WithBearerToken(""),
		"nil http client":  WithHTTPClient(nil),
		"negative retries": WithRetryPolicy(-1, 0, 0),
		"max below min":    WithRetryPolicy(1, time.Second, time.Millisecond),
		"header injection": WithUserAgent("x\r\nEvil: 1"),
	} {
		_, err := NewClient("acme", opt)
		assert.Error(t, err, name)
	}
}

func TestRequestHeaders(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")), WithUserAgent("my-app/1.2"))
	_, err := c.Tickets.Get(context.Background(), 82759724, nil)
	require.NoError(t, err)
	_, err = c.Tickets.Update(context.Background(), 82759724, &UpdateTicketRequest{Status: StatusClosed})
	require.NoError(t, err)

	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	get, put := reqs[0], reqs[1]
	assert.Equal(t, "application/json", get.Header.Get("Accept"))
	assert.Empty(t, get.Header.Get("Content-Type"), "no body, no content type")
	assert.Equal(t, "application/json", put.Header.Get("Content-Type"))
	assert.Equal(t, "my-app/1.2 gorgias-go/"+Version+" (+https://github.com/go-gorgias/gorgias)", get.Header.Get("User-Agent"))
	user, pass, ok := (&http.Request{Header: get.Header}).BasicAuth()
	require.True(t, ok)
	assert.Equal(t, "agent@acme.example", user)
	assert.Equal(t, "s3cr3t-api-key", pass)
}

func TestBearerToken(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")), WithBearerToken("oauth-token-123"))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Equal(t, "Bearer oauth-token-123", ts.Requests()[0].Header.Get("Authorization"))
}

// TestWithHTTPClient checks that the caller's client sends the requests,
// under the retries: its transport sees every attempt.
func TestWithHTTPClient(t *testing.T) {
	var attempts int
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		attempts++
		r.Header.Set("X-Via-Custom", "yes")
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, ts := newTestClient(t, sequence(respond(503, nil), respond(200, fixture(t, "ticket.json"))), WithHTTPClient(hc))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, attempts)
	assert.Equal(t, "yes", ts.Requests()[1].Header.Get("X-Via-Custom"))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestCredentialsNeverLeak prints the client every way fmt can, logs at
// debug level through retries and errors, and checks that neither the API
// key, the token nor the Authorization header value shows up.
func TestCredentialsNeverLeak(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newTestClient(t, sequence(respond(503, nil), respond(401, []byte(`{"error":{"msg":"Unauthorized"}}`))), WithLogger(logger))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.Error(t, err)

	bearer, err2 := NewClient("acme", WithBearerToken("tok-very-secret"))
	require.NoError(t, err2)

	secrets := []string{"s3cr3t-api-key", "tok-very-secret", c.auth.header, bearer.auth.header}
	var printed []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		printed = append(printed, fmt.Sprintf(verb, c), fmt.Sprintf(verb, *c), fmt.Sprintf(verb, bearer))
	}
	printed = append(printed, err.Error(), logs.String())
	for _, out := range printed {
		for _, secret := range secrets {
			assert.NotContains(t, out, secret)
		}
	}
	assert.Contains(t, logs.String(), "attempt=2", "the debug log records each attempt")
	assert.Contains(t, logs.String(), "status=401")
}

// TestRedirectDropsAuthorization checks that a redirect to another host
// does not carry the credentials there.
func TestRedirectDropsAuthorization(t *testing.T) {
	other, otherTS := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	_ = other
	// Redirect from 127.0.0.1 to localhost: a different host for net/http.
	target := strings.Replace(otherTS.URL, "127.0.0.1", "localhost", 1)
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.Path, http.StatusFound)
	})
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	reqs := otherTS.Requests()
	require.Len(t, reqs, 1)
	assert.Empty(t, reqs[0].Header.Get("Authorization"))
}

func TestNilContext(t *testing.T) {
	c, ts := newTestClient(t, respond(200, nil))
	//lint:ignore SA1012 checking that a nil context is an error, not a panic
	err := c.Tickets.Delete(nil, 1) //nolint:staticcheck
	require.Error(t, err)
	assert.Empty(t, ts.Requests())
}

// TestEveryMethodCarriesTheCredentials: GET, POST, PUT and DELETE each
// send Authorization, User-Agent and Accept.
func TestEveryMethodCarriesTheCredentials(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	ctx := context.Background()
	_, err := c.Tickets.Get(ctx, 1, nil)
	require.NoError(t, err)
	_, err = c.Tickets.Create(ctx, minimalTicket())
	require.NoError(t, err)
	_, err = c.Tickets.Update(ctx, 1, &UpdateTicketRequest{Status: StatusClosed})
	require.NoError(t, err)
	require.NoError(t, c.Tickets.Delete(ctx, 1))
	reqs := ts.Requests()
	require.Len(t, reqs, 4)
	for i, method := range []string{"GET", "POST", "PUT", "DELETE"} {
		t.Run(method, func(t *testing.T) {
			assert.Equal(t, method, reqs[i].Method)
			user, pass, ok := (&http.Request{Header: reqs[i].Header}).BasicAuth()
			require.True(t, ok, "Authorization is sent")
			assert.Equal(t, "agent@acme.example", user)
			assert.Equal(t, "s3cr3t-api-key", pass)
			assert.Contains(t, reqs[i].Header.Get("User-Agent"), "gorgias-go/")
			assert.Equal(t, "application/json", reqs[i].Header.Get("Accept"))
		})
	}
}
