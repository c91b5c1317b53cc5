package gorgiastest_test

import (
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestClockDrivesDatetimes(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(start),
		gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 50}))
	client := fastClient(srv)
	assert.WithinDuration(t, start, srv.Now(), 0)

	for tk, err := range client.Tickets.All(ctx, nil) {
		require.NoError(t, err)
		assert.True(t, tk.CreatedDatetime.Before(start.Add(-24*time.Hour)), "seeded history ends the day before the clock")
		assert.True(t, tk.CreatedDatetime.After(start.Add(-92*24*time.Hour)))
	}

	ticket, err := client.Tickets.Create(ctx, newTicket("clock@example.com"))
	require.NoError(t, err)
	// While the clock stands, each datetime handed out is a microsecond
	// after the last: the customer, the ticket, then its message.
	at := func(d time.Duration) time.Time { return start.Add(d) }
	assert.WithinDuration(t, at(time.Microsecond), ticket.CreatedDatetime.Time, 0, "created on the fake's clock")
	assert.WithinDuration(t, at(2*time.Microsecond), ticket.Messages[0].CreatedDatetime.Time, 0)

	updated, err := client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Priority: gorgias.PriorityHigh})
	require.NoError(t, err)
	assert.True(t, updated.UpdatedDatetime.After(ticket.UpdatedDatetime.Time), "updated_datetime moves on every write")
	assert.Less(t, updated.UpdatedDatetime.Sub(start), time.Millisecond)

	srv.Advance(90 * time.Minute)
	assert.WithinDuration(t, at(90*time.Minute), srv.Now(), 0)
	closed, err := client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed})
	require.NoError(t, err)
	assert.WithinDuration(t, at(90*time.Minute), closed.ClosedDatetime.Time, 0)
	assert.WithinDuration(t, at(90*time.Minute+time.Microsecond), closed.UpdatedDatetime.Time, 0)
	assert.WithinDuration(t, ticket.CreatedDatetime.Time, closed.CreatedDatetime.Time, 0, "created_datetime stays")

	srv.Advance(time.Hour)
	require.NoError(t, client.Tickets.AddTags(ctx, ticket.ID, &gorgias.TicketTagsRequest{Names: []string{"vip"}}))
	tagged, err := client.Tickets.Get(ctx, ticket.ID, nil)
	require.NoError(t, err)
	assert.WithinDuration(t, at(150*time.Minute), tagged.UpdatedDatetime.Time, 0, "tagging is a write too")

	page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{OrderBy: gorgias.TicketOrderUpdatedDesc, ListOptions: gorgias.ListOptions{Limit: 1}})
	require.NoError(t, err)
	assert.Equal(t, ticket.ID, page.Data[0].ID, "the latest write leads updated_datetime:desc")
}

func TestAdvanceFixesAWallClock(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	srv.Advance(48 * time.Hour)
	at := srv.Now()
	assert.True(t, at.After(time.Now().Add(47*time.Hour)))
	ticket, err := fastClient(srv).Tickets.Create(ctx, newTicket("later@example.com"))
	require.NoError(t, err)
	assert.WithinDuration(t, at.Add(time.Microsecond), ticket.CreatedDatetime.Time, 0, "after the customer's")
}
