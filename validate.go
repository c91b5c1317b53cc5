package gorgias

// The validator every method runs before sending: it collects each
// problem of the input, so one *ValidationError (errors.go) names them all.

import (
	"fmt"
	"reflect"
)

// validator collects problems for one operation.
type validator struct {
	op       string
	problems []Problem
}

func newValidator(op string) *validator { return &validator{op: op} }

// check records a problem when ok is false.
func (v *validator) check(ok bool, field, message string) {
	if !ok {
		v.problems = append(v.problems, Problem{Field: field, Message: message})
	}
}

// id checks that an id is positive.
func (v *validator) id(field string, id int64) {
	if id <= 0 { // the message is built only when needed: this runs on every call
		v.check(false, field, fmt.Sprintf("must be a positive id, got %d", id))
	}
}

// isEmptyUpdate reports whether an update request (a pointer to a struct)
// sets no field that goes into the JSON body, so sending it would spend a
// rate-limit slot on a request that changes nothing.
func isEmptyUpdate(req any) bool {
	rv := reflect.Indirect(reflect.ValueOf(req))
	rt := rv.Type()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if f.IsExported() && f.Tag.Get("json") != "-" && !rv.Field(i).IsZero() {
			return false
		}
	}
	return true
}

// err returns a *ValidationError when there were problems, else nil.
func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Op: v.op, Problems: v.problems}
}
