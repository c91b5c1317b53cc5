package gorgias

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// TestPrintedClientNamesItsServerAndKindOfCredentials: printing a client,
// or a service, shows where it sends and which kind of credentials it
// holds (never their value), and a zero value prints without panicking.
func TestPrintedClientNamesItsServerAndKindOfCredentials(t *testing.T) {
	basic, err := NewClient("acme", WithBasicAuth("agent@acme.example", "key"))
	require.NoError(t, err)
	bearer, err := NewClient("acme", WithBearerToken("token"))
	require.NoError(t, err)
	anonymous, err := NewClient("acme")
	require.NoError(t, err)

	assert.Equal(t, "gorgias.Client{BaseURL: https://acme.gorgias.com/api/, Auth: basic(REDACTED)}", basic.String())
	assert.Equal(t, "gorgias.Client{BaseURL: https://acme.gorgias.com/api/, Auth: bearer(REDACTED)}", fmt.Sprint(bearer))
	assert.Equal(t, "gorgias.Client{BaseURL: https://acme.gorgias.com/api/, Auth: none}", fmt.Sprintf("%#v", anonymous))
	assert.Equal(t, "gorgias.Client{BaseURL: <nil>, Auth: none}", Client{}.String())

	assert.Equal(t, "gorgias service of gorgias.Client{BaseURL: https://acme.gorgias.com/api/, Auth: basic(REDACTED)}", fmt.Sprint(basic.Tickets))
	assert.Equal(t, "gorgias service of no client", fmt.Sprint(TicketsService{}))
}

// TestAccountSubdomainBounds: a subdomain is 1 to 63 of a–z, 0–9 and
// '-' (not at either end); the characters at the ends of those ranges
// are accepted, their neighbours refused.
func TestAccountSubdomainBounds(t *testing.T) {
	for _, account := range []string{"a", "z", "0", "9", "az09", "a-z", strings.Repeat("a", 63)} {
		c, err := NewClient(account)
		if assert.NoError(t, err, "account %q", account) {
			assert.Equal(t, "https://"+account+".gorgias.com/api/", c.BaseURL())
		}
	}
	for _, account := range []string{strings.Repeat("a", 64), "a:b", "a`b", "a{b", "a_b", "a@b", "a-", "-a"} {
		_, err := NewClient(account)
		assert.Error(t, err, "account %q", account)
	}
}

// TestRedirectChainsStopAtTen: the SDK's own client follows up to ten
// redirects of a GET, as net/http does, and refuses the eleventh.
func TestRedirectChainsStopAtTen(t *testing.T) {
	check := withRedirectRules(nil).CheckRedirect
	next, _ := http.NewRequest(http.MethodGet, "https://acme.gorgias.com/api/tickets", nil)
	via := make([]*http.Request, 0, 10)
	for range 9 {
		via = append(via, next)
	}
	require.NoError(t, check(next, via), "the tenth redirect is followed")
	via = append(via, next)
	assert.EqualError(t, check(next, via), "stopped after 10 redirects")
}

// TestEvery2xxIsSuccess: the whole 2xx range is success, 299 included;
// a 300 is not.
func TestEvery2xxIsSuccess(t *testing.T) {
	for _, status := range []int{200, 201, 299} {
		c, _ := newTestClient(t, respond(status, fixture(t, "ticket.json")))
		ticket, err := c.Tickets.Get(context.Background(), 1, nil)
		require.NoError(t, err, status)
		assert.Equal(t, int64(82759724), ticket.ID, status)
	}
	c, _ := newTestClient(t, respond(http.StatusMultipleChoices, fixture(t, "ticket.json")))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusMultipleChoices, apiErr.StatusCode)
}

// TestReadAllSizesItsBufferFromTheContentLength: when the answer's length
// is known and within the limit (at it included), the body is read into
// one buffer allocated up front, not into one grown by doubling.
func TestReadAllSizesItsBufferFromTheContentLength(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 1<<20)
	for name, limit := range map[string]int64{"under the limit": 2 << 20, "at the limit": 1 << 20} {
		allocs := testing.AllocsPerRun(5, func() {
			data, err := readAll(bytes.NewReader(body), limit, int64(len(body)))
			if err != nil || len(data) != len(body) {
				t.Fatalf("%s: read %d bytes, %v", name, len(data), err)
			}
		})
		assert.LessOrEqual(t, allocs, 4.0, "%s: a buffer grown by doubling to 1 MiB takes a dozen", name)
	}
	// Without a length, the same body still reads whole.
	data, err := readAll(bytes.NewReader(body), 2<<20, -1)
	require.NoError(t, err)
	assert.Len(t, data, len(body))
}

// TestDefaultRetryPolicyWaits1sDoublingTo30s: without WithRetryPolicy,
// the backoff starts at 1 s and doubles per attempt up to 30 s (each wait
// jittered down to half).
func TestDefaultRetryPolicyWaits1sDoublingTo30s(t *testing.T) {
	ts := httptest.NewServer(respond(http.StatusServiceUnavailable, nil))
	defer ts.Close()
	c, err := NewClient("", withClock(newTestClock()), WithBaseURL(ts.URL), WithoutRateLimit())
	require.NoError(t, err)
	_, err = c.Tickets.Get(context.Background(), 1, nil, CallRetries(7))
	require.Error(t, err)
	sleeps := clockOf(c).Sleeps()
	require.Len(t, sleeps, 7)
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second} {
		assert.GreaterOrEqual(t, sleeps[i], want/2, "wait %d", i+1)
		assert.LessOrEqual(t, sleeps[i], want, "wait %d", i+1)
	}
}

// TestDefaultHTTPClientTimesOutAfterAMinute: the *http.Client the SDK
// makes itself bounds each attempt to 60 s; a caller's is used with its
// own timeout.
func TestDefaultHTTPClientTimesOutAfterAMinute(t *testing.T) {
	c, err := NewClient("acme")
	require.NoError(t, err)
	assert.Equal(t, time.Minute, c.httpClient.Timeout)
	c, err = NewClient("acme", WithHTTPClient(&http.Client{Timeout: 5 * time.Second}))
	require.NoError(t, err)
	assert.Equal(t, 5*time.Second, c.httpClient.Timeout)
}

// TestCloseBodyDrainsALittleAndCloses: closeBody reads at most 64 KiB of
// what is left, so the connection can be reused without reading a huge
// body, then closes it; a nil body is nothing to close.
func TestCloseBodyDrainsALittleAndCloses(t *testing.T) {
	body := &recordingBody{Reader: bytes.NewReader(make([]byte, 1<<20))}
	closeBody(body)
	assert.True(t, body.closed)
	assert.Equal(t, int64(64<<10), body.read)
	require.NotPanics(t, func() { closeBody(nil) })
}

// recordingBody counts what is read of it and records its closing.
type recordingBody struct {
	*bytes.Reader
	read   int64
	closed bool
}

func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	b.read += int64(n)
	return n, err
}

func (b *recordingBody) Close() error { b.closed = true; return nil }
