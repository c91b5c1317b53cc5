package gorgias

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventLog is an Observer that records every event, with the context it
// was given.
type eventLog struct {
	mu     sync.Mutex
	events []any
	ctxs   []context.Context
}

type ctxMark struct{}

func (l *eventLog) add(ctx context.Context, e any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
	l.ctxs = append(l.ctxs, ctx)
}

func (l *eventLog) observer() Observer {
	return Observer{
		CallStart: func(ctx context.Context, info CallStartInfo) context.Context {
			l.add(ctx, info)
			return context.WithValue(ctx, ctxMark{}, "call")
		},
		AttemptStart: func(ctx context.Context, info AttemptStartInfo) { l.add(ctx, info) },
		AttemptDone:  func(ctx context.Context, info AttemptDoneInfo) { l.add(ctx, info) },
		Waited:       func(ctx context.Context, info WaitInfo) { l.add(ctx, info) },
		CallDone:     func(ctx context.Context, info CallDoneInfo) { l.add(ctx, info) },
	}
}

func (l *eventLog) Events() []any {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]any(nil), l.events...)
}

// ctxRecorder is a transport that records the context of each request.
type ctxRecorder struct {
	mu   sync.Mutex
	seen []any
}

func (r *ctxRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen = append(r.seen, req.Context().Value(ctxMark{}))
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// A call that is paced and retried once tells the observer, in order: the
// call, the limiter's wait, the first attempt and its 429, the server's
// Retry-After, the limiter's wait again, the second attempt and its 200,
// and the end of the call with its totals.
func TestObserverEventsOfAPacedRetriedCall(t *testing.T) {
	log := &eventLog{}
	transport := &ctxRecorder{}
	// A bucket of 2 over 2 s: no burst, one request a second; the 429
	// fills the modelled bucket, so the retry waits for the limiter too.
	c, ts := newTestClient(t, sequence(
		respond(http.StatusTooManyRequests, []byte(`{"error":{"msg":"slow down"}}`), "Retry-After", "1"),
		respond(http.StatusOK, []byte(`{"id":7,"name":"vip"}`)),
	), WithRateLimit(2, 2*time.Second), WithObserver(log.observer()),
		WithHTTPClient(&http.Client{Transport: transport}))
	start := clockOf(c).now()

	tag, err := c.Tags.Get(context.Background(), 7)
	require.NoError(t, err)
	assert.Equal(t, int64(7), tag.ID)

	u, err := url.Parse(ts.URL)
	require.NoError(t, err)
	port, err := strconv.Atoi(u.Port())
	require.NoError(t, err)
	at := func(d time.Duration) time.Time { return start.Add(d) }
	want := []any{
		CallStartInfo{Operation: "Tags.Get", Method: http.MethodGet, URLTemplate: "/api/tags/{id}",
			ServerAddress: "127.0.0.1", ServerPort: port, Time: at(0)},
		WaitInfo{Cause: WaitRateLimiter, Attempt: 1, Start: at(0)},
		AttemptStartInfo{Attempt: 1, Time: at(0)},
		AttemptDoneInfo{Attempt: 1, StatusCode: 429, RetryAfter: time.Second, Time: at(0)},
		WaitInfo{Cause: WaitRetryAfter, Attempt: 2, Start: at(0), Duration: time.Second},
		WaitInfo{Cause: WaitRateLimiter, Attempt: 2, Start: at(time.Second), Duration: time.Second},
		AttemptStartInfo{Attempt: 2, Time: at(2 * time.Second)},
		AttemptDoneInfo{Attempt: 2, StatusCode: 200, Time: at(2 * time.Second)},
		CallDoneInfo{StatusCode: 200, Attempts: 2, LimiterWait: time.Second, RetryWait: time.Second,
			Time: at(2 * time.Second), Duration: 2 * time.Second},
	}
	assert.Equal(t, want, log.Events())

	// Every event after CallStart gets the context it returned, and so
	// does every attempt's request.
	for i, ctx := range log.ctxs[1:] {
		assert.Equal(t, "call", ctx.Value(ctxMark{}), "event %d", i+1)
	}
	assert.Equal(t, []any{"call", "call"}, transport.seen)
	assert.Len(t, ts.Requests(), 2)
}

// Backoff waits are told apart from Retry-After waits, a failed call ends
// with its error and status, and no pacing means no limiter event.
func TestObserverBackoffAndFailure(t *testing.T) {
	log := &eventLog{}
	c, _ := newTestClient(t, respond(http.StatusBadGateway, nil), WithoutRateLimit(),
		WithRetryPolicy(1, time.Millisecond, time.Millisecond), WithObserver(log.observer()))

	err := c.Tickets.Delete(context.Background(), 3)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)

	events := log.Events()
	require.Len(t, events, 7)
	assert.Equal(t, "Tickets.Delete", events[0].(CallStartInfo).Operation)
	assert.Equal(t, AttemptDoneInfo{Attempt: 1, StatusCode: 502, Time: events[2].(AttemptDoneInfo).Time}, events[2])
	assert.Equal(t, WaitBackoff, events[3].(WaitInfo).Cause)
	slept := clockOf(c).Sleeps()
	require.Len(t, slept, 1)
	assert.Equal(t, slept[0], events[3].(WaitInfo).Duration)
	done := events[6].(CallDoneInfo)
	assert.Equal(t, 502, done.StatusCode)
	assert.Equal(t, 2, done.Attempts)
	assert.Equal(t, err, done.Err, "CallDone gets the error the call returns")
	assert.Equal(t, slept[0], done.RetryWait)
	assert.Zero(t, done.LimiterWait)
}

// A connection failure reaches AttemptDone without net/http's URL (which
// carries the query), and CallDone with the call's own error.
func TestObserverTransportFailureHasNoURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	log := &eventLog{}
	c, err := NewClient("", withClock(newTestClock()), WithBaseURL("http://"+ln.Addr().String()),
		WithRetryPolicy(0, 0, 0), WithObserver(log.observer()))
	require.NoError(t, err)

	err = c.Do(context.Background(), http.MethodGet, "/api/customers?email=marie%40example.com", nil, nil)
	require.Error(t, err)
	events := log.Events()
	require.Len(t, events, 5)
	assert.Equal(t, "/api/customers", events[0].(CallStartInfo).URLTemplate)
	attempt := events[3].(AttemptDoneInfo)
	require.Error(t, attempt.Err)
	assert.Zero(t, attempt.StatusCode)
	assert.NotContains(t, attempt.Err.Error(), "marie")
	assert.NotContains(t, attempt.Err.Error(), "customers")
	assert.Equal(t, err, events[4].(CallDoneInfo).Err)
}

// The template keeps the words of the path and replaces ids (and anything
// else) by {id}; the query never reaches it.
func TestObserverOperationsAndTemplates(t *testing.T) {
	log := &eventLog{}
	c, _ := newTestClient(t, respond(http.StatusOK, []byte(`{"id":1,"data":[],"meta":{}}`)), WithObserver(log.observer()))
	ctx := context.Background()
	_, _ = c.Tickets.Get(ctx, 12, nil)
	_, _ = c.Messages.Get(ctx, 12, 34)
	_, _ = c.Tags.List(ctx, &ListTagsOptions{Search: "vip"})
	_, _ = c.Tickets.ListCustomFields(ctx, 12)
	_, _ = c.Voice.ListCalls(ctx, nil)
	_ = c.Tickets.AddTags(ctx, 12, &TicketTagsRequest{Names: []string{"a"}})
	_ = c.Do(ctx, http.MethodGet, "/api/customers/marie%40example.com/x1?email=a", nil, nil)
	_, _ = List[Tag](ctx, c, "/api/views/5/items", nil)
	var got []string
	for _, e := range log.Events() {
		if s, ok := e.(CallStartInfo); ok {
			got = append(got, s.Operation+" "+s.Method+" "+s.URLTemplate)
		}
	}
	assert.Equal(t, []string{
		"Tickets.Get GET /api/tickets/{id}",
		"Messages.Get GET /api/tickets/{id}/messages/{id}",
		"Tags.List GET /api/tags",
		"Tickets.ListCustomFields GET /api/tickets/{id}/custom-fields",
		"Voice.ListCalls GET /api/phone/voice-calls",
		"Tickets.AddTags POST /api/tickets/{id}/tags",
		"Client.Do GET /api/customers/{id}/{id}",
		"gorgias.List GET /api/views/{id}/items",
	}, got)
}

// Every request the SDK builds names its operation, so no call reaches an
// observer unnamed.
func TestEveryRequestNamesItsOperation(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	literals := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "request" {
				return true
			}
			literals++
			named := false
			for _, elt := range lit.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "op" {
						named = true
					}
				}
			}
			assert.True(t, named, "%s: a request without op", fset.Position(lit.Pos()))
			return true
		})
	}
	assert.Greater(t, literals, 20, "the scan found the requests")
}

// No event carries a credential: not the API key, not the Authorization
// header, not the email.
func TestObserverEventsHoldNoCredential(t *testing.T) {
	log := &eventLog{}
	c, _ := newTestClient(t, sequence(
		respond(http.StatusTooManyRequests, nil, "Retry-After", "1"),
		respond(http.StatusUnauthorized, []byte(`{"error":{"msg":"bad key"}}`)),
	), WithObserver(log.observer()))
	_, err := c.Tags.Get(context.Background(), 1)
	require.Error(t, err)
	header := base64.StdEncoding.EncodeToString([]byte("agent@acme.example:s3cr3t-api-key"))
	events := log.Events()
	require.NotEmpty(t, events)
	for _, e := range events {
		s := fmt.Sprintf("%+v %#v", e, e)
		for _, secret := range []string{"s3cr3t-api-key", header, "agent@acme.example"} {
			assert.NotContains(t, s, secret)
		}
	}
}

// Observers given twice are told in order, each CallStart getting the
// context the one before returned; an empty Observer is dropped.
func TestObserversChain(t *testing.T) {
	var order []string
	type key struct{}
	first := Observer{CallStart: func(ctx context.Context, _ CallStartInfo) context.Context {
		order = append(order, "first")
		return context.WithValue(ctx, key{}, "first")
	}}
	second := Observer{
		CallStart: func(ctx context.Context, _ CallStartInfo) context.Context {
			order = append(order, "second saw "+fmt.Sprint(ctx.Value(key{})))
			return nil // nil keeps the context
		},
		CallDone: func(ctx context.Context, _ CallDoneInfo) {
			order = append(order, "done saw "+fmt.Sprint(ctx.Value(key{})))
		},
	}
	c, _ := newTestClient(t, respond(http.StatusOK, []byte(`{"id":1}`)),
		WithObserver(first), WithObserver(Observer{}), WithObserver(second))
	assert.Len(t, c.observers.list, 2)
	_, err := c.Tags.Get(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, []string{"first", "second saw first", "done saw first"}, order)
}

// An observer that panics in every event does not break the call: its
// panics are recovered and logged, the call returns what it would have,
// and the observers after it are still told.
func TestObserverPanicDoesNotBreakTheCall(t *testing.T) {
	boom := func() { panic("observer bug") }
	panicky := Observer{
		CallStart:    func(context.Context, CallStartInfo) context.Context { boom(); return nil },
		AttemptStart: func(context.Context, AttemptStartInfo) { boom() },
		AttemptDone:  func(context.Context, AttemptDoneInfo) { boom() },
		Waited:       func(context.Context, WaitInfo) { boom() },
		CallDone:     func(context.Context, CallDoneInfo) { boom() },
	}
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	log := &eventLog{}
	c, _ := newTestClient(t, sequence(
		respond(http.StatusServiceUnavailable, nil, "Retry-After", "1"),
		respond(http.StatusOK, []byte(`{"id":9,"name":"vip"}`)),
	), WithLogger(logger), WithObserver(panicky), WithObserver(log.observer()))

	tag, err := c.Tags.Get(context.Background(), 9)
	require.NoError(t, err)
	assert.Equal(t, int64(9), tag.ID)
	assert.Len(t, log.Events(), 9, "the second observer saw the whole call")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 9, strings.Count(logs.String(), "gorgias: an observer panicked"), logs.String())
	assert.Contains(t, logs.String(), "event=AttemptDone")
	assert.Contains(t, logs.String(), `panic="observer bug"`)
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Without an observer, a call allocates exactly what it does with the
// hook compiled out: an Observer with no function is dropped, and the
// no-observer path allocates less than the observed one (the measure can
// tell them apart). BenchmarkTagsGetObserver gives the time ratio.
func TestNoObserverNoAllocation(t *testing.T) {
	allocs := func(opts ...Option) float64 {
		c, _ := newTestClient(t, respond(http.StatusOK, []byte(`{"id":1,"name":"vip"}`)),
			append([]Option{WithoutRateLimit()}, opts...)...)
		ctx := context.Background()
		return testing.AllocsPerRun(50, func() {
			if _, err := c.Tags.Get(ctx, 1); err != nil {
				t.Fatal(err)
			}
		})
	}
	none := allocs()
	empty := allocs(WithObserver(Observer{}))
	observed := allocs(WithObserver((&eventLog{}).observer()))
	t.Logf("allocs per Tags.Get: no observer %.0f, empty observer %.0f, observer %.0f", none, empty, observed)
	// The server's allocations in the same process vary by one or two.
	assert.InDelta(t, none, empty, 2)
	assert.Greater(t, observed, none+2)
}

// BenchmarkTagsGetObserver is BenchmarkTagsGet (one small call over an
// in-process transport) without an observer and with one whose every
// function does nothing: the hook's own cost.
func BenchmarkTagsGetObserver(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []Option
	}{
		{"none", nil},
		{"observer", []Option{WithObserver(Observer{
			CallStart:    func(ctx context.Context, _ CallStartInfo) context.Context { return ctx },
			AttemptStart: func(context.Context, AttemptStartInfo) {},
			AttemptDone:  func(context.Context, AttemptDoneInfo) {},
			Waited:       func(context.Context, WaitInfo) {},
			CallDone:     func(context.Context, CallDoneInfo) {},
		})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			opts := append([]Option{WithBasicAuth("agent@acme.example", "key"), WithoutRateLimit(),
				WithHTTPClient(&http.Client{Transport: inProcess{fixture(b, "tag.json")}})}, bc.opts...)
			c, err := NewClient("acme", opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Tags.Get(ctx, 1812925); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
