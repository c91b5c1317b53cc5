package gorgias

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strconv"
	"strings"
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

// plainMirror is type t for encoding/json alone: every response type in
// it (a struct with a RawFields) replaced by a struct of the same fields
// and tags, without the RawFields and without methods. encoding/json
// decodes and encodes it by the tags, with its own reflection: the
// yardstick of the codec benchmarks.
func plainMirror(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Pointer:
		if e := plainMirror(t.Elem()); e != t.Elem() {
			return reflect.PointerTo(e)
		}
	case reflect.Slice:
		if e := plainMirror(t.Elem()); e != t.Elem() {
			return reflect.SliceOf(e)
		}
	case reflect.Map:
		if e := plainMirror(t.Elem()); e != t.Elem() {
			return reflect.MapOf(t.Key(), e)
		}
	case reflect.Struct:
		changed := false
		var fields []reflect.StructField
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Type == rawFieldsType {
				changed = true
				continue
			}
			if !f.IsExported() {
				return t // Time and the like: kept as they are
			}
			m := plainMirror(f.Type)
			changed = changed || m != f.Type
			fields = append(fields, reflect.StructField{Name: f.Name, Type: m, Tag: f.Tag})
		}
		if changed {
			return reflect.StructOf(fields)
		}
	}
	return t
}

// fullTicketsPage100 is a page of 100 full tickets (ticket.json, with
// its messages, compacted: about 560 KB), as the codec benchmarks decode.
func fullTicketsPage100(b testing.TB) []byte {
	var one bytes.Buffer
	if err := json.Compact(&one, fixture(b, "ticket.json")); err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"object":"list","uri":"/api/tickets?limit=100","data":[`)
	for i := range 100 {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, one.Bytes()...)
	}
	return append(body, `],"meta":{"prev_cursor":null,"next_cursor":"WyJuZXh0IiwgIjIwMjQtMTEtMTQiLCAxNTMwMDY4NjddCg=="}}`...)
}

// codecPage is the 100-ticket page decoded by the SDK, and the same bytes
// decoded by encoding/json into the plain mirror of its type.
func codecPage(b *testing.B) (body []byte, sdk Page[Ticket], std reflect.Value, stdType reflect.Type) {
	body = fullTicketsPage100(b)
	if err := decodeJSON(body, &sdk); err != nil || len(sdk.Data) != 100 {
		b.Fatal(err)
	}
	stdType = plainMirror(reflect.TypeFor[struct {
		Data []Ticket `json:"data"`
		Meta struct {
			NextCursor *string `json:"next_cursor"`
			PrevCursor *string `json:"prev_cursor"`
		} `json:"meta"`
	}]())
	std = reflect.New(stdType)
	if err := json.Unmarshal(body, std.Interface()); err != nil {
		b.Fatal(err)
	}
	return body, sdk, std.Elem().Field(0), stdType
}

// BenchmarkDecodePage decodes a page of 100 full tickets as the client
// does (impl=sdk), beside encoding/json decoding the same bytes into the
// plain mirror of the same types (impl=std). Run with -count: the two
// alternate round by round; compare with benchstat -col /impl.
func BenchmarkDecodePage(b *testing.B) {
	body, _, _, stdType := codecPage(b)
	b.Run("impl=sdk", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		cpuLoop(b, func() {
			var page Page[Ticket]
			if err := decodeJSON(body, &page); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("impl=std", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		cpuLoop(b, func() {
			if err := json.Unmarshal(body, reflect.New(stdType).Interface()); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkEncodeTickets encodes each of the 100 decoded tickets of the
// page with json.Marshal (impl=sdk), beside encoding/json encoding the
// plain mirror of the same tickets (impl=std), and with each ticket's
// MarshalJSON called directly (impl=direct: no re-validation by
// encoding/json). One op is the 100 tickets.
func BenchmarkEncodeTickets(b *testing.B) {
	_, sdk, std, _ := codecPage(b)
	run := func(b *testing.B, enc func(i int) ([]byte, error)) {
		b.ReportAllocs()
		n := 0
		cpuLoop(b, func() {
			n = 0
			for i := range 100 {
				out, err := enc(i)
				if err != nil {
					b.Fatal(err)
				}
				n += len(out)
			}
		})
		b.SetBytes(int64(n))
	}
	b.Run("impl=sdk", func(b *testing.B) {
		run(b, func(i int) ([]byte, error) { return json.Marshal(&sdk.Data[i]) })
	})
	b.Run("impl=std", func(b *testing.B) {
		run(b, func(i int) ([]byte, error) { return json.Marshal(std.Index(i).Addr().Interface()) })
	})
	b.Run("impl=direct", func(b *testing.B) {
		run(b, func(i int) ([]byte, error) { return sdk.Data[i].MarshalJSON() })
	})
}

// cpuLoop runs f in b.Loop and reports, beside the wall time, the CPU
// time the process spent per op (cpu-ns/op), where the system tells it
// (Linux): on a shared machine, time spent waiting for a core inflates
// ns/op but not cpu-ns/op.
func cpuLoop(b *testing.B, f func()) {
	start, ok := processCPU()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	if end, ok2 := processCPU(); ok && ok2 && n > 0 {
		b.ReportMetric(float64(end-start)/float64(n), "cpu-ns/op")
	}
}

// processCPU is the user and system time of this process so far, read
// from /proc/self/stat (in clock ticks of 10 ms).
func processCPU() (time.Duration, bool) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The fields after the command's name, which is in parentheses:
	// utime and stime are the 12th and 13th.
	rest := stat[bytes.LastIndexByte(stat, ')')+1:]
	fields := strings.Fields(string(rest))
	if len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

// BenchmarkEncodePage encodes the decoded page of 100 full tickets:
// json.Marshal(page) (impl=sdk), encoding/json on the plain mirror
// (impl=std), page.MarshalJSON() (impl=direct), and the envelope written
// by hand around each ticket's MarshalJSON (impl=items), which nothing
// re-validates.
func BenchmarkEncodePage(b *testing.B) {
	_, sdk, std, _ := codecPage(b)
	stdPage := struct {
		Object string `json:"object"`
		Data   any    `json:"data"`
	}{"list", std.Addr().Interface()}
	run := func(b *testing.B, enc func() ([]byte, error)) {
		b.ReportAllocs()
		n := 0
		cpuLoop(b, func() {
			out, err := enc()
			if err != nil {
				b.Fatal(err)
			}
			n = len(out)
		})
		b.SetBytes(int64(n))
	}
	b.Run("impl=sdk", func(b *testing.B) { run(b, func() ([]byte, error) { return json.Marshal(sdk) }) })
	b.Run("impl=std", func(b *testing.B) { run(b, func() ([]byte, error) { return json.Marshal(&stdPage) }) })
	b.Run("impl=direct", func(b *testing.B) { run(b, sdk.MarshalJSON) })
	b.Run("impl=items", func(b *testing.B) {
		run(b, func() ([]byte, error) {
			out := append(make([]byte, 0, 600<<10), `{"object":"list","data":[`...)
			for i := range sdk.Data {
				if i > 0 {
					out = append(out, ',')
				}
				item, err := sdk.Data[i].MarshalJSON()
				if err != nil {
					return nil, err
				}
				out = append(out, item...)
			}
			return append(out, "]}"...), nil
		})
	})
}
