package gorgias

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests attack the client the way a misbehaving server, a proxy,
// sloppy configuration or an interruption would.

const (
	secretKey   = "s3cr3t-api-key"
	secretToken = "oauth-token-123"
)

func TestRedirectFromHTTPSToHTTPIsRefused(t *testing.T) {
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		w.WriteHeader(200)
	}))
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusMovedPermanently)
	}))
	defer tlsSrv.Close()

	callers := tlsSrv.Client()
	require.Nil(t, callers.CheckRedirect)
	c, err := NewClient("", WithBaseURL(tlsSrv.URL), WithBasicAuth("a@b.c", secretKey), WithHTTPClient(callers), WithRetryPolicy(0, 0, 0))
	require.NoError(t, err)
	_, err = c.Tickets.Get(context.Background(), 1, nil)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusMovedPermanently, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, plain.URL)
	assert.Contains(t, apiErr.Message, "clear text")
	assert.Zero(t, plainHits.Load(), "nothing, and no credentials, went over plain http")
	assert.Nil(t, callers.CheckRedirect, "the caller's *http.Client is not changed")

	// The client the SDK makes itself follows the same rules.
	check := withRedirectRules(nil).CheckRedirect
	from, _ := http.NewRequest(http.MethodGet, "https://acme.gorgias.com/api/tickets", nil)
	to, _ := http.NewRequest(http.MethodGet, "http://acme.gorgias.com/api/tickets", nil)
	assert.ErrorIs(t, check(to, []*http.Request{from}), http.ErrUseLastResponse)
	same, _ := http.NewRequest(http.MethodGet, "https://acme.gorgias.com/api/tickets/", nil)
	assert.NoError(t, check(same, []*http.Request{from}), "https to https is followed")
}

func TestRedirectsOfWritesAreErrors(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c, ts := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					_, _ = w.Write(fixture(t, "ticket.json"))
					return
				}
				w.Header().Set("Location", "/api/tickets/7")
				w.WriteHeader(status)
			})
			writes := map[string]func() error{
				"POST": func() error { _, err := c.Tickets.Create(context.Background(), minimalTicket()); return err },
				"PUT": func() error {
					_, err := c.Tickets.Update(context.Background(), 7, &UpdateTicketRequest{Status: StatusClosed})
					return err
				},
				"DELETE": func() error { return c.Tickets.Delete(context.Background(), 7) },
			}
			for method, write := range writes {
				err := write()
				var apiErr *Error
				require.ErrorAs(t, err, &apiErr, method)
				assert.Equal(t, status, apiErr.StatusCode, method)
				assert.Contains(t, apiErr.Message, `"/api/tickets/7"`, method)
				assert.Contains(t, apiErr.Message, "writes never follow redirects", method)
			}
			for _, r := range ts.Requests() {
				assert.NotEqual(t, http.MethodGet, r.Method, "no write turned into a GET")
			}
			assert.Len(t, ts.Requests(), 3, "each write sent once, never retried")
		})
	}
}

// TestNoFmtVerbPrintsASecret prints every value a user can reach under
// every verb and looks for the credentials.
func TestNoFmtVerbPrintsASecret(t *testing.T) {
	basic, err := NewClient("acme", WithBasicAuth("agent@acme.example", secretKey))
	require.NoError(t, err)
	bearer, err := NewClient("acme", WithBearerToken(secretToken))
	require.NoError(t, err)
	encoded := base64.StdEncoding.EncodeToString([]byte("agent@acme.example:" + secretKey))
	for name, c := range map[string]*Client{"basic": basic, "bearer": bearer} {
		values := map[string]any{
			"*Client": c, "Client": *c,
			"Tickets": c.Tickets, "*Tickets": *c.Tickets, "Messages": c.Messages, "*Messages": *c.Messages,
			"Tags": c.Tags, "*Tags": *c.Tags, "Surveys": c.Surveys, "*Surveys": *c.Surveys,
			"Voice": c.Voice, "*Voice": *c.Voice,
			"limiter": c.limiter, "Option": WithBearerToken(secretToken),
		}
		for label, v := range values {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%p"} {
				out := fmt.Sprintf(verb, v)
				for _, secret := range []string{secretKey, secretToken, encoded, hexOf(secretKey), hexOf(secretToken)} {
					require.NotContains(t, out, secret, "%s %s %s", name, label, verb)
				}
			}
		}
	}
}

func hexOf(s string) string { return fmt.Sprintf("%x", s) }

func TestHeaderValuesAreCheckedAtNewClient(t *testing.T) {
	cases := map[string]struct {
		opt  Option
		want string
	}{
		"token with a trailing newline": {WithBearerToken("tok\n"), "line break"},
		"token with a CRLF":             {WithBearerToken("tok\r\n"), "line break"},
		"token with a NUL":              {WithBearerToken("to\x00k"), "control character 0x00"},
		"token with a space at the end": {WithBearerToken("tok "), "space"},
		"API key with a newline":        {WithBasicAuth("a@b.c", "key\n"), "API key ends in a line break"},
		"email with a tab":              {WithBasicAuth("a@b.c\t", "key"), "email"},
		"user agent with a NUL":         {WithUserAgent("app\x00"), "control character 0x00"},
		"user agent with a DEL":         {WithUserAgent("app\x7f1"), "control character 0x7f"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := NewClient("acme", tc.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestLocalFailuresAreNotRetried: a request that fails on this machine,
// before any connection was asked for, fails the same way every time.
func TestLocalFailuresAreNotRetried(t *testing.T) {
	var proxyCalls atomic.Int32
	hc := &http.Client{Transport: &http.Transport{Proxy: func(*http.Request) (*url.URL, error) {
		proxyCalls.Add(1)
		return nil, errors.New("no proxy configured")
	}}}
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")), WithHTTPClient(hc))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	require.ErrorContains(t, err, "no proxy configured")
	assert.Equal(t, int32(1), proxyCalls.Load(), "tried once")
	assert.Empty(t, clockOf(c).Sleeps(), "no backoff")
	assert.Empty(t, ts.Requests())
}

func TestRetryAfterIsCappedAndTheClientRecovers(t *testing.T) {
	shared, err := newRateLimiter(40, 20*time.Second, newTestClock())
	require.NoError(t, err)
	calls := 0
	c, ts := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("Retry-After", "100000000")
			w.Header().Set("X-Gorgias-Account-Api-Call-Limit", "9999999999/40")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("X-Gorgias-Account-Api-Call-Limit", "1/40")
		_, _ = w.Write(fixture(t, "ticket.json"))
	}, WithRateLimiter(shared))
	shared.clock = c.clock
	_, err = c.Tickets.Get(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{MaxRetryAfter}, clockOf(c).Sleeps(), "the retry waited the cap, not three years")
	for range 30 {
		_, err = c.Tickets.Get(context.Background(), 1, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, []time.Duration{MaxRetryAfter}, clockOf(c).Sleeps(), "the shared limiter paces at the bucket's rate again")
	assert.Len(t, ts.Requests(), 32)
}

func TestAllStopsWithinOneItemWhenTheContextEnds(t *testing.T) {
	c, ts := newTestClient(t, respond(200, pageOfTickets(100, "next")))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen int
	var walkErr error
	for tk, err := range c.Tickets.All(ctx, nil) {
		if err != nil {
			walkErr = err
			break
		}
		seen++
		if tk.ID == 3 {
			cancel()
		}
	}
	assert.Equal(t, 3, seen, "no item reaches the loop after the cancel")
	require.ErrorIs(t, walkErr, context.Canceled)
	assert.True(t, strings.HasPrefix(walkErr.Error(), "gorgias: GET /api/tickets: "), walkErr.Error())
	assert.Len(t, ts.Requests(), 1)
}

func TestAllStopsOnACursorCycle(t *testing.T) {
	for name, cursors := range map[string][]string{
		"a → a":         {"a"},
		"a → b → a":     {"a", "b"},
		"a → b → c → b": {"a", "b", "c", "b"},
	} {
		t.Run(name, func(t *testing.T) {
			n := 0
			c, ts := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				next := cursors[min(n, len(cursors)-1)]
				if n >= len(cursors) {
					next = cursors[len(cursors)-1]
				}
				n++
				_, _ = w.Write(pageOfTickets(2, next))
			})
			var walkErr error
			items := 0
			for _, err := range c.Tickets.All(context.Background(), nil) {
				if err != nil {
					walkErr = err
					break
				}
				items++
			}
			require.ErrorContains(t, walkErr, "already followed")
			assert.True(t, strings.HasPrefix(walkErr.Error(), "gorgias: GET /api/tickets: "))
			assert.LessOrEqual(t, len(ts.Requests()), len(cursors)+1)
			assert.Equal(t, 2*len(ts.Requests()), items, "each page's items once")
		})
	}
}

func TestCursorSetIsBoundedAndStillFindsCycles(t *testing.T) {
	var s cursorSet
	for i := range maxRememberedCursors + 5000 {
		require.False(t, s.repeated(fmt.Sprint("c", i)), "cursor %d is new", i)
	}
	assert.Len(t, s.hashes, maxRememberedCursors, "memory stops growing")
	assert.True(t, s.repeated("c7"), "a cursor among the first ones is recognised")
	cycle := []string{"x1", "x2", "x3", "x4", "x5"}
	found := false
	steps := 0
	for ; steps < 4*5000 && !found; steps++ {
		found = s.repeated(cycle[steps%len(cycle)])
	}
	assert.True(t, found, "a cycle among the later cursors is found, within twice the walk so far (Brent)")
}

func TestLongCursorsEndTheWalk(t *testing.T) {
	c, _ := newTestClient(t, respond(200, pageOfTickets(1, strings.Repeat("x", maxCursorLength+1))))
	var walkErr error
	for _, err := range c.Tickets.All(context.Background(), nil) {
		if err != nil {
			walkErr = err
		}
	}
	require.ErrorContains(t, walkErr, "bytes long")
}

func TestNilContextIsAnErrorEverywhere(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	var nilCtx context.Context
	_, err := c.Tickets.Get(nilCtx, 1, nil)
	assert.ErrorIs(t, err, errNilContext)
	walks := map[string]func(yield func(error)){
		"Tickets.All": func(y func(error)) {
			for _, err := range c.Tickets.All(nilCtx, nil) {
				y(err)
			}
		},
		"Messages.All": func(y func(error)) {
			for _, err := range c.Messages.All(nilCtx, nil) {
				y(err)
			}
		},
		"Tags.All": func(y func(error)) {
			for _, err := range c.Tags.All(nilCtx, nil) {
				y(err)
			}
		},
		"Surveys.All": func(y func(error)) {
			for _, err := range c.Surveys.All(nilCtx, nil) {
				y(err)
			}
		},
		"Voice.AllCalls": func(y func(error)) {
			for _, err := range c.Voice.AllCalls(nilCtx, nil) {
				y(err)
			}
		},
		"Voice.AllCallEvents": func(y func(error)) {
			for _, err := range c.Voice.AllCallEvents(nilCtx, nil) {
				y(err)
			}
		},
		"Voice.AllRecordings": func(y func(error)) {
			for _, err := range c.Voice.AllRecordings(nilCtx, nil) {
				y(err)
			}
		},
	}
	for name, walk := range walks {
		t.Run(name, func(t *testing.T) {
			var errs []error
			require.NotPanics(t, func() { walk(func(err error) { errs = append(errs, err) }) })
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], errNilContext)
		})
	}
	l, err := NewRateLimiter(40, time.Second)
	require.NoError(t, err)
	assert.ErrorIs(t, l.Wait(nilCtx), errNilContext)
	assert.Empty(t, ts.Requests())
}

func TestHugeErrorPageKeepsItsMessage(t *testing.T) {
	page := "<html><head><title>Request blocked by the firewall</title></head><body>" + strings.Repeat("x", 2<<20) + "</body></html>"
	c, _ := newTestClient(t, respond(http.StatusForbidden, []byte(page), "Content-Type", "text/html"))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Request blocked by the firewall", apiErr.Message)
}

func TestTransportErrorsNameTheCallOnce(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	addr := closed.URL
	closed.Close()
	c, err := NewClient("", withClock(newTestClock()), WithBaseURL(addr), WithRetryPolicy(2, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.Tickets.Get(context.Background(), 1, nil)
	require.Error(t, err)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "gorgias: GET /api/tickets/1: "), msg)
	assert.Equal(t, 1, strings.Count(msg, "/api/tickets/1"), msg)
	assert.NotContains(t, msg, `Get "`, msg)
	assert.Contains(t, msg, "after 3 attempts")
}

func TestUnknownHostFailsAtOnceWithAHint(t *testing.T) {
	var dials atomic.Int32
	hc := &http.Client{Transport: &http.Transport{DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		dials.Add(1)
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}}}
	c, err := NewClient("acme-typo", withClock(newTestClock()), WithHTTPClient(hc))
	require.NoError(t, err)
	_, err = c.Tickets.Get(context.Background(), 1, nil)
	require.Error(t, err)
	assert.Equal(t, int32(1), dials.Load(), "not retried")
	assert.Contains(t, err.Error(), "acme-typo.gorgias.com does not resolve: check the account name")
	assert.Empty(t, clockOf(c).Sleeps())
}

func TestNewClientAcceptsPastedSpellings(t *testing.T) {
	for _, account := range []string{"acme", "ACME", " acme.gorgias.com ", "acme.gorgias.com/", "https://acme.gorgias.com",
		"https://acme.gorgias.com/", "https://acme.gorgias.com/api", "https://acme.gorgias.com/api/", "HTTPS://Acme.Gorgias.com/API/"} {
		t.Run(account, func(t *testing.T) {
			c, err := NewClient(account)
			require.NoError(t, err)
			assert.Equal(t, "https://acme.gorgias.com/api/", c.BaseURL())
		})
	}
	for account, want := range map[string]string{
		"https://acme.example.com":             "not a gorgias.com helpdesk",
		"http://acme.gorgias.com":              "only https://",
		"https://acme.gorgias.com/api/tickets": "without a path",
		"acme.gorgias.com/settings":            "without a path",
	} {
		t.Run(account, func(t *testing.T) {
			_, err := NewClient(account)
			require.ErrorContains(t, err, want)
		})
	}
}

func TestWithBaseURLSaysWhatIsWrong(t *testing.T) {
	for raw, want := range map[string]string{
		"127.0.0.1:8080":                     `add one, as in "http://127.0.0.1:8080"`,
		"localhost:8080":                     `add one, as in "http://localhost:8080"`,
		"http://127.0.0.1:8080/api/tickets":  "ends in an API path",
		"https://proxy.example/api/tickets/": "ends in an API path",
		"http://10.0.0.5:8080":               "loopback",
		"ftp://127.0.0.1":                    "not http or https",
		"https://user:pw@proxy.example":      "credentials",
	} {
		t.Run(raw, func(t *testing.T) {
			_, err := NewClient("", WithBaseURL(raw))
			require.ErrorContains(t, err, want)
		})
	}
	for raw, want := range map[string]string{
		"http://127.0.0.1:8080":             "http://127.0.0.1:8080/api/",
		"http://127.0.0.1:8080/api":         "http://127.0.0.1:8080/api/",
		"https://proxy.example/gorgias/":    "https://proxy.example/gorgias/api/",
		"https://proxy.example/gorgias/api": "https://proxy.example/gorgias/api/",
	} {
		c, err := NewClient("", WithBaseURL(raw))
		require.NoError(t, err, raw)
		assert.Equal(t, want, c.BaseURL(), raw)
	}
}

func TestBothCredentialsAreAnError(t *testing.T) {
	_, err := NewClient("acme", WithBasicAuth("a@b.c", "k"), WithBearerToken("t"))
	require.ErrorIs(t, err, ErrConflictingCredentials)
	_, err = NewClient("acme", WithBearerToken("t"), WithBasicAuth("a@b.c", "k"))
	require.ErrorIs(t, err, ErrConflictingCredentials)
	c, err := NewClient("acme", WithBearerToken("t1"), WithBearerToken("t2"))
	require.NoError(t, err, "the same kind twice: the last one counts")
	assert.Equal(t, "Bearer t2", c.auth.header)
}

// pageOfTickets is a list page of n minimal tickets (ids 1…n) with a next
// cursor.
func pageOfTickets(n int, next string) []byte {
	var b strings.Builder
	b.WriteString(`{"object":"list","data":[`)
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"status":"open"}`, i)
	}
	fmt.Fprintf(&b, `],"meta":{"next_cursor":%q,"prev_cursor":null}}`, next)
	return []byte(b.String())
}
