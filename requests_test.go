package gorgias

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUpdateRequestsFollowOneConvention holds every update request to the
// package's rule: a field the API lets you clear is Nullable[T]; a field
// you can only set is *T, or a typed enum, struct pointer or slice whose
// zero means unchanged. No plain string, number or bool, whose zero could
// not be told from "unchanged".
func TestUpdateRequestsFollowOneConvention(t *testing.T) {
	for _, req := range []any{UpdateTicketRequest{}, UpdateMessageRequest{}, UpdateTagRequest{}, UpdateSurveyRequest{}} {
		rt := reflect.TypeOf(req)
		t.Run(rt.Name(), func(t *testing.T) {
			for i := range rt.NumField() {
				f := rt.Field(i)
				tag := f.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				switch {
				case strings.HasPrefix(f.Type.Name(), "Nullable["):
					assert.Equal(t, "omitzero", opts, "%s: a Nullable is left out when unset", name)
				case f.Type.Kind() == reflect.Pointer, f.Type.Kind() == reflect.Map:
					assert.Equal(t, "omitempty", opts, name)
				case f.Type.Kind() == reflect.Slice:
					assert.Equal(t, "omitzero", opts, "%s: nil leaves it, an empty slice clears it", name)
				case f.Type.Kind() == reflect.String && f.Type.PkgPath() != "":
					assert.Equal(t, "omitempty", opts, "%s: a typed enum whose zero means unchanged", name)
				default:
					t.Errorf("%s is a plain %s: its zero value cannot mean unchanged", name, f.Type)
				}
			}
		})
	}
}

func TestClearingIsOneCall(t *testing.T) {
	ctx := context.Background()
	runOpCases(t, []opCase{
		{
			name:   "SetTags with no tag removes them all",
			call:   func(c *Client) (any, error) { return nil, c.Tickets.SetTags(ctx, 7, &TicketTagsRequest{}) },
			method: "PUT", path: "/api/tickets/7/tags", body: `{"ids":[],"names":[]}`,
		},
		{
			name:   "SetTags with nil removes them all",
			call:   func(c *Client) (any, error) { return nil, c.Tickets.SetTags(ctx, 7, nil) },
			method: "PUT", path: "/api/tickets/7/tags", body: `{"ids":[],"names":[]}`,
		},
		{
			name: "a bulk custom field update clears a value with null",
			call: func(c *Client) (any, error) {
				return c.Tickets.UpdateCustomFields(ctx, 7, []CustomFieldUpdate{{ID: 9, Value: nil}, {ID: 10, Value: "x"}})
			},
			fixture: "custom_fields.json",
			method:  "PUT", path: "/api/tickets/7/custom-fields", body: `[{"id":9,"value":null},{"id":10,"value":"x"}]`,
		},
		{
			name: "a ticket update clears the subject, the tags and a custom field",
			call: func(c *Client) (any, error) {
				return c.Tickets.Update(ctx, 7, &UpdateTicketRequest{Subject: Null[string](), Tags: []TagRef{},
					CustomFields: []CustomFieldUpdate{{ID: 9}}})
			},
			fixture: "ticket.json",
			method:  "PUT", path: "/api/tickets/7",
			body: `{"subject":null,"tags":[],"custom_fields":[{"id":9,"value":null}]}`,
		},
		{
			name: "a survey update clears the score",
			call: func(c *Client) (any, error) {
				return c.Surveys.Update(ctx, 7, &UpdateSurveyRequest{Score: Null[int]()})
			},
			fixture: "survey.json",
			method:  "PUT", path: "/api/satisfaction-surveys/7", body: `{"score":null}`,
		},
	})
}

func TestNothingPointlessIsSent(t *testing.T) {
	ctx := context.Background()
	checkRejected(t, map[string]func(c *Client) error{
		"request | Tickets.Update with no field": func(c *Client) error {
			_, err := c.Tickets.Update(ctx, 1, &UpdateTicketRequest{})
			return err
		},
		"request | Tags.Update with no field": func(c *Client) error {
			_, err := c.Tags.Update(ctx, 1, &UpdateTagRequest{})
			return err
		},
		"request | Surveys.Update with no field": func(c *Client) error {
			_, err := c.Surveys.Update(ctx, 1, &UpdateSurveyRequest{})
			return err
		},
		"request | Messages.Update with no field": func(c *Client) error {
			_, err := c.Messages.Update(ctx, 1, 2, &UpdateMessageRequest{})
			return err
		},
		"body_text | an empty internal note": func(c *Client) error {
			_, err := c.Messages.Create(ctx, 1, InternalNote(""))
			return err
		},
		"body_text | a message of spaces": func(c *Client) error {
			_, err := c.Messages.Create(ctx, 1, &CreateMessageRequest{Channel: ChannelEmail, FromAgent: Ptr(true), BodyText: "  "})
			return err
		},
		"value | one custom field cannot be set to null": func(c *Client) error {
			_, err := c.Tickets.UpdateCustomField(ctx, 1, 2, nil)
			return err
		},
		"custom_fields.0.value | a ticket is not created with a null custom field": func(c *Client) error {
			req := minimalTicket()
			req.CustomFields = []CustomFieldUpdate{{ID: 9}}
			_, err := c.Tickets.Create(ctx, req)
			return err
		},
	})
	c, ts := newTestClient(t, respond(200, fixture(t, "message.json")))
	_, err := c.Messages.Create(ctx, 1, &CreateMessageRequest{Channel: ChannelEmail, FromAgent: Ptr(true),
		Attachments: []Attachment{{URL: "https://uploads.example/r.pdf", Name: "r.pdf", ContentType: "application/pdf"}}})
	require.NoError(t, err, "attachments alone are a message")
	assert.Len(t, ts.Requests(), 1)
}
