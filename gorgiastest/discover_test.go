package gorgiastest_test

import (
	"slices"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeededIDsAreDiscoverable(t *testing.T) {
	srv, client := seeded(t, 60)

	agents := srv.Agents()
	require.Len(t, agents, 5)
	assert.Equal(t, srv.Agent(), agents[0])
	assert.Equal(t, srv.Email, srv.Agent().Email)

	teams := srv.Teams()
	require.NotEmpty(t, teams)
	ticket, err := client.Tickets.Create(ctx, newTicket("discover@example.com"))
	require.NoError(t, err)
	ticket, err = client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{
		AssigneeTeam: gorgias.NewNullable(gorgias.IDRef{ID: teams[1].ID}),
		AssigneeUser: gorgias.NewNullable(gorgias.IDRef{ID: agents[2].ID}),
	})
	require.NoError(t, err)
	assert.Equal(t, teams[1].Name, ticket.AssigneeTeam.Name)
	assert.Equal(t, agents[2].Email, *ticket.AssigneeUser.Email)

	customers := srv.Customers()
	require.Len(t, customers, 60/3+1+1, "the seeded ones, and the one created above")
	i := slices.IndexFunc(customers, func(c gorgiastest.Customer) bool { return c.Tickets > 1 })
	require.GreaterOrEqual(t, i, 0)
	page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{CustomerID: customers[i].ID})
	require.NoError(t, err)
	assert.Len(t, page.Data, customers[i].Tickets)

	tags := srv.Tags()
	require.NotEmpty(t, tags)
	tag, err := client.Tags.Get(ctx, tags[0].ID)
	require.NoError(t, err)
	assert.Equal(t, tags[0].Name, tag.Name)
	assert.Equal(t, tags[0].Usage, deref(tag.Usage))

	assert.NotEmpty(t, srv.Views())
	assert.NotEmpty(t, srv.Rules())

	fields := srv.CustomFields()
	require.Len(t, fields, 7)
	legacy := fields[slices.IndexFunc(fields, func(f gorgiastest.CustomField) bool { return f.ID == gorgiastest.FieldLegacySource })]
	assert.True(t, legacy.Archived)
	tier := fields[slices.IndexFunc(fields, func(f gorgiastest.CustomField) bool { return f.ID == gorgiastest.FieldLoyaltyTier })]
	assert.Equal(t, "Customer", tier.ObjectType)
	reason := fields[slices.IndexFunc(fields, func(f gorgiastest.CustomField) bool { return f.ID == gorgiastest.FieldContactReason })]
	assert.Equal(t, "text", reason.DataType)
	require.NotEmpty(t, reason.Choices)
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, reason.ID, reason.Choices[0])
	require.NoError(t, err, "a discovered choice is accepted")
}
