// Package webhook receives Gorgias's webhooks: the calls of an HTTP
// integration when a ticket is created or updated or gets a message.
//
// Gorgias does not sign its calls. [Register] creates (or updates) an HTTP
// integration that sends a shared secret in the [SecretHeader] header and
// a small JSON body of the SDK's own (trigger, ticket id, message id,
// updated datetime): enough to identify the event, so the receiver fetches
// the objects through the API ([Event.Ticket], [Event.Message]) rather
// than trusting a rendered template. [NewHandler] checks the secret in
// constant time, refuses what is not a delivery, and calls a function once
// per event however many times Gorgias delivers it:
//
//	hook, err := webhook.Register(ctx, client, webhook.Config{
//		Name: "orders", URL: "https://hooks.example.com/gorgias", Secret: secret,
//	})
//	...
//	h := webhook.NewHandler(secret, func(ctx context.Context, ev webhook.Event) error {
//		ticket, err := ev.Ticket(ctx, client)
//		...
//	})
//	defer h.Close(context.Background())
//	http.Handle("/gorgias", h)
//
// # Delivery
//
// Gorgias retries a call that fails (an answer other than 2xx, or no
// answer in time) up to 3 times, and deactivates an integration that keeps
// failing; deliveries can come twice and out of order. The handler answers
// 5xx when the function fails, so Gorgias retries, and 2xx without calling
// it again for a delivery it has already handled within the dedup window
// (DefaultDedupWindow). Gorgias does not document how long it waits for an
// answer: answer within a few seconds. By default the function runs while
// Gorgias waits, with DefaultTimeout; WithAsync acknowledges first and runs
// it after, from a bounded queue.
package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-gorgias/gorgias"
)

// Trigger names an event that sends an HTTP integration's request. It is
// written hyphenated ("ticket-created"), as Gorgias's current reference
// spells it; reading accepts the underscored spelling of its v1.1
// reference ("ticket_created") too.
type Trigger string

// Triggers of HTTP integrations. The first five are documented by Gorgias;
// the last three are named by third-party guides only.
const (
	TicketCreated        Trigger = "ticket-created"
	TicketUpdated        Trigger = "ticket-updated"
	TicketMessageCreated Trigger = "ticket-message-created"
	TicketSelfUnsnoozed  Trigger = "ticket-self-unsnoozed"
	TicketMessageFailed  Trigger = "ticket-message-failed"

	TicketStatusUpdated     Trigger = "ticket-status-updated"
	TicketAssignmentUpdated Trigger = "ticket-assignment-updated"
	TicketHandedOver        Trigger = "ticket-handed-over"
)

// knownTriggers are the constants above, in order.
var knownTriggers = []Trigger{
	TicketCreated, TicketUpdated, TicketMessageCreated, TicketSelfUnsnoozed, TicketMessageFailed,
	TicketStatusUpdated, TicketAssignmentUpdated, TicketHandedOver,
}

// maxTriggerLength bounds a trigger name read off the wire.
const maxTriggerLength = 64

// ParseTrigger reads a trigger name in either spelling ("ticket-created",
// "ticket_created", any case) and returns it hyphenated. A name this
// package has no constant for is returned as is, hyphenated: Gorgias may
// add triggers. A name that is not lower-case words joined by hyphens or
// underscores is an error.
func ParseTrigger(s string) (Trigger, error) {
	name := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
	if name == "" || len(name) > maxTriggerLength || name[0] == '-' || name[len(name)-1] == '-' || strings.Contains(name, "--") {
		return "", fmt.Errorf("webhook: %.64q is not a trigger name", s)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; (c < 'a' || c > 'z') && c != '-' {
			return "", fmt.Errorf("webhook: %.64q is not a trigger name", s)
		}
	}
	return Trigger(name), nil
}

// UnmarshalText reads either spelling; see ParseTrigger.
func (t *Trigger) UnmarshalText(text []byte) error {
	v, err := ParseTrigger(string(text))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Known reports whether t is one of this package's constants.
func (t Trigger) Known() bool {
	for _, k := range knownTriggers {
		if t == k {
			return true
		}
	}
	return false
}

// Event is one event an HTTP integration delivered.
type Event struct {
	Trigger Trigger
	// TicketID is the ticket the event is about.
	TicketID int64
	// MessageID is the message of a ticket-message-created or
	// ticket-message-failed event, 0 for other events.
	MessageID int64
	// UpdatedDatetime is the ticket's updated_datetime when the event was
	// sent (zero when Gorgias sent none).
	UpdatedDatetime time.Time
	// DeliveryID identifies the event: every delivery of the same event
	// (a retry, a duplicate) has the same one. It is derived from the
	// event's content (trigger, ids, updated datetime), since Gorgias
	// sends no delivery id.
	DeliveryID string
}

// ErrNoMessage is returned by Event.Message for an event about no message.
var ErrNoMessage = errors.New("webhook: the event is about no message")

// Ticket fetches the event's ticket through the API, as it is now (which
// may be later than the event).
func (e Event) Ticket(ctx context.Context, c *gorgias.Client, callOpts ...gorgias.CallOption) (*gorgias.Ticket, error) {
	return c.Tickets.Get(ctx, e.TicketID, nil, callOpts...)
}

// Message fetches the event's message through the API; ErrNoMessage when
// the event is about no message.
func (e Event) Message(ctx context.Context, c *gorgias.Client, callOpts ...gorgias.CallOption) (*gorgias.Message, error) {
	if e.MessageID == 0 {
		return nil, ErrNoMessage
	}
	return c.Messages.Get(ctx, e.TicketID, e.MessageID, callOpts...)
}

// deliveryID hashes what identifies an event.
func deliveryID(t Trigger, ticketID, messageID int64, updated time.Time) string {
	h := sha256.New()
	var ts string
	if !updated.IsZero() {
		ts = updated.UTC().Format(time.RFC3339Nano)
	}
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%s", t, ticketID, messageID, ts)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Template is the body Register has Gorgias send: JSON with these keys,
// whose values Gorgias renders from the ticket and message of the event.
// {{event.type}} is the trigger's name where Gorgias fills it in; where it
// renders empty, the handler tells the trigger from the rest (a message id:
// a new message; created and updated datetimes equal: a new ticket;
// otherwise an update).
var template = map[string]string{
	"trigger":          "{{event.type}}",
	"ticket_id":        "{{ticket.id}}",
	"message_id":       "{{message.id}}",
	"updated_datetime": "{{ticket.updated_datetime}}",
	"created_datetime": "{{ticket.created_datetime}}",
}

// Template returns the body template Register registers (a new map each
// call): keys trigger, ticket_id, message_id, updated_datetime and
// created_datetime, with the template variables Gorgias renders. A hand-made
// integration sending this body, and SecretHeader, is served by NewHandler.
func Template() map[string]string {
	m := make(map[string]string, len(template))
	for k, v := range template {
		m[k] = v
	}
	return m
}

// wireEvent is a delivery's body. The values come as strings (rendered
// templates) or, from other senders, as JSON numbers.
type wireEvent struct {
	Trigger         string          `json:"trigger"`
	TicketID        json.RawMessage `json:"ticket_id"`
	MessageID       json.RawMessage `json:"message_id"`
	UpdatedDatetime string          `json:"updated_datetime"`
	CreatedDatetime string          `json:"created_datetime"`
}

// ParseEvent reads a delivery's JSON body, as Template renders it.
func ParseEvent(body []byte) (Event, error) {
	var w wireEvent
	if err := json.Unmarshal(body, &w); err != nil {
		return Event{}, errors.New("the body is not the JSON object of a delivery")
	}
	var ev Event
	var err error
	if ev.TicketID, err = parseID(w.TicketID); err != nil || ev.TicketID == 0 {
		return Event{}, errors.New("ticket_id is missing or not a positive id")
	}
	if ev.MessageID, err = parseID(w.MessageID); err != nil {
		return Event{}, errors.New("message_id is not an id")
	}
	updated, err := parseDatetime(w.UpdatedDatetime)
	if err != nil {
		return Event{}, errors.New("updated_datetime is not a datetime")
	}
	ev.UpdatedDatetime = updated
	switch strings.TrimSpace(w.Trigger) {
	case "":
		created, err := parseDatetime(w.CreatedDatetime)
		if err != nil {
			return Event{}, errors.New("created_datetime is not a datetime")
		}
		switch {
		case ev.MessageID != 0:
			ev.Trigger = TicketMessageCreated
		case !created.IsZero() && created.Equal(updated):
			ev.Trigger = TicketCreated
		default:
			ev.Trigger = TicketUpdated
		}
	default:
		if ev.Trigger, err = ParseTrigger(w.Trigger); err != nil {
			return Event{}, errors.New("trigger is not a trigger name")
		}
	}
	ev.DeliveryID = deliveryID(ev.Trigger, ev.TicketID, ev.MessageID, ev.UpdatedDatetime)
	return ev, nil
}

// parseID reads an id sent as a number, a string of digits, "", null or
// nothing (0).
func parseID(raw json.RawMessage) (int64, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" || s == `""` {
		return 0, nil
	}
	if s[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(s)
		if s == "" || s == "None" { // Jinja renders a missing value as "" (or None)
			return 0, nil
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0, errors.New("not an id")
	}
	return id, nil
}

func parseDatetime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "None" {
		return time.Time{}, nil
	}
	t, err := gorgias.ParseTime(s)
	if err != nil {
		return time.Time{}, err
	}
	return t.Time, nil
}
