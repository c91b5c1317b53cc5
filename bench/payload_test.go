package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The payloads every implementation decodes and encodes, built from the
// SDK's fixtures (../testdata) the same way each run.
type payload struct {
	name string
	data []byte
}

// payloads returns a page of 100 full tickets (ticket.json, compacted, each
// with its own id: about 560 KB), one ticket, and one message whose
// body_html holds 100 KB.
func payloads(tb testing.TB) []payload {
	tb.Helper()
	ticket := compact(tb, readFixture(tb, "ticket.json"))
	var page bytes.Buffer
	page.WriteString(`{"object":"list","uri":"/api/tickets?limit=100","data":[`)
	for i := range 100 {
		if i > 0 {
			page.WriteByte(',')
		}
		page.Write(withID(tb, ticket, 900000+i)) // each its own id, as on a real page
	}
	page.WriteString(`],"meta":{"prev_cursor":null,"next_cursor":"WyJuZXh0IiwgIjIwMjQtMTEtMTQiLCAxNTMwMDY4NjddCg=="}}`)

	var msg map[string]any
	if err := json.Unmarshal(readFixture(tb, "message.json"), &msg); err != nil {
		tb.Fatal(err)
	}
	var body strings.Builder
	for i := 0; body.Len() < 100<<10; i++ {
		fmt.Fprintf(&body, "<div>Line %d: your refund of €42.%02d has been issued — \"order #%d\" \\ see <a href=\"https://acme.example/o/%d\">it</a>.</div>\n", i, i%100, 1000+i, i)
	}
	msg["body_html"] = body.String()
	var message bytes.Buffer
	enc := json.NewEncoder(&message)
	enc.SetEscapeHTML(false) // markup as the API sends it, not as \u003c
	if err := enc.Encode(msg); err != nil {
		tb.Fatal(err)
	}
	return []payload{{"page100", page.Bytes()}, {"ticket", ticket}, {"message100k", bytes.TrimSpace(message.Bytes())}}
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func compact(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// withID returns the compact ticket with its top-level id replaced.
func withID(tb testing.TB, ticket []byte, id int) []byte {
	tb.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(ticket, &fields); err != nil {
		tb.Fatal(err)
	}
	old := []byte(`"id":` + string(fields["id"]))
	i := bytes.Index(ticket, old)
	if i < 0 {
		tb.Fatal("ticket.json: no top-level id")
	}
	out := append([]byte{}, ticket[:i]...)
	out = fmt.Appendf(out, `"id":%d`, id)
	return append(out, ticket[i+len(old):]...)
}
