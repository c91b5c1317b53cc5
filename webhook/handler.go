package webhook

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// MaxBodySize is the largest delivery body the handler reads: a larger one
// is answered 413. The SDK's template renders to a few hundred bytes.
const MaxBodySize = 1 << 20

// DefaultTimeout bounds a run of the function: its context ends after it.
// Gorgias does not document how long it waits for an answer before it
// counts the call as failed; answer within a few seconds, and use WithAsync
// for work that takes longer.
const DefaultTimeout = 10 * time.Second

// Option configures NewHandler.
type Option func(*Handler)

// WithDeduper shares the record of handled deliveries, for example with
// the other replicas behind the URL. The default is a MemoryDeduper.
func WithDeduper(d Deduper) Option {
	return func(h *Handler) {
		if d != nil {
			h.dedup = d
		}
	}
}

// WithDedupWindow sets how long a handled delivery is remembered
// (DefaultDedupWindow); a redelivery after it runs the function again.
func WithDedupWindow(window time.Duration) Option {
	return func(h *Handler) {
		if window > 0 {
			h.window = window
		}
	}
}

// WithTimeout bounds each run of the function (DefaultTimeout).
func WithTimeout(d time.Duration) Option {
	return func(h *Handler) {
		if d > 0 {
			h.timeout = d
		}
	}
}

// WithLogger logs refused deliveries and failed runs, with the delivery
// id, trigger and ticket id, never a header or the body. The default logs
// nothing.
func WithLogger(l *slog.Logger) Option {
	return func(h *Handler) {
		if l != nil {
			h.logger = l
		}
	}
}

// WithAsync acknowledges a delivery (202) as soon as it is checked and
// queued, and runs the function after, in workers goroutines reading a
// queue of queue deliveries. A delivery finding the queue full is answered
// 503 (Gorgias retries it later). A run that fails is logged and its
// claim released, so Gorgias's next delivery of the event, if any, runs it
// again; Gorgias does not retry a delivery it saw acknowledged. Close stops
// the workers.
func WithAsync(workers, queue int) Option {
	return func(h *Handler) {
		h.workers, h.queueSize = max(workers, 1), max(queue, 0)
	}
}

// Handler serves an HTTP integration's deliveries; see NewHandler.
type Handler struct {
	secret  [sha256.Size]byte
	fn      func(context.Context, Event) error
	dedup   Deduper
	window  time.Duration
	timeout time.Duration
	logger  *slog.Logger

	workers, queueSize int
	queue              chan Event
	runs               sync.WaitGroup
	base               context.Context // the async runs'; cancelled when Close gives up waiting
	cancel             context.CancelFunc

	mu     sync.RWMutex
	closed bool
}

// NewHandler returns the handler of an HTTP integration's deliveries,
// calling fn once per event. It answers:
//
//   - 405 to a method other than POST;
//   - 401 when SecretHeader is missing or is not secret (compared in
//     constant time; the secret is never logged nor echoed);
//   - 413 to a body over MaxBodySize, 400 to one that is not a delivery;
//   - 200 without calling fn to a delivery already handled within the
//     dedup window (or being handled);
//   - 500 when fn returns an error, so Gorgias retries; 503 when the
//     Deduper fails, the async queue is full or the handler is closed;
//   - 200 when fn returns nil (202 with WithAsync, once queued).
//
// Every answer is a small JSON object that says nothing of the request.
// NewHandler panics when secret is shorter than MinSecretLength or fn is
// nil: both are mistakes of the program, not of a delivery.
func NewHandler(secret string, fn func(context.Context, Event) error, opts ...Option) *Handler {
	if err := checkSecret(secret); err != nil {
		panic("webhook: NewHandler: the secret " + err.Error())
	}
	if fn == nil {
		panic("webhook: NewHandler: fn is nil")
	}
	h := &Handler{
		secret:  sha256.Sum256([]byte(secret)),
		fn:      fn,
		window:  DefaultDedupWindow,
		timeout: DefaultTimeout,
		logger:  slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		if opt != nil {
			opt(h)
		}
	}
	if h.dedup == nil {
		h.dedup = NewMemoryDeduper(0)
	}
	h.base, h.cancel = context.WithCancel(context.Background())
	if h.workers > 0 {
		h.queue = make(chan Event, h.queueSize)
		h.runs.Add(h.workers)
		for range h.workers {
			go h.work()
		}
	}
	return h
}

func (h *Handler) reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body+"\n")
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	h.logger.LogAttrs(r.Context(), slog.LevelWarn, "webhook: refused a delivery",
		slog.Int("status", status), slog.String("reason", reason), slog.String("remote", r.RemoteAddr))
	h.reply(w, status, `{"error":"`+reason+`"}`)
}

// authorized compares the header with the secret in constant time (of
// their SHA-256 digests, so not even the length shows).
func (h *Handler) authorized(r *http.Request) bool {
	values := r.Header.Values(SecretHeader)
	if len(values) != 1 {
		return false
	}
	got := sha256.Sum256([]byte(values[0]))
	return subtle.ConstantTimeCompare(got[:], h.secret[:]) == 1
}

// ServeHTTP serves one delivery; see NewHandler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if !h.authorized(r) {
		h.refuse(w, r, http.StatusUnauthorized, "unauthorized")
		return
	}
	if r.ContentLength > MaxBodySize {
		h.refuse(w, r, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodySize))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		h.refuse(w, r, http.StatusBadRequest, "unreadable body")
		return
	}
	ev, err := ParseEvent(body)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, "malformed delivery")
		h.logger.LogAttrs(r.Context(), slog.LevelDebug, "webhook: malformed delivery", slog.String("problem", err.Error()))
		return
	}
	attrs := []slog.Attr{slog.String("delivery_id", ev.DeliveryID), slog.String("trigger", string(ev.Trigger)), slog.Int64("ticket_id", ev.TicketID)}

	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.closed {
		h.refuse(w, r, http.StatusServiceUnavailable, "shutting down")
		return
	}
	first, err := h.dedup.Claim(r.Context(), ev.DeliveryID, h.window)
	if err != nil {
		h.logger.LogAttrs(r.Context(), slog.LevelError, "webhook: the deduper failed", append(attrs, slog.String("error", err.Error()))...)
		h.reply(w, http.StatusServiceUnavailable, `{"error":"try again"}`)
		return
	}
	if !first {
		h.logger.LogAttrs(r.Context(), slog.LevelDebug, "webhook: duplicate delivery acknowledged", attrs...)
		h.reply(w, http.StatusOK, `{"duplicate":true}`)
		return
	}
	if h.queue != nil {
		select {
		case h.queue <- ev:
			h.reply(w, http.StatusAccepted, `{}`)
		default:
			h.release(r.Context(), ev, attrs)
			h.refuse(w, r, http.StatusServiceUnavailable, "queue full")
		}
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	if err := h.run(ctx, ev); err != nil {
		h.logger.LogAttrs(r.Context(), slog.LevelError, "webhook: the function failed; answering 500 so Gorgias retries",
			append(attrs, slog.String("error", err.Error()))...)
		h.release(context.WithoutCancel(r.Context()), ev, attrs)
		h.reply(w, http.StatusInternalServerError, `{"error":"failed"}`)
		return
	}
	h.reply(w, http.StatusOK, `{}`)
}

// run calls fn, turning a panic into an error: one bad event must not take
// the server down, and its claim must be released.
func (h *Handler) run(ctx context.Context, ev Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("webhook: the function panicked")
		}
	}()
	return h.fn(ctx, ev)
}

func (h *Handler) release(ctx context.Context, ev Event, attrs []slog.Attr) {
	if err := h.dedup.Release(ctx, ev.DeliveryID); err != nil {
		h.logger.LogAttrs(ctx, slog.LevelError, "webhook: releasing a failed delivery's claim failed", append(attrs, slog.String("error", err.Error()))...)
	}
}

func (h *Handler) work() {
	defer h.runs.Done()
	for ev := range h.queue {
		ctx, cancel := context.WithTimeout(h.base, h.timeout)
		err := h.run(ctx, ev)
		cancel()
		if err != nil {
			attrs := []slog.Attr{slog.String("delivery_id", ev.DeliveryID), slog.String("trigger", string(ev.Trigger)),
				slog.Int64("ticket_id", ev.TicketID), slog.String("error", err.Error())}
			h.logger.LogAttrs(h.base, slog.LevelError, "webhook: the function failed after the delivery was acknowledged", attrs...)
			h.release(context.WithoutCancel(h.base), ev, attrs)
		}
	}
}

// Close stops taking deliveries (they are answered 503, so Gorgias retries
// them later) and, with WithAsync, waits for the queued ones to run. When
// ctx ends first, the running functions' contexts are cancelled, Close
// waits for them to return and returns ctx's error. Close is safe to call
// more than once; the handler cannot be reopened.
func (h *Handler) Close(ctx context.Context) error {
	h.mu.Lock()
	if !h.closed {
		h.closed = true
		if h.queue != nil {
			close(h.queue)
		}
	}
	h.mu.Unlock()
	done := make(chan struct{})
	go func() { h.runs.Wait(); close(done) }()
	select {
	case <-done:
		h.cancel()
		return nil
	case <-ctx.Done():
		h.cancel()
		<-done
		return ctx.Err()
	}
}
