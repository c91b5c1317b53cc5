package gorgiastest_test

import (
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const missing = "Missing data for required field."

func TestTicketCreateRequirements(t *testing.T) {
	srv, _ := seeded(t, 5)
	status, body := rawDo(t, srv, "POST", "/api/tickets", `{"customer": {"email": "a@example.com"}}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, map[string]any{"messages": []any{missing}, "via": []any{missing}}, errorData(body))

	status, body = rawDo(t, srv, "POST", "/api/tickets", `{"via": "api", "customer": {"email": "a@example.com"}, "messages": []}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, map[string]any{"messages": []any{"Shorter than minimum length 1."}}, errorData(body))

	status, body = rawDo(t, srv, "POST", "/api/tickets", `{"via": "api", "customer": {"email": "a@example.com"},
		"messages": [{"channel": "email", "from_agent": false, "via": "email"}, {"body_text": "no channel"}]}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, map[string]any{"messages": map[string]any{"1": map[string]any{
		"channel": []any{missing}, "from_agent": []any{missing}, "via": []any{missing}}}}, errorData(body))
}

func TestTicketCustomerIsDerivedFromTheFirstMessage(t *testing.T) {
	srv, client := seeded(t, 5)
	// A customer's message: its sender, by email (a new customer).
	byEmail, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{Messages: []gorgias.CreateMessageRequest{{
		Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: "hello",
		Sender: &gorgias.CustomerRef{Email: "derived@example.com", Name: "Derived Person"},
	}}})
	require.NoError(t, err)
	assert.Equal(t, "derived@example.com", *byEmail.Customer.Email)
	assert.Equal(t, "Derived Person", *byEmail.Customer.Name)
	assert.Equal(t, byEmail.Customer.ID, byEmail.Messages[0].Sender.ID)

	// An agent's message: its receiver, by id.
	known := srv.Customers()[0]
	byID, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{Messages: []gorgias.CreateMessageRequest{{
		Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(true), BodyText: "we noticed…",
		Receiver: &gorgias.CustomerRef{ID: known.ID},
	}}})
	require.NoError(t, err)
	assert.Equal(t, known.ID, byID.Customer.ID)
	assert.Equal(t, srv.Agent().ID, byID.Messages[0].Sender.ID, "an agent's message without sender is the API user's")

	// Nothing to derive from: an agent's message without receiver, a
	// customer's message without sender, or one sent by an agent. The SDK
	// refuses these before sending; the fake as the API does.
	for _, msg := range []string{
		`{"channel": "email", "via": "api", "from_agent": true, "body_text": "who?"}`,
		`{"channel": "email", "via": "api", "from_agent": false, "body_text": "who?"}`,
		`{"channel": "email", "via": "api", "from_agent": false, "sender": {"id": ` + itoa(srv.Agent().ID) + `}}`,
	} {
		status, body := rawDo(t, srv, "POST", "/api/tickets", `{"via": "api", "messages": [`+msg+`]}`)
		assert.Equal(t, 400, status, msg)
		assert.Equal(t, map[string]any{"customer": []any{missing}}, errorData(body), msg)
	}
}

func TestMessageRequirements(t *testing.T) {
	srv, client := seeded(t, 5)
	ticket, err := client.Tickets.Create(ctx, newTicket("msgs@example.com"))
	require.NoError(t, err)
	path := "/api/tickets/" + itoa(ticket.ID) + "/messages"
	status, body := rawDo(t, srv, "POST", path, `{"body_text": "hi"}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, map[string]any{"channel": []any{missing}, "from_agent": []any{missing}, "via": []any{missing}}, errorData(body))

	// An update needs nothing beyond the two ids.
	msgPath := path + "/" + itoa(ticket.Messages[0].ID)
	status, body = rawDo(t, srv, "PUT", msgPath, `{"body_text": "edited"}`)
	require.Equal(t, 200, status, "%v", body)
	assert.Equal(t, "edited", body["body_text"])
	assert.Equal(t, "email", body["channel"], "fields not sent are kept")
	assert.Equal(t, false, body["from_agent"])
	m, err := client.Messages.Update(ctx, ticket.ID, ticket.Messages[0].ID, &gorgias.UpdateMessageRequest{BodyHTML: gorgias.Ptr("<p>edited</p>")})
	require.NoError(t, err)
	assert.Equal(t, "<p>edited</p>", *m.BodyHTML)
	assert.Equal(t, "edited", *m.BodyText)
}

func TestSurveyUpdateMovesItToAnotherTicketOrCustomer(t *testing.T) {
	srv, client := seeded(t, 5)
	a, err := client.Tickets.Create(ctx, newTicket("survey-a@example.com"))
	require.NoError(t, err)
	b, err := client.Tickets.Create(ctx, newTicket("survey-b@example.com"))
	require.NoError(t, err)
	s, err := client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: a.ID, CustomerID: a.Customer.ID})
	require.NoError(t, err)

	moved, err := client.Surveys.Update(ctx, s.ID, &gorgias.UpdateSurveyRequest{TicketID: &b.ID, CustomerID: &b.Customer.ID})
	require.NoError(t, err)
	assert.Equal(t, b.ID, deref(moved.TicketID))
	assert.Equal(t, b.Customer.ID, deref(moved.CustomerID))
	onA, _ := client.Tickets.Get(ctx, a.ID, nil)
	onB, _ := client.Tickets.Get(ctx, b.ID, nil)
	assert.Nil(t, onA.SatisfactionSurvey)
	require.NotNil(t, onB.SatisfactionSurvey)
	assert.Equal(t, s.ID, onB.SatisfactionSurvey.ID)

	_, err = client.Surveys.Update(ctx, s.ID, &gorgias.UpdateSurveyRequest{TicketID: gorgias.Ptr(int64(3))})
	assert.Contains(t, fieldErrs(t, err), "ticket_id")
	other, err := client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: a.ID, CustomerID: a.Customer.ID})
	require.NoError(t, err)
	_, err = client.Surveys.Update(ctx, other.ID, &gorgias.UpdateSurveyRequest{TicketID: &b.ID})
	require.ErrorIs(t, err, gorgias.ErrConflict, "one survey per ticket")
	status, body := rawDo(t, srv, "PUT", "/api/satisfaction-surveys/"+itoa(s.ID), `{"score": 6}`)
	assert.Equal(t, 400, status)
	assert.Contains(t, errorData(body), "score")
}

func TestOneCustomFieldTakesAnObject(t *testing.T) {
	srv, client := seeded(t, 5)
	ticket, err := client.Tickets.Create(ctx, newTicket("cf-object@example.com"))
	require.NoError(t, err)
	path := "/api/tickets/" + itoa(ticket.ID) + "/custom-fields/" + itoa(319603)

	status, body := rawDo(t, srv, "PUT", path, `42.5`)
	assert.Equal(t, 400, status, "a bare value is refused")
	assert.Contains(t, errorData(body), "_schema")
	status, body = rawDo(t, srv, "PUT", path, `{"id": 319601, "value": 42.5}`)
	assert.Equal(t, 400, status, "the id must be the path's")
	assert.Contains(t, errorData(body), "id")
	status, body = rawDo(t, srv, "PUT", path, `{"id": 319603}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, map[string]any{"value": []any{missing}}, errorData(body))

	status, body = rawDo(t, srv, "PUT", path, `{"id": 319603, "value": 42.5}`)
	require.Equal(t, 200, status, "%v", body)
	assert.Equal(t, 42.5, body["value"])
	status, _ = rawDo(t, srv, "PUT", path, `{"value": null}`)
	assert.Equal(t, 200, status, "null clears the value; id may be left out")
	values, err := client.Tickets.ListCustomFields(ctx, ticket.ID)
	require.NoError(t, err)
	assert.Empty(t, values)
}
