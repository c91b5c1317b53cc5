package gorgias

import (
	"encoding/json"
	"time"

	"github.com/go-gorgias/gorgias/internal/rawjson"
)

// Every response type, nested ones included, decodes and encodes through
// the one codec of internal/rawjson: these methods only hand it the type.
// A new response type needs a `Raw RawFields` field, its two lines here,
// and its place in responseTypes (the round-trip tests walk that list).

// RawFields keeps what the API sent that an object's typed fields do not
// hold as sent, and writes it back when the object is encoded again:
//
//   - fields Gorgias added that this SDK does not declare (Keys lists them);
//   - values of a declared field that did not fit its Go type: a number
//     where a string was expected, null where the field cannot be nil, a
//     datetime that does not parse… The field is left at its zero value
//     and Get returns the value as sent;
//   - objects sent as a JSON string holding the object (as some accounts
//     send meta, headers or source.extra): the field holds the decoded
//     object, and Get returns the string.
//
// It also remembers which keys the object had, so that a key absent from
// the response stays absent when the object is encoded, and an empty list
// or a null stays one. Objects built in Go have an empty RawFields and
// encode exactly as their struct tags say.
type RawFields struct {
	raw rawjson.Raw
}

// Get returns the JSON sent under key, when the typed fields do not hold
// it as sent: an undeclared field, or a declared one whose value did not
// fit (see RawFields). It returns false for a key the typed fields hold.
func (f RawFields) Get(key string) (json.RawMessage, bool) { return f.raw.Get(key) }

// Keys lists the fields the API sent that no struct field declares, in
// the order they came. Read their values with Get.
func (f RawFields) Keys() []string { return f.raw.Keys() }

// The codec knows nothing of the SDK's types: Time is taught to it here.
// A datetime that does not parse, "" and the zero instant are kept as sent
// (the field stays nil or zero); one finer than the microseconds Time
// writes is kept as sent while unchanged.
func init() {
	rawjson.RegisterString(rawjson.StringCodec[Time]{
		Parse: func(s string) (Time, bool, bool) {
			// s is a view of the response: ParseTime keeps no part of it
			// (its layouts have no zone name, and its error is dropped).
			t, err := ParseTime(s)
			if err != nil || t.IsZero() {
				return Time{}, false, false
			}
			return t, true, t.Nanosecond()%1000 == 0
		},
		Append: func(b []byte, t *Time) []byte {
			if t.IsZero() {
				return append(b, "null"...)
			}
			b = append(b, '"')
			b = appendTime(b, t.Time)
			return append(b, '"')
		},
	})
}

// appendTime appends t as t.AppendFormat(b, timeLayout) does, without
// reading the layout: a fifth of encoding a ticket went to AppendFormat.
// A year outside 0–9999, or a zone 100 hours or more from UTC, takes
// AppendFormat itself.
func appendTime(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	_, offset := t.Zone()
	if year < 0 || year > 9999 || offset <= -100*3600 || offset >= 100*3600 {
		return t.AppendFormat(b, timeLayout)
	}
	hour, minute, second := t.Clock()
	zone := offset / 60 // minutes; AppendFormat drops an odd offset's seconds too
	sign := byte('+')
	if zone < 0 {
		sign, zone = '-', -zone
	}
	micro := t.Nanosecond() / 1000
	return append(b,
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-',
		byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':',
		byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+second/10), byte('0'+second%10), '.',
		byte('0'+micro/100000), byte('0'+micro/10000%10), byte('0'+micro/1000%10),
		byte('0'+micro/100%10), byte('0'+micro/10%10), byte('0'+micro%10),
		sign, byte('0'+zone/60/10), byte('0'+zone/60%10), ':', byte('0'+zone%60/10), byte('0'+zone%60%10))
}

// UnmarshalJSON decodes Ticket; see RawFields.
func (t *Ticket) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, t) }

// MarshalJSON encodes Ticket; see RawFields.
func (t Ticket) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&t) }

// UnmarshalJSON decodes TicketSummary; see RawFields.
func (t *TicketSummary) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, t) }

// MarshalJSON encodes TicketSummary; see RawFields.
func (t TicketSummary) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&t) }

// UnmarshalJSON decodes TicketTag; see RawFields.
func (t *TicketTag) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, t) }

// MarshalJSON encodes TicketTag; see RawFields.
func (t TicketTag) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&t) }

// UnmarshalJSON decodes TicketCustomField; see RawFields.
func (t *TicketCustomField) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, t) }

// MarshalJSON encodes TicketCustomField; see RawFields.
func (t TicketCustomField) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&t) }

// UnmarshalJSON decodes TicketIntegration; see RawFields.
func (t *TicketIntegration) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, t) }

// MarshalJSON encodes TicketIntegration; see RawFields.
func (t TicketIntegration) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&t) }

// UnmarshalJSON decodes ReplyOption; see RawFields.
func (r *ReplyOption) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, r) }

// MarshalJSON encodes ReplyOption; see RawFields.
func (r ReplyOption) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&r) }

// UnmarshalJSON decodes ReplyIntegration; see RawFields.
func (r *ReplyIntegration) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, r) }

// MarshalJSON encodes ReplyIntegration; see RawFields.
func (r ReplyIntegration) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&r) }

// UnmarshalJSON decodes Message; see RawFields.
func (m *Message) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, m) }

// MarshalJSON encodes Message; see RawFields.
func (m Message) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&m) }

// UnmarshalJSON decodes MessageSource; see RawFields.
func (m *MessageSource) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, m) }

// MarshalJSON encodes MessageSource; see RawFields.
func (m MessageSource) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&m) }

// UnmarshalJSON decodes Address; see RawFields.
func (a *Address) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, a) }

// MarshalJSON encodes Address; see RawFields.
func (a Address) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&a) }

// UnmarshalJSON decodes Attachment; see RawFields.
func (a *Attachment) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, a) }

// MarshalJSON encodes Attachment; see RawFields.
func (a Attachment) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&a) }

// UnmarshalJSON decodes Intent; see RawFields.
func (i *Intent) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, i) }

// MarshalJSON encodes Intent; see RawFields.
func (i Intent) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&i) }

// UnmarshalJSON decodes SendingError; see RawFields.
func (s *SendingError) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, s) }

// MarshalJSON encodes SendingError; see RawFields.
func (s SendingError) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&s) }

// UnmarshalJSON decodes MessageMacro; see RawFields.
func (m *MessageMacro) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, m) }

// MarshalJSON encodes MessageMacro; see RawFields.
func (m MessageMacro) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&m) }

// UnmarshalJSON decodes User; see RawFields.
func (u *User) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, u) }

// MarshalJSON encodes User; see RawFields.
func (u User) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&u) }

// UnmarshalJSON decodes Team; see RawFields.
func (t *Team) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, t) }

// MarshalJSON encodes Team; see RawFields.
func (t Team) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&t) }

// UnmarshalJSON decodes Customer; see RawFields.
func (c *Customer) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, c) }

// MarshalJSON encodes Customer; see RawFields.
func (c Customer) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&c) }

// UnmarshalJSON decodes CustomerChannel; see RawFields.
func (c *CustomerChannel) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, c) }

// MarshalJSON encodes CustomerChannel; see RawFields.
func (c CustomerChannel) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&c) }

// UnmarshalJSON decodes NamedRef; see RawFields.
func (n *NamedRef) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, n) }

// MarshalJSON encodes NamedRef; see RawFields.
func (n NamedRef) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&n) }

// UnmarshalJSON decodes Decoration; see RawFields.
func (d *Decoration) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, d) }

// MarshalJSON encodes Decoration; see RawFields.
func (d Decoration) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&d) }

// UnmarshalJSON decodes Tag; see RawFields.
func (t *Tag) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, t) }

// MarshalJSON encodes Tag; see RawFields.
func (t Tag) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&t) }

// UnmarshalJSON decodes Survey; see RawFields.
func (s *Survey) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, s) }

// MarshalJSON encodes Survey; see RawFields.
func (s Survey) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&s) }

// UnmarshalJSON decodes CustomFieldValue; see RawFields.
func (c *CustomFieldValue) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, c) }

// MarshalJSON encodes CustomFieldValue; see RawFields.
func (c CustomFieldValue) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&c) }

// UnmarshalJSON decodes CustomField; see RawFields.
func (c *CustomField) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, c) }

// MarshalJSON encodes CustomField; see RawFields.
func (c CustomField) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&c) }

// UnmarshalJSON decodes FieldDefinition; see RawFields.
func (f *FieldDefinition) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, f) }

// MarshalJSON encodes FieldDefinition; see RawFields.
func (f FieldDefinition) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&f) }

// UnmarshalJSON decodes FieldInputSettings; see RawFields.
func (f *FieldInputSettings) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, f) }

// MarshalJSON encodes FieldInputSettings; see RawFields.
func (f FieldInputSettings) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&f) }

// UnmarshalJSON decodes VoiceCall; see RawFields.
func (v *VoiceCall) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, v) }

// MarshalJSON encodes VoiceCall; see RawFields.
func (v VoiceCall) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&v) }

// UnmarshalJSON decodes CallSummary; see RawFields.
func (c *CallSummary) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, c) }

// MarshalJSON encodes CallSummary; see RawFields.
func (c CallSummary) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&c) }

// UnmarshalJSON decodes VoiceCallEvent; see RawFields.
func (v *VoiceCallEvent) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, v) }

// MarshalJSON encodes VoiceCallEvent; see RawFields.
func (v VoiceCallEvent) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&v) }

// UnmarshalJSON decodes VoiceCallRecording; see RawFields.
func (v *VoiceCallRecording) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, v) }

// MarshalJSON encodes VoiceCallRecording; see RawFields.
func (v VoiceCallRecording) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&v) }

// UnmarshalJSON decodes Integration; see RawFields.
func (i *Integration) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, i) }

// MarshalJSON encodes Integration; see RawFields.
func (i Integration) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&i) }

// UnmarshalJSON decodes HTTPIntegration; see RawFields.
func (h *HTTPIntegration) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, h) }

// MarshalJSON encodes HTTPIntegration; see RawFields.
func (h HTTPIntegration) MarshalJSON() ([]byte, error) { return rawjson.Marshal(&h) }

// responseTypes lists the types above, for tests.
var responseTypes = []any{
	Integration{},
	HTTPIntegration{},
	Ticket{},
	TicketSummary{},
	TicketTag{},
	TicketCustomField{},
	TicketIntegration{},
	ReplyOption{},
	ReplyIntegration{},
	Message{},
	MessageSource{},
	Address{},
	Attachment{},
	Intent{},
	SendingError{},
	MessageMacro{},
	User{},
	Team{},
	Customer{},
	CustomerChannel{},
	NamedRef{},
	Decoration{},
	Tag{},
	Survey{},
	CustomFieldValue{},
	CustomField{},
	FieldDefinition{},
	FieldInputSettings{},
	VoiceCall{},
	CallSummary{},
	VoiceCallEvent{},
	VoiceCallRecording{},
}
