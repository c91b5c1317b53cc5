//go:build !mutation

package gorgias

import (
	"os"
	"reflect"
	"testing"

	"github.com/go-gorgias/gorgias/internal/accessorgen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAccessorsAreNotStale runs the generator in memory: accessors.go is
// what `go generate` writes from the types as they are now.
func TestAccessorsAreNotStale(t *testing.T) {
	want, err := accessorgen.Generate(".")
	require.NoError(t, err)
	got, err := os.ReadFile(accessorgen.FileName)
	require.NoError(t, err)
	assert.True(t, string(want) == string(got), "accessors.go is stale: run `go generate` in the repository's root")
}

// rawFieldsOf is the type of a response object's Raw field.
var rawFieldsOf = reflect.TypeFor[RawFields]()

// accessorTypes is every response type (responseTypes, the list envelope,
// and the response types they hold, found by walking their fields): the
// types whose fields have accessors.
func accessorTypes() []reflect.Type {
	seen := map[reflect.Type]bool{}
	var types []reflect.Type
	var visit func(reflect.Type, bool)
	visit = func(typ reflect.Type, root bool) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != rawFieldsOf.PkgPath() || seen[typ] {
			return
		}
		if !root && !holdsRawFields(typ) {
			return // Time, FieldValue: values, not response objects
		}
		seen[typ] = true
		types = append(types, typ)
		for i := range typ.NumField() {
			visit(typ.Field(i).Type, false)
		}
	}
	for _, v := range responseTypes {
		visit(reflect.TypeOf(v), true)
	}
	visit(reflect.TypeFor[Page[Ticket]](), true)
	return types
}

func holdsRawFields(typ reflect.Type) bool {
	for i := range typ.NumField() {
		if typ.Field(i).Type == rawFieldsOf {
			return true
		}
	}
	return false
}

// wantAccessor is the result type GetF must have for the field f: a
// pointer to a response type stays a pointer (so the chain is nil-safe),
// any other pointer is read through, any other field is returned as is.
func wantAccessor(f reflect.StructField) reflect.Type {
	if f.Type.Kind() != reflect.Pointer {
		return f.Type
	}
	if elem := f.Type.Elem(); elem.Kind() == reflect.Struct && elem.PkgPath() == rawFieldsOf.PkgPath() && holdsRawFields(elem) {
		return f.Type
	}
	return f.Type.Elem()
}

// TestEveryResponseFieldHasAnAccessor fails when an exported field of a
// response type, pointer fields first of all, has no GetF method of the
// right type: a field added without `go generate`.
func TestEveryResponseFieldHasAnAccessor(t *testing.T) {
	types := accessorTypes()
	require.Greater(t, len(types), len(responseTypes), "the walk finds responseTypes and Page")
	pointers := 0
	for _, typ := range types {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() || f.Anonymous || f.Type == rawFieldsOf {
				continue
			}
			if f.Type.Kind() == reflect.Pointer {
				pointers++
			}
			m, ok := reflect.PointerTo(typ).MethodByName("Get" + f.Name)
			if !assert.True(t, ok, "%s.%s (%s) has no accessor Get%s: run `go generate`", typ.Name(), f.Name, f.Type, f.Name) {
				continue
			}
			if assert.Equal(t, 1, m.Type.NumIn(), "%s.Get%s takes no argument", typ.Name(), f.Name) &&
				assert.Equal(t, 1, m.Type.NumOut(), "%s.Get%s returns one value", typ.Name(), f.Name) {
				assert.Equal(t, wantAccessor(f), m.Type.Out(0), "%s.Get%s's result", typ.Name(), f.Name)
			}
		}
	}
	assert.Greater(t, pointers, 130, "the response types' pointer fields were all looked at")
}

// TestAccessorsOnNilReceivers: every accessor of every response type
// returns the zero value on a nil receiver.
func TestAccessorsOnNilReceivers(t *testing.T) {
	calls := 0
	for _, typ := range accessorTypes() {
		nilPtr := reflect.Zero(reflect.PointerTo(typ))
		for i := range nilPtr.NumMethod() {
			m := nilPtr.Type().Method(i)
			if len(m.Name) <= 3 || m.Name[:3] != "Get" || m.Type.NumIn() != 1 || m.Type.NumOut() != 1 {
				continue
			}
			var out []reflect.Value
			require.NotPanics(t, func() { out = nilPtr.Method(i).Call(nil) }, "(*%s)(nil).%s()", typ.Name(), m.Name)
			assert.True(t, out[0].IsZero(), "(*%s)(nil).%s() = %v, want the zero value", typ.Name(), m.Name, out[0])
			calls++
		}
	}
	assert.Greater(t, calls, 250)

	var ticket *Ticket
	assert.Equal(t, "", ticket.GetCustomer().GetEmail())
	assert.Equal(t, "", ticket.GetSubject())
	assert.Equal(t, Priority(""), ticket.GetPriority())
	assert.True(t, ticket.GetCreatedDatetime().IsZero())
	assert.Nil(t, ticket.GetMessages())
	var page *Page[Ticket]
	assert.Equal(t, int64(0), page.GetTotalResources())

	msg := &Message{}
	assert.Nil(t, msg.GetSender())
	assert.Equal(t, "", msg.GetSender().GetName())
	assert.Equal(t, "", msg.GetSource().GetFrom().GetAddress())
	assert.False(t, msg.GetFromAgent())
	assert.Equal(t, "", msg.GetLastSendingError().GetMessage())
}

// TestAccessorsReadTheFields: with the fields set, the accessors return
// them; a pointer to a response type is the same pointer.
func TestAccessorsReadTheFields(t *testing.T) {
	email, unread, prio := "marie@example.com", true, PriorityHigh
	created := Time{}
	created.Time = created.AddDate(2026, 0, 0)
	customer := &Customer{Email: &email, Firstname: "Marie"}
	ticket := &Ticket{ID: 7, Customer: customer, IsUnread: &unread, Priority: &prio, CreatedDatetime: &created}
	assert.Same(t, customer, ticket.GetCustomer())
	assert.Equal(t, email, ticket.GetCustomer().GetEmail())
	assert.Equal(t, "Marie", ticket.GetCustomer().GetFirstname())
	assert.Equal(t, int64(7), ticket.GetID())
	assert.True(t, ticket.GetIsUnread())
	assert.Equal(t, PriorityHigh, ticket.GetPriority())
	assert.Equal(t, created, ticket.GetCreatedDatetime())
	assert.Equal(t, "", ticket.GetSubject(), "a nil field reads as the zero value")
	assert.Nil(t, ticket.Subject, "and stays nil: null is not turned into a value")
}
