package gorgiastest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-gorgias/gorgias"
)

// routes registers the 36 operations.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	st := s.store
	handle := func(pattern string, h func(http.ResponseWriter, *http.Request) *apiError) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if err := h(w, r); err != nil {
				err.write(w)
			}
		})
	}
	handle("GET /api/tickets", st.listTickets)
	handle("POST /api/tickets", st.createTicket)
	handle("GET /api/tickets/{id}", st.getTicket)
	handle("PUT /api/tickets/{id}", st.updateTicket)
	handle("DELETE /api/tickets/{id}", st.deleteTicketHandler)

	handle("GET /api/tickets/{id}/tags", st.listTicketTags)
	handle("POST /api/tickets/{id}/tags", st.changeTicketTags)
	handle("PUT /api/tickets/{id}/tags", st.changeTicketTags)
	handle("DELETE /api/tickets/{id}/tags", st.changeTicketTags)

	handle("GET /api/tickets/{id}/custom-fields", st.listCustomFields)
	handle("PUT /api/tickets/{id}/custom-fields", st.replaceCustomFields)
	handle("PUT /api/tickets/{id}/custom-fields/{field}", st.updateCustomField)
	handle("DELETE /api/tickets/{id}/custom-fields/{field}", st.deleteCustomField)

	handle("GET /api/messages", st.listMessages)
	handle("POST /api/tickets/{id}/messages", st.createMessage)
	handle("GET /api/tickets/{id}/messages/{message}", st.getMessage)
	handle("PUT /api/tickets/{id}/messages/{message}", st.updateMessage)
	handle("DELETE /api/tickets/{id}/messages/{message}", st.deleteMessage)

	handle("GET /api/tags", st.listTags)
	handle("POST /api/tags", st.createTag)
	handle("DELETE /api/tags", st.deleteTags)
	handle("GET /api/tags/{id}", st.getTag)
	handle("PUT /api/tags/{id}", st.updateTag)
	handle("DELETE /api/tags/{id}", st.deleteTagHandler)
	handle("PUT /api/tags/{id}/merge", st.mergeTags)

	handle("GET /api/satisfaction-surveys", st.listSurveys)
	handle("POST /api/satisfaction-surveys", st.createSurvey)
	handle("GET /api/satisfaction-surveys/{id}", st.getSurvey)
	handle("PUT /api/satisfaction-surveys/{id}", st.updateSurvey)

	handle("GET /api/phone/voice-calls", st.listCalls)
	handle("GET /api/phone/voice-calls/{id}", st.getCall)
	handle("GET /api/phone/voice-call-events", st.listEvents)
	handle("GET /api/phone/voice-call-events/{id}", st.getEvent)
	handle("GET /api/phone/voice-call-recordings", st.listRecordings)
	handle("GET /api/phone/voice-call-recordings/{id}", st.getRecording)
	handle("DELETE /api/phone/voice-call-recordings/{id}", st.deleteRecording)
	return mux
}

// route finds the handler; unknown paths are 404 and known paths with
// another method 405, both with the API's JSON error body.
func (s *Server) route(r *http.Request) (http.Handler, string) {
	if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
		r.URL.Path = strings.TrimSuffix(p, "/") // the API accepts both
	}
	if _, pattern := s.mux.Handler(r); pattern != "" {
		return s.mux, pattern // ServeMux.ServeHTTP sets the path values
	}
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" {
			return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				writeError(w, http.StatusMethodNotAllowed, "The specified HTTP method is not allowed.", nil)
			}), r.Method + " (not allowed)"
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { notFound().write(w) }), "not found"
}

// helpers ------------------------------------------------------------------

func pathID(r *http.Request, name string) (int64, *apiError) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound()
	}
	return id, nil
}

// decode reads a JSON body into v.
func decode(r *http.Request, v any) *apiError {
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(r.Body)
	if len(bytes.TrimSpace(buf.Bytes())) == 0 {
		return &apiError{status: http.StatusBadRequest, msg: "The request body is empty: a JSON body is required."}
	}
	if err := json.Unmarshal(buf.Bytes(), v); err != nil {
		return &apiError{status: http.StatusBadRequest, msg: "Invalid JSON body: " + err.Error()}
	}
	return nil
}

func queryID(r *http.Request, name string, fields fieldErrors) int64 {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		fields.add("Must be greater than or equal to 1.", name)
	}
	return id
}

// filterID reads an optional id filter of a list, such as ticket_id.
func filterID(r *http.Request, name string) (int64, *apiError) {
	fields := fieldErrors{}
	id := queryID(r, name, fields)
	if len(fields) > 0 {
		return 0, badRequest(fields)
	}
	return id, nil
}

func timeKey(t *gorgias.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(gorgias.TimeLayout)
}

// tickets ------------------------------------------------------------------

var ticketList = listSpec[ticket]{
	orders: map[string]order[ticket]{
		"created_datetime:asc":  {key: func(t *ticket) string { return timeKey(t.CreatedDatetime) }},
		"created_datetime:desc": {key: func(t *ticket) string { return timeKey(t.CreatedDatetime) }, desc: true},
		"updated_datetime:asc":  {key: func(t *ticket) string { return timeKey(t.UpdatedDatetime) }},
		"updated_datetime:desc": {key: func(t *ticket) string { return timeKey(t.UpdatedDatetime) }, desc: true},
	},
	defaultOrder: "created_datetime:desc",
	id:           func(t *ticket) int64 { return t.ID },
}

func (st *store) listTickets(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	fields := fieldErrors{}
	customerID := queryID(r, "customer_id", fields)
	queryID(r, "view_id", fields)
	queryID(r, "rule_id", fields)
	var ids []int64
	for _, v := range q["ticket_ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			fields.add("Not a valid integer.", "ticket_ids")
		}
		ids = append(ids, id)
	}
	if len(ids) > maxLimit {
		fields.add("Longer than maximum length 100.", "ticket_ids")
	}
	var trashed *bool
	if v := q.Get("trashed"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fields.add("Not a valid boolean.", "trashed")
		}
		trashed = &b
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}
	externalID := q.Get("external_id")
	items := make([]*ticket, 0, len(st.tickets))
	for _, t := range st.tickets {
		switch {
		case customerID != 0 && t.Customer.ID != customerID,
			externalID != "" && (t.ExternalID == nil || *t.ExternalID != externalID),
			len(ids) > 0 && !slices.Contains(ids, t.ID),
			trashed != nil && *trashed != (t.TrashedDatetime != nil):
			continue
		}
		items = append(items, t)
	}
	serveList(w, r, ticketList, items, st.renderCompact)
	return nil
}

func (st *store) ticketByPath(r *http.Request) (*ticket, *apiError) { return byPath(r, st.tickets) }

func (st *store) getTicket(w http.ResponseWriter, r *http.Request) *apiError {
	t, err := st.ticketByPath(r)
	if err != nil {
		return err
	}
	withFields := slices.Contains(r.URL.Query()["relationships"], "custom_fields")
	writeJSON(w, http.StatusOK, st.renderTicket(t, withFields))
	return nil
}

func (st *store) createTicket(w http.ResponseWriter, r *http.Request) *apiError {
	var req gorgias.CreateTicketRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	if len(req.Messages) == 0 {
		fields.add(missing, "messages")
	}
	for i := range req.Messages {
		validateMessage(&req.Messages[i], fields, "messages", strconv.Itoa(i))
	}
	ref := req.Customer
	if ref == nil && len(req.Messages) > 0 && req.Messages[0].Sender != nil && req.Messages[0].FromAgent != nil && !*req.Messages[0].FromAgent {
		ref = req.Messages[0].Sender
	}
	cust, ok := st.customerFor(ref)
	if !ok && len(fields) == 0 {
		fields.add(missing, "customer")
	}
	st.validateTagRefs(req.Tags, fields)
	st.validateFieldUpdates(req.CustomFields, fields, "custom_fields")
	if len(fields) > 0 {
		return &apiError{status: http.StatusBadRequest, msg: "Failed to create ticket", data: fields}
	}
	channel := req.Channel
	if channel == "" {
		channel = req.Messages[0].Channel
	}
	via := req.Via
	if via == "" {
		via = gorgias.ViaAPI
	}
	subject := req.Subject
	if subject == "" {
		subject = req.Messages[0].Subject
	}
	t := st.newTicket(cust, channel, via, subject)
	if req.Status != "" {
		t.Status = req.Status
	}
	if req.Priority != "" {
		t.Priority = ptr(req.Priority)
	}
	t.Meta = req.Meta
	if req.ExternalID != "" {
		t.ExternalID = &req.ExternalID
	}
	if req.Language != "" {
		t.Language = &req.Language
	}
	if req.FromAgent != nil {
		t.FromAgent = req.FromAgent
	} else {
		t.FromAgent = req.Messages[0].FromAgent
	}
	if req.AssigneeUser != nil {
		st.assignUser(t, req.AssigneeUser.ID)
	}
	if req.AssigneeTeam != nil {
		t.AssigneeTeam = &gorgias.Team{ID: req.AssigneeTeam.ID, Name: "Team " + strconv.FormatInt(req.AssigneeTeam.ID, 10), Decoration: map[string]any{}}
		t.AssigneeTeamID = &req.AssigneeTeam.ID
	}
	for _, ref := range req.Tags {
		st.addTicketTag(t, st.tagFor(ref).ID)
	}
	for _, u := range req.CustomFields {
		t.fieldValues[u.ID], _ = gorgias.NewFieldValue(u.Value)
	}
	t.ClosedDatetime, t.SnoozeDatetime, t.TrashedDatetime = req.ClosedDatetime, req.SnoozeDatetime, req.TrashedDatetime
	if t.Status == gorgias.StatusClosed && t.ClosedDatetime == nil {
		t.ClosedDatetime = st.now()
	}
	for i := range req.Messages {
		st.addMessage(t, st.messageFrom(t, cust, &req.Messages[i]))
	}
	writeJSON(w, http.StatusOK, st.renderTicket(t, false))
	return nil
}

func (st *store) assignUser(t *ticket, id int64) {
	u, ok := st.users[id]
	if !ok {
		name := "Agent " + strconv.FormatInt(id, 10)
		u = &gorgias.User{ID: id, Name: &name, Firstname: "Agent", Lastname: strconv.FormatInt(id, 10)}
	}
	t.AssigneeUser, t.AssigneeUserID = u, &u.ID
}

func validateMessage(m *gorgias.CreateMessageRequest, fields fieldErrors, prefix ...string) {
	if m.Channel == "" {
		fields.add(missing, append(prefix, "channel")...)
	}
	if m.FromAgent == nil {
		fields.add(missing, append(prefix, "from_agent")...)
	}
	for i, a := range m.Attachments {
		if a.URL == "" || a.Name == "" || a.ContentType == "" {
			fields.add("url, name and content_type are required.", append(prefix, "attachments", strconv.Itoa(i))...)
		}
	}
}

func (st *store) validateTagRefs(refs []gorgias.TagRef, fields fieldErrors) {
	for i, ref := range refs {
		if ref.ID == 0 && ref.Name == "" {
			fields.add("An id or a name is required.", "tags", strconv.Itoa(i))
		} else if ref.ID != 0 && st.tags[ref.ID] == nil {
			fields.add("Tag not found.", "tags", strconv.Itoa(i), "id")
		}
	}
}

func (st *store) tagFor(ref gorgias.TagRef) *gorgias.Tag {
	if ref.ID != 0 {
		return st.tags[ref.ID]
	}
	tag := st.tagNamed(ref.Name)
	if ref.Decoration != nil && ref.Decoration.Color != "" {
		tag.Decoration = &gorgias.Decoration{Color: ref.Decoration.Color}
	}
	return tag
}

// messageMacros turns a request's macro references into a message's.
func messageMacros(refs []gorgias.IDRef) []gorgias.MessageMacro {
	if refs == nil {
		return nil
	}
	macros := make([]gorgias.MessageMacro, len(refs))
	for i, r := range refs {
		macros[i].ID = r.ID
	}
	return macros
}

// messageFrom builds a stored message from a request. A message with no
// sent_datetime is "sent" now, as Gorgias would send it.
func (st *store) messageFrom(t *ticket, cust *gorgias.Customer, req *gorgias.CreateMessageRequest) *gorgias.Message {
	now := st.now()
	m := &gorgias.Message{Channel: req.Channel, Via: req.Via, FromAgent: ptr(*req.FromAgent), Public: ptr(true),
		Attachments: req.Attachments, Macros: messageMacros(req.Macros), Actions: req.Actions, Headers: req.Headers, Meta: req.Meta,
		IntegrationID: req.IntegrationID, Intents: []gorgias.Intent{}, Imported: req.Imported, IsRetriable: ptr(true),
		CreatedDatetime: now, ProcessedDatetime: now, SentDatetime: req.SentDatetime}
	if m.Via == "" {
		m.Via = gorgias.ViaAPI
	}
	if req.Public != nil {
		m.Public = ptr(*req.Public)
	}
	if m.Attachments == nil {
		m.Attachments = []gorgias.Attachment{}
	}
	if req.CreatedDatetime != nil {
		m.CreatedDatetime = req.CreatedDatetime
	}
	if m.SentDatetime == nil {
		m.SentDatetime = now
	}
	for _, p := range []*struct {
		dst **string
		v   string
	}{{&m.Subject, req.Subject}, {&m.BodyText, req.BodyText}, {&m.BodyHTML, req.BodyHTML}, {&m.StrippedText, req.StrippedText},
		{&m.StrippedHTML, req.StrippedHTML}, {&m.StrippedSignature, req.StrippedSignature}, {&m.MessageID, req.MessageID}, {&m.ExternalID, req.ExternalID}} {
		if p.v != "" {
			*p.dst = ptr(p.v)
		}
	}
	m.Source = req.Source
	if m.Source == nil {
		m.Source = &gorgias.MessageSource{Type: gorgias.SourceType(req.Channel)}
	}
	agent := userAsSender(st.users[st.agentID])
	customer := customerAsUser(cust)
	if *m.FromAgent {
		m.Sender, m.Receiver = agent, customer
		if req.Channel == gorgias.ChannelInternalNote {
			m.Receiver = nil
		}
	} else {
		m.Sender, m.Receiver = customer, agent
	}
	if req.Sender != nil {
		if c, ok := st.customerFor(req.Sender); ok {
			m.Sender = customerAsUser(c)
		} else if u, ok := st.users[req.Sender.ID]; ok {
			m.Sender = userAsSender(u)
		}
	}
	if req.Receiver != nil {
		if c, ok := st.customerFor(req.Receiver); ok {
			m.Receiver = customerAsUser(c)
		}
	}
	return m
}

func (st *store) updateTicket(w http.ResponseWriter, r *http.Request) *apiError {
	t, apiErr := st.ticketByPath(r)
	if apiErr != nil {
		return apiErr
	}
	var req gorgias.UpdateTicketRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	st.validateTagRefs(req.Tags, fields)
	st.validateFieldUpdates(req.CustomFields, fields, "custom_fields")
	var cust *gorgias.Customer
	if req.Customer != nil {
		var ok bool
		if cust, ok = st.customerFor(req.Customer); !ok {
			fields.add("Customer not found.", "customer")
		}
	}
	if len(fields) > 0 {
		return &apiError{status: http.StatusBadRequest, msg: "Failed to update ticket", data: fields}
	}
	if cust != nil {
		t.Customer = &gorgias.Customer{ID: cust.ID}
	}
	if req.Subject != nil {
		t.Subject = req.Subject
	}
	if req.Channel != "" {
		t.Channel = req.Channel
	}
	if req.Via != "" {
		t.Via = req.Via
	}
	if req.Priority != "" {
		t.Priority = ptr(req.Priority)
	}
	if req.Spam != nil {
		t.Spam = req.Spam
	}
	if req.FromAgent != nil {
		t.FromAgent = req.FromAgent
	}
	if req.IsUnread != nil {
		t.IsUnread = ptr(*req.IsUnread)
	}
	applyNullable(req.Language, &t.Language)
	applyNullable(req.ExternalID, &t.ExternalID)
	if !req.Meta.IsZero() {
		t.Meta, _ = req.Meta.Get()
	}
	if ref, ok := req.AssigneeUser.Get(); ok {
		st.assignUser(t, ref.ID)
	} else if req.AssigneeUser.IsNull() {
		t.AssigneeUser, t.AssigneeUserID = nil, nil
	}
	if ref, ok := req.AssigneeTeam.Get(); ok {
		t.AssigneeTeam = &gorgias.Team{ID: ref.ID, Name: "Team " + strconv.FormatInt(ref.ID, 10), Decoration: map[string]any{}}
		t.AssigneeTeamID = &ref.ID
	} else if req.AssigneeTeam.IsNull() {
		t.AssigneeTeam, t.AssigneeTeamID = nil, nil
	}
	if req.Tags != nil {
		for _, id := range slices.Clone(t.tagIDs) {
			st.removeTicketTag(t, id)
		}
		for _, ref := range req.Tags {
			st.addTicketTag(t, st.tagFor(ref).ID)
		}
	}
	for _, u := range req.CustomFields {
		t.fieldValues[u.ID], _ = gorgias.NewFieldValue(u.Value)
	}
	applyNullableTime(req.OpenedDatetime, &t.OpenedDatetime)
	applyNullableTime(req.LastMessageDatetime, &t.LastMessageDatetime)
	applyNullableTime(req.LastReceivedMessageDatetime, &t.LastReceivedMessageDatetime)
	applyNullableTime(req.ClosedDatetime, &t.ClosedDatetime)
	applyNullableTime(req.SnoozeDatetime, &t.SnoozeDatetime)
	applyNullableTime(req.TrashedDatetime, &t.TrashedDatetime)
	if req.Status != "" && req.Status != t.Status {
		t.Status = req.Status
		if t.Status == gorgias.StatusClosed && req.ClosedDatetime.IsZero() {
			t.ClosedDatetime = st.now()
		}
		if t.Status == gorgias.StatusOpen {
			t.ClosedDatetime = nil
		}
	}
	t.UpdatedDatetime = st.now()
	if req.UpdatedDatetime != nil {
		t.UpdatedDatetime = req.UpdatedDatetime
	}
	writeJSON(w, http.StatusOK, st.renderTicket(t, false))
	return nil
}

func applyNullable[T any](n gorgias.Nullable[T], dst **T) {
	if v, ok := n.Get(); ok {
		*dst = &v
	} else if n.IsNull() {
		*dst = nil
	}
}

func applyNullableTime(n gorgias.Nullable[gorgias.Time], dst **gorgias.Time) { applyNullable(n, dst) }

func (st *store) deleteTicketHandler(w http.ResponseWriter, r *http.Request) *apiError {
	t, err := st.ticketByPath(r)
	if err != nil {
		return err
	}
	st.deleteTicket(t)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ticket tags --------------------------------------------------------------

func (st *store) listTicketTags(w http.ResponseWriter, r *http.Request) *apiError {
	t, err := st.ticketByPath(r)
	if err != nil {
		return err
	}
	tags := make([]*gorgias.Tag, 0, len(t.tagIDs))
	for _, id := range t.tagIDs {
		tags = append(tags, st.tags[id])
	}
	writeJSON(w, http.StatusOK, dataOnly{Data: tags})
	return nil
}

// changeTicketTags adds (POST), replaces (PUT) or removes (DELETE) a
// ticket's tags. Unknown names are created, as ticket creation does.
func (st *store) changeTicketTags(w http.ResponseWriter, r *http.Request) *apiError {
	t, apiErr := st.ticketByPath(r)
	if apiErr != nil {
		return apiErr
	}
	var req gorgias.TicketTagsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	if len(req.IDs) == 0 && len(req.Names) == 0 && r.Method != http.MethodPut {
		fields.add("ids or names is required.", "ids")
	}
	for i, id := range req.IDs {
		if st.tags[id] == nil {
			fields.add("Tag not found.", "ids", strconv.Itoa(i))
		}
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}
	named := slices.Clone(req.IDs)
	for _, name := range req.Names {
		if r.Method == http.MethodDelete {
			if id, ok := st.tagsByName[name]; ok {
				named = append(named, id)
			}
			continue
		}
		named = append(named, st.tagNamed(name).ID)
	}
	switch r.Method {
	case http.MethodPost:
		for _, id := range named {
			st.addTicketTag(t, id)
		}
	case http.MethodPut:
		for _, id := range slices.Clone(t.tagIDs) {
			if !slices.Contains(named, id) {
				st.removeTicketTag(t, id)
			}
		}
		for _, id := range named {
			st.addTicketTag(t, id)
		}
	case http.MethodDelete:
		for _, id := range named {
			st.removeTicketTag(t, id)
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	t.UpdatedDatetime = st.now()
	w.WriteHeader(http.StatusOK) // the live API: 200 with an empty body
	return nil
}

// custom fields ------------------------------------------------------------

type customFieldValue struct {
	Field      *gorgias.CustomField `json:"field"`
	Prediction any                  `json:"prediction"`
	Value      gorgias.FieldValue   `json:"value"`
}

func (st *store) fieldValues(t *ticket) []customFieldValue {
	out := []customFieldValue{}
	for _, id := range st.fieldIDs() {
		if v, ok := t.fieldValues[id]; ok {
			out = append(out, customFieldValue{Field: st.fields[id], Value: v})
		}
	}
	return out
}

func (st *store) listCustomFields(w http.ResponseWriter, r *http.Request) *apiError {
	t, err := st.ticketByPath(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataOnly{Data: st.fieldValues(t)})
	return nil
}

// checkFieldValue checks a value against its field's data type.
func (st *store) checkFieldValue(fieldID int64, raw json.RawMessage) string {
	def, ok := st.fields[fieldID]
	if !ok {
		return "Custom field not found."
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "Invalid value."
	}
	switch v.(type) {
	case string:
		if def.Definition.DataType == gorgias.FieldDataTypeText {
			return ""
		}
	case float64:
		if def.Definition.DataType == gorgias.FieldDataTypeNumber {
			return ""
		}
	case bool:
		if def.Definition.DataType == gorgias.FieldDataTypeBoolean {
			return ""
		}
	}
	return "Not a valid " + string(def.Definition.DataType) + " value."
}

func (st *store) validateFieldUpdates(updates []gorgias.CustomFieldUpdate, fields fieldErrors, prefix string) {
	for i, u := range updates {
		raw, _ := json.Marshal(u.Value)
		if msg := st.checkFieldValue(u.ID, raw); msg != "" {
			fields.add(msg, prefix, strconv.Itoa(i), "value")
		}
	}
}

func (st *store) replaceCustomFields(w http.ResponseWriter, r *http.Request) *apiError {
	t, apiErr := st.ticketByPath(r)
	if apiErr != nil {
		return apiErr
	}
	var updates []struct {
		ID    int64           `json:"id"`
		Value json.RawMessage `json:"value"`
	}
	if err := decode(r, &updates); err != nil {
		return err
	}
	fields := fieldErrors{}
	for i, u := range updates {
		if msg := st.checkFieldValue(u.ID, u.Value); msg != "" {
			fields.add(msg, strconv.Itoa(i), "value")
		}
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}
	t.fieldValues = map[int64]gorgias.FieldValue{}
	for _, u := range updates {
		var fv gorgias.FieldValue
		_ = fv.UnmarshalJSON(u.Value)
		t.fieldValues[u.ID] = fv
	}
	writeJSON(w, http.StatusOK, dataOnly{Data: st.fieldValues(t)})
	return nil
}

// updateCustomField accepts the bare value, as the reference documents,
// and {"id": …, "value": …}, as some clients send.
func (st *store) updateCustomField(w http.ResponseWriter, r *http.Request) *apiError {
	t, apiErr := st.ticketByPath(r)
	if apiErr != nil {
		return apiErr
	}
	fieldID, apiErr := pathID(r, "field")
	if apiErr != nil {
		return apiErr
	}
	if st.fields[fieldID] == nil {
		return notFound()
	}
	var raw json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	var wrapped struct {
		Value json.RawMessage `json:"value"`
	}
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &wrapped) == nil && wrapped.Value != nil {
		raw = wrapped.Value
	}
	if msg := st.checkFieldValue(fieldID, raw); msg != "" {
		fields := fieldErrors{}
		fields.add(msg, "value")
		return badRequest(fields)
	}
	var fv gorgias.FieldValue
	_ = fv.UnmarshalJSON(raw)
	t.fieldValues[fieldID] = fv
	writeJSON(w, http.StatusOK, customFieldValue{Field: st.fields[fieldID], Value: fv})
	return nil
}

func (st *store) deleteCustomField(w http.ResponseWriter, r *http.Request) *apiError {
	t, apiErr := st.ticketByPath(r)
	if apiErr != nil {
		return apiErr
	}
	fieldID, apiErr := pathID(r, "field")
	if apiErr != nil {
		return apiErr
	}
	if _, ok := t.fieldValues[fieldID]; !ok {
		return notFound()
	}
	delete(t.fieldValues, fieldID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// messages -----------------------------------------------------------------

var messageList = createdList(func(v *gorgias.Message) (*gorgias.Time, int64) { return v.CreatedDatetime, v.ID }, "created_datetime:desc")

func (st *store) listMessages(w http.ResponseWriter, r *http.Request) *apiError {
	ticketID, apiErr := filterID(r, "ticket_id")
	if apiErr != nil {
		return apiErr
	}
	var items []*gorgias.Message
	if ticketID != 0 {
		if t, ok := st.tickets[ticketID]; ok {
			for _, id := range t.messageIDs {
				items = append(items, st.messages[id])
			}
		}
	} else {
		items = make([]*gorgias.Message, 0, len(st.messages))
		for _, m := range st.messages {
			items = append(items, m)
		}
	}
	serveList(w, r, messageList, items, func(m *gorgias.Message) *gorgias.Message { return m })
	return nil
}

func validAction(r *http.Request) *apiError {
	switch r.URL.Query().Get("action") {
	case "", "force", "retry", "cancel":
		return nil
	}
	fields := fieldErrors{}
	fields.add("Must be one of: force, retry, cancel.", "action")
	return badRequest(fields)
}

func (st *store) createMessage(w http.ResponseWriter, r *http.Request) *apiError {
	t, apiErr := st.ticketByPath(r)
	if apiErr != nil {
		return apiErr
	}
	if err := validAction(r); err != nil {
		return err
	}
	var req gorgias.CreateMessageRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	validateMessage(&req, fields)
	if len(fields) > 0 {
		return &apiError{status: http.StatusBadRequest, msg: "Failed to create message", data: fields}
	}
	m := st.messageFrom(t, st.customers[t.Customer.ID], &req)
	st.addMessage(t, m)
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (st *store) messageByPath(r *http.Request) (*ticket, *gorgias.Message, *apiError) {
	t, err := st.ticketByPath(r)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "message")
	if err != nil {
		return nil, nil, err
	}
	m, ok := st.messages[id]
	if !ok || m.TicketID != t.ID {
		return nil, nil, notFound()
	}
	return t, m, nil
}

func (st *store) getMessage(w http.ResponseWriter, r *http.Request) *apiError {
	_, m, err := st.messageByPath(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (st *store) updateMessage(w http.ResponseWriter, r *http.Request) *apiError {
	t, m, apiErr := st.messageByPath(r)
	if apiErr != nil {
		return apiErr
	}
	if err := validAction(r); err != nil {
		return err
	}
	var req gorgias.CreateMessageRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	validateMessage(&req, fields)
	if len(fields) > 0 {
		return &apiError{status: http.StatusBadRequest, msg: "Failed to update message", data: fields}
	}
	updated := st.messageFrom(t, st.customers[t.Customer.ID], &req)
	updated.ID, updated.TicketID, updated.URI = m.ID, m.TicketID, m.URI
	updated.CreatedDatetime = m.CreatedDatetime
	if req.SentDatetime == nil {
		updated.SentDatetime = m.SentDatetime
	}
	if req.BodyText == "" {
		updated.BodyText = m.BodyText
	}
	if req.BodyHTML == "" {
		updated.BodyHTML = m.BodyHTML
	}
	*m = *updated
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (st *store) deleteMessage(w http.ResponseWriter, r *http.Request) *apiError {
	t, m, err := st.messageByPath(r)
	if err != nil {
		return err
	}
	st.removeMessage(t, m.ID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tags ---------------------------------------------------------------------

var tagList = listSpec[gorgias.Tag]{
	orders: func() map[string]order[gorgias.Tag] {
		created := func(t *gorgias.Tag) string { return timeKey(t.CreatedDatetime) }
		name := func(t *gorgias.Tag) string { return t.Name }
		usage := func(t *gorgias.Tag) string {
			return strconv.FormatInt(int64(1e9+gorgias.Deref(t.Usage)), 10) + "|" + t.Name
		}
		o := byCreated(created)
		o["created_datetime"] = order[gorgias.Tag]{key: created} // deprecated bare forms
		o["name"] = order[gorgias.Tag]{key: name}
		o["usage"] = order[gorgias.Tag]{key: usage}
		o["name:asc"] = order[gorgias.Tag]{key: name}
		o["name:desc"] = order[gorgias.Tag]{key: name, desc: true}
		o["usage:asc,name:asc"] = order[gorgias.Tag]{key: usage}
		o["usage:desc,name:desc"] = order[gorgias.Tag]{key: usage, desc: true}
		return o
	}(),
	defaultOrder:   "created_datetime:desc",
	id:             func(t *gorgias.Tag) int64 { return t.ID },
	totalResources: true,
}

func (st *store) listTags(w http.ResponseWriter, r *http.Request) *apiError {
	search := strings.ToLower(r.URL.Query().Get("search"))
	items := make([]*gorgias.Tag, 0, len(st.tags))
	for _, t := range st.tags {
		if search == "" || strings.Contains(strings.ToLower(t.Name), search) {
			items = append(items, t)
		}
	}
	serveList(w, r, tagList, items, func(t *gorgias.Tag) *gorgias.Tag { return t })
	return nil
}

func (st *store) tagByPath(r *http.Request) (*gorgias.Tag, *apiError) { return byPath(r, st.tags) }

func validTagName(name string, fields fieldErrors) {
	if strings.TrimSpace(name) == "" {
		fields.add(missing, "name")
	} else if utf8.RuneCountInString(name) > 256 {
		fields.add("Longer than maximum length 256.", "name")
	}
}

func (st *store) createTag(w http.ResponseWriter, r *http.Request) *apiError {
	var req gorgias.CreateTagRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	validTagName(req.Name, fields)
	if req.Decoration != nil && req.Decoration.Color == "" {
		fields.add(missing, "decoration", "color")
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}
	if _, ok := st.tagsByName[req.Name]; ok {
		return conflict()
	}
	color := ""
	if req.Decoration != nil {
		color = req.Decoration.Color
	}
	writeJSON(w, http.StatusOK, st.addTag(req.Name, req.Description, color))
	return nil
}

func (st *store) getTag(w http.ResponseWriter, r *http.Request) *apiError {
	return getByPath(w, r, st.tags)
}

func (st *store) updateTag(w http.ResponseWriter, r *http.Request) *apiError {
	t, apiErr := st.tagByPath(r)
	if apiErr != nil {
		return apiErr
	}
	var req gorgias.UpdateTagRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Name != nil {
		fields := fieldErrors{}
		validTagName(*req.Name, fields)
		if len(fields) > 0 {
			return badRequest(fields)
		}
		if other, ok := st.tagsByName[*req.Name]; ok && other != t.ID {
			return conflict()
		}
		delete(st.tagsByName, t.Name)
		t.Name = *req.Name
		st.tagsByName[t.Name] = t.ID
	}
	applyNullable(req.Description, &t.Description)
	applyNullable(req.Decoration, &t.Decoration)
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (st *store) deleteTagHandler(w http.ResponseWriter, r *http.Request) *apiError {
	t, err := st.tagByPath(r)
	if err != nil {
		return err
	}
	st.deleteTag(t.ID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (st *store) deleteTags(w http.ResponseWriter, r *http.Request) *apiError {
	var req struct {
		IDs []int64 `json:"ids"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if len(req.IDs) == 0 {
		fields := fieldErrors{}
		fields.add(missing, "ids")
		return badRequest(fields)
	}
	for _, id := range req.IDs {
		if st.tags[id] != nil {
			st.deleteTag(id)
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (st *store) mergeTags(w http.ResponseWriter, r *http.Request) *apiError {
	dest, apiErr := st.tagByPath(r)
	if apiErr != nil {
		return apiErr
	}
	var req struct {
		SourceTagsIDs []int64 `json:"source_tags_ids"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	if len(req.SourceTagsIDs) == 0 {
		fields.add(missing, "source_tags_ids")
	}
	for i, id := range req.SourceTagsIDs {
		if st.tags[id] == nil || id == dest.ID {
			fields.add("Not a valid source tag.", "source_tags_ids", strconv.Itoa(i))
		}
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}
	for _, t := range st.tickets {
		for _, src := range req.SourceTagsIDs {
			if slices.Contains(t.tagIDs, src) {
				st.removeTicketTag(t, src)
				st.addTicketTag(t, dest.ID)
			}
		}
	}
	for _, src := range req.SourceTagsIDs {
		st.deleteTag(src)
	}
	writeJSON(w, http.StatusOK, dest)
	return nil
}

// surveys ------------------------------------------------------------------

var surveyList = createdList(func(v *gorgias.Survey) (*gorgias.Time, int64) { return v.CreatedDatetime, v.ID }, "created_datetime:desc")

func (st *store) listSurveys(w http.ResponseWriter, r *http.Request) *apiError {
	ticketID, apiErr := filterID(r, "ticket_id")
	if apiErr != nil {
		return apiErr
	}
	items := make([]*gorgias.Survey, 0, len(st.surveys))
	for _, s := range st.surveys {
		if ticketID == 0 || gorgias.Deref(s.TicketID) == ticketID {
			items = append(items, s)
		}
	}
	serveList(w, r, surveyList, items, func(s *gorgias.Survey) *gorgias.Survey { return s })
	return nil
}

func validScore(score *int, fields fieldErrors) {
	if score != nil && (*score < 1 || *score > 5) {
		fields.add("Must be greater than or equal to 1 and less than or equal to 5.", "score")
	}
}

func (st *store) createSurvey(w http.ResponseWriter, r *http.Request) *apiError {
	var req gorgias.CreateSurveyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	if req.CustomerID == 0 {
		fields.add(missing, "customer_id")
	}
	if req.TicketID == 0 {
		fields.add(missing, "ticket_id")
	}
	validScore(req.Score, fields)
	t, ok := st.tickets[req.TicketID]
	if req.TicketID != 0 && !ok {
		fields.add("Ticket not found.", "ticket_id")
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}
	if t.surveyID != 0 {
		return conflict()
	}
	s := st.addSurvey(t, nil, "", nil)
	s.CustomerID = ptr(req.CustomerID)
	s.Score = req.Score
	if req.BodyText != "" {
		s.BodyText = &req.BodyText
	}
	s.Meta = req.Meta
	s.SentDatetime, s.ScoredDatetime = req.SentDatetime, req.ScoredDatetime
	applyNullableTime(req.ShouldSendDatetime, &s.ShouldSendDatetime)
	if req.CreatedDatetime != nil {
		s.CreatedDatetime = req.CreatedDatetime
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (st *store) surveyByPath(r *http.Request) (*gorgias.Survey, *apiError) {
	return byPath(r, st.surveys)
}

func (st *store) getSurvey(w http.ResponseWriter, r *http.Request) *apiError {
	return getByPath(w, r, st.surveys)
}

func (st *store) updateSurvey(w http.ResponseWriter, r *http.Request) *apiError {
	s, apiErr := st.surveyByPath(r)
	if apiErr != nil {
		return apiErr
	}
	var req gorgias.UpdateSurveyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fields := fieldErrors{}
	if score, ok := req.Score.Get(); ok {
		validScore(&score, fields)
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}
	applyNullable(req.Score, &s.Score)
	applyNullable(req.BodyText, &s.BodyText)
	if !req.Meta.IsZero() {
		s.Meta, _ = req.Meta.Get()
	}
	applyNullableTime(req.SentDatetime, &s.SentDatetime)
	applyNullableTime(req.ScoredDatetime, &s.ScoredDatetime)
	applyNullableTime(req.ShouldSendDatetime, &s.ShouldSendDatetime)
	writeJSON(w, http.StatusOK, s)
	return nil
}

// voice --------------------------------------------------------------------

var (
	callList      = createdList(func(v *gorgias.VoiceCall) (*gorgias.Time, int64) { return v.CreatedDatetime, v.ID }, "created_datetime:desc")
	eventList     = createdList(func(v *gorgias.VoiceCallEvent) (*gorgias.Time, int64) { return v.CreatedDatetime, v.ID }, "created_datetime:asc")
	recordingList = createdList(func(v *gorgias.VoiceCallRecording) (*gorgias.Time, int64) { return v.CreatedDatetime, v.ID }, "created_datetime:desc")
)

// filterByID lists the values of m whose id field matches want (all when
// want is 0).
func filterByID[T any](m map[int64]*T, want int64, field func(*T) int64) []*T {
	items := make([]*T, 0, len(m))
	for _, v := range m {
		if want == 0 || field(v) == want {
			items = append(items, v)
		}
	}
	return items
}

func identity[T any](v *T) *T { return v }

func (st *store) listCalls(w http.ResponseWriter, r *http.Request) *apiError {
	ticketID, apiErr := filterID(r, "ticket_id")
	if apiErr != nil {
		return apiErr
	}
	items := filterByID(st.calls, ticketID, func(c *gorgias.VoiceCall) int64 {
		if c.TicketID == nil {
			return -1
		}
		return *c.TicketID
	})
	serveList(w, r, callList, items, identity[gorgias.VoiceCall])
	return nil
}

func (st *store) listEvents(w http.ResponseWriter, r *http.Request) *apiError {
	callID, apiErr := filterID(r, "call_id")
	if apiErr != nil {
		return apiErr
	}
	items := filterByID(st.events, callID, func(e *gorgias.VoiceCallEvent) int64 { return e.CallID })
	serveList(w, r, eventList, items, identity[gorgias.VoiceCallEvent])
	return nil
}

func (st *store) listRecordings(w http.ResponseWriter, r *http.Request) *apiError {
	callID, apiErr := filterID(r, "call_id")
	if apiErr != nil {
		return apiErr
	}
	items := filterByID(st.recordings, callID, func(rec *gorgias.VoiceCallRecording) int64 { return rec.CallID })
	serveList(w, r, recordingList, items, identity[gorgias.VoiceCallRecording])
	return nil
}

// getByPath answers GET …/{id} from m.
func getByPath[T any](w http.ResponseWriter, r *http.Request, m map[int64]*T) *apiError {
	v, err := byPath(r, m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// byPath finds the object the path's {id} names in m, or answers 404.
func byPath[T any](r *http.Request, m map[int64]*T) (*T, *apiError) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	v, ok := m[id]
	if !ok {
		return nil, notFound()
	}
	return v, nil
}

func (st *store) getCall(w http.ResponseWriter, r *http.Request) *apiError {
	return getByPath(w, r, st.calls)
}

func (st *store) getEvent(w http.ResponseWriter, r *http.Request) *apiError {
	return getByPath(w, r, st.events)
}

func (st *store) getRecording(w http.ResponseWriter, r *http.Request) *apiError {
	return getByPath(w, r, st.recordings)
}

// deleteRecording marks the recording deleted, as the API's
// deleted_datetime and deleted_by_user_id fields show it does.
func (st *store) deleteRecording(w http.ResponseWriter, r *http.Request) *apiError {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rec, ok := st.recordings[id]
	if !ok || rec.DeletedDatetime != nil {
		return notFound()
	}
	rec.DeletedDatetime = st.now()
	rec.DeletedByUserID = ptr(st.agentID)
	rec.URL = nil
	w.WriteHeader(http.StatusNoContent)
	return nil
}
