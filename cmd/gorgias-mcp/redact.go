package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// redacted replaces a credential wherever one would be shown.
const redacted = "[REDACTED]"

// minSecret is the shortest value redacted: replacing a one- or
// two-character "secret" everywhere would garble every answer while
// protecting nothing.
const minSecret = 4

// redactor removes the configured credentials from text: every tool
// result and error text (redactResult) and every log line (logHandler)
// goes through one. Gorgias, or a proxy in front of it, may echo the
// Authorization header or a credential in an error body, in an answer or
// in a header the SDK reports (such as X-Request-Id).
//
// The zero value, and a nil *redactor, redact nothing.
type redactor struct {
	// forms are the strings to hide, longest first so that a form
	// containing another ("Basic <base64>") goes as a whole.
	forms []string
	// replacer replaces every form at once, in one pass.
	replacer *strings.Replacer
}

// credentials are the secrets gorgias-mcp was given.
type credentials struct {
	Email, APIKey, AccessToken, MCPToken string
}

// credentialsFromGetenv reads the secrets from the environment, as
// newClient and serveHTTP do.
func credentialsFromGetenv(getenv func(string) string) credentials {
	return credentials{
		Email:       strings.TrimSpace(getenv("GORGIAS_EMAIL")),
		APIKey:      strings.TrimSpace(getenv("GORGIAS_API_KEY")),
		AccessToken: strings.TrimSpace(getenv("GORGIAS_ACCESS_TOKEN")),
		MCPToken:    getenv("GORGIAS_MCP_TOKEN"),
	}
}

// newRedactor hides the API key, the access token and the MCP token,
// each as itself, as sent in an Authorization header ("Bearer x", and
// for the key the base64 of "email:key", with or without padding and
// "Basic "), and as encoded in JSON text or a URL.
func newRedactor(c credentials) *redactor {
	var secrets []string
	add := func(s string) {
		if len(s) >= minSecret {
			secrets = append(secrets, s)
		}
	}
	for _, s := range []string{c.APIKey, c.AccessToken, strings.TrimSpace(c.MCPToken)} {
		if len(s) >= minSecret {
			add(s)
			add("Bearer " + s)
		}
	}
	if len(c.APIKey) >= minSecret && c.Email != "" {
		pair := c.Email + ":" + c.APIKey
		add(pair)
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			add(enc.EncodeToString([]byte(pair)))
			add("Basic " + enc.EncodeToString([]byte(pair)))
		}
	}
	// The same as JSON escapes them (a raw answer or error body quoted
	// in a message) and as a URL would carry them.
	for _, s := range slices.Clone(secrets) {
		if q, err := json.Marshal(s); err == nil {
			add(string(q[1 : len(q)-1]))
		}
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
	}
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	secrets = slices.Compact(secrets)
	if len(secrets) == 0 {
		return &redactor{}
	}
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, redacted)
	}
	return &redactor{forms: secrets, replacer: strings.NewReplacer(pairs...)}
}

// active reports whether there is anything to hide.
func (r *redactor) active() bool { return r != nil && r.replacer != nil }

// text hides every credential in s.
func (r *redactor) text(s string) string {
	if !r.active() {
		return s
	}
	return r.replacer.Replace(s)
}

// json hides every credential in a JSON document, in its decoded strings
// (so an escape such as \u0061 cannot smuggle one through), its keys and
// its numbers, keeping the document's order and layout otherwise
// (compact). A number holding a credential becomes the string
// "[REDACTED]". A document that does not parse is redacted as text.
func (r *redactor) json(doc []byte) []byte {
	if !r.active() {
		return doc
	}
	out, err := r.rewriteJSON(doc)
	if err != nil {
		return []byte(r.text(string(doc)))
	}
	return out
}

func (r *redactor) rewriteJSON(doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var out bytes.Buffer
	out.Grow(len(doc))
	// stack holds, for each open object or array, whether the next
	// token is its first, and for objects whether it is a key.
	type frame struct {
		object, first, key bool
	}
	var stack []frame
	writeString := func(s string) error {
		b, err := json.Marshal(r.text(s))
		out.Write(b)
		return err
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) != 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return out.Bytes(), nil
		}
		if err != nil {
			return nil, err
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			out.WriteByte(byte(d))
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].key = true
			}
			continue
		}
		isKey := false
		if n := len(stack); n > 0 {
			f := &stack[n-1]
			if f.object {
				if f.key {
					if !f.first {
						out.WriteByte(',')
					}
					isKey = true
				} else {
					out.WriteByte(':')
				}
			} else if !f.first {
				out.WriteByte(',')
			}
			f.first = false
		}
		switch v := tok.(type) {
		case json.Delim:
			out.WriteByte(byte(v))
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].key = true
			}
			stack = append(stack, frame{object: v == '{', first: true, key: v == '{'})
			continue
		case string:
			if err := writeString(v); err != nil {
				return nil, err
			}
		case json.Number:
			if s := v.String(); r.text(s) != s {
				if err := writeString(redacted); err != nil {
					return nil, err
				}
			} else {
				out.WriteString(s)
			}
		case bool:
			fmt.Fprint(&out, v)
		case nil:
			out.WriteString("null")
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].key = !isKey
		}
	}
}

// result hides every credential in a tool result: its text content (a
// JSON document redacted as one) and its structured content. Every
// result the server returns goes through it.
func (r *redactor) result(res *mcp.CallToolResult) *mcp.CallToolResult {
	if !r.active() || res == nil {
		return res
	}
	for i, c := range res.Content {
		tc, ok := c.(*mcp.TextContent)
		if !ok {
			continue
		}
		t := tc.Text
		if json.Valid([]byte(t)) {
			t = string(r.json([]byte(t)))
		} else {
			t = r.text(t)
		}
		if t != tc.Text {
			copied := *tc
			copied.Text = t
			res.Content[i] = &copied
		}
	}
	switch sc := res.StructuredContent.(type) {
	case nil:
	case json.RawMessage:
		res.StructuredContent = json.RawMessage(r.json(sc))
	default:
		if b, err := json.Marshal(sc); err == nil {
			res.StructuredContent = json.RawMessage(r.json(b))
		} else {
			res.StructuredContent = nil
		}
	}
	return res
}

// err hides every credential in an error's text, keeping what errors.Is
// and errors.As find when there is nothing to hide.
func (r *redactor) err(err error) error {
	if err == nil || !r.active() {
		return err
	}
	if s := err.Error(); r.text(s) != s {
		return errors.New(r.text(s))
	}
	return err
}

// logHandler is an slog.Handler that hides the credentials in every
// message and attribute (groups and errors included) before next sees
// them: the server's own lines and the SDK's.
func (r *redactor) logHandler(next slog.Handler) slog.Handler {
	if !r.active() {
		return next
	}
	return &redactingHandler{r: r, next: next}
}

type redactingHandler struct {
	r    *redactor
	next slog.Handler
}

func (h *redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactingHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.text(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &redactingHandler{r: h.r, next: h.next.WithAttrs(clean)}
}

func (h *redactingHandler) WithGroup(name string) slog.Handler {
	return &redactingHandler{r: h.r, next: h.next.WithGroup(h.r.text(name))}
}

// attr hides the credentials in an attribute, its key included. Values
// other than groups are rendered to text first (as the text and JSON
// handlers would show them), so an error, a Stringer or a struct cannot
// carry one through.
func (h *redactingHandler) attr(a slog.Attr) slog.Attr {
	a.Key = h.r.text(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		group := v.Group()
		clean := make([]slog.Attr, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(clean...)}
	case slog.KindString:
		return slog.String(a.Key, h.r.text(v.String()))
	case slog.KindAny:
		s := fmt.Sprint(v.Any())
		if c := h.r.text(s); c != s {
			return slog.String(a.Key, c)
		}
		return slog.Attr{Key: a.Key, Value: v}
	default: // numbers, booleans, times, durations
		s := v.String()
		if c := h.r.text(s); c != s {
			return slog.String(a.Key, c)
		}
		return slog.Attr{Key: a.Key, Value: v}
	}
}
