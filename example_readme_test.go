//go:build !mutation

package gorgias_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Go blocks of the README's Quick start, Usage, Pagination and
// Responses sections are copies of the regions below, between
// "// README <name>" and "// README end" (one tab less): a README block
// follows the line "<!-- readme: <name> -->". TestReadmeBlocksAreTheCopies
// holds them byte for byte, and TestReadmeBlocksRun runs the copies
// against gorgiastest's seeded account. To change a block, change its
// copy here, run the tests, and paste the region into the README.

func readmeQuickStartClient(email, apiKey string) error {
	// README quick-start-client
	ctx := context.Background()
	client, err := gorgias.NewClient("acme", gorgias.WithBasicAuth(email, apiKey))
	if err != nil {
		return err
	}
	// README end
	_, _ = ctx, client // NewClient sends nothing: the next block runs against the fake
	return nil
}

func readmeQuickStart(ctx context.Context, client *gorgias.Client) error {
	// README quick-start
	// Create a ticket with the customer's first message.
	ticket, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "marie@example.com", Name: "Marie Curie"},
		Subject:  "Refund request",
		Messages: []gorgias.CreateMessageRequest{{
			Channel:      gorgias.ChannelEmail,
			FromAgent:    gorgias.Ptr(false),
			Sender:       &gorgias.CustomerRef{Email: "marie@example.com"},
			BodyText:     "The mug arrived broken.",
			SentDatetime: gorgias.NewTime(time.Now()), // imported as received: Gorgias sends nothing
		}},
	})
	if err != nil {
		return err
	}
	// A field the API may send as null is a pointer; GetX reads nil as "", 0 or false.
	fmt.Println("created", ticket.ID, ticket.GetSubject(), ticket.GetCustomer().GetEmail())

	// Add an internal note, tag it, close it.
	if _, err := client.Messages.Create(ctx, ticket.ID, gorgias.InternalNote("Refund approved.")); err != nil {
		return err
	}
	if err := client.Tickets.AddTags(ctx, ticket.ID, &gorgias.TicketTagsRequest{Names: []string{"refund"}}); err != nil {
		return err
	}
	ticket, err = client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{
		Status:         gorgias.StatusClosed,
		SnoozeDatetime: gorgias.Null[gorgias.Time](), // null clears a field; zero leaves it unchanged
	})
	if err != nil {
		return err
	}
	fmt.Println(ticket.Status, "at", ticket.GetClosedDatetime())
	// README end
	return nil
}

func readmeUsage(ctx context.Context, client *gorgias.Client, ticketID, customerID, duplicateID, callID int64) error {
	// README usage
	// Messages. With SentDatetime set a message is imported as already sent;
	// without it Gorgias sends it through its channel (an email reply, say).
	msg, err := client.Messages.Create(ctx, ticketID, &gorgias.CreateMessageRequest{
		Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(true), BodyText: "Your refund is on its way.",
	})
	if err != nil {
		return err
	}
	note, err := client.Messages.Create(ctx, ticketID, gorgias.InternalNote("Checked with the warehouse."))
	if err != nil {
		return err
	}
	fmt.Println(msg.ID, msg.GetSender().GetEmail(), note.ID, note.GetPublic()) // a note is not public

	// Tags, and a ticket's tags. SetTags replaces all of them.
	tag, err := client.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: "refund-approved", Decoration: &gorgias.Decoration{Color: "#d85a17"}})
	if err != nil {
		return err
	}
	merged, err := client.Tags.Merge(ctx, tag.ID, []int64{duplicateID})
	if err != nil {
		return err
	}
	fmt.Println(merged.Name, merged.GetUsage(), merged.GetDecoration().Color)
	if err := client.Tickets.AddTags(ctx, ticketID, &gorgias.TicketTagsRequest{Names: []string{"refund-approved", "vip"}}); err != nil {
		return err
	}

	// Satisfaction surveys. should_send_datetime null means never sent.
	survey, err := client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: ticketID, CustomerID: customerID, Score: gorgias.Ptr(5)})
	if err != nil {
		return err
	}
	if _, err := client.Surveys.Update(ctx, survey.ID, &gorgias.UpdateSurveyRequest{ShouldSendDatetime: gorgias.Null[gorgias.Time]()}); err != nil {
		return err
	}

	// Custom field definitions: find the id of "Contact reason", and its choices.
	reason, err := client.CustomFields.FindByLabel(ctx, gorgias.FieldObjectTicket, "Contact reason")
	if err != nil {
		return err
	}
	fmt.Println(reason.ID, reason.Definition.InputSettings.Choices) // … [Order::Status::Delivered …]
	// Custom field values: text (dropdowns too), numbers or booleans.
	if _, err := client.Tickets.UpdateCustomField(ctx, ticketID, reason.ID, "Order::Status::Delivered"); err != nil {
		return err
	}
	values, err := client.Tickets.ListCustomFields(ctx, ticketID)
	if err != nil {
		return err
	}
	for _, v := range values {
		if text, ok := v.Value.Text(); ok {
			fmt.Println(v.Field.GetLabel(), text) // Contact reason Order::Status::Delivered
		}
	}

	// Voice: a call's recordings.
	for rec, err := range client.Voice.AllRecordings(ctx, &gorgias.ListCallItemsOptions{CallID: callID}) {
		if err != nil {
			return err
		}
		fmt.Println(rec.Type, rec.GetDuration(), rec.GetURL())
	}
	// README end
	return nil
}

func readmePagination(ctx context.Context, client *gorgias.Client) error {
	// README pagination
	for t, err := range client.Tickets.All(ctx, &gorgias.ListTicketsOptions{Trashed: gorgias.Ptr(false)}) {
		if err != nil {
			return err
		}
		fmt.Println(t.ID, t.GetSubject(), t.GetCustomer().GetEmail()) // "" for a null subject or email
	}
	// README end
	return nil
}

func readmeResponses(ctx context.Context, client *gorgias.Client, id int64) error {
	// README responses
	ticket, err := client.Tickets.Get(ctx, id, nil)
	if err != nil {
		return err
	}
	if sla, ok := ticket.Raw.Get("sla_status"); ok { // a field this SDK does not know
		fmt.Println(string(sla))
	}
	if ticket.IsUnread == nil {
		fmt.Println("Gorgias did not say whether it is unread; GetIsUnread() reads it as", ticket.GetIsUnread())
	}
	line, err := json.Marshal(ticket) // exactly what Gorgias sent
	if err != nil {
		return err
	}
	fmt.Println(len(line), "bytes")
	// README end
	return nil
}

// readmeSections are the README sections whose Go blocks are copies.
var readmeSections = []string{"Quick start", "Usage", "Pagination", "Responses: nulls, new fields, odd values"}

// readmeBlocks returns the README's marked Go blocks by name, and fails
// the test for a Go block of readmeSections without a marker.
func readmeBlocks(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	require.NoError(t, err)
	blocks := map[string]string{}
	section, marker := "", ""
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	markerRe := regexp.MustCompile(`^<!-- readme: ([a-z-]+) -->$`)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			section, marker = strings.TrimPrefix(line, "## "), ""
		case markerRe.MatchString(line):
			marker = markerRe.FindStringSubmatch(line)[1]
		case line == "```go":
			var b strings.Builder
			for sc.Scan() && sc.Text() != "```" {
				b.WriteString(sc.Text() + "\n")
			}
			inScope := false
			for _, s := range readmeSections {
				inScope = inScope || s == section
			}
			if marker == "" {
				assert.False(t, inScope, "a Go block of README § %s has no <!-- readme: name --> line: it is not tested", section)
				continue
			}
			_, dup := blocks[marker]
			assert.False(t, dup, "two README blocks are named %s", marker)
			blocks[marker] = b.String()
			marker = ""
		case strings.TrimSpace(line) != "":
			marker = "" // the marker names the block right after it
		}
	}
	require.NoError(t, sc.Err())
	return blocks
}

// readmeCopies returns the regions of this file, one tab less, by name.
func readmeCopies(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("example_readme_test.go")
	require.NoError(t, err)
	copies := map[string]string{}
	re := regexp.MustCompile(`(?ms)^\t// README ([a-z-]+)\n(.*?)^\t// README end\n`)
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		lines := strings.SplitAfter(m[2], "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, "\t")
		}
		copies[m[1]] = strings.Join(lines, "")
	}
	return copies
}

func TestReadmeBlocksAreTheCopies(t *testing.T) {
	blocks, copies := readmeBlocks(t), readmeCopies(t)
	require.Equal(t, 5, len(copies), "the regions of example_readme_test.go")
	for name, code := range copies {
		if assert.Contains(t, blocks, name, "the README has no block <!-- readme: %s -->", name) {
			assert.Equal(t, code, blocks[name], "README block %s differs from its copy in example_readme_test.go", name)
		}
	}
	for name := range blocks {
		assert.Contains(t, copies, name, "README block %s has no copy", name)
	}
}

// TestReadmeBlocksRun runs the README's blocks against the seeded fake.
func TestReadmeBlocksRun(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{}), gorgiastest.WithoutRateLimit())
	client := srv.Client()
	ctx := context.Background()

	require.NoError(t, readmeQuickStartClient("you@acme.com", "key"))
	require.NoError(t, readmeQuickStart(ctx, client))
	require.NoError(t, readmePagination(ctx, client))

	// Usage needs a ticket of a customer, a tag to merge and a call with recordings.
	ticket, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "ada@example.com"},
		Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: "Where is my refund?"}},
	})
	require.NoError(t, err)
	var duplicateID int64
	for _, tag := range srv.Tags() {
		if tag.Name == "re fund" {
			duplicateID = tag.ID
		}
	}
	require.NotZero(t, duplicateID)
	page, err := client.Voice.ListRecordings(ctx, &gorgias.ListCallItemsOptions{ListOptions: gorgias.ListOptions{Limit: 1}})
	require.NoError(t, err)
	require.NotEmpty(t, page.Data, "the seed has recordings")
	require.NoError(t, readmeUsage(ctx, client, ticket.ID, ticket.GetCustomer().GetID(), duplicateID, page.Data[0].CallID))

	// Responses: every seeded ticket, nulls and unknown fields included.
	for listed, err := range client.Tickets.All(ctx, nil) {
		require.NoError(t, err)
		require.NoError(t, readmeResponses(ctx, client, listed.ID))
	}
}

// TestDocsSayWhatTheCodeDoes holds two sentences of the docs to the code:
// a nil ListTicketsOptions.Trashed sends no trashed parameter (its godoc),
// and All asks for pages of 100 unless ListOptions.Limit sets a size (the
// README's Pagination and Performance sections).
func TestDocsSayWhatTheCodeDoes(t *testing.T) {
	var queries []url.Values
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Query())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[{"id":1}],"meta":{"next_cursor":null}}`)
	}))
	defer srv.Close()
	client, err := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("a@b.c", "k"), gorgias.WithoutRateLimit())
	require.NoError(t, err)
	ctx := context.Background()
	walk := func(opts *gorgias.ListTicketsOptions) url.Values {
		queries = nil
		for _, err := range client.Tickets.All(ctx, opts) {
			require.NoError(t, err)
		}
		require.Len(t, queries, 1)
		return queries[0]
	}

	q := walk(nil)
	assert.False(t, q.Has("trashed"), "Trashed nil: no trashed parameter")
	assert.Equal(t, "100", q.Get("limit"), "All's pages are of 100 by default")
	q = walk(&gorgias.ListTicketsOptions{Trashed: gorgias.Ptr(false), ListOptions: gorgias.ListOptions{Limit: 25}})
	assert.Equal(t, "false", q.Get("trashed"))
	assert.Equal(t, "25", q.Get("limit"), "or of opts.Limit")
	q = walk(&gorgias.ListTicketsOptions{Trashed: gorgias.Ptr(true)})
	assert.Equal(t, "true", q.Get("trashed"))
}
