package gorgias

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callAllocBudget is what one Tags.Get over an in-process transport may
// allocate, the transport's own answer included (5 allocations, see
// inProcess) and the decoded tag's. Plain net/http and encoding/json take
// 38 for the same call (BenchmarkCallPlainNetHTTP). It is 29 and one
// more, for a build without inlining (scripts/mutation builds with -l),
// and no looser: a read that watched writes it never needs (the trace
// hooks a write takes) costs 3 more, and nothing else tells.
const callAllocBudget = 30

// TestOneCallAllocatesWhatItMust holds the request path to its budget:
// building the request, the retry loop, the call's bookkeeping and the
// body read allocate what they must, no more.
func TestOneCallAllocatesWhatItMust(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what allocates")
	}
	for name, opt := range map[string]Option{
		"unpaced": WithoutRateLimit(),
		"paced":   WithRateLimit(MaxCallLimit, 1), // never waits
	} {
		c, err := NewClient("acme", WithBasicAuth("agent@acme.example", "key"), opt,
			WithHTTPClient(&http.Client{Transport: inProcess{fixture(t, "tag.json")}}))
		require.NoError(t, err)
		ctx := context.Background()
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := c.Tags.Get(ctx, 1814124); err != nil {
				t.Fatal(err)
			}
		})
		assert.LessOrEqual(t, allocs, float64(callAllocBudget), name)
	}
}

// TestDirectDecodeMatchesEncodingJSON: the typed methods hand an answer
// straight to the response type's own decoder, without encoding/json's
// first pass over it. For every type they return, that decoder accepts and
// rejects exactly what the encoding/json path does, and decodes the same.
func TestDirectDecodeMatchesEncodingJSON(t *testing.T) {
	check := func(t *testing.T, fixtureName string, decodeBoth func(data []byte) (viaJSON, direct any, errJSON, errDirect error)) {
		t.Helper()
		doc := fixture(t, fixtureName)
		inputs := [][]byte{
			doc,
			append(bytes.Clone(doc), " x"...),
			append(bytes.Clone(doc), '}'),
			append(bytes.Clone(doc), doc...),
			append([]byte("\ufeff"), doc...),
			[]byte(`{"id":1,}`), []byte(`{"id":1 "a":2}`), []byte(`{"id":01}`), []byte(`{"id":1}{}`),
			[]byte(`{"unknown":[1,,2],"id":1}`), []byte(`{"unknown":{"a" 1},"id":1}`), []byte(`{"unknown":tru,"id":1}`),
			[]byte(`{"unknown":"\x01","id":1}`), []byte(`{"unknown":"\q","id":1}`), []byte(`{"id":1,"unknown":1e}`),
			[]byte("{\"unknown\":\"\xff\",\"id\":1}"), []byte(`[{"id":1}]`), []byte(`"x"`), []byte(`{"id":1`),
		}
		step := max(1, len(doc)/200)
		if raceEnabled {
			step = max(1, len(doc)/20)
		}
		for i := 0; i < len(doc); i += step {
			inputs = append(inputs, doc[:i])
			flipped := bytes.Clone(doc)
			flipped[i] = '"'
			inputs = append(inputs, flipped)
		}
		for _, in := range inputs {
			viaJSON, direct, errJSON, errDirect := decodeBoth(in)
			require.Equal(t, errJSON == nil, errDirect == nil, "%.80q: encoding/json path %v, direct %v", in, errJSON, errDirect)
			if errJSON == nil {
				require.Equal(t, viaJSON, direct, "%.80q", in)
			}
		}
	}
	both := func(t *testing.T, fixtureName string, decode func(data []byte, direct bool) (any, error)) {
		t.Run(fixtureName, func(t *testing.T) {
			check(t, fixtureName, func(data []byte) (any, any, error, error) {
				a, errA := decode(data, false)
				b, errB := decode(data, true)
				return a, b, errA, errB
			})
		})
	}
	both(t, "tag.json", decodeBothWays[Tag])
	both(t, "ticket.json", decodeBothWays[Ticket])
	both(t, "odd_ticket.json", decodeBothWays[Ticket])
	both(t, "message.json", decodeBothWays[Message])
	both(t, "odd_message.json", decodeBothWays[Message])
	both(t, "survey.json", decodeBothWays[Survey])
	both(t, "custom_field_definition.json", decodeBothWays[CustomField])
	both(t, "custom_field_value.json", decodeBothWays[CustomFieldValue])
	both(t, "voice_call.json", decodeBothWays[VoiceCall])
	both(t, "voice_call_event.json", decodeBothWays[VoiceCallEvent])
	both(t, "voice_call_recording.json", decodeBothWays[VoiceCallRecording])
}

// decodeBothWays decodes data into a new T the way Client.Do does for any
// value (through encoding/json), or the way the typed methods do.
func decodeBothWays[T any](data []byte, direct bool) (any, error) {
	v := new(T)
	var out any = v
	if direct {
		out = selfChecked[T]{v}
	}
	return v, decodeJSON(data, out)
}

// TestReadAll reads whole bodies of every length, with a right, wrong or
// missing length, from readers that return little at a time or their
// last bytes with io.EOF, and refuses one over the limit having read at
// most one byte past it.
func TestReadAll(t *testing.T) {
	const limit = 1000
	for _, n := range []int{0, 1, 511, 512, 513, 999, 1000, 1001, 5000} {
		body := bytes.Repeat([]byte("ab"), n)[:n]
		for _, hint := range []int64{-1, 0, int64(n), int64(n) - 1, int64(n) + 1, 3, limit, limit + 1, 1 << 40} {
			readers := map[string]func() io.Reader{
				"whole":    func() io.Reader { return bytes.NewReader(body) },
				"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(body)) },
				"data+EOF": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(body)) },
			}
			for name, r := range readers {
				counted := &countingReader{r: r()}
				got, err := readAll(counted, limit, hint)
				if n > limit {
					require.Error(t, err, "%d bytes, hint %d, %s", n, hint, name)
					assert.Contains(t, err.Error(), "larger than 1000 bytes")
					assert.LessOrEqual(t, counted.n, int64(limit+1), "%d bytes, hint %d, %s: read past the limit", n, hint, name)
					continue
				}
				require.NoError(t, err, "%d bytes, hint %d, %s", n, hint, name)
				require.Equal(t, body, got, "%d bytes, hint %d, %s", n, hint, name)
			}
		}
	}
	// A right hint is the one allocation, of its size plus the byte where
	// the reader says io.EOF: an empty body (Content-Length: 0) too.
	for _, n := range []int{0, 1, 700} {
		got, err := readAll(bytes.NewReader(make([]byte, n)), limit, int64(n))
		require.NoError(t, err)
		assert.Equal(t, n+1, cap(got), "a body of %d bytes with its length as the hint", n)
	}
	// A read error is returned, and a reader that misreports its count is
	// an error, not a panic.
	_, err := readAll(iotest.ErrReader(io.ErrUnexpectedEOF), limit, -1)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, err = readAll(badCountReader{}, limit, 10)
	require.Error(t, err)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// badCountReader claims to have read more than it was given room for.
type badCountReader struct{}

func (badCountReader) Read(p []byte) (int, error) { return len(p) + 1, nil }

// wrapping is a RoundTripper of the caller's that sends through an
// *http.Transport, as oauth2's does: the client cannot see what it
// wraps.
type wrapping struct{ next http.RoundTripper }

func (w wrapping) RoundTrip(r *http.Request) (*http.Response, error) { return w.next.RoundTrip(r) }

// TestTheTraceWatchesWhatThePolicyReads: a call sets only the trace hooks
// its retry policy reads, and each still does its work. A POST through a
// transport wrapping http.Transport is not sent again once written; a GET
// over it is retried; a local failure of an *http.Transport is not
// retried; a trace of the caller's sees every request.
func TestTheTraceWatchesWhatThePolicyReads(t *testing.T) {
	hangUp := func(w http.ResponseWriter, _ *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	}
	wrapped := WithHTTPClient(&http.Client{Transport: wrapping{&http.Transport{}}})

	c, ts := newTestClient(t, hangUp, wrapped)
	_, err := c.Tickets.Create(context.Background(), minimalTicket())
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1, "a POST that was written is not sent again")

	c, ts = newTestClient(t, sequence(hangUp, respond(200, fixture(t, "ticket.json"))), wrapped)
	var gotConns atomic.Int32
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { gotConns.Add(1) },
	})
	_, err = c.Tickets.Get(ctx, 1, nil)
	require.NoError(t, err)
	assert.Len(t, ts.Requests(), 2, "a GET is retried")
	assert.Equal(t, int32(2), gotConns.Load(), "the caller's trace saw both attempts")

	c, ts = newTestClient(t, sequence(hangUp, respond(201, fixture(t, "ticket.json"))))
	gotConns.Store(0)
	_, err = c.Tickets.Create(ctx, minimalTicket())
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1, "over an *http.Transport too")
	assert.Equal(t, int32(1), gotConns.Load(), "the caller's trace composed with the call's")
}
