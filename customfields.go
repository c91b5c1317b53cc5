package gorgias

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"reflect"
	"strconv"
)

// FieldValue is the value of a ticket custom field: text (dropdown values
// are strings such as "Order::Status::Delivered"), a number or a boolean.
// Read it with Text, Number or Bool instead of type-switching.
type FieldValue struct {
	raw json.RawMessage
}

// NewFieldValue makes a FieldValue from a string, number or bool.
func NewFieldValue(v any) (FieldValue, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return FieldValue{}, err
	}
	return FieldValue{raw: raw}, nil
}

// IsNull reports whether the value is absent or null.
func (f FieldValue) IsNull() bool {
	return len(f.raw) == 0 || bytes.Equal(f.raw, []byte("null"))
}

// String formats the value for display: text as is, numbers and booleans
// as in JSON, "" for null.
func (f FieldValue) String() string {
	if s, ok := f.Text(); ok {
		return s
	}
	if f.IsNull() {
		return ""
	}
	return string(f.raw)
}

// Text returns a text value (dropdown values are text), and whether the
// value is text.
func (f FieldValue) Text() (string, bool) {
	var s string
	if len(f.raw) == 0 || f.raw[0] != '"' || json.Unmarshal(f.raw, &s) != nil {
		return "", false
	}
	return s, true
}

// Number returns a number value, and whether the value is a number.
func (f FieldValue) Number() (float64, bool) {
	if f.IsNull() {
		return 0, false
	}
	n, err := strconv.ParseFloat(string(f.raw), 64)
	return n, err == nil
}

// Bool returns a boolean value, and whether the value is a boolean.
func (f FieldValue) Bool() (bool, bool) {
	switch string(f.raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// Raw returns the value's JSON.
func (f FieldValue) Raw() json.RawMessage { return f.raw }

// MarshalJSON writes the value as it came (null when empty).
func (f FieldValue) MarshalJSON() ([]byte, error) {
	if len(f.raw) == 0 {
		return []byte("null"), nil
	}
	return f.raw, nil
}

// UnmarshalJSON keeps the value's JSON.
func (f *FieldValue) UnmarshalJSON(data []byte) error {
	f.raw = append(f.raw[:0], data...)
	return nil
}

// CustomFieldUpdate sets one custom field of a ticket: ID is the field
// definition's id, Value a string, number or bool. In Tickets.Update and
// Tickets.UpdateCustomFields, a nil Value sends null, which clears the
// field.
type CustomFieldUpdate struct {
	ID    int64 `json:"id"`
	Value any   `json:"value"`
}

func validateCustomFieldUpdates(v *validator, field string, updates []CustomFieldUpdate, nullClears bool) {
	for i, u := range updates {
		p := field + "." + itoa(i) + "."
		v.id(p+"id", u.ID)
		v.check(nullClears && isNull(u.Value) || validFieldValue(u.Value), p+"value", "must be a string, a number or a bool")
	}
}

// isNull reports whether value is sent as JSON null.
func isNull(value any) bool {
	if f, ok := value.(FieldValue); ok {
		return f.IsNull()
	}
	return value == nil
}

// validFieldValue accepts the JSON primitives a custom field can hold:
// strings, booleans and finite numbers, named types of those kinds
// included, and a FieldValue holding one.
func validFieldValue(value any) bool {
	switch v := value.(type) {
	case FieldValue:
		return len(v.raw) > 0 && v.raw[0] != '{' && v.raw[0] != '[' && !v.IsNull()
	case json.Number:
		var f float64 // strconv would accept "NaN" and hex, which JSON does not
		return json.Unmarshal([]byte(v), &f) == nil
	}
	rv := reflect.ValueOf(value)
	switch rv.Kind() {
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		return !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }

// CustomFieldValue is a ticket's value for one custom field, with the
// field's definition and Gorgias's prediction, as
// GET /api/tickets/{ticket_id}/custom-fields returns it.
type CustomFieldValue struct {
	// ID is documented as optional and not sent by the live API.
	ID         *int64          `json:"id,omitempty"`
	Field      CustomField     `json:"field"`
	Value      FieldValue      `json:"value"`
	Prediction json.RawMessage `json:"prediction"`
	Raw        RawFields       `json:"-"`
}

func (v *CustomFieldValue) validate() error { return requireID("custom field value", v.Field.ID) }

// CustomField is the definition of a custom field.
type CustomField struct {
	ID          int64           `json:"id"`
	ExternalID  *string         `json:"external_id"`
	ObjectType  FieldObjectType `json:"object_type"`
	Label       *string         `json:"label"`
	Description *string         `json:"description"`
	// Priority orders the fields in the helpdesk (0 to 5000).
	Priority        *int                 `json:"priority"`
	Required        *bool                `json:"required"`
	RequirementType FieldRequirementType `json:"requirement_type"`
	ManagedType     *FieldManagedType    `json:"managed_type"`
	Definition      FieldDefinition      `json:"definition"`

	CreatedDatetime     *Time `json:"created_datetime"`
	UpdatedDatetime     *Time `json:"updated_datetime"`
	DeactivatedDatetime *Time `json:"deactivated_datetime"`

	Raw RawFields `json:"-"`
}

// FieldDefinition is a custom field's type and input settings.
type FieldDefinition struct {
	DataType      FieldDataType      `json:"data_type"`
	InputSettings FieldInputSettings `json:"input_settings"`
	Raw           RawFields          `json:"-"`
}

// FieldInputSettings describes a custom field's input. Choices, Default,
// Min and Max hold values of the field's data type. Placeholder and
// Default may come as null: in a decoded value they are written back so.
type FieldInputSettings struct {
	InputType   FieldInputType `json:"input_type"`
	Placeholder *string        `json:"placeholder,omitempty"`
	// Choices are a dropdown's values, such as "Order::Status::Delivered".
	Choices []FieldValue `json:"choices,omitempty"`
	Default *FieldValue  `json:"default,omitempty"`
	Min     *float64     `json:"min,omitempty"`
	Max     *float64     `json:"max,omitempty"`
	Raw     RawFields    `json:"-"`
}

// FieldDataType is the type of a custom field's values.
type FieldDataType string

// Custom field data types.
const (
	FieldDataTypeText    FieldDataType = "text"
	FieldDataTypeNumber  FieldDataType = "number"
	FieldDataTypeBoolean FieldDataType = "boolean"
)

// FieldInputType is how a custom field is entered.
type FieldInputType string

// Custom field input types.
const (
	FieldInputText     FieldInputType = "input"
	FieldInputDropdown FieldInputType = "dropdown"
	FieldInputNumber   FieldInputType = "input_number"
)

// FieldRequirementType tells whether a custom field must be filled.
type FieldRequirementType string

// Custom field requirement types.
const (
	FieldRequirementVisible     FieldRequirementType = "visible"
	FieldRequirementRequired    FieldRequirementType = "required"
	FieldRequirementConditional FieldRequirementType = "conditional"
)

// FieldObjectType is what a custom field describes.
type FieldObjectType string

// Custom field object types.
const (
	FieldObjectTicket   FieldObjectType = "Ticket"
	FieldObjectCustomer FieldObjectType = "Customer"
)

// FieldManagedType marks the custom fields Gorgias manages itself.
type FieldManagedType string

// Managed custom field types.
const (
	FieldManagedContactReason FieldManagedType = "contact_reason"
	FieldManagedProduct       FieldManagedType = "product"
	FieldManagedResolution    FieldManagedType = "resolution"
	FieldManagedAIIntent      FieldManagedType = "ai_intent"
	FieldManagedAIOutcome     FieldManagedType = "ai_outcome"
	FieldManagedAISales       FieldManagedType = "ai_sales"
	FieldManagedAIDiscount    FieldManagedType = "ai_discount"
	FieldManagedAIJourney     FieldManagedType = "ai_journey"
	FieldManagedSentiment     FieldManagedType = "managed_sentiment"
	FieldManagedCallStatus    FieldManagedType = "call_status"
)

func customFieldsPath(ticketID int64) string { return ticketPath(ticketID) + "/custom-fields" }

func customFieldPath(ticketID, fieldID int64) string {
	return customFieldsPath(ticketID) + "/" + strconv.FormatInt(fieldID, 10)
}

// ListCustomFields returns a ticket's custom field values, each with its
// field's definition (GET /api/tickets/{ticket_id}/custom-fields).
func (s *TicketsService) ListCustomFields(ctx context.Context, ticketID int64, callOpts ...CallOption) ([]CustomFieldValue, error) {
	v := newValidator("Tickets.ListCustomFields")
	v.id("ticket_id", ticketID)
	if err := v.err(); err != nil {
		return nil, err
	}
	page, err := listPage[CustomFieldValue](ctx, s.client, customFieldsPath(ticketID), nil, callOpts)
	if err != nil {
		return nil, err
	}
	return page.Data, nil
}

// UpdateCustomField sets one custom field of a ticket
// (PUT /api/tickets/{ticket_id}/custom-fields/{id}, id being the field's).
// The body is the object {"id": fieldID, "value": value}, as the operation
// catalog types it and other clients of the live API send it.
// value is a string (dropdowns too, as "Order::Status::Delivered"), a
// number or a bool, matching the field's data type. Other fields keep
// their values.
func (s *TicketsService) UpdateCustomField(ctx context.Context, ticketID, fieldID int64, value any, callOpts ...CallOption) (*CustomFieldValue, error) {
	v := newValidator("Tickets.UpdateCustomField")
	v.id("ticket_id", ticketID)
	v.id("id", fieldID)
	v.check(validFieldValue(value), "value", "must be a string, a number or a bool (to clear a field, use DeleteCustomField)")
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[CustomFieldValue](ctx, s.client, request{method: http.MethodPut, path: customFieldPath(ticketID, fieldID), body: CustomFieldUpdate{ID: fieldID, Value: value}, opts: callOpts})
}

// UpdateCustomFields REPLACES all the custom field values of a ticket
// (PUT /api/tickets/{ticket_id}/custom-fields): fields left out of updates
// are removed, and an empty, non-nil slice removes every value (but those
// only Gorgias may remove). To change one field, use UpdateCustomField.
func (s *TicketsService) UpdateCustomFields(ctx context.Context, ticketID int64, updates []CustomFieldUpdate, callOpts ...CallOption) ([]CustomFieldValue, error) {
	v := newValidator("Tickets.UpdateCustomFields")
	v.id("ticket_id", ticketID)
	v.check(updates != nil, "updates", "is required; an empty slice removes every value")
	validateCustomFieldUpdates(v, "updates", updates, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	page := new(Page[CustomFieldValue])
	if err := s.client.do(ctx, request{method: http.MethodPut, path: customFieldsPath(ticketID), body: updates, opts: callOpts}, page); err != nil {
		return nil, err
	}
	return page.Data, nil
}

// DeleteCustomField removes a ticket's value for one custom field
// (DELETE /api/tickets/{ticket_id}/custom-fields/{id}).
func (s *TicketsService) DeleteCustomField(ctx context.Context, ticketID, fieldID int64, callOpts ...CallOption) error {
	v := newValidator("Tickets.DeleteCustomField")
	v.id("ticket_id", ticketID)
	v.id("id", fieldID)
	if err := v.err(); err != nil {
		return err
	}
	return s.client.do(ctx, request{method: http.MethodDelete, path: customFieldPath(ticketID, fieldID), opts: callOpts}, nil)
}
