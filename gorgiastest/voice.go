package gorgiastest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
)

// Voice calls, their events and recordings: /api/phone/… (read-only, but
// for deleting a recording).

type voiceCall struct {
	base
	ticket                     *ticket
	customer                   *customer
	answeredBy, rangAgent      *user
	externalID, phoneSource    string
	status, termination        string
	duration                   int // seconds
	hasVoicemail, hasRecording bool
	// sparse calls have the nulls live accounts send: no integration,
	// provider, status, numbers or countries, has_* null.
	sparse           bool
	summary          *callSummary
	created, updated ts
}

type callSummary struct {
	id, recordingID int64
	text            string
	created         ts
}

type callEvent struct {
	base
	call    *voiceCall
	kind    string
	user    *user
	created ts
}

type recording struct {
	base
	call             *voiceCall
	externalID, kind string
	duration         int
	sparse           bool // external_id and duration null
	created, deleted ts
	deletedBy        *user
}

var (
	callList      = createdSpec(func(v *voiceCall) ts { return v.created }, "created_datetime:desc")
	eventList     = createdSpec(func(v *callEvent) ts { return v.created }, "created_datetime:asc")
	recordingList = createdSpec(func(v *recording) ts { return v.created }, "created_datetime:desc")
)

func (st *store) listCalls(c *call) *apiError {
	return serveFiltered(c, "ticket_id", callList, st.callsBy.created, func(v *voiceCall) int64 { return ticketIDOf(v.ticket) }, writeCall)
}

func (st *store) listEvents(c *call) *apiError {
	return serveFiltered(c, "call_id", eventList, st.eventsBy.created, func(v *callEvent) int64 { return v.call.id }, writeEvent)
}

func (st *store) listRecordings(c *call) *apiError {
	return serveFiltered(c, "call_id", recordingList, st.recordingsBy.created, func(v *recording) int64 { return v.call.id }, writeRecording)
}

func (st *store) getCall(c *call) *apiError      { return getOne(c, st.calls, writeCall) }
func (st *store) getEvent(c *call) *apiError     { return getOne(c, st.events, writeEvent) }
func (st *store) getRecording(c *call) *apiError { return getOne(c, st.recordings, writeRecording) }

// deleteRecording marks the recording deleted, as the API's
// deleted_datetime and deleted_by_user_id fields show it does.
func (st *store) deleteRecording(c *call) *apiError {
	rec, err := find(c, st.recordings, "id")
	if err != nil {
		return err
	}
	if rec.deleted != 0 {
		return notFound()
	}
	rec.deleted = st.now()
	rec.deletedBy = st.agent
	c.status(http.StatusNoContent)
	return nil
}

func userID(u *user) int64 {
	if u == nil {
		return 0
	}
	return u.id
}

func writeCall(e *enc, v *voiceCall) {
	// str writes s, or null on a sparse call.
	str := func(s string) {
		if v.sparse {
			e.null()
		} else {
			e.str(s)
		}
	}
	e.open()
	e.k("id").int(v.id)
	e.k("integration_id")
	if v.sparse {
		e.null()
	} else {
		e.int(234)
	}
	e.k("ticket_id")
	if v.ticket != nil {
		e.int(v.ticket.id)
	} else {
		e.null()
	}
	e.k("phone_number_id").int(456)
	e.k("external_id")
	str(v.externalID)
	e.k("provider")
	str("twilio")
	e.k("status")
	str(v.status)
	e.k("direction").str("inbound")
	e.k("phone_number_source")
	str(v.phoneSource)
	e.k("country_source")
	str("US")
	e.k("phone_number_destination")
	str("+17201234567")
	e.k("country_destination")
	str("US")
	e.k("duration").int(int64(v.duration))
	e.k("started_datetime").time(v.created)
	e.k("created_datetime").time(v.created)
	e.k("updated_datetime").time(v.updated)
	e.k("initiated_by_agent_id").null()
	e.k("last_answered_by_agent_id").id(userID(v.answeredBy))
	e.k("customer_id").int(v.customer.id)
	e.k("last_rang_agent_id").id(userID(v.rangAgent))
	for _, p := range []struct {
		k string
		v bool
	}{{"has_voicemail", v.hasVoicemail}, {"has_call_recording", v.hasRecording}} {
		e.k(p.k)
		if v.sparse {
			e.null()
		} else {
			e.bool(p.v)
		}
	}
	e.k("summaries").arr()
	if s := v.summary; s != nil {
		e.open()
		e.k("id").int(s.id)
		e.k("recording_id").int(s.recordingID)
		e.k("summary").str(s.text)
		e.k("created_datetime").time(s.created)
		e.close()
	}
	e.end()
	e.k("termination_status").str(v.termination)
	e.k("queue_id").null()
	e.k("status_in_queue").null()
	e.k("answered_by_external_number").null()
	e.k("answered_by_external_customer_id").null()
	e.k("monitoring_status").str("none")
	e.k("last_monitoring_agent_id").null()
	e.close()
}

func writeEvent(e *enc, v *callEvent) {
	e.open()
	e.k("id").int(v.id)
	e.k("type").str(v.kind)
	e.k("account_id").int(234)
	e.k("call_id").int(v.call.id)
	e.k("user_id").id(userID(v.user))
	e.k("customer_id").int(v.call.customer.id)
	e.k("created_datetime").time(v.created)
	e.k("meta").raw(emptyObject)
	e.close()
}

func writeRecording(e *enc, v *recording) {
	e.open()
	e.k("id").int(v.id)
	e.k("call_id").int(v.call.id)
	e.k("external_id")
	if v.sparse {
		e.null()
	} else {
		e.str(v.externalID)
	}
	e.k("url")
	if v.deleted == 0 {
		e.str("https://uploads.gorgias.io/gorgiastest/" + v.externalID + ".mp3")
	} else {
		e.null()
	}
	e.k("duration")
	if v.sparse {
		e.null()
	} else {
		e.int(int64(v.duration))
	}
	e.k("type").str(v.kind)
	e.k("created_datetime").time(v.created)
	e.k("deleted_datetime").time(v.deleted)
	e.k("deleted_by_user_id").id(userID(v.deletedBy))
	e.k("error_code").null()
	e.k("transcription_status").str("completed")
	e.close()
}

// addCall creates a voice call on a phone ticket with its events: an
// answered call has a recording, a missed one a voicemail or, one time in
// three, nothing at all. It returns the call and its recording, if any.
func (st *store) addCall(t *ticket, agent *user, rng *rand.Rand) (*voiceCall, *recording) {
	now := st.now()
	v := &voiceCall{base: st.born("call"), ticket: t, customer: t.customer, rangAgent: agent,
		externalID: fmt.Sprintf("CA%032x", rng.Uint64()), phoneSource: fmt.Sprintf("+1479%07d", rng.IntN(10_000_000)),
		created: now, updated: now}
	st.calls[v.id] = v
	st.callsBy.created.insert(v)
	st.addEvent(v, "incoming-phone-call", nil)
	st.addEvent(v, "phone-call-ringing", agent)
	answered := rng.IntN(3) > 0
	v.duration = 30 + rng.IntN(600)
	kind := ""
	if answered {
		v.status, v.termination = "completed", "answered"
		v.answeredBy, v.hasRecording, kind = agent, true, "call-recording"
		st.addEvent(v, "phone-call-answered", agent)
	} else {
		v.status, v.termination = "missed", "missed"
		v.duration = 5 + rng.IntN(60)
		if rng.IntN(3) > 0 {
			v.hasVoicemail, kind = true, "voicemail"
			st.addEvent(v, "voicemail-recording", nil)
		}
	}
	st.addEvent(v, "completed-phone-call", nil)
	var rec *recording
	if kind != "" {
		rec = &recording{base: st.born("recording"), call: v, externalID: fmt.Sprintf("RE%032x", rng.Uint64()),
			kind: kind, duration: v.duration, created: st.now()}
		st.recordings[rec.id] = rec
		st.recordingsBy.created.insert(rec)
		if answered {
			v.summary = &callSummary{id: st.id("summary"), recordingID: rec.id,
				text: "Customer asked about their order; agent answered.", created: st.now()}
		}
	}
	v.updated = st.now()
	return v, rec
}

func (st *store) addEvent(v *voiceCall, kind string, u *user) {
	ev := &callEvent{base: st.born("event"), call: v, kind: kind, user: u, created: st.now()}
	st.events[ev.id] = ev
	st.eventsBy.created.insert(ev)
}
