package main

import (
	"encoding/json"
	"testing"

	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every refusal comes back as a tool error (IsError), never a protocol
// failure, and names the parameters at fault by the tool's names.
func TestErrorsNameTheParametersAtFault(t *testing.T) {
	srv := newFake(t)
	cs := connect(t, srv.Client(), serverOptions{})
	const p = "gorgias_tickets_"
	sent := func() int { return srv.Stats().Requests }

	t.Run("checked against the catalog before anything is sent", func(t *testing.T) {
		before := sent()
		msg := mustFail(t, cs, p+"create_ticket", map[string]any{
			"subject": 42, "spam": "yes", "tags": []any{"vip"}, "colour": "red",
		})
		assert.Contains(t, msg, "nothing was sent to Gorgias")
		assert.Contains(t, msg, "- messages: is required (an array of objects)")
		assert.NotContains(t, msg, "- via:", "via defaults to api")
		assert.Contains(t, msg, "- subject: must be a string, got a number")
		assert.Contains(t, msg, "- spam: must be a boolean, got a string")
		assert.Contains(t, msg, "- tags: item 0 must be an object, got a string")
		assert.Contains(t, msg, "- colour: is not a parameter of gorgias_tickets_create_ticket")

		assert.Contains(t, mustFail(t, cs, p+"get_ticket", map[string]any{"id": 1.5}), "- id: must be an integer, got 1.5")
		assert.Contains(t, mustFail(t, cs, p+"get_ticket", map[string]any{"id": nil}), "- id: is required")
		assert.Contains(t, mustFail(t, cs, p+"get_ticket", nil), "- id: is required")
		assert.Contains(t, mustFail(t, cs, p+"list_tickets", map[string]any{"ticket_ids": []any{1, "2"}}), "- ticket_ids: item 1 must be an integer")
		assert.Contains(t, mustFail(t, cs, p+"create_ticket_message", map[string]any{
			"ticket_id": 1, "channel": []any{"email"}, "from_agent": true, "via": "api",
		}), `- channel: must be an object {"name": "<channel>"}`)
		assert.Equal(t, before, sent(), "a request reached Gorgias")
	})

	t.Run("decoded into the SDK's types", func(t *testing.T) {
		before := sent()
		msg := mustFail(t, cs, p+"update_ticket", map[string]any{
			"id": 1, "snooze_datetime": "next tuesday", "customer": map[string]any{"email": "a@b.c", "firstname": "Ada"},
			"assignee_user": map[string]any{"id": "7"},
		})
		assert.Contains(t, msg, "- snooze_datetime: ")
		assert.Contains(t, msg, `- customer: has a key "firstname" this SDK does not send; the keys it takes are email, external_id, id, name`)
		assert.Contains(t, msg, "- assignee_user: got a JSON string at id where an integer is expected")
		assert.Equal(t, before, sent())
	})

	t.Run("refused by the SDK's validation", func(t *testing.T) {
		before := sent()
		msg := mustFail(t, cs, p+"create_ticket", map[string]any{
			"via": "api", "messages": []any{map[string]any{"body_text": "hi"}},
		})
		assert.Contains(t, msg, "refused the arguments of gorgias_tickets_create_ticket (Tickets.Create)")
		assert.Contains(t, msg, "- messages.0.channel: is required")
		assert.Contains(t, msg, "- messages.0.from_agent: is required")

		// The SDK's names for a parameter are renamed to the tool's.
		msg = mustFail(t, cs, p+"update_ticket_custom_field", map[string]any{"ticket_id": 1, "id": -3, "body": map[string]any{"value": "x"}})
		assert.Contains(t, msg, "- id: must be a positive id, got -3")
		assert.NotContains(t, msg, "field_id")
		msg = mustFail(t, cs, p+"merge_tags", map[string]any{"destination_tag_id": 0, "source_tags_ids": []int{}})
		assert.Contains(t, msg, "- destination_tag_id: must be a positive id")
		assert.Contains(t, msg, "- source_tags_ids: at least one id is required")
		msg = mustFail(t, cs, p+"update_ticket_custom_fields", map[string]any{"ticket_id": 1, "body": []any{map[string]any{"id": 0, "value": []int{1}}}})
		assert.Contains(t, msg, "- body.0.id: must be a positive id")
		assert.Contains(t, msg, "- body.0.value: must be a string, a number or a bool")
		assert.Contains(t, mustFail(t, cs, p+"create_ticket_tags", map[string]any{"ticket_id": 1}), "- ids/names: name at least one tag")
		assert.Contains(t, mustFail(t, cs, p+"list_tickets", map[string]any{"limit": 500}), "- limit: must be between 1 and 100")
		assert.Contains(t, mustFail(t, cs, p+"update_satisfaction_survey", map[string]any{"id": 1}), "- (arguments): sets no field: nothing to update")
		assert.Equal(t, before, sent(), "a request reached Gorgias")
	})

	t.Run("answered by Gorgias", func(t *testing.T) {
		msg := mustFail(t, cs, p+"get_ticket", map[string]any{"id": 999999999})
		assert.Contains(t, msg, "Gorgias answered 404 Not Found to GET /api/tickets/999999999")
		assert.Contains(t, msg, "look the id up with a list tool")

		list := mustOK(t, cs, p+"list_tickets", map[string]any{"limit": 1})
		ticketID := id(t, list, "data", 0, "id")
		msg = mustFail(t, cs, p+"update_ticket_custom_field", map[string]any{
			"ticket_id": ticketID, "id": gorgiastest.FieldRefundAmount, "body": map[string]any{"value": "lots"},
		})
		assert.Contains(t, msg, "Gorgias answered 400 Bad Request")
		assert.Contains(t, msg, "Parameters at fault:\n- body: Not a valid number value.")

		mustOK(t, cs, p+"create_tag", map[string]any{"name": "twice"})
		msg = mustFail(t, cs, p+"create_tag", map[string]any{"name": "twice"})
		assert.Contains(t, msg, "409 Conflict")
	})

}

// Odd argument shapes never crash anything: each is a tool error.
func TestOddArguments(t *testing.T) {
	cs := connect(t, newFake(t).Client(), serverOptions{})
	for _, args := range []any{
		[]any{1, 2}, "id=1", 42, true,
		map[string]any{"id": map[string]any{"$gt": 1}},
		map[string]any{"id": 1e300},
		map[string]any{"id": -9223372036854775808.0 * 2},
		map[string]any{"id": "１"},
	} {
		res := invoke(t, cs, "gorgias_tickets_get_ticket", map[string]any{"arguments": args})
		require.True(t, res.IsError)
		res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "gorgias_tickets_get_ticket", Arguments: args})
		if err != nil {
			continue // refused by the protocol layer: fine, nothing crashed
		}
		assert.True(t, res.IsError, "%v: %s", args, text(res))
	}
	// The server still answers.
	mustOK(t, cs, "gorgias_tickets_list_tags", map[string]any{"limit": 1})
}

// An argument the SDK's request type has no field for is refused by name,
// never dropped silently: the SDK and the catalog can drift apart.
func TestArgumentsTheSDKCannotSendAreRefused(t *testing.T) {
	var req struct {
		Name string `json:"name"`
		Hide string `json:"-"`
	}
	in := &input{tool: "t", args: map[string]json.RawMessage{"name": []byte(`"a"`), "colour": []byte(`"red"`), "Hide": []byte(`"x"`)}}
	err := in.decode(&req, "json")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `colour: is not supported by this SDK version`)
	assert.Contains(t, err.Error(), `Hide: is not supported by this SDK version`)
	assert.Equal(t, "a", req.Name)
}
