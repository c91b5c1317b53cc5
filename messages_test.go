//go:build !mutation

package gorgias

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMessagesOperations(t *testing.T) {
	ctx := context.Background()
	sent := Time{time.Date(2026, 8, 26, 18, 38, 34, 0, time.UTC)}
	checkMessage := func(t *testing.T, result any) {
		m := result.(*Message)
		assert.Equal(t, int64(218854668), m.ID)
		assert.Equal(t, int64(82751818), m.TicketID)
		assert.Equal(t, "MSG-78545", *m.ExternalID)
		assert.True(t, *m.FromAgent)
		assert.Equal(t, ChannelEmail, m.Channel)
		assert.Equal(t, ViaHelpdesk, m.Via)
		assert.Equal(t, "billing@example.com", m.Source.Cc[0].Address)
		assert.Nil(t, m.Source.Cc[0].Name)
		assert.Equal(t, false, m.Source.Extra["include_thread"])
		assert.Equal(t, "Steve Frazelli", *m.Sender.Name)
		assert.Nil(t, m.Receiver.Meta)
		assert.Equal(t, "refund-receipt.pdf", m.Attachments[0].Name)
		assert.Equal(t, int64(20931), m.Attachments[0].Size)
		assert.Equal(t, []MessageMacro{{ID: 4521}}, m.Macros)
		assert.Equal(t, int64(126637), *m.IntegrationID)
		assert.Nil(t, m.RuleID)
		assert.True(t, sent.Equal(m.SentDatetime.Time))
		assert.Nil(t, m.FailedDatetime)
	}
	runOpCases(t, []opCase{
		{
			name: "create without via sends via api",
			call: func(c *Client) (any, error) {
				return c.Messages.Create(ctx, 82751818, &CreateMessageRequest{Channel: ChannelEmail, FromAgent: Ptr(false),
					BodyText: "Where is my order?", LastSendingError: map[string]any{"error": "Mailbox full"}})
			},
			fixture: "message.json",
			method:  "POST", path: "/api/tickets/82751818/messages",
			body: `{"channel":"email","via":"api","from_agent":false,"body_text":"Where is my order?",
				"last_sending_error":{"error":"Mailbox full"}}`,
		},
		{
			name: "update sends only what is set: no channel, no from_agent",
			call: func(c *Client) (any, error) {
				return c.Messages.Update(ctx, 82751818, 218854668, &UpdateMessageRequest{
					Subject: Ptr(""), ExternalID: Null[string](), Attachments: []Attachment{}})
			},
			fixture: "message.json",
			method:  "PUT", path: "/api/tickets/82751818/messages/218854668",
			body: `{"subject":"","external_id":null,"attachments":[]}`,
		},
		{
			name: "update with only an action",
			call: func(c *Client) (any, error) {
				return c.Messages.Update(ctx, 82751818, 218854668, &UpdateMessageRequest{Action: MessageActionRetry})
			},
			fixture: "message.json",
			method:  "PUT", path: "/api/tickets/82751818/messages/218854668", query: "action=retry",
			body: `{}`,
		},
		{
			name: "create",
			call: func(c *Client) (any, error) {
				return c.Messages.Create(ctx, 82751818, &CreateMessageRequest{
					Channel:   ChannelEmail,
					Via:       ViaAPI,
					FromAgent: Ptr(true),
					Subject:   "Re: Refund request for order #1042",
					BodyText:  "Your refund has been issued.",
					BodyHTML:  "<p>Your refund has been issued.</p>",
					Source: &MessageSource{Type: SourceTypeEmail,
						From: &Address{Name: Ptr("Acme Support"), Address: "support@acme.example"},
						To:   []Address{{Name: Ptr("Marie Curie"), Address: "marie.curie@example.com"}},
						Cc:   []Address{{Address: "billing@example.com"}}},
					Sender:      &CustomerRef{ID: 400746608},
					Receiver:    &CustomerRef{Email: "marie.curie@example.com", Name: "Marie Curie"},
					Attachments: []Attachment{{URL: "https://uploads.gorgias.io/r.pdf", Name: "r.pdf", ContentType: "application/pdf", Size: 20931}},
					Macros:      []IDRef{{4521}},
					MentionIDs:  []int64{7},
					ExternalID:  "MSG-78545",
				})
			},
			fixture: "message.json",
			method:  "POST", path: "/api/tickets/82751818/messages",
			body: `{"channel":"email","via":"api","from_agent":true,"subject":"Re: Refund request for order #1042",
				"body_text":"Your refund has been issued.","body_html":"<p>Your refund has been issued.</p>",
				"source":{"type":"email","from":{"name":"Acme Support","address":"support@acme.example"},
					"to":[{"name":"Marie Curie","address":"marie.curie@example.com"}],"cc":[{"name":null,"address":"billing@example.com"}]},
				"sender":{"id":400746608},"receiver":{"email":"marie.curie@example.com","name":"Marie Curie"},
				"attachments":[{"url":"https://uploads.gorgias.io/r.pdf","name":"r.pdf","size":20931,"content_type":"application/pdf","extra":null}],
				"macros":[{"id":4521}],"mention_ids":[7],"external_id":"MSG-78545"}`,
			check: checkMessage,
		},
		{
			name: "create an internal note, retrying a failed send",
			call: func(c *Client) (any, error) {
				note := InternalNote("Checked with the warehouse.")
				note.Action = MessageActionRetry
				return c.Messages.Create(ctx, 82751818, note)
			},
			fixture: "message.json",
			method:  "POST", path: "/api/tickets/82751818/messages", query: "action=retry",
			body: `{"channel":"internal-note","via":"internal-note","from_agent":true,"public":false,
				"source":{"type":"internal-note"},"body_text":"Checked with the warehouse."}`,
		},
		{
			name:    "get",
			call:    func(c *Client) (any, error) { return c.Messages.Get(ctx, 82751818, 218854668) },
			fixture: "message.json",
			method:  "GET", path: "/api/tickets/82751818/messages/218854668",
			check: checkMessage,
		},
		{
			name: "update",
			call: func(c *Client) (any, error) {
				return c.Messages.Update(ctx, 82751818, 218854668, &UpdateMessageRequest{
					Channel: ChannelEmail, FromAgent: Ptr(true), BodyText: Ptr("Edited"), Action: MessageActionForce})
			},
			fixture: "message.json",
			method:  "PUT", path: "/api/tickets/82751818/messages/218854668", query: "action=force",
			body:  `{"channel":"email","from_agent":true,"body_text":"Edited"}`,
			check: checkMessage,
		},
		{
			name:   "delete",
			call:   func(c *Client) (any, error) { return nil, c.Messages.Delete(ctx, 82751818, 218854668) },
			status: 204,
			method: "DELETE", path: "/api/tickets/82751818/messages/218854668",
		},
		{
			name: "list",
			call: func(c *Client) (any, error) {
				return c.Messages.List(ctx, &ListMessagesOptions{TicketID: 82751818, OrderBy: MessageOrderCreatedAsc,
					ListOptions: ListOptions{Limit: 50, Cursor: "c1"}})
			},
			fixture: "messages_page.json",
			method:  "GET", path: "/api/messages", query: "cursor=c1&limit=50&order_by=created_datetime%3Aasc&ticket_id=82751818",
			check: func(t *testing.T, result any) {
				page := result.(*Page[Message])
				require.Len(t, page.Data, 2)
				assert.Empty(t, page.NextCursor)
				assert.NotZero(t, page.Data[0].ID)
				assert.NotNil(t, page.Data[0].CreatedDatetime)
			},
		},
	})
}

func TestMessagesAll(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "messages_page.json")))
	n := 0
	for m, err := range c.Messages.All(context.Background(), &ListMessagesOptions{TicketID: 82751818}) {
		require.NoError(t, err)
		assert.NotZero(t, m.ID)
		n++
	}
	assert.Equal(t, 2, n)
	require.Len(t, ts.Requests(), 1)
	assert.Equal(t, "limit=100&ticket_id=82751818", ts.Requests()[0].Query.Encode())
}

func TestMessagesErrors(t *testing.T) {
	ctx := context.Background()
	checkErrorPaths(t, func(c *Client) error {
		_, err := c.Messages.Create(ctx, 1, &CreateMessageRequest{Channel: ChannelEmail, FromAgent: Ptr(true), BodyText: "x"})
		return err
	})
	checkErrorPaths(t, func(c *Client) error { _, err := c.Messages.Get(ctx, 1, 2); return err })
	checkRejected(t, map[string]func(c *Client) error{
		"channel | create: no channel": func(c *Client) error {
			_, err := c.Messages.Create(ctx, 1, &CreateMessageRequest{FromAgent: Ptr(true)})
			return err
		},
		"from_agent | create: no from_agent": func(c *Client) error {
			_, err := c.Messages.Create(ctx, 1, &CreateMessageRequest{Channel: ChannelEmail})
			return err
		},
		"ticket_id | create: ticket id 0": func(c *Client) error { _, err := c.Messages.Create(ctx, 0, InternalNote("x")); return err },
		"request | create: nil":           func(c *Client) error { _, err := c.Messages.Create(ctx, 1, nil); return err },
		"action | create: bad action": func(c *Client) error {
			note := InternalNote("x")
			note.Action = "resend"
			_, err := c.Messages.Create(ctx, 1, note)
			return err
		},
		"id | update: id -1": func(c *Client) error {
			_, err := c.Messages.Update(ctx, 1, -1, &UpdateMessageRequest{BodyText: Ptr("x")})
			return err
		},
		"request | update: nothing set": func(c *Client) error {
			_, err := c.Messages.Update(ctx, 1, 2, &UpdateMessageRequest{})
			return err
		},
		"id | get: id 0":               func(c *Client) error { _, err := c.Messages.Get(ctx, 1, 0); return err },
		"ticket_id | delete: ticket 0": func(c *Client) error { return c.Messages.Delete(ctx, 0, 1) },
		"limit | list: limit 101": func(c *Client) error {
			_, err := c.Messages.List(ctx, &ListMessagesOptions{ListOptions: ListOptions{Limit: 101}})
			return err
		},
		"ticket_id | list: bad ticket": func(c *Client) error { _, err := c.Messages.List(ctx, &ListMessagesOptions{TicketID: -2}); return err },
	})
}

func TestMessagesFixturesRoundTrip(t *testing.T) {
	assertRoundTrip[Message](t, "message.json")
	assertRoundTrip[Page[Message]](t, "messages_page.json")
}
