package gorgias

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Time is a Gorgias datetime. It decodes every form the API sends:
// "2026-08-26T18:38:33.416987+00:00", the same without fraction, and the
// zone-less "2019-11-16T15:59:41.966927" (read as UTC). JSON null decodes to
// the zero Time, and the zero Time encodes as null. Non-zero values encode as
// RFC 3339 with microseconds, as the API writes them.
type Time struct {
	time.Time
}

// timeLayout is how Time encodes: RFC 3339 with microseconds.
const timeLayout = "2006-01-02T15:04:05.000000-07:00"

var timeLayouts = []string{
	time.RFC3339Nano,                // with zone, any fraction or none
	"2006-01-02T15:04:05.999999999", // no zone: UTC
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// NewTime wraps t, for request fields: gorgias.NewTime(time.Now()).
func NewTime(t time.Time) *Time { return &Time{Time: t} }

// ParseTime parses a Gorgias datetime in any of the forms Time accepts.
func ParseTime(s string) (Time, error) {
	if t, ok := parseTimeFast(s); ok {
		return Time{Time: t}, nil
	}
	return parseTimeLayouts(s)
}

// parseTimeLayouts is ParseTime by time.Parse, layout after layout: what
// parseTimeFast does not take (a fraction of more than nine digits, a
// one-digit hour…) is read here.
func parseTimeLayouts(s string) (Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Time{Time: t}, nil
		}
	}
	return Time{}, fmt.Errorf("gorgias: %q is not a datetime", s)
}

// parseTimeFast parses, without time.Parse, the forms the API sends:
// "2006-01-02T15:04:05" with a fraction of one to nine digits or none,
// then Z, ±hh:mm or no zone (UTC); the same with a space for the T; and
// "2006-01-02". It gives what timeLayouts give (an offset that is Local's
// at that instant is Local, as time.Parse has it); ok false leaves the
// string to parseTimeLayouts. Parsing was a twentieth of decoding a page
// of tickets, most of it in time.Parse.
func parseTimeFast(s string) (t time.Time, ok bool) {
	if len(s) < len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	year, ok1 := atoiDigits(s[0:4])
	month, ok2 := atoiDigits(s[5:7])
	day, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	if len(s) == len("2006-01-02") {
		return time.Unix(daysSinceEpoch(year, month, day)*86400, 0).UTC(), true
	}
	if len(s) < len("2006-01-02T15:04:05") || s[10] != 'T' && s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	hour, ok1 := atoiDigits(s[11:13])
	minute, ok2 := atoiDigits(s[14:16])
	sec, ok3 := atoiDigits(s[17:19])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest, nsec := s[19:], 0
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 { // no digit, or more than nine
			return time.Time{}, false
		}
		nsec, _ = atoiDigits(rest[1:n])
		for range 10 - n {
			nsec *= 10
		}
		rest = rest[n:]
	}
	// What time.Date gives in UTC, without its normalizing.
	unix := (daysSinceEpoch(year, month, day)*24+int64(hour))*3600 + int64(minute)*60 + int64(sec)
	switch {
	case rest == "" || rest == "Z":
		return time.Unix(unix, int64(nsec)).UTC(), true
	case len(rest) == len("-07:00") && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		hh, ok1 := atoiDigits(rest[1:3])
		mm, ok2 := atoiDigits(rest[4:6])
		if !ok1 || !ok2 || hh > 23 || mm > 59 {
			return time.Time{}, false
		}
		offset := (hh*60 + mm) * 60
		if rest[0] == '-' {
			offset = -offset
		}
		t = time.Unix(unix-int64(offset), int64(nsec))
		if _, local := t.Zone(); local == offset { // time.Unix's is Local
			return t.In(time.Local), true
		}
		return t.In(time.FixedZone("", offset)), true
	}
	return time.Time{}, false
}

// atoiDigits parses s, which must be all ASCII digits (at most nine).
func atoiDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysSinceEpoch is the number of days from 1970-01-01 to the valid
// date year-month-day of the proleptic Gregorian calendar (negative
// before): Howard Hinnant's days_from_civil.
func daysSinceEpoch(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era-- // floor division
	}
	yoe := y - era*400 // [0, 399]
	m := int64(month)
	if m > 2 {
		m -= 3
	} else {
		m += 9
	}
	doy := (153*m+2)/5 + int64(day) - 1 // [0, 365], from March 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// daysIn is how many days month has in year.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// UnmarshalJSON accepts a datetime string or null.
func (t *Time) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		*t = Time{}
		return nil
	}
	var s string
	if n := len(data); n >= 2 && data[0] == '"' && data[n-1] == '"' && bytes.IndexByte(data, '\\') < 0 {
		s = string(data[1 : n-1]) // the common case, without a second JSON scan
	} else if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("gorgias: a datetime must be a string, got %.40s", data)
	}
	if s == "" {
		*t = Time{}
		return nil
	}
	parsed, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = parsed
	return nil
}

// MarshalJSON writes RFC 3339 with microseconds, or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, len(timeLayout)+2)
	b = append(b, '"')
	b = t.AppendFormat(b, timeLayout)
	return append(b, '"'), nil
}

// String formats like MarshalJSON, without quotes.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.Format(timeLayout)
}

// Nullable is a request field the API lets you clear. It has three states:
//
//   - the zero Nullable is left out of the request: the field is unchanged;
//   - Null[T]() sends null: the field is cleared (un-snooze, unassign…);
//   - NewNullable(v) sends v.
//
// Struct fields of this type carry the `omitzero` JSON option.
type Nullable[T any] struct {
	value T
	state nullableState
}

type nullableState uint8

const (
	nullableUnset nullableState = iota
	nullableNull
	nullableValue
)

// Null returns a Nullable that sends JSON null, clearing the field.
func Null[T any]() Nullable[T] { return Nullable[T]{state: nullableNull} }

// NewNullable returns a Nullable that sends v.
func NewNullable[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullableValue} }

// IsZero reports whether the field is unset, so `omitzero` leaves it out.
func (n Nullable[T]) IsZero() bool { return n.state == nullableUnset }

// IsNull reports whether the field is explicitly null.
func (n Nullable[T]) IsNull() bool { return n.state == nullableNull }

// Get returns the value and whether one is set (false when unset or null).
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == nullableValue }

// MarshalJSON writes null or the value. An unset Nullable also writes null;
// tag the field `omitzero` to leave it out instead.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != nullableValue {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON reads null as Null and anything else as a value.
func (n *Nullable[T]) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*n = NewNullable(v)
	return nil
}

// Deref returns *p, or the zero value of T when p is nil: a shorthand for
// the pointer fields of responses, where nil stands for null.
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// Status is a ticket's status. Snoozed, trashed and spam tickets are still
// open or closed: see Ticket.SnoozeDatetime, TrashedDatetime and Spam.
type Status string

// Ticket statuses.
const (
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

// Priority is a ticket's priority; the API's default is normal.
type Priority string

// Ticket priorities.
const (
	PriorityCritical Priority = "critical"
	PriorityHigh     Priority = "high"
	PriorityNormal   Priority = "normal"
	PriorityLow      Priority = "low"
)

// Channel is the channel of a ticket or message. Apps can define new ones,
// so any string may arrive; these constants are the documented ones.
type Channel string

// Documented channels.
const (
	ChannelAircall                 Channel = "aircall"
	ChannelAPI                     Channel = "api"
	ChannelChat                    Channel = "chat"
	ChannelContactForm             Channel = "contact_form"
	ChannelEmail                   Channel = "email"
	ChannelFacebook                Channel = "facebook"
	ChannelFacebookMention         Channel = "facebook-mention"
	ChannelFacebookMessenger       Channel = "facebook-messenger"
	ChannelFacebookRecommendations Channel = "facebook-recommendations"
	ChannelHelpCenter              Channel = "help-center"
	ChannelInstagramAdComment      Channel = "instagram-ad-comment"
	ChannelInstagramComment        Channel = "instagram-comment"
	ChannelInstagramDirectMessage  Channel = "instagram-direct-message"
	ChannelInstagramMention        Channel = "instagram-mention"
	ChannelInternalNote            Channel = "internal-note"
	ChannelPhone                   Channel = "phone"
	ChannelSMS                     Channel = "sms"
	ChannelTwitter                 Channel = "twitter"
	ChannelTwitterDirectMessage    Channel = "twitter-direct-message"
	ChannelWhatsApp                Channel = "whatsapp"
	ChannelYotpoReview             Channel = "yotpo-review"
)

// Via tells how a ticket or message was created. Any string may arrive;
// these constants are the documented ones.
type Via string

// Documented via values.
const (
	ViaAircall                 Via = "aircall"
	ViaAPI                     Via = "api"
	ViaChat                    Via = "chat"
	ViaContactForm             Via = "contact_form"
	ViaEmail                   Via = "email"
	ViaFacebook                Via = "facebook"
	ViaFacebookMention         Via = "facebook-mention"
	ViaFacebookMessenger       Via = "facebook-messenger"
	ViaFacebookRecommendations Via = "facebook-recommendations"
	ViaForm                    Via = "form"
	ViaGorgiasChat             Via = "gorgias_chat"
	ViaHelpCenter              Via = "help-center"
	ViaHelpdesk                Via = "helpdesk"
	ViaInstagram               Via = "instagram"
	ViaInstagramAdComment      Via = "instagram-ad-comment"
	ViaInstagramComment        Via = "instagram-comment"
	ViaInstagramDirectMessage  Via = "instagram-direct-message"
	ViaInstagramMention        Via = "instagram-mention"
	ViaInternalNote            Via = "internal-note"
	ViaOfflineCapture          Via = "offline_capture"
	ViaPhone                   Via = "phone"
	ViaRule                    Via = "rule"
	ViaSelfService             Via = "self_service"
	ViaShopify                 Via = "shopify"
	ViaSMS                     Via = "sms"
	ViaTwilio                  Via = "twilio"
	ViaTwitter                 Via = "twitter"
	ViaTwitterDirectMessage    Via = "twitter-direct-message"
	ViaWhatsApp                Via = "whatsapp"
	ViaYotpo                   Via = "yotpo"
	ViaYotpoReview             Via = "yotpo-review"
	ViaZendesk                 Via = "zendesk"
)

// SourceType is the type of a message's source (email, chat, internal-note…).
// Any string may arrive; these constants are the common documented ones.
type SourceType string

// Common source types (the API documents about fifty; any string decodes).
const (
	SourceTypeAPI              SourceType = "api"
	SourceTypeChat             SourceType = "chat"
	SourceTypeContactForm      SourceType = "contact-form"
	SourceTypeEmail            SourceType = "email"
	SourceTypeFacebookMessage  SourceType = "facebook-message"
	SourceTypeHelpCenter       SourceType = "help-center"
	SourceTypeHelpdesk         SourceType = "helpdesk"
	SourceTypeInstagramDM      SourceType = "instagram-direct-message"
	SourceTypeInternalNote     SourceType = "internal-note"
	SourceTypePhone            SourceType = "phone"
	SourceTypeSMS              SourceType = "sms"
	SourceTypeSystemMessage    SourceType = "system-message"
	SourceTypeTwitterDM        SourceType = "twitter-direct-message"
	SourceTypeWhatsAppMessage  SourceType = "whatsapp-message"
	SourceTypeYotpoReview      SourceType = "yotpo-review"
	SourceTypeChatContactForm  SourceType = "chat-contact-form"
	SourceTypeHelpCenterForm   SourceType = "help-center-contact-form"
	SourceTypeOttspottCall     SourceType = "ottspott-call"
	SourceTypeAircall          SourceType = "aircall"
	SourceTypeShopify          SourceType = "shopify"
	SourceTypeRule             SourceType = "rule"
	SourceTypeSelfService      SourceType = "self_service"
	SourceTypeTwilio           SourceType = "twilio"
	SourceTypeApp              SourceType = "app"
	SourceTypeCustomChat       SourceType = "custom-chat"
	SourceTypeFacebookComment  SourceType = "facebook-comment"
	SourceTypeInstagramComment SourceType = "instagram-comment"
)

// IDRef refers to an existing object by id, as in {"id": 123}.
type IDRef struct {
	ID int64 `json:"id"`
}

// Decoration is how a tag is displayed. The API may send {} or null, and
// a null color (then Color is empty, and Raw.Get("color") returns null).
type Decoration struct {
	Color string    `json:"color,omitempty"`
	Raw   RawFields `json:"-"`
}

// User is a helpdesk user (agent) as embedded in tickets and messages, and a
// message's sender or receiver (which may be a customer).
type User struct {
	ID        int64          `json:"id"`
	Email     *string        `json:"email"`
	Name      *string        `json:"name"`
	Firstname string         `json:"firstname"`
	Lastname  string         `json:"lastname"`
	Meta      map[string]any `json:"meta"`
	Bio       *string        `json:"bio,omitempty"`
	Raw       RawFields      `json:"-"`
}

// Team is a team a ticket is assigned to.
type Team struct {
	ID         int64          `json:"id"`
	Name       string         `json:"name"`
	Decoration map[string]any `json:"decoration"`
	Raw        RawFields      `json:"-"`
}

// Customer is a ticket's customer. Tickets from the list carry the compact
// form (id, email, name, firstname, lastname, meta); a single ticket carries
// the full one.
type Customer struct {
	ID         int64             `json:"id"`
	Email      *string           `json:"email"`
	Name       *string           `json:"name"`
	Firstname  string            `json:"firstname"`
	Lastname   string            `json:"lastname"`
	Meta       map[string]any    `json:"meta"`
	Channels   []CustomerChannel `json:"channels,omitempty"`
	Data       json.RawMessage   `json:"data,omitempty"`
	Customer   json.RawMessage   `json:"customer,omitempty"`
	ExternalID *string           `json:"external_id,omitempty"`
	Note       *string           `json:"note,omitempty"`
	// Integrations is keyed by integration id; each value is that
	// integration's data (for Shopify, "__integration_type__": "shopify"…).
	Integrations map[string]json.RawMessage `json:"integrations,omitempty"`
	// ExternalData is keyed by app id; each value is the app's data.
	ExternalData  map[string]json.RawMessage `json:"external_data,omitempty"`
	EcommerceData map[string]json.RawMessage `json:"ecommerce_data,omitempty"`
	Raw           RawFields                  `json:"-"`
}

// CustomerChannel is one way to reach a customer (an email address, a
// phone number…).
type CustomerChannel struct {
	ID              int64     `json:"id"`
	Type            string    `json:"type"`
	Address         string    `json:"address"`
	Preferred       bool      `json:"preferred"`
	CreatedDatetime *Time     `json:"created_datetime"`
	UpdatedDatetime *Time     `json:"updated_datetime"`
	DeletedDatetime *Time     `json:"deleted_datetime"`
	User            *NamedRef `json:"user,omitempty"`
	Customer        *NamedRef `json:"customer,omitempty"`
	Raw             RawFields `json:"-"`
}

// NamedRef is an {id, name} reference to a user or customer.
type NamedRef struct {
	ID   int64     `json:"id"`
	Name *string   `json:"name"`
	Raw  RawFields `json:"-"`
}

// CustomerRef picks a ticket's customer, or a message's sender or receiver:
// by ID, or by Email (and Name), in which case Gorgias creates the customer
// if none has that email.
type CustomerRef struct {
	ID         int64  `json:"id,omitempty"`
	Email      string `json:"email,omitempty"`
	Name       string `json:"name,omitempty"`
	ExternalID string `json:"external_id,omitempty"`
}

func (r *CustomerRef) validate(v *validator, field string) {
	if r == nil {
		return
	}
	v.check(r.ID > 0 || r.Email != "" || r.ExternalID != "", field, "needs an id or an email")
	v.check(r.ID >= 0, field+".id", "must be a positive id")
}
