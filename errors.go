package gorgias

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors matched by errors.Is against an *Error's status code:
//
//	if errors.Is(err, gorgias.ErrNotFound) { … }
var (
	// ErrUnauthorized matches 401 answers: missing or wrong credentials.
	ErrUnauthorized = errors.New("gorgias: unauthorized")
	// ErrForbidden matches 403 answers: the user's role or the OAuth2
	// scopes do not allow the operation.
	ErrForbidden = errors.New("gorgias: forbidden")
	// ErrNotFound matches 404 answers.
	ErrNotFound = errors.New("gorgias: not found")
	// ErrConflict matches 409 answers, such as a duplicate tag name.
	ErrConflict = errors.New("gorgias: conflict")
	// ErrRateLimited matches 429 answers that outlasted the retries.
	ErrRateLimited = errors.New("gorgias: rate limited")
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 1 << 20

// Error is a non-2xx answer from the Gorgias API. Inspect it with errors.As,
// or match its class with errors.Is and the Err… sentinels.
type Error struct {
	// StatusCode is the HTTP status, for example 400 or 404.
	StatusCode int
	// Method and Path are the request's method and path (without query).
	Method string
	Path   string
	// Message is the API's error.msg, or a snippet of a body that is not
	// Gorgias JSON, such as a proxy's HTML page.
	Message string
	// Fields holds validation errors (error.data): a field name to its
	// messages. Nested fields are joined with dots, as "messages.0.channel".
	Fields map[string][]string
	// RequestID is the X-Request-Id header, to quote to Gorgias support.
	RequestID string
	// RetryAfter is the wait the server asked for (Retry-After), on 429.
	RetryAfter time.Duration
}

// Error formats the status, the message and the field errors.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gorgias: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		b.WriteString(" (")
		for i, name := range names {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %s", name, strings.Join(e.Fields[name], ", "))
		}
		b.WriteString(")")
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " [retry after %s]", e.RetryAfter)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and the other sentinels work.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// newError reads at most 1 MiB of a non-2xx answer into an *Error. path
// is the request's path ("/api/…").
func newError(method, path string, resp *http.Response) *Error {
	e := &Error{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       path,
		RequestID:  resp.Header.Get("X-Request-Id"),
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		e.RetryAfter, _ = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Message = redirectMessage(method, resp)
		return e
	}
	// A longer body (a WAF's block page, say) is cut: its start still
	// gives the message.
	body, _ := readAtMost(resp.Body, maxErrorBody)
	if len(body) == 0 {
		return e
	}
	e.Message, e.Fields = parseErrorBody(body)
	return e
}

// redirectMessage explains a redirect the SDK did not follow.
func redirectMessage(method string, resp *http.Response) string {
	location := resp.Header.Get("Location")
	why := "it is not followed"
	switch {
	case method != http.MethodGet && method != http.MethodHead:
		why = "writes never follow redirects: following one could repeat the write, or turn it into a read that seems to succeed"
	case strings.HasPrefix(strings.ToLower(location), "http:"):
		why = "a redirect from https to http is refused: it would send the credentials in clear text"
	}
	return fmt.Sprintf("redirect to %q not followed: %s", location, why)
}

// parseErrorBody understands {"error": {"msg": …, "data": {…}}}, {"error":
// "…"} and {"message": "…"}; anything else becomes a snippet of the body.
func parseErrorBody(body []byte) (string, map[string][]string) {
	var envelope struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(body, &envelope) == nil {
		var text string
		if json.Unmarshal(envelope.Error, &text) == nil && text != "" {
			return text, nil
		}
		var obj struct {
			Msg  string          `json:"msg"`
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(envelope.Error, &obj) == nil && (obj.Msg != "" || len(obj.Data) > 0) {
			return obj.Msg, flattenFieldErrors(obj.Data)
		}
		if envelope.Message != "" {
			return envelope.Message, nil
		}
	}
	return snippet(body), nil
}

// flattenFieldErrors turns marshmallow-style nested validation data into
// "a.b.c" → messages.
func flattenFieldErrors(data json.RawMessage) map[string][]string {
	if len(data) == 0 {
		return nil
	}
	var tree any
	if json.Unmarshal(data, &tree) != nil {
		return nil
	}
	out := map[string][]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				name := k
				if prefix != "" {
					name = prefix + "." + k
				}
				walk(name, child)
			}
		case []any:
			for i, child := range v {
				switch child.(type) {
				case map[string]any, []any:
					walk(prefix+"."+strconv.Itoa(i), child)
				default:
					walk(prefix, child)
				}
			}
		case string:
			out[prefix] = append(out[prefix], v)
		case nil:
		default:
			out[prefix] = append(out[prefix], fmt.Sprint(v))
		}
	}
	walk("", tree)
	if len(out) == 0 {
		return nil
	}
	return out
}

// snippet makes a short one-line excerpt of a body that is not Gorgias
// JSON, such as a proxy's HTML error page.
func snippet(body []byte) string {
	const maxLen = 200
	text := body
	if i := bytes.Index(bytes.ToLower(body), []byte("<title>")); i >= 0 {
		rest := body[i+len("<title>"):]
		if j := bytes.Index(bytes.ToLower(rest), []byte("</title>")); j >= 0 {
			text = rest[:j]
		}
	}
	s := strings.Join(strings.Fields(string(text)), " ")
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// ValidationError reports bad input found before any request was sent.
type ValidationError struct {
	// Op names the operation, such as "Tickets.Create".
	Op string
	// Problems lists every problem found, not just the first.
	Problems []Problem
}

// Problem is one invalid or missing field in a request.
type Problem struct {
	Field   string
	Message string
}

// Error lists every problem.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gorgias: %s: invalid input: ", e.Op)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field)
		b.WriteString(": ")
		b.WriteString(p.Message)
	}
	return b.String()
}
