package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWebhookExample(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 20}), gorgiastest.WithoutRateLimit())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, srv, &out))
	text := out.String()
	t.Log(text)
	assert.Regexp(t, `Registered HTTP integration \d+ "example-webhook"`, text)
	assert.Regexp(t, `event ticket-created +ticket (\d+) "Where is my order\?", open\n`, text)
	assert.Regexp(t, `event ticket-message-created +ticket \d+ "Where is my order\?", open, message \d+: "Shipped yesterday, tracking sent."\n`, text)
	assert.Contains(t, text, "Receiver down.\nThe ticket-updated delivery failed after 4 attempts.\n")
	i := strings.Index(text, "catching up")
	require.Positive(t, i)
	assert.Regexp(t, `ticket \d+ "Where is my order\?", closed\n`, text[i:], "the change missed while down is caught up")
	assert.Equal(t, 2, strings.Count(text, "\nevent "), "one line per event: no duplicate, nothing after the downtime")
	st := srv.Stats().Deliveries
	assert.Equal(t, 2, st.Delivered)
	assert.Equal(t, 1, st.Failed)
}
