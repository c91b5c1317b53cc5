package gorgiastest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/go-gorgias/gorgias/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hookSecret = "gorgiastest-webhook-secret-0123"

// receiver is a webhook.Handler on a loopback server, recording the
// events its function sees.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	events []webhook.Event
	fail   int // fail the first fail runs
	runs   int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	h := webhook.NewHandler(hookSecret, func(_ context.Context, ev webhook.Event) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.runs++; r.runs <= r.fail {
			return errors.New("not now")
		}
		r.events = append(r.events, ev)
		return nil
	})
	r.srv = httptest.NewServer(h)
	t.Cleanup(func() { r.srv.Close(); _ = h.Close(context.Background()) })
	return r
}

func (r *receiver) got() []webhook.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhook.Event(nil), r.events...)
}

func wait(t *testing.T, srv *gorgiastest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitDeliveries(ctx))
}

func register(t *testing.T, c *gorgias.Client, url string, triggers ...webhook.Trigger) *gorgias.Integration {
	in, err := webhook.Register(ctx, c, webhook.Config{Name: "events", URL: url, Secret: hookSecret, Triggers: triggers})
	require.NoError(t, err)
	return in
}

func TestIntegrationsCRUD(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	c := fastClient(srv)
	hook := &gorgias.HTTPIntegrationRequest{URL: "http://127.0.0.1:1/h", Method: "POST", Triggers: map[string]bool{"ticket-created": true},
		Headers: map[string]string{"X-A": "b"}, Form: map[string]string{"id": "{{ticket.id}}"}}
	var ids []int64
	for _, name := range []string{"one", "two", "three"} {
		in, err := c.Integrations.Create(ctx, &gorgias.CreateIntegrationRequest{Name: name, Type: gorgias.IntegrationTypeHTTP, HTTP: hook})
		require.NoError(t, err)
		assert.Equal(t, name, in.Name)
		assert.True(t, in.Active())
		assert.Equal(t, "http://127.0.0.1:1/h", in.HTTP.URL)
		assert.Equal(t, "b", in.HTTP.Headers["X-A"])
		assert.JSONEq(t, `{"id":"{{ticket.id}}"}`, string(in.HTTP.Form))
		assert.Equal(t, "application/json", in.HTTP.RequestContentType)
		assert.Empty(t, in.Raw.Keys(), "the fake sends the documented keys only")
		ids = append(ids, in.ID)
	}
	_, err := c.Integrations.Create(ctx, &gorgias.CreateIntegrationRequest{Name: "mail", Type: "email"})
	require.NoError(t, err)

	// Listed by type, a page at a time.
	var names []string
	for in, err := range c.Integrations.All(ctx, &gorgias.ListIntegrationsOptions{Type: gorgias.IntegrationTypeHTTP, ListOptions: gorgias.ListOptions{Limit: 2}}) {
		require.NoError(t, err)
		names = append(names, in.Name)
	}
	assert.Equal(t, []string{"one", "two", "three"}, names)
	page, err := c.Integrations.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Data, 4)

	got, err := c.Integrations.Get(ctx, ids[1])
	require.NoError(t, err)
	assert.Equal(t, "two", got.Name)
	up, err := c.Integrations.Update(ctx, ids[1], &gorgias.UpdateIntegrationRequest{Name: gorgias.Ptr("deux"),
		DeactivatedDatetime: gorgias.NewNullable(gorgias.Time{Time: srv.Now()})})
	require.NoError(t, err)
	assert.Equal(t, "deux", up.Name)
	assert.False(t, up.Active())
	assert.Equal(t, "http://127.0.0.1:1/h", up.HTTP.URL, "http is kept when not sent")
	up, err = c.Integrations.Update(ctx, ids[1], &gorgias.UpdateIntegrationRequest{DeactivatedDatetime: gorgias.Null[gorgias.Time]()})
	require.NoError(t, err)
	assert.True(t, up.Active())

	require.NoError(t, c.Integrations.Delete(ctx, ids[0]))
	_, err = c.Integrations.Get(ctx, ids[0])
	assert.ErrorIs(t, err, gorgias.ErrNotFound)
	assert.ErrorIs(t, c.Integrations.Delete(ctx, ids[0]), gorgias.ErrNotFound)

	// The fake refuses what the API refuses (sent raw: the SDK would not).
	status, _, body := rawPost(t, srv, "/api/integrations", `{"name":"x","type":"http","http":{"method":"FETCH","triggers":{"ticket-created":"yes"}}}`)
	assert.Equal(t, 400, status)
	data := body.(map[string]any)["error"].(map[string]any)["data"].(map[string]any)["http"].(map[string]any)
	assert.Contains(t, data, "url")
	assert.Contains(t, data, "method")
	assert.Contains(t, data, "triggers")
}

func TestRegisterTwiceLeavesOneIntegration(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	c := fastClient(srv)
	a := register(t, c, "http://127.0.0.1:1/a")
	b := register(t, c, "http://127.0.0.1:1/b", webhook.TicketMessageCreated)
	assert.Equal(t, a.ID, b.ID)
	page, err := c.Integrations.List(ctx, &gorgias.ListIntegrationsOptions{Type: gorgias.IntegrationTypeHTTP})
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, "http://127.0.0.1:1/b", page.Data[0].HTTP.URL)
	assert.False(t, page.Data[0].HTTP.Triggered("ticket-created"))
}

func TestEachTriggerIsDeliveredWithItsIDs(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := gorgiastest.NewServer(gorgiastest.WithoutRateLimit())
	c := fastClient(srv)
	r := newReceiver(t)
	register(t, c, r.srv.URL)

	ticket, err := c.Tickets.Create(ctx, newTicket("webhooks@example.com"))
	require.NoError(t, err)
	wait(t, srv)
	_, err = c.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed})
	require.NoError(t, err)
	wait(t, srv)
	msg, err := c.Messages.Create(ctx, ticket.ID, gorgias.InternalNote("checked"))
	require.NoError(t, err)
	wait(t, srv)

	events := r.got()
	require.Len(t, events, 3)
	assert.Equal(t, webhook.TicketCreated, events[0].Trigger)
	assert.Equal(t, webhook.TicketUpdated, events[1].Trigger)
	assert.Equal(t, webhook.TicketMessageCreated, events[2].Trigger)
	for _, ev := range events {
		assert.Equal(t, ticket.ID, ev.TicketID)
		assert.False(t, ev.UpdatedDatetime.IsZero())
	}
	assert.Zero(t, events[0].MessageID)
	assert.Zero(t, events[1].MessageID)
	assert.Equal(t, msg.ID, events[2].MessageID)
	assert.True(t, events[0].UpdatedDatetime.Equal(ticket.UpdatedDatetime.Time))

	// The event's objects, through the API.
	got, err := events[2].Message(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, "checked", gorgias.Deref(got.BodyText))
	gotTicket, err := events[1].Ticket(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, gorgias.StatusClosed, gotTicket.Status)

	st := srv.Stats().Deliveries
	assert.Equal(t, gorgiastest.DeliveryStats{Delivered: 3, Attempts: 3}, st)
	assert.Len(t, srv.Deliveries(), 3)
	assert.Equal(t, 1, srv.Stats().ByRoute["POST /api/integrations"])

	// Closing the fake stops its workers: nothing is left running.
	srv.Close()
	r.srv.Close()
	waitGoroutines(t, before)
}

func TestTemplatesAreRenderedOverTheTicketAndMessage(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	c := fastClient(srv)
	type request struct {
		method, path string
		query        url.Values
		header       http.Header
		body         string
	}
	got := make(chan request, 4)
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- request{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone(), string(b)}
	}))
	defer rec.Close()
	_, err := c.Integrations.Create(ctx, &gorgias.CreateIntegrationRequest{Name: "form", Type: gorgias.IntegrationTypeHTTP,
		HTTP: &gorgias.HTTPIntegrationRequest{
			URL: rec.URL + "/t/{{ticket.id}}?email={{ ticket.customer.email }}&m={{message.id}}&x={{ticket.nothing.here}}", Method: "PUT",
			Headers:            map[string]string{"X-Subject": "{{ticket.subject}}", "X-Event": "{{event.type}}"},
			Form:               map[string]any{"first": "{{ticket.messages[0].body_text}}", "spam": "{{ticket.spam}}", "n": 3},
			RequestContentType: gorgias.ContentTypeForm,
			Triggers:           map[string]bool{"ticket-message-created": true},
		}})
	require.NoError(t, err)
	ticket, err := c.Tickets.Create(ctx, newTicket("render@example.com"))
	require.NoError(t, err)
	wait(t, srv)
	assert.Empty(t, got, "ticket-created is off")
	msg, err := c.Messages.Create(ctx, ticket.ID, gorgias.InternalNote("second"))
	require.NoError(t, err)
	wait(t, srv)
	r := <-got
	assert.Equal(t, "PUT", r.method)
	assert.Equal(t, "/t/"+itoa(ticket.ID), r.path)
	assert.Equal(t, "render@example.com", r.query.Get("email"))
	assert.Equal(t, itoa(msg.ID), r.query.Get("m"))
	assert.Equal(t, "", r.query.Get("x"), "an undefined variable renders empty")
	assert.Equal(t, "Where is my order?", r.header.Get("X-Subject"))
	assert.Equal(t, "ticket-message-created", r.header.Get("X-Event"))
	assert.Equal(t, "application/x-www-form-urlencoded", r.header.Get("Content-Type"))
	form, err := url.ParseQuery(r.body)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"first": {"Hello?"}, "spam": {"False"}, "n": {"3"}}, form)
}

func TestAFailingDeliveryIsRetriedAndSucceedsOnce(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	c := fastClient(srv)
	r := newReceiver(t)
	r.fail = 2 // the function fails twice: 500, 500, then 200
	register(t, c, r.srv.URL, webhook.TicketCreated)
	ticket, err := c.Tickets.Create(ctx, newTicket("retry@example.com"))
	require.NoError(t, err)
	wait(t, srv)
	requireRetriedTwice(t, srv, r.got(), ticket.ID)
}

// requireRetriedTwice checks that the one event of ticketID reached the
// function once, after two failed attempts the fake retried.
func requireRetriedTwice(t *testing.T, srv *gorgiastest.Server, events []webhook.Event, ticketID int64) {
	t.Helper()
	require.Len(t, events, 1, "the function succeeded once")
	assert.Equal(t, ticketID, events[0].TicketID)
	assert.Equal(t, gorgiastest.DeliveryStats{Delivered: 1, Attempts: 3, Retries: 2}, srv.Stats().Deliveries)
	d := srv.Deliveries()
	require.Len(t, d, 1)
	assert.Equal(t, 3, d[0].Attempts)
	assert.Equal(t, 200, d[0].Status)
}

func TestAnIntegrationThatKeepsFailingIsDeactivated(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithDeliveries(gorgiastest.DeliveryConfig{DeactivateAfter: 2}))
	c := fastClient(srv)
	var calls sync.Map
	n := 0
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n++
		calls.Store(n, true)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer down.Close()
	in := register(t, c, down.URL, webhook.TicketCreated)
	for range 3 {
		_, err := c.Tickets.Create(ctx, newTicket("down@example.com"))
		require.NoError(t, err)
		wait(t, srv)
	}
	st := srv.Stats().Deliveries
	assert.Equal(t, 2, st.Failed)
	assert.Equal(t, 8, st.Attempts, "each delivery is tried once and retried 3 times")
	assert.Equal(t, 6, st.Retries)
	assert.Equal(t, 1, st.Deactivated)
	got, err := c.Integrations.Get(ctx, in.ID)
	require.NoError(t, err)
	assert.False(t, got.Active(), "deactivated after 2 failed deliveries; the third event was not delivered")

	// Register turns it back on.
	again := register(t, c, down.URL, webhook.TicketCreated)
	assert.Equal(t, in.ID, again.ID)
	assert.True(t, again.Active())
}

func TestDeliveriesGoToLoopbackOnly(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	c := fastClient(srv)
	_, err := c.Integrations.Create(ctx, &gorgias.CreateIntegrationRequest{Name: "far", Type: gorgias.IntegrationTypeHTTP,
		HTTP: &gorgias.HTTPIntegrationRequest{URL: "https://hooks.example.com/x", Triggers: map[string]bool{"ticket-created": true}}})
	require.NoError(t, err)
	_, err = c.Tickets.Create(ctx, newTicket("far@example.com"))
	require.NoError(t, err)
	wait(t, srv)
	assert.Equal(t, gorgiastest.DeliveryStats{Refused: 1}, srv.Stats().Deliveries)
}

func TestDeliveryFaults(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	c := fastClient(srv)
	r := newReceiver(t)
	register(t, c, r.srv.URL)
	ticket, err := c.Tickets.Create(ctx, newTicket("faults@example.com"))
	require.NoError(t, err)
	wait(t, srv)

	// A duplicate delivery reaches the function once.
	srv.InjectDelivery(gorgiastest.DeliveryFault{Trigger: "ticket-updated", Duplicate: true})
	_, err = c.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Priority: gorgias.PriorityHigh})
	require.NoError(t, err)
	wait(t, srv)
	assert.Len(t, r.got(), 2)
	st := srv.Stats().Deliveries
	assert.Equal(t, 1, st.Duplicates)
	assert.Equal(t, 3, st.Delivered)

	// Out of order: the update is delivered after the message that
	// followed it.
	srv.InjectDelivery(gorgiastest.DeliveryFault{Trigger: "ticket-updated", OutOfOrder: true})
	_, err = c.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed})
	require.NoError(t, err)
	msg, err := c.Messages.Create(ctx, ticket.ID, gorgias.InternalNote("after"))
	require.NoError(t, err)
	wait(t, srv)
	events := r.got()
	require.Len(t, events, 4)
	assert.Equal(t, webhook.TicketMessageCreated, events[2].Trigger)
	assert.Equal(t, msg.ID, events[2].MessageID)
	assert.Equal(t, webhook.TicketUpdated, events[3].Trigger)
	assert.True(t, srv.Deliveries()[len(srv.Deliveries())-1].OutOfOrder)

	// Out of order with nothing after: WaitDeliveries sends it.
	srv.InjectDelivery(gorgiastest.DeliveryFault{OutOfOrder: true})
	_, err = c.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Status: gorgias.StatusOpen})
	require.NoError(t, err)
	wait(t, srv)
	assert.Len(t, r.got(), 5)

	// A delay holds the delivery back.
	srv.InjectDelivery(gorgiastest.DeliveryFault{TicketID: ticket.ID, Delay: 20 * time.Millisecond})
	_, err = c.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed})
	require.NoError(t, err)
	wait(t, srv)
	assert.Len(t, r.got(), 6)
}

func TestCloseStopsDeliveriesUnderWay(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := gorgiastest.NewServer(gorgiastest.WithoutRateLimit(), gorgiastest.WithDeliveries(gorgiastest.DeliveryConfig{RetryDelay: time.Hour}))
	c := fastClient(srv)
	hit := make(chan struct{}, 1)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		select {
		case hit <- struct{}{}:
		default:
		}
		w.WriteHeader(500)
	}))
	register(t, c, down.URL, webhook.TicketCreated)
	srv.InjectDelivery(gorgiastest.DeliveryFault{Delay: time.Hour, TicketID: -1}) // aimed at nothing
	_, err := c.Tickets.Create(ctx, newTicket("close@example.com"))
	require.NoError(t, err)
	<-hit // the first attempt failed; the retry waits an hour
	srv.Close()
	down.Close()
	waitGoroutines(t, before)
}

// waitGoroutines polls until the goroutines started since before are
// gone.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	for range 500 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Fatalf("goroutines left behind: %d, were %d\n%s", runtime.NumGoroutine(), before, bytes.TrimSpace(buf[:runtime.Stack(buf, true)]))
}
