package gorgiastest_test

import (
	"encoding/json"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStringsRoundTrip: the hand-written JSON escapes what it must.
func TestStringsRoundTrip(t *testing.T) {
	srv, client := seeded(t, 1)
	subject := "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 é 😀 </script> \u2028"
	meta := map[string]any{"nested": map[string]any{"list": []any{1.5, "x", nil, true}}}
	req := newTicket("strings@example.com")
	req.Subject = subject
	req.Meta = meta
	created, err := client.Tickets.Create(ctx, req)
	require.NoError(t, err)
	got, err := client.Tickets.Get(ctx, created.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, subject, *got.Subject)
	assert.Equal(t, meta, got.Meta)

	// Invalid UTF-8 cannot be sent in JSON; a stored string that has some
	// is written with U+FFFD, and the answer stays valid JSON.
	status, body := rawDo(t, srv, "PUT", "/api/tickets/"+itoa(created.ID), `{"subject": "bad \udc00 surrogate"}`)
	require.Equal(t, 200, status)
	raw, _ := json.Marshal(body)
	assert.True(t, json.Valid(raw))
	page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{TicketIDs: []int64{created.ID}})
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, "bad \ufffd surrogate", *page.Data[0].Subject)
}
