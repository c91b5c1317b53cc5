package gorgiastest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/iotest"
	"testing/synctest"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// closeCounter is a request body that records being closed.
type closeCounter struct {
	io.Reader
	closed atomic.Int32
}

func (c *closeCounter) Close() error { c.closed.Add(1); return nil }

func memRequest(t *testing.T, ctx context.Context, srv *gorgiastest.Server, method, path string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, "http://gorgias.invalid"+path, body)
	require.NoError(t, err)
	req.SetBasicAuth(srv.Email, srv.APIKey)
	return req
}

// doErr sends req, for requests expected to fail; a body is closed.
func doErr(hc *http.Client, req *http.Request) error {
	resp, err := hc.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	return err
}

func TestTransportServesInMemory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 120}))
		hc := &http.Client{Transport: srv.Transport()}
		body := &closeCounter{Reader: strings.NewReader(`{"name":"in-memory"}`)}
		resp, err := hc.Do(memRequest(t, ctx, srv, http.MethodPost, "/api/tags", body))
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, "as the API answers a tag create")
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Contains(t, string(got), `"name":"in-memory"`)
		synctest.Wait()
		assert.Equal(t, int32(1), body.closed.Load(), "the request body is closed")

		// A page of 100 tickets streams; a client that stops reading and
		// closes the body frees the fake for the next request.
		resp, err = hc.Do(memRequest(t, ctx, srv, http.MethodGet, "/api/tickets?limit=100", nil))
		require.NoError(t, err)
		_, err = io.ReadFull(resp.Body, make([]byte, 10))
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		resp, err = hc.Do(memRequest(t, ctx, srv, http.MethodGet, "/api/tags", nil))
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		require.NoError(t, resp.Body.Close())

		// The header keys arrive as over the wire.
		srv.Inject(gorgiastest.Fault{Kind: gorgiastest.FaultRateLimit, RetryAfter: 3 * time.Second})
		resp, err = hc.Do(memRequest(t, ctx, srv, http.MethodGet, "/api/tags", nil))
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, "3", resp.Header.Get("Retry-After"))
	})
}

func TestTransportDropsLikeAReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithFault(
			gorgiastest.Fault{On: "POST /api/tags", Kind: gorgiastest.FaultCommitThenDrop},
			gorgiastest.Fault{On: "GET /api/tags", Kind: gorgiastest.FaultDrop}))
		hc := &http.Client{Transport: srv.Transport()}
		body := &closeCounter{Reader: strings.NewReader(`{"name":"lost-answer"}`)}
		err := doErr(hc, memRequest(t, ctx, srv, http.MethodPost, "/api/tags", body))
		require.ErrorIs(t, err, syscall.ECONNRESET)
		synctest.Wait() // the body may be closed after RoundTrip returns
		assert.Equal(t, int32(1), body.closed.Load(), "closed on a drop too")
		err = doErr(hc, memRequest(t, ctx, srv, http.MethodGet, "/api/tags", nil))
		require.ErrorIs(t, err, syscall.ECONNRESET)
		broken := &closeCounter{Reader: io.MultiReader(strings.NewReader(`{"na`), iotest.ErrReader(io.ErrUnexpectedEOF))}
		err = doErr(hc, memRequest(t, ctx, srv, http.MethodPost, "/api/tags", broken))
		require.ErrorIs(t, err, syscall.ECONNRESET, "a request body that breaks off gets no answer")

		// Through the SDK: the create that committed is not sent again.
		client := srv.Client()
		var names []string
		for tag, err := range client.Tags.All(ctx, nil) {
			require.NoError(t, err)
			names = append(names, tag.Name)
		}
		assert.Equal(t, []string{"lost-answer"}, names, "the dropped create happened, once")
		srv.Inject(gorgiastest.Fault{On: "POST /api/tags", Kind: gorgiastest.FaultCommitThenDrop})
		_, err = client.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: "twice?"})
		require.ErrorIs(t, err, syscall.ECONNRESET)
		assert.Equal(t, 2, srv.Stats().ByRoute["POST /api/tags"], "a POST that may have reached the fake is not resent")
	})
}

func TestTransportHonoursTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithFaults(gorgiastest.Faults{Latency: time.Hour}))
		hc := &http.Client{Transport: srv.Transport()}

		// While the fake is slow to answer.
		slow, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		body := &closeCounter{Reader: strings.NewReader(`{"name":"slow"}`)}
		start := time.Now()
		err := doErr(hc, memRequest(t, slow, srv, http.MethodPost, "/api/tags", body))
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start), "it gave up at the deadline, on the bubble's clock")
		synctest.Wait() // the fake stops waiting too
		assert.Equal(t, int32(1), body.closed.Load())

		// Already over before it starts.
		done, cancel := context.WithCancel(ctx)
		cancel()
		body = &closeCounter{Reader: strings.NewReader(`{}`)}
		err = doErr(hc, memRequest(t, done, srv, http.MethodPost, "/api/tags", body))
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, int32(1), body.closed.Load())
		assert.Equal(t, 0, srv.Stats().Requests, "neither reached the fake's counters")
	})
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 120}))
		hc := &http.Client{Transport: srv.Transport()}
		// While the body is read.
		reading, cancel := context.WithCancel(ctx)
		resp, err := hc.Do(memRequest(t, reading, srv, http.MethodGet, "/api/tickets?limit=100", nil))
		require.NoError(t, err)
		_, err = io.ReadFull(resp.Body, make([]byte, 10))
		require.NoError(t, err)
		cancel()
		synctest.Wait() // context.AfterFunc runs on a goroutine of its own
		_, err = io.ReadAll(resp.Body)
		require.ErrorIs(t, err, context.Canceled)
		require.NoError(t, resp.Body.Close())
		_, err = srv.Client().Tags.List(ctx, nil)
		require.NoError(t, err, "the fake serves on")
	})
}

// Outside a bubble, NewTestServer listens as before, and its client still
// goes through memory.
func TestOutsideABubbleTheURLServes(t *testing.T) {
	srv := gorgiastest.NewTestServer(t)
	status, _, _ := rawGet(t, srv, "/api/tags")
	assert.Equal(t, http.StatusOK, status)
	_, err := srv.Client().Tags.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Stats().Requests)
	var inBubble string
	synctest.Test(t, func(t *testing.T) { inBubble = gorgiastest.NewTestServer(t).URL })
	assert.Equal(t, "http://127.0.0.1:0", inBubble, "no listener inside a bubble")
}
