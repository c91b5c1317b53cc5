package gorgias

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptedPages serves a list whose page i holds sizes[i] tickets, each
// page but the last with a fresh next cursor ("c1", "c2"…).
func scriptedPages(sizes ...int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		i := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			i, _ = strconv.Atoi(strings.TrimPrefix(c, "c"))
		}
		var items []string
		for k := range sizes[i] {
			items = append(items, fmt.Sprintf(`{"id":%d}`, 1000*(i+1)+k))
		}
		next := "null"
		if i+1 < len(sizes) {
			next = fmt.Sprintf(`"c%d"`, i+1)
		}
		fmt.Fprintf(w, `{"data":[%s],"meta":{"next_cursor":%s}}`, strings.Join(items, ","), next)
	}
}

// walk runs c.Tickets.All to its end and returns the items and errors.
func walk(c *Client) (n int, errs []error) {
	for _, err := range c.Tickets.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errs
}

// TestEndlessEmptyPagesEndTheWalk: a server answering empty pages, each
// with a fresh cursor, ends the walk after maxEmptyPages of them in a row
// with ErrEmptyPages, instead of sending requests until the context ends.
func TestEndlessEmptyPagesEndTheWalk(t *testing.T) {
	sizes := make([]int, 1000) // all empty, each with a next cursor
	c, ts := newTestClient(t, scriptedPages(sizes...))
	n, errs := walk(c)
	assert.Zero(t, n)
	require.Len(t, errs, 1, "one error, then the walk ends")
	require.ErrorIs(t, errs[0], ErrEmptyPages)
	assert.ErrorContains(t, errs[0], "GET /api/tickets")
	assert.ErrorContains(t, errs[0], strconv.Itoa(maxEmptyPages)+" empty pages in a row")
	assert.Len(t, ts.Requests(), maxEmptyPages, "exactly maxEmptyPages requests")
}

// TestEmptyPagesUnderTheBoundAreWalked: fewer than maxEmptyPages empty
// pages in a row are followed, and a page with items starts the count
// again; an empty last page ends the walk without error.
func TestEmptyPagesUnderTheBoundAreWalked(t *testing.T) {
	var sizes []int
	for range maxEmptyPages - 1 {
		sizes = append(sizes, 0)
	}
	sizes = append(sizes, 2)
	for range maxEmptyPages - 1 {
		sizes = append(sizes, 0)
	}
	sizes = append(sizes, 1, 0)
	c, ts := newTestClient(t, scriptedPages(sizes...))
	n, errs := walk(c)
	require.Empty(t, errs)
	assert.Equal(t, 3, n)
	assert.Len(t, ts.Requests(), len(sizes))
	assert.Equal(t, 10, maxEmptyPages, "the README documents 10")
}

// TestEmptyPagesCountFromTheFirst: the bound counts the first page too.
func TestEmptyPagesCountFromTheFirst(t *testing.T) {
	sizes := make([]int, maxEmptyPages+1)
	sizes[maxEmptyPages] = 1
	c, ts := newTestClient(t, scriptedPages(sizes...))
	_, errs := walk(c)
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], ErrEmptyPages))
	assert.Len(t, ts.Requests(), maxEmptyPages)
}

// TestCallHeaderRefusesTheHeadersTheTransportOwns: each header the SDK or
// net/http sets, in any case, is refused before sending with a
// *ValidationError naming it; Accept-Encoding, for one, would turn off
// transparent decompression and break every answer.
func TestCallHeaderRefusesTheHeadersTheTransportOwns(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "ticket.json")))
	for _, name := range []string{
		"Accept", "Accept-Encoding", "Authorization", "Connection", "Content-Encoding", "Content-Length",
		"Content-Type", "Expect", "Host", "Keep-Alive", "Proxy-Authorization", "Proxy-Connection", "Range",
		"Te", "Trailer", "Transfer-Encoding", "Upgrade", "User-Agent",
	} {
		for _, spelling := range []string{name, strings.ToLower(name), strings.ToUpper(name)} {
			_, err := c.Tickets.Get(context.Background(), 1, nil, CallHeader(spelling, "x"))
			var verr *ValidationError
			require.ErrorAs(t, err, &verr, spelling)
			assert.Equal(t, "CallHeader", verr.Op, spelling)
			require.Len(t, verr.Problems, 1, spelling)
			assert.Equal(t, name, verr.Problems[0].Field, "the problem names the canonical header")
			assert.Contains(t, verr.Problems[0].Message, "itself", spelling)
		}
	}
	for _, opt := range []CallOption{CallHeader("X Note", "a"), CallHeader("X-Note", "a\n")} {
		_, err := c.Tickets.Get(context.Background(), 1, nil, opt)
		var verr *ValidationError
		require.ErrorAs(t, err, &verr, "a bad name or value is a *ValidationError too")
	}
	assert.Empty(t, ts.Requests(), "nothing sent")
	_, err := c.Tickets.Get(context.Background(), 1, nil, CallHeader("Accept-Language", "fr"), CallHeader("X-Correlation-Id", "1"))
	require.NoError(t, err, "other headers pass")
	require.Len(t, ts.Requests(), 1)
	assert.Equal(t, "fr", ts.Requests()[0].Header.Get("Accept-Language"))
}

// TestChangesCheckpointIgnoresAWrongDate: a Date header 72 h ahead cannot
// move the checkpoint past the local clock plus a minute (less the
// margin); one 72 h behind only moves it back, never before the run's
// own checkpoint.
func TestChangesCheckpointIgnoresAWrongDate(t *testing.T) {
	for name, tc := range map[string]struct {
		skew   time.Duration
		margin time.Duration
		want   func(local, since time.Time) time.Time
	}{
		"72 h ahead":                   {72 * time.Hour, DefaultChangesMargin, func(local, _ time.Time) time.Time { return local.Add(maxClockSkew - DefaultChangesMargin) }},
		"72 h ahead, no margin":        {72 * time.Hour, 0, func(local, _ time.Time) time.Time { return local.Add(maxClockSkew) }},
		"72 h behind":                  {-72 * time.Hour, DefaultChangesMargin, func(_, since time.Time) time.Time { return since }},
		"a minute ahead: Date is used": {maxClockSkew, 0, func(local, _ time.Time) time.Time { return local.Add(maxClockSkew) }},
		"30 s ahead: Date is used":     {30 * time.Second, 0, func(local, _ time.Time) time.Time { return local.Add(30 * time.Second) }},
		"10 min behind: Date is used":  {-10 * time.Minute, DefaultChangesMargin, func(local, _ time.Time) time.Time { return local.Add(-11 * time.Minute) }},
	} {
		for _, body := range []string{`{"data":[],"meta":{"next_cursor":null}}`, `{"data":[{"id":1}],"meta":{"next_cursor":null}}`} {
			t.Run(name+" "+body, func(t *testing.T) {
				var local time.Time
				c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Date", local.Add(tc.skew).Format(http.TimeFormat))
					fmt.Fprint(w, body)
				})
				local = clockOf(c).now().Truncate(time.Second) // Date has whole seconds
				clockOf(c).add(local.Sub(clockOf(c).now()))
				since := local.Add(-time.Hour)
				changes := c.Tickets.Changes(context.Background(), since).WithMargin(tc.margin)
				for _, err := range changes.All() {
					require.NoError(t, err)
				}
				next, err := changes.Checkpoint()
				require.NoError(t, err)
				assert.Equal(t, tc.want(local, since).UTC(), next.UTC())
				assert.False(t, next.After(local.Add(maxClockSkew)), "never more than a minute past the local clock")
			})
		}
	}
}

// ignoringTickets plays a server that ignores the external_id filter: it
// lists the whole account, two tickets a page, the ticket carrying
// "order-7" on the second page. It counts the writes it receives.
func ignoringTickets(writes *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writes.Add(1)
			fmt.Fprint(w, `{"id":99,"external_id":"order-7"}`)
			return
		}
		if r.URL.Query().Get("cursor") == "" {
			fmt.Fprint(w, `{"data":[{"id":1,"external_id":"a"},{"id":2,"external_id":null}],"meta":{"next_cursor":"p2"}}`)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":3,"external_id":"order-7"}],"meta":{"next_cursor":null}}`)
	}
}

// TestAnIgnoredFilterIsNotAbsence: when the answer to the external_id
// lookup holds other tickets and a next cursor, FindByExternalID returns a
// *FilterIgnoredError instead of "none", and neither CreateOnce nor Upsert
// sends a create.
func TestAnIgnoredFilterIsNotAbsence(t *testing.T) {
	var writes atomic.Int32
	c, _ := newTestClient(t, ignoringTickets(&writes))
	ctx := context.Background()
	check := func(err error, op string) {
		t.Helper()
		var ignored *FilterIgnoredError
		require.ErrorAs(t, err, &ignored, op)
		assert.Equal(t, op, ignored.Op)
		assert.Equal(t, "external_id", ignored.Filter)
		assert.Equal(t, "order-7", ignored.Value)
		assert.ErrorContains(t, err, `ignored the filter external_id="order-7"`)
	}
	found, err := c.Tickets.FindByExternalID(ctx, "order-7")
	assert.Nil(t, found)
	check(err, "Tickets.FindByExternalID")

	ticket, created, err := c.Tickets.CreateOnce(ctx, onceTicket("order-7"))
	assert.Nil(t, ticket)
	assert.False(t, created)
	check(err, "Tickets.FindByExternalID")

	ticket, result, err := c.Tickets.Upsert(ctx, "order-7", minimalTicket(), &UpdateTicketRequest{Status: StatusClosed})
	assert.Nil(t, ticket)
	assert.Zero(t, result)
	check(err, "Tickets.FindByExternalID")
	assert.Zero(t, writes.Load(), "no create, no update")
}

// TestFindByExternalIDWalksAFilteredList: with the filter applied, one
// match and a next cursor is not proof of a second ticket: the lookup
// walks on, and finds one, or two.
func TestFindByExternalIDWalksAFilteredList(t *testing.T) {
	for name, second := range map[string]string{"one": `[]`, "two": `[{"id":4,"external_id":"order-7"}]`} {
		c, ts := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			assert.Equal(t, "order-7", r.URL.Query().Get("external_id"))
			if r.URL.Query().Get("cursor") == "" {
				fmt.Fprint(w, `{"data":[{"id":3,"external_id":"order-7"}],"meta":{"next_cursor":"p2"}}`)
				return
			}
			fmt.Fprintf(w, `{"data":%s,"meta":{"next_cursor":null}}`, second)
		})
		found, err := c.Tickets.FindByExternalID(context.Background(), "order-7")
		if name == "one" {
			require.NoError(t, err)
			assert.Equal(t, int64(3), found.ID)
		} else {
			require.ErrorContains(t, err, "several tickets carry")
			assert.Nil(t, found)
		}
		assert.Len(t, ts.Requests(), 2, name)
	}
	// An ignored filter on the last page is not an error: the whole list
	// was seen.
	c, _ := newTestClient(t, respond(200, []byte(`{"data":[{"id":1,"external_id":"a"},{"id":3,"external_id":"order-7"}],"meta":{"next_cursor":null}}`)))
	found, err := c.Tickets.FindByExternalID(context.Background(), "order-7")
	require.NoError(t, err)
	assert.Equal(t, int64(3), found.ID)
}

// TestMessagesCreateOnceIgnoredFilter: when the messages' list ignores
// ticket_id and answers with other tickets' messages, Messages.CreateOnce
// neither returns another ticket's message carrying the external id nor
// sends a create.
func TestMessagesCreateOnceIgnoredFilter(t *testing.T) {
	var writes atomic.Int32
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writes.Add(1)
			fmt.Fprint(w, `{"id":50,"ticket_id":7,"external_id":"call-55"}`)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":1,"ticket_id":8,"external_id":"x"},{"id":2,"ticket_id":8,"external_id":"call-55"}],"meta":{"next_cursor":"p2"}}`)
	})
	req := InternalNote("Call summary")
	req.ExternalID = "call-55"
	m, created, err := c.Messages.CreateOnce(context.Background(), 7, req)
	var ignored *FilterIgnoredError
	require.ErrorAs(t, err, &ignored)
	assert.Equal(t, "Messages.CreateOnce", ignored.Op)
	assert.Equal(t, "ticket_id", ignored.Filter)
	assert.Equal(t, "7", ignored.Value)
	assert.Nil(t, m)
	assert.False(t, created)
	assert.Zero(t, writes.Load())
}

// blockingCreates plays a server whose creates block until release is
// closed, and counts them; inside receives a signal for each create that
// arrived. With commitFirst the ticket is listed as soon as the create
// arrives, else once it is released.
type blockingCreates struct {
	creates   atomic.Int32
	committed atomic.Bool
	inside    chan struct{}
	release   chan struct{}
	closeOnce sync.Once
}

func newBlockingCreates(t *testing.T, commitFirst bool) (*blockingCreates, *Client) {
	b := &blockingCreates{inside: make(chan struct{}, 8), release: make(chan struct{})}
	t.Cleanup(b.let)
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			if b.committed.Load() {
				fmt.Fprint(w, `{"data":[{"id":77,"external_id":"order-1"}],"meta":{"next_cursor":null}}`)
				return
			}
			fmt.Fprint(w, `{"data":[],"meta":{"next_cursor":null}}`)
			return
		}
		b.creates.Add(1)
		if commitFirst {
			b.committed.Store(true)
		}
		b.inside <- struct{}{}
		<-b.release
		b.committed.Store(true)
		fmt.Fprint(w, `{"id":77,"external_id":"order-1"}`)
	}, WithVisibilityWindow(time.Second))
	c.creates.joined = func() { b.inside <- struct{}{} }
	return b, c
}

func (b *blockingCreates) let() { b.closeOnce.Do(func() { close(b.release) }) }

type onceResult struct {
	ticket  *Ticket
	created bool
	err     error
}

func createOnceAsync(ctx context.Context, c *Client, callOpts ...CallOption) chan onceResult {
	out := make(chan onceResult, 1)
	go func() {
		ticket, created, err := c.Tickets.CreateOnce(ctx, onceTicket("order-1"), callOpts...)
		out <- onceResult{ticket, created, err}
	}()
	return out
}

// TestConcurrentCreateOnceSendsOneCreate: two CreateOnce calls for one
// external id on one client, both inside while the create is on its way
// (the server holds it until both are), send one create and both get its
// outcome.
func TestConcurrentCreateOnceSendsOneCreate(t *testing.T) {
	b, c := newBlockingCreates(t, false)
	var meta ResponseMeta
	first, second := createOnceAsync(context.Background(), c, CallMeta(&meta)), createOnceAsync(context.Background(), c)
	<-b.inside // the create arrived
	<-b.inside // and the other call joined it (before the fix: sent its own)
	b.let()
	for _, r := range []onceResult{<-first, <-second} {
		require.NoError(t, r.err)
		assert.Equal(t, int64(77), r.ticket.ID)
		assert.True(t, r.created, "every caller gets the create's outcome")
	}
	assert.Equal(t, int32(1), b.creates.Load(), "one create sent")
	assert.Equal(t, http.StatusOK, meta.StatusCode, "a caller's CallMeta describes the create's answer")
	assert.Empty(t, c.creates.flights, "nothing kept once done")

	other, err := NewClient("", WithBaseURL(c.BaseURL()), withClock(newTestClock()))
	require.NoError(t, err)
	assert.NotSame(t, c.creates, other.creates, "state is the client's")
}

// TestCreateOnceCallerGivingUpLeavesTheOthers: a caller whose context ends
// while the create is on its way returns an *UnknownOutcomeError at once;
// the create goes on for the caller still waiting, which gets it, and is
// not sent twice.
func TestCreateOnceCallerGivingUpLeavesTheOthers(t *testing.T) {
	b, c := newBlockingCreates(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	quitter, stayer := createOnceAsync(ctx, c), createOnceAsync(context.Background(), c)
	<-b.inside
	<-b.inside
	cancel()
	r := <-quitter
	var unknown *UnknownOutcomeError
	require.ErrorAs(t, r.err, &unknown)
	assert.ErrorIs(t, r.err, context.Canceled)
	assert.Equal(t, "order-1", unknown.ExternalID)
	b.let()
	r = <-stayer
	require.NoError(t, r.err)
	assert.Equal(t, int64(77), r.ticket.ID)
	assert.True(t, r.created)
	assert.Equal(t, int32(1), b.creates.Load())
}

// TestCreateOnceAllCallersGivingUpEndTheCreate: when every caller has
// given up, the create's call is cancelled (nothing runs on behind them),
// and a later call looks before it sends: still one create.
func TestCreateOnceAllCallersGivingUpEndTheCreate(t *testing.T) {
	b, c := newBlockingCreates(t, true)
	before := runtime.NumGoroutine()
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	r1, r2 := createOnceAsync(ctx1, c), createOnceAsync(ctx2, c)
	<-b.inside
	<-b.inside
	cancel1()
	cancel2()
	for _, r := range []onceResult{<-r1, <-r2} {
		var unknown *UnknownOutcomeError
		require.ErrorAs(t, r.err, &unknown)
	}
	b.let()
	r := <-createOnceAsync(context.Background(), c)
	require.NoError(t, r.err)
	assert.Equal(t, int64(77), r.ticket.ID)
	assert.False(t, r.created, "found: the abandoned create had landed")
	assert.Equal(t, int32(1), b.creates.Load())
	c.httpClient.CloseIdleConnections()
	requireGoroutinesBack(t, before)
	c.creates.mu.Lock()
	defer c.creates.mu.Unlock()
	assert.Empty(t, c.creates.flights)
}

// TestConcurrentUpsertsSendOneCreate: two Upserts of one external id that
// both find no ticket send one create between them (their CreateOnce calls
// are coalesced), and both say they created it.
func TestConcurrentUpsertsSendOneCreate(t *testing.T) {
	b, c := newBlockingCreates(t, false)
	results := make(chan UpsertResult, 2)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, result, err := c.Tickets.Upsert(context.Background(), "order-1", minimalTicket(), nil)
			results <- result
			errs <- err
		}()
	}
	<-b.inside
	<-b.inside
	b.let()
	for range 2 {
		require.NoError(t, <-errs)
		assert.Equal(t, Created, <-results)
	}
	assert.Equal(t, int32(1), b.creates.Load())
}

// TestChangesRefusesAnUnorderedList: Changes stops at the first ticket
// changed before the checkpoint, which is only right when the list is
// ordered by updated_datetime, newest first. A server that ignores
// order_by (here: the oldest change first) would make it stop before the
// newer tickets; a ticket changed later than the one before it ends the
// walk with a *FilterIgnoredError instead, and no checkpoint is given.
func TestChangesRefusesAnUnorderedList(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"data":[`+
			`{"id":1,"updated_datetime":"2026-11-30T10:00:00Z"},`+
			`{"id":2,"updated_datetime":"2026-11-30T09:00:00Z"},`+
			`{"id":3,"updated_datetime":"2026-11-30T11:00:00Z"}],"meta":{"next_cursor":null}}`)
	})
	since := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	changes := c.Tickets.Changes(context.Background(), since)
	var seen []int64
	var walkErr error
	for tk, err := range changes.All() {
		if err != nil {
			walkErr = err
			break
		}
		seen = append(seen, tk.ID)
	}
	var ignored *FilterIgnoredError
	require.ErrorAs(t, walkErr, &ignored)
	assert.Equal(t, "order_by", ignored.Filter)
	assert.Equal(t, string(TicketOrderUpdatedDesc), ignored.Value)
	assert.Contains(t, ignored.Got, "3")
	assert.Equal(t, []int64{1, 2}, seen, "the tickets before the one out of order are yielded")
	_, err := changes.Checkpoint()
	require.Error(t, err, "an unordered walk gives no checkpoint")

	// Equal datetimes in a row are in order.
	c, _ = newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"data":[`+
			`{"id":1,"updated_datetime":"2026-11-30T10:00:00Z"},`+
			`{"id":2,"updated_datetime":"2026-11-30T10:00:00Z"}],"meta":{"next_cursor":null}}`)
	})
	changes = c.Tickets.Changes(context.Background(), since)
	for _, err := range changes.All() {
		require.NoError(t, err)
	}
	_, err = changes.Checkpoint()
	require.NoError(t, err)
}
