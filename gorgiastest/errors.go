package gorgiastest

import (
	"encoding/json"
	"net/http"
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

const missing = "Missing data for required field."

type apiError struct {
	status int
	msg    string
	data   fieldErrors
}

func (e *apiError) write(w http.ResponseWriter) { writeError(w, e.status, e.msg, e.data) }

func badRequest(fields fieldErrors) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: "Invalid request.", data: fields}
}

func notFound() *apiError {
	return &apiError{status: http.StatusNotFound, msg: "Resource not found."}
}

func conflict() *apiError {
	return &apiError{status: http.StatusConflict, msg: "The resource already exists."}
}

func writeError(w http.ResponseWriter, status int, msg string, data fieldErrors) {
	body := map[string]any{"msg": msg}
	if len(data) > 0 {
		body["data"] = data
	}
	writeJSON(w, status, map[string]any{"error": body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
