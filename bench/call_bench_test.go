package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
)

// inProcess answers every request from memory, without a network or a
// socket: what a call costs apart from the wire.
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

// plainTag is gorgias.Tag as a plain struct, which encoding/json decodes by
// reflection.
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

// BenchmarkCall is one Tags.Get over an in-process transport through the
// SDK (pacing off, no call option), and the same request with plain
// net/http and encoding/json over the same transport and body: build the
// request, send it, read the body, unmarshal it into a struct. Besides
// sec/op, each reports cpu-sec/op, the process's CPU time (user and
// system, the garbage collector's included) per call, where the system
// can tell.
func BenchmarkCall(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("..", "testdata", "tag.json"))
	if err != nil {
		b.Fatal(err)
	}
	transport := inProcess{body}
	impls := []struct {
		name string
		run  func(b *testing.B)
	}{
		{"sdk", func(b *testing.B) {
			c, err := gorgias.NewClient("acme", gorgias.WithBasicAuth("agent@acme.example", "key"),
				gorgias.WithoutRateLimit(), gorgias.WithHTTPClient(&http.Client{Transport: transport}))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			measureCPU(b, func() {
				if _, err := c.Tags.Get(ctx, 1814124); err != nil {
					b.Fatal(err)
				}
			})
		}},
		{"plain-net-http", func(b *testing.B) {
			hc := &http.Client{Transport: transport}
			ctx := context.Background()
			measureCPU(b, func() {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://acme.gorgias.com/api/tags/1814124", nil)
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Accept", "application/json")
				req.Header.Set("User-Agent", "gorgias-go/"+gorgias.Version)
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
			})
		}},
		{"plain-net-http-sdk-decoder", func(b *testing.B) {
			// The same, decoding with the SDK's decoder as Tags.Get does:
			// against this one, the SDK's request machinery alone.
			hc := &http.Client{Transport: transport}
			ctx := context.Background()
			measureCPU(b, func() {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://acme.gorgias.com/api/tags/1814124", nil)
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Accept", "application/json")
				req.Header.Set("User-Agent", "gorgias-go/"+gorgias.Version)
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
				tag := new(gorgias.Tag)
				if err := tag.UnmarshalJSON(data); err != nil || tag.ID == 0 {
					b.Fatal(err)
				}
			})
		}},
	}
	if *reverse {
		slices.Reverse(impls)
	}
	for _, impl := range impls {
		b.Run("impl="+impl.name, impl.run)
	}
}

// measureCPU runs call in b's loop and reports the CPU time it took.
func measureCPU(b *testing.B, call func()) {
	b.ReportAllocs()
	var start time.Duration
	var ok bool
	for i := 0; b.Loop(); i++ {
		if i == 0 {
			start, ok = processCPU()
		}
		call()
	}
	if end, ok2 := processCPU(); ok && ok2 {
		b.ReportMetric(float64(end-start)/1e9/float64(b.N), "cpu-sec/op")
	}
}
