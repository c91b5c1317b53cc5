package gorgiastest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/go-gorgias/gorgias"
)

// The ids of the custom field definitions every fake has, from the
// reference's custom_fields.json.
const (
	FieldOrderNumber   int64 = 319601 // text
	FieldContactReason int64 = 319602 // text, dropdown
	FieldRefundAmount  int64 = 319603 // number
	FieldGiftOrder     int64 = 319604 // boolean
)

// seedFields creates the custom field definitions of the reference's
// custom_fields.json: a text field, a dropdown, a number and a boolean.
func (st *store) seedFields() {
	created := &gorgias.Time{Time: time.Date(2026, 8, 26, 12, 46, 6, 411020000, time.UTC)}
	str := func(s string) *string { return &s }
	num := func(f float64) *float64 { return &f }
	value := func(v any) gorgias.FieldValue { fv, _ := gorgias.NewFieldValue(v); return fv }
	defs := []gorgias.CustomField{
		{Label: str("Order number"), Description: str("Customer's order reference"), Priority: ptr(8), Required: ptr(false), RequirementType: gorgias.FieldRequirementVisible,
			Definition: gorgias.FieldDefinition{DataType: gorgias.FieldDataTypeText,
				InputSettings: gorgias.FieldInputSettings{InputType: gorgias.FieldInputText, Placeholder: str("Enter order number")}}},
		{Label: str("Contact reason"), Priority: ptr(1), Required: ptr(true), RequirementType: gorgias.FieldRequirementRequired,
			ManagedType: ptr(gorgias.FieldManagedContactReason),
			Definition: gorgias.FieldDefinition{DataType: gorgias.FieldDataTypeText,
				InputSettings: gorgias.FieldInputSettings{InputType: gorgias.FieldInputDropdown, Choices: []gorgias.FieldValue{
					value("Order::Status::Delivered"), value("Order::Status::In transit"), value("Other::Other::Other")}}}},
		{Label: str("Refund amount"), ExternalID: str("zendesk-360001"), Priority: ptr(20), Required: ptr(false), RequirementType: gorgias.FieldRequirementVisible,
			Definition: gorgias.FieldDefinition{DataType: gorgias.FieldDataTypeNumber,
				InputSettings: gorgias.FieldInputSettings{InputType: gorgias.FieldInputNumber, Min: num(0), Max: num(10000)}}},
		{Label: str("Gift order"), Priority: ptr(30), Required: ptr(false), RequirementType: gorgias.FieldRequirementVisible,
			Definition: gorgias.FieldDefinition{DataType: gorgias.FieldDataTypeBoolean,
				InputSettings: gorgias.FieldInputSettings{InputType: gorgias.FieldInputDropdown, Choices: []gorgias.FieldValue{value(true), value(false)}}}},
	}
	for i := range defs {
		d := defs[i]
		d.ID = st.id("field")
		d.ObjectType = gorgias.FieldObjectTicket
		d.CreatedDatetime, d.UpdatedDatetime = created, created
		st.fields[d.ID] = &d
	}
}

func ptr[T any](v T) *T { return &v }

var (
	firstNames = []string{"Marie", "Ada", "Grace", "Alan", "Katherine", "Linus", "Barbara", "Dennis", "Margaret", "Ken", "Radia", "Tim"}
	lastNames  = []string{"Curie", "Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Liskov", "Ritchie", "Hamilton", "Thompson", "Perlman", "Lee"}
	tagNames   = []string{"refund", "shipping", "vip", "damaged", "return", "wholesale", "billing", "urgent", "feedback", "Refund", "re fund", "SHIPPING"}
	tagColors  = []string{"#d85a17", "#1f8ef1", "#f5a623", "#e02020", "#7ed321", "#9013fe", "#4a4a4a", "#ff0000", "#50e3c2", "#d85a17", "#d85a17", "#1f8ef1"}
	subjects   = []string{"Where is my order?", "Refund request for order #%d", "The mug arrived broken", "Change my shipping address",
		"Discount code not working", "Wholesale inquiry", "Cancel order #%d", "Missed call", "Thanks for the quick help!", "Invoice for order #%d"}
	channels = []gorgias.Channel{gorgias.ChannelEmail, gorgias.ChannelEmail, gorgias.ChannelEmail, gorgias.ChannelChat,
		gorgias.ChannelPhone, gorgias.ChannelFacebookMessenger, gorgias.ChannelSMS, gorgias.ChannelContactForm}
	priorities = []gorgias.Priority{gorgias.PriorityNormal, gorgias.PriorityNormal, gorgias.PriorityNormal, gorgias.PriorityHigh, gorgias.PriorityLow, gorgias.PriorityCritical}
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
	// The seeded history spans the 90 days before yesterday, so tickets
	// created by tests come after it.
	end := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second)
	step := max(90*24*time.Hour/time.Duration(cfg.Tickets), 2*time.Minute)
	clock := end.Add(-time.Duration(cfg.Tickets) * step)
	saved := st.clock
	st.clock = func() time.Time { clock = clock.Add(time.Duration(rng.IntN(1000)) * time.Millisecond); return clock }
	defer func() { st.clock = saved }()

	agents := []*gorgias.User{st.users[st.agentID]}
	for i := range 4 {
		agents = append(agents, st.addUser(firstNames[i+4], lastNames[i+6], fmt.Sprintf("agent%d@acme.example", i+2)))
	}
	for i, name := range tagNames {
		st.addTag(name, "", tagColors[i])
	}
	tagIDs := make([]int64, 0, len(st.tags))
	for _, name := range tagNames {
		tagIDs = append(tagIDs, st.tagsByName[name])
	}
	customers := make([]*gorgias.Customer, 0, cfg.Tickets/3+1)
	for i := range cfg.Tickets/3 + 1 {
		first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
		customers = append(customers, st.addCustomer(first+" "+last, fmt.Sprintf("%s.%s.%d@example.com", lower(first), lower(last), i)))
	}
	fieldIDs := st.fieldIDs()

	for i := range cfg.Tickets {
		clock = clock.Add(step - time.Minute)
		cust := customers[rng.IntN(len(customers))]
		ch := channels[rng.IntN(len(channels))]
		order := 1000 + i
		subject := subjects[rng.IntN(len(subjects))]
		if ch == gorgias.ChannelPhone {
			subject = "Missed call"
		}
		if containsVerb(subject) {
			subject = fmt.Sprintf(subject, order)
		}
		t := st.newTicket(cust, ch, gorgias.Via(ch), subject)
		t.Priority = ptr(priorities[rng.IntN(len(priorities))])
		if rng.IntN(3) > 0 {
			a := agents[rng.IntN(len(agents))]
			t.AssigneeUser, t.AssigneeUserID = a, &a.ID
		}
		if rng.IntN(5) == 0 {
			t.ExternalID = ptr(fmt.Sprintf("ORDER-%d", order))
		}
		st.addMessage(t, st.customerMessage(t, cust, "Hello, about order #"+strconv.Itoa(order)+": "+lowerFirst(subject)+"."))
		if rng.IntN(3) > 0 {
			st.addMessage(t, st.agentMessage(t, cust, agents[rng.IntN(len(agents))], "Thanks for reaching out, we are on it."))
		}
		if rng.IntN(4) == 0 {
			st.addMessage(t, st.internalNote(t, agents[rng.IntN(len(agents))], "Checked with the warehouse."))
		}
		for range rng.IntN(3) {
			st.addTicketTag(t, tagIDs[rng.IntN(len(tagIDs))])
		}
		if rng.IntN(2) == 0 {
			t.fieldValues[fieldIDs[0]], _ = gorgias.NewFieldValue(fmt.Sprintf("ORD-%d", order))
			t.fieldValues[fieldIDs[1]], _ = gorgias.NewFieldValue([]string{"Order::Status::Delivered", "Order::Status::In transit", "Other::Other::Other"}[rng.IntN(3)])
		}
		switch {
		case rng.IntN(3) == 0: // stays open
		case rng.IntN(10) == 0:
			t.SnoozeDatetime = &gorgias.Time{Time: end.Add(48 * time.Hour)}
		default:
			t.Status = gorgias.StatusClosed
			t.ClosedDatetime = st.now()
			t.UpdatedDatetime = t.ClosedDatetime
			if rng.IntN(2) == 0 {
				score := 1 + rng.IntN(5)
				if rng.IntN(3) > 0 {
					score = 4 + rng.IntN(2) // most customers are happy
				}
				st.addSurvey(t, &score, "Thanks!", t.ClosedDatetime)
			}
		}
		if ch == gorgias.ChannelPhone {
			st.addCall(t, cust, agents[rng.IntN(len(agents))], rng)
		}
	}
}

func (st *store) fieldIDs() []int64 {
	ids := make([]int64, 0, len(st.fields))
	for id := range st.fields {
		ids = append(ids, id)
	}
	sortInt64s(ids)
	return ids
}

func containsVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 'd' {
			return true
		}
	}
	return false
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return lower(s[:1]) + s[1:]
}

// newTicket stores an open ticket without messages.
func (st *store) newTicket(cust *gorgias.Customer, ch gorgias.Channel, via gorgias.Via, subject string) *ticket {
	now := st.now()
	t := &ticket{fieldValues: map[int64]gorgias.FieldValue{}}
	t.ID = st.id("ticket")
	t.URI = "/api/tickets/" + strconv.FormatInt(t.ID, 10) + "/"
	t.Status = gorgias.StatusOpen
	t.Priority = ptr(gorgias.PriorityNormal)
	t.IsUnread = ptr(false)
	t.Channel, t.Via = ch, via
	t.FromAgent = ptr(false)
	t.Spam = ptr(false)
	t.Imported = ptr(false)
	t.Customer = &gorgias.Customer{ID: cust.ID}
	t.Language = ptr("en")
	t.Subject = &subject
	t.Meta = nil
	t.CreatedDatetime, t.UpdatedDatetime, t.ProcessedDatetime = now, now, now
	st.tickets[t.ID] = t
	return t
}

func (st *store) baseMessage(t *ticket, ch gorgias.Channel, via gorgias.Via, body string) *gorgias.Message {
	now := st.now()
	return &gorgias.Message{Public: ptr(true), FromAgent: ptr(false), Channel: ch, Via: via, BodyText: &body, BodyHTML: ptr("<div>" + body + "</div>"),
		Subject: t.Subject, Attachments: []gorgias.Attachment{}, Intents: []gorgias.Intent{}, Imported: ptr(false),
		CreatedDatetime: now, SentDatetime: now, ProcessedDatetime: now, IsRetriable: ptr(true)}
}

func (st *store) customerMessage(t *ticket, cust *gorgias.Customer, body string) *gorgias.Message {
	m := st.baseMessage(t, t.Channel, t.Via, body)
	m.Sender = customerAsUser(cust)
	m.Receiver = userAsSender(st.users[st.agentID])
	m.Source = &gorgias.MessageSource{Type: gorgias.SourceType(t.Channel),
		From: &gorgias.Address{Name: cust.Name, Address: deref(cust.Email)},
		To:   []gorgias.Address{{Name: ptr("Acme Support"), Address: "support@acme.example"}}}
	return m
}

func (st *store) agentMessage(t *ticket, cust *gorgias.Customer, agent *gorgias.User, body string) *gorgias.Message {
	m := st.baseMessage(t, t.Channel, gorgias.ViaHelpdesk, body)
	m.FromAgent = ptr(true)
	m.Sender = userAsSender(agent)
	m.Receiver = customerAsUser(cust)
	m.Source = &gorgias.MessageSource{Type: gorgias.SourceType(t.Channel),
		From: &gorgias.Address{Name: ptr("Acme Support"), Address: "support@acme.example"},
		To:   []gorgias.Address{{Name: cust.Name, Address: deref(cust.Email)}}}
	return m
}

func (st *store) internalNote(t *ticket, agent *gorgias.User, body string) *gorgias.Message {
	m := st.baseMessage(t, gorgias.ChannelInternalNote, gorgias.ViaHelpdesk, body)
	m.Public = ptr(false)
	m.FromAgent = ptr(true)
	m.Subject = nil
	m.Sender = userAsSender(agent)
	m.Source = &gorgias.MessageSource{Type: gorgias.SourceTypeInternalNote}
	return m
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (st *store) addSurvey(t *ticket, score *int, body string, when *gorgias.Time) *gorgias.Survey {
	s := &gorgias.Survey{ID: st.id("survey"), TicketID: ptr(t.ID), CustomerID: ptr(t.Customer.ID), Score: score,
		CreatedDatetime: st.now(), SentDatetime: when, ShouldSendDatetime: when}
	if score != nil {
		s.ScoredDatetime = when
		s.BodyText = &body
	}
	s.URI = "/api/satisfaction-surveys/" + strconv.FormatInt(s.ID, 10) + "/"
	st.surveys[s.ID] = s
	t.surveyID = s.ID
	return s
}

// addCall creates a voice call on a phone ticket, with its events and,
// when answered, a recording; when missed, a voicemail.
func (st *store) addCall(t *ticket, cust *gorgias.Customer, agent *gorgias.User, rng *rand.Rand) {
	now := st.now()
	answered := rng.IntN(3) > 0
	call := &gorgias.VoiceCall{ID: st.id("call"), IntegrationID: ptr(int64(234)), TicketID: &t.ID, PhoneNumberID: 456,
		ExternalID: ptr(fmt.Sprintf("CA%032x", rng.Uint64())), Provider: ptr("twilio"), Direction: gorgias.CallDirectionInbound,
		PhoneNumberSource: ptr(fmt.Sprintf("+1479%07d", rng.IntN(10_000_000))), CountrySource: ptr("US"),
		PhoneNumberDestination: ptr("+17201234567"), CountryDestination: ptr("US"), HasVoicemail: ptr(false), HasCallRecording: ptr(false),
		StartedDatetime: now, CreatedDatetime: now, UpdatedDatetime: now, CustomerID: &cust.ID, LastRangAgentID: &agent.ID,
		Summaries: []gorgias.CallSummary{}, MonitoringStatus: gorgias.CallMonitoringNone}
	st.calls[call.ID] = call
	st.addEvent(call, gorgias.CallEventIncoming, nil)
	st.addEvent(call, gorgias.CallEventRinging, &agent.ID)
	duration := 30 + rng.IntN(600)
	kind := gorgias.RecordingTypeVoicemail
	if answered {
		call.Status, call.TerminationStatus = ptr(gorgias.CallStatusCompleted), ptr(gorgias.CallTerminationAnswered)
		call.LastAnsweredByAgentID = &agent.ID
		call.HasCallRecording = ptr(true)
		kind = gorgias.RecordingTypeCallRecording
		st.addEvent(call, gorgias.CallEventAnswered, &agent.ID)
	} else {
		call.Status, call.TerminationStatus = ptr(gorgias.CallStatusMissed), ptr(gorgias.CallTerminationMissed)
		call.HasVoicemail = ptr(true)
		duration = 5 + rng.IntN(60)
		st.addEvent(call, gorgias.CallEventVoicemailRecording, nil)
	}
	st.addEvent(call, gorgias.CallEventCompleted, nil)
	call.Duration = &duration
	rec := &gorgias.VoiceCallRecording{ID: st.id("recording"), CallID: call.ID, ExternalID: ptr(fmt.Sprintf("RE%032x", rng.Uint64())),
		Duration: ptr(duration), Type: kind, CreatedDatetime: st.now(), TranscriptionStatus: ptr(gorgias.TranscriptionCompleted)}
	rec.URL = ptr("https://uploads.gorgias.io/gorgiastest/" + *rec.ExternalID + ".mp3")
	st.recordings[rec.ID] = rec
	if answered {
		call.Summaries = append(call.Summaries, gorgias.CallSummary{ID: st.id("summary"), RecordingID: rec.ID,
			Summary: "Customer asked about their order; agent answered.", CreatedDatetime: st.now()})
	}
	call.UpdatedDatetime = st.now()
}

func (st *store) addEvent(call *gorgias.VoiceCall, kind gorgias.CallEventType, userID *int64) {
	e := &gorgias.VoiceCallEvent{ID: st.id("event"), Type: kind, AccountID: 234, CallID: call.ID, UserID: userID,
		CustomerID: call.CustomerID, CreatedDatetime: st.now(), Meta: gorgias.EventMeta{}}
	st.events[e.ID] = e
}
