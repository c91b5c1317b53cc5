package bench

import (
	"encoding/json"
	"reflect"
	"sync"

	"github.com/go-gorgias/gorgias"
)

// The peers decode into plain structs of the SDK's shape: mirror types
// built by reflection from the SDK's, with the same fields and tags but
// none of its methods, so each library does all the work itself rather
// than handing each object to the SDK's UnmarshalJSON. Times stay strings
// and custom field values raw (json.RawMessage), which spares the peers
// the parsing the SDK does: the ratios err in the peers' favour. RawFields
// (tagged "-") and unexported fields are left out.
var (
	mirrors   sync.Map // reflect.Type → reflect.Type
	timeType  = reflect.TypeFor[gorgias.Time]()
	valueType = reflect.TypeFor[gorgias.FieldValue]()
	rawType   = reflect.TypeFor[json.RawMessage]()
	strType   = reflect.TypeFor[string]()
)

func mirror(t reflect.Type) reflect.Type {
	if m, ok := mirrors.Load(t); ok {
		return m.(reflect.Type)
	}
	m := buildMirror(t)
	mirrors.Store(t, m)
	return m
}

func buildMirror(t reflect.Type) reflect.Type {
	switch t {
	case timeType:
		return strType
	case valueType:
		return rawType
	}
	if t.Name() != "" && t.PkgPath() != timeType.PkgPath() {
		return t // not the SDK's: json.RawMessage, a basic type
	}
	switch t.Kind() {
	case reflect.Pointer:
		return reflect.PointerTo(mirror(t.Elem()))
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return reflect.TypeFor[[]byte]()
		}
		return reflect.SliceOf(mirror(t.Elem()))
	case reflect.Array:
		return reflect.ArrayOf(t.Len(), mirror(t.Elem()))
	case reflect.Map:
		return reflect.MapOf(mirror(t.Key()), mirror(t.Elem()))
	case reflect.Interface:
		return reflect.TypeFor[any]()
	case reflect.Struct:
		var fields []reflect.StructField
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			fields = append(fields, reflect.StructField{Name: f.Name, Type: mirror(f.Type), Tag: f.Tag})
		}
		return reflect.StructOf(fields)
	case reflect.Bool:
		return reflect.TypeFor[bool]()
	case reflect.Int:
		return reflect.TypeFor[int]()
	case reflect.Int64:
		return reflect.TypeFor[int64]()
	case reflect.Int32:
		return reflect.TypeFor[int32]()
	case reflect.Float64:
		return reflect.TypeFor[float64]()
	case reflect.String:
		return strType
	}
	panic("bench: no mirror for " + t.String())
}

// pageMirror is the list envelope of a page of T's mirror.
func pageMirror(item reflect.Type) reflect.Type {
	cursor := reflect.TypeFor[*string]()
	meta := reflect.StructOf([]reflect.StructField{
		{Name: "PrevCursor", Type: cursor, Tag: `json:"prev_cursor"`},
		{Name: "NextCursor", Type: cursor, Tag: `json:"next_cursor"`},
	})
	return reflect.StructOf([]reflect.StructField{
		{Name: "Object", Type: strType, Tag: `json:"object"`},
		{Name: "URI", Type: strType, Tag: `json:"uri"`},
		{Name: "Data", Type: reflect.SliceOf(mirror(item)), Tag: `json:"data"`},
		{Name: "Meta", Type: meta, Tag: `json:"meta"`},
	})
}
