package gorgiastest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// Ticket custom field values: /api/tickets/{id}/custom-fields[/{field}],
// checked against the account's field definitions (fielddefs.go): a
// Ticket field's, not archived.

// check returns why value does not fit the field, or "". A value of the
// wrong type is "Not a valid <data_type> value." (as the fake has always
// said it, and gorgias-mcp's tests expect).
func (d *fieldDef) check(value json.RawMessage) string {
	wrongType := "Not a valid " + d.dataType + " value."
	switch d.dataType {
	case "text":
		if _, ok := decodeString(value); !ok {
			return wrongType
		}
	case "number":
		f, err := strconv.ParseFloat(string(value), 64)
		if err != nil || value[0] == '"' {
			return wrongType
		}
		if d.min != nil && f < *d.min {
			return "Must be greater than or equal to " + strconv.FormatFloat(*d.min, 'g', -1, 64) + "."
		}
		if d.max != nil && f > *d.max {
			return "Must be less than or equal to " + strconv.FormatFloat(*d.max, 'g', -1, 64) + "."
		}
	case "boolean":
		if _, ok := decodeBool(value); !ok {
			return wrongType
		}
	}
	if len(d.choices) > 0 && !slices.ContainsFunc(d.choices, func(c json.RawMessage) bool { return sameValue(c, value) }) {
		names := make([]string, len(d.choices))
		for i, c := range d.choices {
			var v any
			_ = json.Unmarshal(c, &v)
			names[i] = fmt.Sprint(v)
		}
		return oneOf(names)
	}
	return ""
}

// sameValue compares two JSON strings or booleans by value: "\u00e9"
// is "é".
func sameValue(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var va, vb any
	return json.Unmarshal(a, &va) == nil && json.Unmarshal(b, &vb) == nil && va == vb
}

// fieldValue is a validated value for a ticket; a nil value clears it.
type fieldValue struct {
	def   *fieldDef
	value json.RawMessage
}

// readFieldValue reads {"id": …, "value": …} into a fieldValue; id, when
// not 0, is the field the path names.
func (st *store) readFieldValue(o *obj, id int64) (fieldValue, bool) {
	if id == 0 {
		o.require("id")
	}
	if !o.has("value") { // null is a value: it clears the field
		o.err(msgMissing, "value")
	}
	fid := o.int("id")
	if fid.val() && id != 0 && fid.v != id {
		o.err("Must be the id of the field in the path ("+strconv.FormatInt(id, 10)+").", "id")
		return fieldValue{}, false
	}
	if fid.val() {
		id = fid.v
	}
	def, ok := st.fields[id]
	if !ok || def.hidden(st.peek()) {
		if fid.val() {
			o.err("Custom field with id "+strconv.FormatInt(id, 10)+" does not exist.", "id")
		}
		return fieldValue{}, false
	}
	if def.objectType != "Ticket" {
		o.err("Custom field with id "+strconv.FormatInt(id, 10)+" is a "+def.objectType+" field, not a Ticket field.", "id")
		return fieldValue{}, false
	}
	raw, ok := o.fields["value"]
	if !ok {
		return fieldValue{}, false
	}
	if isNull(raw) { // clearing a value is allowed, archived or not
		return fieldValue{def: def}, true
	}
	if def.archived() {
		o.err("Custom field with id "+strconv.FormatInt(id, 10)+" is archived: it takes no new values.", "id")
		return fieldValue{}, false
	}
	if msg := def.check(raw); msg != "" {
		o.err(msg, "value")
		return fieldValue{}, false
	}
	return fieldValue{def: def, value: slices.Clone(raw)}, true
}

// readFieldValues reads a ticket body's custom_fields.
func (st *store) readFieldValues(o *obj, name string) []fieldValue {
	items, _ := o.children(name)
	var out []fieldValue
	for _, it := range items {
		if it == nil {
			continue
		}
		if v, ok := st.readFieldValue(it, 0); ok {
			out = append(out, v)
		}
	}
	return out
}

// fieldEntry is a ticket's value for one field.
type fieldEntry struct {
	id    int64
	value json.RawMessage
}

func (st *store) setFieldValue(t *ticket, v fieldValue) {
	i, found := slices.BinarySearchFunc(t.fields, v.def.id, func(f fieldEntry, id int64) int { return cmpInt(f.id, id) })
	switch {
	case v.value == nil && found:
		t.fields = slices.Delete(t.fields, i, i+1)
	case v.value == nil:
	case found:
		t.fields[i].value = v.value
	default:
		t.fields = slices.Insert(t.fields, i, fieldEntry{v.def.id, v.value})
	}
}

func hasFieldValue(t *ticket, id int64) bool {
	return slices.ContainsFunc(t.fields, func(f fieldEntry) bool { return f.id == id })
}

func (st *store) listFieldValues(c *call) *apiError {
	t, err := find(c, st.tickets, "id")
	if err != nil {
		return err
	}
	c.data(func(e *enc) { st.writeFieldValues(e, t) })
	return nil
}

func (st *store) writeFieldValues(e *enc, t *ticket) {
	for _, f := range t.fields {
		writeFieldValue(e, st.fields[f.id], f.value)
	}
}

// replaceFieldValues sets a ticket's values: those not sent are removed.
func (st *store) replaceFieldValues(c *call) *apiError {
	t, err := find(c, st.tickets, "id")
	if err != nil {
		return err
	}
	data, err := readBody(c)
	if err != nil {
		return err
	}
	wrapper := asObject([]byte(`{"values":`+string(data)+`}`), fieldErrors{}, nil)
	items, _ := wrapper.children("values")
	if !bytes.HasPrefix(data, []byte("[")) {
		return invalid(msgList, "_schema")
	}
	var values []fieldValue
	for i, it := range items {
		if it == nil {
			continue
		}
		it.path = []string{strconv.Itoa(i)}
		if v, ok := st.readFieldValue(it, 0); ok {
			values = append(values, v)
		}
	}
	if err := wrapper.fail("Failed to update the ticket's custom fields"); err != nil {
		return err
	}
	t.fields = nil
	for _, v := range values {
		st.setFieldValue(t, v)
	}
	st.touch(t, 0)
	c.data(func(e *enc) { st.writeFieldValues(e, t) })
	return nil
}

// findTicketField finds the ticket and the custom field the path names.
func (st *store) findTicketField(c *call) (*ticket, *fieldDef, *apiError) {
	t, err := find(c, st.tickets, "id")
	if err != nil {
		return nil, nil, err
	}
	def, err := find(c, st.fields, "field")
	if err != nil {
		return nil, nil, err
	}
	return t, def, nil
}

// updateFieldValue sets one value from {"id": field_id, "value": value}.
func (st *store) updateFieldValue(c *call) *apiError {
	t, def, err := st.findTicketField(c)
	if err != nil {
		return err
	}
	data, err := readBody(c)
	if err != nil {
		return err
	}
	o := asObject(data, fieldErrors{}, nil)
	if o == nil {
		return invalid("Invalid input type: an object {\"id\": field_id, \"value\": value} is expected.", "_schema")
	}
	v, _ := st.readFieldValue(o, def.id)
	if err := o.fail("Failed to update the ticket's custom field"); err != nil {
		return err
	}
	st.setFieldValue(t, v)
	st.touch(t, 0)
	c.ok(func(e *enc) { writeFieldValue(e, def, v.value) })
	return nil
}

func (st *store) deleteFieldValue(c *call) *apiError {
	t, def, err := st.findTicketField(c)
	if err != nil {
		return err
	}
	if !hasFieldValue(t, def.id) {
		return notFound()
	}
	st.setFieldValue(t, fieldValue{def: def})
	st.touch(t, 0)
	c.status(http.StatusNoContent)
	return nil
}

func writeFieldValue(e *enc, d *fieldDef, value json.RawMessage) {
	e.open()
	e.k("field")
	writeFieldDef(e, d)
	e.k("prediction").null()
	e.k("value").raw(value)
	e.close()
}
