package gorgias

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// ticketsPage100 builds a 100-ticket page from the items of
// tickets_page.json, as GET /api/tickets?limit=100 answers.
func ticketsPage100(b testing.TB) []byte {
	var src struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(fixture(b, "tickets_page.json"), &src); err != nil {
		b.Fatal(err)
	}
	items := make([]json.RawMessage, 100)
	for i := range items {
		items[i] = src.Data[i%len(src.Data)]
	}
	body, err := json.Marshal(map[string]any{
		"object": "list", "uri": "/api/tickets?limit=100", "data": items,
		"meta": map[string]any{"prev_cursor": nil, "next_cursor": "WyJuZXh0IiwgIjIwMjQtMTEtMTQiLCAxNTMwMDY4NjddCg=="},
	})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func benchServer(b *testing.B) *httptest.Server {
	body := ticketsPage100(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	b.SetBytes(int64(len(body)))
	return srv
}

// BenchmarkTicketsList is one page of 100 tickets through the SDK.
func BenchmarkTicketsList(b *testing.B) {
	srv := benchServer(b)
	// Pacing off: this measures the SDK's own cost, not the account's rate.
	c, err := NewClient("", WithBaseURL(srv.URL), WithBasicAuth("agent@acme.example", "key"), WithoutRateLimit())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	opts := &ListTicketsOptions{ListOptions: ListOptions{Limit: 100}}
	b.ReportAllocs()
	for b.Loop() {
		page, err := c.Tickets.List(ctx, opts)
		if err != nil || len(page.Data) != 100 {
			b.Fatal(err)
		}
	}
}

// BenchmarkTicketsListBaseline is the same call with plain net/http and
// encoding/json decoding into the same structs: the yardstick for the
// SDK's overhead.
func BenchmarkTicketsListBaseline(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/tickets?limit=100", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		req.SetBasicAuth("agent@acme.example", "key")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var page struct {
			Data []Ticket `json:"data"`
			Meta struct {
				NextCursor *string `json:"next_cursor"`
				PrevCursor *string `json:"prev_cursor"`
			} `json:"meta"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		_ = resp.Body.Close()
		if err != nil || len(page.Data) != 100 {
			b.Fatal(err)
		}
	}
}

// inProcess answers every request from memory, without a network: the
// yardstick for what the SDK costs per call, apart from the wire.
type inProcess struct{ body []byte }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{
			"Content-Type":                     {"application/json"},
			"X-Gorgias-Account-Api-Call-Limit": {"1/10000"},
		},
		Body:          io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: int64(len(t.body)), Request: r,
	}, nil
}

// BenchmarkCallTagsGet is one small call through the SDK over an
// in-process transport: the SDK's own overhead per call (request building,
// retries, pacing bookkeeping, decoding), with no call option given and
// pacing off. BenchmarkCallPlainNetHTTP is its yardstick.
func BenchmarkCallTagsGet(b *testing.B) {
	benchCallTagsGet(b, WithoutRateLimit())
}

// BenchmarkCallTagsGetPaced is BenchmarkCallTagsGet through the default
// RateLimiter, sized so that it never waits: what the pacing bookkeeping
// (a reservation and an observation of the call-limit header) adds.
func BenchmarkCallTagsGetPaced(b *testing.B) {
	benchCallTagsGet(b, WithRateLimit(MaxCallLimit, time.Nanosecond))
}

func benchCallTagsGet(b *testing.B, opt Option) {
	c, err := NewClient("acme", WithBasicAuth("agent@acme.example", "key"), opt,
		WithHTTPClient(&http.Client{Transport: inProcess{fixture(b, "tag.json")}}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Tags.Get(ctx, 1814124); err != nil {
			b.Fatal(err)
		}
	}
}

// plainTag is Tag as a plain struct, which encoding/json decodes by
// reflection: the yardstick's decoding, with no SDK code in it.
type plainTag struct {
	ID          int64   `json:"id"`
	URI         string  `json:"uri"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	Decoration  *struct {
		Color string `json:"color"`
	} `json:"decoration"`
	Usage           *int       `json:"usage"`
	CreatedDatetime *time.Time `json:"created_datetime"`
	DeletedDatetime *time.Time `json:"deleted_datetime"`
}

// BenchmarkCallPlainNetHTTP is the call of BenchmarkCallTagsGet with plain
// net/http and encoding/json over the same transport and body: build the
// request, send it, read the body, unmarshal it into a struct.
func BenchmarkCallPlainNetHTTP(b *testing.B) {
	hc := &http.Client{Transport: inProcess{fixture(b, "tag.json")}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://acme.gorgias.com/api/tags/1814124", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", defaultUserAgent)
		req.SetBasicAuth("agent@acme.example", "key")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(err, resp.StatusCode)
		}
		var tag plainTag
		if err := json.Unmarshal(data, &tag); err != nil || tag.ID == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallPlainNetHTTPSDKDecode is BenchmarkCallPlainNetHTTP decoding
// into Tag with the SDK's decoder, as Tags.Get does: the difference with
// BenchmarkCallTagsGet is the SDK's request machinery alone.
func BenchmarkCallPlainNetHTTPSDKDecode(b *testing.B) {
	hc := &http.Client{Transport: inProcess{fixture(b, "tag.json")}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://acme.gorgias.com/api/tags/1814124", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", defaultUserAgent)
		req.SetBasicAuth("agent@acme.example", "key")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(err, resp.StatusCode)
		}
		tag := new(Tag)
		if err := tag.UnmarshalJSON(data); err != nil || tag.ID == 0 {
			b.Fatal(err)
		}
	}
}

// undeclaredKeys is a ticket with n keys no field declares (kept in Raw),
// of every JSON kind, after the declared ones.
func undeclaredKeys(n int) []byte {
	b := []byte(`{"id":1,"subject":"Order","status":"open"`)
	for i := range n {
		switch i % 4 {
		case 0:
			b = fmt.Appendf(b, `,"x_%d":%d`, i, i)
		case 1:
			b = fmt.Appendf(b, `,"x_%d":"value %d"`, i, i)
		case 2:
			b = fmt.Appendf(b, `,"x_%d":{"a":[%d,true,null]}`, i, i)
		default:
			b = fmt.Appendf(b, `,"x_%d":null`, i)
		}
	}
	return append(b, '}')
}

// BenchmarkUndeclaredKeys decodes a ticket with 10, 1,000 and 10,000
// undeclared keys as the client does (sdk), beside encoding/json decoding
// the same bytes into a map[string]any (std): the SDK must stay within 2×
// of std's time and memory at every size.
func BenchmarkUndeclaredKeys(b *testing.B) {
	for _, n := range []int{10, 1_000, 10_000} {
		data := undeclaredKeys(n)
		b.Run(fmt.Sprintf("keys=%d/sdk", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var t Ticket
			for b.Loop() {
				t = Ticket{}
				if err := decodeJSON(data, &t); err != nil {
					b.Fatal(err)
				}
			}
			if len(t.Raw.Keys()) != n {
				b.Fatalf("%d undeclared keys, want %d", len(t.Raw.Keys()), n)
			}
		})
		b.Run(fmt.Sprintf("keys=%d/std", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var m map[string]any
			for b.Loop() {
				m = nil
				if err := json.Unmarshal(data, &m); err != nil {
					b.Fatal(err)
				}
			}
			if len(m) != n+3 {
				b.Fatalf("%d keys, want %d", len(m), n+3)
			}
		})
	}
}
