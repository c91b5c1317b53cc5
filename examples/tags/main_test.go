package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMergeDuplicateTags(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 200}), gorgiastest.WithoutRateLimit())
	client := srv.Client(gorgias.WithoutRateLimit())
	ctx := context.Background()

	var dry bytes.Buffer
	require.NoError(t, run(ctx, client, true, &dry))
	assert.Regexp(t, `Would merge "(Refund|re fund)" \(\d+ tickets\), "(Refund|re fund)" \(\d+ tickets\) into "refund"|Would merge .* into "(Refund|re fund)"`, dry.String())
	assert.Contains(t, dry.String(), "SHIPPING")
	countTags := func() int {
		n := 0
		for _, err := range client.Tags.All(ctx, nil) {
			require.NoError(t, err)
			n++
		}
		return n
	}
	assert.Equal(t, 12, countTags(), "a dry run changes nothing")

	var out bytes.Buffer
	require.NoError(t, run(ctx, client, false, &out))
	assert.Contains(t, out.String(), "Merged ")
	assert.Equal(t, 9, countTags(), "refund ×3 and shipping ×2 became one each")

	var again bytes.Buffer
	require.NoError(t, run(ctx, client, false, &again))
	assert.Equal(t, "No duplicate tags.\n", again.String())
}

func TestNormalize(t *testing.T) {
	assert.Equal(t, "refund", normalize(" Re Fund "))
	assert.Equal(t, normalize("SHIPPING"), normalize("shipping"))
	assert.NotEqual(t, normalize("ship"), normalize("shipping"))
}
