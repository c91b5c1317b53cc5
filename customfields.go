package gorgias

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// FieldValue is the value of a ticket custom field: text (dropdown values
// are strings such as "Order::Status::Delivered"), a number or a boolean.
// Read it with String, Number or Bool instead of type-switching.
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

// String returns a text value, and whether the value is text.
func (f FieldValue) String() (string, bool) {
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
// definition's id, Value a string, number or bool.
type CustomFieldUpdate struct {
	ID    int64 `json:"id"`
	Value any   `json:"value"`
}

func validateCustomFieldUpdates(v *validator, field string, updates []CustomFieldUpdate) {
	for i, u := range updates {
		p := field + "." + itoa(i) + "."
		v.id(p+"id", u.ID)
		v.check(validFieldValue(u.Value), p+"value", "must be a string, a number or a bool")
	}
}

// validFieldValue accepts the JSON primitives a custom field can hold.
func validFieldValue(value any) bool {
	switch value.(type) {
	case string, bool, float64, float32, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64, json.Number, FieldValue:
		return true
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
