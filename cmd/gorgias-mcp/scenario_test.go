package main

import (
	"fmt"
	"slices"
	"testing"

	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exerciseAllTools calls each of the 36 tools against a seeded gorgiastest
// through cs, as an assistant would, each with arguments that must
// succeed, and checks every catalog tool was called. It returns every
// result's text, for checks on what the tools reveal.
func exerciseAllTools(t *testing.T, cs *mcp.ClientSession) []string {
	t.Helper()
	called := map[string]bool{}
	var texts []string
	schemas := toolSchemas(t, cs)
	ok := func(name string, args map[string]any) any {
		t.Helper()
		called[name] = true
		res := invoke(t, cs, name, args)
		texts = append(texts, text(res))
		require.False(t, res.IsError, "%s(%v) failed: %s", name, args, text(res))
		checkStructured(t, schemas[name], res)
		return mustDecode(t, text(res))
	}
	const p = "gorgias_tickets_"

	// Tickets.
	page := ok(p+"list_tickets", map[string]any{"limit": 5, "order_by": "created_datetime:asc", "trashed": false})
	require.Len(t, field(t, page, "data"), 5)
	seeded := id(t, page, "data", 0, "id")
	got := ok(p+"get_ticket", map[string]any{"id": seeded, "relationships": []string{"custom_fields"}})
	assert.Equal(t, float64(seeded), field(t, got, "id"))

	created := ok(p+"create_ticket", map[string]any{
		"customer": map[string]any{"email": "ada@example.com", "name": "Ada Lovelace"},
		"subject":  "The engine is jammed",
		"channel":  map[string]any{"name": "email"},
		"via":      "api",
		"messages": []any{map[string]any{
			"channel": "email", "via": "email", "from_agent": false,
			"sender":        map[string]any{"email": "ada@example.com"},
			"body_text":     "The analytical engine stopped at card 42.",
			"sent_datetime": "2024-05-01T12:00:00Z",
		}},
		"tags": []any{map[string]any{"name": "mcp-created"}},
	})
	ticketID := id(t, created, "id")
	customerID := id(t, created, "customer", "id")
	assert.Equal(t, "The engine is jammed", field(t, created, "subject"))
	updated := ok(p+"update_ticket", map[string]any{"id": ticketID, "status": "closed", "priority": "high", "snooze_datetime": nil})
	assert.Equal(t, "closed", field(t, updated, "status"))

	// Messages.
	msgs := ok(p+"list_messages", map[string]any{"ticket_id": ticketID, "limit": 10})
	firstMsg := id(t, msgs, "data", 0, "id")
	msg := ok(p+"get_ticket_message", map[string]any{"ticket_id": ticketID, "id": firstMsg})
	assert.Equal(t, "The analytical engine stopped at card 42.", field(t, msg, "body_text"))
	note := ok(p+"create_ticket_message", map[string]any{
		"ticket_id": ticketID, "channel": map[string]any{"name": "internal-note"}, "via": "internal-note",
		"from_agent": true, "public": false, "body_text": "Checked the cards.",
		"source": map[string]any{"type": "internal-note"},
	})
	noteID := id(t, note, "id")
	assert.Equal(t, false, field(t, note, "public"))
	// The SDK needs only the ids; gorgiastest still wants channel and
	// from_agent on a message update, so they are given.
	edited := ok(p+"update_ticket_message", map[string]any{
		"ticket_id": ticketID, "id": noteID, "channel": "internal-note", "from_agent": true, "body_text": "Checked the cards twice.",
	})
	assert.Equal(t, "Checked the cards twice.", field(t, edited, "body_text"))
	ok(p+"delete_ticket_message", map[string]any{"ticket_id": ticketID, "id": noteID})

	// Tags and the ticket's tags.
	ok(p+"list_tags", map[string]any{"search": "refund", "limit": 10, "order_by": "usage:desc,name:desc"})
	tag := ok(p+"create_tag", map[string]any{"name": "mcp-engine", "description": "Engine trouble", "decoration": map[string]any{"color": "#d85a17"}})
	tagID := id(t, tag, "id")
	assert.Equal(t, "mcp-engine", field(t, ok(p+"get_tag", map[string]any{"id": tagID}), "name"))
	assert.Equal(t, "Engine faults", field(t, ok(p+"update_tag", map[string]any{"id": tagID, "description": "Engine faults"}), "description"))
	ok(p+"create_ticket_tags", map[string]any{"ticket_id": ticketID, "ids": []int64{tagID}, "names": []string{"mcp-extra"}})
	assert.ElementsMatch(t, []string{"mcp-created", "mcp-engine", "mcp-extra"}, tagNames(t, ok(p+"get_api_tickets_ticket_id_tags", map[string]any{"ticket_id": ticketID})))
	ok(p+"update_ticket_tags", map[string]any{"ticket_id": ticketID, "names": []string{"mcp-engine", "mcp-set"}})
	ok(p+"delete_ticket_tags", map[string]any{"ticket_id": ticketID, "names": []string{"mcp-set"}})
	called[p+"get_api_tickets_ticket_id_tags"] = true
	assert.Equal(t, []string{"mcp-engine"}, tagNames(t, ok(p+"get_api_tickets_ticket_id_tags", map[string]any{"ticket_id": ticketID})))

	dup := id(t, ok(p+"create_tag", map[string]any{"name": "mcp-Engine"}), "id")
	merged := ok(p+"merge_tags", map[string]any{"destination_tag_id": tagID, "source_tags_ids": []int64{dup}})
	assert.Equal(t, float64(tagID), field(t, merged, "id"))
	lone := id(t, ok(p+"create_tag", map[string]any{"name": "mcp-lone"}), "id")
	ok(p+"delete_tag", map[string]any{"id": lone})
	bulk := []int64{
		id(t, ok(p+"create_tag", map[string]any{"name": "mcp-bulk-1"}), "id"),
		id(t, ok(p+"create_tag", map[string]any{"name": "mcp-bulk-2"}), "id"),
	}
	ok(p+"delete_tags", map[string]any{"ids": bulk})

	// Custom fields.
	ok(p+"list_ticket_custom_fields", map[string]any{"ticket_id": ticketID})
	one := ok(p+"update_ticket_custom_field", map[string]any{"ticket_id": ticketID, "id": gorgiastest.FieldOrderNumber, "body": map[string]any{"value": "ORD-42"}})
	assert.Equal(t, "ORD-42", field(t, one, "value"))
	all := ok(p+"update_ticket_custom_fields", map[string]any{"ticket_id": ticketID, "body": []any{
		map[string]any{"id": gorgiastest.FieldOrderNumber, "value": "ORD-43"},
		map[string]any{"id": gorgiastest.FieldRefundAmount, "value": 12.5},
	}})
	require.Len(t, field(t, all, "data"), 2)
	ok(p+"delete_ticket_custom_field", map[string]any{"ticket_id": ticketID, "id": gorgiastest.FieldRefundAmount})
	require.Len(t, field(t, ok(p+"list_ticket_custom_fields", map[string]any{"ticket_id": ticketID}), "data"), 1)

	// Satisfaction surveys.
	ok(p+"list_satisfaction_surveys", map[string]any{"limit": 5})
	survey := ok(p+"create_satisfaction_survey", map[string]any{"ticket_id": ticketID, "customer_id": customerID, "score": 4, "body_text": "Fixed quickly."})
	surveyID := id(t, survey, "id")
	assert.Equal(t, float64(4), field(t, ok(p+"get_satisfaction_survey", map[string]any{"id": surveyID}), "score"))
	rescored := ok(p+"update_satisfaction_survey", map[string]any{"id": surveyID, "score": 5, "should_send_datetime": nil})
	assert.Equal(t, float64(5), field(t, rescored, "score"))

	// Voice.
	calls := ok(p+"list_voice_calls", map[string]any{"limit": 5})
	callID := id(t, calls, "data", 0, "id")
	assert.Equal(t, float64(callID), field(t, ok(p+"get_voice_call", map[string]any{"id": callID}), "id"))
	events := ok(p+"list_voice_call_events", map[string]any{"call_id": callID})
	eventID := id(t, events, "data", 0, "id")
	assert.Equal(t, float64(callID), field(t, ok(p+"get_voice_call_event", map[string]any{"id": eventID}), "call_id"))
	recs := ok(p+"list_voice_call_recordings", map[string]any{"call_id": callID})
	recID := id(t, recs, "data", 0, "id")
	ok(p+"get_voice_call_recording", map[string]any{"id": recID})
	ok(p+"delete_voice_call_recording", map[string]any{"id": recID})

	ok(p+"delete_ticket", map[string]any{"id": ticketID})
	gone := invoke(t, cs, p+"get_ticket", map[string]any{"id": ticketID})
	assert.True(t, gone.IsError, "the deleted ticket is still there")

	var missed []string
	for _, name := range toolNames(t) {
		if !called[name] {
			missed = append(missed, name)
		}
	}
	assert.Empty(t, missed, "tools never called")
	assert.Len(t, called, 36)
	return texts
}

func tagNames(t *testing.T, v any) []string {
	t.Helper()
	list, ok := field(t, v, "data").([]any)
	require.True(t, ok, "want {\"data\": [tags]}, got %v", v)
	names := make([]string, 0, len(list))
	for i := range list {
		names = append(names, fmt.Sprint(field(t, list, i, "name")))
	}
	slices.Sort(names)
	return names
}
