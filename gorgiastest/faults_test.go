package gorgiastest_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestThirdCreateCommitsThenDrops(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(),
		gorgiastest.WithFault(gorgiastest.Fault{On: "POST /api/tickets", Call: 3, Kind: gorgiastest.FaultCommitThenDrop}))
	client := fastClient(srv)
	for i := range 4 {
		_, err := client.Tickets.Create(ctx, newTicket("drop"+itoa(int64(i))+"@example.com"))
		if i == 2 {
			require.Error(t, err, "the 3rd create loses its answer")
			continue
		}
		require.NoError(t, err, "create %d", i+1)
	}
	assert.Equal(t, 4, srv.TicketCount(), "the 3rd create happened all the same")
	st := srv.Stats()
	assert.Equal(t, 1, st.Dropped)
	assert.Equal(t, 4, st.ByRoute["POST /api/tickets"], "the SDK does not resend a create")
}

func TestNextGetIsRateLimitedWithRetryAfterZero(t *testing.T) {
	srv, client := seeded(t, 5)
	// A POST first: it does not count against a fault aimed at GETs.
	_, err := client.Tickets.Create(ctx, newTicket("ratelimit@example.com"))
	require.NoError(t, err)
	srv.Inject(gorgiastest.Fault{On: "GET", Kind: gorgiastest.FaultRateLimit})
	status, header, _ := rawGet(t, srv, "/api/tags")
	assert.Equal(t, 429, status)
	assert.Equal(t, "0", header.Get("Retry-After"))
	status, _, _ = rawGet(t, srv, "/api/tags")
	assert.Equal(t, 200, status, "once only")

	srv.Inject(gorgiastest.Fault{On: "GET /api/tickets", Kind: gorgiastest.FaultRateLimit, Times: 2})
	_, err = client.Tickets.List(ctx, nil)
	require.NoError(t, err, "the SDK waits Retry-After: 0 and retries")
	assert.Equal(t, 3, srv.Stats().RateLimited)
}

func TestRetryAfterChosenByTheTest(t *testing.T) {
	wait := 3 * time.Second
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(),
		gorgiastest.WithFaults(gorgiastest.Faults{RateLimitRate: 1, RetryAfter: &wait}))
	status, header, _ := rawGet(t, srv, "/api/tags")
	assert.Equal(t, 429, status)
	assert.Equal(t, "3", header.Get("Retry-After"))

	planned := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(),
		gorgiastest.WithFault(gorgiastest.Fault{Kind: gorgiastest.FaultRateLimit, RetryAfter: 1500 * time.Millisecond}))
	_, header, _ = rawGet(t, planned, "/api/tags")
	assert.Equal(t, "2", header.Get("Retry-After"), "whole seconds, rounded up")
}

func TestPlannedServerErrors(t *testing.T) {
	srv, client := seeded(t, 5)
	ticket, err := client.Tickets.Create(ctx, newTicket("5xx@example.com"))
	require.NoError(t, err)
	srv.Inject(gorgiastest.Fault{On: "GET /api/tickets/{id}", Kind: gorgiastest.FaultServerError, Status: 502, Times: 2})
	status, _, _ := rawGet(t, srv, "/api/tickets/"+itoa(ticket.ID))
	assert.Equal(t, 502, status)
	status, _, _ = rawGet(t, srv, "/api/tickets")
	assert.Equal(t, 200, status, "another route is not hit")
	_, err = client.Tickets.Get(ctx, ticket.ID, nil)
	require.NoError(t, err, "the second 502 is retried")
	assert.Equal(t, 2, srv.Stats().ServerErrors)

	srv.Inject(gorgiastest.Fault{On: "PUT /api/tickets/" + itoa(ticket.ID), Kind: gorgiastest.FaultDrop})
	got, err := client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Priority: gorgias.PriorityLow})
	require.NoError(t, err, "a concrete path works too; the SDK resends an update, which is idempotent")
	assert.Equal(t, gorgias.PriorityLow, deref(got.Priority))
	st := srv.Stats()
	assert.Equal(t, 1, st.Dropped)
	assert.Equal(t, 2, st.ByRoute["PUT /api/tickets/{id}"], "the dropped PUT and its retry are both counted")
}

// TestCommittedCreateShowsLate is the integration case: a create whose
// answer is lost shows in lists only later, so a client that looks it up
// by external_id at once finds nothing, and finds it after the delay.
func TestCommittedCreateShowsLate(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(start),
		gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 30}))
	client := fastClient(srv)
	srv.Inject(gorgiastest.Fault{On: "POST /api/tickets", Kind: gorgiastest.FaultCommitThenDrop, VisibleAfter: 10 * time.Second})
	req := newTicket("late@example.com")
	req.ExternalID = "shop-order-77"
	_, err := client.Tickets.Create(ctx, req)
	require.Error(t, err)
	byExternal := &gorgias.ListTicketsOptions{ExternalID: "shop-order-77"}
	page, err := client.Tickets.List(ctx, byExternal)
	require.NoError(t, err)
	assert.Empty(t, page.Data, "not visible yet")

	srv.Advance(9 * time.Second)
	page, _ = client.Tickets.List(ctx, byExternal)
	assert.Empty(t, page.Data)
	srv.Advance(time.Second)
	page, err = client.Tickets.List(ctx, byExternal)
	require.NoError(t, err)
	require.Len(t, page.Data, 1, "visible once the delay has passed on the fake's clock")
	assert.Equal(t, "shop-order-77", *page.Data[0].ExternalID)

	// A create that answers, whose ticket reads see only later.
	srv.Inject(gorgiastest.Fault{On: "POST /api/tickets", Kind: gorgiastest.FaultDelayVisibility, VisibleAfter: time.Minute})
	created, err := client.Tickets.Create(ctx, newTicket("eventual@example.com"))
	require.NoError(t, err)
	_, err = client.Tickets.Get(ctx, created.ID, nil)
	require.ErrorIs(t, err, gorgias.ErrNotFound)
	srv.Advance(time.Minute)
	_, err = client.Tickets.Get(ctx, created.ID, nil)
	require.NoError(t, err)

	// A message whose create loses its answer: the ticket shows it later.
	srv.Inject(gorgiastest.Fault{On: "POST /api/tickets/{id}/messages", Kind: gorgiastest.FaultCommitThenDrop, VisibleAfter: time.Second})
	_, err = client.Messages.Create(ctx, created.ID, gorgias.InternalNote("lost answer"))
	require.Error(t, err)
	got, err := client.Tickets.Get(ctx, created.ID, nil)
	require.NoError(t, err)
	assert.Len(t, got.Messages, 1, "the note is not visible yet")
	page, err = client.Tickets.List(ctx, &gorgias.ListTicketsOptions{TicketIDs: []int64{created.ID}})
	require.NoError(t, err)
	assert.Equal(t, 1, *page.Data[0].MessagesCount)
	srv.Advance(time.Second)
	got, _ = client.Tickets.Get(ctx, created.ID, nil)
	assert.Len(t, got.Messages, 2)
}

func TestExternalIDFilter(t *testing.T) {
	_, client := seeded(t, 200)
	var want *gorgias.Ticket
	for tk, err := range client.Tickets.All(ctx, nil) {
		require.NoError(t, err)
		if tk.ExternalID != nil {
			want = tk
			break
		}
	}
	require.NotNil(t, want, "seeded tickets carry external ids")
	page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ExternalID: *want.ExternalID})
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, want.ID, page.Data[0].ID)

	_, err = client.Tickets.Update(ctx, want.ID, &gorgias.UpdateTicketRequest{ExternalID: gorgias.NewNullable("renamed-1")})
	require.NoError(t, err)
	page, _ = client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ExternalID: *want.ExternalID})
	assert.Empty(t, page.Data, "the old external id no longer matches")
	page, _ = client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ExternalID: "renamed-1"})
	require.Len(t, page.Data, 1)
	page, _ = client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ExternalID: "nothing-has-this"})
	assert.Empty(t, page.Data)
}

// TestClientMatchesTheBucket: Server.Client paces itself to the fake's
// bucket, so a burst over the bucket's size meets no 429; in a synctest
// bubble, so the pacing takes no wall time.
func TestClientMatchesTheBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, opts := range [][]gorgiastest.Option{nil, {gorgiastest.WithRateLimit(4, 400*time.Millisecond)}} {
			srv := gorgiastest.NewTestServer(t, opts...)
			client := srv.Client()
			start := time.Now()
			for range 100 {
				_, err := client.Tags.List(ctx, nil)
				require.NoError(t, err)
			}
			assert.Zero(t, srv.Stats().RateLimited, "no request met the bucket full")
			assert.Positive(t, time.Since(start), "the client paced itself")

			unpaced := srv.Client(gorgias.WithoutRateLimit(), gorgias.WithRetryPolicy(0, 0, 0))
			var limited bool
			for range 100 {
				if _, err := unpaced.Tags.List(ctx, nil); err != nil {
					limited = true
				}
			}
			assert.True(t, limited, "the same burst without pacing fills the bucket")
			assert.Positive(t, srv.Stats().OverLimit)
		}
	})
}
