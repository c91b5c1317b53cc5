package gorgias

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
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
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-ticket-custom-fields
func (s *TicketsService) ListCustomFields(ctx context.Context, ticketID int64, callOpts ...CallOption) ([]CustomFieldValue, error) {
	v := newValidator("Tickets.ListCustomFields")
	v.id("ticket_id", ticketID)
	if err := v.err(); err != nil {
		return nil, err
	}
	page, err := listPage[CustomFieldValue](ctx, s.client, "Tickets.ListCustomFields", customFieldsPath(ticketID), nil, callOpts)
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
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-ticket-custom-field
func (s *TicketsService) UpdateCustomField(ctx context.Context, ticketID, fieldID int64, value any, callOpts ...CallOption) (*CustomFieldValue, error) {
	v := newValidator("Tickets.UpdateCustomField")
	v.id("ticket_id", ticketID)
	v.id("id", fieldID)
	v.check(validFieldValue(value), "value", "must be a string, a number or a bool (to clear a field, use DeleteCustomField)")
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[CustomFieldValue](ctx, s.client, request{op: "Tickets.UpdateCustomField", method: http.MethodPut, path: customFieldPath(ticketID, fieldID), body: CustomFieldUpdate{ID: fieldID, Value: value}, opts: callOpts})
}

// UpdateCustomFields REPLACES all the custom field values of a ticket
// (PUT /api/tickets/{ticket_id}/custom-fields): fields left out of updates
// are removed, and an empty, non-nil slice removes every value (but those
// only Gorgias may remove). To change one field, use UpdateCustomField.
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-ticket-custom-fields
func (s *TicketsService) UpdateCustomFields(ctx context.Context, ticketID int64, updates []CustomFieldUpdate, callOpts ...CallOption) ([]CustomFieldValue, error) {
	v := newValidator("Tickets.UpdateCustomFields")
	v.id("ticket_id", ticketID)
	v.check(updates != nil, "updates", "is required; an empty slice removes every value")
	validateCustomFieldUpdates(v, "updates", updates, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	page := new(Page[CustomFieldValue])
	if err := s.client.do(ctx, request{op: "Tickets.UpdateCustomFields", method: http.MethodPut, path: customFieldsPath(ticketID), body: updates, opts: callOpts}, page); err != nil {
		return nil, err
	}
	return page.Data, nil
}

// DeleteCustomField removes a ticket's value for one custom field
// (DELETE /api/tickets/{ticket_id}/custom-fields/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/delete-ticket-custom-field
func (s *TicketsService) DeleteCustomField(ctx context.Context, ticketID, fieldID int64, callOpts ...CallOption) error {
	v := newValidator("Tickets.DeleteCustomField")
	v.id("ticket_id", ticketID)
	v.id("id", fieldID)
	if err := v.err(); err != nil {
		return err
	}
	return s.client.do(ctx, request{op: "Tickets.DeleteCustomField", method: http.MethodDelete, path: customFieldPath(ticketID, fieldID), opts: callOpts}, nil)
}

// CustomFieldsService manages the account's custom field definitions: the
// fields ("Contact reason", "Order number"…) whose ids a ticket's custom
// field values refer to (GET, POST and PUT on /api/custom-fields).
// Tickets.ListCustomFields and Tickets.UpdateCustomField read and set a
// ticket's values; this service finds and changes the definitions.
type CustomFieldsService struct{ service }

// CustomFieldOrder is a sort order for CustomFields.List.
type CustomFieldOrder string

// Sort orders for CustomFields.List.
const (
	CustomFieldOrderPriorityAsc  CustomFieldOrder = "priority:asc"
	CustomFieldOrderPriorityDesc CustomFieldOrder = "priority:desc" // the API's default
)

// ListCustomFieldsOptions are the filters of CustomFields.List and All.
// ObjectType is required.
type ListCustomFieldsOptions struct {
	ListOptions
	// ObjectType picks the definitions of tickets' or of customers' fields.
	ObjectType FieldObjectType `url:"object_type"`
	// Search keeps the definitions whose label contains it.
	Search string `url:"search,omitempty"`
	// Archived true lists only archived definitions; false only active
	// ones; nil lets the API choose.
	Archived *bool            `url:"archived,omitempty"`
	OrderBy  CustomFieldOrder `url:"order_by,omitempty"`
}

func (o *ListCustomFieldsOptions) validate(v *validator) {
	o.ListOptions.validate(v)
	validateObjectType(v, o.ObjectType)
	switch o.OrderBy {
	case "", CustomFieldOrderPriorityAsc, CustomFieldOrderPriorityDesc:
	default:
		v.check(false, "order_by", "must be priority:asc or priority:desc")
	}
}

func validateObjectType(v *validator, t FieldObjectType) {
	switch t {
	case FieldObjectTicket, FieldObjectCustomer:
	case "":
		v.check(false, "object_type", "is required: Ticket or Customer")
	default:
		v.check(false, "object_type", fmt.Sprintf("must be Ticket or Customer, got %q", t))
	}
}

// CreateCustomFieldRequest is the body of CustomFields.Create. ObjectType,
// Label and Definition (with its DataType) are required, and the
// definition's input settings must suit its data type: a text field is an
// "input" or a "dropdown" with text choices, a number an "input_number"
// (with Min at most Max), a boolean a "dropdown" of true and false.
type CreateCustomFieldRequest struct {
	ObjectType      FieldObjectType      `json:"object_type"`
	Label           string               `json:"label"`
	Definition      FieldDefinition      `json:"definition"`
	Description     string               `json:"description,omitempty"`
	Priority        *int                 `json:"priority,omitempty"`
	Required        *bool                `json:"required,omitempty"`
	RequirementType FieldRequirementType `json:"requirement_type,omitempty"`
	ManagedType     FieldManagedType     `json:"managed_type,omitempty"`
	ExternalID      string               `json:"external_id,omitempty"`
}

func (r *CreateCustomFieldRequest) validate(v *validator) {
	validateDefinitionHead(v, r.ObjectType, r.Label, &r.Definition)
	validateDefinitionExtras(v, r.Priority, r.RequirementType)
	switch r.ManagedType {
	case "", FieldManagedContactReason, FieldManagedProduct, FieldManagedResolution, FieldManagedAIIntent, FieldManagedAIOutcome,
		FieldManagedAISales, FieldManagedAIDiscount, FieldManagedAIJourney, FieldManagedSentiment, FieldManagedCallStatus:
	default:
		v.check(false, "managed_type", fmt.Sprintf("%q is not a managed type", r.ManagedType))
	}
}

// MaxCustomFieldPriority is the largest priority a custom field may have.
const MaxCustomFieldPriority = 5000

// validateDefinitionExtras checks the optional fields every write shares.
func validateDefinitionExtras(v *validator, priority *int, requirement FieldRequirementType) {
	if priority != nil && (*priority < 0 || *priority > MaxCustomFieldPriority) {
		v.check(false, "priority", fmt.Sprintf("must be 0 to %d, got %d", MaxCustomFieldPriority, *priority))
	}
	switch requirement {
	case "", FieldRequirementVisible, FieldRequirementRequired, FieldRequirementConditional:
	default:
		v.check(false, "requirement_type", "must be visible, required or conditional")
	}
}

// UpdateCustomFieldRequest is the body of CustomFields.Update. The API
// replaces the definition: ObjectType, Label and Definition must be sent
// again even when they do not change (start from the definition with
// CustomField.UpdateRequest). The other fields follow the package's rule:
// Nullable to clear, a pointer or enum to set. To archive a field, set
// DeactivatedDatetime to a past time; Null restores it.
type UpdateCustomFieldRequest struct {
	ObjectType          FieldObjectType      `json:"object_type"`
	Label               string               `json:"label"`
	Definition          FieldDefinition      `json:"definition"`
	Description         Nullable[string]     `json:"description,omitzero"`
	Priority            *int                 `json:"priority,omitempty"`
	Required            *bool                `json:"required,omitempty"`
	RequirementType     FieldRequirementType `json:"requirement_type,omitempty"`
	ExternalID          Nullable[string]     `json:"external_id,omitzero"`
	DeactivatedDatetime Nullable[Time]       `json:"deactivated_datetime,omitzero"`
}

func (r *UpdateCustomFieldRequest) validate(v *validator) {
	validateDefinitionHead(v, r.ObjectType, r.Label, &r.Definition)
	validateDefinitionExtras(v, r.Priority, r.RequirementType)
}

// UpdateRequest returns the update request that leaves f as it is: change
// what you need and send it with CustomFields.Update.
func (f *CustomField) UpdateRequest() *UpdateCustomFieldRequest {
	r := &UpdateCustomFieldRequest{ObjectType: f.ObjectType, Definition: f.Definition, RequirementType: f.RequirementType}
	if f.Label != nil {
		r.Label = *f.Label
	}
	if f.Priority != nil {
		r.Priority = Ptr(*f.Priority)
	}
	if f.Required != nil {
		r.Required = Ptr(*f.Required)
	}
	return r
}

// CustomFieldChange is one item of CustomFields.UpdateMany: the definition's
// ID and the fields to change (typically Priority, to reorder fields).
type CustomFieldChange struct {
	ID                  int64                `json:"id"`
	Label               *string              `json:"label,omitempty"`
	Description         Nullable[string]     `json:"description,omitzero"`
	Priority            *int                 `json:"priority,omitempty"`
	Required            *bool                `json:"required,omitempty"`
	RequirementType     FieldRequirementType `json:"requirement_type,omitempty"`
	DeactivatedDatetime Nullable[Time]       `json:"deactivated_datetime,omitzero"`
}

// validateDefinitionHead checks what every create and update needs.
func validateDefinitionHead(v *validator, objectType FieldObjectType, label string, d *FieldDefinition) {
	validateObjectType(v, objectType)
	v.check(strings.TrimSpace(label) != "", "label", "is required")
	validateFieldDefinition(v, d)
}

// validateFieldDefinition checks that a definition's input settings suit
// its data type.
func validateFieldDefinition(v *validator, d *FieldDefinition) {
	in := &d.InputSettings
	kindOK := func(val FieldValue) bool {
		switch d.DataType {
		case FieldDataTypeText:
			_, ok := val.Text()
			return ok
		case FieldDataTypeNumber:
			_, ok := val.Number()
			return ok
		case FieldDataTypeBoolean:
			_, ok := val.Bool()
			return ok
		}
		return true
	}
	switch d.DataType {
	case FieldDataTypeText:
		v.check(in.InputType == FieldInputText || in.InputType == FieldInputDropdown, "definition.input_settings.input_type",
			"a text field is an input or a dropdown")
	case FieldDataTypeNumber:
		v.check(in.InputType == FieldInputNumber, "definition.input_settings.input_type", "a number field is an input_number")
		if in.Min != nil && in.Max != nil {
			v.check(*in.Min <= *in.Max, "definition.input_settings.min", "is more than max")
		}
	case FieldDataTypeBoolean:
		v.check(in.InputType == FieldInputDropdown, "definition.input_settings.input_type", "a boolean field is a dropdown of true and false")
	case "":
		v.check(false, "definition.data_type", "is required: text, number or boolean")
	default:
		v.check(false, "definition.data_type", fmt.Sprintf("must be text, number or boolean, got %q", d.DataType))
	}
	if in.InputType == FieldInputDropdown {
		v.check(len(in.Choices) > 0, "definition.input_settings.choices", "a dropdown needs choices")
	} else {
		v.check(len(in.Choices) == 0, "definition.input_settings.choices", "only a dropdown has choices")
	}
	if d.DataType != FieldDataTypeNumber {
		v.check(in.Min == nil && in.Max == nil, "definition.input_settings.min", "only a number field has min and max")
	}
	seen := map[string]bool{}
	for i, c := range in.Choices {
		field := "definition.input_settings.choices." + itoa(i)
		v.check(kindOK(c), field, fmt.Sprintf("is not a %s", d.DataType))
		if text, ok := c.Text(); ok {
			v.check(strings.TrimSpace(text) != "", field, "is blank")
		}
		v.check(!seen[string(c.Raw())], field, "is a duplicate")
		seen[string(c.Raw())] = true
	}
	if in.Default != nil && !in.Default.IsNull() {
		def := *in.Default
		v.check(kindOK(def), "definition.input_settings.default", fmt.Sprintf("is not a %s", d.DataType))
		if len(in.Choices) > 0 {
			v.check(seen[string(def.Raw())], "definition.input_settings.default", "is not one of the choices")
		}
		if n, ok := def.Number(); ok && d.DataType == FieldDataTypeNumber {
			v.check((in.Min == nil || n >= *in.Min) && (in.Max == nil || n <= *in.Max), "definition.input_settings.default", "is outside min and max")
		}
	}
}

func customFieldDefPath(id int64) string { return "custom-fields/" + strconv.FormatInt(id, 10) }

// List returns one page of custom field definitions
// (GET /api/custom-fields). opts.ObjectType is required.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-custom-fields
func (s *CustomFieldsService) List(ctx context.Context, opts *ListCustomFieldsOptions, callOpts ...CallOption) (*Page[CustomField], error) {
	v := newValidator("CustomFields.List")
	v.check(opts != nil, "object_type", "is required: Ticket or Customer")
	if opts != nil {
		opts.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return listPage[CustomField](ctx, s.client, "CustomFields.List", "custom-fields", opts, callOpts)
}

// All iterates over every custom field definition matching opts, fetching
// pages as the loop advances.
func (s *CustomFieldsService) All(ctx context.Context, opts *ListCustomFieldsOptions, callOpts ...CallOption) iter.Seq2[*CustomField, error] {
	if opts == nil { // refused by List, but walked with a fresh copy
		opts = &ListCustomFieldsOptions{}
	}
	return listAll(ctx, "custom-fields", opts, s.List, callOpts)
}

// Get returns a custom field definition (GET /api/custom-fields/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-custom-field
func (s *CustomFieldsService) Get(ctx context.Context, id int64, callOpts ...CallOption) (*CustomField, error) {
	return getByID[CustomField](ctx, s.client, "CustomFields.Get", "custom-fields", id, callOpts)
}

// Create creates a custom field definition (POST /api/custom-fields).
//
// Gorgias API docs: https://developers.gorgias.com/reference/create-custom-field
func (s *CustomFieldsService) Create(ctx context.Context, req *CreateCustomFieldRequest, callOpts ...CallOption) (*CustomField, error) {
	v := newValidator("CustomFields.Create")
	v.check(req != nil, "request", "is required")
	if req != nil {
		req.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[CustomField](ctx, s.client, request{op: "CustomFields.Create", method: http.MethodPost, path: "custom-fields", body: req, opts: callOpts})
}

// Update replaces a custom field definition (PUT /api/custom-fields/{id}).
// ObjectType, Label and Definition must be sent even when unchanged: start
// from CustomField.UpdateRequest.
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-custom-field
func (s *CustomFieldsService) Update(ctx context.Context, id int64, req *UpdateCustomFieldRequest, callOpts ...CallOption) (*CustomField, error) {
	v := newValidator("CustomFields.Update")
	v.id("id", id)
	v.check(req != nil, "request", "is required")
	if req != nil {
		req.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[CustomField](ctx, s.client, request{op: "CustomFields.Update", method: http.MethodPut, path: customFieldDefPath(id), body: req, opts: callOpts})
}

// UpdateMany changes several custom field definitions in one call
// (PUT /api/custom-fields with a JSON array), such as their priorities to
// reorder them, and returns them.
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-custom-fields
func (s *CustomFieldsService) UpdateMany(ctx context.Context, changes []CustomFieldChange, callOpts ...CallOption) ([]CustomField, error) {
	v := newValidator("CustomFields.UpdateMany")
	v.check(len(changes) > 0, "changes", "at least one change is required")
	seen := map[int64]bool{}
	for i, c := range changes {
		v.id("changes."+itoa(i)+".id", c.ID)
		v.check(!seen[c.ID], "changes."+itoa(i)+".id", "appears twice")
		seen[c.ID] = true
		v.check(!isEmptyUpdate(&CustomFieldChange{Label: c.Label, Description: c.Description, Priority: c.Priority,
			Required: c.Required, RequirementType: c.RequirementType, DeactivatedDatetime: c.DeactivatedDatetime}),
			"changes."+itoa(i), "changes nothing")
		if c.Label != nil {
			v.check(strings.TrimSpace(*c.Label) != "", "changes."+itoa(i)+".label", "cannot be blank")
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	page := new(Page[CustomField])
	if err := s.client.do(ctx, request{op: "CustomFields.UpdateMany", method: http.MethodPut, path: "custom-fields", body: changes, opts: callOpts}, page); err != nil {
		return nil, err
	}
	return page.Data, nil
}

// FindByLabel returns the active definition of objectType whose label is
// label (ignoring case and surrounding spaces), searching with the API's
// label filter. An error matching ErrNotFound means there is none.
//
//	reason, err := client.CustomFields.FindByLabel(ctx, gorgias.FieldObjectTicket, "Contact reason")
func (s *CustomFieldsService) FindByLabel(ctx context.Context, objectType FieldObjectType, label string, callOpts ...CallOption) (*CustomField, error) {
	want := strings.TrimSpace(label)
	v := newValidator("CustomFields.FindByLabel")
	validateObjectType(v, objectType)
	v.check(want != "", "label", "is required")
	if err := v.err(); err != nil {
		return nil, err
	}
	opts := &ListCustomFieldsOptions{ObjectType: objectType, Search: want, Archived: Ptr(false)}
	for f, err := range s.All(ctx, opts, callOpts...) {
		if err != nil {
			return nil, err
		}
		if f.Label != nil && strings.EqualFold(strings.TrimSpace(*f.Label), want) {
			return f, nil
		}
	}
	return nil, fmt.Errorf("gorgias: no %s custom field labelled %q: %w", objectType, want, ErrNotFound)
}
