// Package rawjson is the JSON codec of the SDK's response types: it
// decodes an object keeping what its Go type does not hold as sent
// (fields it does not declare, nulls, empty lists, keys left out, values
// of an unexpected type) and encodes it back the same.
//
// A struct opts in with a field of type Raw, or of a struct type whose one
// field is a Raw (so that a package can give it its own name and
// documentation), tagged `json:"-"`:
//
//	type Ticket struct {
//		ID  int64 `json:"id"`
//		Raw Raw   `json:"-"`
//	}
//
//	func (t *Ticket) UnmarshalJSON(data []byte) error { return rawjson.Unmarshal(data, t) }
//	func (t Ticket) MarshalJSON() ([]byte, error)     { return rawjson.Marshal(&t) }
//
// The rest is a table built once per type (fields.go), a scanner
// (scan.go), and a decoder (decode.go) and an encoder (encode.go) driven
// by the table. The package knows nothing of the SDK: a type held in JSON
// as a string, such as a datetime, is taught to it with RegisterString.
package rawjson

import (
	"encoding/json"
	"maps"
	"reflect"
	"unsafe"
)

// Raw keeps what the JSON of an object held that the object's typed fields
// do not hold as sent, and writes it back when the object is encoded
// again:
//
//   - fields the struct does not declare (Keys lists them);
//   - values of a declared field that did not fit its Go type: the field is
//     left at its zero value and Get returns the value as sent;
//   - objects sent as a JSON string holding the object: the field holds
//     the decoded object, and Get returns the string.
//
// It also remembers which keys the object had, so that a key absent from
// the JSON stays absent when the object is encoded, and an empty list or
// a null stays one. Objects built in Go have an empty Raw and encode
// exactly as their struct tags say.
type Raw struct {
	r *record
}

// Get returns the JSON sent under key, when the typed fields do not hold
// it as sent: an undeclared field, or a declared one whose value did not
// fit. It returns false for a key the typed fields hold.
func (f Raw) Get(key string) (json.RawMessage, bool) {
	if f.r == nil {
		return nil, false
	}
	raw, ok, _ := f.r.lookup(key)
	if !ok {
		return nil, false
	}
	return append(json.RawMessage(nil), raw...), true
}

// lookup finds the value kept under key, and counts the entries it
// compared on the way (the test that holds Get linear reads it).
func (r *record) lookup(key string) (raw []byte, ok bool, compared int) {
	if r.index != nil {
		compared++
		if i, ok := r.index[key]; ok {
			return r.unknown[i].raw, true, compared
		}
	} else {
		for _, m := range r.unknown {
			compared++
			if m.key == key {
				return m.raw, true, compared
			}
		}
	}
	for _, k := range r.kept { // at most one a declared field
		compared++
		if k.key == key {
			return k.raw, true, compared
		}
	}
	return nil, false, compared
}

// Keys lists the fields the JSON had that no struct field declares, in
// the order they came. Read their values with Get.
func (f Raw) Keys() []string {
	if f.r == nil || len(f.r.unknown) == 0 {
		return nil
	}
	keys := make([]string, len(f.r.unknown))
	for i, m := range f.r.unknown {
		keys[i] = m.key
	}
	return keys
}

// record is what Raw points to. A decoded object whose keys are exactly
// those its struct tags would write, with nothing odd, has none: it
// encodes the same by the tags alone, and compares equal to the same value
// built in Go.
type record struct {
	present uint64 // bit i: field i's key was sent; decodedBit: decoded
	unknown []member
	// index has unknown's positions by key once there are many (the
	// decoder builds it, and Get uses it): n keys cost O(n), not O(n²).
	index map[string]int
	kept  []keptField
}

// decodedBit marks a record made by decoding: then present says which
// keys to write.
const decodedBit = 1 << 63

// maxFields is the most fields a tracked struct may declare (the bits of
// record.present left by decodedBit).
const maxFields = 63

type member struct {
	key string
	raw []byte
}

// keptField is a declared field whose value is kept as sent.
type keptField struct {
	field int // index in typeInfo.fields
	key   string
	raw   []byte // the value as sent
	// snapshot nil: raw stands while the field is zero (the value did not
	// fit and left it zero). Otherwise raw stands while the field encodes
	// to snapshot, i.e. is unchanged since decoding.
	snapshot []byte
	// quoted: the value came as a JSON string holding JSON; a changed
	// value is written the same way.
	quoted bool
}

func (r *record) keptFor(field int) *keptField {
	for i := range r.kept {
		if r.kept[i].field == field {
			return &r.kept[i]
		}
	}
	return nil
}

// Unmarshal decodes data into *v. A value that does not fit its field
// never fails the object holding it: the nearest struct with a Raw keeps
// it. Only malformed JSON, or a value that no Raw can keep, is an error.
func Unmarshal[T any](data []byte, v *T) error {
	return decodeInto(data, reflect.TypeFor[T](), unsafe.Pointer(v), func() { var zero T; *v = zero })
}

// Marshal encodes *v, a struct: the keys a decoded value came with (and
// those set since), or, for a value built in Go, what its struct tags
// say, as encoding/json would.
func Marshal[T any](v *T) ([]byte, error) {
	ti := infoOf(reflect.TypeFor[T]())
	b, err := ti.encode(make([]byte, 0, ti.sizeHint()), unsafe.Pointer(v))
	ti.noteSize(len(b))
	return b, err
}

// StringCodec teaches the codec a type T held in JSON as a string, or as
// null for T's zero value (a datetime…).
type StringCodec[T any] struct {
	// Parse reads a string's content. ok false: it does not fit T (the
	// field stays zero and the value is kept as sent). exact false: v does
	// not encode back to the same string (the value is kept as sent while
	// v is unchanged). s is a view of the bytes being decoded, valid only
	// during the call: Parse must not keep it, or a part of it, in v or
	// elsewhere (strings.Clone what it keeps).
	Parse func(s string) (v T, ok, exact bool)
	// Append appends the JSON of *v to b: a string, or null for the zero
	// value.
	Append func(b []byte, v *T) []byte
}

// RegisterString makes the codec decode and encode T with c. Call it
// before T is first decoded or encoded (from an init function): it panics
// once the codec has compiled T.
func RegisterString[T any](c StringCodec[T]) {
	t := reflect.TypeFor[T]()
	if c.Parse == nil || c.Append == nil {
		panic("rawjson: RegisterString of " + t.String() + " needs Parse and Append")
	}
	infoMu.Lock()
	defer infoMu.Unlock()
	if _, done := codecCache.Load(t); done {
		panic("rawjson: RegisterString of " + t.String() + " after its first use")
	}
	codecs := map[reflect.Type]*stringCodec{}
	if m := stringTypes.Load(); m != nil {
		maps.Copy(codecs, *m)
	}
	codecs[t] = &stringCodec{
		alloc:  func() unsafe.Pointer { return unsafe.Pointer(new(T)) },
		allocN: func(n int) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(make([]T, n))) },
		size:   reflect.TypeFor[T]().Size(),
		zero:   func(p unsafe.Pointer) { var zero T; *(*T)(p) = zero },
		parse: func(s string, p unsafe.Pointer) (bool, bool) {
			v, ok, exact := c.Parse(s)
			if ok {
				*(*T)(p) = v
			}
			return ok, exact
		},
		append: func(b []byte, p unsafe.Pointer) []byte { return c.Append(b, (*T)(p)) },
	}
	stringTypes.Store(&codecs)
}

// stringType is a registered StringCodec, on unsafe pointers.
type stringCodec struct {
	alloc  func() unsafe.Pointer
	allocN func(n int) unsafe.Pointer // n values in a row
	size   uintptr
	zero   func(p unsafe.Pointer)
	parse  func(s string, p unsafe.Pointer) (ok, exact bool)
	append func(b []byte, p unsafe.Pointer) []byte
}

func stringTypeOf(t reflect.Type) *stringCodec {
	if m := stringTypes.Load(); m != nil {
		return (*m)[t]
	}
	return nil
}
