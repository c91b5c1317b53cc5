package gorgias

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// call is the state of one API call across its attempts. The retry policy,
// the backoff and the logging read it, so each call gets its own small
// retryablehttp.Client built around it.
type call struct {
	client *Client
	method string
	path   string // "/api/…", for logs and errors; never the query

	attempt      int
	attemptStart time.Time
	// wrote is set once any byte of the current attempt may have reached
	// the server; a POST is then never sent again.
	wrote atomic.Bool
	// wait is the delay the policy chose before the next attempt.
	wait time.Duration
}

func newCall(c *Client, method, path string) *call {
	return &call{client: c, method: method, path: path}
}

// trace records, per attempt, whether the request started going out.
func (cl *call) trace(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { cl.wrote.Store(true) },
		WroteHeaders:     func() { cl.wrote.Store(true) },
	})
}

func (cl *call) retryClient() *retryablehttp.Client {
	c := cl.client
	return &retryablehttp.Client{
		HTTPClient:     c.httpClient,
		RetryMax:       c.maxRetries,
		RetryWaitMin:   c.minWait,
		RetryWaitMax:   c.maxWait,
		RequestLogHook: cl.beforeAttempt,
		CheckRetry:     cl.checkRetry,
		Backoff:        cl.backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		PrepareRetry:   cl.pace,
	}
}

// pace waits for the rate limiter before a retry. The first attempt waits
// in Client.send. Waiting outside http.Client.Do keeps the wait from
// counting against the HTTP client's timeout.
func (cl *call) pace(req *http.Request) error {
	if cl.client.limiter == nil {
		return nil
	}
	return cl.client.limiter.Wait(req.Context())
}

func (cl *call) beforeAttempt(_ retryablehttp.Logger, _ *http.Request, _ int) {
	cl.attempt++
	cl.wrote.Store(false)
	cl.attemptStart = time.Now()
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
//   - A wait that would outlive the context's deadline is not started: the
//     call fails at once with an error wrapping the last failure and
//     context.DeadlineExceeded.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	cl.log(resp, err)
	if cl.client.limiter != nil {
		cl.client.limiter.Observe(resp)
	}
	if ctx.Err() != nil {
		return false, nil
	}
	if !cl.retryable(resp, err) || cl.attempt > cl.client.maxRetries {
		return false, nil
	}
	cl.wait = cl.nextWait(resp)
	if deadline, ok := ctx.Deadline(); ok && time.Now().Add(cl.wait).After(deadline) {
		return false, cl.deadlineError(resp, err)
	}
	cl.client.logger.LogAttrs(ctx, slog.LevelInfo, "gorgias: retrying",
		slog.String("method", cl.method), slog.String("path", cl.path),
		slog.Int("attempt", cl.attempt), slog.Duration("wait", cl.wait))
	return true, nil
}

func (cl *call) retryable(resp *http.Response, err error) bool {
	if err != nil {
		if permanentTransportError(err) {
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

// permanentTransportError spots errors that another attempt cannot fix.
func permanentTransportError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	return errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr)
}

// nextWait is Retry-After on a 429 that has one, else exponential backoff
// from minWait, doubling per attempt, capped at maxWait, with jitter in
// [wait/2, wait].
func (cl *call) nextWait(resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After")); ok {
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

func (cl *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return cl.wait
}

// deadlineError reports that the next attempt could not happen before the
// context's deadline. It wraps the last failure (an *Error for an HTTP
// answer) and context.DeadlineExceeded.
func (cl *call) deadlineError(resp *http.Response, err error) error {
	last := err
	if resp != nil {
		last = newError(cl.method, cl.path[len("/api/"):], resp)
		closeBody(resp.Body)
	}
	return fmt.Errorf("gorgias: %s %s: not retrying, the wait of %s would pass the context deadline: %w (%w)",
		cl.method, cl.path, cl.wait.Round(time.Millisecond), last, context.DeadlineExceeded)
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
		slog.Duration("duration", time.Since(cl.attemptStart)),
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

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
func parseRetryAfter(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
