package gorgias

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTicketStore answers POST /api/tickets and GET /api/tickets?external_id
// like Gorgias, with scripted failures: each create answers with the next
// of createAnswers ("ok", "502 after commit", "502", "drop after commit",
// "400"), and a committed ticket becomes visible only after visibleAfter
// lookups.
type fakeTicketStore struct {
	mu            sync.Mutex
	createAnswers []string
	creates       int
	lookups       int
	visibleAfter  int
	tickets       map[string]int64 // external id → ticket id
	committedAt   map[string]int   // external id → lookups count when committed
}

func (f *fakeTicketStore) handler(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		switch r.Method {
		case http.MethodGet:
			f.lookups++
			ext := r.URL.Query().Get("external_id")
			id, ok := f.tickets[ext]
			if ok && f.lookups-f.committedAt[ext] > f.visibleAfter {
				fmt.Fprintf(w, `{"data":[{"id":%d,"external_id":%q}],"meta":{"next_cursor":null}}`, id, ext)
				return
			}
			fmt.Fprint(w, `{"data":[],"meta":{"next_cursor":null}}`)
		case http.MethodPost:
			answer := "ok"
			if f.creates < len(f.createAnswers) {
				answer = f.createAnswers[f.creates]
			}
			f.creates++
			var body struct {
				ExternalID string `json:"external_id"`
			}
			require.NoError(t, decodeJSON(mustRead(r), &body))
			commit := func() int64 {
				id := int64(1000 + len(f.tickets))
				f.tickets[body.ExternalID] = id
				f.committedAt[body.ExternalID] = f.lookups
				return id
			}
			switch answer {
			case "ok":
				fmt.Fprintf(w, `{"id":%d,"external_id":%q}`, commit(), body.ExternalID)
			case "502 after commit":
				commit()
				w.WriteHeader(http.StatusBadGateway)
			case "502":
				w.WriteHeader(http.StatusBadGateway)
			case "drop after commit":
				commit()
				conn, _, err := w.(http.Hijacker).Hijack()
				require.NoError(t, err)
				_ = conn.Close()
			case "400":
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"error":{"msg":"bad","data":{"messages":["Missing data for required field."]}}}`)
			}
		}
	}
}

func mustRead(r *http.Request) []byte {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return []byte(b.String())
		}
	}
}

func newFakeTicketStore(answers ...string) *fakeTicketStore {
	return &fakeTicketStore{createAnswers: answers, tickets: map[string]int64{}, committedAt: map[string]int{}}
}

func onceTicket(ext string) *CreateTicketRequest {
	req := minimalTicket()
	req.ExternalID = ext
	return req
}

func TestCreateOnce(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name         string
		answers      []string
		visibleAfter int
		created      bool
		creates      int
		wantErr      string
	}{
		{"created at the first try", []string{"ok"}, 0, true, 1, ""},
		{"a proxy's 502 after the commit: found, not sent again", []string{"502 after commit"}, 0, true, 1, ""},
		{"found only after a few looks", []string{"502 after commit"}, 3, true, 1, ""},
		{"the connection drops after the commit: found", []string{"drop after commit"}, 2, true, 1, ""},
		{"a 502 that created nothing: sent again after the window", []string{"502", "ok"}, 0, true, 2, ""},
		{"a 400 is certain: not looked for, not sent again", []string{"400"}, 0, false, 1, "400"},
		{"three 502s without a ticket: the outcome stays unknown", []string{"502", "502", "502"}, 0, false, 3, "unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := newFakeTicketStore(tc.answers...)
			store.visibleAfter = tc.visibleAfter
			c, _ := newTestClient(t, store.handler(t), WithVisibilityWindow(10*time.Second))
			ticket, created, err := c.Tickets.CreateOnce(ctx, onceTicket("order-1042"))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Nil(t, ticket)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tc.created, created)
				assert.Equal(t, store.tickets["order-1042"], ticket.ID)
			}
			assert.Equal(t, tc.creates, store.creates, "creates sent")
			assert.LessOrEqual(t, len(store.tickets), 1, "never two tickets")
			for _, d := range clockOf(c).Sleeps() {
				assert.LessOrEqual(t, d, 10*time.Second)
			}
		})
	}
}

func TestCreateOnceFindsWhatAPreviousRunCreated(t *testing.T) {
	store := newFakeTicketStore()
	store.tickets["order-7"], store.committedAt["order-7"] = 555, -1
	c, _ := newTestClient(t, store.handler(t))
	ticket, created, err := c.Tickets.CreateOnce(context.Background(), onceTicket("order-7"))
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, int64(555), ticket.ID)
	assert.Zero(t, store.creates)
}

func TestCreateOnceUnknownWhenTheContextEnds(t *testing.T) {
	store := newFakeTicketStore("502")
	c, _ := newTestClient(t, store.handler(t))
	ctx, cancel := context.WithCancel(context.Background())
	clockOf(c).onSleep = func(time.Duration) { cancel() }
	_, _, err := c.Tickets.CreateOnce(ctx, onceTicket("order-9"))
	var unknown *UnknownOutcomeError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, "order-9", unknown.ExternalID)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestCreateOnceNeedsAnExternalID(t *testing.T) {
	c, ts := newTestClient(t, respond(200, nil))
	_, _, err := c.Tickets.CreateOnce(context.Background(), minimalTicket())
	requireNoRequest(t, ts, err)
	assert.ErrorContains(t, err, "external_id")
	id := NewExternalID()
	assert.Regexp(t, `^gorgias-go-[0-9a-f]{32}$`, id)
	assert.NotEqual(t, id, NewExternalID())
}

func TestMessagesCreateOnce(t *testing.T) {
	var posts atomic.Int32
	var committed atomic.Bool
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
			committed.Store(true)
			w.WriteHeader(http.StatusGatewayTimeout)
			return
		}
		assert.Equal(t, "/api/messages", r.URL.Path)
		assert.Equal(t, "7", r.URL.Query().Get("ticket_id"))
		if committed.Load() {
			fmt.Fprint(w, `{"data":[{"id":1,"external_id":"other"},{"id":2,"external_id":"call-55"}],"meta":{"next_cursor":null}}`)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":1,"external_id":"other"}],"meta":{"next_cursor":null}}`)
	})
	req := InternalNote("Call summary")
	req.ExternalID = "call-55"
	m, created, err := c.Messages.CreateOnce(context.Background(), 7, req)
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, int64(2), m.ID)
	assert.Equal(t, int32(1), posts.Load())
}

func TestUpsert(t *testing.T) {
	ctx := context.Background()
	store := newFakeTicketStore()
	var puts []string
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			puts = append(puts, r.URL.Path)
			fmt.Fprint(w, `{"id":1000,"status":"closed"}`)
			return
		}
		store.handler(t)(w, r)
	})
	create := minimalTicket()
	update := &UpdateTicketRequest{Status: StatusClosed}
	ticket, result, err := c.Tickets.Upsert(ctx, "order-1", create, update)
	require.NoError(t, err)
	assert.Equal(t, Created, result)
	assert.Equal(t, int64(1000), ticket.ID)
	assert.Empty(t, create.ExternalID, "the caller's request is not changed")

	ticket, result, err = c.Tickets.Upsert(ctx, "order-1", create, update)
	require.NoError(t, err)
	assert.Equal(t, Updated, result)
	assert.Equal(t, StatusClosed, ticket.Status)
	assert.Equal(t, []string{"/api/tickets/1000"}, puts)

	_, result, err = c.Tickets.Upsert(ctx, "order-1", create, nil)
	require.NoError(t, err)
	assert.Equal(t, Unchanged, result)
	assert.Equal(t, "unchanged", result.String())
	assert.Equal(t, 1, store.creates)
}

func TestChangesWalksTillTheCheckpoint(t *testing.T) {
	base := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	at := func(minutes int) string { return base.Add(time.Duration(minutes) * time.Minute).Format(timeLayout) }
	pages := map[string]string{
		"": fmt.Sprintf(`{"data":[{"id":5,"updated_datetime":%q},{"id":4,"updated_datetime":%q}],"meta":{"next_cursor":"p2"}}`, at(50), at(40)),
		"p2": fmt.Sprintf(`{"data":[{"id":3,"updated_datetime":%q},{"id":2,"updated_datetime":%q},{"id":1,"updated_datetime":%q}],"meta":{"next_cursor":"p3"}}`,
			at(30), at(10), at(5)),
		"p3": `{"data":[{"id":0}],"meta":{"next_cursor":null}}`,
	}
	serverNow := base.Add(2 * time.Hour)
	c, ts := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "updated_datetime:desc", r.URL.Query().Get("order_by"))
		w.Header().Set("Date", serverNow.Format(http.TimeFormat))
		fmt.Fprint(w, pages[r.URL.Query().Get("cursor")])
	})
	changes := c.Tickets.Changes(context.Background(), base.Add(10*time.Minute))
	_, err := changes.Checkpoint()
	require.Error(t, err, "no checkpoint before the walk ends")
	var ids []int64
	for tk, err := range changes.All() {
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}
	assert.Equal(t, []int64{5, 4, 3, 2}, ids, "a ticket changed at the checkpoint is included; the walk stops at the first older one")
	assert.Len(t, ts.Requests(), 2, "the third page is never fetched")
	next, err := changes.Checkpoint()
	require.NoError(t, err)
	assert.Equal(t, serverNow.Add(-DefaultChangesMargin), next, "the walk's start on the server's clock, less the margin")
}

func TestChangesStoppedEarlyHasNoCheckpoint(t *testing.T) {
	c, _ := newTestClient(t, respond(200, []byte(`{"data":[{"id":1,"updated_datetime":"2026-11-20T12:00:00Z"},{"id":2}],"meta":{"next_cursor":null}}`)))
	changes := c.Tickets.Changes(context.Background(), time.Time{})
	for range changes.All() { //nolint:errcheck // the loop stops at once: the walk's end is what is tested
		break
	}
	_, err := changes.Checkpoint()
	require.ErrorContains(t, err, "did not run to its end")
}
