package gorgiastest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Messages: GET /api/messages and POST, GET, PUT, DELETE
// /api/tickets/{id}/messages[/{message}].

var messageList = createdSpec(func(m *message) ts { return m.created }, "created_datetime:desc")

func (st *store) listMessages(c *call) *apiError {
	ticketID, err := filterID(c, "ticket_id")
	if err != nil {
		return err
	}
	src := fromIndexes(map[string]*index[*message]{"created": st.messagesBy.created})
	if ticketID != 0 {
		var set []*message
		if t, ok := st.tickets[ticketID]; ok {
			set = t.messages
		}
		src = fromSet(messageList, set)
	}
	return serveList(c, messageList, src, nil, writeMessage)
}

// messageInput is a validated message body.
type messageInput struct {
	channel, via                   opt[string]
	fromAgent, public, imported    opt[bool]
	subject, bodyText, bodyHTML    opt[nstr]
	strippedText, strippedHTML     opt[nstr]
	strippedSig, messageID         opt[nstr]
	externalID                     opt[nstr]
	source                         opt[json.RawMessage]
	sender, receiver               personRef
	attachments                    []attachment
	attachmentsSet                 bool
	macros, actions, headers, meta opt[json.RawMessage]
	integrationID                  opt[int64]
	created, sent, failed          opt[ts]
	deleted, opened                opt[ts]
	lastSendingError               opt[json.RawMessage]
}

// readMessage reads a message body; create enforces the fields a new
// message needs (messageCreateRequires).
func (st *store) readMessage(o *obj, create bool) *messageInput {
	if create {
		o.require(messageCreateRequires...)
	}
	in := &messageInput{
		channel: o.enum("channel", st.channelList()), via: o.enum("via", vias),
		fromAgent: o.bool("from_agent"), public: o.bool("public"), imported: o.bool("imported"),
		subject: o.nstr("subject"), bodyText: o.nstr("body_text"), bodyHTML: o.nstr("body_html"),
		strippedText: o.nstr("stripped_text"), strippedHTML: o.nstr("stripped_html"),
		strippedSig: o.nstr("stripped_signature"), messageID: o.nstr("message_id"), externalID: o.nstr("external_id"),
		headers: o.mapping("headers"), meta: o.mapping("meta"), integrationID: o.int("integration_id"),
		created: o.time("created_datetime"), sent: o.time("sent_datetime"), failed: o.time("failed_datetime"),
		deleted: o.time("deleted_datetime"), opened: o.time("opened_datetime"),
		lastSendingError: o.mapping("last_sending_error"),
	}
	o.maxLen("external_id", opt[string]{v: in.externalID.v.v, set: in.externalID.val()}, 255)
	if src := o.child("source"); src != nil {
		src.enum("type", sourceTypes)
		in.source = opt[json.RawMessage]{v: o.fields["source"], set: true}
	}
	in.sender = st.readPerson(o, "sender", true)
	in.receiver = st.readPerson(o, "receiver", true)
	if items, ok := o.children("attachments"); ok {
		in.attachmentsSet = true
		for _, a := range items {
			if a == nil {
				continue
			}
			a.require("url", "name", "content_type")
			at := attachment{url: a.str("url").v, name: a.str("name").v, contentType: a.str("content_type").v,
				size: -1, public: true, extra: a.mapping("extra").v}
			if size := a.int("size"); size.val() {
				if size.v < 0 {
					a.err("Must be greater than or equal to 0.", "size")
				}
				at.size = size.v
			}
			if p := a.bool("public"); p.val() {
				at.public = p.v
			}
			in.attachments = append(in.attachments, at)
		}
	}
	for _, name := range []string{"macros", "actions"} {
		if items, ok := o.children(name); ok {
			raw := o.fields[name]
			if name == "macros" {
				in.macros = opt[json.RawMessage]{v: raw, set: true}
				for _, m := range items {
					if m != nil {
						m.require("id")
						m.int("id")
					}
				}
			} else {
				in.actions = opt[json.RawMessage]{v: raw, set: true}
			}
		}
	}
	if ids, ok := o.ints("mention_ids"); ok {
		for i, id := range ids {
			if _, found := st.users[id]; !found {
				o.err("User with id "+strconv.FormatInt(id, 10)+" does not exist.", "mention_ids", strconv.Itoa(i))
			}
		}
	}
	return in
}

// newMessage builds a message from a valid body. A message without
// sent_datetime (or failed_datetime) is sent now, as Gorgias would send it.
func (st *store) newMessage(t *ticket, in *messageInput) *message {
	now := st.now()
	m := &message{base: st.born("message"), public: true, created: now, processed: now}
	st.applyMessage(t, m, in)
	if m.via == "" {
		m.via = "api"
	}
	if m.sent == 0 && m.failed == 0 {
		m.sent = now
	}
	if !in.public.set && m.channel == "internal-note" {
		m.public = false
	}
	agent, cust := party{user: st.agent}, party{customer: t.customer}
	if m.sender == (party{}) {
		m.sender = map[bool]party{true: agent, false: cust}[m.fromAgent]
	}
	if m.receiver == (party{}) && m.channel != "internal-note" {
		m.receiver = map[bool]party{true: cust, false: agent}[m.fromAgent]
	}
	return m
}

// applyMessage applies the fields of a body to a message.
func (st *store) applyMessage(t *ticket, m *message, in *messageInput) {
	in.channel.valTo(&m.channel)
	in.via.valTo(&m.via)
	in.fromAgent.valTo(&m.fromAgent)
	in.public.valTo(&m.public)
	in.imported.valTo(&m.imported)
	in.subject.setTo(&m.subject)
	in.bodyText.setTo(&m.bodyText)
	in.bodyHTML.setTo(&m.bodyHTML)
	if in.bodyHTML.set {
		m.htmlFromText = false
	}
	in.created.setTo(&m.created)
	in.sent.setTo(&m.sent)
	in.failed.setTo(&m.failed)
	if !in.sender.empty() {
		m.sender = in.sender.resolve(st)
	}
	if !in.receiver.empty() {
		m.receiver = in.receiver.resolve(st)
	}
	if !in.rare() {
		return
	}
	x := m.more()
	in.strippedText.setTo(&x.strippedText)
	in.strippedHTML.setTo(&x.strippedHTML)
	in.strippedSig.setTo(&x.strippedSig)
	in.messageID.setTo(&x.messageID)
	in.externalID.setTo(&x.externalID)
	in.source.setTo(&x.source)
	in.macros.setTo(&x.macros)
	in.actions.setTo(&x.actions)
	in.headers.setTo(&x.headers)
	in.meta.setTo(&x.meta)
	if in.lastSendingError.set {
		x.lastSendingError = in.lastSendingError.v // nil for null
	}
	if in.integrationID.set {
		x.integrationID = in.integrationID.v
	}
	if in.attachmentsSet {
		x.attachments = in.attachments
	}
	in.deleted.setTo(&x.deleted)
	in.opened.setTo(&x.opened)
}

// rare reports whether the body sets any of messageExtra's fields.
func (in *messageInput) rare() bool {
	return in.strippedText.set || in.strippedHTML.set || in.strippedSig.set || in.messageID.set || in.externalID.set ||
		in.source.set || in.macros.set || in.actions.set || in.headers.set || in.meta.set || in.lastSendingError.set ||
		in.integrationID.set || in.attachmentsSet || in.deleted.set || in.opened.set
}

func (st *store) createMessage(c *call) *apiError {
	t, err := find(c, st.tickets, "id")
	if err != nil {
		return err
	}
	in, err := st.readMessageBody(c, true, "Failed to create message")
	if err != nil {
		return err
	}
	m := st.newMessage(t, in)
	st.addMessage(t, m)
	st.webhooks.fire(st, "ticket-message-created", t, m)
	c.ok(func(e *enc) { writeMessage(e, m) })
	return nil
}

// readMessageBody checks the action of the query string and reads the
// message body of a create (all of its required fields) or an update; a
// body that fails its checks is answered with failure.
func (st *store) readMessageBody(c *call, create bool, failure string) (*messageInput, *apiError) {
	if err := checkAction(c); err != nil {
		return nil, err
	}
	o, err := readObject(c)
	if err != nil {
		return nil, err
	}
	in := st.readMessage(o, create)
	if err := o.fail(failure); err != nil {
		return nil, err
	}
	return in, nil
}

// findMessage finds the message the path names, through its own ticket.
func (st *store) findMessage(c *call) (*message, *apiError) {
	t, err := find(c, st.tickets, "id")
	if err != nil {
		return nil, err
	}
	m, err := find(c, st.messages, "message")
	if err != nil || m.ticket != t {
		return nil, notFound()
	}
	return m, nil
}

func (st *store) getMessage(c *call) *apiError {
	m, err := st.findMessage(c)
	if err != nil {
		return err
	}
	c.ok(func(e *enc) { writeMessage(e, m) })
	return nil
}

// updateMessage changes only the fields sent: none is required.
func (st *store) updateMessage(c *call) *apiError {
	m, err := st.findMessage(c)
	if err != nil {
		return err
	}
	in, err := st.readMessageBody(c, false, "Failed to update message")
	if err != nil {
		return err
	}
	if in.created.set {
		st.messagesBy.created.update(m, func() { st.applyMessage(m.ticket, m, in) })
	} else {
		st.applyMessage(m.ticket, m, in)
	}
	st.touch(m.ticket, 0)
	c.ok(func(e *enc) { writeMessage(e, m) })
	return nil
}

func (st *store) deleteMessage(c *call) *apiError {
	m, err := st.findMessage(c)
	if err != nil {
		return err
	}
	st.removeMessage(m)
	c.status(http.StatusNoContent)
	return nil
}

func writeMessage(e *enc, m *message) {
	x := m.extra()
	tid := strconv.FormatInt(m.ticket.id, 10)
	e.open()
	e.k("id").int(m.id)
	e.k("uri").str("/api/tickets/" + tid + "/messages/" + strconv.FormatInt(m.id, 10) + "/")
	e.k("message_id").nstr(x.messageID)
	e.k("ticket_id").int(m.ticket.id)
	e.k("external_id").nstr(x.externalID)
	e.k("public").bool(m.public)
	e.k("channel").str(m.channel)
	e.k("via").str(m.via)
	e.k("source")
	writeSource(e, m)
	e.k("sender")
	writeParty(e, m.sender)
	e.k("auth_customer_identity").null()
	e.k("integration_id").id(x.integrationID)
	e.k("intents")
	if m.intent > 0 {
		e.raw(seedIntents[m.intent])
	} else {
		e.arr()
		e.end()
	}
	e.k("rule_id").null()
	e.k("from_agent").bool(m.fromAgent)
	e.k("receiver")
	writeParty(e, m.receiver)
	e.k("subject").nstr(m.subject)
	e.k("body_text").nstr(m.bodyText)
	e.k("body_html")
	if m.htmlFromText && m.bodyText.ok {
		e.str("<div>" + m.bodyText.v + "</div>")
	} else {
		e.nstr(m.bodyHTML)
	}
	e.k("stripped_text").nstr(x.strippedText)
	e.k("stripped_html").nstr(x.strippedHTML)
	e.k("stripped_signature").nstr(x.strippedSig)
	e.k("attachments").arr()
	for _, a := range x.attachments {
		e.open()
		e.k("url").str(a.url)
		e.k("name").str(a.name)
		e.k("size")
		if a.size < 0 {
			e.null()
		} else {
			e.int(a.size)
		}
		e.k("content_type").str(a.contentType)
		e.k("public").bool(a.public)
		e.k("extra").raw(a.extra)
		e.close()
	}
	e.end()
	e.k("macros")
	if x.macros == nil && m.macro > 0 {
		e.raw(seedMacros[m.macro])
	} else {
		e.raw(x.macros)
	}
	e.k("actions").raw(x.actions)
	e.k("headers").raw(x.headers)
	e.k("imported").bool(m.imported)
	e.k("meta").raw(x.meta)
	e.k("created_datetime").time(m.created)
	e.k("processed_datetime").time(m.processed)
	e.k("deleted_datetime").time(x.deleted)
	e.k("sent_datetime").time(m.sent)
	e.k("failed_datetime").time(m.failed)
	e.k("opened_datetime").time(x.opened)
	e.k("last_sending_error").raw(x.lastSendingError)
	e.k("is_retriable")
	if m.channel == "internal-note" { // nothing to send: null
		e.null()
	} else {
		e.bool(m.failed != 0 || m.sent != 0)
	}
	e.close()
}

// writeSource writes the source as sent, or one derived from the sender
// and receiver.
func writeSource(e *enc, m *message) {
	if src := m.extra().source; src != nil {
		e.raw(src)
		return
	}
	e.open()
	kind := m.channel
	if kind == "internal-note" {
		e.k("type").str(kind)
		e.close()
		return
	}
	e.k("type").str(kind)
	e.k("to").arr()
	writeAddress(e, m.receiver)
	e.end()
	if kind == "email" {
		for _, k := range []string{"cc", "bcc"} {
			e.k(k)
			if m.quirks.has(nullLists) {
				e.null()
			} else {
				e.arr()
				e.end()
			}
		}
	}
	e.k("from")
	writeAddress(e, m.sender)
	if m.quirks.has(novelField) {
		e.k("x_gorgias_new_field").raw(novelSourceValue)
	}
	e.close()
}

// writeAddress writes a party as a source address: {id, name, address}
// for a customer, {name, address} for the help desk's own address.
func writeAddress(e *enc, p party) {
	name, addr := p.address()
	e.open()
	if p.customer != nil {
		e.k("id").int(p.customer.id)
	}
	e.k("name").nstr(name)
	e.k("address").strOrNull(addr) // no sender, or a customer without email
	e.close()
}
