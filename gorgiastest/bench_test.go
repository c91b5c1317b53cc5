package gorgiastest_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
)

// The list benchmarks report req/s (pages of 100 served per second) and
// the walk benchmarks s/walk; BenchmarkSeedMemory reports the live heap of
// a seeded fake. Compare sizes with -bench 'Tickets.*/n=' to see that a
// page costs the same at 1k and 100k tickets. The …Serve variants leave
// the SDK out (raw GETs, no JSON decoding): what the fake itself costs.
//
//	go test -run '^$' -bench . -benchtime 3x ./gorgiastest/

var benchSizes = []int{1_000, 100_000}

func benchServer(b *testing.B, n int) *gorgiastest.Server {
	b.Helper()
	srv := gorgiastest.NewServer(gorgiastest.WithoutRateLimit(), gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: n}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkTicketsList pages through the tickets with the SDK's
// Tickets.List, 100 a page, starting over at the end.
func BenchmarkTicketsList(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			srv := benchServer(b, n)
			client := srv.Client(gorgias.WithoutRateLimit())
			opts := &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 100}}
			b.ResetTimer()
			for b.Loop() {
				page, err := client.Tickets.List(ctx, opts)
				if err != nil {
					b.Fatal(err)
				}
				opts.Cursor = page.NextCursor
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkTicketsListServe is BenchmarkTicketsList without the SDK's
// decoding: raw GETs whose bodies are discarded, what the fake serves.
func BenchmarkTicketsListServe(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			srv := benchServer(b, n)
			// The first page's next cursor, so pages come from the middle.
			page, err := srv.Client(gorgias.WithoutRateLimit()).Tickets.List(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 100}})
			if err != nil {
				b.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/tickets?limit=100&cursor="+page.NextCursor, nil)
			req.SetBasicAuth(srv.Email, srv.APIKey)
			b.ResetTimer()
			for b.Loop() {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatal(resp.Status)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkTicketsWalk walks every ticket with Tickets.All.
func BenchmarkTicketsWalk(b *testing.B) {
	srv := benchServer(b, 100_000)
	client := srv.Client(gorgias.WithoutRateLimit())
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, err := range client.Tickets.All(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100_000 {
			b.Fatalf("walked %d tickets", n)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/walk")
}

// BenchmarkTicketsWalkServe walks every ticket with raw GETs, reading only
// the next cursor (no JSON decoding): the fake's share of
// BenchmarkTicketsWalk.
func BenchmarkTicketsWalkServe(b *testing.B) {
	srv := benchServer(b, 100_000)
	b.ResetTimer()
	for b.Loop() {
		pages, cursor := 0, ""
		for {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/tickets?limit=100&cursor="+url.QueryEscape(cursor), nil)
			req.SetBasicAuth(srv.Email, srv.APIKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			pages++
			// The envelope ends with meta: find the next cursor there.
			_, after, ok := bytes.Cut(body[bytes.LastIndex(body, []byte(`"meta"`)):], []byte(`"next_cursor":"`))
			if !ok {
				break
			}
			cursor = string(after[:bytes.IndexByte(after, '"')])
		}
		if pages != 1000 {
			b.Fatalf("%d pages", pages)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/walk")
}

// BenchmarkSeedMemory reports the live heap that 100k seeded tickets hold.
func BenchmarkSeedMemory(b *testing.B) {
	var heap int64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		srv := gorgiastest.NewServer(gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 100_000}))
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = max(heap, int64(after.HeapAlloc)-int64(before.HeapAlloc))
		srv.Close()
	}
	b.ReportMetric(float64(heap)/(1<<20), "MiB")
}
