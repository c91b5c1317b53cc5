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
// X-Correlation-Id. The headers the SDK sets (Authorization, User-Agent,
// Accept, Content-Type) and those net/http manages (Accept-Encoding, whose
// value would turn off transparent decompression, Content-Length,
// Transfer-Encoding, Connection, Host and the other hop-by-hop headers),
// like Range and Content-Encoding, which would change the framing of what
// the SDK sends or decodes, are refused, in any case, with a
// *ValidationError (Op "CallHeader", the canonical header as Field); so is
// a name that is not a token, or a value holding bytes a header cannot
// carry. The error comes back from the call, before anything is sent.
func CallHeader(key, value string) CallOption {
	return func(s *callSettings) error {
		canonical := textproto.CanonicalMIMEHeaderKey(key)
		refuse := func(message string) error {
			return &ValidationError{Op: "CallHeader", Problems: []Problem{{Field: canonical, Message: message}}}
		}
		if !validHeaderName(key) {
			return refuse(fmt.Sprintf("%q is not a valid header name", key))
		}
		if why, owned := ownedHeaders[canonical]; owned {
			return refuse(why)
		}
		if problem := headerValueProblem(value); problem != "" {
			return refuse("the value " + problem)
		}
		if s.header == nil {
			s.header = http.Header{}
		}
		s.header.Add(canonical, value)
		return nil
	}
}

// ownedHeaders are the headers CallHeader refuses, by canonical name, with
// why.
var ownedHeaders = map[string]string{
	"Authorization":       "the SDK sets Authorization itself, from the client's credentials",
	"User-Agent":          "the SDK sets User-Agent itself (WithUserAgent adds a product to it)",
	"Accept":              "the SDK sets Accept itself: it decodes JSON",
	"Content-Type":        "the SDK sets Content-Type itself: it sends JSON",
	"Content-Encoding":    "the SDK sends its bodies unencoded, and sets their headers itself",
	"Accept-Encoding":     "net/http sets Accept-Encoding itself: another value turns off transparent decompression, and the answer could not be decoded",
	"Content-Length":      "net/http sets Content-Length itself, from the body",
	"Transfer-Encoding":   "net/http sets Transfer-Encoding itself, from the body",
	"Te":                  "net/http manages Te itself",
	"Trailer":             "net/http manages Trailer itself",
	"Connection":          "net/http manages Connection itself (a hop-by-hop header)",
	"Keep-Alive":          "net/http manages Keep-Alive itself (a hop-by-hop header)",
	"Proxy-Connection":    "net/http manages Proxy-Connection itself (a hop-by-hop header)",
	"Upgrade":             "net/http manages Upgrade itself (a hop-by-hop header)",
	"Proxy-Authorization": "net/http sets Proxy-Authorization itself, from the proxy's URL; as a request header it would reach the API server",
	"Host":                "net/http sets Host itself, from the client's base URL",
	"Expect":              "net/http manages Expect itself",
	"Range":               "the SDK asks for whole answers itself: a partial one could not be decoded",
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
