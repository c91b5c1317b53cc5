package gorgiastest

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/go-gorgias/gorgias"
)

// store holds the help desk. The Server's mutex guards it.
type store struct {
	nextID map[string]int64

	users            map[int64]*gorgias.User
	customers        map[int64]*gorgias.Customer
	customersByEmail map[string]int64

	tickets       map[int64]*ticket
	messages      map[int64]*gorgias.Message
	tags          map[int64]*gorgias.Tag
	tagsByName    map[string]int64
	surveys       map[int64]*gorgias.Survey
	fields        map[int64]*gorgias.CustomField
	calls         map[int64]*gorgias.VoiceCall
	events        map[int64]*gorgias.VoiceCallEvent
	recordings    map[int64]*gorgias.VoiceCallRecording
	agentID       int64 // the user the credentials act as
	clock         func() time.Time
	lastTimestamp time.Time
}

// ticket is a stored ticket with its relations.
type ticket struct {
	gorgias.Ticket         // without messages, tags, custom fields or survey
	messageIDs     []int64 // in creation order
	tagIDs         []int64 // in the order added
	fieldValues    map[int64]gorgias.FieldValue
	surveyID       int64
}

func newStore() *store {
	st := &store{
		nextID: map[string]int64{
			"user": 400746600, "customer": 519543200, "ticket": 82750000, "message": 218850000, "tag": 1812900,
			"survey": 6960000, "field": 319600, "call": 9100, "event": 91000, "recording": 9500, "summary": 700,
		},
		users: map[int64]*gorgias.User{}, customers: map[int64]*gorgias.Customer{}, customersByEmail: map[string]int64{},
		tickets: map[int64]*ticket{}, messages: map[int64]*gorgias.Message{}, tags: map[int64]*gorgias.Tag{},
		tagsByName: map[string]int64{}, surveys: map[int64]*gorgias.Survey{}, fields: map[int64]*gorgias.CustomField{},
		calls: map[int64]*gorgias.VoiceCall{}, events: map[int64]*gorgias.VoiceCallEvent{},
		recordings: map[int64]*gorgias.VoiceCallRecording{},
		clock:      time.Now,
	}
	st.agentID = st.addUser("Steve", "Frazelli", DefaultEmail).ID
	st.seedFields()
	return st
}

func (st *store) id(kind string) int64 {
	st.nextID[kind]++
	return st.nextID[kind]
}

// now returns a strictly increasing UTC time with microsecond precision,
// so creation order and datetime order agree.
func (st *store) now() *gorgias.Time {
	t := st.clock().UTC().Truncate(time.Microsecond)
	if !t.After(st.lastTimestamp) {
		t = st.lastTimestamp.Add(time.Microsecond)
	}
	st.lastTimestamp = t
	return &gorgias.Time{Time: t}
}

func (st *store) addUser(first, last, email string) *gorgias.User {
	name := first + " " + last
	u := &gorgias.User{ID: st.id("user"), Email: &email, Name: &name, Firstname: first, Lastname: last,
		Meta: map[string]any{"name_set_via": "agent"}}
	st.users[u.ID] = u
	return u
}

// customerFor finds or creates the customer a reference names.
func (st *store) customerFor(ref *gorgias.CustomerRef) (*gorgias.Customer, bool) {
	if ref == nil {
		return nil, false
	}
	if ref.ID > 0 {
		c, ok := st.customers[ref.ID]
		return c, ok
	}
	if ref.Email == "" {
		return nil, false
	}
	if id, ok := st.customersByEmail[ref.Email]; ok {
		return st.customers[id], true
	}
	return st.addCustomer(ref.Name, ref.Email), true
}

func (st *store) addCustomer(name, email string) *gorgias.Customer {
	now := st.now()
	id := st.id("customer")
	c := &gorgias.Customer{ID: id, Email: &email, Meta: map[string]any{"name_set_via": "email"}}
	if name != "" {
		c.Name = &name
		c.Firstname, c.Lastname, _ = cutSpace(name)
	}
	c.Channels = []gorgias.CustomerChannel{{ID: id + 1_000_000, Type: "email", Address: email, Preferred: true,
		CreatedDatetime: now, UpdatedDatetime: now, User: &gorgias.NamedRef{ID: id, Name: c.Name},
		Customer: &gorgias.NamedRef{ID: id, Name: c.Name}}}
	c.Integrations = map[string]json.RawMessage{}
	c.ExternalData = map[string]json.RawMessage{}
	c.EcommerceData = map[string]json.RawMessage{}
	st.customers[id] = c
	st.customersByEmail[email] = id
	return c
}

func cutSpace(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// compactCustomer is the customer as list items and messages embed it.
func compactCustomer(c *gorgias.Customer) *gorgias.Customer {
	if c == nil {
		return nil
	}
	return &gorgias.Customer{ID: c.ID, Email: c.Email, Name: c.Name, Firstname: c.Firstname, Lastname: c.Lastname, Meta: c.Meta}
}

func userAsSender(u *gorgias.User) *gorgias.User {
	if u == nil {
		return nil
	}
	cp := *u
	cp.Bio = nil
	return &cp
}

func customerAsUser(c *gorgias.Customer) *gorgias.User {
	if c == nil {
		return nil
	}
	return &gorgias.User{ID: c.ID, Email: c.Email, Name: c.Name, Firstname: c.Firstname, Lastname: c.Lastname, Meta: c.Meta}
}

// tag management -----------------------------------------------------------

func (st *store) addTag(name, description, color string) *gorgias.Tag {
	t := &gorgias.Tag{ID: st.id("tag"), Name: name, Decoration: &gorgias.Decoration{Color: color},
		Usage: ptr(0), CreatedDatetime: st.now()}
	if t.Decoration.Color == "" {
		t.Decoration.Color = "#000000"
	}
	if description != "" {
		t.Description = &description
	}
	t.URI = "/api/tags/" + strconv.FormatInt(t.ID, 10) + "/"
	st.tags[t.ID] = t
	st.tagsByName[name] = t.ID
	return t
}

// tagNamed finds a tag by name, creating it if unknown.
func (st *store) tagNamed(name string) *gorgias.Tag {
	if id, ok := st.tagsByName[name]; ok {
		return st.tags[id]
	}
	return st.addTag(name, "", "")
}

func (st *store) addTicketTag(t *ticket, tagID int64) {
	if slices.Contains(t.tagIDs, tagID) {
		return
	}
	t.tagIDs = append(t.tagIDs, tagID)
	*st.tags[tagID].Usage++
}

func (st *store) removeTicketTag(t *ticket, tagID int64) {
	if i := slices.Index(t.tagIDs, tagID); i >= 0 {
		t.tagIDs = slices.Delete(t.tagIDs, i, i+1)
		if tag, ok := st.tags[tagID]; ok {
			*tag.Usage--
		}
	}
}

func (st *store) deleteTag(id int64) {
	tag := st.tags[id]
	for _, t := range st.tickets {
		if i := slices.Index(t.tagIDs, id); i >= 0 {
			t.tagIDs = slices.Delete(t.tagIDs, i, i+1)
		}
	}
	delete(st.tagsByName, tag.Name)
	delete(st.tags, id)
}

// tickets ------------------------------------------------------------------

func (st *store) deleteTicket(t *ticket) {
	for _, id := range t.messageIDs {
		delete(st.messages, id)
	}
	for _, id := range slices.Clone(t.tagIDs) {
		st.removeTicketTag(t, id)
	}
	if t.surveyID != 0 {
		delete(st.surveys, t.surveyID)
	}
	for _, c := range st.calls {
		if c.TicketID != nil && *c.TicketID == t.ID {
			c.TicketID = nil
		}
	}
	delete(st.tickets, t.ID)
}

// addMessage stores a message on a ticket and updates the ticket.
func (st *store) addMessage(t *ticket, m *gorgias.Message) {
	m.ID = st.id("message")
	m.TicketID = t.ID
	m.URI = "/api/tickets/" + strconv.FormatInt(t.ID, 10) + "/messages/" + strconv.FormatInt(m.ID, 10) + "/"
	st.messages[m.ID] = m
	t.messageIDs = append(t.messageIDs, m.ID)
	t.LastMessageDatetime = m.CreatedDatetime
	if !gorgias.Deref(m.FromAgent) {
		t.LastReceivedMessageDatetime = m.CreatedDatetime
	}
	t.UpdatedDatetime = m.CreatedDatetime
}

func (st *store) removeMessage(t *ticket, id int64) {
	delete(st.messages, id)
	if i := slices.Index(t.messageIDs, id); i >= 0 {
		t.messageIDs = slices.Delete(t.messageIDs, i, i+1)
	}
}

// renderTicket is the full ticket, as get, create and update return it.
func (st *store) renderTicket(t *ticket, withCustomFields bool) gorgias.Ticket {
	out := t.Ticket
	out.Customer = st.customers[t.Customer.ID]
	out.Tags = st.ticketTags(t)
	out.Messages = make([]gorgias.Message, 0, len(t.messageIDs))
	for _, id := range t.messageIDs {
		out.Messages = append(out.Messages, *st.messages[id])
	}
	out.Events = []json.RawMessage{}
	if t.surveyID != 0 {
		s := *st.surveys[t.surveyID]
		s.URI = ""
		out.SatisfactionSurvey = &s
	}
	out.ReplyOptions = map[string]gorgias.ReplyOption{
		string(t.Channel): {Answerable: true},
		"internal-note":   {Answerable: true},
	}
	if withCustomFields && len(t.fieldValues) > 0 {
		out.CustomFields = map[string]gorgias.TicketCustomField{}
		for id, v := range t.fieldValues {
			out.CustomFields[strconv.FormatInt(id, 10)] = gorgias.TicketCustomField{ID: id, Value: v}
		}
	}
	return out
}

// renderCompact is a ticket as the list returns it.
func (st *store) renderCompact(t *ticket) gorgias.Ticket {
	out := t.Ticket
	out.Customer = compactCustomer(st.customers[t.Customer.ID])
	out.Tags = st.ticketTags(t)
	out.AssigneeUserID, out.AssigneeTeamID, out.Imported, out.ProcessedDatetime = nil, nil, nil, nil
	excerpt := ""
	if n := len(t.messageIDs); n > 0 {
		if body := st.messages[t.messageIDs[n-1]].BodyText; body != nil {
			excerpt = *body
			if len(excerpt) > 100 {
				excerpt = excerpt[:100]
			}
		}
	}
	out.Excerpt = &excerpt
	count := len(t.messageIDs)
	out.MessagesCount = &count
	out.Integrations = []gorgias.TicketIntegration{{Name: "Acme Support", Address: "support@acme.example", Type: "email"}}
	return out
}

func (st *store) ticketTags(t *ticket) []gorgias.TicketTag {
	tags := make([]gorgias.TicketTag, 0, len(t.tagIDs))
	for _, id := range t.tagIDs {
		tag := st.tags[id]
		tags = append(tags, gorgias.TicketTag{ID: tag.ID, Name: tag.Name, Decoration: tag.Decoration})
	}
	return tags
}
