package gorgias

import (
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"reflect"
	"time"
)

// CallOption changes one call of a service method (or of Client.Do, List
// and All), overriding the client's setting for that call only. Every
// method takes them last:
//
//	var meta gorgias.ResponseMeta
//	ticket, err := client.Tickets.Get(ctx, id, nil,
//		gorgias.CallTimeout(5*time.Second), gorgias.CallRetries(0), gorgias.CallMeta(&meta))
//
// Client options (type Option, named With…) configure a Client once, in
// NewClient; call options (type CallOption, named Call…) are given to a
// method. The two types cannot be mixed up: each is refused where the other
// belongs.
type CallOption func(*callSettings) error

// callSettings is what the call options of one call set.
type callSettings struct {
	header  http.Header
	timeout time.Duration
	retries int // -1: the client's
	meta    *ResponseMeta
	outcome *callOutcome // for CreateOnce: whether the last attempt may have reached the server
}

// callOutcome reports whether a call's last attempt may have reached the
// server, for the helpers that must know whether a create may have
// happened.
type callOutcome struct {
	mayHaveReached bool
}

func withOutcome(o *callOutcome) CallOption {
	return func(s *callSettings) error {
		s.outcome = o
		return nil
	}
}

// CallHeader adds a header to this call's requests, such as an
// X-Correlation-Id. The headers the SDK owns (Authorization, Content-Type,
// Content-Length, Host, User-Agent, Accept) cannot be set this way, and a
// value holding bytes a header cannot carry is refused before sending.
func CallHeader(key, value string) CallOption {
	return func(s *callSettings) error {
		canonical := textproto.CanonicalMIMEHeaderKey(key)
		if !validHeaderName(key) {
			return fmt.Errorf("gorgias: CallHeader: %q is not a valid header name", key)
		}
		switch canonical {
		case "Authorization", "Content-Type", "Content-Length", "Host", "User-Agent", "Accept":
			return fmt.Errorf("gorgias: CallHeader: the SDK sets %s itself", canonical)
		}
		if problem := headerValueProblem(value); problem != "" {
			return fmt.Errorf("gorgias: CallHeader: the value of %s %s", canonical, problem)
		}
		if s.header == nil {
			s.header = http.Header{}
		}
		s.header.Add(canonical, value)
		return nil
	}
}

// validHeaderName reports whether name is an HTTP token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || c == ':' || c == '(' || c == ')' || c == '<' || c == '>' || c == '@' ||
			c == ',' || c == ';' || c == '\\' || c == '"' || c == '/' || c == '[' || c == ']' || c == '?' ||
			c == '=' || c == '{' || c == '}' {
			return false
		}
	}
	return true
}

// CallTimeout bounds this call, all its attempts and waits together, by d.
// For All, it bounds each page's call.
func CallTimeout(d time.Duration) CallOption {
	return func(s *callSettings) error {
		if d <= 0 {
			return fmt.Errorf("gorgias: CallTimeout(%s): the timeout must be positive", d)
		}
		s.timeout = d
		return nil
	}
}

// CallRetries sets how many times this call is retried (0: none), within
// the same rules as the client's retries (a POST is still never sent
// twice when it may have reached the server).
func CallRetries(n int) CallOption {
	return func(s *callSettings) error {
		if n < 0 {
			return fmt.Errorf("gorgias: CallRetries(%d): the count cannot be negative", n)
		}
		s.retries = n
		return nil
	}
}

// CallMeta fills *dst with what is known of the answer once the call
// returns, whether it succeeded or not. For All, *dst describes the page
// being walked, and is replaced when the next page arrives.
func CallMeta(dst *ResponseMeta) CallOption {
	return func(s *callSettings) error {
		if dst == nil {
			return errors.New("gorgias: CallMeta needs a non-nil *ResponseMeta")
		}
		s.meta = dst
		return nil
	}
}

// ResponseMeta describes the answer to one call, as captured by CallMeta.
type ResponseMeta struct {
	// StatusCode is the final answer's HTTP status; 0 when no answer
	// arrived.
	StatusCode int
	// Header holds the final answer's headers.
	Header http.Header
	// RequestID is the X-Request-Id header, to quote to Gorgias support.
	RequestID string
	// CallLimitUsed and CallLimit are the account's bucket as the answer's
	// X-Gorgias-Account-Api-Call-Limit header showed it (CallLimit is 0
	// when it had none).
	CallLimitUsed, CallLimit int
	// Attempts counts the requests sent, retries included.
	Attempts int
	// LimiterWait is how long the call waited for the rate limiter.
	LimiterWait time.Duration
	// Cursor, NextCursor and PrevCursor are set for a list: the cursor
	// that fetched this page ("" for the first), and those of its
	// neighbours. Saving Cursor checkpoints a walk at this page.
	Cursor, NextCursor, PrevCursor string
}

// settings applies the call options of a call.
func settings(opts []CallOption) (callSettings, error) {
	if len(opts) == 0 {
		return callSettings{retries: -1}, nil
	}
	s := callSettings{retries: -1}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil {
			return s, err
		}
	}
	return s, nil
}

// fill records what cl learned of its last answer in m, and for a list
// decoded into out, its cursors.
func (m *ResponseMeta) fill(cl *call, req request, out any, decoded bool) {
	*m = ResponseMeta{Attempts: cl.attempt, LimiterWait: cl.limiterWait}
	if q, ok := req.query.(pager); ok && !reflect.ValueOf(q).IsNil() {
		m.Cursor = q.listOptions().Cursor
	}
	if p, ok := out.(interface{ cursors() (next, prev string) }); ok && decoded {
		m.NextCursor, m.PrevCursor = p.cursors()
	}
	resp := cl.last
	if resp == nil {
		return
	}
	m.StatusCode = resp.StatusCode
	m.Header = resp.Header
	m.RequestID = resp.Header.Get("X-Request-Id")
	if used, limit, ok := parseCallLimit(resp.Header.Get("X-Gorgias-Account-Api-Call-Limit")); ok {
		m.CallLimitUsed, m.CallLimit = used, limit
	}
}
