package otel_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	gorgiasotel "github.com/go-gorgias/gorgias/otel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// inMemory sends each request straight to a handler: no socket, so a
// synctest bubble's clock moves as soon as the client waits.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	in := r.Clone(r.Context()) // as a server sees it: a body, never nil
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, in)
	resp := rec.Result()
	// Header names as they come off the wire: canonical.
	header := make(http.Header, len(resp.Header))
	for k, v := range resp.Header {
		header[http.CanonicalHeaderKey(k)] = append(header[http.CanonicalHeaderKey(k)], v...)
	}
	resp.Header = header
	return resp, nil
}

// harness is a client of the gorgiastest fake, observed into an in-memory
// span recorder and a manual metric reader.
type harness struct {
	fake   *gorgiastest.Server
	client *gorgias.Client
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
}

// newFake starts the fake outside any synctest bubble: its listener would
// keep the bubble's clock from moving. The harness reaches it in memory.
func newFake(t *testing.T, opts ...gorgiastest.Option) *gorgiastest.Server {
	return gorgiastest.NewTestServer(t, append([]gorgiastest.Option{gorgiastest.WithoutRateLimit()}, opts...)...)
}

func newHarness(t *testing.T, fake *gorgiastest.Server, clientOpts ...gorgias.Option) *harness {
	t.Helper()
	h := &harness{
		fake:   fake,
		spans:  tracetest.NewSpanRecorder(),
		reader: sdkmetric.NewManualReader(),
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	obs, err := gorgiasotel.NewObserver(gorgiasotel.WithTracerProvider(tp), gorgiasotel.WithMeterProvider(mp))
	require.NoError(t, err)
	opts := append([]gorgias.Option{
		gorgias.WithHTTPClient(&http.Client{Transport: inMemory{h.fake}}),
		gorgias.WithObserver(obs),
	}, clientOpts...)
	h.client = h.fake.Client(opts...)
	return h
}

func attrs(kvs []attribute.KeyValue) map[attribute.Key]any {
	m := make(map[attribute.Key]any, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value.AsInterface()
	}
	return m
}

// The span tree of a call that was paced and retried once: the call's
// span, and under it, in order, the limiter's wait, the attempt answered
// 429, the server's Retry-After, the limiter's wait again, the attempt
// answered 200. Time is synctest's, so nothing really sleeps and every
// duration is exact.
func TestSpanTreeOfAPacedRetriedCall(t *testing.T) {
	// A bucket of 2 over 2 s: one request a second. The client paces
	// itself to it (fake.Client matches the fake's bucket).
	fake := newFake(t, gorgiastest.WithRateLimit(2, 2*time.Second))
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, fake)
		ctx := context.Background()
		tag, err := h.client.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: "vip"})
		require.NoError(t, err)
		h.spans.Reset()
		h.fake.Inject(gorgiastest.Fault{On: "GET", Kind: gorgiastest.FaultRateLimit, RetryAfter: time.Second})

		t0 := time.Now()
		got, err := h.client.Tags.Get(ctx, tag.ID)
		require.NoError(t, err)
		assert.Equal(t, tag.ID, got.ID)
		assert.Equal(t, 3*time.Second, time.Since(t0), "1 s paced, 1 s Retry-After, 1 s paced")

		spans := h.spans.Ended()
		defer func() {
			if t.Failed() {
				for _, s := range spans {
					t.Log(s.Name(), s.StartTime().Sub(t0), s.EndTime().Sub(t0), s.Attributes())
				}
			}
		}()
		require.Len(t, spans, 6)
		var call sdktrace.ReadOnlySpan
		for _, s := range spans {
			if !s.Parent().IsValid() {
				require.Nil(t, call, "one root span")
				call = s
			}
		}
		require.NotNil(t, call)
		assert.Equal(t, "Tags.Get", call.Name())
		assert.Equal(t, trace.SpanKindInternal, call.SpanKind())
		assert.Equal(t, t0, call.StartTime())
		assert.Equal(t, t0.Add(3*time.Second), call.EndTime())
		assert.Equal(t, codes.Unset, call.Status().Code)
		host := strings.TrimPrefix(h.fake.URL, "http://")
		host = host[:strings.LastIndex(host, ":")]
		callAttrs := attrs(call.Attributes())
		assert.Equal(t, "GET", callAttrs["http.request.method"])
		assert.Equal(t, "/api/tags/{id}", callAttrs["url.template"])
		assert.Equal(t, host, callAttrs["server.address"])
		assert.Equal(t, int64(200), callAttrs["http.response.status_code"])
		assert.Equal(t, int64(2), callAttrs["gorgias.attempts"])
		assert.Equal(t, 2.0, callAttrs["gorgias.rate_limit.wait"])
		assert.Equal(t, 1.0, callAttrs["gorgias.retry.wait"])
		assert.NotContains(t, callAttrs, attribute.Key("error.type"))

		// The children, in the order they started (ties: as they ended).
		type child struct {
			name       string
			start, end time.Duration
			attrs      map[attribute.Key]any
			status     codes.Code
		}
		var children []child
		for _, s := range spans {
			if s == call {
				continue
			}
			assert.Equal(t, call.SpanContext().SpanID(), s.Parent().SpanID(), s.Name())
			assert.Equal(t, call.SpanContext().TraceID(), s.SpanContext().TraceID())
			children = append(children, child{s.Name(), s.StartTime().Sub(t0), s.EndTime().Sub(t0), attrs(s.Attributes()), s.Status().Code})
		}
		attempt := func(status int64, resend int64, extra map[attribute.Key]any) map[attribute.Key]any {
			m := map[attribute.Key]any{
				"http.request.method": "GET", "url.template": "/api/tags/{id}", "server.address": host,
				"server.port": callAttrs["server.port"], "http.response.status_code": status,
			}
			if resend > 0 {
				m["http.request.resend_count"] = resend
			}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
		assert.Equal(t, []child{
			{"gorgias.rate_limit.wait", 0, time.Second,
				map[attribute.Key]any{"gorgias.wait.cause": "rate_limiter", "gorgias.attempt": int64(1)}, codes.Unset},
			{"GET /api/tags/{id}", time.Second, time.Second,
				attempt(429, 0, map[attribute.Key]any{"error.type": "429", "gorgias.retry_after": 1.0}), codes.Error},
			{"gorgias.retry.wait", time.Second, 2 * time.Second,
				map[attribute.Key]any{"gorgias.wait.cause": "retry_after", "gorgias.attempt": int64(2)}, codes.Unset},
			{"gorgias.rate_limit.wait", 2 * time.Second, 3 * time.Second,
				map[attribute.Key]any{"gorgias.wait.cause": "rate_limiter", "gorgias.attempt": int64(2)}, codes.Unset},
			{"GET /api/tags/{id}", 3 * time.Second, 3 * time.Second, attempt(200, 1, nil), codes.Unset},
		}, children)
		for _, s := range spans {
			if strings.HasPrefix(s.Name(), "GET ") {
				assert.Equal(t, trace.SpanKindClient, s.SpanKind())
			}
		}

		// The metrics: the call's duration, one 429, two limiter waits
		// of 1 s (and the create's, of 0).
		var rm metricdata.ResourceMetrics
		require.NoError(t, h.reader.Collect(ctx, &rm))
		require.Len(t, rm.ScopeMetrics, 1)
		assert.Equal(t, gorgiasotel.ScopeName, rm.ScopeMetrics[0].Scope.Name)
		byName := map[string]metricdata.Metrics{}
		for _, m := range rm.ScopeMetrics[0].Metrics {
			byName[m.Name] = m
		}
		calls := byName["gorgias.client.call.duration"].Data.(metricdata.Histogram[float64])
		var getPoint *metricdata.HistogramDataPoint[float64]
		for i, p := range calls.DataPoints {
			if op, _ := p.Attributes.Value("gorgias.operation"); op.AsString() == "Tags.Get" {
				getPoint = &calls.DataPoints[i]
			}
		}
		require.NotNil(t, getPoint)
		assert.Equal(t, uint64(1), getPoint.Count)
		assert.Equal(t, 3.0, getPoint.Sum)
		status, _ := getPoint.Attributes.Value("http.response.status_code")
		assert.Equal(t, int64(200), status.AsInt64())
		assert.Equal(t, "s", byName["gorgias.client.call.duration"].Unit)

		limited := byName["gorgias.client.rate_limited"].Data.(metricdata.Sum[int64])
		require.Len(t, limited.DataPoints, 1)
		assert.Equal(t, int64(1), limited.DataPoints[0].Value)

		waits := byName["gorgias.client.rate_limit.wait"].Data.(metricdata.Histogram[float64])
		var count uint64
		var sum float64
		for _, p := range waits.DataPoints {
			count += p.Count
			sum += p.Sum
		}
		assert.Equal(t, uint64(3), count, "the create's wait and the get's two")
		assert.Equal(t, 2.0, sum)
	})
}

// A failed call's span has status Error and error.type: the status code
// of an API error.
func TestFailedCallSpan(t *testing.T) {
	fake := newFake(t)
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, fake, gorgias.WithoutRateLimit(), gorgias.WithRetryPolicy(0, 0, 0))
		_, err := h.client.Tags.Get(context.Background(), 999999)
		require.ErrorIs(t, err, gorgias.ErrNotFound)
		spans := h.spans.Ended()
		require.Len(t, spans, 2, "the call and its one attempt, no wait span")
		call := spans[1]
		assert.Equal(t, "Tags.Get", call.Name())
		assert.Equal(t, codes.Error, call.Status().Code)
		a := attrs(call.Attributes())
		assert.Equal(t, "404", a["error.type"])
		assert.Equal(t, int64(404), a["http.response.status_code"])
		assert.Equal(t, int64(1), a["gorgias.attempts"])
		require.Len(t, call.Events(), 1)
		assert.Equal(t, "exception", call.Events()[0].Name)
	})
}

// No attribute of any span, span event or metric point holds a credential
// (the API key, the email, the Authorization header) or a query value,
// even on calls that fail, are rate limited or retried; ids stay out of
// every attribute but the error messages.
func TestNoAttributeHoldsACredential(t *testing.T) {
	fake := newFake(t)
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, fake, gorgias.WithRetryPolicy(1, time.Millisecond, time.Millisecond))
		ctx := context.Background()
		h.fake.Inject(gorgiastest.Fault{Kind: gorgiastest.FaultRateLimit, RetryAfter: time.Second},
			gorgiastest.Fault{On: "GET", Call: 3, Kind: gorgiastest.FaultServerError, Status: 502, Times: 2})
		tag, err := h.client.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: "vip"})
		require.NoError(t, err)
		_, _ = h.client.Tags.Get(ctx, tag.ID)
		_, _ = h.client.Tags.List(ctx, &gorgias.ListTagsOptions{Search: "needle-in-query"})
		_, _ = h.client.Tags.Get(ctx, tag.ID)
		_, _ = h.client.Tags.Get(ctx, 987654)
		_ = h.client.Do(ctx, http.MethodGet, "/api/customers?email=needle%40example.com", nil, nil)

		secrets := []string{
			h.fake.APIKey, h.fake.Email,
			base64.StdEncoding.EncodeToString([]byte(h.fake.Email + ":" + h.fake.APIKey)),
			"needle", "Authorization",
		}
		check := func(where string, kvs []attribute.KeyValue, ids bool) {
			for _, kv := range kvs {
				v := kv.Value.String()
				for _, s := range secrets {
					assert.NotContains(t, v, s, "%s: %s", where, kv.Key)
				}
				if ids {
					assert.NotContains(t, v, "987654", "%s: %s", where, kv.Key)
				}
			}
		}
		spans := h.spans.Ended()
		require.Greater(t, len(spans), 10)
		errors := 0
		for _, s := range spans {
			check("span "+s.Name(), s.Attributes(), true)
			for _, e := range s.Events() {
				check("event "+e.Name+" of "+s.Name(), e.Attributes, false)
				errors++
			}
			for _, sec := range secrets {
				assert.NotContains(t, s.Status().Description, sec)
				assert.NotContains(t, s.Name(), sec)
			}
		}
		assert.Positive(t, errors, "some spans recorded errors")
		var rm metricdata.ResourceMetrics
		require.NoError(t, h.reader.Collect(ctx, &rm))
		points := 0
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				switch d := m.Data.(type) {
				case metricdata.Histogram[float64]:
					for _, p := range d.DataPoints {
						check("metric "+m.Name, p.Attributes.ToSlice(), true)
						points++
					}
				case metricdata.Sum[int64]:
					for _, p := range d.DataPoints {
						check("metric "+m.Name, p.Attributes.ToSlice(), true)
						points++
					}
				}
			}
		}
		assert.Greater(t, points, 3)
	})
}

// The defaults are the global providers: NewObserver works with nothing
// set (the globals are no-ops then).
func TestNewObserverDefaults(t *testing.T) {
	obs, err := gorgiasotel.NewObserver(nil)
	require.NoError(t, err)
	assert.NotNil(t, obs.CallStart)
	assert.NotNil(t, obs.CallDone)
	fake := gorgiastest.NewTestServer(t)
	_, err = fake.Client(gorgias.WithObserver(obs)).Tags.List(context.Background(), nil)
	require.NoError(t, err)
}
