//go:build !mutation

package gorgias

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dropdown(choices ...any) FieldDefinition {
	d := FieldDefinition{DataType: FieldDataTypeText, InputSettings: FieldInputSettings{InputType: FieldInputDropdown}}
	for _, c := range choices {
		v, err := NewFieldValue(c)
		if err != nil {
			panic(err)
		}
		d.InputSettings.Choices = append(d.InputSettings.Choices, v)
	}
	return d
}

func TestCustomFieldDefinitionOperations(t *testing.T) {
	ctx := context.Background()
	checkReason := func(t *testing.T, result any) {
		f := result.(*CustomField)
		assert.Equal(t, int64(319613), f.ID)
		assert.Equal(t, "Contact reason", *f.Label)
		assert.Equal(t, FieldInputDropdown, f.Definition.InputSettings.InputType)
		require.Len(t, f.Definition.InputSettings.Choices, 3)
		assert.Equal(t, "Order::Status::Delivered", f.Definition.InputSettings.Choices[0].String())
	}
	runOpCases(t, []opCase{
		{
			name: "list",
			call: func(c *Client) (any, error) {
				return c.CustomFields.List(ctx, &ListCustomFieldsOptions{ObjectType: FieldObjectTicket, Search: "reason",
					Archived: Ptr(false), OrderBy: CustomFieldOrderPriorityAsc, ListOptions: ListOptions{Limit: 50}})
			},
			fixture: "custom_field_definitions_page.json",
			method:  "GET", path: "/api/custom-fields",
			query: "archived=false&limit=50&object_type=Ticket&order_by=priority%3Aasc&search=reason",
			check: func(t *testing.T, result any) {
				page := result.(*Page[CustomField])
				require.Len(t, page.Data, 4)
				assert.Equal(t, "WyJwIiwgMTNd", page.NextCursor)
				assert.Equal(t, FieldDataTypeBoolean, page.Data[3].Definition.DataType)
			},
		},
		{
			name:    "get",
			call:    func(c *Client) (any, error) { return c.CustomFields.Get(ctx, 319613) },
			fixture: "custom_field_definition.json",
			method:  "GET", path: "/api/custom-fields/319613",
			check: checkReason,
		},
		{
			name: "create a dropdown",
			call: func(c *Client) (any, error) {
				return c.CustomFields.Create(ctx, &CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "Contact reason",
					Definition: dropdown("Order::Status::Delivered", "Other::Other::Other"), Required: Ptr(true),
					RequirementType: FieldRequirementRequired})
			},
			fixture: "custom_field_definition.json",
			method:  "POST", path: "/api/custom-fields",
			body: `{"object_type":"Ticket","label":"Contact reason","required":true,"requirement_type":"required",
				"definition":{"data_type":"text","input_settings":{"input_type":"dropdown","choices":["Order::Status::Delivered","Other::Other::Other"]}}}`,
			check: checkReason,
		},
		{
			name: "update: archive a field, sending what the API needs again",
			call: func(c *Client) (any, error) {
				label := "Contact reason"
				f := &CustomField{ObjectType: FieldObjectTicket, Label: &label, Definition: dropdown("A", "B"), Priority: Ptr(3)}
				req := f.UpdateRequest()
				req.DeactivatedDatetime = NewNullable(Time{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
				return c.CustomFields.Update(ctx, 319613, req)
			},
			fixture: "custom_field_definition.json",
			method:  "PUT", path: "/api/custom-fields/319613",
			body: `{"object_type":"Ticket","label":"Contact reason","priority":3,"deactivated_datetime":"2026-11-01T00:00:00.000000+00:00",
				"definition":{"data_type":"text","input_settings":{"input_type":"dropdown","choices":["A","B"]}}}`,
		},
		{
			name: "update many: reorder",
			call: func(c *Client) (any, error) {
				return c.CustomFields.UpdateMany(ctx, []CustomFieldChange{{ID: 319613, Priority: Ptr(1)}, {ID: 319825, Priority: Ptr(2)}})
			},
			fixture: "custom_field_definitions_page.json",
			method:  "PUT", path: "/api/custom-fields",
			body:  `[{"id":319613,"priority":1},{"id":319825,"priority":2}]`,
			check: func(t *testing.T, result any) { assert.Len(t, result.([]CustomField), 4) },
		},
	})
}

func TestCustomFieldDefinitionsAreValidatedBeforeSending(t *testing.T) {
	ctx := context.Background()
	text := FieldDefinition{DataType: FieldDataTypeText, InputSettings: FieldInputSettings{InputType: FieldInputText}}
	number := func(min, max float64) FieldDefinition {
		return FieldDefinition{DataType: FieldDataTypeNumber, InputSettings: FieldInputSettings{InputType: FieldInputNumber, Min: &min, Max: &max}}
	}
	create := func(req *CreateCustomFieldRequest) func(c *Client) error {
		return func(c *Client) error { _, err := c.CustomFields.Create(ctx, req); return err }
	}
	checkRejected(t, map[string]func(c *Client) error{
		"object_type | list without an object type": func(c *Client) error { _, err := c.CustomFields.List(ctx, nil); return err },
		"object_type | list of Orders": func(c *Client) error {
			_, err := c.CustomFields.List(ctx, &ListCustomFieldsOptions{ObjectType: "Order"})
			return err
		},
		"order_by | list by name": func(c *Client) error {
			_, err := c.CustomFields.List(ctx, &ListCustomFieldsOptions{ObjectType: FieldObjectTicket, OrderBy: "name:asc"})
			return err
		},
		"object_type | create without an object type":       create(&CreateCustomFieldRequest{Label: "x", Definition: text}),
		"label | create without a label":                    create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: " ", Definition: text}),
		"definition.data_type | create without a data type": create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x"}),
		"definition.input_settings.input_type | a number typed in a text input": create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x",
			Definition: FieldDefinition{DataType: FieldDataTypeNumber, InputSettings: FieldInputSettings{InputType: FieldInputText}}}),
		"definition.input_settings.choices | a dropdown without choices":      create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: dropdown()}),
		"definition.input_settings.choices.1 | a text dropdown with a number": create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: dropdown("a", 2)}),
		"definition.input_settings.choices.1 | a duplicate choice":            create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: dropdown("a", "a")}),
		"definition.input_settings.choices | choices on an input": create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x",
			Definition: FieldDefinition{DataType: FieldDataTypeText, InputSettings: FieldInputSettings{InputType: FieldInputText, Choices: dropdown("a").InputSettings.Choices}}}),
		"definition.input_settings.min | min above max": create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: number(10, 1)}),
		"definition.input_settings.input_type | a boolean input": create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x",
			Definition: FieldDefinition{DataType: FieldDataTypeBoolean, InputSettings: FieldInputSettings{InputType: FieldInputText}}}),
		"label | update without the label the API needs again": func(c *Client) error {
			_, err := c.CustomFields.Update(ctx, 1, &UpdateCustomFieldRequest{ObjectType: FieldObjectTicket, Definition: text})
			return err
		},
		"id | update id 0": func(c *Client) error {
			_, err := c.CustomFields.Update(ctx, 0, &UpdateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: text})
			return err
		},
		"changes | update many with none": func(c *Client) error { _, err := c.CustomFields.UpdateMany(ctx, nil); return err },
		"changes.1.id | update many, one field twice": func(c *Client) error {
			_, err := c.CustomFields.UpdateMany(ctx, []CustomFieldChange{{ID: 1, Priority: Ptr(1)}, {ID: 1, Priority: Ptr(2)}})
			return err
		},
		"changes.0 | update many, a change of nothing": func(c *Client) error {
			_, err := c.CustomFields.UpdateMany(ctx, []CustomFieldChange{{ID: 1}})
			return err
		},
		"priority | a priority past 5000":                      create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: text, Priority: Ptr(5001)}),
		"requirement_type | an unknown requirement":            create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: text, RequirementType: "sometimes"}),
		"managed_type | an unknown managed type":               create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: text, ManagedType: "mine"}),
		"definition.input_settings.choices.0 | a blank choice": create(&CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: dropdown(" ", "b")}),
		"definition.input_settings.default | a default that is not a choice": func(c *Client) error {
			d := dropdown("a", "b")
			other, _ := NewFieldValue("c")
			d.InputSettings.Default = &other
			_, err := c.CustomFields.Create(ctx, &CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: d})
			return err
		},
		"definition.input_settings.default | a default outside min and max": func(c *Client) error {
			d := number(0, 10)
			big, _ := NewFieldValue(11)
			d.InputSettings.Default = &big
			_, err := c.CustomFields.Create(ctx, &CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "x", Definition: d})
			return err
		},
		"label | find without a label": func(c *Client) error {
			_, err := c.CustomFields.FindByLabel(ctx, FieldObjectTicket, "")
			return err
		},
	})
	c, ts := newTestClient(t, respond(200, fixture(t, "custom_field_definition.json")))
	_, err := c.CustomFields.Create(ctx, &CreateCustomFieldRequest{ObjectType: FieldObjectTicket, Label: "Damaged", Definition: FieldDefinition{
		DataType: FieldDataTypeBoolean, InputSettings: FieldInputSettings{InputType: FieldInputDropdown, Choices: dropdown(true, false).InputSettings.Choices}}})
	require.NoError(t, err, "a boolean dropdown of true and false is valid")
	_, err = c.CustomFields.Create(ctx, &CreateCustomFieldRequest{ObjectType: FieldObjectCustomer, Label: "Refund", Definition: number(0, 10000)})
	require.NoError(t, err, "a number input within bounds is valid")
	assert.Len(t, ts.Requests(), 2)
}

func TestFindByLabel(t *testing.T) {
	c, ts := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			fmt.Fprint(w, `{"data":[{"id":1,"label":"Contact reason (old)","object_type":"Ticket"},{"id":2,"label":null}],"meta":{"next_cursor":"c2"}}`)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":3,"label":" contact REASON ","object_type":"Ticket"}],"meta":{"next_cursor":null}}`)
	})
	f, err := c.CustomFields.FindByLabel(context.Background(), FieldObjectTicket, "Contact reason")
	require.NoError(t, err)
	assert.Equal(t, int64(3), f.ID)
	assert.Equal(t, "archived=false&limit=100&object_type=Ticket&search=Contact+reason", ts.Requests()[0].Query.Encode())

	_, err = c.CustomFields.FindByLabel(context.Background(), FieldObjectTicket, "Nope")
	require.ErrorIs(t, err, ErrNotFound)
}
