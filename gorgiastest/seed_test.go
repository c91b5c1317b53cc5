package gorgiastest_test

import (
	"fmt"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSeedDataIsVaried checks the seeded help desk has the shapes real
// accounts have and clients must handle.
func TestSeedDataIsVaried(t *testing.T) {
	_, client := seeded(t, 400)
	var noSubject, withExternalID, teamAssigned int
	for tk, err := range client.Tickets.All(ctx, nil) {
		require.NoError(t, err)
		if tk.Subject == nil {
			noSubject++
		}
		if tk.ExternalID != nil {
			withExternalID++
		}
		if tk.AssigneeTeam != nil {
			teamAssigned++
		}
	}
	assert.Positive(t, noSubject, "tickets with a null subject")
	assert.Positive(t, withExternalID)
	assert.Positive(t, teamAssigned)

	var failed, attachments, notes int
	for m, err := range client.Messages.All(ctx, nil) {
		require.NoError(t, err)
		if m.FailedDatetime != nil {
			failed++
			assert.Nil(t, m.SentDatetime, "a failed send was not sent")
			require.NotNil(t, m.LastSendingError, "an object: {code, message} or {error} (TestSeedDataHasLiveShapes)")
		}
		if len(m.Attachments) > 0 {
			attachments++
			assert.NotEmpty(t, m.Attachments[0].URL)
		}
		if !isTrue(m.Public) {
			notes++
			assert.Equal(t, gorgias.ChannelInternalNote, m.Channel)
			assert.Nil(t, m.Receiver)
		}
	}
	assert.Positive(t, failed, "messages whose send failed")
	assert.Positive(t, attachments)
	assert.Positive(t, notes, "internal notes")

	var answered, unanswered, unsent int
	for s, err := range client.Surveys.All(ctx, nil) {
		require.NoError(t, err)
		switch {
		case s.Score != nil:
			answered++
			assert.NotNil(t, s.ScoredDatetime)
		case s.SentDatetime != nil:
			unanswered++
			assert.Nil(t, s.ScoredDatetime)
		default:
			unsent++
		}
	}
	assert.Positive(t, answered)
	assert.Positive(t, unanswered, "surveys sent and not answered")
	assert.Positive(t, unsent, "surveys not sent yet")

	var withoutRecording int
	for call, err := range client.Voice.AllCalls(ctx, nil) {
		require.NoError(t, err)
		recs, err := client.Voice.ListRecordings(ctx, &gorgias.ListCallItemsOptions{CallID: call.ID})
		require.NoError(t, err)
		if !isTrue(call.HasCallRecording) && !isTrue(call.HasVoicemail) {
			withoutRecording++
			assert.Empty(t, recs.Data)
		} else {
			assert.Len(t, recs.Data, 1)
		}
	}
	assert.Positive(t, withoutRecording, "calls without a recording")
}

func TestSeedIsDeterministic(t *testing.T) {
	ids := func() []string {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(start),
			gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 40, Seed: 9}))
		var out []string
		for tk, err := range fastClient(srv).Tickets.All(ctx, nil) {
			require.NoError(t, err)
			out = append(out, itoa(tk.ID)+tk.CreatedDatetime.String()+fmt.Sprint(deref(tk.Priority)))
		}
		return out
	}
	assert.Equal(t, ids(), ids())
}

// TestSeedHoldsWhatUsersMustHandle: trashed and spam tickets, tickets
// without a subject or whose customer has no email, messages without a
// sender.
func TestSeedHoldsWhatUsersMustHandle(t *testing.T) {
	srv, client := seeded(t, 300)
	count := func(opts *gorgias.ListTicketsOptions) (all, trashed, spam, noSubject, noEmail int) {
		for tk, err := range client.Tickets.All(ctx, opts) {
			require.NoError(t, err)
			all++
			if tk.TrashedDatetime != nil {
				trashed++
			}
			if isTrue(tk.Spam) {
				spam++
			}
			if tk.Subject == nil {
				noSubject++
			}
			if tk.Customer == nil || tk.Customer.Email == nil {
				noEmail++
			}
		}
		return
	}
	all, trashed, spam, noSubject, noEmail := count(nil)
	assert.Equal(t, srv.TicketCount(), all, "trashed tickets are listed unless trashed=false")
	assert.Positive(t, trashed, "trashed tickets")
	assert.Less(t, trashed, all/10)
	assert.Positive(t, spam, "spam tickets")
	assert.Positive(t, noSubject, "tickets without a subject")
	assert.Positive(t, noEmail, "tickets whose customer has no email")

	withTrashed, trashedToo, _, _, _ := count(&gorgias.ListTicketsOptions{Trashed: gorgias.Ptr(true)})
	assert.Equal(t, all, withTrashed, "trashed=true includes them, as the default does")
	assert.Equal(t, trashed, trashedToo)
	live, none, _, _, _ := count(&gorgias.ListTicketsOptions{Trashed: gorgias.Ptr(false)})
	assert.Equal(t, all-trashed, live, "trashed=false leaves them out")
	assert.Zero(t, none)

	var noSender int
	for m, err := range client.Messages.All(ctx, nil) {
		require.NoError(t, err)
		if m.Sender == nil {
			noSender++
		}
	}
	assert.Positive(t, noSender, "messages without a sender")
}
