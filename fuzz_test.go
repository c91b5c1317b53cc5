package gorgias

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// seedFixtures adds every fixture, and a few broken variants of each, to
// a fuzz corpus.
func seedFixtures(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	for _, s := range []string{"", "null", "{}", "[]", `{"data":null}`, `{"data":[null]}`, "<html>oops</html>",
		`{"id":"1"}`, `{"id":1,"created_datetime":12}`, `{"error":"x"}`, `{"error":{"msg":1,"data":[[["x"]]]}}`} {
		f.Add([]byte(s))
	}
}

// FuzzDecodeResponses feeds arbitrary bytes to every response decoder: it
// must return an error or a value, never panic.
func FuzzDecodeResponses(f *testing.F) {
	seedFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = decodeJSON(data, new(Ticket))
		_ = decodeJSON(data, new(Page[Ticket]))
		_ = decodeJSON(data, new(Message))
		_ = decodeJSON(data, new(Page[Message]))
		_ = decodeJSON(data, new(Survey))
		msg, fields := parseErrorBody(data)
		_ = (&Error{StatusCode: 400, Message: msg, Fields: fields}).Error()
	})
}

// FuzzTime checks that any JSON value decodes to a Time or an error, and
// that a decoded Time encodes and decodes back to the same instant.
func FuzzTime(f *testing.F) {
	for _, s := range []string{`"2026-08-26T18:38:33.416987+00:00"`, `"2026-08-26T12:00:00+00:00"`,
		`"2019-11-16T15:59:41.966927"`, `"2018-12-04T03:29:37-08:00"`, `null`, `""`, `"\u0032026-01-01T00:00:00"`, `12`,
		"2026-08-26T18:38:33.416987+00:00", "2026-01-02 03:04:05.123-05:30", "2024-02-29", "2026-01-02T03:04:05Z"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The fast path agrees with time.Parse on whatever it takes.
		if fast, ok := parseTimeFast(string(data)); ok {
			slow, err := parseTimeLayouts(string(data))
			if err != nil || !sameTime(fast, slow.Time) {
				t.Fatalf("%q: parseTimeFast gives %v, the layouts %v (%v)", data, fast, slow.Time, err)
			}
		}
		var tm Time
		if err := json.Unmarshal(data, &tm); err != nil {
			return
		}
		out, err := json.Marshal(tm)
		if err != nil {
			if tm.Year() < 0 || tm.Year() > 9999 {
				return // outside RFC 3339's range
			}
			t.Fatalf("%s decoded but does not encode: %v", data, err)
		}
		var back Time
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s encoded as %s, which does not decode: %v", data, out, err)
		}
		if !back.Equal(tm.Truncate(1000)) {
			t.Fatalf("%s → %s → %v, want %v", data, out, back.Time, tm.Time)
		}
	})
}

// FuzzRoundTrip: any JSON object that decodes as a response type encodes
// back to the same JSON (keys, nulls, values; datetimes to the same
// instant), however odd its fields.
func FuzzRoundTrip(f *testing.F) {
	seedFixtures(f)
	for _, s := range []string{`{"id":1,"meta":"{\"a\":[1,2]}","x":{"y":null}}`, `{"tags":[{"id":1,"decoration":{"color":null}}]}`,
		`{"source":{"cc":[],"bcc":null,"extra":"{}"},"macros":[{"id":1,"name":null}]}`, `{"created_datetime":"2026-08-26T18:38:33.4169871+00:00"}`} {
		f.Add([]byte(s))
	}
	check := func(t *testing.T, data []byte, v any) {
		if json.Unmarshal(data, v) != nil {
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s decoded as %T but does not encode: %v", data, v, err)
		}
		if want, got := normalize(t, data), normalize(t, out); !reflect.DeepEqual(want, got) {
			t.Fatalf("%T round trip:\n in: %s\nout: %s", v, data, out)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
			return
		}
		check(t, data, new(Ticket))
		check(t, data, new(Message))
		check(t, data, new(Tag))
		check(t, data, new(Survey))
		check(t, data, new(CustomFieldValue))
		check(t, data, new(VoiceCall))
		check(t, data, new(VoiceCallEvent))
		check(t, data, new(VoiceCallRecording))
	})
}
