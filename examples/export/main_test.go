package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decodeLines(t *testing.T, data string) []record {
	t.Helper()
	var recs []record
	for _, line := range strings.Split(strings.TrimSpace(data), "\n") {
		var r record
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
