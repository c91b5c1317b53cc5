package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exportFiles is an output file and its state file in a test's temp dir.
type exportFiles struct {
	out, state string
}

func newExportFiles(t *testing.T) exportFiles {
	dir := t.TempDir()
	return exportFiles{out: filepath.Join(dir, "tickets.jsonl"), state: filepath.Join(dir, "tickets.jsonl.state")}
}

// runOnce runs the export into f.out, as main does, with out wrapped by
// wrap (nil: the file itself).
func runOnce(t *testing.T, ctx context.Context, client *gorgias.Client, f exportFiles, opts options, wrap func(*os.File) output) (int, string, error) {
	t.Helper()
	file, err := os.OpenFile(f.out, os.O_CREATE|os.O_RDWR, 0o644)
	require.NoError(t, err)
	defer func() { require.NoError(t, file.Close()) }()
	var out output = file
	if wrap != nil {
		out = wrap(file)
	}
	opts.stateFile = f.state
	var progress bytes.Buffer
	n, err := run(ctx, client, opts, out, &progress)
	return n, progress.String(), err
}

// readExport checks every line of the file is one complete JSON record
// and returns the records.
func readExport(t *testing.T, path string) []gorgias.Ticket {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if len(data) == 0 {
		return nil
	}
	require.True(t, bytes.HasSuffix(data, []byte("\n")), "the file ends with a complete line")
	var recs []gorgias.Ticket
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var r gorgias.Ticket
		require.NoError(t, json.Unmarshal([]byte(line), &r), "line %d is valid JSON: %.80s", i+1, line)
		recs = append(recs, r)
	}
	return recs
}

// requireEveryTicketOnce checks recs hold each ticket id of want exactly
// once, in order.
func requireEveryTicketOnce(t *testing.T, recs []gorgias.Ticket, want []int64) {
	t.Helper()
	got := make([]int64, len(recs))
	for i, r := range recs {
		got[i] = r.ID
	}
	require.Equal(t, want, got, "every ticket exactly once, oldest first")
}

func allTicketIDs(t *testing.T, client *gorgias.Client) []int64 {
	var ids []int64
	for tk, err := range client.Tickets.All(context.Background(), &gorgias.ListTicketsOptions{OrderBy: gorgias.TicketOrderCreatedAsc}) {
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}
	return ids
}

func TestExportEveryTicketWithMessages(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 230}), gorgiastest.WithoutRateLimit())
	client := srv.Client(gorgias.WithoutRateLimit())
	f := newExportFiles(t)
	n, progress, err := runOnce(t, context.Background(), client, f, options{withMessages: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, 230, n)
	recs := readExport(t, f.out)
	requireEveryTicketOnce(t, recs, allTicketIDs(t, client))
	for _, r := range recs {
		require.NotEmpty(t, r.Messages, "ticket %d has its messages", r.ID)
		assert.Equal(t, *r.MessagesCount, len(r.Messages))
	}
	assert.Contains(t, progress, "Exported 100 tickets…")
	assert.Contains(t, progress, "Exported 230 tickets. Done.")
	_, err = os.Stat(f.state)
	assert.ErrorIs(t, err, os.ErrNotExist, "a finished export removes its state")
}

var errCrash = errors.New("crash")

// crashingFile writes budget bytes, then writes part of the next write
// and fails, as a process killed in the middle of a write leaves a file.
type crashingFile struct {
	*os.File
	budget int64
}

func (c *crashingFile) Write(p []byte) (int, error) {
	if int64(len(p)) <= c.budget {
		c.budget -= int64(len(p))
		return c.File.Write(p)
	}
	n, _ := c.File.Write(p[:c.budget])
	c.budget = 0
	return n, errCrash
}

// cancelAt cancels a context when the nth request goes out.
type cancelAt struct {
	n, seen atomic.Int64
	cancel  context.CancelFunc
}

func (c *cancelAt) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.seen.Add(1) == c.n.Load() {
		c.cancel()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestExportSurvivesAnyInterruption interrupts an export with messages at
// many points (a crash inside a record's write, a Ctrl-C while a ticket's
// messages load or between pages, a failed save of the state), resumes it
// (sometimes interrupting the resumed run too), and checks the file holds
// every ticket exactly once, each line valid JSON.
func TestExportSurvivesAnyInterruption(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 130}), gorgiastest.WithoutRateLimit())
	client := srv.Client(gorgias.WithoutRateLimit())
	want := allTicketIDs(t, client)

	reference := newExportFiles(t)
	_, _, err := runOnce(t, context.Background(), client, reference, options{withMessages: true}, nil)
	require.NoError(t, err)
	info, err := os.Stat(reference.out)
	require.NoError(t, err)
	size := info.Size()
	requests := int64(2 + len(want)) // two pages, one message list per ticket

	finish := func(t *testing.T, f exportFiles) {
		_, statErr := os.Stat(f.state)
		_, progress, err := runOnce(t, context.Background(), client, f, options{withMessages: true}, nil)
		require.NoError(t, err)
		if statErr == nil {
			assert.Contains(t, progress, "Resuming from the saved state.")
		}
		requireEveryTicketOnce(t, readExport(t, f.out), want)
	}

	for _, at := range []int64{1, 57, 400, size / 7, size / 3, size/2 + 13, size - 300, size - 1} {
		t.Run(fmt.Sprintf("crash after %d bytes", at), func(t *testing.T) {
			f := newExportFiles(t)
			_, _, err := runOnce(t, context.Background(), client, f, options{withMessages: true},
				func(file *os.File) output { return &crashingFile{File: file, budget: at} })
			require.ErrorIs(t, err, errCrash)
			// The resumed run crashes too, a little further on.
			_, _, err = runOnce(t, context.Background(), client, f, options{withMessages: true},
				func(file *os.File) output { return &crashingFile{File: file, budget: 1000} })
			require.ErrorIs(t, err, errCrash)
			finish(t, f)
		})
	}
	for _, n := range []int64{2, 3, 50, requests / 2, requests - 1, requests} {
		t.Run(fmt.Sprintf("Ctrl-C at request %d", n), func(t *testing.T) {
			f := newExportFiles(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rt := &cancelAt{cancel: cancel}
			rt.n.Store(n)
			interrupted := srv.Client(gorgias.WithoutRateLimit(), gorgias.WithHTTPClient(&http.Client{Transport: rt}))
			_, _, err := runOnce(t, ctx, interrupted, f, options{withMessages: true}, nil)
			require.ErrorIs(t, err, context.Canceled)
			finish(t, f)
		})
	}
	t.Run("the state save fails", func(t *testing.T) {
		f := newExportFiles(t)
		failing := func(string, state) error { return errCrash }
		_, _, err := runOnce(t, context.Background(), client, f, options{withMessages: true, saveState: failing}, nil)
		require.ErrorIs(t, err, errCrash)
		// A save that wrote its temporary file but never renamed it.
		require.NoError(t, os.WriteFile(f.state+".tmp", []byte(`{"cursor":"half`), 0o644))
		finish(t, f)
	})
}

func TestExportRefusesAShortenedOutput(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 150}), gorgiastest.WithoutRateLimit())
	client := srv.Client(gorgias.WithoutRateLimit())
	f := newExportFiles(t)
	_, _, err := runOnce(t, context.Background(), client, f, options{},
		func(file *os.File) output { return &crashingFile{File: file, budget: 1 << 30} })
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f.state, []byte(`{"cursor":"abc","offset":999999999}`), 0o644))
	_, _, err = runOnce(t, context.Background(), client, f, options{}, nil)
	require.ErrorContains(t, err, "start over")
}

// TestExportChanges runs -changes twice: the first run takes every ticket,
// the second only what changed in between.
func TestExportChanges(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 120}), gorgiastest.WithoutRateLimit())
	client := srv.Client(gorgias.WithoutRateLimit())
	f := newExportFiles(t)
	changesOnce := func() (int, string) {
		file, err := os.OpenFile(f.out, os.O_CREATE|os.O_RDWR, 0o644)
		require.NoError(t, err)
		defer func() { require.NoError(t, file.Close()) }()
		var progress bytes.Buffer
		n, err := runChanges(context.Background(), client, options{stateFile: f.state}, file, &progress)
		require.NoError(t, err)
		return n, progress.String()
	}
	n, _ := changesOnce()
	assert.Equal(t, 120, n, "the first run takes every ticket")

	updated, err := client.Tickets.Update(context.Background(), allTicketIDs(t, client)[7], &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed})
	require.NoError(t, err)
	n, progress := changesOnce()
	assert.Contains(t, progress, "Exporting the tickets changed since")
	recs := readExport(t, f.out)
	require.Len(t, recs, 120+n)
	var again []int64
	for _, r := range recs[120:] {
		again = append(again, r.ID)
	}
	assert.Contains(t, again, updated.ID, "the updated ticket is in the second run")
	assert.Less(t, n, 10, "the second run takes only what changed lately")
	assert.Equal(t, gorgias.StatusClosed, recs[len(recs)-n].Status)
}

// What a live account may send that the SDK's structs do not declare, or
// not in the shape they declare: an unknown field at the top level and
// nested ones, nulls where Go has a bool, a meta object sent as a JSON
// string, a sending error sent as a bare string, cc null and bcc [].
const (
	oddTicket = `{"id":101,"uri":"/api/tickets/101/","external_id":null,"language":"en","status":"open","priority":null,
		"channel":"email","via":"email","from_agent":false,
		"customer":{"id":7,"email":"a@example.com","name":null,"firstname":"","lastname":"","meta":null,"loyalty_tier":"gold"},
		"assignee_user":null,"assignee_team":null,"subject":"Hi","excerpt":"Hi","integrations":[],
		"meta":"{\"order\":\"1042\"}","tags":[{"id":1,"name":"vip","decoration":{"color":null},"rank":3}],
		"messages_count":1,"is_unread":null,"spam":false,
		"created_datetime":"2026-08-26T18:38:33.416987+00:00","opened_datetime":null,"last_received_message_datetime":null,
		"last_message_datetime":null,"updated_datetime":"2026-08-26T18:38:33.416987+00:00","closed_datetime":null,
		"snooze_datetime":null,"trashed_datetime":null,"sla_status":{"breached":false,"policy":"gold"}}`
	oddMessage = `{"id":9,"uri":"/api/tickets/101/messages/9/","ticket_id":101,"message_id":null,"external_id":null,
		"public":null,"channel":"email","via":"email",
		"source":{"type":"email","from":{"id":3,"name":null,"address":"a@example.com"},"to":[],"cc":null,"bcc":[],"extra":"{}"},
		"sender":{"id":7,"email":"a@example.com","name":null,"firstname":"","lastname":"","meta":"{\"k\":1}"},"receiver":null,
		"auth_customer_identity":null,"integration_id":null,"intents":[{"name":"refund","rejected":null,"is_user_feedback":false,"confidence":0.87}],
		"rule_id":null,"from_agent":null,"subject":"Hi","body_text":"Hi","body_html":"<p>Hi</p>","stripped_text":null,
		"stripped_html":null,"stripped_signature":null,"attachments":[{"url":"https://x/y.pdf","name":"y.pdf","size":null,
		"content_type":"application/pdf","public":true,"extra":null}],"macros":[{"id":4,"name":"Refund"}],"actions":null,
		"headers":"{\"X-Mailer\":\"x\"}","imported":false,"meta":null,"created_datetime":"2026-08-26T18:38:33.416987+00:00",
		"processed_datetime":null,"sent_datetime":null,"failed_datetime":"2026-08-26T18:38:34.000000+00:00",
		"deleted_datetime":null,"opened_datetime":null,"last_sending_error":"Mailbox unavailable","is_retriable":null,
		"translation":{"lang":"fr"}}`
)

// TestExportWritesWhatGorgiasSent: each line is the ticket as served,
// unknown fields and odd shapes included, plus its messages as served.
func TestExportWritesWhatGorgiasSent(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tickets", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"object":"list","uri":"/api/tickets","data":[%s],"meta":{"prev_cursor":null,"next_cursor":null}}`, oddTicket)
	})
	mux.HandleFunc("/api/messages", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "101", r.URL.Query().Get("ticket_id"))
		fmt.Fprintf(w, `{"object":"list","uri":"/api/messages","data":[%s],"meta":{"prev_cursor":null,"next_cursor":null}}`, oddMessage)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client, err := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("a@example.com", "key"), gorgias.WithoutRateLimit())
	require.NoError(t, err)

	f := newExportFiles(t)
	n, _, err := runOnce(t, context.Background(), client, f, options{withMessages: true}, nil)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	written, err := os.ReadFile(f.out)
	require.NoError(t, err)

	var want map[string]any
	require.NoError(t, json.Unmarshal([]byte(oddTicket), &want))
	var msg any
	require.NoError(t, json.Unmarshal([]byte(oddMessage), &msg))
	want["messages"] = []any{msg}
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	assert.JSONEq(t, string(wantJSON), string(written))

	// And the values the structs do not declare are readable.
	recs := readExport(t, f.out)
	raw, ok := recs[0].Raw.Get("sla_status")
	require.True(t, ok)
	assert.JSONEq(t, `{"breached":false,"policy":"gold"}`, string(raw))
	assert.Equal(t, []string{"rank"}, recs[0].Tags[0].Raw.Keys())
	assert.Nil(t, recs[0].IsUnread, "null stays null")
	assert.Equal(t, map[string]any{"order": "1042"}, recs[0].Meta, "meta sent as a string decodes")
	raw, ok = recs[0].Messages[0].Raw.Get("last_sending_error")
	require.True(t, ok)
	assert.JSONEq(t, `"Mailbox unavailable"`, string(raw))
}

// TestExportEndsOnAServerThatNeverEnds: the export follows the cursors
// itself (to save them), so it bounds them as All does: a cursor sent
// again, or empty pages in a row each with a fresh cursor, end the run
// with an error instead of requests until the context ends.
func TestExportEndsOnAServerThatNeverEnds(t *testing.T) {
	for name, tc := range map[string]struct {
		page     func(n int) string
		requests int
		want     string
	}{
		"a cursor again": {func(n int) string {
			return fmt.Sprintf(`{"data":[{"id":%d}],"meta":{"next_cursor":"c%d"}}`, n+1, n%3)
		}, 4, "again"},
		"empty pages": {func(n int) string {
			return fmt.Sprintf(`{"data":[],"meta":{"next_cursor":"c%d"}}`, n)
		}, maxEmptyPages, "empty pages"},
	} {
		t.Run(name, func(t *testing.T) {
			var requests int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				fmt.Fprint(w, tc.page(requests))
				requests++
			}))
			defer srv.Close()
			client, err := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("a@example.com", "key"), gorgias.WithoutRateLimit())
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, _, err = runOnce(t, ctx, client, newExportFiles(t), options{}, nil)
			require.ErrorContains(t, err, tc.want)
			assert.Equal(t, tc.requests, requests)
		})
	}
}
