package gorgiastest

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// The store keeps the help desk in compact records of its own (not the
// SDK's types): datetimes are microseconds, nullable strings are values,
// free-form JSON stays raw, and a record's wire form is written only when
// it is served (wire.go). Each resource's file says how its records
// change; this file holds what they share. The Server's mutex guards it.

// ts is a datetime: microseconds since the Unix epoch, UTC; 0 is null.
type ts int64

func tsOf(t time.Time) ts {
	if t.IsZero() {
		return 0
	}
	return ts(t.UnixMicro())
}

// Time returns the datetime as a time.Time in UTC (zero for null).
func (t ts) Time() time.Time {
	if t == 0 {
		return time.Time{}
	}
	return time.UnixMicro(int64(t)).UTC()
}

// nstr is a nullable string.
type nstr struct {
	v  string
	ok bool
}

func some(s string) nstr { return nstr{s, true} }

// base is what every record has: its id, and when it becomes visible to
// reads (0: at once; see Fault.VisibleAfter).
type base struct {
	id        int64
	visibleAt ts
}

func (b *base) hidden(now ts) bool { return b.visibleAt > now }
func (b *base) ID() int64          { return b.id }

// record is implemented by every stored record.
type record interface {
	hidden(now ts) bool
	ID() int64
}

type user struct {
	base
	email, first, last string
}

func (u *user) name() string { return u.first + " " + u.last }

type team struct {
	base
	name, emoji string
}

type customer struct {
	base
	email       string
	name        nstr
	first, last string
	created     ts
	tickets     []*ticket // in creation order
}

type tag struct {
	base
	name        string
	description nstr
	color       string // "" renders decoration null
	usage       int
	usageNull   bool // usage not counted yet: null until the tag is used
	created     ts
}

type ticket struct {
	base
	externalID, language, subject      nstr
	status, priority, channel, via     string
	fromAgent, spam, imported, unread  bool
	quirks                             quirks // shapes of live answers, on seeded tickets
	customer                           *customer
	assigneeUser                       *user
	assigneeTeam                       *team
	meta                               json.RawMessage
	tags                               []*tag
	messages                           []*message   // in creation order
	fields                             []fieldEntry // sorted by id
	survey                             *survey
	created, processed, opened         ts
	lastReceived, lastMessage, updated ts
	closed, trashed, snooze            ts
}

// party is a message's sender or receiver: a user or a customer.
type party struct {
	user     *user
	customer *customer
}

type attachment struct {
	url, name, contentType string
	size                   int64 // -1: null
	public                 bool
	extra                  json.RawMessage
}

type message struct {
	base
	ticket                                    *ticket
	public, fromAgent, imported, htmlFromText bool // htmlFromText: body_html is <div>body_text</div>
	quirks                                    quirks
	intent, macro                             uint8 // seeded intents and macros: indexes in seedIntents, seedMacros
	channel, via                              string
	sender, receiver                          party
	subject, bodyText, bodyHTML               nstr
	created, processed, sent, failed          ts
	x                                         *messageExtra // the fields most messages lack
}

// messageExtra holds what few messages have, to keep messages small.
type messageExtra struct {
	messageID, externalID                   nstr
	source                                  json.RawMessage // as sent; nil: derived from sender and receiver
	integrationID                           int64
	strippedText, strippedHTML, strippedSig nstr
	attachments                             []attachment
	macros, actions, headers, meta          json.RawMessage
	lastSendingError                        json.RawMessage // an object, as sent
	deleted, opened                         ts
}

var noExtra messageExtra

// extra returns the message's rare fields, for reading.
func (m *message) extra() *messageExtra {
	if m.x == nil {
		return &noExtra
	}
	return m.x
}

// more returns the message's rare fields, for writing.
func (m *message) more() *messageExtra {
	if m.x == nil {
		m.x = &messageExtra{}
	}
	return m.x
}

type survey struct {
	base
	ticket                        *ticket
	customer                      *customer
	score                         int // 0: null
	bodyText                      nstr
	meta                          json.RawMessage
	created, sent, scored, sendAt ts // sendAt is should_send_datetime
}

// store is the help desk.
type store struct {
	nextID map[string]int64
	clock  *clock
	last   ts // the latest datetime handed out
	// visibleAfter delays the visibility of what the current request
	// creates (see Fault.VisibleAfter).
	visibleAfter time.Duration
	channels     []string // accepted channels, beyond the documented ones

	agent     *user // the user the credentials act as
	users     map[int64]*user
	teams     map[int64]*team
	customers map[int64]*customer
	byEmail   map[string]*customer

	tickets    map[int64]*ticket
	ticketsBy  struct{ created, updated *index[*ticket] }
	byExternal map[string][]*ticket

	messages   map[int64]*message
	messagesBy struct{ created *index[*message] }

	tags   map[int64]*tag
	byName map[string]*tag
	tagsBy struct{ created, name, usage *index[*tag] }

	surveys   map[int64]*survey
	surveysBy struct{ created *index[*survey] }

	fields map[int64]*fieldDef

	calls        map[int64]*voiceCall
	callsBy      struct{ created *index[*voiceCall] }
	events       map[int64]*callEvent
	eventsBy     struct{ created *index[*callEvent] }
	recordings   map[int64]*recording
	recordingsBy struct{ created *index[*recording] }

	views map[int64]*view
	rules map[int64]*view

	webhooks *webhooks // integrations and their deliveries (deliveries.go)
}

func newStore(c *clock) *store {
	st := &store{
		nextID: map[string]int64{
			"user": 400746600, "team": 5020, "customer": 519543200, "ticket": 82750000, "message": 218850000, "tag": 1812900,
			"survey": 6960000, "field": 319600, "call": 9100, "event": 91000, "recording": 9500, "summary": 700,
			"view": 1270000, "rule": 88000,
		},
		clock: c,
		users: map[int64]*user{}, teams: map[int64]*team{}, customers: map[int64]*customer{}, byEmail: map[string]*customer{},
		tickets: map[int64]*ticket{}, byExternal: map[string][]*ticket{}, messages: map[int64]*message{},
		tags: map[int64]*tag{}, byName: map[string]*tag{}, surveys: map[int64]*survey{}, fields: map[int64]*fieldDef{},
		calls: map[int64]*voiceCall{}, events: map[int64]*callEvent{}, recordings: map[int64]*recording{},
		views: map[int64]*view{}, rules: map[int64]*view{},
	}
	st.ticketsBy.created = newIndex(byCreated[*ticket](func(t *ticket) ts { return t.created }))
	st.ticketsBy.updated = newIndex(byCreated[*ticket](func(t *ticket) ts { return t.updated }))
	st.messagesBy.created = newIndex(byCreated[*message](func(m *message) ts { return m.created }))
	st.tagsBy.created = newIndex(byCreated[*tag](func(t *tag) ts { return t.created }))
	st.tagsBy.name = newIndex(tagByName)
	st.tagsBy.usage = newIndex(tagByUsage)
	st.surveysBy.created = newIndex(byCreated[*survey](func(s *survey) ts { return s.created }))
	st.callsBy.created = newIndex(byCreated[*voiceCall](func(c *voiceCall) ts { return c.created }))
	st.eventsBy.created = newIndex(byCreated[*callEvent](func(e *callEvent) ts { return e.created }))
	st.recordingsBy.created = newIndex(byCreated[*recording](func(r *recording) ts { return r.created }))
	st.agent = st.addUser("Steve", "Frazelli", DefaultEmail)
	st.seedAccount()
	return st
}

func (st *store) id(kind string) int64 {
	st.nextID[kind]++
	return st.nextID[kind]
}

// now returns the clock's time, strictly after every datetime handed out
// before, so creation order and datetime order agree and updated_datetime
// moves on every write even when the clock stands still.
func (st *store) now() ts {
	t := tsOf(st.clock.now())
	if t <= st.last {
		t = st.last + 1
	}
	st.last = t
	return t
}

// peek is the clock's time, for visibility checks: it hands nothing out.
func (st *store) peek() ts { return max(tsOf(st.clock.now()), st.last) }

// born fills a new record's base.
func (st *store) born(kind string) base {
	b := base{id: st.id(kind)}
	if st.visibleAfter > 0 {
		b.visibleAt = tsOf(st.clock.now().Add(st.visibleAfter))
	}
	return b
}

func (st *store) addUser(first, last, email string) *user {
	u := &user{base: base{id: st.id("user")}, email: email, first: first, last: last}
	st.users[u.id] = u
	return u
}

func (st *store) addTeam(name, emoji string) *team {
	t := &team{base: base{id: st.id("team")}, name: name, emoji: emoji}
	st.teams[t.id] = t
	return t
}

func (st *store) addCustomer(name, email string) *customer {
	c := &customer{base: st.born("customer"), email: email, created: st.now()}
	if name != "" {
		c.name = some(name)
		c.first, c.last, _ = cutSpace(name)
	}
	st.customers[c.id] = c
	st.byEmail[email] = c
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

// tags ---------------------------------------------------------------------

func (st *store) addTag(name string, description nstr, color string) *tag {
	t := &tag{base: st.born("tag"), name: name, description: description, color: color, created: st.now()}
	if t.color == "" {
		t.color = "#000000" // the API assigns one
	}
	st.tags[t.id] = t
	st.byName[name] = t
	st.tagsBy.created.insert(t)
	st.tagsBy.name.insert(t)
	st.tagsBy.usage.insert(t)
	return t
}

// tagNamed finds a tag by name, creating it if unknown.
func (st *store) tagNamed(name string) *tag {
	if t, ok := st.byName[name]; ok {
		return t
	}
	return st.addTag(name, nstr{}, "")
}

func (st *store) setUsage(t *tag, delta int) {
	st.tagsBy.usage.update(t, func() { t.usage, t.usageNull = t.usage+delta, false })
}

func (st *store) renameTag(t *tag, name string) {
	delete(st.byName, t.name)
	st.tagsBy.name.update(t, func() { t.name = name })
	st.tagsBy.usage.update(t, func() {}) // usage ties break by name
	st.byName[name] = t
}

func (st *store) addTicketTag(t *ticket, tg *tag) bool {
	if slices.Contains(t.tags, tg) {
		return false
	}
	t.tags = append(t.tags, tg)
	st.setUsage(tg, 1)
	return true
}

func (st *store) removeTicketTag(t *ticket, tg *tag) bool {
	i := slices.Index(t.tags, tg)
	if i < 0 {
		return false
	}
	t.tags = slices.Delete(t.tags, i, i+1)
	st.setUsage(tg, -1)
	return true
}

func (st *store) deleteTag(tg *tag) {
	for _, t := range st.tickets {
		if i := slices.Index(t.tags, tg); i >= 0 {
			t.tags = slices.Delete(t.tags, i, i+1)
		}
	}
	st.tagsBy.created.remove(tg)
	st.tagsBy.name.remove(tg)
	st.tagsBy.usage.remove(tg)
	delete(st.byName, tg.name)
	delete(st.tags, tg.id)
}

// tickets ------------------------------------------------------------------

// newTicket stores an open ticket without messages.
func (st *store) newTicket(cust *customer, channel, via string, subject nstr, created ts) *ticket {
	t := &ticket{base: st.born("ticket"), status: "open", priority: "normal", channel: channel, via: via,
		customer: cust, language: some("en"), subject: subject}
	if created == 0 {
		created = st.now()
	}
	t.created, t.updated, t.processed = created, created, created
	st.tickets[t.id] = t
	st.ticketsBy.created.insert(t)
	st.ticketsBy.updated.insert(t)
	cust.tickets = append(cust.tickets, t)
	return t
}

// touch moves a ticket's updated_datetime to now (or to at, when set).
func (st *store) touch(t *ticket, at ts) {
	if at == 0 {
		at = st.now()
	}
	st.ticketsBy.updated.update(t, func() { t.updated = at })
}

func (st *store) setExternalID(t *ticket, id nstr) {
	if t.externalID.ok {
		st.byExternal[t.externalID.v] = slices.DeleteFunc(st.byExternal[t.externalID.v], func(x *ticket) bool { return x == t })
		if len(st.byExternal[t.externalID.v]) == 0 {
			delete(st.byExternal, t.externalID.v)
		}
	}
	t.externalID = id
	if id.ok {
		st.byExternal[id.v] = append(st.byExternal[id.v], t)
	}
}

func (st *store) setCustomer(t *ticket, c *customer) {
	old := t.customer
	old.tickets = slices.DeleteFunc(old.tickets, func(x *ticket) bool { return x == t })
	t.customer = c
	c.tickets = append(c.tickets, t)
}

func (st *store) deleteTicket(t *ticket) {
	for _, m := range t.messages {
		st.messagesBy.created.remove(m)
		delete(st.messages, m.id)
	}
	for _, tg := range slices.Clone(t.tags) {
		st.removeTicketTag(t, tg)
	}
	if t.survey != nil {
		st.deleteSurvey(t.survey)
	}
	for _, c := range st.calls {
		if c.ticket == t {
			c.ticket = nil
		}
	}
	st.setExternalID(t, nstr{})
	t.customer.tickets = slices.DeleteFunc(t.customer.tickets, func(x *ticket) bool { return x == t })
	st.ticketsBy.created.remove(t)
	st.ticketsBy.updated.remove(t)
	delete(st.tickets, t.id)
}

// addMessage stores a message on its ticket and updates the ticket.
func (st *store) addMessage(t *ticket, m *message) {
	m.ticket = t
	st.messages[m.id] = m
	st.messagesBy.created.insert(m)
	t.messages = append(t.messages, m)
	t.lastMessage = max(t.lastMessage, m.created)
	if !m.fromAgent {
		t.lastReceived = max(t.lastReceived, m.created)
	}
	st.touch(t, max(m.created, t.updated))
}

func (st *store) removeMessage(m *message) {
	t := m.ticket
	t.messages = slices.DeleteFunc(t.messages, func(x *message) bool { return x == m })
	st.messagesBy.created.remove(m)
	delete(st.messages, m.id)
	st.touch(t, 0)
}

// surveys ------------------------------------------------------------------

func (st *store) addSurvey(t *ticket, created ts) *survey {
	if created == 0 {
		created = st.now()
	}
	s := &survey{base: st.born("survey"), ticket: t, customer: t.customer, created: created}
	st.surveys[s.id] = s
	st.surveysBy.created.insert(s)
	t.survey = s
	return s
}

func (st *store) deleteSurvey(s *survey) {
	if s.ticket != nil && s.ticket.survey == s {
		s.ticket.survey = nil
	}
	st.surveysBy.created.remove(s)
	delete(st.surveys, s.id)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func ptr[T any](v T) *T { return &v }
