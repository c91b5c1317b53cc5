package gorgiastest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/go-gorgias/gorgias/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hooks is a webhook.Handler served in memory by the fake, recording the
// events its function sees and the requests it gets.
type hooks struct {
	mu     sync.Mutex
	events []webhook.Event
	paths  []string
	fail   int // fail the first fail runs
	runs   int
	h      *webhook.Handler
}

func newHooks(t *testing.T, opts ...webhook.Option) *hooks {
	r := &hooks{}
	r.h = webhook.NewHandler(hookSecret, func(_ context.Context, ev webhook.Event) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.runs++; r.runs <= r.fail {
			return errors.New("not now")
		}
		r.events = append(r.events, ev)
		return nil
	}, opts...)
	t.Cleanup(func() { _ = r.h.Close(context.Background()) })
	return r
}

func (r *hooks) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.paths = append(r.paths, req.Host+req.URL.RequestURI())
	r.mu.Unlock()
	r.h.ServeHTTP(w, req)
}

func (r *hooks) got() []webhook.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhook.Event(nil), r.events...)
}

func registerHooks(t *testing.T, c *gorgias.Client, triggers ...webhook.Trigger) {
	t.Helper()
	_, err := webhook.Register(t.Context(), c, webhook.Config{Name: "events", URL: "https://hooks.test/gorgias?from=fake", Secret: hookSecret, Triggers: triggers})
	require.NoError(t, err)
}

// A webhook receiver is tested inside a synctest bubble: the fake
// delivers to it in memory, with no socket, and the bubble's clock runs.
func TestSynctestDeliveriesReachAHandlerInMemory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t)
		r := newHooks(t)
		srv.HandleDeliveries("https://hooks.test", r)
		c := srv.Client()
		registerHooks(t, c)

		ticket, err := c.Tickets.Create(t.Context(), newTicket("synctest-hooks@example.com"))
		require.NoError(t, err)
		msg, err := c.Messages.Create(t.Context(), ticket.ID, gorgias.InternalNote("seen"))
		require.NoError(t, err)
		require.NoError(t, srv.WaitDeliveries(t.Context()))

		events := r.got()
		require.Len(t, events, 2)
		assert.Equal(t, webhook.TicketCreated, events[0].Trigger)
		assert.Equal(t, ticket.ID, events[0].TicketID)
		assert.Zero(t, events[0].MessageID)
		assert.Equal(t, webhook.TicketMessageCreated, events[1].Trigger)
		assert.Equal(t, ticket.ID, events[1].TicketID)
		assert.Equal(t, msg.ID, events[1].MessageID)
		got, err := events[1].Message(t.Context(), c)
		require.NoError(t, err)
		assert.Equal(t, "seen", got.GetBodyText())

		r.mu.Lock()
		assert.Equal(t, []string{"hooks.test/gorgias?from=fake", "hooks.test/gorgias?from=fake"}, r.paths, "the handler sees the delivery's host, path and query")
		r.mu.Unlock()
		assert.Equal(t, gorgiastest.DeliveryStats{Delivered: 2, Attempts: 2}, srv.Stats().Deliveries)
		for _, d := range srv.Deliveries() {
			assert.Equal(t, "https://hooks.test/gorgias?from=fake", d.URL)
			assert.Equal(t, 200, d.Status)
		}
	})
}

// A function failing twice is retried by the fake and succeeds once; the
// retries' waits run on the bubble's clock (an hour each: were they real,
// the test would time out).
func TestSynctestAFailingHandlerIsRetriedOnTheBubblesClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithDeliveries(gorgiastest.DeliveryConfig{RetryDelay: time.Hour}))
		r := newHooks(t)
		r.fail = 2 // 500, 500, then 200
		srv.HandleDeliveries("https://hooks.test", r)
		c := srv.Client()
		registerHooks(t, c, webhook.TicketCreated)

		ticket, err := c.Tickets.Create(t.Context(), newTicket("synctest-retry@example.com"))
		require.NoError(t, err)
		start := time.Now()
		require.NoError(t, srv.WaitDeliveries(t.Context()))
		assert.Equal(t, 2*time.Hour, time.Since(start), "two retries, an hour apart each, on the bubble's clock")

		requireRetriedTwice(t, srv, r.got(), ticket.ID)
	})
}

// A duplicated delivery reaches the function once; a delayed one waits on
// the bubble's clock.
func TestSynctestDuplicateAndDelayFaults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t)
		r := newHooks(t)
		srv.HandleDeliveries("https://hooks.test", r)
		c := srv.Client()
		registerHooks(t, c)

		srv.InjectDelivery(gorgiastest.DeliveryFault{Trigger: "ticket-created", Duplicate: true})
		ticket, err := c.Tickets.Create(t.Context(), newTicket("synctest-dup@example.com"))
		require.NoError(t, err)
		require.NoError(t, srv.WaitDeliveries(t.Context()))
		require.Len(t, r.got(), 1, "the duplicate is acknowledged without running the function")
		st := srv.Stats().Deliveries
		assert.Equal(t, 1, st.Duplicates)
		assert.Equal(t, 2, st.Delivered, "both deliveries answered 2xx")
		r.mu.Lock()
		assert.Len(t, r.paths, 2, "the handler got both")
		r.mu.Unlock()

		srv.InjectDelivery(gorgiastest.DeliveryFault{TicketID: ticket.ID, Delay: 30 * time.Minute})
		_, err = c.Tickets.Update(t.Context(), ticket.ID, &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed})
		require.NoError(t, err)
		start := time.Now()
		require.NoError(t, srv.WaitDeliveries(t.Context()))
		assert.Equal(t, 30*time.Minute, time.Since(start))
		events := r.got()
		require.Len(t, events, 2)
		assert.Equal(t, webhook.TicketUpdated, events[1].Trigger)
	})
}

// Nothing outlives the bubble: a delivery still waiting when the test ends
// is stopped by the fake's cleanup, and an async handler's workers by its
// Close (synctest.Test fails if a goroutine is left).
func TestSynctestNoGoroutineOutlivesTheBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t)
		r := newHooks(t, webhook.WithAsync(2, 10))
		srv.HandleDeliveries("https://hooks.test", r)
		c := srv.Client()
		registerHooks(t, c, webhook.TicketCreated)
		_, err := c.Tickets.Create(t.Context(), newTicket("synctest-first@example.com"))
		require.NoError(t, err)
		require.NoError(t, srv.WaitDeliveries(t.Context()))
		synctest.Wait() // the async run is done
		require.Len(t, r.got(), 1)

		srv.InjectDelivery(gorgiastest.DeliveryFault{Delay: 24 * time.Hour})
		_, err = c.Tickets.Create(t.Context(), newTicket("synctest-left@example.com"))
		require.NoError(t, err)
		synctest.Wait() // the worker waits on the delay's timer when the test ends
		assert.Len(t, r.got(), 1)
	})
}

// Deliveries to an origin with no handler go over a socket, to loopback
// only: a removed route's deliveries are refused again.
func TestHandleDeliveriesRoutesByOriginOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t)
		r := newHooks(t)
		srv.HandleDeliveries("HTTPS://Hooks.Test:443/", r) // the same origin, spelled otherwise
		srv.HandleDeliveries("http://hooks.test", http.NotFoundHandler())
		c := srv.Client()
		registerHooks(t, c, webhook.TicketCreated)
		_, err := c.Integrations.Create(t.Context(), &gorgias.CreateIntegrationRequest{Name: "elsewhere", Type: gorgias.IntegrationTypeHTTP,
			HTTP: &gorgias.HTTPIntegrationRequest{URL: "https://other.test/x", Triggers: map[string]bool{"ticket-created": true}}})
		require.NoError(t, err)

		_, err = c.Tickets.Create(t.Context(), newTicket("synctest-route@example.com"))
		require.NoError(t, err)
		require.NoError(t, srv.WaitDeliveries(t.Context()))
		assert.Len(t, r.got(), 1)
		assert.Equal(t, gorgiastest.DeliveryStats{Delivered: 1, Attempts: 1, Refused: 1}, srv.Stats().Deliveries,
			"https://other.test has no handler and is not loopback")

		srv.HandleDeliveries("https://hooks.test", nil) // removed
		_, err = c.Tickets.Create(t.Context(), newTicket("synctest-unrouted@example.com"))
		require.NoError(t, err)
		require.NoError(t, srv.WaitDeliveries(t.Context()))
		assert.Len(t, r.got(), 1)
		assert.Equal(t, 3, srv.Stats().Deliveries.Refused)
	})
	srv := gorgiastest.NewTestServer(t)
	for _, bad := range []string{"", "hooks.test", "ftp://hooks.test", "https://", "https://hooks.test/gorgias", "https://hooks.test?x=1", "https://u@hooks.test"} {
		assert.Panics(t, func() { srv.HandleDeliveries(bad, http.NotFoundHandler()) }, "%q", bad)
	}
}

// Outside a bubble, a handled origin is served in memory too, and takes
// precedence over DeliveryConfig.Client; other loopback URLs still go over
// a socket.
func TestHandleDeliveriesOutsideABubble(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithDeliveries(gorgiastest.DeliveryConfig{
		Client: &http.Client{Transport: roundTripperFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("not this way") })},
	}))
	c := fastClient(srv)
	r := newHooks(t)
	srv.HandleDeliveries("https://hooks.test", r)
	registerHooks(t, c, webhook.TicketCreated)
	_, err := c.Tickets.Create(ctx, newTicket("plain@example.com"))
	require.NoError(t, err)
	wait(t, srv)
	assert.Len(t, r.got(), 1)

	sock := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer sock.Close()
	_, err = webhook.Register(ctx, c, webhook.Config{Name: "socket", URL: sock.URL, Secret: hookSecret, Triggers: []webhook.Trigger{webhook.TicketCreated}})
	require.NoError(t, err)
	_, err = c.Tickets.Create(ctx, newTicket("plain2@example.com"))
	require.NoError(t, err)
	wait(t, srv)
	st := srv.Stats().Deliveries
	assert.Equal(t, 2, st.Delivered, "the handled origin twice")
	assert.Equal(t, 1, st.Failed, "the socket one went through DeliveryConfig.Client")
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
