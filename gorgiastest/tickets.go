package gorgiastest

import (
	"encoding/json"
	"slices"
	"strconv"
)

// Tickets: GET, POST /api/tickets and GET, PUT, DELETE /api/tickets/{id}.

var ticketList = listSpec[*ticket]{
	keys: map[string]keyFunc[*ticket]{
		"created": byCreated(func(t *ticket) ts { return t.created }),
		"updated": byCreated(func(t *ticket) ts { return t.updated }),
	},
	orders: map[string]order{
		"created_datetime:asc":  {by: "created"},
		"created_datetime:desc": {by: "created", desc: true},
		"updated_datetime:asc":  {by: "updated"},
		"updated_datetime:desc": {by: "updated", desc: true},
	},
	defaultOrder: "created_datetime:desc",
}

func (st *store) listTickets(c *call) *apiError {
	q := c.r.URL.Query()
	fields := fieldErrors{}
	customerID := queryID(c, "customer_id", fields)
	viewID := queryID(c, "view_id", fields)
	ruleID := queryID(c, "rule_id", fields)
	var ids []int64
	for _, v := range q["ticket_ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			fields.add(msgInteger, "ticket_ids")
		}
		ids = append(ids, id)
	}
	if len(ids) > maxLimit {
		fields.add("Longer than maximum length 100.", "ticket_ids")
	}
	var trashed opt[bool]
	if v := q.Get("trashed"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fields.add(msgBoolean, "trashed")
		}
		trashed = opt[bool]{v: b, set: true}
	}
	var filters []*view
	for _, f := range []struct {
		id    int64
		m     map[int64]*view
		param string
	}{{viewID, st.views, "view_id"}, {ruleID, st.rules, "rule_id"}} {
		if f.id > 0 {
			if v, ok := f.m[f.id]; ok {
				filters = append(filters, v)
			} else {
				fields.add("No "+f.param[:len(f.param)-3]+" with this id.", f.param)
			}
		}
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}

	// The candidates: a small set when a filter names one, else the index.
	src := fromIndexes(map[string]*index[*ticket]{"created": st.ticketsBy.created, "updated": st.ticketsBy.updated})
	switch externalID := q.Get("external_id"); {
	case len(ids) > 0:
		var set []*ticket
		for _, id := range ids {
			if t, ok := st.tickets[id]; ok && !slices.Contains(set, t) {
				set = append(set, t)
			}
		}
		src = fromSet(ticketList, set)
	case externalID != "":
		src = fromSet(ticketList, st.byExternal[externalID])
	case customerID != 0:
		var set []*ticket
		if cu, ok := st.customers[customerID]; ok {
			set = cu.tickets
		}
		src = fromSet(ticketList, set)
	}
	keep := func(t *ticket) bool {
		switch {
		case customerID != 0 && t.customer.id != customerID,
			q.Has("external_id") && t.externalID != some(q.Get("external_id")),
			trashed.set && !trashed.v && t.trashed != 0: // trashed: whether to include them (default true)
			return false
		}
		for _, v := range filters {
			if !v.filter.match(t) {
				return false
			}
		}
		return true
	}
	return serveList(c, ticketList, src, keep, st.writeCompactTicket)
}

func (st *store) getTicket(c *call) *apiError {
	withFields := slices.Contains(c.r.URL.Query()["relationships"], "custom_fields")
	return getOne(c, st.tickets, func(e *enc, t *ticket) { st.writeTicket(e, t, withFields) })
}

// ticketInput is a validated create or update body, applied only when
// the whole body is valid.
type ticketInput struct {
	status, priority, channel, via opt[string]
	subject, externalID, language  opt[nstr]
	fromAgent, spam, imported      opt[bool]
	unread                         opt[bool]
	meta                           opt[json.RawMessage]
	customer                       personRef
	assigneeUser                   opt[*user]
	assigneeTeam                   opt[*team]
	tags                           []tagRef
	tagsSet                        bool
	fields                         []fieldValue
	created, opened, lastMessage   opt[ts]
	lastReceived, updated, closed  opt[ts]
	snooze, trashed                opt[ts]
	messages                       []*messageInput
}

// readTicket reads the fields create and update share.
func (st *store) readTicket(o *obj) *ticketInput {
	in := &ticketInput{
		status: o.enum("status", statuses), priority: o.enum("priority", priorities),
		channel: o.enum("channel", st.channelList()), via: o.enum("via", vias),
		subject: o.nstr("subject"), externalID: o.nstr("external_id"), language: o.nstr("language"),
		fromAgent: o.bool("from_agent"), spam: o.bool("spam"), imported: o.bool("imported"), unread: o.bool("is_unread"),
		meta:   o.mapping("meta"),
		opened: o.time("opened_datetime"), lastMessage: o.time("last_message_datetime"),
		lastReceived: o.time("last_received_message_datetime"), updated: o.time("updated_datetime"),
		closed: o.time("closed_datetime"), snooze: o.time("snooze_datetime"), trashed: o.time("trashed_datetime"),
	}
	o.maxLen("external_id", opt[string]{v: in.externalID.v.v, set: in.externalID.val()}, 255)
	u, set, null := ref(o, "assignee_user", st.users, "User")
	in.assigneeUser = opt[*user]{v: u, set: set, null: null}
	tm, set, null := ref(o, "assignee_team", st.teams, "Team")
	in.assigneeTeam = opt[*team]{v: tm, set: set, null: null}
	in.tags, in.tagsSet = st.readTagRefs(o, "tags")
	in.fields = st.readFieldValues(o, "custom_fields")
	if o.has("customer") && !isNull(o.fields["customer"]) {
		in.customer = st.readPerson(o, "customer", false)
	} else if o.has("customer") {
		o.err(msgNull, "customer")
	}
	return in
}

func (st *store) createTicket(c *call) *apiError {
	o, err := readObject(c)
	if err != nil {
		return err
	}
	o.require(ticketCreateRequires...)
	in := st.readTicket(o)
	in.created = o.time("created_datetime")
	msgs, ok := o.children("messages")
	if ok && len(msgs) == 0 {
		o.err("Shorter than minimum length 1.", "messages")
	}
	for _, m := range msgs {
		if m != nil {
			in.messages = append(in.messages, st.readMessage(m, true))
		}
	}
	if in.customer.empty() && len(o.errs) == 0 {
		in.customer = deriveCustomer(in.messages[0])
		if in.customer.empty() || in.customer.user != nil {
			o.err(msgMissing, "customer")
		}
	}
	if err := o.fail("Failed to create ticket"); err != nil {
		return err
	}

	first := in.messages[0]
	cust := in.customer.resolve(st).customer
	channel := orStr(in.channel, first.channel.v)
	subject := in.subject.v
	if !in.subject.set && first.subject.val() {
		subject = first.subject.v
	}
	t := st.newTicket(cust, channel, orStr(in.via, "api"), subject, in.created.v)
	t.fromAgent = first.fromAgent.v
	st.applyTicket(t, in)
	for _, m := range in.messages {
		st.addMessage(t, st.newMessage(t, m))
	}
	if in.updated.val() {
		st.touch(t, in.updated.v)
	}
	st.webhooks.fire(st, "ticket-created", t, nil)
	c.ok(func(e *enc) { st.writeTicket(e, t, false) })
	return nil
}

// deriveCustomer is the customer of a ticket created without one: the
// first message's sender when a customer sent it, else its receiver.
func deriveCustomer(m *messageInput) personRef {
	if m.fromAgent.v {
		return m.receiver
	}
	return m.sender
}

func orStr(o opt[string], fallback string) string {
	if o.val() {
		return o.v
	}
	return fallback
}

// applyTicket applies the fields create and update share.
func (st *store) applyTicket(t *ticket, in *ticketInput) {
	in.channel.valTo(&t.channel)
	in.via.valTo(&t.via)
	in.priority.valTo(&t.priority)
	in.subject.setTo(&t.subject)
	in.language.setTo(&t.language)
	if in.externalID.set {
		st.setExternalID(t, in.externalID.v)
	}
	in.fromAgent.valTo(&t.fromAgent)
	in.spam.valTo(&t.spam)
	in.imported.valTo(&t.imported)
	in.unread.valTo(&t.unread)
	if in.unread.set {
		t.quirks &^= nullUnread
	}
	if in.meta.set {
		t.meta = in.meta.v
	}
	if !in.customer.empty() {
		st.setCustomer(t, in.customer.resolve(st).customer)
	}
	if in.assigneeUser.set {
		t.assigneeUser = in.assigneeUser.v
	}
	if in.assigneeTeam.set {
		t.assigneeTeam = in.assigneeTeam.v
	}
	if in.tagsSet {
		for _, tg := range slices.Clone(t.tags) {
			st.removeTicketTag(t, tg)
		}
		for _, r := range in.tags {
			st.addTicketTag(t, r.resolve(st))
		}
	}
	for _, f := range in.fields {
		st.setFieldValue(t, f)
	}
	in.opened.setTo(&t.opened)
	in.lastMessage.setTo(&t.lastMessage)
	in.lastReceived.setTo(&t.lastReceived)
	in.closed.setTo(&t.closed)
	in.snooze.setTo(&t.snooze)
	in.trashed.setTo(&t.trashed)
	if in.status.val() && in.status.v != t.status {
		t.status = in.status.v
		switch {
		case t.status == "closed" && !in.closed.set:
			t.closed = st.now()
		case t.status == "open":
			t.closed = 0
		}
	}
}

func (st *store) updateTicket(c *call) *apiError {
	t, o, err := findWithBody(c, st.tickets)
	if err != nil {
		return err
	}
	in := st.readTicket(o)
	if err := o.fail("Failed to update ticket"); err != nil {
		return err
	}
	st.applyTicket(t, in)
	st.touch(t, in.updated.v)
	st.webhooks.fire(st, "ticket-updated", t, nil)
	c.ok(func(e *enc) { st.writeTicket(e, t, false) })
	return nil
}

func (st *store) deleteTicketHandler(c *call) *apiError {
	return deleteOne(c, st.tickets, st.deleteTicket)
}

// writing -------------------------------------------------------------------

// writeTicket writes the full ticket, as get, create and update return it.
func (st *store) writeTicket(e *enc, t *ticket, withFields bool) {
	e.open()
	writeTicketHead(e, t)
	e.k("events").arr()
	e.end()
	e.k("imported").bool(t.imported)
	e.k("customer")
	writeFullCustomer(e, t.customer)
	e.k("assignee_user")
	writeUser(e, t.assigneeUser, true)
	e.k("assignee_user_id")
	if t.assigneeUser != nil {
		e.int(t.assigneeUser.id)
	} else {
		e.null()
	}
	e.k("assignee_team")
	writeTeam(e, t.assigneeTeam)
	e.k("assignee_team_id")
	if t.assigneeTeam != nil {
		e.int(t.assigneeTeam.id)
	} else {
		e.null()
	}
	e.k("language").nstr(t.language)
	e.k("subject").nstr(t.subject)
	e.k("summary").null()
	e.k("meta").raw(t.meta)
	writeTicketTags(e, t)
	if withFields && len(t.fields) > 0 {
		e.k("custom_fields").open()
		for _, f := range t.fields {
			e.k(strconv.FormatInt(f.id, 10)).open()
			e.k("id").int(f.id)
			e.k("value").raw(f.value)
			e.close()
		}
		e.close()
	}
	e.k("messages").arr()
	for _, m := range st.shown(t) {
		writeMessage(e, m)
	}
	e.end()
	e.k("created_datetime").time(t.created)
	e.k("processed_datetime").time(t.processed)
	writeTicketTimes(e, t)
	e.k("satisfaction_survey")
	if t.survey != nil {
		writeSurvey(e, t.survey, false)
	} else {
		e.null()
	}
	e.k("reply_options").open()
	e.k(t.channel).open()
	e.k("answerable").bool(true)
	e.close()
	if t.channel != "internal-note" {
		e.k("internal-note").open()
		e.k("answerable").bool(true)
		e.close()
	}
	e.close()
	writeUnread(e, t)
	e.close()
}

// writeUnread writes is_unread, and the field the SDK does not know yet
// that some seeded tickets have.
func writeUnread(e *enc, t *ticket) {
	e.k("is_unread")
	if t.quirks.has(nullUnread) {
		e.null()
	} else {
		e.bool(t.unread)
	}
	if t.quirks.has(novelField) {
		e.k("x_gorgias_new_field").raw(novelTicketValue)
	}
}

func writeTicketHead(e *enc, t *ticket) {
	e.k("id").int(t.id)
	e.k("uri").str("/api/tickets/" + strconv.FormatInt(t.id, 10) + "/")
	e.k("external_id").nstr(t.externalID)
	e.k("status").str(t.status)
	e.k("priority").strOrNull(t.priority) // some live tickets have none
	e.k("channel").str(t.channel)
	e.k("via").str(t.via)
	e.k("from_agent").bool(t.fromAgent)
	e.k("spam").bool(t.spam)
}

func writeTicketTimes(e *enc, t *ticket) {
	e.k("opened_datetime").time(t.opened)
	e.k("last_received_message_datetime").time(t.lastReceived)
	e.k("last_message_datetime").time(t.lastMessage)
	e.k("updated_datetime").time(t.updated)
	e.k("closed_datetime").time(t.closed)
	e.k("trashed_datetime").time(t.trashed)
	e.k("snooze_datetime").time(t.snooze)
}

func writeTicketTags(e *enc, t *ticket) {
	e.k("tags").arr()
	for _, tg := range t.tags {
		e.open()
		e.k("id").int(tg.id)
		e.k("name").str(tg.name)
		writeDecoration(e, tg)
		e.close()
	}
	e.end()
}

// writeCompactTicket writes a ticket as the list returns it.
func (st *store) writeCompactTicket(e *enc, t *ticket) {
	messages := st.shown(t)
	e.open()
	writeTicketHead(e, t)
	e.k("language").nstr(t.language)
	e.k("customer")
	writeCustomer(e, t.customer)
	e.k("assignee_user")
	writeUser(e, t.assigneeUser, true)
	e.k("assignee_team")
	writeTeam(e, t.assigneeTeam)
	e.k("subject").nstr(t.subject)
	e.k("excerpt")
	excerpt := ""
	if n := len(messages); n > 0 {
		excerpt = messages[n-1].bodyText.v
		if len(excerpt) > 100 {
			excerpt = excerpt[:100]
		}
	}
	e.str(excerpt)
	e.k("integrations").arr()
	e.open()
	e.k("name").str("Acme Support")
	e.k("address").str("support@acme.example")
	e.k("type").str("email")
	e.close()
	e.end()
	e.k("meta").raw(t.meta)
	writeTicketTags(e, t)
	e.k("messages_count").int(int64(len(messages)))
	writeUnread(e, t)
	e.k("created_datetime").time(t.created)
	writeTicketTimes(e, t)
	e.close()
}

// shown is a ticket's messages that reads see now (see Fault.VisibleAfter).
func (st *store) shown(t *ticket) []*message {
	now := st.peek()
	for i, m := range t.messages {
		if m.hidden(now) { // rare: copy the visible ones
			out := slices.Clone(t.messages[:i])
			for _, m := range t.messages[i+1:] {
				if !m.hidden(now) {
					out = append(out, m)
				}
			}
			return out
		}
	}
	return t.messages
}
