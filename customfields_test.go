//go:build !mutation

package gorgias

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCustomFieldsOperations(t *testing.T) {
	ctx := context.Background()
	checkValues := func(t *testing.T, result any) {
		values := result.([]CustomFieldValue)
		require.Len(t, values, 4)
		text, dropdown, number, boolean := values[0], values[1], values[2], values[3]

		assert.Equal(t, int64(319825), text.Field.ID)
		assert.Equal(t, "Order number", *text.Field.Label)
		assert.Equal(t, FieldDataTypeText, text.Field.Definition.DataType)
		assert.Equal(t, "Enter order number", *text.Field.Definition.InputSettings.Placeholder)
		assert.Nil(t, text.Field.ManagedType)
		assert.Nil(t, text.ID, "the live API sends no id")
		assert.Equal(t, "ORD-12345", text.Value.String())

		assert.Equal(t, FieldInputDropdown, dropdown.Field.Definition.InputSettings.InputType)
		assert.Equal(t, FieldManagedContactReason, *dropdown.Field.ManagedType)
		assert.Equal(t, FieldRequirementRequired, dropdown.Field.RequirementType)
		choice, ok := dropdown.Field.Definition.InputSettings.Choices[0].Text()
		assert.True(t, ok)
		assert.Equal(t, "Order::Status::Delivered", choice)
		reason, ok := dropdown.Value.Text()
		assert.True(t, ok)
		assert.Equal(t, "Other::Other::Other", reason)

		n, ok := number.Value.Number()
		assert.True(t, ok)
		assert.Equal(t, 42.5, n)
		assert.Equal(t, 10000.0, *number.Field.Definition.InputSettings.Max)
		_, ok = number.Value.Text()
		assert.False(t, ok)

		b, ok := boolean.Value.Bool()
		assert.True(t, ok)
		assert.True(t, b)
		choiceBool, ok := boolean.Field.Definition.InputSettings.Choices[1].Bool()
		assert.True(t, ok)
		assert.False(t, choiceBool)
		assert.Equal(t, "null", string(boolean.Prediction))
	}
	runOpCases(t, []opCase{
		{
			name:    "list",
			call:    func(c *Client) (any, error) { return c.Tickets.ListCustomFields(ctx, 82759724) },
			fixture: "custom_fields.json", method: "GET", path: "/api/tickets/82759724/custom-fields",
			check: checkValues,
		},
		{
			name: "update one field: the body is the object {id, value}",
			call: func(c *Client) (any, error) {
				return c.Tickets.UpdateCustomField(ctx, 82759724, 319825, "final test value")
			},
			fixture: "custom_field_value.json", method: "PUT", path: "/api/tickets/82759724/custom-fields/319825",
			body: `{"id":319825,"value":"final test value"}`,
			check: func(t *testing.T, result any) {
				v := result.(*CustomFieldValue)
				assert.Equal(t, int64(319825), v.Field.ID)
				assert.Equal(t, "final test value", v.Value.String())
			},
		},
		{
			name:    "update one number field",
			call:    func(c *Client) (any, error) { return c.Tickets.UpdateCustomField(ctx, 82759724, 319826, 42.5) },
			fixture: "custom_field_value.json", method: "PUT", path: "/api/tickets/82759724/custom-fields/319826",
			body: `{"id":319826,"value":42.5}`,
		},
		{
			name: "replace all fields",
			call: func(c *Client) (any, error) {
				return c.Tickets.UpdateCustomFields(ctx, 82759724, []CustomFieldUpdate{
					{ID: 319825, Value: "ORD-12345"}, {ID: 319613, Value: "Other::Other::Other"}, {ID: 319826, Value: 42.5}, {ID: 319827, Value: true}})
			},
			fixture: "custom_fields.json", method: "PUT", path: "/api/tickets/82759724/custom-fields",
			body:  `[{"id":319825,"value":"ORD-12345"},{"id":319613,"value":"Other::Other::Other"},{"id":319826,"value":42.5},{"id":319827,"value":true}]`,
			check: checkValues,
		},
		{
			name:   "delete",
			call:   func(c *Client) (any, error) { return nil, c.Tickets.DeleteCustomField(ctx, 82759724, 319825) },
			status: 204, method: "DELETE", path: "/api/tickets/82759724/custom-fields/319825",
		},
	})
}

func TestCustomFieldsErrors(t *testing.T) {
	ctx := context.Background()
	checkErrorPaths(t, func(c *Client) error { _, err := c.Tickets.ListCustomFields(ctx, 1); return err })
	checkErrorPaths(t, func(c *Client) error { _, err := c.Tickets.UpdateCustomField(ctx, 1, 2, "x"); return err })
	checkRejected(t, map[string]func(c *Client) error{
		"ticket_id | list: ticket 0": func(c *Client) error { _, err := c.Tickets.ListCustomFields(ctx, 0); return err },
		"id | update: field 0":       func(c *Client) error { _, err := c.Tickets.UpdateCustomField(ctx, 1, 0, "x"); return err },
		"value | update: nil value":  func(c *Client) error { _, err := c.Tickets.UpdateCustomField(ctx, 1, 2, nil); return err },
		"value | update: struct value": func(c *Client) error {
			_, err := c.Tickets.UpdateCustomField(ctx, 1, 2, struct{ A int }{1})
			return err
		},
		"value | update: null value": func(c *Client) error { _, err := c.Tickets.UpdateCustomField(ctx, 1, 2, FieldValue{}); return err },
		"value | update: NaN":        func(c *Client) error { _, err := c.Tickets.UpdateCustomField(ctx, 1, 2, math.NaN()); return err },
		"value | update: pointer":    func(c *Client) error { _, err := c.Tickets.UpdateCustomField(ctx, 1, 2, Ptr("x")); return err },
		"value | update: bad number": func(c *Client) error {
			_, err := c.Tickets.UpdateCustomField(ctx, 1, 2, json.Number("0x10"))
			return err
		},
		"updates | update all: nil": func(c *Client) error { _, err := c.Tickets.UpdateCustomFields(ctx, 1, nil); return err },
		"updates.0.value | update all: bad item": func(c *Client) error {
			_, err := c.Tickets.UpdateCustomFields(ctx, 1, []CustomFieldUpdate{{ID: 1, Value: map[string]any{}}})
			return err
		},
		"ticket_id | delete: ticket -1": func(c *Client) error { return c.Tickets.DeleteCustomField(ctx, -1, 2) },
	})
}

func TestCustomFieldsFixturesRoundTrip(t *testing.T) {
	assertRoundTrip[Page[CustomFieldValue]](t, "custom_fields.json")
	assertRoundTrip[CustomFieldValue](t, "custom_field_value.json")
}

func TestNamedTypesAreValidFieldValues(t *testing.T) {
	type reason string
	c, ts := newTestClient(t, respond(200, fixture(t, "custom_field_value.json")))
	_, err := c.Tickets.UpdateCustomField(context.Background(), 1, 2, reason("Other::Other::Other"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":2,"value":"Other::Other::Other"}`, string(ts.Requests()[0].Body))
}

func TestFieldValueRoundTrip(t *testing.T) {
	v, err := NewFieldValue("Order::Status::Delivered")
	require.NoError(t, err)
	out, err := json.Marshal(CustomFieldUpdate{ID: 1, Value: v})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":1,"value":"Order::Status::Delivered"}`, string(out))
}
