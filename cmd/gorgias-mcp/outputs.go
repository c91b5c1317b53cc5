package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-gorgias/gorgias"
)

// output is what a tool answers: the JSON Schema of its structured
// result, generated from the Go type the call returns (the SDK's
// response types, or this server's compact views and envelopes).
type output struct {
	schema map[string]any
}

// objectOf is the output of a tool that returns one T.
func objectOf[T any]() *output {
	return &output{schema: schemaFor(reflect.TypeFor[T]())}
}

// listOf is the output of a tool that returns every T at once, wrapped as
// {"data": [...]}: a structured result is a JSON object.
func listOf[T any]() *output {
	return &output{schema: schemaFor(reflect.TypeFor[items[T]]())}
}

// pageOf is the output of a list tool: one page of compact views C by
// default, or of full T with full true.
func pageOf[T, C any]() *output {
	item := map[string]any{"anyOf": []any{schemaFor(reflect.TypeFor[C]()), schemaFor(reflect.TypeFor[T]())}}
	s := schemaFor(reflect.TypeFor[page[C]]())
	props := s["properties"].(map[string]any)
	props["data"] = map[string]any{"type": "array", "items": item,
		"description": "The page's items: compact views, or the full objects when full is true."}
	return &output{schema: s}
}

// doneOutput is the output of the operations Gorgias answers with no
// object.
var doneOutput = objectOf[done]()

// items wraps a whole list (not paginated) as a JSON object.
type items[T any] struct {
	Data []T `json:"data"`
}

// page is one page of a list, as the SDK's Page encodes it.
type page[T any] struct {
	Object string   `json:"object" enum:"list"`
	Data   []T      `json:"data"`
	Meta   pageMeta `json:"meta"`
}

// pageMeta holds a page's cursors: pass next_cursor back as cursor.
type pageMeta struct {
	NextCursor     *string `json:"next_cursor" desc:"Pass it back as cursor for the next page; null on the last page."`
	PrevCursor     *string `json:"prev_cursor"`
	TotalResources *int64  `json:"total_resources,omitempty"`
}

// compactPage turns a page of T into a page of compact views.
func compactPage[T, C any](p *gorgias.Page[T], view func(*T) C) page[C] {
	out := page[C]{Object: "list", Data: make([]C, len(p.Data))}
	for i := range p.Data {
		out.Data[i] = view(&p.Data[i])
	}
	if p.NextCursor != "" {
		out.Meta.NextCursor = &p.NextCursor
	}
	if p.PrevCursor != "" {
		out.Meta.PrevCursor = &p.PrevCursor
	}
	out.Meta.TotalResources = p.TotalResources
	return out
}

// Compact views: what an assistant needs to pick items from a list; the
// get tools return the full objects.

// ticketView is a ticket in a list.
type ticketView struct {
	ID              int64             `json:"id"`
	Subject         *string           `json:"subject"`
	Status          gorgias.Status    `json:"status"`
	Priority        *gorgias.Priority `json:"priority"`
	Channel         gorgias.Channel   `json:"channel"`
	CustomerEmail   *string           `json:"customer_email"`
	UpdatedDatetime *gorgias.Time     `json:"updated_datetime"`
	MessagesCount   *int              `json:"messages_count"`
	Tags            []string          `json:"tags" desc:"The names of the ticket's tags."`
}

func compactTicket(t *gorgias.Ticket) ticketView {
	v := ticketView{ID: t.ID, Subject: t.Subject, Status: t.Status, Priority: t.Priority, Channel: t.Channel,
		UpdatedDatetime: t.UpdatedDatetime, MessagesCount: t.MessagesCount, Tags: make([]string, len(t.Tags))}
	if t.Customer != nil {
		v.CustomerEmail = t.Customer.Email
	}
	if v.MessagesCount == nil && t.Messages != nil {
		n := len(t.Messages)
		v.MessagesCount = &n
	}
	for i, tag := range t.Tags {
		v.Tags[i] = tag.Name
	}
	return v
}

// excerptLength is how much of a message's text a compact view keeps, in
// characters.
const excerptLength = 200

// messageView is a message in a list.
type messageView struct {
	ID              int64           `json:"id"`
	TicketID        int64           `json:"ticket_id"`
	Channel         gorgias.Channel `json:"channel"`
	FromAgent       *bool           `json:"from_agent"`
	Public          *bool           `json:"public" desc:"false for an internal note."`
	SenderEmail     *string         `json:"sender_email"`
	Subject         *string         `json:"subject"`
	Excerpt         string          `json:"excerpt" desc:"The start of the message's text (200 characters at most); get the message for all of it."`
	CreatedDatetime *gorgias.Time   `json:"created_datetime"`
	SentDatetime    *gorgias.Time   `json:"sent_datetime"`
}

func compactMessage(m *gorgias.Message) messageView {
	v := messageView{ID: m.ID, TicketID: m.TicketID, Channel: m.Channel, FromAgent: m.FromAgent, Public: m.Public,
		Subject: m.Subject, CreatedDatetime: m.CreatedDatetime, SentDatetime: m.SentDatetime}
	if m.Sender != nil {
		v.SenderEmail = m.Sender.Email
	}
	switch {
	case m.StrippedText != nil && *m.StrippedText != "":
		v.Excerpt = excerpt(*m.StrippedText)
	case m.BodyText != nil:
		v.Excerpt = excerpt(*m.BodyText)
	}
	return v
}

// excerpt is the start of s, whitespace folded, cut at a character
// boundary.
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= excerptLength {
		return s
	}
	n := 0
	for i := range s {
		if n == excerptLength {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// tagView is a tag in a list.
type tagView struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Usage *int   `json:"usage" desc:"How many tickets carry the tag."`
}

func compactTag(t *gorgias.Tag) tagView { return tagView{ID: t.ID, Name: t.Name, Usage: t.Usage} }

// surveyView is a satisfaction survey in a list.
type surveyView struct {
	ID             int64         `json:"id"`
	TicketID       *int64        `json:"ticket_id"`
	CustomerID     *int64        `json:"customer_id"`
	Score          *int          `json:"score"`
	BodyText       *string       `json:"body_text"`
	SentDatetime   *gorgias.Time `json:"sent_datetime"`
	ScoredDatetime *gorgias.Time `json:"scored_datetime"`
}

func compactSurvey(s *gorgias.Survey) surveyView {
	v := surveyView{ID: s.ID, TicketID: s.TicketID, CustomerID: s.CustomerID, Score: s.Score,
		SentDatetime: s.SentDatetime, ScoredDatetime: s.ScoredDatetime}
	if s.BodyText != nil {
		e := excerpt(*s.BodyText)
		v.BodyText = &e
	}
	return v
}

// callView is a phone call in a list.
type callView struct {
	ID                     int64                          `json:"id"`
	TicketID               *int64                         `json:"ticket_id"`
	Direction              gorgias.CallDirection          `json:"direction"`
	Status                 *gorgias.CallStatus            `json:"status"`
	TerminationStatus      *gorgias.CallTerminationStatus `json:"termination_status"`
	PhoneNumberSource      *string                        `json:"phone_number_source"`
	PhoneNumberDestination *string                        `json:"phone_number_destination"`
	Duration               *int                           `json:"duration" desc:"In seconds."`
	CreatedDatetime        *gorgias.Time                  `json:"created_datetime"`
}

func compactCall(c *gorgias.VoiceCall) callView {
	return callView{ID: c.ID, TicketID: c.TicketID, Direction: c.Direction, Status: c.Status, TerminationStatus: c.TerminationStatus,
		PhoneNumberSource: c.PhoneNumberSource, PhoneNumberDestination: c.PhoneNumberDestination, Duration: c.Duration,
		CreatedDatetime: c.CreatedDatetime}
}

// callEventView is a step of a phone call in a list.
type callEventView struct {
	ID              int64                 `json:"id"`
	CallID          int64                 `json:"call_id"`
	Type            gorgias.CallEventType `json:"type"`
	UserID          *int64                `json:"user_id"`
	CreatedDatetime *gorgias.Time         `json:"created_datetime"`
}

func compactCallEvent(e *gorgias.VoiceCallEvent) callEventView {
	return callEventView{ID: e.ID, CallID: e.CallID, Type: e.Type, UserID: e.UserID, CreatedDatetime: e.CreatedDatetime}
}

// recordingView is a call recording in a list.
type recordingView struct {
	ID                  int64                        `json:"id"`
	CallID              int64                        `json:"call_id"`
	Type                gorgias.RecordingType        `json:"type"`
	Duration            *int                         `json:"duration" desc:"In seconds."`
	TranscriptionStatus *gorgias.TranscriptionStatus `json:"transcription_status"`
	CreatedDatetime     *gorgias.Time                `json:"created_datetime"`
}

func compactRecording(r *gorgias.VoiceCallRecording) recordingView {
	return recordingView{ID: r.ID, CallID: r.CallID, Type: r.Type, Duration: r.Duration,
		TranscriptionStatus: r.TranscriptionStatus, CreatedDatetime: r.CreatedDatetime}
}

var (
	timeType       = reflect.TypeFor[gorgias.Time]()
	fieldValueType = reflect.TypeFor[gorgias.FieldValue]()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	rawFieldsType  = reflect.TypeFor[gorgias.RawFields]()
	sdkPackage     = reflect.TypeFor[gorgias.Ticket]().PkgPath()
)

// schemaFor is the JSON Schema of how a value of type t encodes as JSON,
// by its fields' json tags, as inputSchema follows the catalog:
//
//   - The SDK's response types are open: the API adds fields (kept in
//     RawFields and written back), sends null for about any field, and
//     leaves fields out, so their properties allow null, none is required,
//     and other properties are allowed.
//   - This server's own types (compact views, envelopes) are closed: every
//     field without omitempty is required, only pointers may be null.
//   - gorgias.Time is an RFC 3339 date-time string; gorgias.FieldValue a
//     string, number or boolean; json.RawMessage and interfaces anything.
//
// A type met again inside itself is left unconstrained.
func schemaFor(t reflect.Type) map[string]any {
	return schemaOf(t, map[reflect.Type]bool{})
}

func schemaOf(t reflect.Type, seen map[reflect.Type]bool) map[string]any {
	nullable := false
	for t.Kind() == reflect.Pointer {
		t, nullable = t.Elem(), true
	}
	s := baseSchema(t, seen)
	if nullable {
		s = orNull(s)
	}
	return s
}

func baseSchema(t reflect.Type, seen map[reflect.Type]bool) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case fieldValueType:
		return map[string]any{"type": []any{"string", "number", "boolean"}}
	case rawMessageType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		items := schemaOf(t.Elem(), seen)
		if open(t.Elem()) {
			items = orNull(items)
		}
		return map[string]any{"type": "array", "items": items}
	case reflect.Map:
		values := schemaOf(t.Elem(), seen)
		if open(t.Elem()) {
			values = orNull(values)
		}
		s := map[string]any{"type": "object"}
		if len(values) > 0 {
			s["additionalProperties"] = values
		}
		return s
	case reflect.Struct:
		if seen[t] {
			return map[string]any{}
		}
		seen[t] = true
		defer delete(seen, t)
		return structSchema(t, seen)
	}
	return map[string]any{} // interfaces: anything
}

// open reports whether t is, or points to, one of the SDK's types, whose
// values may hold what the API sent rather than what the type declares.
func open(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t.PkgPath() == sdkPackage && t.Kind() == reflect.Struct && t != timeType && t != fieldValueType
}

func structSchema(t reflect.Type, seen map[reflect.Type]bool) map[string]any {
	props := map[string]any{}
	required := []any{}
	isOpen := open(t)
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Type == rawFieldsType {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			p := schemaOf(f.Type, seen)
			if isOpen {
				p = orNull(p)
			} else if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				required = append(required, name)
			}
			if d := f.Tag.Get("desc"); d != "" {
				p["description"] = d
			}
			if e := f.Tag.Get("enum"); e != "" {
				p["enum"] = []any{e}
			}
			props[name] = p
		}
	}
	walk(t)
	s := map[string]any{"type": "object", "properties": props}
	if !isOpen {
		s["additionalProperties"] = false
		if len(required) > 0 {
			s["required"] = required
		}
	}
	return s
}

// orNull lets s be null as well.
func orNull(s map[string]any) map[string]any {
	typ, ok := s["type"]
	if !ok {
		return s // anything, null included
	}
	out := make(map[string]any, len(s))
	for k, v := range s {
		out[k] = v
	}
	switch typ := typ.(type) {
	case string:
		if typ != "null" {
			out["type"] = []any{typ, "null"}
		}
	case []any:
		for _, x := range typ {
			if x == "null" {
				return s
			}
		}
		out["type"] = append(append([]any{}, typ...), "null")
	}
	return out
}
