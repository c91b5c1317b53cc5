//go:build !mutation

package gorgias

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

func TestTicketsCreate(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	sent := Time{time.Date(2026, 8, 26, 19, 25, 16, 0, time.UTC)}
	ticket, err := c.Tickets.Create(context.Background(), &CreateTicketRequest{
		Customer: &CustomerRef{Email: "marie.curie@example.com", Name: "Marie Curie"},
		Subject:  "Refund request for order #1042",
		Channel:  ChannelEmail,
		Priority: PriorityHigh,
		Tags:     []TagRef{{Name: "REFUND"}},
		Meta:     map[string]any{"order_number": "1042"},
		Messages: []CreateMessageRequest{{
			Channel:      ChannelEmail,
			Via:          ViaEmail,
			FromAgent:    Ptr(false),
			Sender:       &CustomerRef{Email: "marie.curie@example.com"},
			BodyText:     "The mug arrived broken.",
			SentDatetime: &sent,
		}},
		CustomFields: []CustomFieldUpdate{{ID: 319832, Value: "ORD-1042"}},
	})
	require.NoError(t, err)

	reqs := ts.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/api/tickets", reqs[0].Path)
	assert.Empty(t, reqs[0].Query)
	assert.JSONEq(t, `{
		"customer": {"email": "marie.curie@example.com", "name": "Marie Curie"},
		"subject": "Refund request for order #1042",
		"channel": "email",
		"priority": "high",
		"via": "api",
		"tags": [{"name": "REFUND"}],
		"meta": {"order_number": "1042"},
		"custom_fields": [{"id": 319832, "value": "ORD-1042"}],
		"messages": [{
			"channel": "email", "via": "email", "from_agent": false,
			"sender": {"email": "marie.curie@example.com"},
			"body_text": "The mug arrived broken.",
			"sent_datetime": "2026-08-26T19:25:16.000000+00:00"
		}]
	}`, string(reqs[0].Body))
	assert.Equal(t, int64(82759724), ticket.ID)
	assert.Equal(t, StatusOpen, ticket.Status)
}

func TestTicketsCreateValidation(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	for name, req := range map[string]*CreateTicketRequest{
		"nil":             nil,
		"no messages":     {Subject: "x"},
		"no channel":      {Messages: []CreateMessageRequest{{FromAgent: Ptr(true)}}},
		"no from_agent":   {Messages: []CreateMessageRequest{{Channel: ChannelEmail}}},
		"bad customer":    {Customer: &CustomerRef{Name: "only a name"}, Messages: minimalTicket().Messages},
		"bad attachment":  {Messages: []CreateMessageRequest{{Channel: ChannelEmail, FromAgent: Ptr(true), Attachments: []Attachment{{Name: "a.png"}}}}},
		"bad field value": {Messages: minimalTicket().Messages, CustomFields: []CustomFieldUpdate{{ID: 1, Value: []string{"x"}}}},
		"bad field id":    {Messages: minimalTicket().Messages, CustomFields: []CustomFieldUpdate{{ID: 0, Value: "x"}}},
		"message action":  {Messages: []CreateMessageRequest{{Channel: ChannelEmail, FromAgent: Ptr(true), Action: MessageActionRetry}}},
		"no customer, and the first message names none": {Messages: []CreateMessageRequest{{Channel: ChannelEmail, FromAgent: Ptr(true),
			Sender: &CustomerRef{Email: "agent@acme.example"}}}},
	} {
		_, err := c.Tickets.Create(context.Background(), req)
		requireNoRequest(t, ts, err)
		assert.Error(t, err, name)
	}
}

func TestTicketsCreateDefaultsViaWithoutChangingTheRequest(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	req := &CreateTicketRequest{Messages: []CreateMessageRequest{
		{Channel: ChannelEmail, FromAgent: Ptr(true), Receiver: &CustomerRef{Email: "marie.curie@example.com"}, BodyText: "Hello"},
		{Channel: ChannelInternalNote, Via: ViaInternalNote, FromAgent: Ptr(true), BodyText: "Note"},
	}}
	_, err := c.Tickets.Create(context.Background(), req)
	require.NoError(t, err)
	body := ts.Requests()[0].JSON(t)
	assert.Equal(t, "api", body["via"])
	msgs := body["messages"].([]any)
	assert.Equal(t, "api", msgs[0].(map[string]any)["via"])
	assert.Equal(t, "internal-note", msgs[1].(map[string]any)["via"])
	assert.Empty(t, req.Via, "the caller's request is not changed")
	assert.Empty(t, req.Messages[0].Via, "the caller's messages are not changed")
}

func TestTicketsGet(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	ticket, err := c.Tickets.Get(context.Background(), 82759724, &GetTicketOptions{Relationships: []string{"custom_fields"}})
	require.NoError(t, err)

	req := ts.Requests()[0]
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/api/tickets/82759724", req.Path)
	assert.Equal(t, "relationships=custom_fields", req.Query.Encode())

	assert.Equal(t, int64(82759724), ticket.ID)
	assert.Equal(t, "RETURN#4213", *ticket.ExternalID)
	assert.Equal(t, PriorityHigh, *ticket.Priority)
	assert.Equal(t, ChannelEmail, ticket.Channel)
	assert.Equal(t, "Marie Curie", *ticket.Customer.Name)
	assert.Equal(t, "email", ticket.Customer.Channels[0].Type)
	assert.Contains(t, string(ticket.Customer.ExternalData["6a8ee355f22a0b59f9b3ac3d"]), `"plan": "pro"`)
	assert.Equal(t, int64(400746608), *ticket.AssigneeUserID)
	assert.Equal(t, "Returns", ticket.AssigneeTeam.Name)
	assert.Nil(t, ticket.AssigneeUser.Bio)
	assert.Equal(t, "#d85a17", ticket.Tags[0].Decoration.Color)
	assert.Equal(t, "", ticket.Tags[1].Decoration.Color)
	dropdown, ok := ticket.CustomFields["319613"].Value.Text()
	assert.True(t, ok)
	assert.Equal(t, "Other::Other::Other", dropdown)
	require.Len(t, ticket.Messages, 2)
	assert.Equal(t, "broken-mug.png", ticket.Messages[0].Attachments[0].Name)
	assert.False(t, *ticket.Messages[1].Public, "the second message is an internal note")
	assert.Equal(t, SourceTypeInternalNote, ticket.Messages[1].Source.Type)
	assert.Equal(t, time.Date(2026, 8, 26, 19, 31, 2, 0, time.UTC), ticket.LastMessageDatetime.UTC(), "datetime without fraction")
	assert.Nil(t, ticket.ClosedDatetime)
	assert.Nil(t, ticket.SatisfactionSurvey)
	assert.True(t, ticket.ReplyOptions["email"].Answerable)
	assert.False(t, *ticket.IsUnread)
}

func TestTicketsGetWithSurvey(t *testing.T) {
	c, _ := newTestClient(t, respond(200, fixture(t, "ticket_closed_with_survey.json")))
	ticket, err := c.Tickets.Get(context.Background(), 82753687, nil)
	require.NoError(t, err)
	require.NotNil(t, ticket.SatisfactionSurvey)
	assert.Equal(t, 5, *ticket.SatisfactionSurvey.Score)
	assert.Equal(t, StatusClosed, ticket.Status)
	assert.NotNil(t, ticket.ClosedDatetime)
}

func TestTicketsList(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "tickets_page.json")))
	page, err := c.Tickets.List(context.Background(), &ListTicketsOptions{
		ListOptions: ListOptions{Cursor: "abc", Limit: 2},
		OrderBy:     TicketOrderUpdatedDesc,
		CustomerID:  400746613,
		ExternalID:  "ext-1",
		ViewID:      7,
		RuleID:      8,
		TicketIDs:   []int64{153011972, 153006867},
		Trashed:     Ptr(false),
	})
	require.NoError(t, err)

	req := ts.Requests()[0]
	assert.Equal(t, "/api/tickets", req.Path)
	assert.Equal(t, "abc", req.Query.Get("cursor"))
	assert.Equal(t, "2", req.Query.Get("limit"))
	assert.Equal(t, "updated_datetime:desc", req.Query.Get("order_by"))
	assert.Equal(t, "400746613", req.Query.Get("customer_id"))
	assert.Equal(t, "ext-1", req.Query.Get("external_id"))
	assert.Equal(t, "7", req.Query.Get("view_id"))
	assert.Equal(t, "8", req.Query.Get("rule_id"))
	assert.Equal(t, []string{"153011972", "153006867"}, req.Query["ticket_ids"], "repeated ticket_ids")
	assert.Equal(t, "false", req.Query.Get("trashed"))
	assert.Len(t, req.Query, 9)

	require.Len(t, page.Data, 2)
	assert.Equal(t, "WyJuZXh0IiwgIjIwMjQtMTEtMTRUMTQ6Mjc6MDAuNzg5NzE4IiwgMTUzMDA2ODY3XQ==", page.NextCursor)
	assert.Empty(t, page.PrevCursor)
	first := page.Data[0]
	assert.Equal(t, int64(153011972), first.ID)
	assert.Equal(t, "s", *first.Excerpt)
	assert.Equal(t, 1, *first.MessagesCount)
	assert.Equal(t, "email", first.Integrations[0].Type)
	assert.Nil(t, first.Customer.Name, "null name stays nil")
	assert.Equal(t, "", *first.Subject, "empty subject is not null")
	assert.Nil(t, first.AssigneeUser)
	assert.Equal(t, 6, *page.Data[1].MessagesCount)
}

func TestTicketsListNilOptions(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "tickets_page.json")))
	_, err := c.Tickets.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, ts.Requests()[0].Query)
}

func TestTicketsListValidation(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "tickets_page.json")))
	for _, opts := range []*ListTicketsOptions{
		{ListOptions: ListOptions{Limit: 101}},
		{ListOptions: ListOptions{Limit: -1}},
		{CustomerID: -5},
		{TicketIDs: []int64{1, 0}},
		{TicketIDs: make([]int64, 101)},
	} {
		_, err := c.Tickets.List(context.Background(), opts)
		requireNoRequest(t, ts, err)
	}
}

func TestTicketsUpdate(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	ticket, err := c.Tickets.Update(context.Background(), 82759724, &UpdateTicketRequest{
		Status:         StatusClosed,
		Subject:        NewNullable("Refund issued"),
		SnoozeDatetime: Null[Time](),
		AssigneeUser:   Null[IDRef](),
		AssigneeTeam:   NewNullable(IDRef{ID: 5021}),
		Meta:           Null[map[string]any](),
		IsUnread:       Ptr(false),
	})
	require.NoError(t, err)
	req := ts.Requests()[0]
	assert.Equal(t, http.MethodPut, req.Method)
	assert.Equal(t, "/api/tickets/82759724", req.Path)
	assert.JSONEq(t, `{"status":"closed","subject":"Refund issued","snooze_datetime":null,
		"assignee_user":null,"assignee_team":{"id":5021},"meta":null,"is_unread":false}`, string(req.Body))
	assert.Equal(t, int64(82759724), ticket.ID)
}

func TestTicketsUpdateValidation(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	_, err := c.Tickets.Update(context.Background(), 0, &UpdateTicketRequest{})
	requireNoRequest(t, ts, err)
	_, err = c.Tickets.Update(context.Background(), 1, nil)
	requireNoRequest(t, ts, err)
	_, err = c.Tickets.Update(context.Background(), 1, &UpdateTicketRequest{AssigneeUser: NewNullable(IDRef{})})
	requireNoRequest(t, ts, err)
}

func TestTicketsDelete(t *testing.T) {
	c, ts := newTestClient(t, respond(204, nil))
	require.NoError(t, c.Tickets.Delete(context.Background(), 82759724))
	req := ts.Requests()[0]
	assert.Equal(t, http.MethodDelete, req.Method)
	assert.Equal(t, "/api/tickets/82759724", req.Path)
	assert.Empty(t, req.Body)

	err := c.Tickets.Delete(context.Background(), -1)
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Len(t, ts.Requests(), 1)
}

func TestTicketsDeleteNotFound(t *testing.T) {
	c, _ := newTestClient(t, respond(404, fixture(t, "error_404.json")))
	err := c.Tickets.Delete(context.Background(), 1)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestTicketsCreateFieldErrors(t *testing.T) {
	c, ts := newTestClient(t, respond(400, fixture(t, "error_400.json")))
	_, err := c.Tickets.Create(context.Background(), minimalTicket())
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, []string{"Missing data for required field."}, apiErr.Fields["sender"])
	assert.Len(t, ts.Requests(), 1)
}

// TestMalformedSuccessBodies: a 2xx that is not the object asked for is an
// error that says so, never a zero ticket presented as success.
func TestMalformedSuccessBodies(t *testing.T) {
	full := fixture(t, "ticket.json")
	for name, body := range map[string][]byte{
		"empty":          nil,
		"whitespace":     []byte("  \n"),
		"null":           []byte("null"),
		"empty object":   []byte("{}"),
		"truncated JSON": full[:len(full)/2],
		"array":          []byte(`[1,2]`),
		"html":           []byte("<html>OK</html>"),
		"wrong types":    []byte(`{"id":"82759724","status":3}`),
	} {
		c, _ := newTestClient(t, respond(200, body))
		ticket, err := c.Tickets.Get(context.Background(), 1, nil)
		assert.Error(t, err, name)
		assert.Nil(t, ticket, name)
	}
	c, _ := newTestClient(t, respond(204, nil))
	_, err := c.Tickets.Update(context.Background(), 1, &UpdateTicketRequest{Status: StatusClosed})
	require.ErrorIs(t, err, errEmptyResponse)
}

func TestTicketsFixturesRoundTrip(t *testing.T) {
	assertRoundTrip[Ticket](t, "ticket.json")
	assertRoundTrip[Ticket](t, "ticket_closed_with_survey.json")
	assertRoundTrip[Page[Ticket]](t, "tickets_page.json")
}

// TestTicketsWithGock drives the client through gock, the way users mock
// the SDK in their own tests.
func TestTicketsWithGock(t *testing.T) {
	defer gock.Off()
	hc := &http.Client{}
	gock.InterceptClient(hc)
	defer gock.RestoreClient(hc)

	gock.New("https://acme.gorgias.com").
		Get("/api/tickets").
		MatchParam("limit", "100").
		MatchParam("order_by", "created_datetime:asc").
		MatchHeader("Authorization", "^Basic ").
		Reply(200).
		BodyString(string(fixture(t, "tickets_page.json")))

	c, err := NewClient("acme", WithBasicAuth("agent@acme.example", "key"), WithHTTPClient(hc))
	require.NoError(t, err)
	page, err := c.Tickets.List(context.Background(), &ListTicketsOptions{ListOptions: ListOptions{Limit: 100}, OrderBy: TicketOrderCreatedAsc})
	require.NoError(t, err)
	assert.Len(t, page.Data, 2)
	assert.True(t, gock.IsDone(), "every mocked request was made")
}
