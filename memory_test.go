//go:build !mutation

package gorgias

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// syntheticTickets serves total compact tickets, generated on the fly so
// the server holds nothing: the heap measured is the walker's.
func syntheticTickets(total int, requests *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		offset, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		end := min(offset+limit, total)
		w.Header().Set("Content-Type", "application/json")
		buf := make([]byte, 0, 64<<10)
		buf = append(buf, `{"object":"list","uri":"/api/tickets","data":[`...)
		for i := offset; i < end; i++ {
			if i > offset {
				buf = append(buf, ',')
			}
			buf = fmt.Appendf(buf, `{"id":%d,"uri":"/api/tickets/%d/","external_id":null,"language":"en","status":"open","priority":"normal",`+
				`"channel":"email","via":"email","from_agent":false,"customer":{"id":%d,"email":"c%d@example.com","name":"Customer %d","firstname":"","lastname":"","meta":null},`+
				`"assignee_user":null,"assignee_team":null,"subject":"Order %d","excerpt":"Where is my order?","integrations":[],"meta":null,"tags":[{"id":1,"name":"order","decoration":{}}],`+
				`"messages_count":2,"is_unread":false,"spam":false,"created_datetime":"2026-08-26T18:38:33.416987+00:00","opened_datetime":null,`+
				`"last_received_message_datetime":"2026-08-26T18:38:33.416987+00:00","last_message_datetime":"2026-08-26T18:38:33.416987+00:00",`+
				`"updated_datetime":"2026-08-26T18:38:33.416987+00:00","closed_datetime":null,"snooze_datetime":null,"trashed_datetime":null}`, i+1, i+1, i+1, i+1, i+1, i+1)
		}
		next := "null"
		if end < total {
			next = `"` + strconv.Itoa(end) + `"`
		}
		buf = fmt.Appendf(buf, `],"meta":{"prev_cursor":null,"next_cursor":%s}}`, next)
		_, _ = w.Write(buf)
	}
}

// walkPeakHeap walks total tickets with All and returns the largest live
// heap seen at page boundaries, and how many requests the walk made.
func walkPeakHeap(t testing.TB, total int) (peak uint64, requests int64) {
	var count atomic.Int64
	// A plain server: newTestClient's records every request, which grows.
	srv := httptest.NewServer(syntheticTickets(total, &count))
	defer srv.Close()
	c, err := NewClient("", WithBaseURL(srv.URL), WithBasicAuth("agent@acme.example", "key"), WithoutRateLimit())
	require.NoError(t, err)
	var ms runtime.MemStats
	n := 0
	for ticket, err := range c.Tickets.All(context.Background(), nil) {
		require.NoError(t, err)
		require.Equal(t, int64(n+1), ticket.ID)
		n++
		if n%100 == 50 { // mid-page: the current page is live
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	require.Equal(t, total, n)
	return peak, count.Load()
}

// TestAllHoldsOnePage walks 1,000 and 100,000 tickets: the live heap must
// not grow with the walk's length (within 2×), and the walk must use
// exactly ceil(N/100) requests.
func TestLongAllHoldsOnePage(t *testing.T) {
	if !*LongTests {
		t.Skip("walks 100,000 tickets: run with -long")
	}
	small, smallReqs := walkPeakHeap(t, 1_000)
	large, largeReqs := walkPeakHeap(t, 100_000)
	t.Logf("peak live heap: %d KiB at 1k tickets, %d KiB at 100k (%.2f×)", small>>10, large>>10, float64(large)/float64(small))
	require.Equal(t, int64(10), smallReqs)
	require.Equal(t, int64(1000), largeReqs)
	require.LessOrEqual(t, float64(large), 2*float64(small), "the walk holds more than one page")
}
