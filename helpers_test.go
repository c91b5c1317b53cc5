package gorgias

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// LongTests turns on the tests that run for seconds to measure what the
// SDK achieves (pacing against real buckets, the heap of a 100,000-ticket
// walk); CI runs them once, with -long. Exported for the package's
// external tests.
var LongTests = flag.Bool("long", false, "run the long measuring tests (pacing targets, a 100k walk's heap)")

// recordedRequest is what a test server received.
type recordedRequest struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}

// JSON decodes the recorded body into a generic value, for comparisons
// with require.JSONEq or map lookups.
func (r recordedRequest) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

// testServer is an httptest server that records every request and answers
// with handler.
type testServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recordedRequest
}

// Requests returns what the server received so far.
func (s *testServer) Requests() []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recordedRequest(nil), s.requests...)
}

// testClock is a fake clock. sleep returns at once, moves the time on by
// the duration asked and records it, so tests check the waits the client
// asked for instead of measuring elapsed time. onSleep, when set, runs in
// each sleep before the context is checked (to cancel a wait, say).
type testClock struct {
	mu      sync.Mutex
	t       time.Time
	sleeps  []time.Duration
	onSleep func(d time.Duration)
}

func newTestClock() *testClock { return &testClock{t: time.Now()} }

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func (c *testClock) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	hook := c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(d)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

// Sleeps returns the waits asked of the clock so far.
func (c *testClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// clockOf returns the fake clock of a client made by newTestClient.
func clockOf(c *Client) *testClock { return c.clock.(*testClock) }

// newTestClient starts a recording server answering with handler, and a
// client pointed at it with Basic auth, a fake clock (no wait really
// sleeps) and retries waiting 1–5 ms.
func newTestClient(t *testing.T, handler http.HandlerFunc, opts ...Option) (*Client, *testServer) {
	t.Helper()
	ts := &testServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts.mu.Lock()
		ts.requests = append(ts.requests, recordedRequest{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body,
		})
		ts.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		handler(w, r)
	}))
	t.Cleanup(ts.Close)
	base := []Option{
		withClock(newTestClock()),
		WithBaseURL(ts.URL),
		WithRetryPolicy(3, time.Millisecond, 5*time.Millisecond),
	}
	basic := WithBasicAuth("agent@acme.example", "s3cr3t-api-key")
	c, err := NewClient("", append(append(base[:len(base):len(base)], basic), opts...)...)
	if errors.Is(err, ErrConflictingCredentials) { // opts bring a bearer token
		c, err = NewClient("", append(base, opts...)...)
	}
	require.NoError(t, err)
	return c, ts
}

// fixture reads testdata/name (copies of ../shared/fixtures).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

// respond answers every request with status, body and header pairs
// ("Name", "value", …).
func respond(status int, body []byte, headerPairs ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headerPairs); i += 2 {
			w.Header().Set(headerPairs[i], headerPairs[i+1])
		}
		if len(body) > 0 && w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

// sequence answers the n-th request with handlers[n], repeating the last.
func sequence(handlers ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := handlers[min(n, len(handlers)-1)]
		n++
		mu.Unlock()
		h(w, r)
	}
}

// requireNoRequest asserts that bad input was rejected before sending.
func requireNoRequest(t *testing.T, ts *testServer, err error) {
	t.Helper()
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	require.Empty(t, ts.Requests(), "a request was sent despite invalid input")
}

// assertRoundTrip decodes fixture into a value of type T, encodes it again
// and checks no documented field was lost: every non-empty value of the
// original is in the re-encoded JSON, with datetimes compared as instants.
func assertRoundTrip[T any](t *testing.T, name string) {
	t.Helper()
	data := fixture(t, name)
	var v T
	require.NoError(t, json.Unmarshal(data, &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	var want, got any
	require.NoError(t, json.Unmarshal(data, &want))
	require.NoError(t, json.Unmarshal(out, &got))
	assertSubset(t, "$", want, got)
}

func assertSubset(t *testing.T, path string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if len(w) > 0 {
				t.Errorf("%s: want object %v, got %v", path, w, got)
			}
			return
		}
		for k, wv := range w {
			if path == "$" && (k == "uri" || k == "object") && w["object"] == "list" {
				continue // the list envelope's own metadata, not an item field
			}
			assertSubset(t, path+"."+k, wv, g[k])
		}
	case []any:
		g, _ := got.([]any)
		if len(w) != len(g) {
			t.Errorf("%s: want %d items, got %d", path, len(w), len(g))
			return
		}
		for i := range w {
			assertSubset(t, path+"["+itoa(i)+"]", w[i], g[i])
		}
	case string:
		if g, ok := got.(string); ok && g != w {
			wt, err1 := ParseTime(w)
			gt, err2 := ParseTime(g)
			if err1 == nil && err2 == nil && wt.Equal(gt.Time) {
				return
			}
		}
		if got != want {
			t.Errorf("%s: want %q, got %v", path, w, got)
		}
	case nil:
		// null may come back as null or be left out
	default:
		if got != want {
			t.Errorf("%s: want %v, got %v", path, want, got)
		}
	}
}

// requireGoroutinesBack waits up to 2 s for the goroutine count to fall
// back to before (polling by hand: require.Eventually runs goroutines of
// its own).
func requireGoroutinesBack(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

// opCase is one operation checked end to end: what the client sends and
// what it makes of the answer.
type opCase struct {
	name    string
	call    func(c *Client) (any, error)
	status  int    // of the answer; 200 when zero
	fixture string // the answer's body, from testdata; none when empty
	method  string
	path    string
	query   string // the expected encoded query, "" for none
	body    string // the expected JSON body, "" for none
	check   func(t *testing.T, result any)
}

// runOpCases runs every case through gock, which stands in for
// https://acme.gorgias.com at the transport: the mock answers the case's
// method and path with its fixture, records the request, and the case's
// query, headers and body are checked against what the SDK sent.
func runOpCases(t *testing.T, cases []opCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status := tc.status
			if status == 0 {
				status = 200
			}
			var body []byte
			if tc.fixture != "" {
				body = fixture(t, tc.fixture)
			}
			c, sent := newGockClient(t, tc.method, tc.path, status, body)
			result, err := tc.call(c)
			require.NoError(t, err)
			require.True(t, gock.IsDone(), "the SDK sent %s %s", tc.method, tc.path)
			reqs := sent()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, tc.path, r.Path)
			assert.Equal(t, tc.query, r.Query.Encode())
			assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "Basic "), "credentials are sent")
			assert.Equal(t, "application/json", r.Header.Get("Accept"))
			if tc.body == "" {
				assert.Empty(t, r.Body)
				assert.Empty(t, r.Header.Get("Content-Type"))
			} else {
				assert.JSONEq(t, tc.body, string(r.Body))
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			}
			if tc.check != nil {
				tc.check(t, result)
			}
		})
	}
}

// newGockClient returns a client for https://acme.gorgias.com whose
// requests gock intercepts: one mock answers method and path with status
// and body. sent returns the requests the mock received.
func newGockClient(t *testing.T, method, path string, status int, body []byte) (*Client, func() []recordedRequest) {
	t.Helper()
	t.Cleanup(gock.Off)
	hc := &http.Client{}
	gock.InterceptClient(hc)
	var mu sync.Mutex
	var sent []recordedRequest
	record := func(r *http.Request, _ *gock.Request) (bool, error) {
		var b []byte
		if r.Body != nil {
			var err error
			if b, err = io.ReadAll(r.Body); err != nil {
				return false, err
			}
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		mu.Lock()
		sent = append(sent, recordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: b})
		mu.Unlock()
		return true, nil
	}
	mock := gock.New("https://acme.gorgias.com")
	mock.Method = method
	mock.Path("^" + regexp.QuoteMeta(path) + "$").AddMatcher(record)
	reply := mock.Reply(status)
	if len(body) > 0 {
		reply.SetHeader("Content-Type", "application/json").Body(bytes.NewReader(body))
	}
	c, err := NewClient("acme", withClock(newTestClock()), WithBasicAuth("agent@acme.example", "s3cr3t-api-key"),
		WithHTTPClient(hc), WithRetryPolicy(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	return c, func() []recordedRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]recordedRequest(nil), sent...)
	}
}

// errorPathCases checks that call turns a 404 into ErrNotFound and a 400
// into an *Error with its field errors, each after a single request.
func checkErrorPaths(t *testing.T, call func(c *Client) error) {
	t.Helper()
	c, ts := newTestClient(t, respond(404, fixture(t, "error_404.json")))
	require.ErrorIs(t, call(c), ErrNotFound)
	assert.Len(t, ts.Requests(), 1)

	c, ts = newTestClient(t, respond(400, fixture(t, "error_400.json")))
	err := call(c)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Equal(t, []string{"Missing data for required field."}, apiErr.Fields["channel"])
	assert.Len(t, ts.Requests(), 1)
}

// checkRejected calls each bad call and checks it fails validation,
// naming the field before " | " in its name, without sending anything.
func checkRejected(t *testing.T, calls map[string]func(c *Client) error) {
	t.Helper()
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			field, _, ok := strings.Cut(name, " | ")
			require.True(t, ok, "name the field the error must report: \"field | description\"")
			c, ts := newTestClient(t, respond(200, nil))
			err := call(c)
			var verr *ValidationError
			require.ErrorAs(t, err, &verr)
			assert.Contains(t, problemFields(verr), field, "the problem named: %v", err)
			require.Empty(t, ts.Requests(), "a request was sent despite invalid input")
		})
	}
}
