package main

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schemaPair is a tool's input and output schemas, resolved as JSON
// Schema by a validator this project does not maintain.
type schemaPair struct {
	name    string
	in, out *jsonschema.Resolved
}

// resolveSchema reads a schema as a client receives it (decoded JSON) and
// resolves it, which checks it is a well-formed JSON Schema.
func resolveSchema(t *testing.T, what string, v any) *jsonschema.Resolved {
	t.Helper()
	require.NotNil(t, v, "%s: no schema", what)
	data, err := json.Marshal(v)
	require.NoError(t, err, what)
	var s jsonschema.Schema
	require.NoError(t, json.Unmarshal(data, &s), "%s is not a JSON Schema: %s", what, data)
	r, err := s.Resolve(nil)
	require.NoError(t, err, "%s does not resolve: %s", what, data)
	return r
}

// toolSchemas lists the tools and resolves every tool's input and output
// schema.
func toolSchemas(t *testing.T, cs *mcp.ClientSession) map[string]*schemaPair {
	t.Helper()
	out := map[string]*schemaPair{}
	for _, tool := range listTools(t, cs) {
		out[tool.Name] = &schemaPair{
			name: tool.Name,
			in:   resolveSchema(t, tool.Name+" inputSchema", tool.InputSchema),
			out:  resolveSchema(t, tool.Name+" outputSchema", tool.OutputSchema),
		}
	}
	return out
}

// checkStructured checks a successful result carries structured content
// that validates against the tool's output schema, and the same JSON as
// text.
func checkStructured(t *testing.T, s *schemaPair, res *mcp.CallToolResult) {
	t.Helper()
	require.NotNil(t, s, "no schemas for the tool")
	require.NotNil(t, res.StructuredContent, "%s: no structuredContent", s.name)
	data, err := json.Marshal(res.StructuredContent)
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	_, isObject := v.(map[string]any)
	require.True(t, isObject, "%s: structuredContent must be an object, got %s", s.name, data)
	require.NoError(t, s.out.Validate(v), "%s: structuredContent does not fit the outputSchema: %s", s.name, data)
	assert.JSONEq(t, string(data), text(res), "%s: the text is not the structured content", s.name)
}

// The arguments every test in this file sends validate against the
// input schemas too: a client that checks them sends them.
func TestSchemasResolveAndExamplesValidate(t *testing.T) {
	cs := connect(t, newFake(t).Client(), serverOptions{})
	schemas := toolSchemas(t, cs)
	require.Len(t, schemas, 36)
	in := func(name string, args map[string]any) error {
		data, _ := json.Marshal(args)
		var v any
		_ = json.Unmarshal(data, &v)
		return schemas["gorgias_tickets_"+name].in.Validate(v)
	}
	assert.NoError(t, in("list_tickets", map[string]any{"order_by": "updated_datetime:desc", "full": true}))
	assert.Error(t, in("list_tickets", map[string]any{"order_by": "newest"}))
	assert.NoError(t, in("update_ticket", map[string]any{"id": 1, "status": "closed", "priority": "low"}))
	assert.Error(t, in("update_ticket", map[string]any{"id": 1, "status": "pending"}))
	assert.Error(t, in("update_ticket", map[string]any{"id": 1, "priority": "urgent"}))
	assert.NoError(t, in("create_ticket", map[string]any{"messages": []any{map[string]any{}}}), "via is not required")
	assert.NoError(t, in("create_ticket_message", map[string]any{"ticket_id": 1, "channel": map[string]any{"name": "my-app-channel"}, "from_agent": true}),
		"an app-defined channel fits the schema")
	assert.Error(t, in("create_ticket_message", map[string]any{"ticket_id": 1, "channel": map[string]any{"name": "email"}, "from_agent": true, "action": "resend"}))
	assert.Error(t, in("get_ticket", map[string]any{"id": 1, "relationships": []string{"messages"}}))
}

// TestEnums: each parameter whose values the catalog or the API
// reference lists in full has them as an enum; channel, which an account
// can extend, has none but its description names the documented ones.
func TestEnums(t *testing.T) {
	cs := connect(t, newFake(t).Client(), serverOptions{})
	byName := map[string]*mcp.Tool{}
	for _, tool := range listTools(t, cs) {
		byName[strings.TrimPrefix(tool.Name, "gorgias_tickets_")] = tool
	}
	prop := func(tool, param string) map[string]any {
		t.Helper()
		return asMap(t, asMap(t, asMap(t, byName[tool].InputSchema)["properties"])[param])
	}
	enum := func(tool, param string) []string {
		t.Helper()
		p := prop(tool, param)
		if items, ok := p["items"]; ok {
			p = asMap(t, items)
		}
		var out []string
		for _, v := range asSlice(t, p["enum"]) {
			out = append(out, v.(string))
		}
		return out
	}
	status := []string{"open", "closed"}
	priority := []string{"critical", "high", "normal", "low"}
	for _, tool := range []string{"create_ticket", "update_ticket"} {
		assert.Equal(t, status, enum(tool, "status"), tool)
		assert.Equal(t, priority, enum(tool, "priority"), tool)
		assert.Contains(t, enum(tool, "via"), "api", tool)
		assert.Contains(t, enum(tool, "via"), "internal-note", tool)
		assert.Len(t, enum(tool, "via"), 32, tool)
	}
	for _, tool := range []string{"create_ticket_message", "update_ticket_message"} {
		assert.Equal(t, []string{"force", "retry", "cancel"}, enum(tool, "action"), tool)
		assert.Len(t, enum(tool, "via"), 32, tool)
	}
	assert.Equal(t, []string{"created_datetime:asc", "created_datetime:desc", "updated_datetime:asc", "updated_datetime:desc"}, enum("list_tickets", "order_by"))
	assert.Equal(t, []string{"created_datetime:asc", "created_datetime:desc"}, enum("list_messages", "order_by"))
	assert.Equal(t, []string{"created_datetime:asc", "created_datetime:desc"}, enum("list_satisfaction_surveys", "order_by"))
	assert.Equal(t, []string{"created_datetime:asc", "created_datetime:desc", "name:asc", "name:desc", "usage:asc,name:asc", "usage:desc,name:desc"},
		enum("list_tags", "order_by"))
	assert.Equal(t, []string{"custom_fields"}, enum("get_ticket", "relationships"))

	for _, c := range [][2]string{{"create_ticket", "channel"}, {"update_ticket", "channel"}, {"create_ticket_message", "channel"}, {"update_ticket_message", "channel"}} {
		p := prop(c[0], c[1])
		assert.NotContains(t, p, "enum", "%s.%s: channels are open-ended", c[0], c[1])
		if props, ok := p["properties"]; ok {
			assert.NotContains(t, asMap(t, asMap(t, props)["name"]), "enum")
		}
		desc := p["description"].(string)
		assert.Contains(t, desc, "instagram-direct-message, instagram-mention, internal-note", c)
		assert.Contains(t, desc, "channels an app defines", c)
	}

	// The server holds to the enums too, before sending anything.
	msg := mustFail(t, cs, "gorgias_tickets_update_ticket", map[string]any{"id": 1, "status": "pending", "priority": "urgent"})
	assert.Contains(t, msg, `- status: must be one of open, closed, got "pending"`)
	assert.Contains(t, msg, `- priority: must be one of critical, high, normal, low, got "urgent"`)
	msg = mustFail(t, cs, "gorgias_tickets_get_ticket", map[string]any{"id": 1, "relationships": []string{"custom_fields", "messages"}})
	assert.Contains(t, msg, `- relationships: must be one of custom_fields, got "messages"`)
}

// TestViaDefaultsToAPI: create_ticket and create_ticket_message do not
// require via, say so, and the SDK sends api.
func TestViaDefaultsToAPI(t *testing.T) {
	cs := connect(t, newFake(t).Client(), serverOptions{})
	for _, tool := range listTools(t, cs) {
		if tool.Name != "gorgias_tickets_create_ticket" && tool.Name != "gorgias_tickets_create_ticket_message" {
			continue
		}
		schema := asMap(t, tool.InputSchema)
		assert.NotContains(t, asSlice(t, schema["required"]), "via", tool.Name)
		via := asMap(t, asMap(t, schema["properties"])["via"])
		assert.Contains(t, via["description"], `Optional: left out, it is "api"`, tool.Name)
	}
	created := mustOK(t, cs, "gorgias_tickets_create_ticket", map[string]any{
		"customer": map[string]any{"email": "ada@example.com"},
		"messages": []any{map[string]any{"channel": "email", "from_agent": false, "sender": map[string]any{"email": "ada@example.com"},
			"body_text": "Hello", "sent_datetime": "2024-05-01T12:00:00Z"}},
	})
	assert.Equal(t, "api", field(t, created, "via"))
	msg := mustOK(t, cs, "gorgias_tickets_create_ticket_message", map[string]any{
		"ticket_id": id(t, created, "id"), "channel": map[string]any{"name": "internal-note"}, "from_agent": true, "public": false, "body_text": "Note",
	})
	assert.Equal(t, "api", field(t, msg, "via"))
}

// compactKeys are the keys of each list's compact items.
var compactKeys = map[string][]string{
	"list_tickets":               {"id", "subject", "status", "priority", "channel", "customer_email", "updated_datetime", "messages_count", "tags"},
	"list_messages":              {"id", "ticket_id", "channel", "from_agent", "public", "sender_email", "subject", "excerpt", "created_datetime", "sent_datetime"},
	"list_tags":                  {"id", "name", "usage"},
	"list_satisfaction_surveys":  {"id", "ticket_id", "customer_id", "score", "body_text", "sent_datetime", "scored_datetime"},
	"list_voice_calls":           {"id", "ticket_id", "direction", "status", "termination_status", "phone_number_source", "phone_number_destination", "duration", "created_datetime"},
	"list_voice_call_events":     {"id", "call_id", "type", "user_id", "created_datetime"},
	"list_voice_call_recordings": {"id", "call_id", "type", "duration", "transcription_status", "created_datetime"},
}

// TestCompactLists: the list tools answer compact items and the cursor
// by default, the full objects with full true, and a default
// list_tickets against the fake -fake runs stays under 16 KiB.
func TestCompactLists(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 100})) // as -fake seeds it
	cs := connect(t, srv.Client(), serverOptions{})
	schemas := toolSchemas(t, cs)

	res := invoke(t, cs, "gorgias_tickets_list_tickets", nil)
	require.False(t, res.IsError, text(res))
	checkStructured(t, schemas["gorgias_tickets_list_tickets"], res)
	size := len(text(res))
	t.Logf("a default list_tickets: %d bytes", size)
	assert.Less(t, size, 16<<10, "a default list_tickets is too large for an assistant's context")
	page := mustDecode(t, text(res))
	require.Len(t, field(t, page, "data"), 30)
	assert.NotEmpty(t, field(t, page, "meta", "next_cursor"), "the cursor is kept")

	fullRes := invoke(t, cs, "gorgias_tickets_list_tickets", map[string]any{"full": true})
	checkStructured(t, schemas["gorgias_tickets_list_tickets"], fullRes)
	full := mustDecode(t, text(fullRes))
	t.Logf("list_tickets with full: %d bytes", len(text(fullRes)))
	assert.Greater(t, len(text(fullRes)), 2*size)
	// The same ticket, compact and full, agrees on what the view keeps.
	c, f := asMap(t, field(t, page, "data", 0)), asMap(t, field(t, full, "data", 0))
	assert.Equal(t, f["id"], c["id"])
	assert.Equal(t, f["subject"], c["subject"])
	assert.Equal(t, f["status"], c["status"])
	assert.Equal(t, f["updated_datetime"], c["updated_datetime"])
	assert.Equal(t, field(t, f, "customer", "email"), c["customer_email"])
	assert.Equal(t, f["messages_count"], c["messages_count"])
	var tagNames []any
	for _, tag := range asSlice(t, f["tags"]) {
		tagNames = append(tagNames, asMap(t, tag)["name"])
	}
	assert.ElementsMatch(t, tagNames, c["tags"])
	assert.Contains(t, f, "uri")
	// The schema can fail: an id that is not an integer fits neither form.
	c["id"] = "82750100"
	assert.Error(t, schemas["gorgias_tickets_list_tickets"].out.Validate(page))

	// Every list: compact keys by default, more with full, both valid.
	callID := id(t, mustOK(t, cs, "gorgias_tickets_list_voice_calls", nil), "data", 0, "id")
	for name, keys := range compactKeys {
		args := map[string]any{}
		if strings.Contains(name, "voice_call_") {
			args["call_id"] = callID
		}
		res := invoke(t, cs, "gorgias_tickets_"+name, args)
		require.False(t, res.IsError, "%s: %s", name, text(res))
		checkStructured(t, schemas["gorgias_tickets_"+name], res)
		v := mustDecode(t, text(res))
		require.NotEmpty(t, field(t, v, "data"), name)
		var got []string
		for k := range asMap(t, field(t, v, "data", 0)) {
			got = append(got, k)
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		slices.Sort(got)
		assert.Equal(t, want, got, name)

		args["full"] = true
		res = invoke(t, cs, "gorgias_tickets_"+name, args)
		checkStructured(t, schemas["gorgias_tickets_"+name], res)
		assert.Greater(t, len(asMap(t, field(t, mustDecode(t, text(res)), "data", 0))), len(keys), "%s with full", name)
	}
}

func TestExcerpt(t *testing.T) {
	assert.Equal(t, "a b", excerpt(" a\n\tb "))
	long := strings.Repeat("é", 300)
	got := excerpt(long)
	assert.Equal(t, strings.Repeat("é", excerptLength)+"…", got)
}

// /dev/null is a character device but no terminal: gorgias-mcp started
// by a service manager must not say it is talking to a person.
func TestDevNullIsNotATerminal(t *testing.T) {
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer func() { assert.NoError(t, f.Close()) }()
	assert.False(t, isTerminal(f))
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer func() { assert.NoError(t, r.Close()) }()
	defer func() { assert.NoError(t, w.Close()) }()
	assert.False(t, isTerminal(r))
	assert.False(t, isTerminal(strings.NewReader("")))

	var stderr syncBuffer
	require.NoError(t, run(t.Context(), []string{"-fake"}, env(), f, &nopWriter{}, &stderr))
	assert.NotContains(t, stderr.String(), "stdin is a terminal")
}

type nopWriter struct{}

func (*nopWriter) Write(p []byte) (int, error) { return len(p), nil }
