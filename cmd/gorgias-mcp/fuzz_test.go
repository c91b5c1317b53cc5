package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias"
)

// notFound answers every request 404 at once, with no network: the fuzz
// target runs the whole path of a tool call, SDK included, offline.
type notFound struct{}

func (notFound) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusNotFound,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(`{"error": {"msg": "Resource not found."}}`)),
		Request:    r,
	}, nil
}

// FuzzToolArguments feeds arbitrary arguments to every tool: checking them
// against the catalog, decoding them into the SDK's types, the SDK's own
// validation and request encoding, and the error text. Nothing may panic,
// and every call ends in a result, an error result saying why.
func FuzzToolArguments(f *testing.F) {
	tools, err := catalogTools(mustCatalog())
	if err != nil {
		f.Fatal(err)
	}
	client, err := gorgias.NewClient("", gorgias.WithBaseURL("http://127.0.0.1:1"), gorgias.WithBasicAuth("fuzz@example.test", "fuzz"),
		gorgias.WithHTTPClient(&http.Client{Transport: notFound{}}), gorgias.WithoutRateLimit(), gorgias.WithRetryPolicy(0, 0, 0))
	if err != nil {
		f.Fatal(err)
	}
	for i, tl := range tools {
		args := map[string]any{}
		for _, p := range tl.op.Params {
			args[p.Name] = sample(tl.b, p)
		}
		raw, _ := json.Marshal(args)
		f.Add(uint8(i), raw)
	}
	for _, odd := range []string{``, `null`, `[]`, `"x"`, `{"id": 1e400}`, `{"id": -0}`, `{"id": 9223372036854775807}`,
		`{"id": 9223372036854775808}`, `{"id": 1.0000000000000002}`, `{"ticket_id": 1, "body": {"value": {"value": 1}}}`,
		`{"channel": {"name": null}}`, `{"messages": [{"channel": "email", "from_agent": true, "custom_fields": [{}]}], "via": "api"}`,
		`{"body": [{"id": 1, "value": NaN}]}`, `{"id": 1, "meta": {"a": [1, {"b": null}]}}`, `{"a":1,"a":2}`} {
		for i := range tools {
			f.Add(uint8(i), []byte(odd))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, raw []byte) {
		tl := tools[int(which)%len(tools)]
		res, outcome := callTool(context.Background(), client, tl, raw, 0)
		if res == nil || len(res.Content) == 0 || outcome == "" {
			t.Fatalf("%s(%q): no result", tl.op.Name, raw)
		}
		if res.IsError && strings.TrimSpace(text(res)) == "" {
			t.Fatalf("%s(%q): an error result without a text", tl.op.Name, raw)
		}
	})
}
