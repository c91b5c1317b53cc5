package gorgiastest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawDo sends body (if any) with the fake's credentials and decodes the
// JSON answer.
func rawDo(t *testing.T, srv *gorgiastest.Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	req.SetBasicAuth(srv.Email, srv.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	data, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if len(data) > 0 {
		require.NoError(t, json.Unmarshal(data, &v), "%s", data)
	}
	return resp.StatusCode, v
}

// fieldErrs returns the field errors of a 400 from the SDK, flattened.
func fieldErrs(t *testing.T, err error) map[string][]string {
	t.Helper()
	var apiErr *gorgias.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 400, apiErr.StatusCode, "%v", err)
	return apiErr.Fields
}

// deref returns what v points to (nil for a nil pointer), or v itself:
// the SDK's response types are turning optional fields into pointers, and
// these tests read them either way.
func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		return v
	}
	if rv.IsNil() {
		return nil
	}
	return rv.Elem().Interface()
}

// isTrue reports whether v is true or points to true.
func isTrue(v any) bool { return deref(v) == true }

func fieldNames(fields map[string][]string) []string {
	names := []string{}
	for k := range fields {
		names = append(names, k)
	}
	return names
}

// errorData is error.data of a raw answer.
func errorData(body map[string]any) map[string]any {
	e, _ := body["error"].(map[string]any)
	d, _ := e["data"].(map[string]any)
	return d
}

func TestUpdateRefusesBadEnumsAndUnknownIDs(t *testing.T) {
	srv, client := seeded(t, 20)
	page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 1}})
	require.NoError(t, err)
	before, err := client.Tickets.Get(ctx, page.Data[0].ID, nil)
	require.NoError(t, err)

	_, err = client.Tickets.Update(ctx, before.ID, &gorgias.UpdateTicketRequest{
		Status: "bogus", Priority: "urgent!!", Channel: "made-up",
		AssigneeUser: gorgias.NewNullable(gorgias.IDRef{ID: 12345}),
		AssigneeTeam: gorgias.NewNullable(gorgias.IDRef{ID: 999}),
	})
	fields := fieldErrs(t, err)
	assert.ElementsMatch(t, []string{"status", "priority", "channel", "assignee_user.id", "assignee_team.id"}, fieldNames(fields))
	assert.Equal(t, []string{"Must be one of: open, closed."}, fields["status"])
	assert.Equal(t, []string{"User with id 12345 does not exist."}, fields["assignee_user.id"])

	after, err := client.Tickets.Get(ctx, before.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, before.Status, after.Status, "a refused update changes nothing")
	assert.Equal(t, before.Priority, after.Priority)
	assert.Equal(t, before.Channel, after.Channel)
	assert.Equal(t, before.AssigneeUser, after.AssigneeUser)
	assert.Equal(t, before.UpdatedDatetime, after.UpdatedDatetime)

	team := srv.Teams()[0]
	assigned, err := client.Tickets.Update(ctx, before.ID, &gorgias.UpdateTicketRequest{
		AssigneeUser: gorgias.NewNullable(gorgias.IDRef{ID: srv.Agents()[1].ID}),
		AssigneeTeam: gorgias.NewNullable(gorgias.IDRef{ID: team.ID}),
	})
	require.NoError(t, err)
	assert.Equal(t, srv.Agents()[1].Name, *assigned.AssigneeUser.Name, "the real agent, not an invented one")
	assert.Equal(t, team.Name, assigned.AssigneeTeam.Name)
}

func TestWrongJSONTypesAreFieldErrors(t *testing.T) {
	srv, client := seeded(t, 5)
	ticket, err := client.Tickets.Create(ctx, newTicket("types@example.com"))
	require.NoError(t, err)
	status, body := rawDo(t, srv, "PUT", "/api/tickets/"+itoa(ticket.ID),
		`{"spam": "yes", "subject": 3, "snooze_datetime": "tomorrow", "meta": [1], "tags": {"name": "x"}, "customer": {"id": "1"}}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, map[string]any{
		"spam":            []any{"Not a valid boolean."},
		"subject":         []any{"Not a valid string."},
		"snooze_datetime": []any{"Not a valid datetime."},
		"meta":            []any{"Not a valid mapping type."},
		"tags":            []any{"Not a valid list."},
		"customer":        map[string]any{"id": []any{"Not a valid integer."}},
	}, errorData(body))
	assert.Equal(t, "Failed to update ticket", body["error"].(map[string]any)["msg"])

	status, body = rawDo(t, srv, "PUT", "/api/tickets/"+itoa(ticket.ID), `[1, 2]`)
	assert.Equal(t, 400, status, "a body that is not an object")
	assert.Contains(t, errorData(body), "_schema")
}

func TestRefusedCreatesStoreNothing(t *testing.T) {
	srv, client := seeded(t, 5)
	tickets, customers := srv.TicketCount(), len(srv.Customers())
	req := newTicket("nobody-yet@example.com")
	req.Tags = []gorgias.TagRef{{ID: 1}}
	req.CustomFields = []gorgias.CustomFieldUpdate{{ID: 42, Value: "x"}}
	_, err := client.Tickets.Create(ctx, req)
	fields := fieldErrs(t, err)
	assert.ElementsMatch(t, []string{"tags.0.id", "custom_fields.0.id"}, fieldNames(fields))
	assert.Equal(t, tickets, srv.TicketCount())
	assert.Len(t, srv.Customers(), customers, "the customer named by email is created only by a valid create")
}

func TestCustomFieldValuesFollowTheirDefinition(t *testing.T) {
	_, client := seeded(t, 5)
	ticket, err := client.Tickets.Create(ctx, newTicket("fields-strict@example.com"))
	require.NoError(t, err)
	for _, c := range []struct {
		field int64
		value any
		msg   string
	}{
		{gorgiastest.FieldRefundAmount, "forty", "Not a valid number value."},
		{gorgiastest.FieldRefundAmount, 20000, "Must be less than or equal to 10000."},
		{gorgiastest.FieldRefundAmount, -1, "Must be greater than or equal to 0."},
		{gorgiastest.FieldOrderNumber, 1042, "Not a valid text value."},
		{gorgiastest.FieldGiftOrder, "yes", "Not a valid boolean value."},
		{gorgiastest.FieldContactReason, "Order::Lost", "Must be one of: Order::Status::Delivered, Order::Status::In transit, Other::Other::Other."},
	} {
		_, err := client.Tickets.UpdateCustomField(ctx, ticket.ID, c.field, c.value)
		assert.Equal(t, []string{c.msg}, fieldErrs(t, err)["value"], "%d = %v", c.field, c.value)

		_, err = client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{CustomFields: []gorgias.CustomFieldUpdate{{ID: c.field, Value: c.value}}})
		assert.Equal(t, []string{c.msg}, fieldErrs(t, err)["custom_fields.0.value"], "in a ticket update too")
	}
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, 1, "x")
	require.ErrorIs(t, err, gorgias.ErrNotFound, "a field id in the path that names nothing")

	v, err := client.Tickets.UpdateCustomField(ctx, ticket.ID, gorgiastest.FieldRefundAmount, 10000)
	require.NoError(t, err)
	n, _ := v.Value.Number()
	assert.Equal(t, 10000.0, n, "the bound itself is accepted")
}

func TestReferencesToTagsCustomersAndUsers(t *testing.T) {
	srv, client := seeded(t, 5)
	ticket, err := client.Tickets.Create(ctx, newTicket("refs@example.com"))
	require.NoError(t, err)

	err = client.Tickets.AddTags(ctx, ticket.ID, &gorgias.TicketTagsRequest{IDs: []int64{srv.Tags()[0].ID, 77}})
	assert.Equal(t, []string{"Tag with id 77 does not exist."}, fieldErrs(t, err)["ids.1"])
	_, err = client.Tags.Merge(ctx, srv.Tags()[0].ID, []int64{78})
	assert.Contains(t, fieldErrs(t, err), "source_tags_ids.0")
	assert.Contains(t, fieldErrs(t, client.Tags.DeleteMany(ctx, []int64{79})), "ids.0")

	_, err = client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: ticket.ID, CustomerID: 5})
	assert.Equal(t, []string{"Customer with id 5 does not exist."}, fieldErrs(t, err)["customer_id"])
	_, err = client.Surveys.Create(ctx, &gorgias.CreateSurveyRequest{TicketID: 6, CustomerID: ticket.Customer.ID})
	assert.Contains(t, fieldErrs(t, err), "ticket_id")

	_, err = client.Messages.Create(ctx, ticket.ID, &gorgias.CreateMessageRequest{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(true),
		BodyText: "hi", Sender: &gorgias.CustomerRef{ID: 7}})
	assert.Equal(t, []string{"User or customer with id 7 does not exist."}, fieldErrs(t, err)["sender.id"])
	_, err = client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Customer: &gorgias.CustomerRef{ID: 8}})
	assert.Contains(t, fieldErrs(t, err), "customer.id")

	status, body := rawDo(t, srv, "POST", "/api/tickets/"+itoa(ticket.ID)+"/messages",
		`{"channel": "internal-note", "via": "api", "from_agent": true, "body_text": "@x", "mention_ids": [9]}`)
	assert.Equal(t, 400, status)
	assert.Contains(t, errorData(body), "mention_ids")
	status, body = rawDo(t, srv, "POST", "/api/tickets/"+itoa(ticket.ID)+"/messages",
		`{"channel": "email", "via": "carrier-pigeon", "from_agent": true, "source": {"type": "fax"}}`)
	assert.Equal(t, 400, status)
	assert.ElementsMatch(t, []string{"via", "source"}, keys(errorData(body)))

	status, _ = rawDo(t, srv, "POST", "/api/tickets/"+itoa(ticket.ID)+"/messages?action=later",
		`{"channel": "email", "via": "api", "from_agent": true}`)
	assert.Equal(t, 400, status, "action must be force, retry or cancel")
}

func TestWithChannelsAllowsAppChannels(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithChannels("acme-app"))
	client := fastClient(srv)
	req := newTicket("app@example.com")
	req.Messages[0].Channel = "acme-app"
	ticket, err := client.Tickets.Create(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, gorgias.Channel("acme-app"), ticket.Channel)

	plain := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	_, err = fastClient(plain).Tickets.Create(ctx, req)
	assert.Contains(t, fieldErrs(t, err), "messages.0.channel", "not without WithChannels")
}
