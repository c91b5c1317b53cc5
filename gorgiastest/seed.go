package gorgiastest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SeedConfig describes the help desk WithSeedData creates.
type SeedConfig struct {
	// Tickets is how many tickets to create (default 300).
	Tickets int
	// Seed makes the data reproducible (default 1).
	Seed uint64
}

// WithSeedData fills the fake with a realistic, deterministic help desk:
// agents, customers, tags, and tickets across channels, statuses and
// priorities (some without subject, some with an external_id) with their
// messages (internal notes, attachments and failed sends among them),
// tags, custom field values, surveys on closed tickets (some unanswered,
// some not sent yet), and voice calls on phone tickets with their events
// and, for most, a recording. Without it the fake starts with only the
// account: its agent, teams, views, rules and custom field definitions.
//
// The seeded records also take the shapes other clients of the live API
// have met (§13 of the reference), so that code tested against the fake
// meets them too: nulls (a ticket's priority and is_unread, an intent's
// confidence, an attachment's size, an internal note's is_retriable, a
// source's cc and bcc, a tag's usage and decoration, a survey's ticket_id
// and customer_id, most fields of some voice calls, a recording's
// external_id and duration), last_sending_error as {code, message} or
// {error}, macros as {id, name}, ids in source addresses, and a field no
// SDK knows yet, x_gorgias_new_field, on some tickets and inside some
// messages' sources. What tests create through the API has none of these
// unless they send it.
// The seeded history spans the 90 days before the day before the fake's
// clock (see WithClock).
func WithSeedData(cfg SeedConfig) Option {
	return func(c *config) { c.seed = &cfg }
}

var (
	firstNames = []string{"Marie", "Ada", "Grace", "Alan", "Katherine", "Linus", "Barbara", "Dennis", "Margaret", "Ken", "Radia", "Tim"}
	lastNames  = []string{"Curie", "Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Liskov", "Ritchie", "Hamilton", "Thompson", "Perlman", "Lee"}
	tagNames   = []string{"refund", "shipping", "vip", "damaged", "return", "wholesale", "billing", "urgent", "feedback", "Refund", "re fund", "SHIPPING"}
	tagColors  = []string{"#d85a17", "#1f8ef1", "#f5a623", "#e02020", "#7ed321", "#9013fe", "#4a4a4a", "#ff0000", "#50e3c2", "#d85a17", "#d85a17", "#1f8ef1"}
	subjects   = []string{"Where is my order?", "Refund request for order #%d", "The mug arrived broken", "Change my shipping address",
		"Discount code not working", "Wholesale inquiry", "Cancel order #%d", "Missed call", "Thanks for the quick help!", "Invoice for order #%d"}
	seedChannels = []string{"email", "email", "email", "chat", "phone", "facebook-messenger", "sms", "contact_form"}
	seedPriority = []string{"normal", "normal", "normal", "high", "low", "critical"}
	contactWhy   = []string{`"Order::Status::Delivered"`, `"Order::Status::In transit"`, `"Other::Other::Other"`}
	sendErrors   = []string{"The recipient's mailbox is full.", "The email address does not exist.", "Messenger: the 24-hour window to reply has closed."}
)

// quirks mark the shapes of live answers (§13 of the reference) that a
// seeded record takes, so that clients meet them in tests; what is
// created through the API has none.
type quirks uint8

const (
	// novelField adds a field the SDK does not know yet,
	// x_gorgias_new_field: to a ticket, or inside a message's source.
	novelField quirks = 1 << iota
	// nullLists makes a message source's cc and bcc null instead of [].
	nullLists
	// nullUnread makes a ticket's is_unread null.
	nullUnread
)

func (q quirks) has(f quirks) bool { return q&f != 0 }

// The values the quirks and the seeded intents and macros write. Index 0
// of seedIntents and seedMacros is "none".
var (
	novelTicketValue = json.RawMessage(`{"kind":"early-access","enabled":true}`)
	novelSourceValue = json.RawMessage(`{"routing":"shadow","version":2}`)
	seedIntents      = []json.RawMessage{nil,
		json.RawMessage(`[{"name":"order/status","confidence":0.93,"rejected":null,"is_user_feedback":false}]`),
		json.RawMessage(`[{"name":"refund/request","confidence":null,"rejected":false,"is_user_feedback":false}]`),
		json.RawMessage(`[{"name":"shipping/change-address","confidence":0.61,"rejected":null,"is_user_feedback":false},` +
			`{"name":"other/thanks","confidence":null,"rejected":true,"is_user_feedback":true}]`),
	}
	seedMacros = []json.RawMessage{nil,
		json.RawMessage(`[{"id":4521,"name":"Refund issued"}]`),
		json.RawMessage(`[{"id":4522,"name":"Where is my order?"}]`),
		json.RawMessage(`[{"id":4523,"name":"Shipping: address change"},{"id":4530,"name":"Sign-off"}]`),
	}
	// sendErrorCodes go with sendErrors: newer answers give {code,
	// message}, older ones {error}.
	sendErrorCodes = []string{"MAILBOX_FULL", "INVALID_RECIPIENT", "MESSAGING_WINDOW_CLOSED"}
)

// seed creates a deterministic help desk.
func (st *store) seed(cfg SeedConfig) {
	if cfg.Tickets <= 0 {
		cfg.Tickets = 300
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed*31+7))
	// The live shapes (quirks, intents, macros…) draw from their own
	// source, so the rest of the data is what it was before they came.
	qr := rand.New(rand.NewPCG(cfg.Seed^0x51ab, 13))
	// So do the records users must handle (trashed and spam tickets,
	// customers without email, messages without sender).
	hr := rand.New(rand.NewPCG(cfg.Seed^0x7a54, 17))
	// The seeded history spans the 90 days before the day before the
	// clock's time, so what tests create comes after it.
	end := st.clock.now().Add(-24 * time.Hour).Truncate(time.Second)
	step := max(90*24*time.Hour/time.Duration(cfg.Tickets), 2*time.Minute)
	at := end.Add(-time.Duration(cfg.Tickets) * step)
	tick := func() ts { // the seed's own clock
		at = at.Add(time.Duration(1+rng.IntN(1000)) * time.Millisecond)
		return tsOf(at)
	}
	saved := st.clock
	st.clock = &clock{fixed: true}
	defer func() { st.clock = saved }()
	now := func() ts { t := tick(); st.clock.at = t.Time(); return st.now() }

	agents := []*user{st.agent}
	for i := range 4 {
		agents = append(agents, st.addUser(firstNames[i+4], lastNames[i+6], fmt.Sprintf("agent%d@acme.example", i+2)))
	}
	teams := sortedKeys(st.teams)
	now()
	tags := make([]*tag, len(tagNames))
	for i, name := range tagNames {
		now()
		tags[i] = st.addTag(name, nstr{}, tagColors[i])
	}
	customers := make([]*customer, 0, cfg.Tickets/3+1)
	for i := range cfg.Tickets/3 + 1 {
		now()
		first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
		customers = append(customers, st.addCustomer(first+" "+last, fmt.Sprintf("%s.%s.%d@example.com",
			strings.ToLower(first), strings.ToLower(last), i)))
	}

	for i := range cfg.Tickets {
		at = at.Add(step - time.Minute)
		cust := customers[rng.IntN(len(customers))]
		ch := seedChannels[rng.IntN(len(seedChannels))]
		order := 1000 + i
		subject := subjects[rng.IntN(len(subjects))]
		if ch == "phone" {
			subject = "Missed call"
		}
		if strings.Contains(subject, "%d") {
			subject = fmt.Sprintf(subject, order)
		}
		sub := some(subject)
		if (ch == "chat" || ch == "sms") && rng.IntN(2) == 0 {
			sub = nstr{} // chats and texts often have no subject
		}
		t := st.newTicket(cust, ch, ch, sub, now())
		t.priority = seedPriority[rng.IntN(len(seedPriority))]
		st.seedTicketQuirks(t, qr)
		if rng.IntN(3) > 0 {
			t.assigneeUser = agents[rng.IntN(len(agents))]
		}
		if rng.IntN(4) == 0 {
			t.assigneeTeam = st.teams[teams[rng.IntN(len(teams))]]
		}
		if rng.IntN(5) == 0 {
			st.setExternalID(t, some("ORDER-"+strconv.Itoa(order)))
		}
		body := "Hello, about order #" + strconv.Itoa(order) + ": " + strings.ToLower(subject[:1]) + subject[1:]
		first := st.seedMessage(t, party{customer: cust}, party{user: st.agent}, body, now())
		seedMessageQuirks(first, qr)
		if qr.IntN(3) == 0 {
			first.intent = uint8(1 + qr.IntN(len(seedIntents)-1))
		}
		if ch == "email" && hr.IntN(8) == 0 { // a rule's acknowledgement: no sender
			ack := st.seedMessage(t, party{}, party{customer: cust}, "We received your message and will reply within 24 hours.", st.now())
			ack.fromAgent, ack.via = true, "rule"
		}
		if rng.IntN(8) == 0 {
			first.more().attachments = []attachment{{url: "https://uploads.gorgias.io/gorgiastest/photo-" + strconv.Itoa(order) + ".jpg",
				name: "photo.jpg", contentType: "image/jpeg", size: int64(20_000 + rng.IntN(2_000_000)), public: true}}
			if qr.IntN(3) == 0 {
				first.x.attachments[0].size = -1 // not known: null
			}
		}
		if rng.IntN(3) > 0 {
			agent := agents[rng.IntN(len(agents))]
			reply := st.seedMessage(t, party{user: agent}, party{customer: cust}, "Thanks for reaching out, we are on it.", now())
			reply.fromAgent, reply.via = true, "helpdesk"
			seedMessageQuirks(reply, qr)
			if qr.IntN(4) == 0 {
				reply.macro = uint8(1 + qr.IntN(len(seedMacros)-1))
			}
			if rng.IntN(12) == 0 { // the reply could not be sent
				reply.sent, reply.failed = 0, reply.created
				reply.more().lastSendingError = sendingError(rng.IntN(len(sendErrors)), qr.IntN(4) == 0)
			}
		}
		if rng.IntN(4) == 0 {
			note := st.seedMessage(t, party{user: agents[rng.IntN(len(agents))]}, party{}, "Checked with the warehouse.", now())
			note.fromAgent, note.public, note.channel, note.via, note.subject = true, false, "internal-note", "helpdesk", nstr{}
		}
		for range rng.IntN(3) {
			st.addTicketTag(t, tags[rng.IntN(len(tags))])
		}
		if rng.IntN(2) == 0 {
			st.setFieldValue(t, fieldValue{def: st.fields[FieldOrderNumber], value: []byte(`"ORD-` + strconv.Itoa(order) + `"`)})
			st.setFieldValue(t, fieldValue{def: st.fields[FieldContactReason], value: []byte(contactWhy[rng.IntN(len(contactWhy))])})
		}
		switch {
		case rng.IntN(3) == 0: // stays open
		case rng.IntN(10) == 0:
			t.snooze = tsOf(end.Add(48 * time.Hour))
		default:
			t.status = "closed"
			t.closed = now()
			st.touch(t, t.closed)
			if rng.IntN(2) == 0 {
				st.seedSurvey(t, rng, now)
			}
		}
		switch r := hr.IntN(40); { // after the ticket's last event, before the next ticket's first
		case r < 1:
			t.spam = true
		case r < 2:
			t.spam, t.trashed = true, tsOf(at.Add(30*time.Second))
			st.touch(t, t.trashed)
		case r < 3:
			t.trashed = tsOf(at.Add(30 * time.Second))
			st.touch(t, t.trashed)
		}
		if ch == "phone" {
			now()
			call, rec := st.addCall(t, agents[rng.IntN(len(agents))], rng)
			switch {
			case rec == nil && qr.IntN(2) == 0:
				call.sparse = true
			case rec != nil && qr.IntN(5) == 0:
				rec.sparse = true
			}
		}
	}
	st.seedLiveShapes(tags, customers, qr)
	st.seedNoEmail(customers, hr)
}

// seedNoEmail takes the email away from some customers who only wrote
// through chat, texts, calls or Messenger, as visitors who never gave one.
func (st *store) seedNoEmail(customers []*customer, hr *rand.Rand) {
	for _, c := range customers {
		if len(c.tickets) == 0 || hr.IntN(2) == 0 || slices.ContainsFunc(c.tickets, func(t *ticket) bool {
			return t.channel == "email" || t.channel == "contact_form"
		}) {
			continue
		}
		delete(st.byEmail, c.email)
		c.email = ""
	}
}

// seedTicketQuirks gives some tickets the shapes of §13: a null priority,
// a null is_unread, a field the SDK does not know; and some are unread.
func (st *store) seedTicketQuirks(t *ticket, qr *rand.Rand) {
	switch qr.IntN(30) {
	case 0:
		t.priority = ""
	case 1, 2:
		t.quirks |= nullUnread
	case 3, 4, 5:
		t.unread = true
	}
	if qr.IntN(10) == 0 {
		t.quirks |= novelField
	}
}

// seedMessageQuirks gives some messages an email source whose cc and bcc
// are null, or one with a field the SDK does not know.
func seedMessageQuirks(m *message, qr *rand.Rand) {
	if qr.IntN(5) == 0 {
		m.quirks |= nullLists
	}
	if qr.IntN(10) == 0 {
		m.quirks |= novelField
	}
}

// sendingError is a failed send's last_sending_error: {code, message} as
// newer answers give it, or {error} as older ones do.
func sendingError(i int, old bool) json.RawMessage {
	e := enc{}
	e.open()
	if old {
		e.k("error").str(sendErrors[i])
	} else {
		e.k("code").str(sendErrorCodes[i])
		e.k("message").str(sendErrors[i])
	}
	e.close()
	return e.b
}

// seedLiveShapes adds what live accounts have and clients trip on: a tag
// (wholesale) whose usage is not counted yet, null until a ticket gains
// or loses it, and that has no decoration; and surveys whose ticket is
// gone (ticket_id null), the first of them with no customer either.
func (st *store) seedLiveShapes(tags []*tag, customers []*customer, qr *rand.Rand) {
	tg := tags[slices.Index(tagNames, "wholesale")]
	tg.color = ""
	st.tagsBy.usage.update(tg, func() { tg.usageNull = true })
	for i := range max(1, len(customers)/30) {
		s := &survey{base: st.born("survey"), customer: customers[qr.IntN(len(customers))], created: st.now()}
		if i == 0 {
			s.customer = nil
		}
		s.sendAt, s.sent = s.created, s.created
		s.score, s.scored = 2+qr.IntN(4), st.now()
		st.surveys[s.id] = s
		st.surveysBy.created.insert(s)
	}
}

// seedMessage adds a message whose source and body_html are derived.
func (st *store) seedMessage(t *ticket, from, to party, body string, at ts) *message {
	m := &message{base: st.born("message"), public: true, channel: t.channel, via: t.via, sender: from, receiver: to,
		subject: t.subject, bodyText: some(body), htmlFromText: true, created: at, processed: at, sent: at}
	st.addMessage(t, m)
	return m
}

// seedSurvey adds a survey to a closed ticket: most are answered, some
// were sent and not answered, some are not sent yet.
func (st *store) seedSurvey(t *ticket, rng *rand.Rand, now func() ts) {
	s := st.addSurvey(t, now())
	switch r := rng.IntN(10); {
	case r < 6: // answered
		s.sendAt, s.sent = s.created, s.created
		s.score = 1 + rng.IntN(5)
		if rng.IntN(3) > 0 {
			s.score = 4 + rng.IntN(2) // most customers are happy
		}
		s.scored = now()
		s.bodyText = some("Thanks!")
	case r < 8: // sent, not answered
		s.sendAt, s.sent = s.created, s.created
	case r < 9: // to be sent tomorrow
		s.sendAt = s.created + ts(24*time.Hour/time.Microsecond)
	default: // never to be sent
	}
}
