package gorgias

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The types the tests single out.
var (
	rawFieldsType  = reflect.TypeFor[RawFields]()
	timeType       = reflect.TypeFor[Time]()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
)

// roundTripper decodes a fixture and encodes it again. It returns the
// objects as they came and as they were written back, as raw JSON: the
// fixture itself, or each item of a list.
type roundTripper func(t testing.TB, data []byte) (in, out []json.RawMessage)

func single[T any](t testing.TB, data []byte) (in, out []json.RawMessage) {
	var v T
	require.NoError(t, json.Unmarshal(data, &v), "%s", data)
	back, err := json.Marshal(v)
	require.NoError(t, err)
	return []json.RawMessage{data}, []json.RawMessage{back}
}

func page[T any](t testing.TB, data []byte) (in, out []json.RawMessage) {
	var p Page[T]
	require.NoError(t, json.Unmarshal(data, &p), "%s", data)
	trimmed := bytes.TrimSpace(data)
	if trimmed[0] == '[' {
		require.NoError(t, json.Unmarshal(trimmed, &in))
	} else {
		var env struct{ Data []json.RawMessage }
		require.NoError(t, json.Unmarshal(trimmed, &env))
		in = env.Data
	}
	require.Len(t, p.Data, len(in))
	for _, item := range p.Data {
		back, err := json.Marshal(item)
		require.NoError(t, err)
		out = append(out, back)
	}
	return in, out
}

// fixtureKind round-trips a fixture (whole), and one of its objects (item).
type fixtureKind struct{ whole, item roundTripper }

func one[T any]() fixtureKind  { return fixtureKind{single[T], single[T]} }
func list[T any]() fixtureKind { return fixtureKind{page[T], single[T]} }

// fixtureTypes maps every response fixture in testdata to its type.
var fixtureTypes = map[string]fixtureKind{
	"ticket.json":                        one[Ticket](),
	"ticket_closed_with_survey.json":     one[Ticket](),
	"tickets_page.json":                  list[Ticket](),
	"message.json":                       one[Message](),
	"messages_page.json":                 list[Message](),
	"ticket_messages_legacy_page.json":   list[Message](),
	"tag.json":                           one[Tag](),
	"tags_page.json":                     list[Tag](),
	"ticket_tags.json":                   list[Tag](),
	"survey.json":                        one[Survey](),
	"surveys_page.json":                  list[Survey](),
	"custom_fields.json":                 list[CustomFieldValue](),
	"custom_field_value.json":            one[CustomFieldValue](),
	"custom_field_definition.json":       one[CustomField](),
	"custom_field_definitions_page.json": list[CustomField](),
	"voice_call.json":                    one[VoiceCall](),
	"voice_calls_page.json":              list[VoiceCall](),
	"voice_call_event.json":              one[VoiceCallEvent](),
	"voice_call_events_page.json":        list[VoiceCallEvent](),
	"voice_call_events_array.json":       list[VoiceCallEvent](),
	"voice_call_recording.json":          one[VoiceCallRecording](),
	"voice_call_recordings_page.json":    list[VoiceCallRecording](),
	// Shapes seen from live accounts (gorgias-api.md §13): nulls, objects
	// sent as strings, fields no struct declares, odd datetimes.
	"odd_ticket.json":                 one[Ticket](),
	"odd_message.json":                one[Message](),
	"odd_messages_page.json":          list[Message](),
	"odd_tags_page.json":              list[Tag](),
	"odd_surveys_page.json":           list[Survey](),
	"odd_custom_fields.json":          list[CustomFieldValue](),
	"odd_voice_calls_page.json":       list[VoiceCall](),
	"odd_voice_call_events_page.json": list[VoiceCallEvent](),
	"odd_voice_call_recordings.json":  list[VoiceCallRecording](),
}

// responseFixtures returns the fixtures of fixtureTypes, failing on one
// that is not listed: a new fixture must be round-tripped too.
func responseFixtures(t *testing.T) map[string][]byte {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, p := range paths {
		name := filepath.Base(p)
		if strings.HasPrefix(name, "error_") {
			continue
		}
		require.Contains(t, fixtureTypes, name, "add %s to fixtureTypes", name)
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		out[name] = data
	}
	require.Len(t, out, len(fixtureTypes))
	return out
}

var datetimeLike = regexp.MustCompile(`^\d{4}-\d\d-\d\d([T ]|$)`)

// normalize decodes JSON to a generic value for comparison: datetimes as
// the instant they name (the SDK writes microseconds and an offset),
// numbers by value (exactly, for integers).
func normalize(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "%s", data)
	return normalizeValue(v)
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeValue(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeValue(e)
		}
	case string:
		if datetimeLike.MatchString(x) {
			if tm, err := ParseTime(x); err == nil {
				return "instant:" + tm.UTC().Format(time.RFC3339Nano)
			}
		}
	case json.Number:
		if n, ok := new(big.Int).SetString(string(x), 10); ok {
			return "number:" + n.String()
		}
		f, err := x.Float64()
		if err != nil {
			return "number:" + string(x)
		}
		if f == 0 {
			return "number:0"
		}
		return "number:" + strconv.FormatFloat(f, 'g', -1, 64)
	}
	return v
}

// requireSameJSON fails unless a and b are the same JSON, keys, nulls and
// empty lists included, up to datetime formats.
func requireSameJSON(t testing.TB, want, got []byte, msgAndArgs ...any) {
	t.Helper()
	if !assert.Equal(t, normalize(t, want), normalize(t, got), msgAndArgs...) {
		t.FailNow()
	}
}

// TestRoundTripFixtures decodes and re-encodes every fixture: nothing is
// lost, added or changed.
func TestRoundTripFixtures(t *testing.T) {
	for name, data := range responseFixtures(t) {
		t.Run(name, func(t *testing.T) {
			in, out := fixtureTypes[name].whole(t, data)
			require.NotEmpty(t, in)
			for i := range in {
				requireSameJSON(t, in[i], out[i], "item %d", i)
			}
		})
	}
}

// deleteValue, returned by a mutation, removes the key.
type deleted struct{}

var deleteValue = deleted{}

func walkPaths(v any, path []any, visit func(path []any, v any)) {
	visit(path, v)
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkPaths(x[k], append(slices.Clip(path), k), visit)
		}
	case []any:
		for i, e := range x {
			walkPaths(e, append(slices.Clip(path), i), visit)
		}
	}
}

func mutate(v any, path []any, apply func(any) any) any {
	if len(path) == 0 {
		return apply(v)
	}
	switch x := v.(type) {
	case map[string]any:
		k := path[0].(string)
		nv := mutate(x[k], path[1:], apply)
		if nv == deleteValue {
			delete(x, k)
		} else {
			x[k] = nv
		}
	case []any:
		i := path[0].(int)
		x[i] = mutate(x[i], path[1:], apply)
	}
	return v
}

func valueAt(v any, path []any) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p.(string)]
		case []any:
			v = x[p.(int)]
		}
	}
	return v
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

func decodeGeneric(t testing.TB, data []byte) any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

// TestRoundTripOddValues takes every fixture object and, one key at a
// time and at every depth (a rotating sample of the keys, every key with
// -long), removes the key, sets it to null, to an empty
// string, to a number, to a bool, to an object, to a list, and sends
// objects and lists as JSON strings: each still decodes, and encodes back
// to what was sent.
func TestRoundTripOddValues(t *testing.T) {
	oddStride := 6 // about 2,100 documents, in under a second
	switch {
	case *LongTests:
		oddStride = 1 // every path: about 12,600 documents
	case raceEnabled, testing.Short():
		oddStride = 20 // about 630 documents: -race is slow, -short is asked to be quick (scripts/mutation runs every mutant with it)
	}
	odd := []struct {
		name  string
		apply func(any) any
	}{
		{"deleted", func(any) any { return deleteValue }},
		{"null", func(any) any { return nil }},
		{"empty string", func(any) any { return "" }},
		{"number", func(any) any { return json.Number("-12.5e3") }},
		{"big integer", func(any) any { return json.Number("123456789012345678901234567890") }},
		{"bool", func(any) any { return true }},
		{"object", func(any) any { return map[string]any{"odd": []any{json.Number("1"), "two", nil}} }},
		{"list", func(any) any { return []any{"x", map[string]any{}} }},
		{"as a string", func(v any) any {
			switch v.(type) {
			case map[string]any, []any:
				b, _ := json.Marshal(v)
				return string(b)
			}
			return v
		}},
	}
	total := 0
	for name, data := range responseFixtures(t) {
		in, _ := fixtureTypes[name].whole(t, data)
		for item, obj := range in {
			var paths [][]any
			base := decodeGeneric(t, obj)
			walkPaths(base, nil, func(path []any, _ any) {
				if len(path) > 0 {
					paths = append(paths, path)
				}
			})
			for p, path := range paths {
				if p%oddStride != item%oddStride {
					continue // a sample of the paths, rotating by object: every one with -long
				}
				for _, o := range odd {
					if _, isIndex := path[len(path)-1].(int); isIndex && o.name == "deleted" {
						continue
					}
					if o.name == "as a string" && !isContainer(valueAt(base, path)) {
						continue // nothing to change
					}
					doc := mutate(decodeGeneric(t, obj), path, o.apply)
					if doc == deleteValue {
						continue
					}
					mutated, err := json.Marshal(doc)
					require.NoError(t, err)
					_, out := fixtureTypes[name].item(t, mutated)
					requireSameJSON(t, mutated, out[0], "%s item %d, %v %s", name, item, path, o.name)
					total++
				}
			}
		}
	}
	t.Logf("%d odd documents round-tripped", total)
}

// TestUnknownFieldsSurvive adds a field no struct declares to every
// object of every fixture, at the top level and nested: each survives
// decoding and encoding, and is readable.
func TestUnknownFieldsSurvive(t *testing.T) {
	unknown := func() any {
		return map[string]any{"nested": []any{json.Number("1"), "two", nil, map[string]any{"deep": true}}}
	}
	for name, data := range responseFixtures(t) {
		in, _ := fixtureTypes[name].whole(t, data)
		for i, obj := range in {
			doc := decodeGeneric(t, obj)
			var objects []map[string]any
			walkPaths(doc, nil, func(_ []any, v any) {
				if m, ok := v.(map[string]any); ok {
					objects = append(objects, m)
				}
			})
			for _, m := range objects {
				m["zz_added_later"] = unknown()
			}
			mutated, err := json.Marshal(doc)
			require.NoError(t, err)
			_, out := fixtureTypes[name].item(t, mutated)
			requireSameJSON(t, mutated, out[0], "%s item %d", name, i)
		}
	}

	var ticket Ticket
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"sla":{"breached":false},"customer":{"id":2,"loyalty":"gold"},
		"tags":[{"id":3,"name":"vip","decoration":{"color":"#fff","emoji":"⭐"}}]}`), &ticket))
	assert.Equal(t, []string{"sla"}, ticket.Raw.Keys())
	raw, ok := ticket.Raw.Get("sla")
	require.True(t, ok)
	assert.JSONEq(t, `{"breached":false}`, string(raw))
	raw, ok = ticket.Customer.Raw.Get("loyalty")
	require.True(t, ok)
	assert.JSONEq(t, `"gold"`, string(raw))
	assert.Equal(t, []string{"emoji"}, ticket.Tags[0].Decoration.Raw.Keys())
	_, ok = ticket.Raw.Get("id")
	assert.False(t, ok, "a key the typed fields hold is not in Raw")
	out, err := json.Marshal(ticket)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":1,"sla":{"breached":false},"customer":{"id":2,"loyalty":"gold"},
		"tags":[{"id":3,"name":"vip","decoration":{"color":"#fff","emoji":"⭐"}}]}`, string(out))
}

// TestOddShapesDecode checks the typed fields of the §13 shapes: nulls
// stay nil, objects sent as strings are decoded, new fields are read.
func TestOddShapesDecode(t *testing.T) {
	var ticket Ticket
	require.NoError(t, decodeJSON(fixture(t, "odd_ticket.json"), &ticket))
	assert.Nil(t, ticket.IsUnread)
	assert.Nil(t, ticket.Priority)
	assert.Nil(t, ticket.MessagesCount)
	assert.Equal(t, "1042", ticket.Meta["order_number"], "meta sent as a string")
	assert.Equal(t, map[string]any{"name_set_via": "email"}, ticket.Customer.Meta)
	assert.Equal(t, "", ticket.Tags[0].Decoration.Color)
	color, ok := ticket.Tags[0].Decoration.Raw.Get("color")
	require.True(t, ok)
	assert.Equal(t, "null", string(color))
	assert.Nil(t, ticket.UpdatedDatetime, `"" is no datetime`)
	updated, ok := ticket.Raw.Get("updated_datetime")
	require.True(t, ok)
	assert.Equal(t, `""`, string(updated))
	assert.Equal(t, Status("snoozed"), ticket.Status)
	assert.Equal(t, "missing_phone", mustRaw(t, ticket.ReplyOptions["sms"].Raw, "code"))
	assert.Equal(t, 2026, ticket.CreatedDatetime.Year())

	var msg Message
	require.NoError(t, decodeJSON(fixture(t, "odd_message.json"), &msg))
	assert.Nil(t, msg.Public)
	assert.Nil(t, msg.FromAgent)
	assert.Nil(t, msg.IsRetriable)
	assert.Equal(t, int64(88812), *msg.Source.From.ID)
	assert.Equal(t, int64(88813), *msg.Source.To[0].ID)
	assert.Nil(t, msg.Source.Cc)
	assert.NotNil(t, msg.Source.Bcc)
	assert.Empty(t, msg.Source.Bcc)
	assert.Equal(t, map[string]any{"include_thread": false}, msg.Source.Extra)
	assert.Equal(t, map[string]any{}, msg.Sender.Meta)
	assert.Equal(t, "Acme", msg.Headers["X-Mailer"])
	assert.Equal(t, 0.87, *msg.Intents[0].Confidence)
	assert.Equal(t, "mailbox_unavailable", msg.LastSendingError.Code)
	assert.Equal(t, "Mailbox unavailable", msg.LastSendingError.Message)
	assert.Equal(t, "Refund issued", msg.Macros[0].Name)
	assert.Equal(t, int64(0), msg.Attachments[0].Size)
	size, ok := msg.Attachments[0].Raw.Get("size")
	require.True(t, ok)
	assert.Equal(t, "null", string(size))

	p := new(Page[Message])
	require.NoError(t, decodeJSON(fixture(t, "odd_messages_page.json"), p))
	require.Len(t, p.Data, 2)
	assert.Nil(t, p.Data[0].LastSendingError, "a string sending error")
	assert.Equal(t, `"Mailbox unavailable"`, mustRawJSON(t, p.Data[0].Raw, "last_sending_error"))
	assert.Nil(t, p.Data[0].Source.Extra, `"not json" is no object`)
	assert.Equal(t, `"not json"`, mustRawJSON(t, p.Data[0].Source.Raw, "extra"))
	assert.Equal(t, "Timeout", p.Data[1].LastSendingError.Error)

	tags := new(Page[Tag])
	require.NoError(t, decodeJSON(fixture(t, "odd_tags_page.json"), tags))
	assert.Nil(t, tags.Data[0].Usage)
	assert.Equal(t, 0, *tags.Data[1].Usage)
	assert.Nil(t, tags.Data[2].Usage, "12.0 is no int")
	assert.Equal(t, "12.0", mustRawJSON(t, tags.Data[2].Raw, "usage"))

	surveys := new(Page[Survey])
	require.NoError(t, decodeJSON(fixture(t, "odd_surveys_page.json"), surveys))
	assert.Nil(t, surveys.Data[0].TicketID)
	assert.Nil(t, surveys.Data[0].CustomerID)
	assert.Equal(t, int64(82697494), *surveys.Data[1].TicketID)

	fields := new(Page[CustomFieldValue])
	require.NoError(t, decodeJSON(fixture(t, "odd_custom_fields.json"), fields))
	f := fields.Data[0].Field
	assert.Nil(t, f.Label)
	assert.Nil(t, f.Priority)
	assert.Nil(t, f.Required)
	assert.Nil(t, f.Definition.InputSettings.Placeholder)
	assert.Equal(t, 20, *fields.Data[1].Field.Priority)
	assert.False(t, *fields.Data[1].Field.Required)

	calls := new(Page[VoiceCall])
	require.NoError(t, decodeJSON(fixture(t, "odd_voice_calls_page.json"), calls))
	c := calls.Data[0]
	for name, p := range map[string]any{"integration_id": c.IntegrationID, "external_id": c.ExternalID, "provider": c.Provider,
		"status": c.Status, "phone_number_source": c.PhoneNumberSource, "country_source": c.CountrySource,
		"phone_number_destination": c.PhoneNumberDestination, "country_destination": c.CountryDestination,
		"has_voicemail": c.HasVoicemail, "has_call_recording": c.HasCallRecording} {
		assert.True(t, reflect.ValueOf(p).IsNil(), name)
	}
	assert.Equal(t, CallStatusCompleted, *calls.Data[1].Status)
	assert.True(t, *calls.Data[1].HasCallRecording)

	recs := new(Page[VoiceCallRecording])
	require.NoError(t, decodeJSON(fixture(t, "odd_voice_call_recordings.json"), recs))
	assert.Nil(t, recs.Data[0].Duration)
	assert.Nil(t, recs.Data[0].ExternalID)
	assert.Equal(t, 20, *recs.Data[1].Duration)

	events := new(Page[VoiceCallEvent])
	require.NoError(t, decodeJSON(fixture(t, "odd_voice_call_events_page.json"), events))
	assert.Equal(t, map[string]any{"digit": "1"}, events.Data[0].Meta)
	assert.Nil(t, events.Data[1].Meta)
	assert.Equal(t, `"queue full"`, mustRawJSON(t, events.Data[1].Raw, "meta"))
}

func mustRawJSON(t *testing.T, r RawFields, key string) string {
	t.Helper()
	raw, ok := r.Get(key)
	require.True(t, ok, "no %q in Raw", key)
	return string(raw)
}

func mustRaw(t *testing.T, r RawFields, key string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(mustRawJSON(t, r, key)), &v))
	return v
}

// TestOneOddFieldNeverFailsAPage: values that cannot be typed at all
// leave the rest of the page decoded.
func TestOneOddFieldNeverFailsAPage(t *testing.T) {
	body := []byte(`{"data":[{"id":1,"created_datetime":"yesterday","customer":"Marie","tags":{"id":1},"messages_count":"3",
		"is_unread":"no","meta":"{\"a\":","status":"open"},{"id":2,"status":"closed"}],"meta":{"next_cursor":"abc"}}`)
	p := new(Page[Ticket])
	require.NoError(t, decodeJSON(body, p))
	require.Len(t, p.Data, 2)
	assert.Equal(t, "abc", p.NextCursor)
	first := p.Data[0]
	assert.Equal(t, int64(1), first.ID)
	assert.Equal(t, StatusOpen, first.Status)
	assert.Equal(t, StatusClosed, p.Data[1].Status)
	for key, want := range map[string]string{"created_datetime": `"yesterday"`, "customer": `"Marie"`, "tags": `{"id":1}`,
		"messages_count": `"3"`, "is_unread": `"no"`, "meta": `"{\"a\":"`} {
		assert.Equal(t, want, mustRawJSON(t, first.Raw, key), key)
	}
	out, err := json.Marshal(first)
	require.NoError(t, err)
	var items struct{ Data []json.RawMessage }
	require.NoError(t, json.Unmarshal(body, &items))
	requireSameJSON(t, items.Data[0], out)

	// Malformed JSON is still an error.
	assert.Error(t, decodeJSON([]byte(`{"data":[{"id":1,"meta":{]}`), new(Page[Ticket])))
	assert.Error(t, decodeJSON([]byte(`{"id":1} x`), new(Ticket)))
}

// TestChangedValuesEncode: a decoded value changed in Go is written
// with the change; a key that did not come is written once it is set.
func TestChangedValuesEncode(t *testing.T) {
	var msg Message
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"meta":"{\"a\":1}","headers":"oops","source":{"type":"email","cc":[]}}`), &msg))
	msg.Meta["b"] = "2"
	msg.Headers = map[string]any{"X": "y"}
	msg.Subject = Ptr("Hello")
	out, err := json.Marshal(msg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":1,"meta":"{\"a\":1,\"b\":\"2\"}","headers":{"X":"y"},"subject":"Hello","source":{"type":"email","cc":[]}}`, string(out),
		"a changed meta is written as the string it came as; a replaced odd value by its new value")
}

// TestLosslessNumbers: integers beyond a float64's precision in free-form
// maps are written back digit for digit while unchanged.
func TestLosslessNumbers(t *testing.T) {
	in := `{"id":1,"meta":{"big":12345678901234567890,"small":3}}`
	var ticket Ticket
	require.NoError(t, json.Unmarshal([]byte(in), &ticket))
	out, err := json.Marshal(ticket)
	require.NoError(t, err)
	assert.Contains(t, string(out), "12345678901234567890")
	ticket.Meta["small"] = 4.0
	out, err = json.Marshal(ticket)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"small":4`, "a change is written")
}

// TestDecodedValueEqualsGoBuilt: an object decoded with exactly the keys
// its struct tags write carries no record, so it equals the same value
// built in Go (tests and callers compare them).
func TestDecodedValueEqualsGoBuilt(t *testing.T) {
	var d Decoration
	require.NoError(t, json.Unmarshal([]byte(`{"color":"#d85a17"}`), &d))
	assert.Equal(t, Decoration{Color: "#d85a17"}, d)
	var a Address
	require.NoError(t, json.Unmarshal([]byte(`{"name":null,"address":"a@example.com"}`), &a))
	assert.Equal(t, Address{Address: "a@example.com"}, a)
	require.NoError(t, json.Unmarshal([]byte(`{"address":"a@example.com"}`), &a))
	assert.NotEqual(t, Address{Address: "a@example.com"}, a, "no name key: it must stay absent")
	out, err := json.Marshal(a)
	require.NoError(t, err)
	assert.JSONEq(t, `{"address":"a@example.com"}`, string(out))
}

// TestGoBuiltValuesEncodeAsTheirTags fills every response type with
// random values, as code building them in Go would, and checks the
// encoding is encoding/json's for the same struct tags, byte for byte.
func TestGoBuiltValuesEncodeAsTheirTags(t *testing.T) {
	rng := newFiller(1)
	for _, sample := range responseTypes {
		typ := reflect.TypeOf(sample)
		mirror := mirrorOf(typ)
		for range 200 {
			v := reflect.New(typ)
			rng.fill(v.Elem(), 0)
			ours, err := json.Marshal(v.Elem().Interface())
			require.NoError(t, err)
			theirs, err := json.Marshal(reflect.NewAt(mirror, v.UnsafePointer()).Interface())
			require.NoError(t, err)
			if underJSONv2 {
				// jsonv2's encoding/json writes an invalid byte as a literal
				// U+FFFD where the default one, and the SDK, write \ufffd:
				// the same JSON, other bytes.
				require.JSONEq(t, string(theirs), string(ours), "%s", typ)
				continue
			}
			require.Equal(t, string(theirs), string(ours), "%s", typ)
		}
	}
}

// mirrorOf is struct type t without its methods: same fields, same tags,
// same layout. encoding/json encodes it by the tags alone (its fields'
// own types keep theirs).
func mirrorOf(t reflect.Type) reflect.Type {
	fields := make([]reflect.StructField, t.NumField())
	for i := range fields {
		f := t.Field(i)
		fields[i] = reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag}
	}
	m := reflect.StructOf(fields)
	if m.Size() != t.Size() {
		panic(fmt.Sprintf("mirror of %s has another layout", t))
	}
	return m
}

type filler struct{ n uint64 }

func newFiller(seed uint64) *filler { return &filler{seed} }

func (f *filler) next(n int) int {
	f.n = f.n*6364136223846793005 + 1442695040888963407
	return int((f.n >> 33) % uint64(n))
}

var fillStrings = []string{"", "plain", "a<b>&c", "é\u2028x", "\x00ctl\t", `quote"back\`, string([]byte{0xff, 'x'}), "2026-08-26T18:38:33.416987+00:00"}

func (f *filler) any(depth int) any {
	switch f.next(7) {
	case 0:
		return nil
	case 1:
		return fillStrings[f.next(len(fillStrings))]
	case 2:
		return []float64{0, 1, -2.5, 1e-7, 1e21, 123456789}[f.next(6)]
	case 3:
		return f.next(2) == 0
	case 4:
		if depth < 3 {
			return map[string]any{fillStrings[f.next(len(fillStrings))]: f.any(depth + 1), "k": f.any(depth + 1)}
		}
	case 5:
		if depth < 3 {
			return []any{f.any(depth + 1), f.any(depth + 1)}
		}
	}
	return "x"
}

func (f *filler) fill(v reflect.Value, depth int) {
	switch v.Type() {
	case rawFieldsType:
		return
	case timeType:
		if f.next(3) > 0 {
			v.Set(reflect.ValueOf(Time{time.Date(2026, 8, 26, f.next(24), 0, f.next(60), f.next(1e6)*1000, time.FixedZone("", 3600*(f.next(5)-2)))}))
		}
		return
	case rawMessageType:
		if f.next(2) == 0 {
			v.SetBytes([]byte(`{"a": [1, "<b>"]}`))
		}
		return
	case reflect.TypeFor[FieldValue]():
		fv, _ := NewFieldValue([]any{"Order::Status::Delivered", 42.5, true}[f.next(3)])
		if f.next(3) > 0 {
			v.Set(reflect.ValueOf(fv))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), depth)
			}
		}
	case reflect.Pointer:
		if depth < 4 && f.next(3) > 0 {
			v.Set(reflect.New(v.Type().Elem()))
			f.fill(v.Elem(), depth+1)
		}
	case reflect.Slice:
		switch f.next(3) {
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		case 2:
			if depth < 4 {
				v.Set(reflect.MakeSlice(v.Type(), 2, 2))
				f.fill(v.Index(0), depth+1)
				f.fill(v.Index(1), depth+1)
			}
		}
	case reflect.Map:
		switch f.next(3) {
		case 1:
			v.Set(reflect.MakeMap(v.Type()))
		case 2:
			if depth < 4 {
				m := reflect.MakeMap(v.Type())
				for range 2 {
					e := reflect.New(v.Type().Elem()).Elem()
					f.fill(e, depth+1)
					m.SetMapIndex(reflect.ValueOf(fillStrings[f.next(len(fillStrings))]).Convert(v.Type().Key()), e)
				}
				v.Set(m)
			}
		}
	case reflect.Interface:
		if a := f.any(depth); a != nil {
			v.Set(reflect.ValueOf(a))
		}
	case reflect.String:
		v.SetString(fillStrings[f.next(len(fillStrings))])
	case reflect.Bool:
		v.SetBool(f.next(2) == 0)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt([]int64{0, 1, -7, 1 << 40}[f.next(4)])
	case reflect.Float64, reflect.Float32:
		v.SetFloat([]float64{0, 0.87, -3, 1e-7, 1e21}[f.next(5)])
	default:
		panic("filler: no value for " + v.Type().String())
	}
}

// TestRawFieldsOfGoBuiltValues: a value built in Go has nothing in Raw.
func TestRawFieldsOfGoBuiltValues(t *testing.T) {
	var ticket Ticket
	assert.Nil(t, ticket.Raw.Keys())
	_, ok := ticket.Raw.Get("id")
	assert.False(t, ok)
	for _, sample := range responseTypes {
		typ := reflect.TypeOf(sample)
		f, ok := typ.FieldByName("Raw")
		require.True(t, ok, "%s has no Raw field", typ)
		assert.Equal(t, rawFieldsType, f.Type, typ.String())
		assert.Equal(t, "-", f.Tag.Get("json"), typ.String())
		assert.True(t, reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Unmarshaler]()), typ.String())
		assert.True(t, typ.Implements(reflect.TypeFor[json.Marshaler]()), typ.String())
	}
}
