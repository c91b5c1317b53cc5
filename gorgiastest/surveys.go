package gorgiastest

import (
	"encoding/json"
	"strconv"
)

// Satisfaction surveys: /api/satisfaction-surveys[/{id}].

var surveyList = createdSpec(func(s *survey) ts { return s.created }, "created_datetime:desc")

func (st *store) listSurveys(c *call) *apiError {
	return serveFiltered(c, "ticket_id", surveyList, st.surveysBy.created, func(s *survey) int64 { return ticketIDOf(s.ticket) },
		func(e *enc, s *survey) { writeSurvey(e, s, true) })
}

func (st *store) getSurvey(c *call) *apiError {
	return getOne(c, st.surveys, func(e *enc, s *survey) { writeSurvey(e, s, true) })
}

// surveyInput is a validated survey body.
type surveyInput struct {
	ticket                        *ticket
	customer                      *customer
	score                         opt[int64]
	bodyText                      opt[nstr]
	meta                          opt[json.RawMessage]
	created, sent, scored, sendAt opt[ts]
}

func (st *store) readSurvey(o *obj) *surveyInput {
	in := &surveyInput{score: o.int("score"), bodyText: o.nstr("body_text"), meta: o.mapping("meta"),
		created: o.time("created_datetime"), sent: o.time("sent_datetime"), scored: o.time("scored_datetime"),
		sendAt: o.time("should_send_datetime")}
	if in.score.val() && (in.score.v < 1 || in.score.v > 5) {
		o.err("Must be greater than or equal to 1 and less than or equal to 5.", "score")
	}
	o.maxLen("body_text", opt[string]{v: in.bodyText.v.v, set: in.bodyText.val()}, 1000)
	if id := o.int("ticket_id"); id.val() {
		if in.ticket = st.tickets[id.v]; in.ticket == nil {
			o.err("Ticket with id "+strconv.FormatInt(id.v, 10)+" does not exist.", "ticket_id")
		}
	} else if id.null {
		o.err(msgNull, "ticket_id")
	}
	if id := o.int("customer_id"); id.val() {
		if in.customer = st.customers[id.v]; in.customer == nil {
			o.err("Customer with id "+strconv.FormatInt(id.v, 10)+" does not exist.", "customer_id")
		}
	} else if id.null {
		o.err(msgNull, "customer_id")
	}
	return in
}

func (st *store) applySurvey(s *survey, in *surveyInput) {
	if in.customer != nil {
		s.customer = in.customer
	}
	if in.ticket != nil && in.ticket != s.ticket {
		if s.ticket != nil {
			s.ticket.survey = nil
		}
		s.ticket = in.ticket
		in.ticket.survey = s
	}
	if in.score.set {
		s.score = int(in.score.v)
	}
	if in.bodyText.set {
		s.bodyText = in.bodyText.v
	}
	if in.meta.set {
		s.meta = in.meta.v
	}
	in.sent.setTo(&s.sent)
	in.scored.setTo(&s.scored)
	in.sendAt.setTo(&s.sendAt)
}

func (st *store) createSurvey(c *call) *apiError {
	o, err := readObject(c)
	if err != nil {
		return err
	}
	o.require(surveyCreateRequires...)
	in := st.readSurvey(o)
	if err := o.fail("Failed to create satisfaction survey"); err != nil {
		return err
	}
	if in.ticket.survey != nil {
		return conflict() // one survey per ticket
	}
	s := st.addSurvey(in.ticket, in.created.v)
	st.applySurvey(s, in)
	c.ok(func(e *enc) { writeSurvey(e, s, true) })
	return nil
}

func (st *store) updateSurvey(c *call) *apiError {
	s, o, err := findWithBody(c, st.surveys)
	if err != nil {
		return err
	}
	in := st.readSurvey(o)
	if err := o.fail("Failed to update satisfaction survey"); err != nil {
		return err
	}
	if in.ticket != nil && in.ticket.survey != nil && in.ticket.survey != s {
		return conflict()
	}
	if in.created.val() {
		st.surveysBy.created.update(s, func() { s.created = in.created.v })
	}
	st.applySurvey(s, in)
	c.ok(func(e *enc) { writeSurvey(e, s, true) })
	return nil
}

// writeSurvey writes a survey; inside a ticket it has no uri.
func writeSurvey(e *enc, s *survey, withURI bool) {
	e.open()
	e.k("id").int(s.id)
	e.k("body_text").nstr(s.bodyText)
	e.k("created_datetime").time(s.created)
	e.k("customer_id")
	if s.customer != nil {
		e.int(s.customer.id)
	} else {
		e.null()
	}
	e.k("meta").raw(s.meta)
	e.k("score").id(int64(s.score))
	e.k("scored_datetime").time(s.scored)
	e.k("sent_datetime").time(s.sent)
	e.k("should_send_datetime").time(s.sendAt)
	e.k("ticket_id")
	if s.ticket != nil {
		e.int(s.ticket.id)
	} else {
		e.null()
	}
	if withURI {
		e.k("uri").str("/api/satisfaction-surveys/" + strconv.FormatInt(s.id, 10) + "/")
	}
	e.close()
}
