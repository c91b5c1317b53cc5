package gorgiastest_test

import (
	"net/url"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawWalk reads every item of a list as JSON objects, page by page.
func rawWalk(t *testing.T, srv *gorgiastest.Server, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	cursor := ""
	for {
		status, body := rawDo(t, srv, "GET", path+"?limit=100&cursor="+url.QueryEscape(cursor), "")
		require.Equal(t, 200, status, "%v", body)
		for _, it := range body["data"].([]any) {
			out = append(out, it.(map[string]any))
		}
		next, _ := body["meta"].(map[string]any)["next_cursor"].(string)
		if next == "" {
			return out
		}
		cursor = next
	}
}

// has reports whether m has key k, whatever its value.
func has(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// TestSeedDataHasLiveShapes: the seeded help desk carries the shapes that
// other clients of the live API have seen (§13 of the reference), nulls
// and unknown fields included, and the SDK decodes all of it.
func TestSeedDataHasLiveShapes(t *testing.T) {
	srv, client := seeded(t, 400)
	count := map[string]int{}
	seen := func(what string, ok bool) {
		if ok {
			count[what]++
		}
	}

	for _, m := range rawWalk(t, srv, "/api/messages") {
		for _, it := range m["intents"].([]any) {
			intent := it.(map[string]any)
			require.True(t, has(intent, "confidence"), "%v", intent)
			_, isNumber := intent["confidence"].(float64)
			seen("intent with a confidence", isNumber)
			seen("intent with a null confidence", intent["confidence"] == nil)
		}
		if macros, ok := m["macros"].([]any); ok {
			for _, it := range macros {
				macro := it.(map[string]any)
				assert.NotNil(t, macro["id"])
				seen("macro {id, name}", macro["name"] != nil)
			}
		}
		if e, ok := m["last_sending_error"].(map[string]any); ok {
			assert.NotNil(t, m["failed_datetime"])
			seen("last_sending_error {code, message}", e["code"] != nil && e["message"] != nil)
			seen("last_sending_error {error}", e["error"] != nil)
		}
		src := m["source"].(map[string]any)
		if from, ok := src["from"].(map[string]any); ok {
			seen("source.from.id", has(from, "id"))
		}
		if to, ok := src["to"].([]any); ok && len(to) > 0 {
			seen("source.to[].id", has(to[0].(map[string]any), "id"))
		}
		if src["type"] == "email" {
			require.True(t, has(src, "cc") && has(src, "bcc"), "%v", src)
			_, empty := src["cc"].([]any)
			seen("cc []", empty)
			seen("cc null", src["cc"] == nil && src["bcc"] == nil)
		}
		seen("unknown field in a source", has(src, "x_gorgias_new_field"))
		for _, it := range m["attachments"].([]any) {
			a := it.(map[string]any)
			require.True(t, has(a, "size"))
			seen("attachment size null", a["size"] == nil)
			seen("attachment size", a["size"] != nil)
		}
		seen("is_retriable null", has(m, "is_retriable") && m["is_retriable"] == nil)
		seen("is_retriable", m["is_retriable"] != nil)
	}

	tickets := rawWalk(t, srv, "/api/tickets")
	var novel int64
	for _, tk := range tickets {
		seen("ticket priority null", has(tk, "priority") && tk["priority"] == nil)
		seen("ticket is_unread null", has(tk, "is_unread") && tk["is_unread"] == nil)
		seen("ticket is_unread true", tk["is_unread"] == true)
		if has(tk, "x_gorgias_new_field") {
			count["unknown field on a ticket"]++
			novel = int64(tk["id"].(float64))
		}
	}
	require.NotZero(t, novel)
	_, full := rawDo(t, srv, "GET", "/api/tickets/"+itoa(novel), "")
	assert.Contains(t, full, "x_gorgias_new_field", "on the full ticket too")

	for _, tg := range rawWalk(t, srv, "/api/tags") {
		seen("tag usage null", has(tg, "usage") && tg["usage"] == nil)
		seen("tag decoration null", has(tg, "decoration") && tg["decoration"] == nil)
	}
	for _, s := range rawWalk(t, srv, "/api/satisfaction-surveys") {
		seen("survey ticket_id null", has(s, "ticket_id") && s["ticket_id"] == nil)
		seen("survey customer_id null", has(s, "customer_id") && s["customer_id"] == nil)
	}
	for _, c := range rawWalk(t, srv, "/api/phone/voice-calls") {
		if c["integration_id"] == nil {
			count["voice call with nulls"]++
			for _, k := range []string{"external_id", "provider", "status", "phone_number_source", "phone_number_destination",
				"country_source", "country_destination", "has_voicemail", "has_call_recording"} {
				assert.True(t, has(c, k) && c[k] == nil, "%s: %v", k, c[k])
			}
		}
	}
	for _, r := range rawWalk(t, srv, "/api/phone/voice-call-recordings") {
		seen("recording external_id and duration null", has(r, "external_id") && r["external_id"] == nil && r["duration"] == nil)
	}
	for _, what := range []string{"intent with a confidence", "intent with a null confidence", "macro {id, name}",
		"last_sending_error {code, message}", "last_sending_error {error}", "source.from.id", "source.to[].id", "cc []", "cc null",
		"unknown field in a source", "attachment size null", "attachment size", "is_retriable null", "is_retriable",
		"ticket priority null", "ticket is_unread null", "ticket is_unread true", "unknown field on a ticket",
		"tag usage null", "tag decoration null", "survey ticket_id null", "survey customer_id null",
		"voice call with nulls", "recording external_id and duration null"} {
		assert.Positive(t, count[what], what)
	}

	// The SDK reads all of it, and keeps what it has no field for.
	n := 0
	sdk := map[string]int{}
	for m, err := range client.Messages.All(ctx, nil) {
		require.NoError(t, err)
		n++
		if e := m.LastSendingError; e != nil && e.Code != "" && e.Message != "" {
			sdk["sending error code"]++
		}
		for _, mc := range m.Macros {
			if mc.Name != "" {
				sdk["macro name"]++
			}
		}
		for _, in := range m.Intents {
			if in.Confidence != nil {
				sdk["intent confidence"]++
			}
		}
		if m.Source != nil && m.Source.From != nil && m.Source.From.ID != nil {
			sdk["source.from.id"]++
		}
		if m.Source != nil {
			if _, ok := m.Source.Raw.Get("x_gorgias_new_field"); ok {
				sdk["unknown field in a source"]++
			}
		}
	}
	for tk, err := range client.Tickets.All(ctx, nil) {
		require.NoError(t, err)
		n++
		if raw, ok := tk.Raw.Get("x_gorgias_new_field"); ok {
			assert.JSONEq(t, `{"kind":"early-access","enabled":true}`, string(raw))
			sdk["unknown field on a ticket"]++
		}
	}
	for _, what := range []string{"sending error code", "macro name", "intent confidence", "source.from.id",
		"unknown field in a source", "unknown field on a ticket"} {
		assert.Positive(t, sdk[what], "the SDK sees %s", what)
	}
	for _, err := range client.Tags.All(ctx, nil) {
		require.NoError(t, err)
	}
	for _, err := range client.Surveys.All(ctx, nil) {
		require.NoError(t, err)
	}
	for call, err := range client.Voice.AllCalls(ctx, nil) {
		require.NoError(t, err)
		_, err := client.Voice.GetCall(ctx, call.ID)
		require.NoError(t, err)
	}
	recs, err := client.Voice.ListRecordings(ctx, &gorgias.ListCallItemsOptions{ListOptions: gorgias.ListOptions{Limit: 100}})
	require.NoError(t, err)
	assert.NotEmpty(t, recs.Data)
	assert.Equal(t, len(tickets)+count["is_retriable"]+count["is_retriable null"], n)
	_, err = client.Tickets.Get(ctx, novel, &gorgias.GetTicketOptions{})
	require.NoError(t, err)
}
