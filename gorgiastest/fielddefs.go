package gorgiastest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Custom field definitions: GET, POST, PUT /api/custom-fields and GET,
// PUT /api/custom-fields/{id}. A ticket's values (customfields.go) are
// checked against them.

// The ids of the custom field definitions every fake has: the four of
// the reference's custom_fields.json, and three with the shapes live
// accounts also have.
const (
	FieldOrderNumber   int64 = 319601 // text
	FieldContactReason int64 = 319602 // text, dropdown
	FieldRefundAmount  int64 = 319603 // number, 0 to 10000
	FieldGiftOrder     int64 = 319604 // boolean
	// FieldAIIntent is managed by Gorgias: its label, priority and
	// required are null, its placeholder and default present and null.
	FieldAIIntent     int64 = 319605
	FieldLoyaltyTier  int64 = 319606 // a Customer field: a dropdown with a default
	FieldLegacySource int64 = 319607 // text, archived: it refuses new values
)

// fieldDef is a custom field definition.
type fieldDef struct {
	base
	objectType, requirementType             string
	label, externalID, description, managed nstr
	priority                                opt[int64] // set and null: null
	required                                opt[bool]
	dataType, inputType                     string
	placeholder                             opt[string]       // not set: no key
	choices                                 []json.RawMessage // as the fake writes them
	dflt                                    json.RawMessage   // nil: no key
	min, max                                *float64
	created, updated, deactivated           ts
}

func (d *fieldDef) archived() bool { return d.deactivated != 0 }

var (
	objectTypes      = []string{"Ticket", "Customer"}
	dataTypes        = []string{"text", "number", "boolean"}
	requirementTypes = []string{"visible", "required", "conditional"}
	managedTypes     = []string{"contact_reason", "product", "resolution", "ai_intent", "ai_outcome", "ai_sales",
		"ai_discount", "ai_journey", "managed_sentiment", "call_status"}
	// inputTypes are the input types each data type takes.
	inputTypes = map[string][]string{"text": {"input", "dropdown"}, "number": {"input_number"}, "boolean": {"dropdown"}}
)

// What a definition write may send beside its definition; the bulk update
// changes only these.
var fieldBulkKeys = []string{"id", "label", "description", "priority", "required", "requirement_type", "deactivated_datetime"}

func val[T any](v T) opt[T] { return opt[T]{v: v, set: true} }
func null[T any]() opt[T]   { return opt[T]{set: true, null: true} }

func (st *store) seedFields() {
	created := tsOf(time.Date(2026, 8, 26, 12, 46, 6, 411020000, time.UTC))
	choices := func(raw ...string) []json.RawMessage {
		out := make([]json.RawMessage, len(raw))
		for i, r := range raw {
			out[i] = json.RawMessage(r)
		}
		return out
	}
	defs := []fieldDef{
		{label: some("Order number"), description: some("Customer's order reference"), priority: val[int64](8),
			requirementType: "visible", dataType: "text", inputType: "input", placeholder: val("Enter order number")},
		{label: some("Contact reason"), priority: val[int64](1), required: val(true), requirementType: "required",
			managed: some("contact_reason"), dataType: "text", inputType: "dropdown",
			choices: choices(`"Order::Status::Delivered"`, `"Order::Status::In transit"`, `"Other::Other::Other"`)},
		{label: some("Refund amount"), externalID: some("zendesk-360001"), priority: val[int64](20), requirementType: "visible",
			dataType: "number", inputType: "input_number", min: ptr(0.0), max: ptr(10000.0)},
		{label: some("Gift order"), priority: val[int64](30), requirementType: "visible",
			dataType: "boolean", inputType: "dropdown", choices: choices(`true`, `false`)},
		{priority: null[int64](), required: null[bool](), requirementType: "visible", managed: some("ai_intent"),
			dataType: "text", inputType: "input", placeholder: null[string](), dflt: json.RawMessage(`null`)},
		{objectType: "Customer", label: some("Loyalty tier"), priority: val[int64](5), requirementType: "visible",
			dataType: "text", inputType: "dropdown", choices: choices(`"Bronze"`, `"Silver"`, `"Gold"`), dflt: json.RawMessage(`"Bronze"`)},
		{label: some("Legacy source"), description: some("Where tickets came from before the migration"), priority: val[int64](2),
			requirementType: "visible", dataType: "text", inputType: "input",
			deactivated: tsOf(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))},
	}
	for i := range defs {
		d := defs[i]
		d.base = base{id: st.id("field")}
		if d.objectType == "" {
			d.objectType = "Ticket"
		}
		if !d.required.set {
			d.required = val(false)
		}
		d.created, d.updated = created, created
		if d.id == FieldRefundAmount {
			d.updated = 0 // never changed: null, as the reference shows
		}
		st.fields[d.id] = &d
	}
}

// Listing ----------------------------------------------------------------

// noPriority places the definitions without a priority after the others,
// in both orders.
const noPriority = 1 << 40

var fieldList = listSpec[*fieldDef]{
	keys: map[string]keyFunc[*fieldDef]{
		"asc": {of: func(d *fieldDef) key {
			if !d.priority.val() {
				return key{n: noPriority, id: d.id}
			}
			return key{n: d.priority.v, id: d.id}
		}, kind: countKey},
		"desc": {of: func(d *fieldDef) key {
			if !d.priority.val() {
				return key{n: noPriority, id: d.id}
			}
			return key{n: -d.priority.v, id: d.id}
		}, kind: countKey},
	},
	// Both orders read their key ascending, so ties go by id in both.
	orders:       map[string]order{"priority:asc": {by: "asc"}, "priority:desc": {by: "desc"}},
	defaultOrder: "priority:desc",
}

// listFields serves GET /api/custom-fields: object_type is required;
// archived=true lists only the archived definitions, false or absent only
// the active ones.
func (st *store) listFields(c *call) *apiError {
	q := c.r.URL.Query()
	fields := fieldErrors{}
	objectType := q.Get("object_type")
	switch {
	case !q.Has("object_type"):
		fields.add(msgMissing, "object_type")
	case !slices.Contains(objectTypes, objectType):
		fields.add(oneOf(objectTypes), "object_type")
	}
	archived := false
	if q.Has("archived") {
		b, err := strconv.ParseBool(q.Get("archived"))
		if err != nil {
			fields.add(msgBoolean, "archived")
		}
		archived = b
	}
	if len(fields) > 0 {
		return badRequest(fields)
	}
	search := strings.ToLower(q.Get("search"))
	keep := func(d *fieldDef) bool {
		return d.objectType == objectType && d.archived() == archived &&
			(search == "" || d.label.ok && strings.Contains(strings.ToLower(d.label.v), search))
	}
	all := make([]*fieldDef, 0, len(st.fields))
	for _, d := range st.fields {
		all = append(all, d)
	}
	return serveList(c, fieldList, fromSet(fieldList, all), keep, writeFieldDef)
}

func (st *store) getField(c *call) *apiError { return getOne(c, st.fields, writeFieldDef) }

// Reading ----------------------------------------------------------------

// fieldInput is a validated definition body: what it sets.
type fieldInput struct {
	objectType, label, requirementType opt[string]
	description, externalID, managed   opt[nstr]
	priority                           opt[int64]
	required                           opt[bool]
	deactivated                        opt[ts]
	def                                *fieldDef // the definition's type and input settings; nil when not sent
}

// readFieldCommon reads the fields a definition write and a bulk item
// share (fieldBulkKeys but id).
func (st *store) readFieldCommon(o *obj, in *fieldInput) {
	in.label = o.str("label") // null: refused by readField's require, or by updateFields
	if in.label.val() && strings.TrimSpace(in.label.v) == "" {
		o.err("Shorter than minimum length 1.", "label")
	}
	in.description = o.nstr("description")
	in.priority = o.int("priority")
	if p := in.priority; p.val() && (p.v < 0 || p.v > 5000) {
		o.err("Must be greater than or equal to 0 and less than or equal to 5000.", "priority")
	}
	in.required = o.bool("required")
	in.requirementType = o.enum("requirement_type", requirementTypes)
	if in.requirementType.null {
		o.err(msgNull, "requirement_type")
	}
	in.deactivated = o.time("deactivated_datetime")
	if d := in.deactivated; d.val() && d.v > st.peek() {
		o.err("Must be a datetime in the past: a past datetime archives the field, null restores it.", "deactivated_datetime")
	}
}

// readField reads a create or replace body: object_type, label and
// definition are required (fieldCreateRequires).
func (st *store) readField(o *obj) *fieldInput {
	o.require(fieldCreateRequires...)
	in := &fieldInput{objectType: o.enum("object_type", objectTypes)}
	st.readFieldCommon(o, in)
	in.externalID = o.nstr("external_id")
	in.managed = o.nstr("managed_type")
	if m := in.managed.v; m.ok && !slices.Contains(managedTypes, m.v) {
		o.err(oneOf(managedTypes), "managed_type")
	}
	if d := o.child("definition"); d != nil {
		in.def = readDefinition(d)
	}
	return in
}

// readDefinition reads {"data_type", "input_settings"}: the data type
// decides which input settings apply.
func readDefinition(d *obj) *fieldDef {
	d.require("data_type", "input_settings")
	dt := d.enum("data_type", dataTypes)
	s := d.child("input_settings")
	if s == nil || !dt.val() {
		return nil
	}
	def := &fieldDef{dataType: dt.v}
	s.require("input_type")
	it := s.enum("input_type", inputTypes[dt.v])
	def.inputType = it.v
	def.placeholder = s.str("placeholder")
	dropdown := it.v == "dropdown"

	// choices: a dropdown's, and only a dropdown's.
	choices, sent := s.list("choices")
	switch {
	case s.has("choices") && isNull(s.fields["choices"]) && dropdown && dt.v == "text":
		s.err(msgNull, "choices")
	case sent && !dropdown && it.val():
		s.err("Only a dropdown has choices.", "choices")
	case !sent && dropdown && dt.v == "text":
		s.err(msgMissing, "choices")
	case !sent && dropdown:
		def.choices = []json.RawMessage{json.RawMessage(`true`), json.RawMessage(`false`)}
	case sent && len(choices) == 0:
		s.err("Shorter than minimum length 1.", "choices")
	case sent:
		def.choices = readChoices(s, dt.v, choices)
	}

	// min and max: a number's, and only a number's.
	for _, name := range []string{"min", "max"} {
		raw, ok := s.fields[name]
		if !ok || isNull(raw) {
			continue
		}
		if dt.v != "number" {
			s.err("Only a number field has min and max.", name)
			continue
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || raw[0] == '"' {
			s.err("Not a valid number.", name)
			continue
		}
		if name == "min" {
			def.min = &f
		} else {
			def.max = &f
		}
	}
	if def.min != nil && def.max != nil && *def.min > *def.max {
		s.err("Must be greater than or equal to min ("+strconv.FormatFloat(*def.min, 'g', -1, 64)+").", "max")
	}

	// default: a value of the data type, as a ticket's value would be.
	if raw, ok := s.fields["default"]; ok {
		def.dflt = slices.Clone(raw)
		if !isNull(raw) {
			if msg := def.check(raw); msg != "" {
				s.err(msg, "default")
			}
		}
	}
	return def
}

// readChoices reads a dropdown's choices: distinct values of the data
// type, non-empty strings for text.
func readChoices(s *obj, dataType string, items []json.RawMessage) []json.RawMessage {
	out := make([]json.RawMessage, 0, len(items))
	for i, raw := range items {
		at := strconv.Itoa(i)
		var v json.RawMessage
		switch dataType {
		case "text":
			str, ok := decodeString(raw)
			if !ok {
				s.err(msgString, "choices", at)
				continue
			}
			if strings.TrimSpace(str) == "" {
				s.err("Shorter than minimum length 1.", "choices", at)
				continue
			}
			v = appendString(nil, str)
		case "boolean":
			b, ok := decodeBool(raw)
			if !ok {
				s.err(msgBoolean, "choices", at)
				continue
			}
			v = strconv.AppendBool(nil, b)
		}
		if slices.ContainsFunc(out, func(c json.RawMessage) bool { return bytes.Equal(c, v) }) {
			s.err("Duplicate choice: each value may appear once.", "choices", at)
			continue
		}
		out = append(out, v)
	}
	return out
}

// applyField applies a valid body to a definition.
func (st *store) applyField(d *fieldDef, in *fieldInput) {
	if in.objectType.val() {
		d.objectType = in.objectType.v
	}
	if in.label.val() {
		d.label = some(in.label.v)
	}
	in.description.setTo(&d.description)
	in.externalID.setTo(&d.externalID)
	in.managed.setTo(&d.managed)
	if in.priority.set {
		d.priority = in.priority
	}
	if in.required.set {
		d.required = in.required
	}
	if in.requirementType.val() {
		d.requirementType = in.requirementType.v
	}
	if in.deactivated.set {
		d.deactivated = in.deactivated.v
	}
	if in.def != nil {
		d.dataType, d.inputType = in.def.dataType, in.def.inputType
		d.placeholder, d.choices, d.dflt, d.min, d.max = in.def.placeholder, in.def.choices, in.def.dflt, in.def.min, in.def.max
	}
	d.updated = st.now()
}

// Writing ----------------------------------------------------------------

func (st *store) createField(c *call) *apiError {
	o, err := readObject(c)
	if err != nil {
		return err
	}
	in := st.readField(o)
	if err := o.fail("Failed to create custom field"); err != nil {
		return err
	}
	d := &fieldDef{base: st.born("field"), priority: val[int64](0), required: val(false), requirementType: "visible"}
	if in.required.v {
		d.requirementType = "required"
	}
	st.applyField(d, in)
	d.created = d.updated
	st.fields[d.id] = d
	c.ok(func(e *enc) { writeFieldDef(e, d) })
	return nil
}

// updateField replaces a definition: object_type, label and definition
// are sent again; the other fields change only when sent. A field's
// object type and data type cannot change.
func (st *store) updateField(c *call) *apiError {
	d, o, err := findWithBody(c, st.fields)
	if err != nil {
		return err
	}
	if id := o.int("id"); id.val() && id.v != d.id {
		o.err("Must be the id of the field in the path ("+itoa(d.id)+").", "id")
	}
	in := st.readField(o)
	if in.objectType.val() && in.objectType.v != d.objectType {
		o.err("Cannot be changed: the field is a "+d.objectType+" field.", "object_type")
	}
	if in.def != nil && in.def.dataType != d.dataType {
		o.errs.add("Cannot be changed: the field holds "+d.dataType+" values.", "definition", "data_type")
	}
	if err := o.fail("Failed to update custom field"); err != nil {
		return err
	}
	st.applyField(d, in)
	c.ok(func(e *enc) { writeFieldDef(e, d) })
	return nil
}

// updateFields changes several definitions at once from a list of {id,
// …fields to change}: all of them, or none when any item is refused.
func (st *store) updateFields(c *call) *apiError {
	data, err := readBody(c)
	if err != nil {
		return err
	}
	if data[0] != '[' {
		return invalid(msgList, "_schema")
	}
	var items []json.RawMessage
	if json.Unmarshal(data, &items) != nil {
		return invalid(msgList, "_schema")
	}
	errs := fieldErrors{}
	defs := make([]*fieldDef, len(items))
	ins := make([]*fieldInput, len(items))
	now := st.peek()
	for i, raw := range items {
		at := strconv.Itoa(i)
		o := asObject(raw, errs, []string{at})
		if o == nil {
			errs.add(msgMapping, at)
			continue
		}
		for _, k := range sortedKeys(o.fields) {
			if !slices.Contains(fieldBulkKeys, k) {
				o.err("Unknown field: a bulk update changes only "+strings.Join(fieldBulkKeys[1:], ", ")+".", k)
			}
		}
		o.require("id")
		in := &fieldInput{}
		st.readFieldCommon(o, in)
		if in.label.null {
			o.err(msgNull, "label")
		}
		ins[i] = in
		id := o.int("id")
		if !id.val() {
			continue
		}
		d, ok := st.fields[id.v]
		switch {
		case !ok || d.hidden(now):
			o.err("Custom field with id "+itoa(id.v)+" does not exist.", "id")
		case slices.Contains(defs[:i], d):
			o.err("Duplicate id: each field may appear once.", "id")
		default:
			defs[i] = d
		}
	}
	if len(errs) > 0 {
		return &apiError{status: http.StatusBadRequest, msg: "Failed to update custom fields", data: errs}
	}
	for i, d := range defs {
		st.applyField(d, ins[i])
	}
	c.data(func(e *enc) {
		for _, d := range defs {
			writeFieldDef(e, d)
		}
	})
	return nil
}

func writeFieldDef(e *enc, d *fieldDef) {
	e.open()
	e.k("id").int(d.id)
	e.k("external_id").nstr(d.externalID)
	e.k("object_type").str(d.objectType)
	e.k("label").nstr(d.label)
	e.k("description").nstr(d.description)
	e.k("priority")
	if d.priority.val() {
		e.int(d.priority.v)
	} else {
		e.null()
	}
	e.k("required")
	if d.required.val() {
		e.bool(d.required.v)
	} else {
		e.null()
	}
	e.k("requirement_type").str(d.requirementType)
	e.k("managed_type").nstr(d.managed)
	e.k("definition").open()
	e.k("data_type").str(d.dataType)
	e.k("input_settings").open()
	e.k("input_type").str(d.inputType)
	if d.placeholder.set {
		e.k("placeholder").nstr(nstr{d.placeholder.v, !d.placeholder.null})
	}
	if len(d.choices) > 0 {
		e.k("choices").arr()
		for _, c := range d.choices {
			e.raw(c)
		}
		e.end()
	}
	if d.dflt != nil {
		e.k("default").raw(d.dflt)
	}
	if d.min != nil {
		e.k("min").float(*d.min)
	}
	if d.max != nil {
		e.k("max").float(*d.max)
	}
	e.close()
	e.close()
	e.k("created_datetime").time(d.created)
	e.k("updated_datetime").time(d.updated)
	e.k("deactivated_datetime").time(d.deactivated)
	e.close()
}
