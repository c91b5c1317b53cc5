package gorgiastest_test

import (
	"slices"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func viewNamed(t *testing.T, views []gorgiastest.View, name string) gorgiastest.View {
	t.Helper()
	i := slices.IndexFunc(views, func(v gorgiastest.View) bool { return v.Name == name })
	require.GreaterOrEqual(t, i, 0, "no view %q", name)
	return views[i]
}

func TestViewsAndRulesFilterTickets(t *testing.T) {
	srv, client := seeded(t, 300)
	views := srv.Views()
	count := func(opts *gorgias.ListTicketsOptions, check func(*gorgias.Ticket)) int {
		n := 0
		for tk, err := range client.Tickets.All(ctx, opts) {
			require.NoError(t, err)
			check(tk)
			n++
		}
		return n
	}
	all := count(nil, func(*gorgias.Ticket) {})
	open := count(&gorgias.ListTicketsOptions{ViewID: viewNamed(t, views, "Open tickets").ID}, func(tk *gorgias.Ticket) {
		assert.Equal(t, gorgias.StatusOpen, tk.Status)
	})
	closed := count(&gorgias.ListTicketsOptions{ViewID: viewNamed(t, views, "Closed tickets").ID}, func(tk *gorgias.Ticket) {
		assert.Equal(t, gorgias.StatusClosed, tk.Status)
	})
	assert.Positive(t, open)
	assert.Positive(t, closed)
	assert.Equal(t, all, open+closed)

	refunds := count(&gorgias.ListTicketsOptions{ViewID: viewNamed(t, views, "Refunds").ID}, func(tk *gorgias.Ticket) {
		assert.Contains(t, tagNamesOf(tk), "refund")
	})
	assert.Positive(t, refunds)
	mine := count(&gorgias.ListTicketsOptions{ViewID: viewNamed(t, views, "My tickets").ID}, func(tk *gorgias.Ticket) {
		require.NotNil(t, tk.AssigneeUser)
		assert.Equal(t, srv.Agent().ID, tk.AssigneeUser.ID)
	})
	assert.Positive(t, mine)
	count(&gorgias.ListTicketsOptions{ViewID: viewNamed(t, views, "Unassigned open tickets").ID}, func(tk *gorgias.Ticket) {
		assert.Nil(t, tk.AssigneeUser)
		assert.Equal(t, gorgias.StatusOpen, tk.Status)
	})

	rules := srv.Rules()
	require.NotEmpty(t, rules)
	urgent := count(&gorgias.ListTicketsOptions{RuleID: rules[0].ID}, func(tk *gorgias.Ticket) {
		assert.Equal(t, gorgias.StatusOpen, tk.Status)
		assert.Contains(t, tagNamesOf(tk), "urgent")
	})
	assert.Positive(t, urgent)

	// A view a test adds, and a ticket that enters it.
	v := srv.AddView("VIP", gorgiastest.Filter{Tag: "vip", Status: "open"})
	before := count(&gorgias.ListTicketsOptions{ViewID: v.ID}, func(*gorgias.Ticket) {})
	ticket, err := client.Tickets.Create(ctx, newTicket("vip@example.com"))
	require.NoError(t, err)
	require.NoError(t, client.Tickets.AddTags(ctx, ticket.ID, &gorgias.TicketTagsRequest{Names: []string{"vip"}}))
	assert.Equal(t, before+1, count(&gorgias.ListTicketsOptions{ViewID: v.ID}, func(*gorgias.Ticket) {}))
	assert.Contains(t, srv.Views(), v)

	for _, q := range []string{"view_id=1", "rule_id=1"} {
		status, body := rawDo(t, srv, "GET", "/api/tickets?"+q, "")
		assert.Equal(t, 400, status, q)
		assert.Len(t, errorData(body), 1, q)
	}
}

func tagNamesOf(tk *gorgias.Ticket) []string {
	var names []string
	for _, tg := range tk.Tags {
		names = append(names, tg.Name)
	}
	return names
}
