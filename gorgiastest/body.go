package gorgiastest

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
	"time"
)

// Request bodies are read field by field into what the handler asks for,
// so that every type error lands in the 400's data at the field's path,
// as marshmallow reports it:
//
//	o, err := readObject(c)
//	status := o.enum("status", statuses)
//	cust := o.child("customer")
//	if err := o.fail("Failed to update ticket"); err != nil { … }

// opt is a field as sent: absent, null, or a value.
type opt[T any] struct {
	v    T
	set  bool // present, as a value or null
	null bool
}

// val reports whether a value (not null) was sent.
func (o opt[T]) val() bool { return o.set && !o.null }

// setTo stores in *dst what was sent, a value or null (the zero T); it
// leaves *dst alone when nothing was.
func (o opt[T]) setTo(dst *T) {
	if o.set {
		*dst = o.v
	}
}

// valTo stores in *dst a value sent; it leaves *dst alone when null or
// nothing was.
func (o opt[T]) valTo(dst *T) {
	if o.val() {
		*dst = o.v
	}
}

// obj is a JSON object being read; errors collect in a fieldErrors shared
// by the whole body.
type obj struct {
	fields map[string]json.RawMessage
	errs   fieldErrors
	path   []string
}

// readBody reads the request's JSON body.
func readBody(c *call) (json.RawMessage, *apiError) {
	data, _ := io.ReadAll(c.r.Body)
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, &apiError{status: 400, msg: "The request body is empty: a JSON body is required."}
	}
	if !json.Valid(data) {
		return nil, &apiError{status: 400, msg: "Invalid JSON body."}
	}
	return data, nil
}

// readObject reads the request's body, which must be a JSON object.
func readObject(c *call) (*obj, *apiError) {
	data, err := readBody(c)
	if err != nil {
		return nil, err
	}
	o := asObject(data, fieldErrors{}, nil)
	if o == nil {
		return nil, invalid("Invalid input type: a JSON object is expected.", "_schema")
	}
	return o, nil
}

func asObject(data json.RawMessage, errs fieldErrors, path []string) *obj {
	if len(data) == 0 || data[0] != '{' {
		return nil
	}
	o := &obj{errs: errs, path: path}
	if json.Unmarshal(data, &o.fields) != nil {
		return nil
	}
	return o
}

func (o *obj) at(name ...string) []string {
	return append(slices.Clip(o.path), name...)
}

// err records an error on the named field.
func (o *obj) err(msg string, name ...string) { o.errs.add(msg, o.at(name...)...) }

// fail is the 400 for the errors found, if any.
func (o *obj) fail(msg string) *apiError {
	if len(o.errs) == 0 {
		return nil
	}
	return &apiError{status: 400, msg: msg, data: o.errs}
}

func (o *obj) has(name string) bool { _, ok := o.fields[name]; return ok }

// require records a missing-field error for each absent or null name.
func (o *obj) require(names ...string) {
	for _, n := range names {
		v, ok := o.fields[n]
		switch {
		case !ok:
			o.err(msgMissing, n)
		case isNull(v):
			o.err(msgNull, n)
		}
	}
}

func isNull(v json.RawMessage) bool { return bytes.Equal(v, []byte("null")) }

// field reads one field with decode, which reports whether the JSON has
// the right type; wrong types record msg.
func field[T any](o *obj, name, msg string, decode func(json.RawMessage) (T, bool)) opt[T] {
	raw, ok := o.fields[name]
	if !ok {
		return opt[T]{}
	}
	if isNull(raw) {
		return opt[T]{set: true, null: true}
	}
	v, ok := decode(raw)
	if !ok {
		o.err(msg, name)
		return opt[T]{}
	}
	return opt[T]{v: v, set: true}
}

func decodeString(raw json.RawMessage) (string, bool) {
	var s string
	return s, raw[0] == '"' && json.Unmarshal(raw, &s) == nil
}

func decodeInt(raw json.RawMessage) (int64, bool) {
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil { // 12.0 is an integer too
		f, ferr := strconv.ParseFloat(string(raw), 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false
		}
		n = int64(f)
	}
	return n, true
}

func decodeBool(raw json.RawMessage) (bool, bool) {
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func decodeTime(raw json.RawMessage) (ts, bool) {
	s, ok := decodeString(raw)
	if !ok {
		return 0, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return tsOf(t), true
		}
	}
	return 0, false
}

func (o *obj) str(name string) opt[string] { return field(o, name, msgString, decodeString) }
func (o *obj) int(name string) opt[int64]  { return field(o, name, msgInteger, decodeInt) }
func (o *obj) bool(name string) opt[bool]  { return field(o, name, msgBoolean, decodeBool) }
func (o *obj) time(name string) opt[ts]    { return field(o, name, msgDatetime, decodeTime) }

// nstr reads a nullable string.
func (o *obj) nstr(name string) opt[nstr] {
	s := o.str(name)
	return opt[nstr]{v: nstr{s.v, s.val()}, set: s.set, null: s.null}
}

// maxLen checks a string's length in characters.
func (o *obj) maxLen(name string, s opt[string], n int) {
	if s.val() && len([]rune(s.v)) > n {
		o.err("Longer than maximum length "+strconv.Itoa(n)+".", name)
	}
}

// enum reads a string that must be one of allowed.
func (o *obj) enum(name string, allowed []string) opt[string] {
	s := o.str(name)
	if s.val() && !slices.Contains(allowed, s.v) {
		o.err(oneOf(allowed), name)
		return opt[string]{}
	}
	return s
}

// mapping reads a free-form JSON object (meta, headers…), kept raw.
func (o *obj) mapping(name string) opt[json.RawMessage] {
	return field(o, name, msgMapping, func(raw json.RawMessage) (json.RawMessage, bool) {
		return slices.Clone(raw), raw[0] == '{'
	})
}

// child reads a nested object; nil when absent, null or not an object.
func (o *obj) child(name string) *obj {
	raw, ok := o.fields[name]
	if !ok || isNull(raw) {
		return nil
	}
	c := asObject(raw, o.errs, o.at(name))
	if c == nil {
		o.err(msgMapping, name)
	}
	return c
}

// list reads an array field's items; ok is false when absent, null or
// not an array.
func (o *obj) list(name string) (items []json.RawMessage, ok bool) {
	raw, present := o.fields[name]
	if !present || isNull(raw) {
		return nil, false
	}
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		o.err(msgList, name)
		return nil, false
	}
	return items, true
}

// children reads an array of objects; items that are not objects are
// reported and skipped (as nil).
func (o *obj) children(name string) ([]*obj, bool) {
	items, ok := o.list(name)
	if !ok {
		return nil, false
	}
	out := make([]*obj, len(items))
	for i, raw := range items {
		out[i] = asObject(raw, o.errs, o.at(name, strconv.Itoa(i)))
		if out[i] == nil {
			o.err(msgMapping, name, strconv.Itoa(i))
		}
	}
	return out, true
}

// ints reads an array of integers.
func (o *obj) ints(name string) ([]int64, bool) {
	items, ok := o.list(name)
	if !ok {
		return nil, false
	}
	out := make([]int64, 0, len(items))
	for i, raw := range items {
		n, ok := decodeInt(raw)
		if !ok {
			o.err(msgInteger, name, strconv.Itoa(i))
			continue
		}
		out = append(out, n)
	}
	return out, true
}

// strs reads an array of strings.
func (o *obj) strs(name string) ([]string, bool) {
	items, ok := o.list(name)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for i, raw := range items {
		s, ok := decodeString(raw)
		if !ok {
			o.err(msgString, name, strconv.Itoa(i))
			continue
		}
		out = append(out, s)
	}
	return out, true
}

// ref reads {"id": n} (or a bare id) naming a record of m; unknown ids
// are reported as notFoundMsg at name.id. It returns nil for absent, null
// and unknown.
func ref[T record](o *obj, name string, m map[int64]T, what string) (v T, set, null bool) {
	raw, ok := o.fields[name]
	if !ok {
		return v, false, false
	}
	if isNull(raw) {
		return v, true, true
	}
	c := o.child(name)
	if c == nil {
		return v, false, false
	}
	c.require("id")
	id := c.int("id")
	if !id.val() {
		return v, false, false
	}
	found, ok := m[id.v]
	if !ok {
		c.err(what+" with id "+itoa(id.v)+" does not exist.", "id")
		return v, false, false
	}
	return found, true, false
}
