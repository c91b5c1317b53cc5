package gorgias

import (
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedTickets serves total tickets in pages, the cursor being the offset.
func pagedTickets(total int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit == 0 {
			limit = 30
		}
		page := Page[Ticket]{}
		for i := offset; i < total && i < offset+limit; i++ {
			page.Data = append(page.Data, Ticket{ID: int64(i + 1), Status: StatusOpen})
		}
		if offset+limit < total {
			page.NextCursor = strconv.Itoa(offset + limit)
		}
		if offset > 0 {
			page.PrevCursor = strconv.Itoa(max(0, offset-limit))
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(page)
	}
}

func TestAllWalksEveryPage(t *testing.T) {
	c, ts := newTestClient(t, pagedTickets(250))
	var ids []int64
	for ticket, err := range c.Tickets.All(context.Background(), &ListTicketsOptions{OrderBy: TicketOrderCreatedAsc}) {
		require.NoError(t, err)
		ids = append(ids, ticket.ID)
	}
	require.Len(t, ids, 250)
	for i, id := range ids {
		require.Equal(t, int64(i+1), id, "no item lost or repeated")
	}
	reqs := ts.Requests()
	require.Len(t, reqs, 3, "ceil(250/100) requests")
	for i, r := range reqs {
		assert.Equal(t, "100", r.Query.Get("limit"), "All uses full pages")
		assert.Equal(t, "created_datetime:asc", r.Query.Get("order_by"), "filters stay the same on every page")
		assert.Equal(t, []string{"", "100", "200"}[i], r.Query.Get("cursor"))
	}
}

func TestAllKeepsCallerLimitAndDoesNotModifyOptions(t *testing.T) {
	c, ts := newTestClient(t, pagedTickets(25))
	opts := &ListTicketsOptions{ListOptions: ListOptions{Limit: 10}}
	n := 0
	for _, err := range c.Tickets.All(context.Background(), opts) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 25, n)
	assert.Len(t, ts.Requests(), 3)
	assert.Equal(t, ListOptions{Limit: 10}, opts.ListOptions, "the caller's options are not modified")
}

func TestAllFetchesLazilyAndStopsOnBreak(t *testing.T) {
	c, ts := newTestClient(t, pagedTickets(1000))
	n := 0
	for _, err := range c.Tickets.All(context.Background(), nil) {
		require.NoError(t, err)
		n++
		if n == 150 {
			break
		}
	}
	assert.Len(t, ts.Requests(), 2, "the third page is never fetched")
}

func TestAllReportsErrorsAndStops(t *testing.T) {
	c, ts := newTestClient(t, sequence(pagedTickets(300), respond(404, fixture(t, "error_404.json"))))
	n, errs := 0, 0
	for ticket, err := range c.Tickets.All(context.Background(), nil) {
		if err != nil {
			errs++
			assert.ErrorIs(t, err, ErrNotFound)
			assert.Nil(t, ticket)
			continue
		}
		n++
	}
	assert.Equal(t, 100, n)
	assert.Equal(t, 1, errs, "the error is yielded once, then the walk ends")
	assert.Len(t, ts.Requests(), 2)
}

func TestAllValidatesOptions(t *testing.T) {
	c, ts := newTestClient(t, pagedTickets(10))
	for _, err := range c.Tickets.All(context.Background(), &ListTicketsOptions{ListOptions: ListOptions{Limit: 500}}) {
		requireNoRequest(t, ts, err)
	}
}

func TestAllStopsWhenContextEnds(t *testing.T) {
	c, ts := newTestClient(t, pagedTickets(1000))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last error
	n := 0
	for _, err := range c.Tickets.All(ctx, nil) {
		if err != nil {
			last = err
			break
		}
		n++
		if n == 100 {
			cancel()
		}
	}
	assert.Equal(t, 100, n)
	require.ErrorIs(t, last, context.Canceled)
	assert.Len(t, ts.Requests(), 1)
}

func TestAllStopsOnRepeatedCursor(t *testing.T) {
	body := []byte(`{"data":[{"id":1}],"meta":{"next_cursor":"same","prev_cursor":null}}`)
	c, ts := newTestClient(t, respond(200, body))
	var errs []error
	n := 0
	for _, err := range c.Tickets.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	require.Len(t, errs, 1)
	assert.Equal(t, 2, n)
	assert.Len(t, ts.Requests(), 2)
}

func TestPageDecodesEveryListShape(t *testing.T) {
	for name, body := range map[string]string{
		"envelope":  `{"object":"list","uri":"/api/tags","data":[{"id":1},{"id":2}],"meta":{"prev_cursor":"p","next_cursor":"n","total_resources":12}}`,
		"data only": `{"data":[{"id":1},{"id":2}]}`,
		"bare":      ` [{"id":1},{"id":2}]`,
	} {
		var p Page[IDRef]
		require.NoError(t, json.Unmarshal([]byte(body), &p), name)
		assert.Equal(t, []IDRef{{1}, {2}}, p.Data, name)
		if name == "envelope" {
			assert.Equal(t, "n", p.NextCursor)
			assert.Equal(t, "p", p.PrevCursor)
			assert.Equal(t, int64(12), *p.TotalResources)
		} else {
			assert.Empty(t, p.NextCursor, "%s is a single, last page", name)
			assert.Nil(t, p.TotalResources)
		}
	}
	var p Page[IDRef]
	for _, bad := range []string{`{"items":[]}`, `"x"`, `{"data":{}}`, `{"data":[`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &p), bad)
	}
}

// TestAllLeavesNoGoroutine: a walk that breaks early leaves nothing
// running behind it.
func TestAllLeavesNoGoroutine(t *testing.T) {
	c, _ := newTestClient(t, pagedTickets(1000))
	before := runtime.NumGoroutine()
	for range 5 {
		for _, err := range c.Tickets.All(context.Background(), nil) {
			require.NoError(t, err)
			break
		}
	}
	c.httpClient.CloseIdleConnections()
	requireGoroutinesBack(t, before)
}

// TestPageUnmarshalJSONOfNothingIsAnError: called directly (json.Unmarshal
// never passes empty input), UnmarshalJSON refuses empty or blank input
// with an error instead of indexing past its end.
func TestPageUnmarshalJSONOfNothingIsAnError(t *testing.T) {
	for _, data := range []string{"", "  \n"} {
		var p Page[IDRef]
		require.NotPanics(t, func() {
			assert.ErrorContains(t, p.UnmarshalJSON([]byte(data)), "a list must be a JSON object or array", "%q", data)
		})
	}
}

// TestAllFollowsACursorOfTheLongestLength: a cursor of exactly
// maxCursorLength bytes is followed; only a longer one ends the walk
// (TestLongCursorsEndTheWalk).
func TestAllFollowsACursorOfTheLongestLength(t *testing.T) {
	longest := strings.Repeat("x", maxCursorLength)
	c, ts := newTestClient(t, sequence(respond(200, pageOfTickets(1, longest)), respond(200, pageOfTickets(2, ""))))
	n := 0
	for _, err := range c.Tickets.All(context.Background(), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n, "both pages walked")
	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, longest, reqs[1].Query.Get("cursor"))
}
