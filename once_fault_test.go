//go:build !mutation

package gorgias_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// createOnceUnderFaults runs n CreateOnce calls (8 at a time) against a
// fake whose creates fail in every way a network can make them: the
// connection drops after the ticket was committed (and the ticket shows up
// only later), drops before, or a proxy answers 502. A caller that gets an
// UnknownOutcomeError calls again, as a program would. It returns the
// external ids and the fake.
func createOnceUnderFaults(t *testing.T, n int, window, maxVisibleAfter time.Duration, seed uint64) ([]string, *gorgiastest.Server) {
	rng := rand.New(rand.NewPCG(seed, 1))
	var plan []gorgiastest.Fault
	for call := 1; call <= n; call++ {
		switch r := rng.Float64(); {
		case r < 0.15:
			plan = append(plan, gorgiastest.Fault{On: "POST /api/tickets", Call: call, Kind: gorgiastest.FaultCommitThenDrop,
				VisibleAfter: time.Duration(rng.Int64N(int64(maxVisibleAfter) + 1))})
		case r < 0.20:
			plan = append(plan, gorgiastest.Fault{On: "POST /api/tickets", Call: call, Kind: gorgiastest.FaultDrop})
		case r < 0.25:
			plan = append(plan, gorgiastest.Fault{On: "POST /api/tickets", Call: call, Kind: gorgiastest.FaultServerError, Status: 502})
		case r < 0.30:
			plan = append(plan, gorgiastest.Fault{On: "POST /api/tickets", Call: call, Kind: gorgiastest.FaultDelayVisibility,
				VisibleAfter: time.Duration(rng.Int64N(int64(maxVisibleAfter) + 1))})
		}
	}
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithFault(plan...))
	client := srv.Client(gorgias.WithoutRateLimit(), gorgias.WithVisibilityWindow(window),
		gorgias.WithRetryPolicy(3, time.Millisecond, 5*time.Millisecond))
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("order-%d-%d", seed, i)
	}
	var wg sync.WaitGroup
	work := make(chan string)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				req := &gorgias.CreateTicketRequest{ExternalID: id, Customer: &gorgias.CustomerRef{Email: id + "@example.com"},
					Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelAPI, FromAgent: gorgias.Ptr(false), BodyText: "Where is " + id + "?"}}}
				for attempt := 0; ; attempt++ {
					_, _, err := client.Tickets.CreateOnce(context.Background(), req)
					var unknown *gorgias.UnknownOutcomeError
					if errors.As(err, &unknown) && attempt < 5 {
						continue // a program would try again later, with the same request
					}
					assert.NoError(t, err, id)
					break
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return ids, srv
}

// ticketsByExternalID counts the fake's tickets for each external id, once
// everything is visible.
func ticketsByExternalID(t *testing.T, srv *gorgiastest.Server) map[string]int {
	counts := map[string]int{}
	for tk, err := range srv.Client(gorgias.WithoutRateLimit()).Tickets.All(context.Background(), nil) {
		require.NoError(t, err)
		if tk.ExternalID != nil {
			counts[*tk.ExternalID]++
		}
	}
	return counts
}

// TestCreateOnceUnderFaultsNeitherDuplicatesNorLoses: while the fake makes
// what it commits visible within the client's visibility window, every
// create lands exactly once, whatever happened to its answer.
func TestCreateOnceUnderFaultsNeitherDuplicatesNorLoses(t *testing.T) {
	checkCreateOnceUnderFaults(t, 200)
}

// TestLongCreateOnceUnderFaults is the same with 3,000 creates.
func TestLongCreateOnceUnderFaults(t *testing.T) {
	if !*gorgias.LongTests {
		t.Skip("3,000 creates: run with -long")
	}
	checkCreateOnceUnderFaults(t, 3000)
}

func checkCreateOnceUnderFaults(t *testing.T, n int) {
	ids, srv := createOnceUnderFaults(t, n, 150*time.Millisecond, 60*time.Millisecond, uint64(n))
	srv.Advance(time.Hour) // every delayed ticket shows up for the count
	counts := ticketsByExternalID(t, srv)
	for _, id := range ids {
		require.Equal(t, 1, counts[id], "ticket %s: exactly one", id)
	}
	assert.Len(t, counts, n)
}

// TestCreateOnceWindowIsTheLimitOfItsGuarantee: a ticket that becomes
// visible only after the window looks like a create that did not land, and
// is sent again: the documented limit of the guarantee.
func TestCreateOnceWindowIsTheLimitOfItsGuarantee(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithFault(
		gorgiastest.Fault{On: "POST /api/tickets", Kind: gorgiastest.FaultCommitThenDrop, VisibleAfter: 300 * time.Millisecond}))
	client := srv.Client(gorgias.WithoutRateLimit(), gorgias.WithVisibilityWindow(50*time.Millisecond))
	req := &gorgias.CreateTicketRequest{ExternalID: "late", Customer: &gorgias.CustomerRef{Email: "late@example.com"},
		Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelAPI, FromAgent: gorgias.Ptr(false), BodyText: "hello"}}}
	_, created, err := client.Tickets.CreateOnce(context.Background(), req)
	require.NoError(t, err)
	assert.True(t, created)
	srv.Advance(time.Hour)
	assert.Equal(t, 2, ticketsByExternalID(t, srv)["late"], "beyond the window, a duplicate is possible")
}
