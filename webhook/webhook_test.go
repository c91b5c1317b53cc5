package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSecret = "0123456789abcdef-secret"

func TestParseTriggerReadsBothSpellings(t *testing.T) {
	for in, want := range map[string]Trigger{
		"ticket-created": TicketCreated, "ticket_created": TicketCreated, "Ticket_Message_Created": TicketMessageCreated,
		" ticket-self-unsnoozed ": TicketSelfUnsnoozed, "ticket_message_failed": TicketMessageFailed,
		"ticket-archived": "ticket-archived", // unknown but well formed: Gorgias may add triggers
	} {
		got, err := ParseTrigger(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "-", "ticket--created", "ticket-", "ticket created", "ticket.created", "tícket", strings.Repeat("a", 65)} {
		_, err := ParseTrigger(bad)
		assert.Error(t, err, "%q", bad)
	}
	var got struct{ T Trigger }
	require.NoError(t, json.Unmarshal([]byte(`{"T":"ticket_updated"}`), &got))
	assert.Equal(t, TicketUpdated, got.T)
	assert.True(t, TicketHandedOver.Known())
	assert.False(t, Trigger("ticket-archived").Known())
}

func body(trigger string, ticket, message any, updated string) string {
	b, _ := json.Marshal(map[string]any{"trigger": trigger, "ticket_id": ticket, "message_id": message,
		"updated_datetime": updated, "created_datetime": "2026-11-20T10:00:00.000000"})
	return string(b)
}

func TestParseEvent(t *testing.T) {
	ev, err := ParseEvent([]byte(body("ticket-message-created", "82759724", "218874102", "2026-11-20T10:05:00.123456")))
	require.NoError(t, err)
	assert.Equal(t, TicketMessageCreated, ev.Trigger)
	assert.Equal(t, int64(82759724), ev.TicketID)
	assert.Equal(t, int64(218874102), ev.MessageID)
	assert.Equal(t, time.Date(2026, 11, 20, 10, 5, 0, 123456000, time.UTC), ev.UpdatedDatetime)
	assert.Len(t, ev.DeliveryID, 32)

	// The same event, with numbers and the other spelling: the same id.
	same, err := ParseEvent([]byte(body("ticket_message_created", 82759724, 218874102, "2026-11-20T10:05:00.123456+00:00")))
	require.NoError(t, err)
	assert.Equal(t, ev.DeliveryID, same.DeliveryID)

	// Another event of the ticket: another id.
	for _, other := range []string{
		body("ticket-updated", "82759724", "", "2026-11-20T10:05:00.123456"),
		body("ticket-message-created", "82759724", "218874103", "2026-11-20T10:05:00.123456"),
		body("ticket-message-created", "82759724", "218874102", "2026-11-20T10:05:01"),
		body("ticket-message-created", "82759725", "218874102", "2026-11-20T10:05:00.123456"),
	} {
		o, err := ParseEvent([]byte(other))
		require.NoError(t, err)
		assert.NotEqual(t, ev.DeliveryID, o.DeliveryID, other)
	}

	// No message: 0, whether the template rendered "", None, null or nothing.
	for _, m := range []any{"", "None", nil} {
		e, err := ParseEvent([]byte(body("ticket-updated", "1", m, "")))
		require.NoError(t, err)
		assert.Zero(t, e.MessageID)
		assert.True(t, e.UpdatedDatetime.IsZero())
	}

	// Where {{event.type}} renders empty, the trigger is told from the rest.
	infer := func(message, updated string) Trigger {
		e, err := ParseEvent([]byte(body("", "1", message, updated)))
		require.NoError(t, err)
		return e.Trigger
	}
	assert.Equal(t, TicketMessageCreated, infer("5", "2026-11-20T10:05:00"))
	assert.Equal(t, TicketCreated, infer("", "2026-11-20T10:00:00"))
	assert.Equal(t, TicketUpdated, infer("", "2026-11-20T10:05:00"))

	for _, bad := range []string{
		``, `[]`, `{`, `{"trigger":"ticket-created"}`, body("ticket-created", "0", "", ""), body("ticket-created", "-3", "", ""),
		body("ticket-created", "12x", "", ""), body("ticket-created", 1.5, "", ""), body("ticket-created", "1", "abc", ""),
		body("ticket-created", "1", "", "yesterday"), body("ticket created", "1", "", ""),
		`{"trigger":"","ticket_id":"1","created_datetime":"later"}`,
	} {
		_, err := ParseEvent([]byte(bad))
		assert.Error(t, err, bad)
	}
}

// recorder counts the function's calls.
type recorder struct {
	mu     sync.Mutex
	events []Event
	fail   int // fail the first fail calls
}

func (r *recorder) fn(_ context.Context, ev Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	if len(r.events) <= r.fail {
		return errors.New("the database is down")
	}
	return nil
}

func (r *recorder) calls() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.events) }

func deliver(h http.Handler, method, secret, payload string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/gorgias", strings.NewReader(payload))
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

var created = body("ticket-created", "42", "", "2026-11-20T10:00:00.000000")

func TestHandlerRefusals(t *testing.T) {
	var log bytes.Buffer
	rec := &recorder{}
	h := NewHandler(testSecret, rec.fn, WithLogger(slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	defer func() { _ = h.Close(context.Background()) }()
	huge := `{"trigger":"ticket-created","ticket_id":"1","pad":"` + strings.Repeat("x", MaxBodySize) + `"}`
	for name, tc := range map[string]struct {
		status int
		do     func() *httptest.ResponseRecorder
	}{
		"GET":                 {405, func() *httptest.ResponseRecorder { return deliver(h, "GET", testSecret, "") }},
		"PUT":                 {405, func() *httptest.ResponseRecorder { return deliver(h, "PUT", testSecret, created) }},
		"no secret":           {401, func() *httptest.ResponseRecorder { return deliver(h, "POST", "", created) }},
		"a wrong secret":      {401, func() *httptest.ResponseRecorder { return deliver(h, "POST", testSecret+"x", created) }},
		"the secret's prefix": {401, func() *httptest.ResponseRecorder { return deliver(h, "POST", testSecret[:10], created) }},
		"two secrets": {401, func() *httptest.ResponseRecorder {
			return deliver(h, "POST", "wrong", created, SecretHeader, testSecret)
		}},
		"the secret in another header": {401, func() *httptest.ResponseRecorder {
			return deliver(h, "POST", "", created, "Authorization", testSecret)
		}},
		"a body over 1 MiB": {413, func() *httptest.ResponseRecorder { return deliver(h, "POST", testSecret, huge) }},
		"a body over 1 MiB, length unknown": {413, func() *httptest.ResponseRecorder {
			req := httptest.NewRequest("POST", "/gorgias", io.MultiReader(strings.NewReader(huge)))
			req.ContentLength = -1
			req.Header.Set(SecretHeader, testSecret)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			return w
		}},
		"not JSON": {400, func() *httptest.ResponseRecorder { return deliver(h, "POST", testSecret, "ticket=42") }},
		"no ticket id": {400, func() *httptest.ResponseRecorder {
			return deliver(h, "POST", testSecret, `{"trigger":"ticket-created"}`)
		}},
		"a bad trigger": {400, func() *httptest.ResponseRecorder {
			return deliver(h, "POST", testSecret, body("drop table", "1", "", ""))
		}},
	} {
		t.Run(name, func(t *testing.T) {
			w := tc.do()
			assert.Equal(t, tc.status, w.Code)
			assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			assert.True(t, json.Valid(w.Body.Bytes()), w.Body.String())
			if tc.status == 405 {
				assert.Equal(t, "POST", w.Header().Get("Allow"))
			}
		})
	}
	assert.Zero(t, rec.calls(), "a refused delivery never reaches fn")

	// The secret is never echoed nor logged: not in any answer above, nor
	// in an accepted one, nor in the log.
	w := deliver(h, "POST", testSecret, created)
	require.Equal(t, 200, w.Code)
	assert.Equal(t, 1, rec.calls())
	assert.NotContains(t, log.String(), testSecret[:10])
	assert.NotContains(t, log.String(), "wrong")
	assert.Contains(t, log.String(), "unauthorized", "refusals are logged")
	for _, v := range w.Header() {
		assert.NotContains(t, strings.Join(v, ","), testSecret)
	}
	assert.NotContains(t, w.Body.String(), testSecret)
}

func TestSecretNeverInAnswersOrLogs(t *testing.T) {
	var log bytes.Buffer
	fn := func(context.Context, Event) error { return errors.New("failed") }
	h := NewHandler(testSecret, fn, WithLogger(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	defer func() { _ = h.Close(context.Background()) }()
	var answers strings.Builder
	for _, secret := range []string{"", testSecret, testSecret + "1", strings.ToUpper(testSecret)} {
		for _, payload := range []string{created, "junk", body("ticket-updated", "1", "", "")} {
			w := deliver(h, "POST", secret, payload)
			answers.WriteString(w.Body.String())
			for k, v := range w.Header() {
				answers.WriteString(k + strings.Join(v, ""))
			}
		}
	}
	assert.Contains(t, answers.String(), "unauthorized")
	assert.Contains(t, log.String(), "failed")
	for _, out := range []string{answers.String(), log.String()} {
		assert.NotContains(t, out, testSecret)
		assert.NotContains(t, strings.ToLower(out), "0123456789abcdef")
	}
}

func TestAReplayReachesFnOnce(t *testing.T) {
	rec := &recorder{}
	h := NewHandler(testSecret, rec.fn)
	defer func() { _ = h.Close(context.Background()) }()
	for range 3 {
		w := deliver(h, "POST", testSecret, created)
		assert.Equal(t, 200, w.Code)
	}
	// The same event spelled the other way, with a number: still a replay.
	w := deliver(h, "POST", testSecret, body("ticket_created", 42, nil, "2026-11-20T10:00:00+00:00"))
	assert.Equal(t, 200, w.Code)
	assert.JSONEq(t, `{"duplicate":true}`, w.Body.String())
	assert.Equal(t, 1, rec.calls())
	// Another event of the same ticket runs.
	assert.Equal(t, 200, deliver(h, "POST", testSecret, body("ticket-updated", "42", "", "2026-11-20T10:01:00")).Code)
	assert.Equal(t, 2, rec.calls())
}

func TestConcurrentDuplicatesReachFnOnce(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	h := NewHandler(testSecret, func(context.Context, Event) error { calls.Add(1); <-release; return nil })
	defer func() { _ = h.Close(context.Background()) }()
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); codes <- deliver(h, "POST", testSecret, created).Code }()
	}
	for calls.Load() == 0 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		assert.Equal(t, 200, c)
	}
	assert.Equal(t, int32(1), calls.Load())
}

func TestAFailingFnIsRetriedThenSucceedsOnce(t *testing.T) {
	rec := &recorder{fail: 2}
	h := NewHandler(testSecret, rec.fn)
	defer func() { _ = h.Close(context.Background()) }()
	assert.Equal(t, 500, deliver(h, "POST", testSecret, created).Code, "a failure answers 5xx: Gorgias retries")
	assert.Equal(t, 500, deliver(h, "POST", testSecret, created).Code)
	assert.Equal(t, 200, deliver(h, "POST", testSecret, created).Code)
	assert.Equal(t, 200, deliver(h, "POST", testSecret, created).Code, "a delivery after the success is a duplicate")
	assert.Equal(t, 3, rec.calls())
}

func TestAPanickingFnAnswers500(t *testing.T) {
	n := 0
	h := NewHandler(testSecret, func(context.Context, Event) error {
		if n++; n == 1 {
			panic("boom")
		}
		return nil
	})
	defer func() { _ = h.Close(context.Background()) }()
	assert.Equal(t, 500, deliver(h, "POST", testSecret, created).Code)
	assert.Equal(t, 200, deliver(h, "POST", testSecret, created).Code, "the claim was released")
}

func TestFnContextHasTheTimeout(t *testing.T) {
	var deadline time.Time
	var ok bool
	h := NewHandler(testSecret, func(ctx context.Context, _ Event) error { deadline, ok = ctx.Deadline(); return nil }, WithTimeout(3*time.Second))
	defer func() { _ = h.Close(context.Background()) }()
	before := time.Now()
	require.Equal(t, 200, deliver(h, "POST", testSecret, created).Code)
	after := time.Now()
	require.True(t, ok)
	assert.False(t, deadline.Before(before.Add(3*time.Second)), "the deadline is 3 s after the call")
	assert.False(t, deadline.After(after.Add(3*time.Second)))
}

type failingDeduper struct{}

func (failingDeduper) Claim(context.Context, string, time.Duration) (bool, error) {
	return false, errors.New("redis: connection refused")
}
func (failingDeduper) Release(context.Context, string) error { return nil }

func TestADeduperFailureAnswers503WithoutRunning(t *testing.T) {
	rec := &recorder{}
	h := NewHandler(testSecret, rec.fn, WithDeduper(failingDeduper{}))
	defer func() { _ = h.Close(context.Background()) }()
	assert.Equal(t, 503, deliver(h, "POST", testSecret, created).Code)
	assert.Zero(t, rec.calls())
}

func TestMemoryDeduperWindowAndBound(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	d := NewMemoryDeduper(3)
	d.now = func() time.Time { return now }
	claim := func(id string) bool { ok, err := d.Claim(ctx, id, time.Hour); require.NoError(t, err); return ok }
	assert.True(t, claim("a"))
	assert.False(t, claim("a"))
	now = now.Add(59 * time.Minute)
	assert.False(t, claim("a"), "within the window")
	now = now.Add(time.Minute)
	assert.True(t, claim("a"), "after the window")
	require.NoError(t, d.Release(ctx, "a"))
	assert.True(t, claim("a"), "released")
	for _, id := range []string{"b", "c", "d", "e"} {
		assert.True(t, claim(id))
	}
	assert.Equal(t, 3, d.Len(), "bounded: the oldest are forgotten")
	assert.True(t, claim("a"), "a was the oldest")
	assert.False(t, claim("e"))
	// Many releases and claims of one id keep the bookkeeping bounded.
	for range 1000 {
		claim("f")
		require.NoError(t, d.Release(ctx, "f"))
	}
	assert.LessOrEqual(t, len(d.order)-d.head, 2*3+1)
}

func TestDedupWindowOption(t *testing.T) {
	d := NewMemoryDeduper(0)
	now := time.Now()
	d.now = func() time.Time { return now }
	rec := &recorder{}
	h := NewHandler(testSecret, rec.fn, WithDeduper(d), WithDedupWindow(time.Minute))
	defer func() { _ = h.Close(context.Background()) }()
	deliver(h, "POST", testSecret, created)
	now = now.Add(30 * time.Second)
	deliver(h, "POST", testSecret, created)
	assert.Equal(t, 1, rec.calls())
	now = now.Add(31 * time.Second)
	deliver(h, "POST", testSecret, created)
	assert.Equal(t, 2, rec.calls(), "past the window it runs again")
}

func TestNewHandlerRefusesAShortSecretOrNoFn(t *testing.T) {
	assert.PanicsWithValue(t, "webhook: NewHandler: the secret must be at least 16 characters", func() { NewHandler("short", (&recorder{}).fn) })
	assert.Panics(t, func() { NewHandler(testSecret, nil) })
	assert.Panics(t, func() { NewHandler(testSecret+" x", (&recorder{}).fn) })
}

func TestAsyncAcknowledgesFirst(t *testing.T) {
	before := runtime.NumGoroutine()
	started := make(chan Event, 10)
	release := make(chan struct{})
	var fails atomic.Int32
	fails.Store(1)
	h := NewHandler(testSecret, func(ctx context.Context, ev Event) error {
		started <- ev
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
		if fails.Add(-1) >= 0 {
			return errors.New("failed after the answer")
		}
		return nil
	}, WithAsync(1, 1))

	// Answered 202 before fn has finished (it is blocked).
	w := deliver(h, "POST", testSecret, created)
	assert.Equal(t, 202, w.Code)
	<-started
	// One more fits in the queue; the next finds it full: 503, its claim
	// released.
	second := body("ticket-updated", "42", "", "2026-11-20T10:01:00")
	third := body("ticket-updated", "42", "", "2026-11-20T10:02:00")
	assert.Equal(t, 202, deliver(h, "POST", testSecret, second).Code)
	assert.Equal(t, 503, deliver(h, "POST", testSecret, third).Code)
	release <- struct{}{} // the first fails (after its answer): its claim is released
	<-started             // the second runs
	release <- struct{}{}
	// Gorgias's next delivery of the first event runs it again; the third
	// now fits.
	assert.Eventually(t, func() bool { return deliver(h, "POST", testSecret, created).Code == 202 }, 5*time.Second, time.Millisecond)
	ev := <-started
	assert.Equal(t, TicketCreated, ev.Trigger)
	assert.Equal(t, 202, deliver(h, "POST", testSecret, third).Code)
	close(release)
	<-started
	require.NoError(t, h.Close(context.Background()))
	assert.Equal(t, 503, deliver(h, "POST", testSecret, body("ticket-updated", "43", "", "")).Code, "closed")
	require.NoError(t, h.Close(context.Background()), "twice")
	waitGoroutines(t, before)
}

func TestAsyncCloseCancelsRunsWhenItsContextEnds(t *testing.T) {
	before := runtime.NumGoroutine()
	started := make(chan struct{})
	h := NewHandler(testSecret, func(ctx context.Context, _ Event) error {
		close(started)
		<-ctx.Done() // honours ctx
		return ctx.Err()
	}, WithAsync(2, 4), WithTimeout(time.Hour))
	require.Equal(t, 202, deliver(h, "POST", testSecret, created).Code)
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, h.Close(ctx), context.Canceled)
	waitGoroutines(t, before)
}

func TestSyncCloseRefuses(t *testing.T) {
	h := NewHandler(testSecret, (&recorder{}).fn)
	require.NoError(t, h.Close(context.Background()))
	assert.Equal(t, 503, deliver(h, "POST", testSecret, created).Code)
}

// waitGoroutines polls (no timing assert) until the goroutines started
// since before are gone.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	for range 500 {
		if runtime.NumGoroutine() <= before {
			return
		}
		runtime.Gosched()
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("goroutines left behind: %d, were %d", runtime.NumGoroutine(), before)
}
