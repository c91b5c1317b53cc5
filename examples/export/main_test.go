package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decodeLines(t *testing.T, data string) []gorgias.Ticket {
	t.Helper()
	var recs []gorgias.Ticket
	for _, line := range strings.Split(strings.TrimSpace(data), "\n") {
		var r gorgias.Ticket
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		recs = append(recs, r)
	}
	return recs
}

func TestExportEveryTicketWithMessages(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 230}), gorgiastest.WithoutRateLimit())
	var out, progress bytes.Buffer
	n, err := run(context.Background(), srv.Client(gorgias.WithoutRateLimit()), options{withMessages: true}, &out, &progress)
	require.NoError(t, err)
	assert.Equal(t, 230, n)
	recs := decodeLines(t, out.String())
	require.Len(t, recs, 230)
	ids := map[int64]bool{}
	for i, r := range recs {
		ids[r.ID] = true
		require.NotEmpty(t, r.Messages, "ticket %d has its messages", r.ID)
		assert.Equal(t, *r.MessagesCount, len(r.Messages))
		if i > 0 {
			assert.Greater(t, r.ID, recs[i-1].ID, "oldest first")
		}
	}
	assert.Len(t, ids, 230)
	assert.Contains(t, progress.String(), "Exported 100 tickets…")
	assert.Contains(t, progress.String(), "Exported 230 tickets. Done.")
}

// TestExportResumes interrupts an export after its first page and checks
// the second run writes the rest, and nothing twice.
func TestExportResumes(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 250}), gorgiastest.WithoutRateLimit())
	client := srv.Client(gorgias.WithoutRateLimit())
	cursorFile := filepath.Join(t.TempDir(), "export.cursor")

	var out bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	progress := &cancelAfterFirstPage{cancel: cancel}
	_, err := run(ctx, client, options{cursorFile: cursorFile}, &out, progress)
	require.ErrorIs(t, err, context.Canceled)
	first := decodeLines(t, out.String())
	require.Len(t, first, 100)
	saved, err := os.ReadFile(cursorFile)
	require.NoError(t, err)
	assert.NotEmpty(t, strings.TrimSpace(string(saved)))

	var rest, progress2 bytes.Buffer
	n, err := run(context.Background(), client, options{cursorFile: cursorFile}, &rest, &progress2)
	require.NoError(t, err)
	assert.Equal(t, 150, n)
	assert.Contains(t, progress2.String(), "Resuming from the saved cursor.")
	ids := map[int64]bool{}
	for _, r := range append(first, decodeLines(t, rest.String())...) {
		require.False(t, ids[r.ID], "ticket %d exported twice", r.ID)
		ids[r.ID] = true
	}
	assert.Len(t, ids, 250)
	_, err = os.Stat(cursorFile)
	assert.ErrorIs(t, err, os.ErrNotExist, "a finished export removes its cursor")
}

// cancelAfterFirstPage cancels the export when it reports its first page.
type cancelAfterFirstPage struct {
	cancel context.CancelFunc
}

func (c *cancelAfterFirstPage) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "Exported") {
		c.cancel()
	}
	return len(p), nil
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

	var out, progress bytes.Buffer
	n, err := run(context.Background(), client, options{withMessages: true}, &out, &progress)
	require.NoError(t, err)
	require.Equal(t, 1, n)

	var want map[string]any
	require.NoError(t, json.Unmarshal([]byte(oddTicket), &want))
	var msg any
	require.NoError(t, json.Unmarshal([]byte(oddMessage), &msg))
	want["messages"] = []any{msg}
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	assert.JSONEq(t, string(wantJSON), out.String())

	// And the values the structs do not declare are readable.
	recs := decodeLines(t, out.String())
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
