package gorgias

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// call is the state of one API call across its attempts. It is the
// request's context, so the one retryablehttp.Client of a Client serves
// every call: the retry policy, the waits and the logging find it there.
// It is allocated once a call, with the request wrapper and the trace it
// needs inside.
type call struct {
	// Context is the caller's context, which the call answers for but
	// under callKey; the trace is attached on top of it (see start).
	context.Context
	client     *Client
	method     string
	path       string // "/api/…", for logs and errors; never the query
	maxRetries int

	attempt      int
	attemptStart time.Time
	// wrote is set once any byte of the current attempt may have reached
	// the server; a POST is then never sent again.
	wrote atomic.Bool
	// dialed is set once the current attempt asked the transport for a
	// connection: before that, a failure happened on this machine.
	dialed atomic.Bool
	// wait is the delay the policy chose before the next attempt.
	wait time.Duration
	// paced is set while a limiter wait has been granted and its attempt
	// not yet observed.
	paced bool
	// limiterWait sums the time spent waiting for the limiter.
	limiterWait time.Duration
	// last is the last answer (its status and headers; its body is
	// another's to read or close), nil before any.
	last *http.Response
	// obs tells the client's observers what the call does; nil without.
	obs *callObs

	// req is the request retryablehttp sends; trace records what each
	// attempt did.
	req   retryablehttp.Request
	trace httptrace.ClientTrace
}

type callKey struct{}

// Value returns the call itself under callKey, and the caller's values
// under every other key.
func (cl *call) Value(key any) any {
	if key == (callKey{}) {
		return cl
	}
	return cl.Context.Value(key)
}

// callFrom returns the call a request belongs to.
func callFrom(ctx context.Context) *call {
	cl, _ := ctx.Value(callKey{}).(*call)
	return cl
}

// start makes cl the context of its requests, under ctx, with a trace
// recording what each attempt did, and returns that context. The trace
// holds the hooks the policy reads, and only those (each costs an
// allocation a call): whether any byte may have been written matters to a
// write, or to a call whose caller asked (watchWrites), never to the
// retry of an idempotent request; whether a connection was asked for
// matters only with an *http.Transport, whose failures before that are
// local. Without either, the context is cl alone.
func (cl *call) start(ctx context.Context, watchWrites bool) context.Context {
	cl.Context = ctx
	watchWrites = watchWrites || !cl.idempotent()
	if !watchWrites && !cl.client.standardTransport {
		return cl
	}
	if cl.client.standardTransport {
		cl.trace.GetConn = cl.markDialed
	}
	if watchWrites {
		cl.trace.WroteHeaderField = cl.markWroteField
		cl.trace.WroteHeaders = cl.markWrote
	}
	return httptrace.WithClientTrace(cl, &cl.trace)
}

func (cl *call) markDialed(string)                                        { cl.dialed.Store(true) }
func (cl *call) markWroteField(string, []string)                          { cl.wrote.Store(true) }
func (cl *call) markWrote()                                               { cl.wrote.Store(true) }
func noBackoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 0 }

// newRetryClient builds the client's one retryablehttp.Client. Its
// hooks find the call in the request's context; the waits between
// attempts happen in prepareRetry, through the client's clock.
func newRetryClient(c *Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:     c.httpClient,
		RetryMax:       math.MaxInt32, // each call enforces its own limit in checkRetry
		RequestLogHook: beforeAttempt,
		CheckRetry:     checkRetry,
		Backoff:        noBackoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		PrepareRetry:   prepareRetry,
	}
}

// pace waits for the rate limiter before an attempt. Waiting outside
// http.Client.Do keeps the wait from counting against the HTTP client's
// timeout.
func (cl *call) pace(ctx context.Context) error {
	l := cl.client.limiter
	if l == nil {
		return nil
	}
	start := cl.client.clock.now()
	err := l.Wait(ctx)
	end := cl.client.clock.now()
	cl.limiterWait += end.Sub(start)
	cl.paced = err == nil
	if cl.obs != nil {
		cl.obs.limiterWaited(cl, start, end, err)
	}
	return err
}

// observe tells the limiter what an attempt learned.
func (cl *call) observe(resp *http.Response) {
	if !cl.paced {
		return
	}
	cl.paced = false
	o := observation(cl.client.clock.now(), resp)
	o.Sent = cl.attemptStart
	cl.client.limiter.Observe(o)
}

// observation reads an answer's rate-limit headers, bounded.
func observation(at time.Time, resp *http.Response) Observation {
	o := Observation{At: at}
	if resp == nil {
		return o
	}
	o.Status = resp.StatusCode
	if used, limit, ok := parseCallLimit(resp.Header.Get("X-Gorgias-Account-Api-Call-Limit")); ok {
		o.Used, o.Limit = used, limit
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		o.RetryAfter, _ = parseRetryAfter(resp.Header.Get("Retry-After"), at)
	}
	return o
}

// prepareRetry waits the delay checkRetry chose, then for the limiter.
func prepareRetry(req *http.Request) error {
	cl := callFrom(req.Context())
	start := cl.client.clock.now()
	err := cl.client.clock.sleep(req.Context(), cl.wait)
	if cl.obs != nil {
		cl.obs.retryWaited(cl, start, err)
	}
	if err != nil {
		return err
	}
	return cl.pace(req.Context())
}

func beforeAttempt(_ retryablehttp.Logger, req *http.Request, _ int) {
	cl := callFrom(req.Context())
	cl.attempt++
	cl.wrote.Store(false)
	cl.dialed.Store(false)
	cl.attemptStart = cl.client.clock.now()
	if cl.obs != nil {
		cl.obs.attemptStart(cl)
	}
}

// idempotent reports whether sending the request twice is harmless.
func (cl *call) idempotent() bool {
	switch cl.method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// checkRetry decides after each attempt whether to try again.
//
//   - GET, PUT and DELETE retry on connection errors, 429, 500, 502, 503, 504.
//   - POST retries only on 429, and on connection errors raised before any
//     byte of the request was written: Gorgias has no idempotency keys, so a
//     POST that may have reached the server is never sent twice.
//   - Failures that another attempt cannot fix are not retried: a bad
//     certificate, a host that does not exist, and anything that failed on
//     this machine before a connection was asked for.
//   - A wait that would outlive the context's deadline is not started: the
//     call fails at once with an error wrapping the last failure and
//     context.DeadlineExceeded.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	cl := callFrom(ctx)
	cl.log(resp, err)
	cl.observe(resp)
	if cl.obs != nil {
		cl.obs.attemptDone(cl, resp, err)
	}
	if resp != nil {
		cl.last = resp
	}
	if ctx.Err() != nil {
		return false, nil //nolint:nilerr // stop retrying: retryablehttp returns the context's error itself
	}
	if !cl.retryable(resp, err) || cl.attempt > cl.maxRetries {
		return false, nil
	}
	cl.wait = cl.nextWait(resp)
	if deadline, ok := ctx.Deadline(); ok && cl.client.clock.now().Add(cl.wait).After(deadline) {
		return false, cl.deadlineError(resp, err)
	}
	cl.client.logger.LogAttrs(ctx, slog.LevelInfo, "gorgias: retrying",
		slog.String("method", cl.method), slog.String("path", cl.path),
		slog.Int("attempt", cl.attempt), slog.Duration("wait", cl.wait))
	return true, nil
}

func (cl *call) retryable(resp *http.Response, err error) bool {
	if err != nil {
		if permanentTransportError(err) || (!cl.dialed.Load() && cl.client.standardTransport) {
			return false
		}
		return cl.idempotent() || !cl.wrote.Load()
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return cl.idempotent()
	}
	return false
}

// permanentTransportError spots errors that another attempt cannot fix:
// a certificate that does not verify, and a host name that does not
// exist.
func permanentTransportError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	var dnsErr *net.DNSError
	return errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidErr) || errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// nextWait is the answer's Retry-After (on a 429 or 503 that has one, at
// most MaxRetryAfter), else exponential backoff from minWait, doubling per
// attempt, capped at maxWait, with jitter in [wait/2, wait].
func (cl *call) nextWait(resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), cl.client.clock.now()); ok {
			return d
		}
	}
	minWait, maxWait := cl.client.minWait, cl.client.maxWait
	wait := minWait
	for i := 1; i < cl.attempt && wait < maxWait; i++ {
		wait *= 2
	}
	if wait > maxWait {
		wait = maxWait
	}
	if half := wait / 2; half > 0 {
		wait = half + rand.N(half+1)
	}
	return wait
}

// deadlineError reports that the next attempt could not happen before the
// context's deadline. It wraps the last failure (an *Error for an HTTP
// answer) and context.DeadlineExceeded.
func (cl *call) deadlineError(resp *http.Response, err error) error {
	var last error
	if resp != nil {
		last = newError(cl.method, cl.path, resp)
		closeBody(resp.Body)
	} else {
		last = cl.transportError(err)
	}
	return namedError{fmt.Errorf("%w; not retrying: the wait of %s would pass the context deadline (%w)",
		last, cl.wait.Round(time.Millisecond), context.DeadlineExceeded)}
}

// namedError carries an error that already names its call, through
// retryablehttp, so send does not name the call a second time.
type namedError struct{ error }

// transportError wraps a failure that got no answer. The method and URL
// that net/http puts in front of it are dropped: the error names the
// call once, as "gorgias: GET /api/tickets: …".
func (cl *call) transportError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var hint string
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		hint = fmt.Sprintf(" (%s does not resolve: check the account name)", cl.client.baseURL.Hostname())
	}
	if cl.attempt > 1 {
		hint += " after " + strconv.Itoa(cl.attempt) + " attempts"
	}
	return fmt.Errorf("gorgias: %s %s: %w%s", cl.method, cl.path, err, hint)
}

func (cl *call) log(resp *http.Response, err error) {
	logger := cl.client.logger
	if !logger.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", cl.method),
		slog.String("path", cl.path),
		slog.Int("attempt", cl.attempt),
		slog.Duration("duration", cl.client.clock.now().Sub(cl.attemptStart)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode),
			slog.String("request_id", resp.Header.Get("X-Request-Id")))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	logger.LogAttrs(context.Background(), slog.LevelDebug, "gorgias: request", attrs...)
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date
// (measured from now). The wait is at most MaxRetryAfter.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil {
		if secs > uint64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	} else if errors.Is(err, strconv.ErrRange) {
		return MaxRetryAfter, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), MaxRetryAfter), true
	}
	return 0, false
}
