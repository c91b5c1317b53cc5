package gorgiastest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

// fastClient is a client for tests: no pacing, fast retries.
func fastClient(srv *gorgiastest.Server, opts ...gorgias.Option) *gorgias.Client {
	return srv.Client(append([]gorgias.Option{gorgias.WithoutRateLimit(), gorgias.WithRetryPolicy(3, time.Millisecond, 10*time.Millisecond)}, opts...)...)
}

func seeded(t *testing.T, tickets int, opts ...gorgiastest.Option) (*gorgiastest.Server, *gorgias.Client) {
	srv := gorgiastest.NewTestServer(t, append([]gorgiastest.Option{gorgiastest.WithoutRateLimit(),
		gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: tickets})}, opts...)...)
	return srv, fastClient(srv)
}

// rawGet fetches path with the fake's credentials and decodes the JSON.
func rawGet(t *testing.T, srv *gorgiastest.Server, path string) (int, http.Header, any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	req.SetBasicAuth(srv.Email, srv.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	var v any
	if len(body) > 0 {
		require.NoError(t, json.Unmarshal(body, &v), "%s", body)
	}
	return resp.StatusCode, resp.Header, v
}

func fixtureKeys(t *testing.T, name string, inList bool) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(data, &v))
	if inList {
		v = v["data"].([]any)[0].(map[string]any)
	}
	return keys(v)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestWireShapesMatchTheReference checks the fake's JSON has the keys of
// the reference's recorded payloads.
func TestWireShapesMatchTheReference(t *testing.T) {
	srv, client := seeded(t, 50)
	tickets, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 1}})
	require.NoError(t, err)
	id := tickets.Data[0].ID

	_, _, page := rawGet(t, srv, "/api/tickets?limit=2")
	env := page.(map[string]any)
	assert.Equal(t, "list", env["object"])
	assert.Contains(t, env["meta"], "next_cursor")
	assert.Contains(t, env["meta"], "prev_cursor")
	item := env["data"].([]any)[0].(map[string]any)
	assert.Subset(t, keys(item), fixtureKeys(t, "tickets_page.json", true), "compact ticket keys")
	assert.NotContains(t, item, "messages")

	_, _, full := rawGet(t, srv, "/api/tickets/"+itoa(id))
	want := slices.DeleteFunc(fixtureKeys(t, "ticket.json", false), func(k string) bool {
		return k == "custom_fields" || k == "requester" || k == "summary" // only with relationships / legacy / AI
	})
	assert.Subset(t, keys(full.(map[string]any)), want, "full ticket keys")
	created := full.(map[string]any)["created_datetime"].(string)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$`, created, "the API's datetime format")

	msg := full.(map[string]any)["messages"].([]any)[0].(map[string]any)
	wantMsg := slices.DeleteFunc(fixtureKeys(t, "message.json", false), func(k string) bool {
		return k == "macros" || k == "headers" || k == "deleted_datetime" // absent unless set
	})
	assert.Subset(t, keys(msg), wantMsg, "message keys")

	_, _, tags := rawGet(t, srv, "/api/tags?limit=1")
	assert.Subset(t, keys(tags.(map[string]any)["data"].([]any)[0].(map[string]any)), fixtureKeys(t, "tag.json", false))
	assert.Contains(t, tags.(map[string]any)["meta"], "total_resources")

	_, _, tt := rawGet(t, srv, "/api/tickets/"+itoa(id)+"/tags")
	assert.Equal(t, []string{"data"}, keys(tt.(map[string]any)), "ticket tags: {\"data\": …} only")

	_, _, calls := rawGet(t, srv, "/api/phone/voice-calls?limit=1")
	assert.Subset(t, keys(calls.(map[string]any)["data"].([]any)[0].(map[string]any)), fixtureKeys(t, "voice_call.json", false))
	_, _, events := rawGet(t, srv, "/api/phone/voice-call-events?limit=1")
	assert.Subset(t, keys(events.(map[string]any)["data"].([]any)[0].(map[string]any)), fixtureKeys(t, "voice_call_event.json", false))
	_, _, recs := rawGet(t, srv, "/api/phone/voice-call-recordings?limit=1")
	assert.Subset(t, keys(recs.(map[string]any)["data"].([]any)[0].(map[string]any)), fixtureKeys(t, "voice_call_recording.json", false))
	_, _, surveys := rawGet(t, srv, "/api/satisfaction-surveys?limit=1")
	assert.Subset(t, keys(surveys.(map[string]any)["data"].([]any)[0].(map[string]any)), fixtureKeys(t, "survey.json", false))
}

func itoa(id int64) string { return strings.TrimSpace(strings.Trim(jsonString(id), `"`)) }

func jsonString(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestWalkEveryTicketOnce(t *testing.T) {
	srv, client := seeded(t, 2500)
	seen := map[int64]bool{}
	var last *gorgias.Time
	for ticket, err := range client.Tickets.All(ctx, nil) {
		require.NoError(t, err)
		require.False(t, seen[ticket.ID], "ticket %d twice", ticket.ID)
		seen[ticket.ID] = true
		if last != nil {
			require.False(t, ticket.CreatedDatetime.After(last.Time), "created_datetime:desc by default")
		}
		last = ticket.CreatedDatetime
	}
	assert.Len(t, seen, 2500)
	assert.Equal(t, 25, srv.Stats().ByRoute["GET /api/tickets"], "pages of 100")
}

func TestWalkIsStableWhileTicketsAreAdded(t *testing.T) {
	_, client := seeded(t, 250)
	seen := map[int64]bool{}
	n := 0
	for ticket, err := range client.Tickets.All(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 50}}) {
		require.NoError(t, err)
		require.False(t, seen[ticket.ID])
		seen[ticket.ID] = true
		n++
		if n%40 == 0 { // a new ticket lands while we walk
			_, err := client.Tickets.Create(ctx, newTicket("walker@example.com"))
			require.NoError(t, err)
		}
	}
	assert.Equal(t, 250, n, "every ticket that existed is seen once; new ones sort before the walk's position")
}

func TestListFiltersAndOrders(t *testing.T) {
	srv, client := seeded(t, 300)
	first, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 3}, OrderBy: gorgias.TicketOrderCreatedAsc})
	require.NoError(t, err)
	require.Len(t, first.Data, 3)
	assert.Less(t, first.Data[0].ID, first.Data[1].ID)
	assert.Empty(t, first.PrevCursor)

	second, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 3, Cursor: first.NextCursor}, OrderBy: gorgias.TicketOrderCreatedAsc})
	require.NoError(t, err)
	assert.Greater(t, second.Data[0].ID, first.Data[2].ID)
	back, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 3, Cursor: second.PrevCursor}, OrderBy: gorgias.TicketOrderCreatedAsc})
	require.NoError(t, err)
	assert.Equal(t, first.Data[0].ID, back.Data[0].ID, "prev_cursor goes back")

	byIDs, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{TicketIDs: []int64{first.Data[0].ID, first.Data[2].ID}})
	require.NoError(t, err)
	assert.Len(t, byIDs.Data, 2)

	cust := first.Data[0].Customer.ID
	for tk, err := range client.Tickets.All(ctx, &gorgias.ListTicketsOptions{CustomerID: cust}) {
		require.NoError(t, err)
		assert.Equal(t, cust, tk.Customer.ID)
	}

	defaultPage, err := client.Tickets.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, defaultPage.Data, 30, "default limit 30")

	for _, q := range []string{"limit=0", "limit=101", "limit=x", "order_by=subject:asc", "cursor=%21%21", "customer_id=-1"} {
		status, _, body := rawGet(t, srv, "/api/tickets?"+q)
		assert.Equal(t, 400, status, q)
		assert.Contains(t, body.(map[string]any)["error"], "data", q)
	}

	tags, err := client.Tags.List(ctx, &gorgias.ListTagsOptions{Search: "refund"})
	require.NoError(t, err)
	names := []string{}
	for _, tag := range tags.Data {
		names = append(names, tag.Name)
	}
	assert.ElementsMatch(t, []string{"refund", "Refund"}, names, "case-insensitive substring")
	byUsage, err := client.Tags.List(ctx, &gorgias.ListTagsOptions{OrderBy: gorgias.TagOrderUsageDesc})
	require.NoError(t, err)
	for i := 1; i < len(byUsage.Data); i++ {
		assert.GreaterOrEqual(t, usageOf(&byUsage.Data[i-1]), usageOf(&byUsage.Data[i]), "a null usage orders as 0")
	}
}

func newTicket(email string) *gorgias.CreateTicketRequest {
	return &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: email, Name: "Walker Test"},
		Subject:  "Where is my order?",
		Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: "Hello?"}},
	}
}

func TestTicketLifecycle(t *testing.T) {
	srv, client := seeded(t, 10)
	ticket, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
		Customer:     &gorgias.CustomerRef{Email: "marie@example.com", Name: "Marie Curie"},
		Subject:      "Broken mug",
		Tags:         []gorgias.TagRef{{Name: "damaged"}, {Name: "brand-new-tag"}},
		CustomFields: []gorgias.CustomFieldUpdate{{ID: 319601, Value: "ORD-1"}},
		Messages:     []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: "It broke."}},
	})
	require.NoError(t, err)
	assert.Equal(t, gorgias.StatusOpen, ticket.Status)
	assert.Equal(t, "Marie Curie", *ticket.Customer.Name)
	require.Len(t, ticket.Messages, 1)
	assert.NotNil(t, ticket.Messages[0].SentDatetime, "no sent_datetime: the fake sends it")
	assert.Len(t, ticket.Tags, 2)

	_, err = client.Messages.Create(ctx, ticket.ID, gorgias.InternalNote("Refund approved."))
	require.NoError(t, err)
	require.NoError(t, client.Tickets.AddTags(ctx, ticket.ID, &gorgias.TicketTagsRequest{Names: []string{"refund"}}))
	require.NoError(t, client.Tickets.RemoveTags(ctx, ticket.ID, &gorgias.TicketTagsRequest{Names: []string{"brand-new-tag"}}))
	tags, err := client.Tickets.ListTags(ctx, ticket.ID)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"damaged", "refund"}, tagNames(tags))
	require.NoError(t, client.Tickets.SetTags(ctx, ticket.ID, &gorgias.TicketTagsRequest{Names: []string{"vip"}}))
	tags, _ = client.Tickets.ListTags(ctx, ticket.ID)
	assert.Equal(t, []string{"vip"}, tagNames(tags))

	updated, err := client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{
		Status: gorgias.StatusClosed, SnoozeDatetime: gorgias.Null[gorgias.Time](), AssigneeUser: gorgias.NewNullable(gorgias.IDRef{ID: 400746601}),
	})
	require.NoError(t, err)
	assert.Equal(t, gorgias.StatusClosed, updated.Status)
	assert.NotNil(t, updated.ClosedDatetime)
	assert.Equal(t, int64(400746601), updated.AssigneeUser.ID)
	unassigned, err := client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{AssigneeUser: gorgias.Null[gorgias.IDRef]()})
	require.NoError(t, err)
	assert.Nil(t, unassigned.AssigneeUser)
	assert.Equal(t, gorgias.StatusClosed, unassigned.Status, "fields not sent are unchanged")

	full, err := client.Tickets.Get(ctx, ticket.ID, &gorgias.GetTicketOptions{Relationships: []string{"custom_fields"}})
	require.NoError(t, err)
	assert.Len(t, full.Messages, 2)
	assert.False(t, *full.Messages[1].Public)
	assert.Equal(t, "ORD-1", full.CustomFields["319601"].Value.String())

	msgs, err := client.Messages.List(ctx, &gorgias.ListMessagesOptions{TicketID: ticket.ID})
	require.NoError(t, err)
	assert.Len(t, msgs.Data, 2)

	survey, err := client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: ticket.ID, CustomerID: ticket.Customer.ID, Score: gorgias.Ptr(5)})
	require.NoError(t, err)
	_, err = client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: ticket.ID, CustomerID: ticket.Customer.ID})
	require.ErrorIs(t, err, gorgias.ErrConflict, "one survey per ticket")
	withSurvey, _ := client.Tickets.Get(ctx, ticket.ID, nil)
	require.NotNil(t, withSurvey.SatisfactionSurvey)
	assert.Equal(t, survey.ID, withSurvey.SatisfactionSurvey.ID)

	before := srv.TicketCount()
	require.NoError(t, client.Tickets.Delete(ctx, ticket.ID))
	assert.Equal(t, before-1, srv.TicketCount())
	_, err = client.Tickets.Get(ctx, ticket.ID, nil)
	require.ErrorIs(t, err, gorgias.ErrNotFound)
	_, err = client.Surveys.Get(ctx, survey.ID)
	require.ErrorIs(t, err, gorgias.ErrNotFound, "the survey went with the ticket")
	msgs, err = client.Messages.List(ctx, &gorgias.ListMessagesOptions{TicketID: ticket.ID})
	require.NoError(t, err)
	assert.Empty(t, msgs.Data)
}

func tagNames(tags []gorgias.Tag) []string {
	var names []string
	for _, t := range tags {
		names = append(names, t.Name)
	}
	return names
}

func TestTagsMergeAndConflicts(t *testing.T) {
	_, client := seeded(t, 200)
	all := map[string]gorgias.Tag{}
	for tag, err := range client.Tags.All(ctx, nil) {
		require.NoError(t, err)
		all[tag.Name] = *tag
	}
	dest, src := all["refund"], all["Refund"]
	total := *dest.Usage + *src.Usage
	merged, err := client.Tags.Merge(ctx, dest.ID, []int64{src.ID})
	require.NoError(t, err)
	assert.LessOrEqual(t, *merged.Usage, total)
	assert.GreaterOrEqual(t, *merged.Usage, *dest.Usage)
	_, err = client.Tags.Get(ctx, src.ID)
	require.ErrorIs(t, err, gorgias.ErrNotFound)

	_, err = client.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: "vip"})
	require.ErrorIs(t, err, gorgias.ErrConflict)
	created, err := client.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: "VIP", Description: "case-sensitive names"})
	require.NoError(t, err)
	cleared, err := client.Tags.Update(ctx, created.ID, &gorgias.UpdateTagRequest{Description: gorgias.Null[string]()})
	require.NoError(t, err)
	assert.Nil(t, cleared.Description)
	require.NoError(t, client.Tags.DeleteMany(ctx, []int64{created.ID}))
	_, err = client.Tags.Get(ctx, created.ID)
	require.ErrorIs(t, err, gorgias.ErrNotFound)
}

func TestCustomFields(t *testing.T) {
	srv, client := seeded(t, 5)
	ticket, err := client.Tickets.Create(ctx, newTicket("fields@example.com"))
	require.NoError(t, err)

	v, err := client.Tickets.UpdateCustomField(ctx, ticket.ID, 319602, "Order::Status::Delivered")
	require.NoError(t, err)
	assert.Equal(t, "Contact reason", *v.Field.Label)
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, 319603, 42.5)
	require.NoError(t, err)
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, 319603, "not a number")
	var apiErr *gorgias.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)

	values, err := client.Tickets.ListCustomFields(ctx, ticket.ID)
	require.NoError(t, err)
	require.Len(t, values, 2)
	n, ok := values[1].Value.Number()
	assert.True(t, ok)
	assert.Equal(t, 42.5, n)

	// The object form some clients send is accepted too.
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/api/tickets/"+itoa(ticket.ID)+"/custom-fields/319604", strings.NewReader(`{"id":319604,"value":true}`))
	req.SetBasicAuth(srv.Email, srv.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	values, err = client.Tickets.UpdateCustomFields(ctx, ticket.ID, []gorgias.CustomFieldUpdate{{ID: 319601, Value: "ORD-9"}})
	require.NoError(t, err)
	require.Len(t, values, 1, "replaces all values")
	require.NoError(t, client.Tickets.DeleteCustomField(ctx, ticket.ID, 319601))
	values, _ = client.Tickets.ListCustomFields(ctx, ticket.ID)
	assert.Empty(t, values)
	require.ErrorIs(t, client.Tickets.DeleteCustomField(ctx, ticket.ID, 319601), gorgias.ErrNotFound)
}

func TestVoice(t *testing.T) {
	_, client := seeded(t, 120)
	calls := 0
	for call, err := range client.Voice.AllCalls(ctx, nil) {
		require.NoError(t, err)
		calls++
		require.NotNil(t, call.TicketID)
		onTicket, err := client.Voice.ListCalls(ctx, &gorgias.ListCallsOptions{TicketID: *call.TicketID})
		require.NoError(t, err)
		assert.Len(t, onTicket.Data, 1)
		events := 0
		for e, err := range client.Voice.AllCallEvents(ctx, &gorgias.ListCallItemsOptions{CallID: call.ID}) {
			require.NoError(t, err)
			assert.Equal(t, call.ID, e.CallID)
			events++
		}
		assert.Equal(t, 4, events)
		recs, err := client.Voice.ListRecordings(ctx, &gorgias.ListCallItemsOptions{CallID: call.ID})
		require.NoError(t, err)
		require.Len(t, recs.Data, 1)
		require.NoError(t, client.Voice.DeleteRecording(ctx, recs.Data[0].ID))
		rec, err := client.Voice.GetRecording(ctx, recs.Data[0].ID)
		require.NoError(t, err)
		assert.NotNil(t, rec.DeletedDatetime)
		assert.Nil(t, rec.URL)

		require.NoError(t, client.Tickets.Delete(ctx, *call.TicketID))
		orphan, err := client.Voice.GetCall(ctx, call.ID)
		require.NoError(t, err)
		assert.Nil(t, orphan.TicketID, "deleting the ticket unlinks its calls")
		break
	}
	assert.Equal(t, 1, calls)
}

func TestErrorsInTheAPIFormat(t *testing.T) {
	srv, client := seeded(t, 5)
	_, err := client.Tickets.Get(ctx, 1, nil)
	require.ErrorIs(t, err, gorgias.ErrNotFound)

	_, err = client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{Messages: []gorgias.CreateMessageRequest{{}}})
	require.Error(t, err, "the SDK refuses it before sending")
	status, _, body := rawPost(t, srv, "/api/tickets", `{"messages":[{"body_text":"hi"}]}`)
	assert.Equal(t, 400, status)
	missing := []any{"Missing data for required field."}
	assert.Equal(t, map[string]any{"msg": "Failed to create ticket", "data": map[string]any{
		"via":      missing,
		"messages": map[string]any{"0": map[string]any{"channel": missing, "from_agent": missing, "via": missing}},
	}}, body.(map[string]any)["error"])
	status, _, _ = rawPost(t, srv, "/api/tickets", `{"messages":`)
	assert.Equal(t, 400, status)

	req, _ := http.NewRequest(http.MethodPatch, srv.URL+"/api/tickets/1", nil)
	req.SetBasicAuth(srv.Email, srv.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)

	for name, opt := range map[string]gorgias.Option{
		"wrong key":    gorgias.WithBasicAuth(srv.Email, "nope"),
		"wrong token":  gorgias.WithBearerToken("nope"),
		"wrong e-mail": gorgias.WithBasicAuth("someone@else.example", srv.APIKey),
	} {
		_, err := fastClient(srv, opt).Tickets.List(ctx, nil)
		assert.ErrorIs(t, err, gorgias.ErrUnauthorized, name)
	}
	_, err = fastClient(srv, gorgias.WithBearerToken(srv.BearerToken)).Tickets.List(ctx, nil)
	assert.NoError(t, err, "the bearer token is accepted")

	resp, err = http.Get(srv.URL + "/api/tickets") // no credentials at all
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("X-Gorgias-Account-Api-Call-Limit"), "on every response")
	assert.Equal(t, 4, srv.Stats().Unauthorized)
}

func rawPost(t *testing.T, srv *gorgiastest.Server, path, body string) (int, http.Header, any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	req.SetBasicAuth(srv.Email, srv.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	data, _ := io.ReadAll(resp.Body)
	var v any
	_ = json.Unmarshal(data, &v)
	return resp.StatusCode, resp.Header, v
}

func TestRateLimitBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithRateLimit(5, time.Second))
		hc := &http.Client{Transport: srv.Transport()}
		var statuses []int
		for range 7 {
			resp, err := hc.Do(memRequest(t, ctx, srv, http.MethodGet, "/api/tags", nil))
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			statuses = append(statuses, resp.StatusCode)
			assert.Regexp(t, `^\d+/5$`, resp.Header.Get("X-Gorgias-Account-Api-Call-Limit"), "on every response")
			if resp.StatusCode == 429 {
				assert.Equal(t, "1", resp.Header.Get("Retry-After"), "whole seconds")
			}
		}
		assert.Equal(t, []int{200, 200, 200, 200, 200, 429, 429}, statuses)
		assert.Equal(t, 2, srv.Stats().RateLimited)

		// The SDK rides it out: its limiter paces, and 429s are retried.
		client := srv.Client(gorgias.WithRateLimit(5, time.Second), gorgias.WithRetryPolicy(5, time.Millisecond, 10*time.Millisecond))
		for range 8 {
			_, err := client.Tags.List(ctx, nil)
			require.NoError(t, err)
		}
	})
}

func TestFaultsAreDeterministic(t *testing.T) {
	run := func() []int {
		srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(),
			gorgiastest.WithFaults(gorgiastest.Faults{ServerErrorRate: 0.3, RateLimitRate: 0.1, Seed: 42}))
		var statuses []int
		for range 30 {
			status, _, _ := rawGet(t, srv, "/api/tags")
			statuses = append(statuses, status)
		}
		return statuses
	}
	a, b := run(), run()
	assert.Equal(t, a, b)
	assert.Contains(t, a, 429)
	assert.True(t, slices.ContainsFunc(a, func(s int) bool { return s >= 500 }))
}

func TestReadsSurviveInjectedFaults(t *testing.T) {
	srv, _ := seeded(t, 400, gorgiastest.WithFaults(gorgiastest.Faults{ServerErrorRate: 0.2, DropRate: 0.1, Seed: 7}))
	client := fastClient(srv, gorgias.WithRetryPolicy(6, time.Millisecond, 5*time.Millisecond))
	n := 0
	for _, err := range client.Tickets.All(ctx, nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 400, n)
	st := srv.Stats()
	assert.Positive(t, st.ServerErrors+st.Dropped, "faults were injected")
}

// TestCreatesNeverDuplicate creates tickets through 5xx, 429s and dropped
// connections (half of them applied before the drop): the SDK never sends
// a create twice, so no customer ends up with two tickets.
func TestCreatesNeverDuplicate(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(),
		gorgiastest.WithFaults(gorgiastest.Faults{ServerErrorRate: 0.2, DropRate: 0.2, RateLimitRate: 0.03, Seed: 3, Methods: []string{"POST"}}))
	client := fastClient(srv)
	const creates = 100
	succeeded := 0
	for i := range creates {
		if _, err := client.Tickets.Create(ctx, newTicket("dup"+itoa(int64(i))+"@example.com")); err == nil {
			succeeded++
		}
	}
	perCustomer := map[string]int{}
	for ticket, err := range client.Tickets.All(ctx, nil) {
		require.NoError(t, err)
		perCustomer[*ticket.Customer.Email]++
	}
	for email, n := range perCustomer {
		assert.Equal(t, 1, n, "%s has %d tickets: a create was sent twice", email, n)
	}
	st := srv.Stats()
	assert.GreaterOrEqual(t, len(perCustomer), succeeded, "every success is stored")
	assert.Positive(t, st.ServerErrors)
	assert.Positive(t, st.Dropped)
	t.Logf("%d creates: %d succeeded, %d tickets stored; %d 5xx, %d dropped, %d 429 injected",
		creates, succeeded, len(perCustomer), st.ServerErrors, st.Dropped, st.RateLimited)
}

// TestRemainingOperations drives the operations the other tests do not,
// so every SDK operation runs against the fake.
func TestRemainingOperations(t *testing.T) {
	_, client := seeded(t, 60)
	ticket, err := client.Tickets.Create(ctx, newTicket("ops@example.com"))
	require.NoError(t, err)
	msgID := ticket.Messages[0].ID

	m, err := client.Messages.Get(ctx, ticket.ID, msgID)
	require.NoError(t, err)
	assert.Equal(t, "Hello?", *m.BodyText)
	m, err = client.Messages.Update(ctx, ticket.ID, msgID, &gorgias.UpdateMessageRequest{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: gorgias.Ptr("Hello again?")})
	require.NoError(t, err)
	assert.Equal(t, "Hello again?", *m.BodyText)
	assert.Equal(t, msgID, m.ID)
	_, err = client.Messages.Get(ctx, ticket.ID+1, msgID)
	require.ErrorIs(t, err, gorgias.ErrNotFound, "a message is reached through its own ticket")
	require.NoError(t, client.Messages.Delete(ctx, ticket.ID, msgID))
	_, err = client.Messages.Get(ctx, ticket.ID, msgID)
	require.ErrorIs(t, err, gorgias.ErrNotFound)

	tag, err := client.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: "to-delete"})
	require.NoError(t, err)
	require.NoError(t, client.Tags.Delete(ctx, tag.ID))
	require.ErrorIs(t, client.Tags.Delete(ctx, tag.ID), gorgias.ErrNotFound)

	survey, err := client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: ticket.ID, CustomerID: ticket.Customer.ID,
		ShouldSendDatetime: gorgias.NewNullable(gorgias.Time{Time: time.Now().Add(time.Hour)})})
	require.NoError(t, err)
	updated, err := client.Surveys.Update(ctx, survey.ID, &gorgias.UpdateSurveyRequest{Score: gorgias.NewNullable(2), ShouldSendDatetime: gorgias.Null[gorgias.Time]()})
	require.NoError(t, err)
	assert.Equal(t, 2, *updated.Score)
	assert.Nil(t, updated.ShouldSendDatetime, "cleared: never sent")
	page, err := client.Surveys.List(ctx, &gorgias.ListSurveysOptions{TicketID: ticket.ID})
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, survey.ID, page.Data[0].ID)

	events, err := client.Voice.ListCallEvents(ctx, &gorgias.ListCallItemsOptions{ListOptions: gorgias.ListOptions{Limit: 2}})
	require.NoError(t, err)
	require.Len(t, events.Data, 2)
	assert.NotEmpty(t, events.NextCursor)
	e, err := client.Voice.GetCallEvent(ctx, events.Data[0].ID)
	require.NoError(t, err)
	assert.Equal(t, events.Data[0].Type, e.Type)
}
