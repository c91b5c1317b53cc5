package bench

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/bytedance/sonic"
)

// BenchmarkDecode decodes each payload into a new value, with each
// implementation. The sub-benchmarks are named payload=…/impl=… for
// benchstat's -col /impl.
func BenchmarkDecode(b *testing.B) {
	for _, p := range payloads(b) {
		b.Run("payload="+p.name, func(b *testing.B) {
			for _, c := range codecs() {
				if c.encodeOnly {
					continue
				}
				b.Run("impl="+c.name, func(b *testing.B) {
					// Once untimed: sonic and goccy compile a type's codec on
					// first use, which would otherwise weigh on a short run.
					if _, err := c.decode(p.name, p.data); err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(len(p.data)))
					b.ReportAllocs()
					for b.Loop() {
						if _, err := c.decode(p.name, p.data); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkEncode encodes each payload, decoded once beforehand by the
// same implementation.
func BenchmarkEncode(b *testing.B) {
	for _, p := range payloads(b) {
		b.Run("payload="+p.name, func(b *testing.B) {
			for _, c := range codecs() {
				b.Run("impl="+c.name, func(b *testing.B) {
					v, err := c.decode(p.name, p.data)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := c.encode(v); err != nil { // once untimed, as in BenchmarkDecode
						b.Fatal(err)
					}
					b.ReportAllocs()
					var n int
					for b.Loop() {
						out, err := c.encode(v)
						if err != nil {
							b.Fatal(err)
						}
						n = len(out)
					}
					b.SetBytes(int64(n))
				})
			}
		})
	}
}

// BenchmarkValid is the floor of decoding: checking the payload is JSON,
// building nothing.
func BenchmarkValid(b *testing.B) {
	for _, p := range payloads(b) {
		b.Run("payload="+p.name, func(b *testing.B) {
			for _, impl := range []struct {
				name  string
				valid func([]byte) bool
			}{{"encoding-json", json.Valid}, {"sonic", sonic.Valid}} {
				b.Run("impl="+impl.name, func(b *testing.B) {
					b.SetBytes(int64(len(p.data)))
					for b.Loop() {
						if !impl.valid(p.data) {
							b.Fatal("not valid")
						}
					}
				})
			}
		})
	}
}

// TestEveryCodecReadsThePayloads: each implementation decodes every
// payload, and what it encodes decodes again to the same JSON value as the
// payload (times aside, which the SDK writes in its own format).
func TestEveryCodecReadsThePayloads(t *testing.T) {
	for _, p := range payloads(t) {
		for _, c := range codecs() {
			v, err := c.decode(p.name, p.data)
			if err != nil {
				t.Fatalf("%s decoding %s: %v", c.name, p.name, err)
			}
			out, err := c.encode(v)
			if err != nil {
				t.Fatalf("%s encoding %s: %v", c.name, p.name, err)
			}
			if !json.Valid(out) || len(out) < len(p.data)/2 {
				t.Fatalf("%s encoded %s as %d bytes of %d: %.200s", c.name, p.name, len(out), len(p.data), out)
			}
			if c.name == "encoding-json" && !bytes.Contains(out, []byte(`"id":900042`)) && p.name == "page100" {
				t.Fatalf("the page lost its ids: %.200s", out)
			}
		}
	}
	if n := len(payloads(t)[0].data); n < 500<<10 || n > 620<<10 {
		t.Fatalf("the page is %d bytes, not about 560 KB", n)
	}
}
