package gorgiastest_test

import (
	encjson "encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fieldIDs lists /api/custom-fields with query and returns the ids of the
// page, and the answer.
func fieldIDs(t *testing.T, srv *gorgiastest.Server, query string) ([]int64, map[string]any) {
	t.Helper()
	status, body := rawDo(t, srv, http.MethodGet, "/api/custom-fields?"+query, "")
	require.Equal(t, http.StatusOK, status, "%s: %v", query, body)
	var ids []int64
	for _, it := range body["data"].([]any) {
		ids = append(ids, int64(it.(map[string]any)["id"].(float64)))
	}
	return ids, body
}

// textField is a valid body for POST /api/custom-fields.
func textField(label string, priority int) map[string]any {
	return map[string]any{"object_type": "Ticket", "label": label, "priority": priority,
		"definition": map[string]any{"data_type": "text", "input_settings": map[string]any{"input_type": "input"}}}
}

func TestListFieldDefinitions(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())

	status, body := rawDo(t, srv, http.MethodGet, "/api/custom-fields", "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, map[string]any{"object_type": []any{missing}}, errorData(body), "object_type is required")
	status, body = rawDo(t, srv, http.MethodGet, "/api/custom-fields?object_type=ticket", "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, map[string]any{"object_type": []any{"Must be one of: Ticket, Customer."}}, errorData(body))
	for _, q := range []string{"archived=maybe", "limit=0", "limit=101", "order_by=label:asc", "cursor=nonsense"} {
		status, body = rawDo(t, srv, http.MethodGet, "/api/custom-fields?object_type=Ticket&"+q, "")
		assert.Equal(t, http.StatusBadRequest, status, q)
		assert.Len(t, errorData(body), 1, q)
	}

	// The active Ticket fields, by priority, highest first; the one
	// without a priority last.
	ids, env := fieldIDs(t, srv, "object_type=Ticket")
	assert.Equal(t, []int64{gorgiastest.FieldGiftOrder, gorgiastest.FieldRefundAmount, gorgiastest.FieldOrderNumber,
		gorgiastest.FieldContactReason, gorgiastest.FieldAIIntent}, ids)
	assert.Equal(t, "list", env["object"])
	assert.Equal(t, map[string]any{"prev_cursor": nil, "next_cursor": nil}, env["meta"])
	desc, _ := fieldIDs(t, srv, "object_type=Ticket&order_by=priority:desc")
	assert.Equal(t, ids, desc, "priority:desc is the default")
	asc, _ := fieldIDs(t, srv, "object_type=Ticket&order_by=priority%3Aasc")
	assert.Equal(t, []int64{gorgiastest.FieldContactReason, gorgiastest.FieldOrderNumber, gorgiastest.FieldRefundAmount,
		gorgiastest.FieldGiftOrder, gorgiastest.FieldAIIntent}, asc)
	active, _ := fieldIDs(t, srv, "object_type=Ticket&archived=false")
	assert.Equal(t, ids, active, "archived=false is the default")

	archived, _ := fieldIDs(t, srv, "object_type=Ticket&archived=true")
	assert.Equal(t, []int64{gorgiastest.FieldLegacySource}, archived)
	customer, _ := fieldIDs(t, srv, "object_type=Customer")
	assert.Equal(t, []int64{gorgiastest.FieldLoyaltyTier}, customer)
	found, _ := fieldIDs(t, srv, "object_type=Ticket&search=ORDER")
	assert.Equal(t, []int64{gorgiastest.FieldGiftOrder, gorgiastest.FieldOrderNumber}, found, "a case-insensitive substring of the label")
	none, _ := fieldIDs(t, srv, "object_type=Ticket&search=legacy")
	assert.Empty(t, none, "search keeps to the active fields unless archived=true")

	// Ties go by id, in both orders.
	client := fastClient(srv)
	var a, b gorgias.CustomField
	require.NoError(t, client.Do(ctx, http.MethodPost, "/api/custom-fields", textField("Tie A", 8), &a))
	require.NoError(t, client.Do(ctx, http.MethodPost, "/api/custom-fields", textField("Tie B", 8), &b))
	require.Less(t, a.ID, b.ID)
	ids, _ = fieldIDs(t, srv, "object_type=Ticket")
	assert.Equal(t, []int64{gorgiastest.FieldOrderNumber, a.ID, b.ID}, ids[2:5])
	asc, _ = fieldIDs(t, srv, "object_type=Ticket&order_by=priority:asc")
	assert.Equal(t, []int64{gorgiastest.FieldOrderNumber, a.ID, b.ID}, asc[1:4])

	// Pages of 2, forward with the SDK and back with the prev cursors.
	var walked []int64
	for f, err := range gorgias.All[gorgias.CustomField](ctx, client, "/api/custom-fields", url.Values{"object_type": {"Ticket"}, "limit": {"2"}}) {
		require.NoError(t, err)
		walked = append(walked, f.ID)
	}
	assert.Equal(t, ids, walked)
	page, err := gorgias.List[gorgias.CustomField](ctx, client, "/api/custom-fields", url.Values{"object_type": {"Ticket"}, "limit": {"2"}})
	require.NoError(t, err)
	second, err := gorgias.List[gorgias.CustomField](ctx, client, "/api/custom-fields",
		url.Values{"object_type": {"Ticket"}, "limit": {"2"}, "cursor": {page.NextCursor}})
	require.NoError(t, err)
	back, err := gorgias.List[gorgias.CustomField](ctx, client, "/api/custom-fields",
		url.Values{"object_type": {"Ticket"}, "limit": {"2"}, "cursor": {second.PrevCursor}})
	require.NoError(t, err)
	require.Len(t, back.Data, 2)
	assert.Equal(t, []int64{page.Data[0].ID, page.Data[1].ID}, []int64{back.Data[0].ID, back.Data[1].ID})
}

func TestGetFieldDefinition(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit())
	status, body := rawDo(t, srv, http.MethodGet, "/api/custom-fields/"+itoa(gorgiastest.FieldContactReason), "")
	require.Equal(t, http.StatusOK, status)
	want := fixtureKeys(t, "custom_fields.json", true)
	want = slices.DeleteFunc(want, func(k string) bool { return k == "prediction" || k == "value" })
	require.Equal(t, []string{"field"}, want)
	data, _ := readFixture(t, "custom_fields.json")
	fixtureField := data["data"].([]any)[1].(map[string]any)["field"].(map[string]any)
	assert.Equal(t, keys(fixtureField), keys(body), "the keys of the reference's definition")
	assert.Equal(t, fixtureField["definition"], body["definition"])

	// The managed field: null label, priority and required, and a null
	// placeholder and default, as live accounts send them.
	status, body = rawDo(t, srv, http.MethodGet, "/api/custom-fields/"+itoa(gorgiastest.FieldAIIntent), "")
	require.Equal(t, http.StatusOK, status)
	for _, k := range []string{"label", "priority", "required"} {
		assert.Contains(t, body, k)
		assert.Nil(t, body[k], k)
	}
	settings := body["definition"].(map[string]any)["input_settings"].(map[string]any)
	assert.Equal(t, map[string]any{"input_type": "input", "placeholder": nil, "default": nil}, settings)
	var field gorgias.CustomField
	require.NoError(t, fastClient(srv).Do(ctx, http.MethodGet, "/api/custom-fields/"+itoa(gorgiastest.FieldAIIntent), nil, &field),
		"the SDK decodes the nulls")
	assert.Equal(t, gorgiastest.FieldAIIntent, field.ID)

	_, body = rawDo(t, srv, http.MethodGet, "/api/custom-fields/"+itoa(gorgiastest.FieldLegacySource), "")
	assert.NotNil(t, body["deactivated_datetime"], "archived fields can be read")
	status, _ = rawDo(t, srv, http.MethodGet, "/api/custom-fields/42", "")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = rawDo(t, srv, http.MethodDelete, "/api/custom-fields/"+itoa(gorgiastest.FieldAIIntent), "")
	assert.Equal(t, http.StatusMethodNotAllowed, status, "definitions are archived, not deleted")
}

func TestCreateFieldDefinition(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(start))
	client := fastClient(srv)
	var reason map[string]any
	err := client.Do(ctx, http.MethodPost, "/api/custom-fields", map[string]any{
		"object_type": "Ticket", "label": "Return reason", "description": "Why the customer sent it back",
		"priority": 40, "required": true, "managed_type": nil, "external_id": "erp-17",
		"definition": map[string]any{"data_type": "text", "input_settings": map[string]any{
			"input_type": "dropdown", "choices": []any{"Too small", "Too large", "Broken"}, "default": "Broken", "placeholder": "Pick one"}},
	}, &reason)
	require.NoError(t, err)
	id := int64(reason["id"].(float64))
	assert.Greater(t, id, gorgiastest.FieldLegacySource)
	assert.Equal(t, "required", reason["requirement_type"], "required fields default to requirement_type required")
	assert.Equal(t, true, reason["required"])
	assert.Equal(t, "erp-17", reason["external_id"])
	assert.Nil(t, reason["deactivated_datetime"])
	assert.Equal(t, reason["created_datetime"], reason["updated_datetime"])
	created, err := time.Parse(time.RFC3339Nano, reason["created_datetime"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, start, created, time.Millisecond, "on the fake's clock")
	assert.Equal(t, map[string]any{"input_type": "dropdown", "choices": []any{"Too small", "Too large", "Broken"},
		"default": "Broken", "placeholder": "Pick one"}, reason["definition"].(map[string]any)["input_settings"])

	var got gorgias.CustomField
	require.NoError(t, client.Do(ctx, http.MethodGet, "/api/custom-fields/"+itoa(id), nil, &got))
	assert.Equal(t, "Return reason", deref(got.Label))
	assert.Equal(t, 40, deref(got.Priority))
	require.Len(t, got.Definition.InputSettings.Choices, 3)

	// Defaults: priority 0, not required, visible; a boolean field's
	// choices are true and false.
	var flag gorgias.CustomField
	require.NoError(t, client.Do(ctx, http.MethodPost, "/api/custom-fields", map[string]any{"object_type": "Customer", "label": "Newsletter",
		"definition": map[string]any{"data_type": "boolean", "input_settings": map[string]any{"input_type": "dropdown", "default": false}}}, &flag))
	assert.Equal(t, 0, deref(flag.Priority))
	assert.Equal(t, false, deref(flag.Required))
	assert.Equal(t, gorgias.FieldRequirementVisible, flag.RequirementType)
	assert.Equal(t, gorgias.FieldObjectCustomer, flag.ObjectType)
	require.Len(t, flag.Definition.InputSettings.Choices, 2)
	assert.Equal(t, jsonString([]any{true, false}), jsonString(flag.Definition.InputSettings.Choices))

	// A number field with bounds takes ticket values within them.
	var rating gorgias.CustomField
	require.NoError(t, client.Do(ctx, http.MethodPost, "/api/custom-fields", map[string]any{"object_type": "Ticket", "label": "Rating",
		"definition": map[string]any{"data_type": "number", "input_settings": map[string]any{"input_type": "input_number", "min": 1, "max": 5}}}, &rating))
	assert.Equal(t, 1.0, *rating.Definition.InputSettings.Min)
	assert.Equal(t, 5.0, *rating.Definition.InputSettings.Max)
	assert.Nil(t, rating.Definition.InputSettings.Default, "no default key unless sent")

	ticket, err := client.Tickets.Create(ctx, newTicket("new-fields@example.com"))
	require.NoError(t, err)
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, rating.ID, 6)
	assert.Equal(t, []string{"Must be less than or equal to 5."}, fieldErrs(t, err)["value"])
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, id, "Too wide")
	assert.Equal(t, []string{"Must be one of: Too small, Too large, Broken."}, fieldErrs(t, err)["value"])
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, rating.ID, 4)
	require.NoError(t, err)
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, id, "Too small")
	require.NoError(t, err)
	values, err := client.Tickets.ListCustomFields(ctx, ticket.ID)
	require.NoError(t, err)
	require.Len(t, values, 2)
	assert.Equal(t, "Return reason", deref(values[0].Field.Label))
	assert.Equal(t, "Rating", deref(values[1].Field.Label))

	// A Customer field takes no ticket value.
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, flag.ID, true)
	assert.Contains(t, fieldErrs(t, err), "id")
	_, err = client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{CustomFields: []gorgias.CustomFieldUpdate{
		{ID: gorgiastest.FieldLoyaltyTier, Value: "Gold"}}})
	assert.Contains(t, fieldErrs(t, err), "custom_fields.0.id")
	assert.Len(t, srv.CustomFields(), 10)
}

// readFixture reads a JSON object from testdata.
func readFixture(t *testing.T, name string) (map[string]any, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, encjson.Unmarshal(data, &v))
	return v, nil
}

func TestCreateFieldDefinitionIsStrict(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(start))
	const head = `{"object_type": "Ticket", "label": "X", "definition": `
	settings := func(dataType, s string) string {
		return head + `{"data_type": "` + dataType + `", "input_settings": ` + s + `}}`
	}
	at := func(name string, msg string) map[string]any {
		return map[string]any{"definition": map[string]any{"input_settings": map[string]any{name: []any{msg}}}}
	}
	for _, c := range []struct {
		body string
		want map[string]any
	}{
		{`{}`, map[string]any{"object_type": []any{missing}, "label": []any{missing}, "definition": []any{missing}}},
		{`{"object_type": null, "label": "", "definition": []}`, map[string]any{"object_type": []any{"Field may not be null."},
			"label": []any{"Shorter than minimum length 1."}, "definition": []any{"Not a valid mapping type."}}},
		{`{"object_type": "Order", "label": 7, "definition": {}}`, map[string]any{"object_type": []any{"Must be one of: Ticket, Customer."},
			"label":      []any{"Not a valid string."},
			"definition": map[string]any{"data_type": []any{missing}, "input_settings": []any{missing}}}},
		{head + `{"data_type": "date", "input_settings": {"input_type": "input"}}}`,
			map[string]any{"definition": map[string]any{"data_type": []any{"Must be one of: text, number, boolean."}}}},
		{settings("text", `{}`), at("input_type", missing)},
		{settings("text", `{"input_type": "input_number"}`), at("input_type", "Must be one of: input, dropdown.")},
		{settings("number", `{"input_type": "input"}`), at("input_type", "Must be one of: input_number.")},
		{settings("boolean", `{"input_type": "input"}`), at("input_type", "Must be one of: dropdown.")},
		{settings("text", `{"input_type": "dropdown"}`), at("choices", missing)},
		{settings("text", `{"input_type": "dropdown", "choices": []}`), at("choices", "Shorter than minimum length 1.")},
		{settings("text", `{"input_type": "dropdown", "choices": null}`), at("choices", "Field may not be null.")},
		{settings("text", `{"input_type": "input", "choices": ["a"]}`), at("choices", "Only a dropdown has choices.")},
		{settings("text", `{"input_type": "dropdown", "choices": ["a", 1, "a", " "]}`), map[string]any{"definition": map[string]any{
			"input_settings": map[string]any{"choices": map[string]any{"1": []any{"Not a valid string."},
				"2": []any{"Duplicate choice: each value may appear once."}, "3": []any{"Shorter than minimum length 1."}}}}}},
		{settings("boolean", `{"input_type": "dropdown", "choices": ["yes"]}`), map[string]any{"definition": map[string]any{
			"input_settings": map[string]any{"choices": map[string]any{"0": []any{"Not a valid boolean."}}}}}},
		{settings("number", `{"input_type": "input_number", "min": 10, "max": 1}`), at("max", "Must be greater than or equal to min (10).")},
		{settings("number", `{"input_type": "input_number", "min": "1"}`), at("min", "Not a valid number.")},
		{settings("text", `{"input_type": "input", "max": 3}`), at("max", "Only a number field has min and max.")},
		{settings("number", `{"input_type": "input_number", "default": "x"}`), at("default", "Not a valid number value.")},
		{settings("number", `{"input_type": "input_number", "max": 10, "default": 20}`), at("default", "Must be less than or equal to 10.")},
		{settings("text", `{"input_type": "dropdown", "choices": ["a", "b"], "default": "z"}`), at("default", "Must be one of: a, b.")},
		{settings("boolean", `{"input_type": "dropdown", "default": "true"}`), at("default", "Not a valid boolean value.")},
		{settings("text", `{"input_type": "input", "placeholder": 3}`), at("placeholder", "Not a valid string.")},
		{head + `{"data_type": "text", "input_settings": {"input_type": "input"}}, "priority": 5001, "required": "yes",
			"requirement_type": "sometimes", "managed_type": "mine", "description": 3}`, map[string]any{
			"priority":         []any{"Must be greater than or equal to 0 and less than or equal to 5000."},
			"required":         []any{"Not a valid boolean."},
			"requirement_type": []any{"Must be one of: visible, required, conditional."},
			"managed_type":     []any{"Must be one of: contact_reason, product, resolution, ai_intent, ai_outcome, ai_sales, ai_discount, ai_journey, managed_sentiment, call_status."},
			"description":      []any{"Not a valid string."}}},
		{head + `{"data_type": "text", "input_settings": {"input_type": "input"}}, "deactivated_datetime": "2030-01-01T00:00:00+00:00"}`,
			map[string]any{"deactivated_datetime": []any{"Must be a datetime in the past: a past datetime archives the field, null restores it."}}},
	} {
		status, body := rawDo(t, srv, http.MethodPost, "/api/custom-fields", c.body)
		assert.Equal(t, http.StatusBadRequest, status, c.body)
		assert.Equal(t, c.want, errorData(body), c.body)
	}
	status, body := rawDo(t, srv, http.MethodPost, "/api/custom-fields", `[]`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, errorData(body), "_schema")
	assert.Len(t, srv.CustomFields(), 7, "nothing refused was created")

	// What passes: a text dropdown with a default among its choices, a
	// number with min = max, a field created archived.
	for _, body := range []string{
		settings("text", `{"input_type": "dropdown", "choices": ["a", "b"], "default": "b"}`),
		settings("number", `{"input_type": "input_number", "min": 2, "max": 2, "default": 2}`),
		head + `{"data_type": "text", "input_settings": {"input_type": "input"}}, "deactivated_datetime": "2026-01-01T00:00:00+00:00"}`,
	} {
		status, answer := rawDo(t, srv, http.MethodPost, "/api/custom-fields", body)
		assert.Equal(t, http.StatusOK, status, "%s: %v", body, answer)
	}
	assert.True(t, srv.CustomFields()[9].Archived)
}

func TestReplaceFieldDefinition(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(start))
	client := fastClient(srv)
	var f gorgias.CustomField
	require.NoError(t, client.Do(ctx, http.MethodPost, "/api/custom-fields", map[string]any{"object_type": "Ticket", "label": "Channel detail",
		"description": "Kept", "priority": 3, "definition": map[string]any{"data_type": "text",
			"input_settings": map[string]any{"input_type": "input", "placeholder": "Type here"}}}, &f))
	path := "/api/custom-fields/" + itoa(f.ID)

	status, body := rawDo(t, srv, http.MethodPut, path, `{"label": "Only the label"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, map[string]any{"object_type": []any{missing}, "definition": []any{missing}}, errorData(body),
		"a replacement sends object_type, label and definition again")
	status, _ = rawDo(t, srv, http.MethodPut, "/api/custom-fields/42", `{}`)
	assert.Equal(t, http.StatusNotFound, status)

	srv.Advance(time.Hour)
	var replaced gorgias.CustomField
	require.NoError(t, client.Do(ctx, http.MethodPut, path, map[string]any{"object_type": "Ticket", "label": "Channel details",
		"definition": map[string]any{"data_type": "text", "input_settings": map[string]any{"input_type": "dropdown", "choices": []any{"web", "store"}}}},
		&replaced))
	assert.Equal(t, "Channel details", deref(replaced.Label))
	assert.Equal(t, gorgias.FieldInputDropdown, replaced.Definition.InputSettings.InputType)
	assert.Nil(t, replaced.Definition.InputSettings.Placeholder, "the definition is replaced whole")
	assert.Equal(t, "Kept", *replaced.Description, "fields not sent keep their values")
	assert.Equal(t, 3, deref(replaced.Priority))
	assert.Equal(t, f.CreatedDatetime.Time, replaced.CreatedDatetime.Time)
	assert.WithinDuration(t, start.Add(time.Hour), replaced.UpdatedDatetime.Time, time.Millisecond, "updated_datetime moves")

	valid := `"object_type": "Ticket", "label": "L", "definition": {"data_type": "text", "input_settings": {"input_type": "input"}}`
	for _, c := range []struct {
		body string
		want map[string]any
	}{
		{`{"object_type": "Customer", "label": "L", "definition": {"data_type": "text", "input_settings": {"input_type": "input"}}}`,
			map[string]any{"object_type": []any{"Cannot be changed: the field is a Ticket field."}}},
		{`{"object_type": "Ticket", "label": "L", "definition": {"data_type": "number", "input_settings": {"input_type": "input_number"}}}`,
			map[string]any{"definition": map[string]any{"data_type": []any{"Cannot be changed: the field holds text values."}}}},
		{`{"id": 1, ` + valid + `}`, map[string]any{"id": []any{"Must be the id of the field in the path (" + itoa(f.ID) + ")."}}},
		{`{"label": null, "object_type": "Ticket", "definition": {"data_type": "text", "input_settings": {"input_type": "input"}}}`,
			map[string]any{"label": []any{"Field may not be null."}}},
	} {
		status, body := rawDo(t, srv, http.MethodPut, path, c.body)
		assert.Equal(t, http.StatusBadRequest, status, c.body)
		assert.Equal(t, c.want, errorData(body), c.body)
	}

	// Archiving: a past deactivated_datetime; null restores.
	ticket, err := client.Tickets.Create(ctx, newTicket("archive@example.com"))
	require.NoError(t, err)
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, f.ID, "web")
	require.NoError(t, err)
	status, body = rawDo(t, srv, http.MethodPut, path, `{`+valid+`, "definition": {"data_type": "text", "input_settings": {"input_type": "dropdown", "choices": ["web", "store"]}}, "deactivated_datetime": "`+start.Format(time.RFC3339)+`"}`)
	require.Equal(t, http.StatusOK, status, "%v", body)
	assert.NotNil(t, body["deactivated_datetime"])
	ids, _ := fieldIDs(t, srv, "object_type=Ticket&archived=true")
	assert.Contains(t, ids, f.ID)
	ids, _ = fieldIDs(t, srv, "object_type=Ticket")
	assert.NotContains(t, ids, f.ID)

	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, f.ID, "store")
	assert.Equal(t, []string{"Custom field with id " + itoa(f.ID) + " is archived: it takes no new values."}, fieldErrs(t, err)["id"])
	_, err = client.Tickets.UpdateCustomFields(ctx, ticket.ID, []gorgias.CustomFieldUpdate{{ID: f.ID, Value: "store"}})
	assert.Contains(t, fieldErrs(t, err), "0.id")
	values, err := client.Tickets.ListCustomFields(ctx, ticket.ID)
	require.NoError(t, err)
	require.Len(t, values, 1, "the value set before stays")
	require.NoError(t, client.Tickets.DeleteCustomField(ctx, ticket.ID, f.ID), "and can be removed")

	status, body = rawDo(t, srv, http.MethodPut, path, `{`+valid+`, "deactivated_datetime": null}`)
	require.Equal(t, http.StatusOK, status, "%v", body)
	assert.Nil(t, body["deactivated_datetime"])
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, f.ID, "anything")
	require.NoError(t, err, "restored, and now a plain input")
}

func TestUpdateManyFieldDefinitions(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(start))
	srv.Advance(time.Hour)
	get := func(id int64) map[string]any {
		_, body := rawDo(t, srv, http.MethodGet, "/api/custom-fields/"+itoa(id), "")
		return body
	}
	before := get(gorgiastest.FieldOrderNumber)

	for _, c := range []struct {
		body string
		want map[string]any
	}{
		{`{"id": 1}`, map[string]any{"_schema": []any{"Not a valid list."}}},
		{`[1]`, map[string]any{"0": []any{"Not a valid mapping type."}}},
		{`[{"id": 319601, "label": "Changed"}, {"id": 42, "label": "Nope"}]`,
			map[string]any{"1": map[string]any{"id": []any{"Custom field with id 42 does not exist."}}}},
		{`[{"label": "No id"}]`, map[string]any{"0": map[string]any{"id": []any{missing}}}},
		{`[{"id": 319601, "priority": 1}, {"id": 319601, "priority": 2}]`,
			map[string]any{"1": map[string]any{"id": []any{"Duplicate id: each field may appear once."}}}},
		{`[{"id": 319601, "definition": {}}]`, map[string]any{"0": map[string]any{"definition": []any{
			"Unknown field: a bulk update changes only label, description, priority, required, requirement_type, deactivated_datetime."}}}},
		{`[{"id": 319601, "label": "", "priority": -1, "requirement_type": "always"}]`, map[string]any{"0": map[string]any{
			"label": []any{"Shorter than minimum length 1."}, "priority": []any{"Must be greater than or equal to 0 and less than or equal to 5000."},
			"requirement_type": []any{"Must be one of: visible, required, conditional."}}}},
	} {
		status, body := rawDo(t, srv, http.MethodPut, "/api/custom-fields", c.body)
		assert.Equal(t, http.StatusBadRequest, status, c.body)
		assert.Equal(t, c.want, errorData(body), c.body)
	}
	assert.Equal(t, before, get(gorgiastest.FieldOrderNumber), "nothing changed when any item is refused")

	// Through the SDK's transport: changed definitions come back in a
	// {"data": […]}, in the order sent.
	var out map[string]any
	err := fastClient(srv).Do(ctx, http.MethodPut, "/api/custom-fields", []map[string]any{
		{"id": gorgiastest.FieldGiftOrder, "label": "Gift", "priority": 99, "required": true, "requirement_type": "conditional"},
		{"id": gorgiastest.FieldOrderNumber, "description": nil, "deactivated_datetime": start.Format(time.RFC3339)},
	}, &out)
	require.NoError(t, err)
	assert.Equal(t, []string{"data"}, keys(out))
	data := out["data"].([]any)
	require.Len(t, data, 2)
	gift, order := data[0].(map[string]any), data[1].(map[string]any)
	assert.Equal(t, float64(gorgiastest.FieldGiftOrder), gift["id"])
	assert.Equal(t, "Gift", gift["label"])
	assert.Equal(t, 99.0, gift["priority"])
	assert.Equal(t, true, gift["required"])
	assert.Equal(t, "conditional", gift["requirement_type"])
	assert.Equal(t, before["definition"], order["definition"], "the definition stays")
	assert.Nil(t, order["description"])
	assert.NotNil(t, order["deactivated_datetime"])
	assert.NotEqual(t, before["updated_datetime"], order["updated_datetime"], "updated_datetime moves")
	archived, _ := fieldIDs(t, srv, "object_type=Ticket&archived=true")
	assert.ElementsMatch(t, []int64{gorgiastest.FieldOrderNumber, gorgiastest.FieldLegacySource}, archived)
	ids, _ := fieldIDs(t, srv, "object_type=Ticket")
	assert.Equal(t, gorgiastest.FieldGiftOrder, ids[0], "priority 99 leads")

	status, body := rawDo(t, srv, http.MethodPut, "/api/custom-fields", `[]`)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"data": []any{}}, body, "an empty list changes nothing")
}

// TestTheSDKsCustomFieldsService drives the SDK's definition methods
// against the fake: what the SDK sends, the fake accepts, and what the
// fake answers, the SDK reads.
func TestTheSDKsCustomFieldsService(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(start))
	client := fastClient(srv)

	reason, err := client.CustomFields.FindByLabel(ctx, gorgias.FieldObjectTicket, "contact reason")
	require.NoError(t, err)
	assert.Equal(t, gorgiastest.FieldContactReason, reason.ID)
	_, err = client.CustomFields.FindByLabel(ctx, gorgias.FieldObjectTicket, "Legacy source")
	require.ErrorIs(t, err, gorgias.ErrNotFound, "archived fields are not found")

	var ids []int64
	for f, err := range client.CustomFields.All(ctx, &gorgias.ListCustomFieldsOptions{ObjectType: gorgias.FieldObjectTicket}) {
		require.NoError(t, err)
		ids = append(ids, f.ID)
	}
	raw, _ := fieldIDs(t, srv, "object_type=Ticket")
	assert.Equal(t, raw, ids)
	archived, err := client.CustomFields.List(ctx, &gorgias.ListCustomFieldsOptions{ObjectType: gorgias.FieldObjectTicket,
		Archived: gorgias.Ptr(true), OrderBy: gorgias.CustomFieldOrderPriorityAsc})
	require.NoError(t, err)
	require.Len(t, archived.Data, 1)
	assert.Equal(t, gorgiastest.FieldLegacySource, archived.Data[0].ID)

	size, err := client.CustomFields.Create(ctx, &gorgias.CreateCustomFieldRequest{ObjectType: gorgias.FieldObjectTicket,
		Label: "Size", Description: "Garment size", Priority: gorgias.Ptr(12),
		Definition: gorgias.FieldDefinition{DataType: gorgias.FieldDataTypeText, InputSettings: gorgias.FieldInputSettings{
			InputType: gorgias.FieldInputDropdown, Choices: fieldValues(t, "S", "M", "L")}}})
	require.NoError(t, err)
	got, err := client.CustomFields.Get(ctx, size.ID)
	require.NoError(t, err)
	assert.Equal(t, "Garment size", deref(got.Description))

	// Update from the definition as read: the fields UpdateRequest leaves
	// out keep their values.
	req := got.UpdateRequest()
	req.Label = "Garment size"
	req.Definition.InputSettings.Choices = fieldValues(t, "S", "M", "L", "XL")
	updated, err := client.CustomFields.Update(ctx, size.ID, req)
	require.NoError(t, err)
	assert.Equal(t, "Garment size", deref(updated.Label))
	assert.Equal(t, "Garment size", deref(updated.Description), "kept")
	assert.Len(t, updated.Definition.InputSettings.Choices, 4)

	ticket, err := client.Tickets.Create(ctx, newTicket("sdk-fields@example.com"))
	require.NoError(t, err)
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, size.ID, "XL")
	require.NoError(t, err, "a new choice is a valid value")

	changed, err := client.CustomFields.UpdateMany(ctx, []gorgias.CustomFieldChange{
		{ID: size.ID, Priority: gorgias.Ptr(100)},
		{ID: gorgiastest.FieldOrderNumber, DeactivatedDatetime: gorgias.NewNullable(gorgias.Time{Time: start.Add(-time.Hour)})},
	})
	require.NoError(t, err)
	require.Len(t, changed, 2)
	assert.Equal(t, 100, deref(changed[0].Priority))
	assert.NotNil(t, changed[1].DeactivatedDatetime)
	first, err := client.CustomFields.List(ctx, &gorgias.ListCustomFieldsOptions{ObjectType: gorgias.FieldObjectTicket, ListOptions: gorgias.ListOptions{Limit: 1}})
	require.NoError(t, err)
	assert.Equal(t, size.ID, first.Data[0].ID, "priority 100 leads")
	_, err = client.Tickets.UpdateCustomField(ctx, ticket.ID, gorgiastest.FieldOrderNumber, "ORD-1")
	assert.Contains(t, fieldErrs(t, err), "id", "archived through UpdateMany")

	restored, err := client.CustomFields.UpdateMany(ctx, []gorgias.CustomFieldChange{
		{ID: gorgiastest.FieldOrderNumber, DeactivatedDatetime: gorgias.Null[gorgias.Time]()}})
	require.NoError(t, err)
	assert.Nil(t, restored[0].DeactivatedDatetime)

	// The SDK and the fake both refuse a default outside the choices and a
	// priority out of range: the SDK before sending, the fake when sent.
	bad := &gorgias.CreateCustomFieldRequest{ObjectType: gorgias.FieldObjectTicket, Label: "Bad",
		Priority: gorgias.Ptr(9000), Definition: gorgias.FieldDefinition{DataType: gorgias.FieldDataTypeText,
			InputSettings: gorgias.FieldInputSettings{InputType: gorgias.FieldInputDropdown, Choices: fieldValues(t, "a"),
				Default: &fieldValues(t, "b")[0]}}}
	_, err = client.CustomFields.Create(ctx, bad)
	var verr *gorgias.ValidationError
	require.ErrorAs(t, err, &verr)
	err = client.Do(ctx, http.MethodPost, "/api/custom-fields", bad, nil)
	fields := fieldErrs(t, err)
	assert.Contains(t, fields, "priority")
	assert.Contains(t, fields, "definition.input_settings.default")
}

// fieldValues makes FieldValues of strings.
func fieldValues(t *testing.T, values ...string) []gorgias.FieldValue {
	t.Helper()
	out := make([]gorgias.FieldValue, len(values))
	for i, v := range values {
		fv, err := gorgias.NewFieldValue(v)
		require.NoError(t, err)
		out[i] = fv
	}
	return out
}
