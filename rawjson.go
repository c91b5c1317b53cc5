package gorgias

import (
	"encoding/json"
	"fmt"
	"github.com/go-gorgias/gorgias/internal/jsonenc"
	"reflect"
	"strings"
	"sync"
	"unsafe"
)

// This file and rawjson_decode.go, rawjson_encode.go are the one mechanism
// by which every response type keeps what Gorgias sent: fields the SDK
// does not declare, nulls, empty lists, keys left out, and values of an
// unexpected type. A response type opts in with a field
//
//	Raw RawFields `json:"-"`
//
// and two one-line methods calling unmarshalObject and marshalObject. The
// rest is a table built once per type (typeInfo) and a decoder and an
// encoder driven by it.

// RawFields keeps what the API sent that an object's typed fields do not
// hold as sent, and writes it back when the object is encoded again:
//
//   - fields Gorgias added that this SDK does not declare (Keys lists them);
//   - values of a declared field that did not fit its Go type: a number
//     where a string was expected, null where the field cannot be nil, a
//     datetime that does not parse… The field is left at its zero value
//     and Get returns the value as sent;
//   - objects sent as a JSON string holding the object (as some accounts
//     send meta, headers or source.extra): the field holds the decoded
//     object, and Get returns the string.
//
// It also remembers which keys the object had, so that a key absent from
// the response stays absent when the object is encoded, and an empty list
// or a null stays one. Objects built in Go have an empty RawFields and
// encode exactly as their struct tags say.
type RawFields struct {
	r *rawRecord
}

// Get returns the JSON sent under key, when the typed fields do not hold
// it as sent: an undeclared field, or a declared one whose value did not
// fit (see RawFields). It returns false for a key the typed fields hold.
func (f RawFields) Get(key string) (json.RawMessage, bool) {
	if f.r == nil {
		return nil, false
	}
	for _, m := range f.r.unknown {
		if m.key == key {
			return append(json.RawMessage(nil), m.raw...), true
		}
	}
	for _, k := range f.r.kept {
		if k.key == key {
			return append(json.RawMessage(nil), k.raw...), true
		}
	}
	return nil, false
}

// Keys lists the fields the API sent that no struct field declares, in
// the order they came. Read their values with Get.
func (f RawFields) Keys() []string {
	if f.r == nil || len(f.r.unknown) == 0 {
		return nil
	}
	keys := make([]string, len(f.r.unknown))
	for i, m := range f.r.unknown {
		keys[i] = m.key
	}
	return keys
}

// rawRecord is what RawFields points to. A decoded object whose keys are
// exactly those its struct tags would write, with nothing odd, has none:
// it encodes the same by the tags alone, and compares equal to the same
// value built in Go.
type rawRecord struct {
	present uint64 // bit i: field i's key was sent; decodedBit: decoded
	unknown []rawMember
	kept    []keptField
}

// decodedBit marks a record made by decoding: then present says which
// keys to write.
const decodedBit = 1 << 63

// maxFields is the most fields a response type may declare (the bits of
// rawRecord.present left by decodedBit).
const maxFields = 63

type rawMember struct {
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

func (r *rawRecord) keptFor(field int) *keptField {
	for i := range r.kept {
		if r.kept[i].field == field {
			return &r.kept[i]
		}
	}
	return nil
}

// typeInfo describes a struct type for the decoder and the encoder.
type typeInfo struct {
	typ       reflect.Type
	fields    []fieldInfo
	byName    map[string]int
	rawOffset uintptr // offset of the RawFields field
	tracked   bool    // has a RawFields field
	always    uint64  // fields the struct tags always write
	omit      uint64  // fields with omitempty or omitzero
}

type fieldInfo struct {
	name       string
	typ        reflect.Type
	offset     uintptr
	omitEmpty  bool
	omitZero   bool
	objectLike bool   // an object or list: a JSON string holding one is accepted
	prefix     []byte // `"name":`
	dec        decodeFn
	enc        encodeFn
	empty      func(unsafe.Pointer) bool // omitempty's test
}

var (
	rawFieldsType = reflect.TypeFor[RawFields]()

	// Tables and codecs are built under infoMu and published to the
	// lock-free caches only when the outermost build is complete: a
	// reader never sees one half-built.
	infoMu     sync.Mutex
	infoCache  sync.Map // reflect.Type → *typeInfo, complete
	codecCache sync.Map // reflect.Type → *codec, complete
	building   = map[reflect.Type]*typeInfo{}
	compiling  = map[reflect.Type]*codec{}
	buildDepth int
)

// build runs f under infoMu and publishes what it built.
func build[T any](f func() T) T {
	infoMu.Lock()
	defer infoMu.Unlock()
	defer func() {
		if r := recover(); r != nil { // a type the mechanism refuses
			buildDepth = 0
			clear(building)
			clear(compiling)
			panic(r)
		}
	}()
	buildDepth++
	v := f()
	if buildDepth--; buildDepth == 0 {
		for t, ti := range building {
			infoCache.Store(t, ti)
		}
		for t, c := range compiling {
			codecCache.Store(t, c)
		}
		clear(building)
		clear(compiling)
	}
	return v
}

type codec struct {
	dec decodeFn
	enc encodeFn
}

// infoOf returns the table of struct type t, building it once.
func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := infoCache.Load(t); ok {
		return ti.(*typeInfo)
	}
	return build(func() *typeInfo { return infoLocked(t) })
}

func infoLocked(t reflect.Type) *typeInfo {
	if ti, ok := infoCache.Load(t); ok {
		return ti.(*typeInfo)
	}
	if ti, ok := building[t]; ok {
		return ti // a recursive type: its fields are being compiled
	}
	ti := &typeInfo{typ: t, byName: map[string]int{}}
	building[t] = ti
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Type == rawFieldsType {
			ti.rawOffset, ti.tracked = sf.Offset, true
			continue
		}
		if sf.Anonymous {
			panic(fmt.Sprintf("gorgias: %s embeds %s: embedded fields are not supported", t, sf.Type))
		}
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := fieldInfo{name: name, typ: sf.Type, offset: sf.Offset}
		for opt := range strings.SplitSeq(opts, ",") {
			switch opt {
			case "omitempty":
				f.omitEmpty = true
			case "omitzero":
				f.omitZero = true
			case "", "string":
				if opt == "string" {
					panic(fmt.Sprintf("gorgias: %s.%s: the ,string option is not supported", t, sf.Name))
				}
			}
		}
		f.prefix = jsonenc.AppendString(nil, name)
		f.prefix = append(f.prefix, ':')
		f.objectLike = isObjectLike(sf.Type)
		c := codecLocked(sf.Type)
		f.dec, f.enc = c.dec, c.enc
		if f.dec == nil { // a recursive type, still compiling: call through
			f.dec = func(ds *decodeState, i int, p unsafe.Pointer) (int, error) { return c.dec(ds, i, p) }
			f.enc = func(b []byte, p unsafe.Pointer) ([]byte, error) { return c.enc(b, p) }
		}
		f.empty = emptyFunc(sf.Type)
		ti.fields = append(ti.fields, f)
	}
	if len(ti.fields) > maxFields {
		panic(fmt.Sprintf("gorgias: %s has %d fields, more than %d", t, len(ti.fields), maxFields))
	}
	for i, f := range ti.fields {
		if _, dup := ti.byName[f.name]; dup {
			panic(fmt.Sprintf("gorgias: %s declares %q twice", t, f.name))
		}
		ti.byName[f.name] = i
		switch {
		case f.omitEmpty || f.omitZero:
			ti.omit |= 1 << i
		default:
			ti.always |= 1 << i
		}
	}
	return ti
}

// codecOf returns the decoder and encoder of type t, compiling them once.
func codecOf(t reflect.Type) *codec {
	if c, ok := codecCache.Load(t); ok {
		return c.(*codec)
	}
	return build(func() *codec { return codecLocked(t) })
}

func codecLocked(t reflect.Type) *codec {
	if c, ok := codecCache.Load(t); ok {
		return c.(*codec)
	}
	if c, ok := compiling[t]; ok {
		return c // a recursive type: its fields call through c
	}
	c := &codec{}
	compiling[t] = c
	c.dec = compileDecoder(t)
	c.enc = compileEncoder(t)
	return c
}

// isObjectLike reports whether a field of type t holds a JSON object or
// list, which some accounts send as a string holding the JSON.
func isObjectLike(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType || implementsUnmarshaler(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return true
	case reflect.Slice:
		return t.Elem().Kind() != reflect.Uint8
	}
	return false
}

// emptyFunc is encoding/json's omitempty test for type t.
func emptyFunc(t reflect.Type) func(unsafe.Pointer) bool {
	switch t.Kind() {
	case reflect.String:
		return func(p unsafe.Pointer) bool { return len(*(*string)(p)) == 0 }
	case reflect.Bool:
		return func(p unsafe.Pointer) bool { return !*(*bool)(p) }
	case reflect.Pointer:
		return func(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }
	case reflect.Map:
		return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().Len() == 0 }
	case reflect.Slice:
		return func(p unsafe.Pointer) bool { return (*sliceHeader)(p).len == 0 }
	case reflect.Struct:
		return func(unsafe.Pointer) bool { return false }
	}
	return func(p unsafe.Pointer) bool {
		v := reflect.NewAt(t, p).Elem()
		switch v.Kind() {
		case reflect.Array:
			return v.Len() == 0
		case reflect.Interface:
			return v.IsNil()
		}
		return v.IsZero()
	}
}

// isZeroAt reports whether the value of type t at p is its zero value
// (omitzero's test, without IsZero methods).
func isZeroAt(t reflect.Type, p unsafe.Pointer) bool {
	return reflect.NewAt(t, p).Elem().IsZero()
}

func zeroAt(t reflect.Type, p unsafe.Pointer) {
	reflect.NewAt(t, p).Elem().SetZero()
}

// sliceHeader is the layout of every slice.
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

// unmarshalObject decodes data into *v, a struct with a RawFields field:
// the UnmarshalJSON of every response type.
func unmarshalObject[T any](data []byte, v *T) error {
	return decodeInto(data, reflect.TypeFor[T](), unsafe.Pointer(v), func() { var zero T; *v = zero })
}

// marshalObject encodes *v, a struct with a RawFields field: the
// MarshalJSON of every response type.
func marshalObject[T any](v *T) ([]byte, error) {
	return infoOf(reflect.TypeFor[T]()).encode(make([]byte, 0, 256), unsafe.Pointer(v))
}

// decodeValue decodes data into *v with the same decoder as the response
// types, for values that are not themselves one (a page's envelope, a
// list).
func decodeValue[T any](data []byte, v *T) error {
	return decodeInto(data, reflect.TypeFor[T](), unsafe.Pointer(v), func() { var zero T; *v = zero })
}
