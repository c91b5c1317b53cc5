//go:build !mutation

package gorgias_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// getterWalk calls every accessor of an object and of every object it
// holds, nil ones included, and checks each against its field.
type getterWalk struct {
	t                 *testing.T
	calls, nilObjects int
}

var sdkPkgPath = reflect.TypeFor[gorgias.Ticket]().PkgPath()

// isSDKObject reports whether typ is a struct of the SDK with accessors.
func isSDKObject(typ reflect.Type) bool {
	if typ.Kind() != reflect.Struct || typ.PkgPath() != sdkPkgPath {
		return false
	}
	ptr := reflect.PointerTo(typ)
	for i := range ptr.NumMethod() {
		if isAccessor(ptr.Method(i)) {
			return true
		}
	}
	return false
}

// isAccessor reports whether m is a GetX method taking nothing.
func isAccessor(m reflect.Method) bool {
	return len(m.Name) > 3 && strings.HasPrefix(m.Name, "Get") && m.Type.NumIn() == 1 && m.Type.NumOut() == 1
}

// walk visits obj, a pointer to an SDK object (possibly nil).
func (w *getterWalk) walk(obj reflect.Value, path string, depth int) {
	require.Less(w.t, depth, 8, "%s: the objects nest deeper than any response does", path)
	if obj.IsNil() {
		w.nilObjects++
	}
	typ := obj.Type()
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		if !isAccessor(m) {
			continue
		}
		where := path + "." + m.Name + "()"
		var out reflect.Value
		require.NotPanics(w.t, func() { out = obj.Method(i).Call(nil)[0] }, where)
		w.calls++
		if !obj.IsNil() {
			w.check(obj.Elem(), strings.TrimPrefix(m.Name, "Get"), out, where)
		}
		switch {
		case out.Kind() == reflect.Pointer && isSDKObject(out.Type().Elem()):
			w.walk(out, where, depth+1)
		case out.Kind() == reflect.Slice && isSDKObject(out.Type().Elem()):
			for j := range out.Len() {
				w.walk(out.Index(j).Addr(), where+"["+strconv.Itoa(j)+"]", depth+1)
			}
		}
	}
}

// check holds an accessor's result to its field: a nil pointer reads as
// the zero value, any other pointer as what it points to or as itself.
func (w *getterWalk) check(obj reflect.Value, field string, out reflect.Value, where string) {
	f := obj.FieldByName(field)
	if !f.IsValid() {
		return
	}
	switch {
	case f.Type() == out.Type():
		assert.True(w.t, reflect.DeepEqual(f.Interface(), out.Interface()), "%s returns its field", where)
	case f.Kind() == reflect.Pointer && f.IsNil():
		assert.True(w.t, out.IsZero(), "%s: a nil field reads as the zero value, got %v", where, out)
	case f.Kind() == reflect.Pointer:
		assert.True(w.t, reflect.DeepEqual(f.Elem().Interface(), out.Interface()), "%s returns what its field points to", where)
	default:
		w.t.Errorf("%s returns a %s for a field of type %s", where, out.Type(), f.Type())
	}
}

// TestAccessorsWalkTheSeededAccount reads every seeded ticket (as listed,
// trashed or not, and as got one by one) and every seeded message through
// the accessors, nested objects and nil ones included: nothing panics,
// whatever the seed leaves null or out.
func TestAccessorsWalkTheSeededAccount(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{}), gorgiastest.WithoutRateLimit())
	client := srv.Client()
	ctx := context.Background()
	w := &getterWalk{t: t}

	ids := map[int64]bool{}
	for _, trashed := range []bool{false, true} {
		for ticket, err := range client.Tickets.All(ctx, &gorgias.ListTicketsOptions{Trashed: gorgias.Ptr(trashed)}) {
			require.NoError(t, err)
			w.walk(reflect.ValueOf(ticket), "ticket", 0)
			ids[ticket.GetID()] = true
		}
	}
	require.NotZero(t, len(ids))
	require.Equal(t, srv.TicketCount(), len(ids), "every seeded ticket was listed")
	for id := range ids {
		ticket, err := client.Tickets.Get(ctx, id, nil)
		require.NoError(t, err)
		w.walk(reflect.ValueOf(ticket), "full ticket", 0)
	}

	messages := 0
	for msg, err := range client.Messages.All(ctx, nil) {
		require.NoError(t, err)
		w.walk(reflect.ValueOf(msg), "message", 0)
		messages++
	}
	require.Greater(t, messages, len(ids), "the seed has more messages than tickets")
	t.Logf("%d tickets, %d messages: %d accessor calls, %d nil nested objects walked", len(ids), messages, w.calls, w.nilObjects)
	assert.Greater(t, w.nilObjects, 0, "the walk met nil nested objects (and called their accessors)")
}
