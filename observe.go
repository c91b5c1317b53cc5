package gorgias

// The observer hook: what telemetry (traces, metrics, logs) sees of each
// call. The transport calls into it at a handful of points (Client.do,
// call.pace, beforeAttempt, checkRetry, prepareRetry), each guarded by a
// nil check, so a client without an observer pays nothing.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Observer receives the events of the calls a client makes: one call per
// method (a page, for the list walks), its attempts, and the waits between
// them. It is the hook for telemetry of any kind; the
// github.com/go-gorgias/gorgias/otel module builds an OpenTelemetry one.
// Set it with WithObserver.
//
// Every field is optional: a nil function is skipped. For one call the
// functions are called in order, from the goroutine that made the call:
//
//	CallStart
//	  Waited (WaitRateLimiter)    before each attempt, when pacing is on
//	  AttemptStart, AttemptDone   once per attempt
//	  Waited (WaitRetryAfter or WaitBackoff), then the limiter's, before a retry
//	CallDone
//
// Calls of one client run concurrently, so the functions must be safe for
// concurrent use; to keep state per call, put it in the context CallStart
// returns. Events carry no header, body or credential: the URL is a
// template without ids or query ("/api/tickets/{id}"), the server is a
// host name. A call refused before anything is sent (a
// *ValidationError) has no events.
//
// A panic in an observer function is recovered and logged (error level,
// through WithLogger's logger): the event is lost, the call goes on
// unchanged.
type Observer struct {
	// CallStart is called as a call starts. The context it returns becomes
	// the call's: the later events of the call get it, and every attempt's
	// *http.Request carries it, so a span it holds is the parent of the
	// transport's own spans (an otelhttp transport). Return ctx to keep it.
	CallStart func(ctx context.Context, info CallStartInfo) context.Context
	// AttemptStart is called as an attempt is handed to the HTTP client.
	AttemptStart func(ctx context.Context, info AttemptStartInfo)
	// AttemptDone is called when an attempt has an answer or has failed,
	// before the client decides whether to retry.
	AttemptDone func(ctx context.Context, info AttemptDoneInfo)
	// Waited is called after each wait of the call: the rate limiter's
	// before an attempt, and the retry's (Retry-After or backoff) before
	// another one.
	Waited func(ctx context.Context, info WaitInfo)
	// CallDone is called when the call returns, with the error it returns.
	CallDone func(ctx context.Context, info CallDoneInfo)
}

// CallStartInfo describes a call as it starts.
type CallStartInfo struct {
	// Operation is the SDK method, as "Tickets.List" or "Messages.Create";
	// "Client.Do" and "gorgias.List" for the raw calls.
	Operation string
	// Method is the HTTP method.
	Method string
	// URLTemplate is the path with its ids (and every segment that is not a
	// plain word: letters, '-' and '_') replaced by "{id}", and no query:
	// "/api/tickets/{id}/messages/{id}".
	URLTemplate string
	// ServerAddress and ServerPort are the API's host and port.
	ServerAddress string
	ServerPort    int
	// Time is when the call started, by the client's clock.
	Time time.Time
}

// AttemptStartInfo describes an attempt as it starts.
type AttemptStartInfo struct {
	// Attempt counts the call's attempts from 1.
	Attempt int
	// Time is when the attempt started, by the client's clock.
	Time time.Time
}

// AttemptDoneInfo describes how an attempt ended.
type AttemptDoneInfo struct {
	// Attempt counts the call's attempts from 1.
	Attempt int
	// StatusCode is the answer's HTTP status, 0 when none arrived.
	StatusCode int
	// Err is why no answer arrived (a connection failure, the context
	// ending), nil when one did.
	Err error
	// RetryAfter is the wait a 429 or 503 asked for with Retry-After (at
	// most MaxRetryAfter), which the client honours if it retries; 0 when
	// the answer did not ask.
	RetryAfter time.Duration
	// Time is when the attempt ended and Duration how long it took, by the
	// client's clock.
	Time     time.Time
	Duration time.Duration
}

// WaitCause says who made a call wait.
type WaitCause int

const (
	// WaitRateLimiter is the client's Limiter pacing an attempt.
	WaitRateLimiter WaitCause = iota + 1
	// WaitRetryAfter is the server's Retry-After, before a retry.
	WaitRetryAfter
	// WaitBackoff is the exponential backoff before a retry.
	WaitBackoff
)

// String names the cause: "rate_limiter", "retry_after" or "backoff".
func (c WaitCause) String() string {
	switch c {
	case WaitRateLimiter:
		return "rate_limiter"
	case WaitRetryAfter:
		return "retry_after"
	case WaitBackoff:
		return "backoff"
	}
	return "WaitCause(" + strconv.Itoa(int(c)) + ")"
}

// WaitInfo describes one wait of a call, after it ended.
type WaitInfo struct {
	// Cause says who made the call wait.
	Cause WaitCause
	// Attempt is the number of the attempt the wait came before.
	Attempt int
	// Start is when the wait began and Duration how long it lasted, by the
	// client's clock.
	Start    time.Time
	Duration time.Duration
	// Err is why the wait ended early (the context ended, the limiter
	// refused), nil when it ran its course.
	Err error
}

// CallDoneInfo describes a call as it returns.
type CallDoneInfo struct {
	// StatusCode is the status of the last answer, 0 when none arrived.
	StatusCode int
	// Err is the error the call returns: an *Error for a non-2xx answer.
	Err error
	// Attempts is the number of attempts sent (0 when the call failed
	// before the first, waiting for the limiter).
	Attempts int
	// LimiterWait is the time spent waiting for the rate limiter and
	// RetryWait the time spent waiting between attempts (Retry-After and
	// backoff).
	LimiterWait, RetryWait time.Duration
	// Time is when the call ended and Duration how long it took, waits
	// included, by the client's clock.
	Time     time.Time
	Duration time.Duration
}

// WithObserver has o told of every call the client makes (see Observer).
// Given several times, the observers are told in the order given; each
// CallStart gets the context the previous one returned.
func WithObserver(o Observer) Option {
	return func(c *Client) error {
		if o.CallStart == nil && o.AttemptStart == nil && o.AttemptDone == nil && o.Waited == nil && o.CallDone == nil {
			return nil
		}
		if c.observers == nil {
			c.observers = &observers{}
		}
		c.observers.list = append(c.observers.list, o)
		return nil
	}
}

// observers are a client's Observers, in the order given.
type observers struct{ list []Observer }

// callObs is the observation of one call, reached from its call.
type callObs struct {
	client    *Client
	ctx       context.Context // as CallStart returned it
	cl        *call           // set by doCall
	start     time.Time
	retryWait time.Duration
	// retryAfter is the Retry-After of the last answer, when it asked for
	// one: the next retry's wait is then the server's, not a backoff.
	retryAfter time.Duration
}

// observedDo is Client.do for a client with observers.
func (c *Client) observedDo(ctx context.Context, req request, out any) error {
	ob := &callObs{client: c, start: c.clock.now()}
	info := CallStartInfo{
		Operation:     req.op,
		Method:        req.method,
		URLTemplate:   urlTemplate(req.path),
		ServerAddress: c.baseURL.Hostname(),
		ServerPort:    serverPort(c.baseURL),
		Time:          ob.start,
	}
	for _, o := range c.observers.list {
		if o.CallStart != nil {
			ctx = ob.callStart(ctx, o.CallStart, info)
		}
	}
	ob.ctx = ctx
	err := c.doCall(ctx, req, out, ob)
	end := c.clock.now()
	done := CallDoneInfo{Err: err, Time: end, Duration: end.Sub(ob.start), RetryWait: ob.retryWait}
	if cl := ob.cl; cl != nil {
		done.Attempts, done.LimiterWait = cl.attempt, cl.limiterWait
		if cl.last != nil {
			done.StatusCode = cl.last.StatusCode
		}
	}
	for _, o := range c.observers.list {
		if o.CallDone != nil {
			ob.safely("CallDone", func() { o.CallDone(ob.ctx, done) })
		}
	}
	return err
}

// callStart runs one CallStart, keeping ctx when it panics or returns nil.
func (ob *callObs) callStart(ctx context.Context, f func(context.Context, CallStartInfo) context.Context, info CallStartInfo) context.Context {
	next := ctx
	ob.safely("CallStart", func() { next = f(ctx, info) })
	if next == nil {
		return ctx
	}
	return next
}

// safely runs one observer function, recovering a panic.
func (ob *callObs) safely(event string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			ob.client.logger.LogAttrs(context.Background(), slog.LevelError, "gorgias: an observer panicked",
				slog.String("event", event), slog.String("panic", fmt.Sprint(r)))
		}
	}()
	f()
}

func (ob *callObs) attemptStart(cl *call) {
	info := AttemptStartInfo{Attempt: cl.attempt, Time: cl.attemptStart}
	for _, o := range ob.client.observers.list {
		if o.AttemptStart != nil {
			ob.safely("AttemptStart", func() { o.AttemptStart(ob.ctx, info) })
		}
	}
}

func (ob *callObs) attemptDone(cl *call, resp *http.Response, err error) {
	end := cl.client.clock.now()
	info := AttemptDoneInfo{Attempt: cl.attempt, Time: end, Duration: end.Sub(cl.attemptStart)}
	ob.retryAfter = 0
	if resp != nil {
		info.StatusCode = resp.StatusCode
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), end); ok {
				info.RetryAfter, ob.retryAfter = d, d
			}
		}
	}
	if err != nil {
		// net/http's *url.Error prefixes the full URL, query included:
		// keep the cause only.
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		info.Err = err
	}
	for _, o := range ob.client.observers.list {
		if o.AttemptDone != nil {
			ob.safely("AttemptDone", func() { o.AttemptDone(ob.ctx, info) })
		}
	}
}

// retryWaited reports the wait before a retry, which began at start.
func (ob *callObs) retryWaited(cl *call, start time.Time, err error) {
	cause := WaitBackoff
	if ob.retryAfter > 0 && cl.wait == ob.retryAfter {
		cause = WaitRetryAfter
	}
	d := cl.client.clock.now().Sub(start)
	ob.retryWait += d
	ob.waited(WaitInfo{Cause: cause, Attempt: cl.attempt + 1, Start: start, Duration: d, Err: err})
}

// limiterWaited reports a wait for the rate limiter.
func (ob *callObs) limiterWaited(cl *call, start, end time.Time, err error) {
	ob.waited(WaitInfo{Cause: WaitRateLimiter, Attempt: cl.attempt + 1, Start: start, Duration: end.Sub(start), Err: err})
}

func (ob *callObs) waited(info WaitInfo) {
	for _, o := range ob.client.observers.list {
		if o.Waited != nil {
			ob.safely("Waited", func() { o.Waited(ob.ctx, info) })
		}
	}
}

// urlTemplate turns a request's path (relative to /api/, escaped, without
// query) into "/api/…" with every segment that is not a plain word
// (ASCII letters, '-', '_'; or empty) replaced by "{id}".
func urlTemplate(path string) string {
	var b strings.Builder
	b.Grow(len("/api/") + len(path))
	b.WriteString("/api")
	for segment := range strings.SplitSeq(path, "/") {
		b.WriteByte('/')
		if plainWord(segment) {
			b.WriteString(segment)
		} else {
			b.WriteString("{id}")
		}
	}
	return b.String()
}

func plainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b == '-', b == '_':
		default:
			return false
		}
	}
	return true
}

// serverPort is u's port, or the scheme's default.
func serverPort(u *url.URL) int {
	if p, err := strconv.Atoi(u.Port()); err == nil {
		return p
	}
	if u.Scheme == "http" {
		return 80
	}
	return 443
}
