package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWeeklyAverages scores surveys on known dates and checks the table.
func TestWeeklyAverages(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	client := srv.Client(gorgias.WithoutRateLimit())
	ctx := context.Background()
	monday := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) // ISO week 45
	for i, score := range []int{5, 4, 3, 1} {
		ticket, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
			Customer: &gorgias.CustomerRef{Email: "c" + strconv.Itoa(i) + "@example.com"},
			Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: "hi"}},
		})
		require.NoError(t, err)
		scored := gorgias.NewTime(monday.AddDate(0, 0, 7*(i/2))) // two in week 45, two in week 46
		_, err = client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: ticket.ID, CustomerID: ticket.GetCustomer().GetID(),
			Score: &score, ScoredDatetime: scored})
		require.NoError(t, err)
	}
	var out bytes.Buffer
	require.NoError(t, run(ctx, client, &out))
	assert.Regexp(t, regexp.MustCompile(`2026-W45\s+2\s+4.50 / 5`), out.String())
	assert.Regexp(t, regexp.MustCompile(`2026-W46\s+2\s+2.00 / 5`), out.String())
	assert.Regexp(t, regexp.MustCompile(`All\s+4\s+3.25 / 5 \(0 surveys not answered\)`), out.String())
}

func TestSeededHelpDesk(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{}), gorgiastest.WithoutRateLimit())
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), srv.Client(gorgias.WithoutRateLimit()), &out))
	assert.Contains(t, out.String(), "Week      Surveys  Average score")
	assert.Regexp(t, `All\s+\d+\s+[1-5]\.\d\d / 5`, out.String())
}
