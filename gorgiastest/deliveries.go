package gorgiastest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Deliveries: when a ticket is created (POST /api/tickets) or updated
// (PUT /api/tickets/{id}) or gets a message (POST
// /api/tickets/{id}/messages), each active HTTP integration with that
// trigger on is called, as Gorgias calls it (§15 of the API notes): its
// URL, headers and form rendered over the ticket and message ({{ticket.id}},
// {{message.id}}, {{ticket.customer.email}}, {{event.type}}…), sent to
// loopback addresses only (or, in memory, to the handler of
// Server.HandleDeliveries), retried up to 3 times when it fails (an answer
// other than 2xx, or none), and the integration deactivated after
// DeliveryConfig.DeactivateAfter failed deliveries in a row.

// DeliveryConfig tunes the deliveries of HTTP integrations; the zero
// value is the default.
type DeliveryConfig struct {
	// Client sends the deliveries to URLs that Server.HandleDeliveries
	// does not handle. The default dials loopback addresses only and keeps
	// no connection open.
	Client *http.Client
	// Workers deliver concurrently (default 1: in the order of the
	// events, unless a fault reorders them).
	Workers int
	// Queue bounds the deliveries waiting (default 1000); one more is
	// dropped and counted in DeliveryStats.Dropped.
	Queue int
	// RetryDelay is the wait before each retry (default none).
	RetryDelay time.Duration
	// Timeout bounds each attempt (default 10 s).
	Timeout time.Duration
	// DeactivateAfter is how many failed deliveries in a row deactivate
	// an integration (default 100, the lower of the figures that
	// circulate).
	DeactivateAfter int
}

// MaxDeliveryRetries is how many times a failed delivery is retried.
const MaxDeliveryRetries = 3

// WithDeliveries tunes how the fake delivers HTTP integrations' requests.
func WithDeliveries(cfg DeliveryConfig) Option {
	return func(c *config) { c.deliveries = cfg }
}

// DeliveryFault aims a fault at the next deliveries matching Trigger and
// TicketID (empty and 0 match any).
type DeliveryFault struct {
	Trigger  string
	TicketID int64
	// Duplicate delivers the request twice.
	Duplicate bool
	// Delay holds the delivery this long before sending it (and, with one
	// worker, the ones after it).
	Delay time.Duration
	// OutOfOrder sends the delivery after the next one.
	OutOfOrder bool
	// Times is how many deliveries the fault applies to (0: one).
	Times int
}

// DeliveryStats counts the deliveries, in Stats.
type DeliveryStats struct {
	// Delivered counts deliveries answered 2xx (duplicates included).
	Delivered int
	// Attempts counts requests sent; Retries those after a failure.
	Attempts, Retries int
	// Failed counts deliveries that failed after their retries.
	Failed int
	// Duplicates counts the extra deliveries of Duplicate faults.
	Duplicates int
	// Refused counts deliveries not sent: their URL is not loopback, nor
	// on an origin Server.HandleDeliveries handles.
	Refused int
	// Dropped counts deliveries not sent: the queue was full, the
	// integration was gone or off by then, or the fake was closing.
	Dropped int
	// Deactivated counts integrations deactivated for failing.
	Deactivated int
}

// Delivery is one delivery made, as Server.Deliveries lists them.
type Delivery struct {
	IntegrationID       int64
	Trigger             string
	TicketID, MessageID int64
	Method, URL         string
	// Attempts made, and the last answer's status (0: none).
	Attempts, Status int
	Delivered        bool
	// Err is why the last attempt failed, if it did.
	Err string
	// Duplicate, OutOfOrder: made by a DeliveryFault.
	Duplicate, OutOfOrder bool
}

// maxDeliveryLog bounds Server.Deliveries.
const maxDeliveryLog = 1000

type delivery struct {
	integrationID       int64
	trigger             string
	ticketID, messageID int64
	method, url         string
	header              http.Header
	body                []byte
	delay               time.Duration
	hold, duplicate     bool
	reordered           bool // an OutOfOrder fault held it
}

type deliveryFault struct {
	DeliveryFault
	left int
}

// webhooks holds the integrations and delivers. Its mutex is taken after
// the server's (handlers) or alone (workers), never before it.
type webhooks struct {
	mu           sync.Mutex
	cfg          DeliveryConfig
	clock        *clock
	ownClient    bool
	integrations map[int64]*integration
	faults       []*deliveryFault
	handlers     map[string]http.Handler // Server.HandleDeliveries: origin → handler

	queue   chan *delivery
	ctx     context.Context
	cancel  context.CancelFunc
	workers sync.WaitGroup
	started bool
	stopped bool
	pending int         // queued, held or being delivered
	held    []*delivery // OutOfOrder: sent after the next one
	changed chan struct{}
	stats   DeliveryStats
	log     []Delivery
}

func newWebhooks(cfg DeliveryConfig, clk *clock) *webhooks {
	w := &webhooks{cfg: cfg, clock: clk, integrations: map[int64]*integration{}, changed: make(chan struct{})}
	if w.cfg.Client == nil {
		w.cfg.Client, w.ownClient = loopbackClient(), true
	}
	if w.cfg.Workers <= 0 {
		w.cfg.Workers = 1
	}
	if w.cfg.Queue <= 0 {
		w.cfg.Queue = 1000
	}
	if w.cfg.Timeout <= 0 {
		w.cfg.Timeout = 10 * time.Second
	}
	if w.cfg.DeactivateAfter <= 0 {
		w.cfg.DeactivateAfter = 100
	}
	return w
}

// loopbackClient refuses to connect anywhere but a loopback address,
// follows no redirect and keeps no idle connection (so no goroutine
// outlives a delivery).
func loopbackClient() *http.Client {
	dialer := &net.Dialer{Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("gorgiastest delivers to loopback addresses only, not %s", address)
		}
		return nil
	}}
	return &http.Client{
		Transport:     &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// memClient sends requests to h in memory, following no redirect.
func memClient(h http.Handler) *http.Client {
	return &http.Client{
		Transport:     memTransport{h},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// originOf returns u's scheme and host, lower-cased and without the
// scheme's default port ("https://hooks.test"), when u is an http(s) URL
// with a host.
func originOf(u string) (string, bool) {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "", false
	}
	scheme := strings.ToLower(p.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	host := strings.ToLower(p.Host)
	if port := p.Port(); (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		host = strings.TrimSuffix(host, ":"+port)
	}
	return scheme + "://" + host, true
}

// HandleDeliveries serves the deliveries whose URL is on origin (a scheme
// and host, with a port when it is not the scheme's default, such as
// "https://hooks.test" or "http://127.0.0.1:8080") with h, in memory:
// whatever the host, no socket is opened and the loopback-only rule does
// not apply, since nothing leaves the process. h gets the request as a
// server would (method, Host, path and query, headers, body, the
// delivery's context; RemoteAddr "gorgiastest:0"), and its answer counts
// as the delivery's: 2xx delivered, anything else (or a panic) failed and
// retried. DeliveryConfig.Client is not used for them.
//
// It is how a webhook receiver is tested inside a testing/synctest
// bubble, where a socket's goroutine would keep the bubble's clock still:
//
//	synctest.Test(t, func(t *testing.T) {
//		srv := gorgiastest.NewTestServer(t)
//		srv.HandleDeliveries("https://hooks.test", webhook.NewHandler(secret, fn))
//		c := srv.Client()
//		webhook.Register(ctx, c, webhook.Config{URL: "https://hooks.test/gorgias", …})
//		c.Tickets.Create(ctx, …)
//		srv.WaitDeliveries(ctx) // fn has seen the ticket-created event
//	})
//
// A later call for the same origin replaces h; a nil h removes the
// origin, whose deliveries then go over a socket again, to loopback
// addresses only. Deliveries already queued are routed when they are
// sent. It panics when origin is not an http or https URL of a host with
// no path (but "/"), query, fragment or user.
func (s *Server) HandleDeliveries(origin string, h http.Handler) {
	p, err := url.Parse(origin)
	key, ok := originOf(origin)
	if err != nil || !ok || (p.Path != "" && p.Path != "/") || p.RawQuery != "" || p.ForceQuery || p.Fragment != "" || p.User != nil {
		panic(fmt.Sprintf("gorgiastest: HandleDeliveries: %q is not an origin such as https://hooks.test", origin))
	}
	w := s.store.webhooks
	w.mu.Lock()
	defer w.mu.Unlock()
	if h == nil {
		delete(w.handlers, key)
		return
	}
	if w.handlers == nil {
		w.handlers = map[string]http.Handler{}
	}
	w.handlers[key] = h
}

// loopbackURL reports whether u is an http(s) URL of a loopback host.
func loopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
		return false
	}
	host := p.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// fire delivers trigger for ticket t (and message m, or nil) to every
// HTTP integration that has it on. The requests are rendered now, from
// the records as they are, and sent by the workers.
func (w *webhooks) fire(st *store, trigger string, t *ticket, m *message) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	var vars map[string]any
	for _, id := range sortedKeys(w.integrations) {
		in := w.integrations[id]
		if in.typ != "http" || in.http == nil || in.deactivated != 0 || !in.http.triggered(trigger) {
			continue
		}
		if vars == nil {
			vars = templateVars(st, trigger, t, m)
		}
		d := renderDelivery(in, vars)
		d.trigger, d.ticketID = trigger, t.id
		if m != nil {
			d.messageID = m.id
		}
		copies := 1
		for _, f := range w.faults {
			if f.left == 0 || (f.Trigger != "" && f.Trigger != trigger) || (f.TicketID != 0 && f.TicketID != t.id) {
				continue
			}
			f.left--
			d.delay += f.Delay
			d.hold = d.hold || f.OutOfOrder
			d.reordered = d.hold
			if f.Duplicate {
				copies++
			}
		}
		for i := range copies {
			c := *d
			if i > 0 {
				c.duplicate, c.hold, c.reordered = true, false, false
				w.stats.Duplicates++
			}
			w.enqueue(&c)
		}
	}
}

// enqueue queues d (held back when d.hold), starting the workers on the
// first delivery. w.mu is held.
func (w *webhooks) enqueue(d *delivery) {
	if !w.started {
		w.started = true
		w.queue = make(chan *delivery, w.cfg.Queue)
		w.ctx, w.cancel = context.WithCancel(context.Background())
		w.workers.Add(w.cfg.Workers)
		for range w.cfg.Workers {
			go w.work()
		}
	}
	w.pending++
	if d.hold {
		w.held = append(w.held, d)
		return
	}
	select {
	case w.queue <- d:
	default:
		w.pending--
		w.stats.Dropped++
	}
}

// release queues the held deliveries. w.mu is held.
func (w *webhooks) release() {
	held := w.held
	w.held = nil
	for _, d := range held {
		w.pending--
		d.hold = false
		w.enqueue(d)
	}
}

func (w *webhooks) work() {
	defer w.workers.Done()
	for {
		select {
		case <-w.ctx.Done():
			return
		case d := <-w.queue:
			w.deliver(d)
		}
	}
}

func (w *webhooks) deliver(d *delivery) {
	rec := Delivery{IntegrationID: d.integrationID, Trigger: d.trigger, TicketID: d.ticketID, MessageID: d.messageID,
		Method: d.method, URL: d.url, Duplicate: d.duplicate}
	outcome := "dropped"
	defer func() { w.finish(d, rec, outcome) }()
	if d.delay > 0 {
		timer := time.NewTimer(d.delay)
		select {
		case <-w.ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
	w.mu.Lock()
	in := w.integrations[d.integrationID]
	active := in != nil && in.deactivated == 0
	client := w.cfg.Client
	if origin, ok := originOf(d.url); ok && w.handlers[origin] != nil {
		client = memClient(w.handlers[origin])
	} else if !loopbackURL(d.url) {
		client = nil
	}
	w.mu.Unlock()
	if !active {
		return
	}
	if client == nil {
		outcome, rec.Err = "refused", "not a loopback URL, nor one Server.HandleDeliveries handles"
		return
	}
	outcome = "failed"
	for attempt := 0; attempt <= MaxDeliveryRetries; attempt++ {
		if attempt > 0 {
			w.count(func(s *DeliveryStats) { s.Retries++ })
			if w.cfg.RetryDelay > 0 {
				timer := time.NewTimer(w.cfg.RetryDelay)
				select {
				case <-w.ctx.Done():
					timer.Stop()
					return
				case <-timer.C:
				}
			}
		}
		if w.ctx.Err() != nil {
			return
		}
		rec.Attempts++
		w.count(func(s *DeliveryStats) { s.Attempts++ })
		status, err := w.send(client, d)
		rec.Status, rec.Err = status, ""
		if err != nil {
			rec.Err = err.Error()
		}
		if err == nil && status >= 200 && status <= 299 {
			outcome, rec.Delivered = "delivered", true
			return
		}
	}
}

func (w *webhooks) count(f func(*DeliveryStats)) {
	w.mu.Lock()
	f(&w.stats)
	w.mu.Unlock()
}

func (w *webhooks) send(client *http.Client, d *delivery) (int, error) {
	ctx, cancel := context.WithTimeout(w.ctx, w.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if d.body != nil {
		body = bytes.NewReader(d.body)
	}
	req, err := http.NewRequestWithContext(ctx, d.method, d.url, body)
	if err != nil {
		return 0, err
	}
	req.Header = d.header.Clone()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// finish records a delivery's outcome.
func (w *webhooks) finish(d *delivery, rec Delivery, outcome string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	in := w.integrations[d.integrationID]
	switch outcome {
	case "delivered":
		w.stats.Delivered++
		if in != nil {
			in.failures = 0
		}
	case "failed":
		w.stats.Failed++
		if in != nil && in.deactivated == 0 {
			if in.failures++; in.failures >= w.cfg.DeactivateAfter {
				in.deactivated = tsOf(w.clock.now())
				w.stats.Deactivated++
			}
		}
	case "refused":
		w.stats.Refused++
	default:
		w.stats.Dropped++
	}
	rec.OutOfOrder = d.reordered
	if len(w.log) == maxDeliveryLog {
		w.log = append(w.log[:0], w.log[1:]...)
	}
	w.log = append(w.log, rec)
	w.pending--
	if !d.reordered && !w.stopped {
		w.release() // the held ones go after this one
	}
	close(w.changed)
	w.changed = make(chan struct{})
}

// wait returns when no delivery is pending; held ones with nothing after
// them are sent.
func (w *webhooks) wait(ctx context.Context) error {
	for {
		w.mu.Lock()
		if w.pending == 0 || w.stopped {
			w.mu.Unlock()
			return nil
		}
		if w.pending == len(w.held) {
			w.release()
		}
		changed := w.changed
		w.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// stop cancels the deliveries under way and waits for the workers.
func (w *webhooks) stop() {
	w.mu.Lock()
	w.stopped = true
	started := w.started
	if started {
		w.cancel()
	}
	w.mu.Unlock()
	if started {
		w.workers.Wait()
	}
	if w.ownClient {
		w.cfg.Client.CloseIdleConnections()
	}
}

func (w *webhooks) inject(faults []DeliveryFault) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range faults {
		w.faults = append(w.faults, &deliveryFault{DeliveryFault: f, left: max(f.Times, 1)})
	}
}

// InjectDelivery aims faults at the next deliveries of HTTP integrations.
func (s *Server) InjectDelivery(faults ...DeliveryFault) { s.store.webhooks.inject(faults) }

// WaitDeliveries returns when every delivery made so far is done (sent,
// with its retries, or given up), or ctx ends.
func (s *Server) WaitDeliveries(ctx context.Context) error { return s.store.webhooks.wait(ctx) }

// Deliveries lists the last 1000 deliveries made, oldest first.
func (s *Server) Deliveries() []Delivery {
	w := s.store.webhooks
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Delivery(nil), w.log...)
}

func (w *webhooks) snapshot() DeliveryStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}

// templating -----------------------------------------------------------------

// templateVars is what a template sees: the ticket and message as the API
// writes them, and the event's type.
func templateVars(st *store, trigger string, t *ticket, m *message) map[string]any {
	vars := map[string]any{"event": map[string]any{"type": trigger}}
	e := &enc{}
	st.writeTicket(e, t, false)
	vars["ticket"] = decodeVars(e.b)
	if m != nil {
		e = &enc{}
		writeMessage(e, m)
		vars["message"] = decodeVars(e.b)
	}
	return vars
}

func decodeVars(data []byte) any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	_ = dec.Decode(&v)
	return v
}

// templateVar is one {{ path }} (a filter after | is ignored).
var templateVar = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+|\[-?[0-9]+\])*)\s*(?:\|[^}]*)?\}\}`)

var pathPart = regexp.MustCompile(`[A-Za-z0-9_]+|\[-?[0-9]+\]`)

// render replaces the variables of s as Jinja would: an undefined one by
// "", None by "None", booleans by True and False.
func render(s string, vars map[string]any) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return templateVar.ReplaceAllStringFunc(s, func(m string) string {
		path := templateVar.FindStringSubmatch(m)[1]
		var v any = vars
		for _, part := range pathPart.FindAllString(path, -1) {
			switch cur := v.(type) {
			case map[string]any:
				v = cur[part]
				if _, ok := cur[part]; !ok {
					return ""
				}
			case []any:
				i, err := strconv.Atoi(strings.Trim(part, "[]"))
				if err != nil {
					return ""
				}
				if i < 0 {
					i += len(cur)
				}
				if i < 0 || i >= len(cur) {
					return ""
				}
				v = cur[i]
			default:
				return ""
			}
		}
		switch v := v.(type) {
		case nil:
			return "None"
		case string:
			return v
		case json.Number:
			return v.String()
		case bool:
			if v {
				return "True"
			}
			return "False"
		}
		b, _ := json.Marshal(v)
		return string(b)
	})
}

// renderForm renders every string of a decoded form.
func renderForm(v any, vars map[string]any) any {
	switch v := v.(type) {
	case string:
		return render(v, vars)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = renderForm(x, vars)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = renderForm(x, vars)
		}
		return out
	}
	return v
}

// renderDelivery renders in's request over vars.
func renderDelivery(in *integration, vars map[string]any) *delivery {
	h := in.http
	d := &delivery{integrationID: in.id, method: h.method, url: render(h.url, vars), header: http.Header{}}
	for k, v := range h.headers {
		d.header.Set(k, render(v, vars))
	}
	d.header.Set("User-Agent", "Gorgias-HTTP-Integration (gorgiastest)")
	if len(h.form) == 0 || h.method == http.MethodGet || h.method == http.MethodHead {
		return d
	}
	form := renderForm(decodeVars(h.form), vars)
	switch f := form.(type) {
	case string:
		d.body = []byte(f)
	case map[string]any:
		if h.reqType == "application/x-www-form-urlencoded" {
			values := url.Values{}
			for k, x := range f {
				if s, ok := x.(string); ok {
					values.Set(k, s)
				} else {
					b, _ := json.Marshal(x)
					values.Set(k, string(b))
				}
			}
			d.body = []byte(values.Encode())
		} else {
			d.body, _ = json.Marshal(f)
		}
	}
	if d.body != nil && d.header.Get("Content-Type") == "" {
		d.header.Set("Content-Type", h.reqType)
	}
	return d
}
