package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// problem is one thing wrong with a tool's arguments.
type problem struct {
	Field   string
	Message string
}

// argError lists every problem found in a tool's arguments before anything
// was sent to Gorgias.
type argError struct {
	Tool     string
	Problems []problem
}

func (e *argError) add(field, format string, args ...any) {
	e.Problems = append(e.Problems, problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (e *argError) err() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

func (e *argError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid arguments for %s: ", e.Tool)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field + ": " + p.Message)
	}
	return b.String()
}

// input holds a tool call's arguments once checked against the catalog:
// every name is a parameter of the tool, every value has the parameter's
// JSON type (or is null), integers are written as integers, and every
// required parameter is present.
type input struct {
	tool string
	args map[string]json.RawMessage
}

// coercion adapts a parameter whose catalog type differs from what the SDK
// takes, such as a channel the catalog types as an object where the API
// takes a string.
type coercion struct {
	// note is added to the parameter's description.
	note string
	// refine adds to the parameter's schema, never changing its type.
	refine func(properties map[string]any) (required []string)
	// apply replaces the type check: it returns the value to decode, or
	// why the value is not acceptable.
	apply func(v json.RawMessage) (json.RawMessage, string)
}

// parseArgs checks raw, a tool call's arguments, against op's parameters
// and b's coercions and listed values (b may be nil). It reports every
// problem at once, naming the parameters at fault.
func parseArgs(op *Operation, b *binding, raw json.RawMessage) (*input, error) {
	var (
		coerce map[string]coercion
		enums  map[string][]string
	)
	if b != nil {
		coerce, enums = b.coerce, b.enums
	}
	e := &argError{Tool: op.Name}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		raw = []byte("{}")
	}
	var m map[string]json.RawMessage
	if !json.Valid(raw) {
		e.add("arguments", "are not valid JSON")
		return nil, e
	}
	if raw[0] != '{' {
		e.add("arguments", "must be a JSON object of named parameters, got %s", jsonKind(raw))
		return nil, e
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		e.add("arguments", "cannot be read: %v", err)
		return nil, e
	}
	in := &input{tool: op.Name, args: make(map[string]json.RawMessage, len(m))}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v := bytes.TrimSpace(m[name])
		p, ok := op.Param(name)
		if !ok {
			e.add(name, "is not a parameter of %s (it takes %s)", op.Name, paramList(op))
			continue
		}
		if string(v) == "null" {
			if !p.Required {
				in.args[name] = v // null clears a field where the API allows it
			}
			continue
		}
		var msg string
		if c, ok := coerce[name]; ok {
			v, msg = c.apply(v)
		} else {
			v, msg = checkType(p.Type, v)
		}
		if msg == "" {
			msg = checkEnum(enums[name], v)
		}
		if msg != "" {
			e.add(name, "%s", msg)
			continue
		}
		in.args[name] = v
	}
	for _, p := range op.Params {
		if _, ok := m[p.Name]; p.Required && (!ok || string(bytes.TrimSpace(m[p.Name])) == "null") {
			e.add(p.Name, "is required (%s)", describeType(p.Type))
		}
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	return in, nil
}

// checkEnum checks a string, or each string of an array, against the
// values a parameter takes (none: any value).
func checkEnum(values []string, v json.RawMessage) string {
	if len(values) == 0 {
		return ""
	}
	var strs []string
	if json.Unmarshal(v, &strs) != nil {
		var one string
		if json.Unmarshal(v, &one) != nil {
			return ""
		}
		strs = []string{one}
	}
	for _, s := range strs {
		if !slices.Contains(values, s) {
			return fmt.Sprintf("must be one of %s, got %q", strings.Join(values, ", "), s)
		}
	}
	return ""
}

func paramList(op *Operation) string {
	names := make([]string, len(op.Params))
	for i, p := range op.Params {
		names[i] = p.Name
	}
	if len(names) == 0 {
		return "no parameters"
	}
	return strings.Join(names, ", ")
}

// checkType checks v against a catalog type and returns it normalised
// (integers written without fraction or exponent), or why it does not fit.
func checkType(typ string, v json.RawMessage) (json.RawMessage, string) {
	if elem, ok := strings.CutSuffix(typ, "[]"); ok {
		if kindOf(v) != "array" {
			return nil, fmt.Sprintf("must be %s, got %s", describeType(typ), jsonKind(v))
		}
		if elem == "any" {
			return v, ""
		}
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, "is not a valid JSON array: " + err.Error()
		}
		for i, item := range items {
			fixed, msg := checkType(elem, bytes.TrimSpace(item))
			if msg != "" {
				return nil, fmt.Sprintf("item %d %s", i, msg)
			}
			items[i] = fixed
		}
		out, err := json.Marshal(items)
		if err != nil {
			return nil, "cannot be re-encoded: " + err.Error()
		}
		return out, ""
	}
	want := typ
	if typ == "integer" {
		want = "number"
	}
	if kindOf(v) != want {
		return nil, fmt.Sprintf("must be %s, got %s", describeType(typ), jsonKind(v))
	}
	if typ == "integer" {
		n, ok := integer(v)
		if !ok {
			return nil, fmt.Sprintf("must be an integer, got %s", v)
		}
		return json.RawMessage(strconv.FormatInt(n, 10)), ""
	}
	return v, ""
}

// integer reads a JSON number that holds an integer in int64's range:
// 12, 12.0 and 1.2e1 all do.
func integer(v json.RawMessage) (int64, bool) {
	if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// kindOf names the JSON type of a value: string, number, boolean, object,
// array or null.
func kindOf(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// jsonKind is kindOf with an article, for messages: "a string", "null".
func jsonKind(v json.RawMessage) string {
	switch k := kindOf(v); k {
	case "null", "nothing":
		return k
	case "object", "array":
		return "an " + k
	default:
		return "a " + k
	}
}

// describeType phrases a catalog type for an error message.
func describeType(typ string) string {
	if elem, ok := strings.CutSuffix(typ, "[]"); ok {
		if elem == "any" {
			return "an array"
		}
		return "an array of " + elem + "s"
	}
	switch typ {
	case "integer", "object":
		return "an " + typ
	}
	return "a " + typ
}

// int returns an integer argument, 0 when absent or null.
func (in *input) int(name string) int64 {
	n, _ := integer(in.args[name])
	return n
}

// bool returns a boolean argument, false when absent or null.
func (in *input) bool(name string) bool {
	var b bool
	_ = json.Unmarshal(in.args[name], &b)
	return b
}

// str returns a string argument, "" when absent or null.
func (in *input) str(name string) string {
	var s string
	_ = json.Unmarshal(in.args[name], &s)
	return s
}

// decodeArg decodes one argument into dst (a pointer), if it was given.
func (in *input) decodeArg(name string, dst any) error {
	v, ok := in.args[name]
	if !ok {
		return nil
	}
	if msg := decodeValue(v, dst); msg != "" {
		return &argError{Tool: in.tool, Problems: []problem{{Field: name, Message: msg}}}
	}
	return nil
}

// decode fills the struct dst points to from every argument but skip,
// matching each argument's name with a field's wire name in tag: "json"
// for request bodies, "url" for query strings. The SDK's request types use
// the API's names, so a Go field renamed in the SDK changes nothing here.
// An argument with no matching field is an error, not silently dropped.
func (in *input) decode(dst any, tag string, skip ...string) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("decode: %T is not a pointer to a struct", dst))
	}
	fields := map[string]reflect.Value{}
	wireFields(rv.Elem(), tag, fields)
	e := &argError{Tool: in.tool}
	names := make([]string, 0, len(in.args))
	for name := range in.args {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if slices.Contains(skip, name) {
			continue
		}
		f, ok := fields[name]
		if !ok {
			e.add(name, "is not supported by this SDK version (%s has no %q field), so it cannot be sent; leave it out",
				rv.Elem().Type(), name)
			continue
		}
		if msg := decodeValue(in.args[name], f.Addr().Interface()); msg != "" {
			e.add(name, "%s", msg)
		}
	}
	return e.err()
}

// wireFields maps the wire names (the tag's first part) of v's fields,
// embedded structs' included, to the fields.
func wireFields(v reflect.Value, tag string, out map[string]reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get(tag), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			wireFields(v.Field(i), tag, out)
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		if _, dup := out[name]; !dup {
			out[name] = v.Field(i)
		}
	}
}

// decodeValue decodes v into dst, refusing unknown keys in objects (the
// SDK would drop them silently), and phrases a failure for an assistant.
func decodeValue(v json.RawMessage, dst any) string {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	err := dec.Decode(dst)
	if err == nil {
		return ""
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		where := ""
		if typeErr.Field != "" {
			where = " at " + typeErr.Field
		}
		return fmt.Sprintf("got a JSON %s%s where %s is expected", typeErr.Value, where, goTypeAsJSON(typeErr.Type))
	}
	if quoted, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ := strconv.Unquote(quoted)
		if keys := structKeys(reflect.TypeOf(dst)); len(keys) > 0 && topLevelKey(v, name) {
			return fmt.Sprintf("has a key %s this SDK does not send; the keys it takes are %s", quoted, strings.Join(keys, ", "))
		}
		return fmt.Sprintf("has a key %s, in a nested object, that this SDK does not send", quoted)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// goTypeAsJSON names the JSON type a Go type decodes from.
func goTypeAsJSON(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another type"
}

// topLevelKey reports whether name is a key of the object v, or of an
// object in the array v.
func topLevelKey(v json.RawMessage, name string) bool {
	var objects []map[string]json.RawMessage
	if json.Unmarshal(v, &objects) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(v, &one) != nil {
			return false
		}
		objects = append(objects, one)
	}
	for _, o := range objects {
		if _, ok := o[name]; ok {
			return true
		}
	}
	return false
}

// structKeys lists the JSON keys of the struct t holds, through pointers
// and slices, or nothing for other types.
func structKeys(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	fields := map[string]reflect.Value{}
	wireFields(reflect.New(t).Elem(), "json", fields)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
