// Package otel traces and measures the calls of a gorgias client with
// OpenTelemetry, through the SDK's observer hook (gorgias.WithObserver).
//
//	obs, err := otel.NewObserver() // the global TracerProvider and MeterProvider
//	if err != nil { … }
//	client, err := gorgias.NewClient("acme", gorgias.WithBasicAuth(email, key), gorgias.WithObserver(obs))
//
// Import it under a name of its own beside go.opentelemetry.io/otel, such
// as gorgiasotel.
//
// # Spans
//
// Each SDK call is one span named by its operation ("Tickets.List",
// "Messages.Create"), a child of the span in the call's context, of kind
// internal. Its children are, in order:
//
//   - one client span per HTTP attempt, named "{method} {url.template}"
//     ("GET /api/tickets/{id}"), with http.request.resend_count on retries
//     and gorgias.retry_after when the answer asked to wait;
//   - a "gorgias.rate_limit.wait" span for each wait for the rate limiter
//     that lasted at least the threshold (WithWaitSpanThreshold, 1 ms by
//     default), and a "gorgias.retry.wait" span for each wait before a
//     retry, both with gorgias.wait.cause ("rate_limiter", "retry_after",
//     "backoff") and gorgias.attempt (the attempt the wait came before).
//
// The call and attempt spans carry the stable HTTP semantic conventions:
// http.request.method, url.template (the path with "{id}" for its ids,
// never a query), server.address, server.port, http.response.status_code
// and error.type; the call span adds gorgias.attempts, and
// gorgias.rate_limit.wait and gorgias.retry.wait (the time waited, in
// seconds). A failed call or attempt has status Error and records its
// error. No attribute holds a header, a body or a credential.
//
// # Metrics
//
//   - gorgias.client.call.duration (histogram, s): each call, waits
//     included, by gorgias.operation, http.request.method, server.address,
//     http.response.status_code and error.type;
//   - gorgias.client.rate_limited (counter, {response}): the 429 answers,
//     by gorgias.operation and server.address;
//   - gorgias.client.rate_limit.wait (histogram, s): each wait for the rate
//     limiter, by gorgias.operation and server.address.
//
// Span and metric times come from the client's clock, as the events give
// them.
package otel

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-gorgias/gorgias"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/go-gorgias/gorgias/otel"

// Attribute keys of this package, beside the semantic conventions'.
const (
	// OperationKey names the SDK method, as "Tickets.List" (metrics).
	OperationKey = attribute.Key("gorgias.operation")
	// AttemptsKey is the number of attempts of a call.
	AttemptsKey = attribute.Key("gorgias.attempts")
	// RateLimitWaitKey is the time a call waited for the rate limiter, in
	// seconds.
	RateLimitWaitKey = attribute.Key("gorgias.rate_limit.wait")
	// RetryWaitKey is the time a call waited between attempts
	// (Retry-After and backoff), in seconds.
	RetryWaitKey = attribute.Key("gorgias.retry.wait")
	// RetryAfterKey is the Retry-After an attempt's answer asked for, in
	// seconds.
	RetryAfterKey = attribute.Key("gorgias.retry_after")
	// WaitCauseKey says who made a call wait: "rate_limiter",
	// "retry_after" or "backoff".
	WaitCauseKey = attribute.Key("gorgias.wait.cause")
	// AttemptKey is the attempt a wait came before, from 1.
	AttemptKey = attribute.Key("gorgias.attempt")
)

// Span names of the waits.
const (
	RateLimitWaitSpan = "gorgias.rate_limit.wait"
	RetryWaitSpan     = "gorgias.retry.wait"
)

// Option configures NewObserver.
type Option func(*config)

type config struct {
	tp            trace.TracerProvider
	mp            metric.MeterProvider
	waitThreshold time.Duration
}

// WithTracerProvider sets the TracerProvider (default: otel's global one).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the MeterProvider (default: otel's global one).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithWaitSpanThreshold sets how long a wait for the rate limiter must
// last to get a span of its own (default 1 ms; 0: every wait). Shorter
// waits, the ones an unpaced call makes, are still measured, in the
// gorgias.rate_limit.wait attribute and histogram.
func WithWaitSpanThreshold(d time.Duration) Option {
	return func(c *config) { c.waitThreshold = d }
}

// NewObserver returns an Observer for gorgias.WithObserver that traces and
// measures every call of the client (see the package documentation).
func NewObserver(opts ...Option) (gorgias.Observer, error) {
	cfg := config{waitThreshold: time.Millisecond}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if cfg.tp == nil {
		cfg.tp = otel.GetTracerProvider()
	}
	if cfg.mp == nil {
		cfg.mp = otel.GetMeterProvider()
	}
	t := &telemetry{
		tracer:        cfg.tp.Tracer(ScopeName),
		waitThreshold: cfg.waitThreshold,
	}
	meter := cfg.mp.Meter(ScopeName)
	seconds := metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 30, 60)
	var err error
	if t.callDuration, err = meter.Float64Histogram("gorgias.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of the SDK's calls, retries and waits included."), seconds); err != nil {
		return gorgias.Observer{}, fmt.Errorf("gorgias otel: %w", err)
	}
	if t.rateLimited, err = meter.Int64Counter("gorgias.client.rate_limited", metric.WithUnit("{response}"),
		metric.WithDescription("429 answers received.")); err != nil {
		return gorgias.Observer{}, fmt.Errorf("gorgias otel: %w", err)
	}
	if t.limiterWait, err = meter.Float64Histogram("gorgias.client.rate_limit.wait", metric.WithUnit("s"),
		metric.WithDescription("Time spent waiting for the client's rate limiter before an attempt."), seconds); err != nil {
		return gorgias.Observer{}, fmt.Errorf("gorgias otel: %w", err)
	}
	return gorgias.Observer{
		CallStart:    t.callStart,
		AttemptStart: t.attemptStart,
		AttemptDone:  t.attemptDone,
		Waited:       t.waited,
		CallDone:     t.callDone,
	}, nil
}

type telemetry struct {
	tracer        trace.Tracer
	waitThreshold time.Duration
	callDuration  metric.Float64Histogram
	rateLimited   metric.Int64Counter
	limiterWait   metric.Float64Histogram
}

// callState is what one call's spans need between events; it travels in
// the call's context. A call's events come one at a time.
type callState struct {
	info    gorgias.CallStartInfo
	span    trace.Span
	attempt trace.Span // the attempt in flight, nil between attempts
	common  []attribute.KeyValue
}

type stateKey struct{}

func stateFrom(ctx context.Context) *callState {
	s, _ := ctx.Value(stateKey{}).(*callState)
	return s
}

func (t *telemetry) callStart(ctx context.Context, info gorgias.CallStartInfo) context.Context {
	common := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(info.Method),
		semconv.URLTemplate(info.URLTemplate),
		semconv.ServerAddress(info.ServerAddress),
		semconv.ServerPort(info.ServerPort),
	}
	ctx, span := t.tracer.Start(ctx, info.Operation,
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithTimestamp(info.Time),
		trace.WithAttributes(common...))
	return context.WithValue(ctx, stateKey{}, &callState{info: info, span: span, common: common})
}

func (t *telemetry) attemptStart(ctx context.Context, info gorgias.AttemptStartInfo) {
	s := stateFrom(ctx)
	if s == nil {
		return
	}
	attrs := s.common
	if info.Attempt > 1 {
		attrs = append(attrs[:len(attrs):len(attrs)], semconv.HTTPRequestResendCount(info.Attempt-1))
	}
	_, s.attempt = t.tracer.Start(ctx, s.info.Method+" "+s.info.URLTemplate,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(info.Time),
		trace.WithAttributes(attrs...))
}

func (t *telemetry) attemptDone(ctx context.Context, info gorgias.AttemptDoneInfo) {
	s := stateFrom(ctx)
	if s == nil {
		return
	}
	if info.StatusCode == 429 {
		t.rateLimited.Add(ctx, 1, metric.WithAttributes(OperationKey.String(s.info.Operation), semconv.ServerAddress(s.info.ServerAddress)))
	}
	span := s.attempt
	if span == nil {
		return
	}
	s.attempt = nil
	if info.StatusCode != 0 {
		span.SetAttributes(semconv.HTTPResponseStatusCode(info.StatusCode))
	}
	if info.RetryAfter > 0 {
		span.SetAttributes(RetryAfterKey.Float64(info.RetryAfter.Seconds()))
	}
	if info.Err != nil || info.StatusCode >= 400 {
		kind := errorType(info.StatusCode, info.Err)
		span.SetAttributes(semconv.ErrorTypeKey.String(kind))
		if info.Err != nil {
			span.RecordError(info.Err, trace.WithTimestamp(info.Time))
			span.SetStatus(codes.Error, info.Err.Error())
		} else {
			span.SetStatus(codes.Error, kind)
		}
	}
	span.End(trace.WithTimestamp(info.Time))
}

func (t *telemetry) waited(ctx context.Context, info gorgias.WaitInfo) {
	s := stateFrom(ctx)
	if s == nil {
		return
	}
	name := RetryWaitSpan
	if info.Cause == gorgias.WaitRateLimiter {
		name = RateLimitWaitSpan
		t.limiterWait.Record(ctx, info.Duration.Seconds(), metric.WithAttributes(OperationKey.String(s.info.Operation), semconv.ServerAddress(s.info.ServerAddress)))
		if info.Duration < t.waitThreshold && info.Err == nil {
			return
		}
	}
	_, span := t.tracer.Start(ctx, name,
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithTimestamp(info.Start),
		trace.WithAttributes(WaitCauseKey.String(info.Cause.String()), AttemptKey.Int(info.Attempt)))
	if info.Err != nil {
		span.SetAttributes(semconv.ErrorTypeKey.String(errorType(0, info.Err)))
		span.RecordError(info.Err, trace.WithTimestamp(info.Start.Add(info.Duration)))
		span.SetStatus(codes.Error, info.Err.Error())
	}
	span.End(trace.WithTimestamp(info.Start.Add(info.Duration)))
}

func (t *telemetry) callDone(ctx context.Context, info gorgias.CallDoneInfo) {
	s := stateFrom(ctx)
	if s == nil {
		return
	}
	if s.attempt != nil { // an attempt without its end: close it with the call
		s.attempt.End(trace.WithTimestamp(info.Time))
		s.attempt = nil
	}
	span := s.span
	span.SetAttributes(
		AttemptsKey.Int(info.Attempts),
		RateLimitWaitKey.Float64(info.LimiterWait.Seconds()),
		RetryWaitKey.Float64(info.RetryWait.Seconds()),
	)
	metricAttrs := []attribute.KeyValue{
		OperationKey.String(s.info.Operation),
		semconv.HTTPRequestMethodKey.String(s.info.Method),
		semconv.ServerAddress(s.info.ServerAddress),
	}
	if info.StatusCode != 0 {
		status := semconv.HTTPResponseStatusCode(info.StatusCode)
		span.SetAttributes(status)
		metricAttrs = append(metricAttrs, status)
	}
	if info.Err != nil {
		kind := semconv.ErrorTypeKey.String(errorType(info.StatusCode, info.Err))
		span.SetAttributes(kind)
		metricAttrs = append(metricAttrs, kind)
		span.RecordError(info.Err, trace.WithTimestamp(info.Time))
		span.SetStatus(codes.Error, info.Err.Error())
	}
	span.End(trace.WithTimestamp(info.Time))
	t.callDuration.Record(ctx, info.Duration.Seconds(), metric.WithAttributes(metricAttrs...))
}

// errorType is the error.type of a failure: the status code of an HTTP
// answer, "timeout" or "canceled" when the context ended, else the Go type
// of the innermost error ("*net.OpError"), or "_OTHER".
func errorType(status int, err error) string {
	var apiErr *gorgias.Error
	switch {
	case errors.As(err, &apiErr):
		return strconv.Itoa(apiErr.StatusCode)
	case err == nil && status >= 400:
		return strconv.Itoa(status)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case err == nil:
		return semconv.ErrorTypeOther.Value.AsString()
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			break
		}
		err = next
	}
	switch kind := fmt.Sprintf("%T", err); kind {
	case "*errors.errorString", "*fmt.wrapError", "*fmt.wrapErrors", "*errors.joinError":
		return semconv.ErrorTypeOther.Value.AsString()
	default:
		return kind
	}
}
