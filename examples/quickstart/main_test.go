package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstart(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 50}))
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), srv.Client(), "Contact reason", &out))
	text := out.String()
	assert.Regexp(t, `Created ticket \d+: "My mug arrived broken" from marie.curie@example.com`, text)
	assert.Regexp(t, `Replied as an agent: message \d+`, text)
	assert.Contains(t, text, "Tagged with 2 tags: refund damaged")
	assert.Regexp(t, `Set custom field "Contact reason" \(one of \d+ choices\) to Order::Status::Delivered`, text)
	assert.Contains(t, text, "Open tickets, newest first:\n  #")
	assert.Regexp(t, `Ticket \d+ is closed with 3 messages, closed at `, text)
	assert.Equal(t, 51, srv.TicketCount())

	out.Reset()
	require.NoError(t, run(context.Background(), srv.Client(), "No such field", &out))
	assert.Contains(t, out.String(), `No custom field labelled "No such field": skipping it`)
}
