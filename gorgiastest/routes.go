package gorgiastest

import (
	"bytes"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// routes registers the 36 operations of the tickets area and the five of
// custom field definitions; each resource's file has its handlers.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	st := s.store
	handle := func(pattern string, h func(*call) *apiError) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if err := h(&call{w: w, r: r, st: st}); err != nil {
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

	handle("GET /api/tickets/{id}/custom-fields", st.listFieldValues)
	handle("PUT /api/tickets/{id}/custom-fields", st.replaceFieldValues)
	handle("PUT /api/tickets/{id}/custom-fields/{field}", st.updateFieldValue)
	handle("DELETE /api/tickets/{id}/custom-fields/{field}", st.deleteFieldValue)

	handle("GET /api/custom-fields", st.listFields)
	handle("POST /api/custom-fields", st.createField)
	handle("PUT /api/custom-fields", st.updateFields)
	handle("GET /api/custom-fields/{id}", st.getField)
	handle("PUT /api/custom-fields/{id}", st.updateField)

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
	st.integrationRoutes(handle)
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

// ServeHTTP authenticates, rate-limits, injects faults and routes. One
// request is served at a time.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Read the body before taking the lock, so a slow client holds no one up.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		dropConnection(w) // the request broke off: no answer
		return
	}
	if len(body) > maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, "Request entity too large.", nil)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if s.faults.Latency > 0 {
		select {
		case <-time.After(s.faults.Latency):
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	s.reqSeq++
	w.Header().Set("X-Request-Id", hex.EncodeToString([]byte(strconv.FormatUint(s.reqSeq, 10)+"-gorgiastest")))
	w.Header().Set("X-Gorgias-Release", "gorgiastest")
	ok, bearer := s.authorized(r)
	if !ok {
		w.Header().Set("X-Gorgias-Account-Api-Call-Limit", s.bucket.header())
		s.stats.Unauthorized++
		s.mu.Unlock()
		writeError(w, http.StatusUnauthorized, "Unauthorized. Check your credentials.", nil)
		return
	}
	s.stats.Requests++
	handler, pattern := s.route(r)
	s.stats.ByRoute[pattern]++
	bkt := s.bucket
	if bearer {
		bkt = s.oauth
	}
	ok, wait := bkt.take(time.Now())
	w.Header().Set("X-Gorgias-Account-Api-Call-Limit", bkt.header())
	if !ok {
		s.stats.RateLimited++
		s.stats.OverLimit++
		s.mu.Unlock()
		writeRateLimited(w, wait, 1)
		return
	}
	flt := s.pickFault(r, pattern)
	switch flt.kind {
	case FaultRateLimit:
		s.stats.RateLimited++
		s.mu.Unlock()
		writeRateLimited(w, flt.retryAfter, 0)
		return
	case FaultServerError:
		s.stats.ServerErrors++
		s.mu.Unlock()
		writeError(w, orDefault(flt.status, http.StatusServiceUnavailable), "An external service had an issue.", nil)
		return
	case FaultDrop:
		s.stats.Dropped++
		s.mu.Unlock()
		dropConnection(w)
		return
	}
	s.store.visibleAfter = flt.visibleAfter
	if flt.kind == FaultCommitThenDrop {
		s.stats.Dropped++
		handler.ServeHTTP(discardWriter{header: http.Header{}}, r)
		s.store.visibleAfter = 0
		s.mu.Unlock()
		dropConnection(w)
		return
	}
	handler.ServeHTTP(w, r)
	s.store.visibleAfter = 0
	s.mu.Unlock()
}

func orDefault(v, fallback int) int {
	if v == 0 {
		return fallback
	}
	return v
}

// authorized checks the credentials, and says whether they are the
// bearer token.
func (s *Server) authorized(r *http.Request) (ok, bearer bool) {
	if user, pass, ok := r.BasicAuth(); ok {
		return user == s.Email && pass == s.APIKey, false
	}
	ok = s.BearerToken != "" && r.Header.Get("Authorization") == "Bearer "+s.BearerToken
	return ok, ok
}
