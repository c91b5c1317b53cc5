package main

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listTools returns every tool the server lists, across pages.
func listTools(t *testing.T, cs *mcp.ClientSession) []*mcp.Tool {
	t.Helper()
	var tools []*mcp.Tool
	for tool, err := range cs.Tools(t.Context(), nil) {
		require.NoError(t, err)
		tools = append(tools, tool)
	}
	return tools
}

// TestToolsMatchTheCatalog parses the repository's catalog and checks the
// tools a client sees against it: name for name, and parameter for
// parameter with JSON type, array item type and requiredness.
func TestToolsMatchTheCatalog(t *testing.T) {
	data, err := os.ReadFile(catalogPath)
	require.NoError(t, err)
	ops, err := ParseCatalog(string(data))
	require.NoError(t, err)

	cs := connect(t, newFake(t).Client(), serverOptions{})
	tools := listTools(t, cs)

	var want, got []string
	for _, op := range ops {
		want = append(want, op.Name)
	}
	byName := map[string]*mcp.Tool{}
	for _, tool := range tools {
		got = append(got, tool.Name)
		byName[tool.Name] = tool
	}
	slices.Sort(want)
	slices.Sort(got)
	require.Equal(t, want, got, "tool names")

	for _, op := range ops {
		tool := byName[op.Name]
		schema := asMap(t, tool.InputSchema)
		assert.Equal(t, "object", schema["type"], op.Name)
		assert.Equal(t, false, schema["additionalProperties"], "%s accepts unknown parameters", op.Name)
		props := asMap(t, schema["properties"])

		b := bindings[op.Name]
		var wantParams, gotParams, wantRequired, gotRequired []string
		for _, p := range b.extra {
			wantParams = append(wantParams, p.Name)
			assert.Contains(t, props, p.Name, "%s has no parameter %s", op.Name, p.Name)
		}
		for _, p := range op.Params {
			wantParams = append(wantParams, p.Name)
			if _, optional := b.optional[p.Name]; p.Required && !optional {
				wantRequired = append(wantRequired, p.Name)
			}
			prop, ok := props[p.Name]
			if !assert.True(t, ok, "%s has no parameter %s", op.Name, p.Name) {
				continue
			}
			ps := asMap(t, prop)
			if elem, isArray := strings.CutSuffix(p.Type, "[]"); isArray {
				assert.Equal(t, "array", ps["type"], "%s.%s", op.Name, p.Name)
				items := asMap(t, ps["items"])
				if elem == "any" {
					assert.NotContains(t, items, "type", "%s.%s: any[] items must not be typed", op.Name, p.Name)
				} else {
					assert.Equal(t, elem, items["type"], "%s.%s items", op.Name, p.Name)
				}
			} else {
				assert.Equal(t, p.Type, ps["type"], "%s.%s", op.Name, p.Name)
			}
			assert.NotEmpty(t, ps["description"], "%s.%s has no description", op.Name, p.Name)
		}
		for name := range props {
			gotParams = append(gotParams, name)
		}
		for _, r := range asSlice(t, schema["required"]) {
			gotRequired = append(gotRequired, r.(string))
		}
		slices.Sort(wantParams)
		slices.Sort(gotParams)
		slices.Sort(wantRequired)
		slices.Sort(gotRequired)
		assert.Equal(t, wantParams, gotParams, "%s parameters", op.Name)
		assert.Equal(t, wantRequired, gotRequired, "%s required parameters", op.Name)

		assert.NotEmpty(t, tool.Description, op.Name)
		assert.NotEqual(t, op.Summary, tool.Description, "%s: the description should be ours, not the catalog's", op.Name)
		assert.Equal(t, op.Summary, tool.Title, op.Name)
	}
}

func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	// The client sees schemas as decoded JSON; a server-side value is
	// compared the same way.
	if _, ok := v.(map[string]any); !ok {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		v = nil
		require.NoError(t, json.Unmarshal(data, &v))
	}
	m, ok := v.(map[string]any)
	require.True(t, ok, "want an object, got %T", v)
	return m
}

func asSlice(t *testing.T, v any) []any {
	t.Helper()
	if v == nil {
		return nil
	}
	s, ok := v.([]any)
	require.True(t, ok, "want an array, got %T", v)
	return s
}

func TestAnnotations(t *testing.T) {
	cs := connect(t, newFake(t).Client(), serverOptions{})
	tools := listTools(t, cs)
	require.Len(t, tools, 36)
	var readOnly []string
	for _, tool := range tools {
		a := tool.Annotations
		require.NotNil(t, a, tool.Name)
		require.NotNil(t, a.DestructiveHint, "%s: destructiveHint defaults to true when absent", tool.Name)
		require.NotNil(t, a.OpenWorldHint, "%s: openWorldHint defaults to true when absent", tool.Name)
		verb := strings.SplitN(strings.TrimPrefix(tool.Name, "gorgias_tickets_"), "_", 2)[0]
		switch verb {
		case "list", "get":
			assert.True(t, a.ReadOnlyHint, tool.Name)
			assert.False(t, *a.DestructiveHint, tool.Name)
			readOnly = append(readOnly, tool.Name)
		case "delete", "merge":
			assert.False(t, a.ReadOnlyHint, tool.Name)
			assert.True(t, *a.DestructiveHint, "%s deletes data", tool.Name)
			assert.True(t, a.IdempotentHint, tool.Name)
		case "create":
			assert.False(t, a.ReadOnlyHint, tool.Name)
			assert.False(t, *a.DestructiveHint, tool.Name)
		case "update":
			assert.False(t, a.ReadOnlyHint, tool.Name)
		default:
			t.Errorf("%s: unexpected verb %q", tool.Name, verb)
		}
	}
	assert.Len(t, readOnly, 16)

	byName := map[string]*mcp.ToolAnnotations{}
	for _, tool := range tools {
		byName[strings.TrimPrefix(tool.Name, "gorgias_tickets_")] = tool.Annotations
	}
	// Creating is never idempotent, except adding tags, which is.
	for _, name := range []string{"create_ticket", "create_ticket_message", "create_tag", "create_satisfaction_survey"} {
		assert.False(t, byName[name].IdempotentHint, name)
	}
	assert.True(t, byName["create_ticket_tags"].IdempotentHint)
	// The two "replace all" updates destroy what they leave out.
	assert.True(t, *byName["update_ticket_tags"].DestructiveHint)
	assert.True(t, *byName["update_ticket_custom_fields"].DestructiveHint)
	for _, name := range []string{"update_ticket", "update_tag", "update_satisfaction_survey", "update_ticket_custom_field"} {
		assert.False(t, *byName[name].DestructiveHint, name)
		assert.True(t, byName[name].IdempotentHint, name)
	}
	// Retrying a failed message may send it again.
	assert.False(t, byName["update_ticket_message"].IdempotentHint)
	// What can reach a customer is open-world; nothing else is.
	for name, a := range byName {
		want := name == "create_ticket" || name == "create_ticket_message" || name == "update_ticket_message"
		assert.Equal(t, want, *a.OpenWorldHint, name)
	}
}

func TestReadOnlyModeServesOnlyListAndGet(t *testing.T) {
	srv := newFake(t)
	cs := connect(t, srv.Client(), serverOptions{readOnly: true})
	tools := listTools(t, cs)
	require.Len(t, tools, 16)
	for _, tool := range tools {
		name := strings.TrimPrefix(tool.Name, "gorgias_tickets_")
		assert.True(t, strings.HasPrefix(name, "list_") || strings.HasPrefix(name, "get_"), tool.Name)
		assert.True(t, tool.Annotations.ReadOnlyHint, tool.Name)
	}
	mustOK(t, cs, "gorgias_tickets_list_tickets", map[string]any{"limit": 1})

	// A write tool is not listed, and calling it is a tool error that
	// says why and how to allow writes (not the protocol's "unknown
	// tool"), and nothing reaches Gorgias.
	before := srv.Stats().Requests
	for _, name := range []string{"gorgias_tickets_delete_ticket", "gorgias_tickets_create_tag", "gorgias_tickets_update_ticket"} {
		msg := mustFail(t, cs, name, map[string]any{"id": 1})
		assert.Contains(t, msg, name+" changes the helpdesk, and this gorgias-mcp server runs read-only")
		assert.Contains(t, msg, "restart it without -read-only")
		assert.Contains(t, msg, "nothing was sent to Gorgias")
	}
	assert.Equal(t, before, srv.Stats().Requests)
	// A name that is no tool at all is still unknown.
	_, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "gorgias_tickets_fly", Arguments: map[string]any{}})
	require.ErrorContains(t, err, "unknown tool")
}

// TestEveryParameterReachesTheSDK decodes a value for each parameter of
// each tool, alone, into the SDK's request types, so a catalog parameter
// the SDK has no field for, by its JSON name, is noticed here rather than
// by an assistant.
func TestEveryParameterReachesTheSDK(t *testing.T) {
	tools, err := catalogTools(mustCatalog())
	require.NoError(t, err)
	for _, tl := range tools {
		for _, p := range tl.op.Params {
			args := map[string]any{}
			for _, q := range tl.op.Params { // the required ones, so the call is well-formed
				if q.Required {
					args[q.Name] = sample(tl.b, q)
				}
			}
			args[p.Name] = sample(tl.b, p)
			raw, err := json.Marshal(args)
			require.NoError(t, err)
			in, err := parseArgs(tl.op, tl.b, raw)
			require.NoError(t, err, "%s.%s: %v", tl.op.Name, p.Name, args)
			_, err = tl.b.prepare(in)
			assert.NoError(t, err, "%s.%s does not reach the SDK", tl.op.Name, p.Name)
		}
	}
}

// sample is a valid value of a parameter's type.
func sample(b *binding, p Param) any {
	if values, ok := b.enums[p.Name]; ok {
		if p.Type == "string[]" {
			return values[:1]
		}
		return values[0]
	}
	if _, ok := b.coerce[p.Name]; ok {
		switch {
		case p.Name == "channel" && p.Type == "string":
			return "email"
		case p.Name == "channel":
			return map[string]any{"name": "email"}
		}
		return map[string]any{"value": "x"}
	}
	if strings.HasSuffix(p.Name, "datetime") {
		return "2024-05-01T12:00:00Z"
	}
	switch p.Type {
	case "string":
		return "x"
	case "integer":
		return 1
	case "boolean":
		return true
	case "object":
		return map[string]any{}
	case "object[]":
		return []any{map[string]any{}}
	case "integer[]":
		return []int{1}
	case "string[]":
		return []string{"x"}
	}
	return []any{}
}

func TestOnlyTheCatalogsToolsHaveBindings(t *testing.T) {
	ops := mustCatalog()
	_, err := catalogTools(ops[:35])
	assert.ErrorContains(t, err, "is not in the catalog")
	extra := append(slices.Clone(ops), Operation{Name: "gorgias_tickets_fly"})
	_, err = catalogTools(extra)
	assert.ErrorContains(t, err, "has no binding")
}
