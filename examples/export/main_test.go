package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

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
func readExport(t *testing.T, path string) []record {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if len(data) == 0 {
		return nil
	}
	require.True(t, bytes.HasSuffix(data, []byte("\n")), "the file ends with a complete line")
	var recs []record
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var r record
		require.NoError(t, json.Unmarshal([]byte(line), &r), "line %d is valid JSON: %.80s", i+1, line)
		recs = append(recs, r)
	}
	return recs
}

// requireEveryTicketOnce checks recs hold each ticket id of want exactly
// once, in order.
func requireEveryTicketOnce(t *testing.T, recs []record, want []int64) {
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
