package gorgias

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias/internal/catalog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The operation catalog (internal/catalog, whose test keeps it a verbatim
// copy of ../shared/seed/gorgias-tickets-operations.txt) is the spec the
// SDK is written from. These tests parse it and hold every method to it:
// each parameter can be sent, each required one is refused when missing
// or filled with a documented default.

// catalogParam is one row of an operation's parameter table.
type catalogParam struct {
	Name, Type string
	Required   bool
}

// catalogOperation is one tool of the catalog.
type catalogOperation struct {
	Name   string
	Params []catalogParam
}

// parseCatalog reads the catalog: a tool name line ("gorgias_tickets_…"),
// a header line ending in the table's header, a separator, then rows
// "name | type | Yes/No | default | description |".
func parseCatalog(t testing.TB) []catalogOperation {
	t.Helper()
	var ops []catalogOperation
	sc := bufio.NewScanner(strings.NewReader(catalog.Text()))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "gorgias_tickets_") && !strings.Contains(line, " "):
			ops = append(ops, catalogOperation{Name: line})
		case len(ops) == 0, strings.HasPrefix(line, "|"), strings.Contains(line, "Parameters:|"):
		default:
			cells := strings.Split(line, "|")
			if len(cells) < 4 {
				continue
			}
			op := &ops[len(ops)-1]
			op.Params = append(op.Params, catalogParam{
				Name:     strings.TrimSpace(cells[0]),
				Type:     strings.TrimSpace(cells[1]),
				Required: strings.TrimSpace(cells[2]) == "Yes",
			})
		}
	}
	require.NoError(t, sc.Err())
	return ops
}

func TestCatalogParses(t *testing.T) {
	ops := parseCatalog(t)
	require.Len(t, ops, 36)
	byName := map[string]catalogOperation{}
	for _, op := range ops {
		byName[op.Name] = op
	}
	create := byName["gorgias_tickets_create_ticket"]
	require.Len(t, create.Params, 24)
	assert.Contains(t, create.Params, catalogParam{Name: "via", Type: "string", Required: true})
	assert.Contains(t, create.Params, catalogParam{Name: "messages", Type: "object[]", Required: true})
	assert.Empty(t, byName["gorgias_tickets_list_tags"].Params[0:0])
}

// catalogCase says how one catalog operation maps onto the SDK.
type catalogCase struct {
	// args are the method's own parameters, by catalog name, with valid
	// values: path ids, and bodies passed as plain arguments.
	args map[string]any
	// req returns a valid request struct (body or query options), or nil.
	req func() any
	// call calls the method.
	call func(c *Client, a callArgs, req any) error
	// field names the field a *ValidationError reports for a catalog
	// parameter, where the SDK's name differs.
	field map[string]string
	// defaults holds required parameters the SDK fills in when the
	// caller leaves them empty, with the value it sends.
	defaults map[string]any
}

// valid returns a fresh copy of the case's valid arguments and request,
// for one call to change.
func (tc catalogCase) valid() (callArgs, any) {
	args := callArgs{}
	for k, v := range tc.args {
		args[k] = v
	}
	var req any
	if tc.req != nil {
		req = tc.req()
	}
	return args, req
}

type callArgs map[string]any

func (a callArgs) id(name string) int64 { return a[name].(int64) }

// notOffered lists catalog parameters the SDK deliberately does not take
// where the catalog puts them, each with its reason.
var notOffered = map[string]string{}

func catalogCases() map[string]catalogCase {
	ctx := context.Background()
	ticketAndID := map[string]any{"ticket_id": int64(7), "id": int64(9)}
	id := map[string]any{"id": int64(9)}
	ticketID := map[string]any{"ticket_id": int64(7)}
	tagsReq := func() any { return &TicketTagsRequest{Names: []string{"vip"}} }
	return map[string]catalogCase{
		"gorgias_tickets_create_satisfaction_survey": {
			req: func() any { return &CreateSurveyRequest{CustomerID: 5, TicketID: 7} },
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Surveys.Create(ctx, r.(*CreateSurveyRequest))
				return err
			},
		},
		"gorgias_tickets_create_tag": {
			req: func() any { return &CreateTagRequest{Name: "vip"} },
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Tags.Create(ctx, r.(*CreateTagRequest))
				return err
			},
		},
		"gorgias_tickets_create_ticket": {
			req: func() any {
				return &CreateTicketRequest{Customer: &CustomerRef{ID: 5},
					Messages: []CreateMessageRequest{{Channel: ChannelEmail, FromAgent: Ptr(false), BodyText: "hi"}}}
			},
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Tickets.Create(ctx, r.(*CreateTicketRequest))
				return err
			},
			defaults: map[string]any{"via": "api"},
		},
		"gorgias_tickets_create_ticket_message": {
			args: ticketID,
			req:  func() any { return &CreateMessageRequest{Channel: ChannelEmail, FromAgent: Ptr(true), BodyText: "hi"} },
			call: func(c *Client, a callArgs, r any) error {
				_, err := c.Messages.Create(ctx, a.id("ticket_id"), r.(*CreateMessageRequest))
				return err
			},
			defaults: map[string]any{"via": "api"},
		},
		"gorgias_tickets_create_ticket_tags": {
			args: ticketID, req: tagsReq,
			call: func(c *Client, a callArgs, r any) error {
				return c.Tickets.AddTags(ctx, a.id("ticket_id"), r.(*TicketTagsRequest))
			},
		},
		"gorgias_tickets_delete_tag": {
			args: id,
			call: func(c *Client, a callArgs, _ any) error { return c.Tags.Delete(ctx, a.id("id")) },
		},
		"gorgias_tickets_delete_tags": {
			args: map[string]any{"ids": []int64{1, 2}},
			call: func(c *Client, a callArgs, _ any) error { return c.Tags.DeleteMany(ctx, a["ids"].([]int64)) },
		},
		"gorgias_tickets_delete_ticket": {
			args: id,
			call: func(c *Client, a callArgs, _ any) error { return c.Tickets.Delete(ctx, a.id("id")) },
		},
		"gorgias_tickets_delete_ticket_custom_field": {
			args: ticketAndID,
			call: func(c *Client, a callArgs, _ any) error {
				return c.Tickets.DeleteCustomField(ctx, a.id("ticket_id"), a.id("id"))
			},
		},
		"gorgias_tickets_delete_ticket_message": {
			args: ticketAndID,
			call: func(c *Client, a callArgs, _ any) error { return c.Messages.Delete(ctx, a.id("ticket_id"), a.id("id")) },
		},
		"gorgias_tickets_delete_ticket_tags": {
			args: ticketID, req: tagsReq,
			call: func(c *Client, a callArgs, r any) error {
				return c.Tickets.RemoveTags(ctx, a.id("ticket_id"), r.(*TicketTagsRequest))
			},
		},
		"gorgias_tickets_delete_voice_call_recording": {
			args: id,
			call: func(c *Client, a callArgs, _ any) error { return c.Voice.DeleteRecording(ctx, a.id("id")) },
		},
		"gorgias_tickets_get_api_tickets_ticket_id_tags": {
			args: ticketID,
			call: func(c *Client, a callArgs, _ any) error {
				_, err := c.Tickets.ListTags(ctx, a.id("ticket_id"))
				return err
			},
		},
		"gorgias_tickets_get_satisfaction_survey": {
			args: id,
			call: func(c *Client, a callArgs, _ any) error { _, err := c.Surveys.Get(ctx, a.id("id")); return err },
		},
		"gorgias_tickets_get_tag": {
			args: id,
			call: func(c *Client, a callArgs, _ any) error { _, err := c.Tags.Get(ctx, a.id("id")); return err },
		},
		"gorgias_tickets_get_ticket": {
			args: id,
			req:  func() any { return &GetTicketOptions{} },
			call: func(c *Client, a callArgs, r any) error {
				_, err := c.Tickets.Get(ctx, a.id("id"), r.(*GetTicketOptions))
				return err
			},
		},
		"gorgias_tickets_get_ticket_message": {
			args: ticketAndID,
			call: func(c *Client, a callArgs, _ any) error {
				_, err := c.Messages.Get(ctx, a.id("ticket_id"), a.id("id"))
				return err
			},
		},
		"gorgias_tickets_get_voice_call": {
			args: id,
			call: func(c *Client, a callArgs, _ any) error { _, err := c.Voice.GetCall(ctx, a.id("id")); return err },
		},
		"gorgias_tickets_get_voice_call_event": {
			args: id,
			call: func(c *Client, a callArgs, _ any) error { _, err := c.Voice.GetCallEvent(ctx, a.id("id")); return err },
		},
		"gorgias_tickets_get_voice_call_recording": {
			args: id,
			call: func(c *Client, a callArgs, _ any) error { _, err := c.Voice.GetRecording(ctx, a.id("id")); return err },
		},
		"gorgias_tickets_list_messages": {
			req: func() any { return &ListMessagesOptions{} },
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Messages.List(ctx, r.(*ListMessagesOptions))
				return err
			},
		},
		"gorgias_tickets_list_satisfaction_surveys": {
			req: func() any { return &ListSurveysOptions{} },
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Surveys.List(ctx, r.(*ListSurveysOptions))
				return err
			},
		},
		"gorgias_tickets_list_tags": {
			req:  func() any { return &ListTagsOptions{} },
			call: func(c *Client, _ callArgs, r any) error { _, err := c.Tags.List(ctx, r.(*ListTagsOptions)); return err },
		},
		"gorgias_tickets_list_ticket_custom_fields": {
			args: ticketID,
			call: func(c *Client, a callArgs, _ any) error {
				_, err := c.Tickets.ListCustomFields(ctx, a.id("ticket_id"))
				return err
			},
		},
		"gorgias_tickets_list_tickets": {
			req: func() any { return &ListTicketsOptions{} },
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Tickets.List(ctx, r.(*ListTicketsOptions))
				return err
			},
		},
		"gorgias_tickets_list_voice_call_events": {
			req: func() any { return &ListCallItemsOptions{} },
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Voice.ListCallEvents(ctx, r.(*ListCallItemsOptions))
				return err
			},
		},
		"gorgias_tickets_list_voice_call_recordings": {
			req: func() any { return &ListCallItemsOptions{} },
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Voice.ListRecordings(ctx, r.(*ListCallItemsOptions))
				return err
			},
		},
		"gorgias_tickets_list_voice_calls": {
			req: func() any { return &ListCallsOptions{} },
			call: func(c *Client, _ callArgs, r any) error {
				_, err := c.Voice.ListCalls(ctx, r.(*ListCallsOptions))
				return err
			},
		},
		"gorgias_tickets_merge_tags": {
			args: map[string]any{"destination_tag_id": int64(3), "source_tags_ids": []int64{4, 5}},
			call: func(c *Client, a callArgs, _ any) error {
				_, err := c.Tags.Merge(ctx, a.id("destination_tag_id"), a["source_tags_ids"].([]int64))
				return err
			},
		},
		"gorgias_tickets_update_satisfaction_survey": {
			args: id,
			req:  func() any { return &UpdateSurveyRequest{Score: NewNullable(4)} },
			call: func(c *Client, a callArgs, r any) error {
				_, err := c.Surveys.Update(ctx, a.id("id"), r.(*UpdateSurveyRequest))
				return err
			},
		},
		"gorgias_tickets_update_tag": {
			args: id,
			req:  func() any { return &UpdateTagRequest{Name: Ptr("vip")} },
			call: func(c *Client, a callArgs, r any) error {
				_, err := c.Tags.Update(ctx, a.id("id"), r.(*UpdateTagRequest))
				return err
			},
		},
		"gorgias_tickets_update_ticket": {
			args: id,
			req:  func() any { return &UpdateTicketRequest{Status: StatusClosed} },
			call: func(c *Client, a callArgs, r any) error {
				_, err := c.Tickets.Update(ctx, a.id("id"), r.(*UpdateTicketRequest))
				return err
			},
		},
		"gorgias_tickets_update_ticket_custom_field": {
			// The SDK takes the field id and the value, and sends the
			// catalog's object body {"id": …, "value": …}.
			args: map[string]any{"ticket_id": int64(7), "id": int64(9), "body": CustomFieldUpdate{ID: 9, Value: "x"}},
			call: func(c *Client, a callArgs, _ any) error {
				_, err := c.Tickets.UpdateCustomField(ctx, a.id("ticket_id"), a.id("id"), a["body"].(CustomFieldUpdate).Value)
				return err
			},
			field: map[string]string{"body": "value"},
		},
		"gorgias_tickets_update_ticket_custom_fields": {
			args: map[string]any{"ticket_id": int64(7), "body": []CustomFieldUpdate{{ID: 9, Value: "x"}}},
			call: func(c *Client, a callArgs, _ any) error {
				_, err := c.Tickets.UpdateCustomFields(ctx, a.id("ticket_id"), a["body"].([]CustomFieldUpdate))
				return err
			},
			field: map[string]string{"body": "updates"},
		},
		"gorgias_tickets_update_ticket_message": {
			args: ticketAndID,
			req:  func() any { return &UpdateMessageRequest{BodyText: Ptr("edited")} },
			call: func(c *Client, a callArgs, r any) error {
				_, err := c.Messages.Update(ctx, a.id("ticket_id"), a.id("id"), r.(*UpdateMessageRequest))
				return err
			},
		},
		"gorgias_tickets_update_ticket_tags": {
			args: ticketID, req: tagsReq,
			call: func(c *Client, a callArgs, r any) error {
				return c.Tickets.SetTags(ctx, a.id("ticket_id"), r.(*TicketTagsRequest))
			},
		},
	}
}

// TestCatalogEveryParameterCanBeSent checks, for each of the 36
// operations, that each parameter is a method argument or a field of the
// request (JSON body or query) of a type the catalog allows.
func TestCatalogEveryParameterCanBeSent(t *testing.T) {
	cases := catalogCases()
	ops := parseCatalog(t)
	require.Len(t, cases, len(ops), "one case per catalog operation")
	for _, op := range ops {
		t.Run(op.Name, func(t *testing.T) {
			tc, ok := cases[op.Name]
			require.True(t, ok, "no SDK method mapped to %s", op.Name)
			for _, p := range op.Params {
				if reason, ok := notOffered[op.Name+"."+p.Name]; ok {
					t.Logf("%s: not offered: %s", p.Name, reason)
					continue
				}
				var goType reflect.Type
				if v, ok := tc.args[p.Name]; ok {
					goType = reflect.TypeOf(v)
				} else if tc.req != nil {
					if f, ok := requestField(reflect.TypeOf(tc.req()).Elem(), p.Name); ok {
						goType = f.Type
					}
				}
				if !assert.NotNil(t, goType, "parameter %s cannot be sent", p.Name) {
					continue
				}
				assert.True(t, typeMatches(p, goType), "parameter %s: catalog type %s, SDK type %s", p.Name, p.Type, goType)
			}
		})
	}
}

// TestCatalogRequiredParameters checks that a valid call sends one
// request, and that leaving out any required parameter is refused before
// sending, naming the parameter, unless the SDK fills in a default.
func TestCatalogRequiredParameters(t *testing.T) {
	cases := catalogCases()
	for _, op := range parseCatalog(t) {
		tc := cases[op.Name]
		t.Run(op.Name, func(t *testing.T) {
			c, ts := newTestClient(t, respond(200, []byte(`{}`)), WithRetryPolicy(0, 0, 0))
			args, req := tc.valid()
			err := tc.call(c, args, req)
			var verr *ValidationError
			require.False(t, errorAs(err, &verr), "the valid call was refused: %v", err)
			require.Len(t, ts.Requests(), 1, "the valid call sends one request")

			for _, p := range op.Params {
				if !p.Required {
					continue
				}
				t.Run(p.Name, func(t *testing.T) {
					c, ts := newTestClient(t, respond(200, []byte(`{}`)), WithRetryPolicy(0, 0, 0))
					args, req := tc.valid()
					if v, ok := args[p.Name]; ok {
						args[p.Name] = reflect.Zero(reflect.TypeOf(v)).Interface()
					} else {
						require.NotNil(t, req, "required parameter %s is neither an argument nor a request field", p.Name)
						f, ok := requestField(reflect.TypeOf(req).Elem(), p.Name)
						require.True(t, ok, "required parameter %s is not a request field", p.Name)
						fv := reflect.ValueOf(req).Elem().FieldByIndex(f.Index)
						fv.Set(reflect.Zero(fv.Type()))
					}
					err := tc.call(c, args, req)
					if want, ok := tc.defaults[p.Name]; ok {
						require.Len(t, ts.Requests(), 1, "a defaulted parameter does not stop the call: %v", err)
						assert.Equal(t, want, ts.Requests()[0].JSON(t)[p.Name], "the default sent for %s", p.Name)
						return
					}
					var verr *ValidationError
					require.True(t, errorAs(err, &verr), "leaving out %s is refused before sending; got %v", p.Name, err)
					want := p.Name
					if alias, ok := tc.field[p.Name]; ok {
						want = alias
					}
					assert.Contains(t, problemFields(verr), want)
					assert.Empty(t, ts.Requests())
				})
			}
		})
	}
}

func errorAs(err error, target **ValidationError) bool { return errors.As(err, target) }

func problemFields(e *ValidationError) []string {
	var names []string
	for _, p := range e.Problems {
		names = append(names, p.Field)
	}
	return names
}

// requestField finds the field sent as name: by its json tag (the body)
// or its url tag (the query: list filters, and a message's action, which
// the reference (§2.5) puts in the query string though the catalog lists
// it with the body), looking into embedded structs.
func requestField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if inner, ok := requestField(f.Type, name); ok {
				inner.Index = append([]int{i}, inner.Index...)
				return inner, true
			}
			continue
		}
		for _, tag := range []string{f.Tag.Get("json"), f.Tag.Get("url")} {
			if tagName, _, _ := strings.Cut(tag, ","); tagName == name {
				return f, true
			}
		}
	}
	return reflect.StructField{}, false
}

var channelType = reflect.TypeFor[Channel]()

// typeMatches reports whether a Go type can carry a catalog type.
func typeMatches(p catalogParam, t reflect.Type) bool {
	t = unwrapOptional(t)
	switch p.Type {
	case "integer":
		return isInteger(t)
	case "boolean":
		return t.Kind() == reflect.Bool
	case "string":
		return t.Kind() == reflect.String || t == timeType
	case "object":
		// The catalog renders the Channel enum (a $ref) as "object"; on
		// the wire, and in the reference, a channel is a string.
		if p.Name == "channel" && t == channelType {
			return true
		}
		return t.Kind() == reflect.Struct && t != timeType || t.Kind() == reflect.Map || t.Kind() == reflect.Interface
	case "object[]":
		return t.Kind() == reflect.Slice && typeMatches(catalogParam{Type: "object"}, t.Elem())
	case "integer[]":
		return t.Kind() == reflect.Slice && isInteger(unwrapOptional(t.Elem()))
	case "string[]":
		return t.Kind() == reflect.Slice && unwrapOptional(t.Elem()).Kind() == reflect.String
	case "any[]":
		return t.Kind() == reflect.Slice
	}
	return false
}

func isInteger(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// unwrapOptional looks through pointers and Nullable[T].
func unwrapOptional(t reflect.Type) reflect.Type {
	for {
		switch {
		case t.Kind() == reflect.Pointer:
			t = t.Elem()
		case t.Kind() == reflect.Struct && strings.HasPrefix(t.Name(), "Nullable["):
			t = t.Field(0).Type
		default:
			return t
		}
	}
}

// The catalog's object bodies are sent as JSON objects.
func TestCatalogObjectBodyOfOneCustomField(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "custom_field_value.json")))
	_, err := c.Tickets.UpdateCustomField(context.Background(), 7, 9, true)
	require.NoError(t, err)
	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(ts.Requests()[0].Body, &body))
	assert.JSONEq(t, `{"id": 9, "value": true}`, string(ts.Requests()[0].Body))
}
