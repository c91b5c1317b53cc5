package gorgiastest

import (
	"net/http"
	"strings"
)

// The live API's error body: {"error": {"msg": "…", "data": {field: [messages]}}},
// nested marshmallow-style for nested fields. Written once, here.

// fieldErrors is the "data" of a 400: field → messages, nested for nested
// fields ({"messages": {"0": {"channel": [...]}}}).
type fieldErrors map[string]any

// add records message at the path of nested field names.
func (f fieldErrors) add(message string, path ...string) {
	m := map[string]any(f)
	for _, p := range path[:len(path)-1] {
		child, ok := m[p].(map[string]any)
		if !ok {
			child = map[string]any{}
			m[p] = child
		}
		m = child
	}
	leaf := path[len(path)-1]
	msgs, _ := m[leaf].([]string)
	m[leaf] = append(msgs, message)
}

// The marshmallow messages the fake uses.
const (
	msgMissing  = "Missing data for required field."
	msgNull     = "Field may not be null."
	msgString   = "Not a valid string."
	msgInteger  = "Not a valid integer."
	msgBoolean  = "Not a valid boolean."
	msgDatetime = "Not a valid datetime."
	msgList     = "Not a valid list."
	msgMapping  = "Not a valid mapping type."
)

func oneOf(allowed []string) string { return "Must be one of: " + strings.Join(allowed, ", ") + "." }

type apiError struct {
	status int
	msg    string
	data   fieldErrors
}

func (e *apiError) write(w http.ResponseWriter) { writeError(w, e.status, e.msg, e.data) }

func badRequest(fields fieldErrors) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: "Invalid request.", data: fields}
}

// invalid is a 400 with one field error.
func invalid(message string, path ...string) *apiError {
	f := fieldErrors{}
	f.add(message, path...)
	return badRequest(f)
}

func notFound() *apiError {
	return &apiError{status: http.StatusNotFound, msg: "Resource not found."}
}

func conflict() *apiError {
	return &apiError{status: http.StatusConflict, msg: "The resource already exists."}
}

func writeError(w http.ResponseWriter, status int, msg string, data fieldErrors) {
	c := call{w: w}
	c.json(status, func(e *enc) {
		e.open()
		e.k("error").open()
		e.k("msg").str(msg)
		if len(data) > 0 {
			e.k("data")
			writeFieldErrors(e, data)
		}
		e.close()
		e.close()
	})
}

func writeFieldErrors(e *enc, m map[string]any) {
	e.open()
	for _, name := range sortedKeys(m) {
		e.k(name)
		switch v := m[name].(type) {
		case []string:
			e.arr()
			for _, s := range v {
				e.str(s)
			}
			e.end()
		case map[string]any:
			writeFieldErrors(e, v)
		}
	}
	e.close()
}
