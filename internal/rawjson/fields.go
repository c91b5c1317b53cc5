package rawjson

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The tables: for each struct type, its fields as the decoder and the
// encoder use them, built once; and for every type, its decoder and
// encoder, compiled once.

// typeInfo describes a struct type for the decoder and the encoder.
type typeInfo struct {
	typ       reflect.Type
	fields    []fieldInfo
	byName    map[string]int
	rawOffset uintptr // offset of the Raw field
	tracked   bool    // has a Raw field
	always    uint64  // fields the struct tags always write
	omit      uint64  // fields with omitempty or omitzero
	// after[0] is the field the decoder expects an object's first key to
	// name, after[1+f] the one it expects after field f: at first the
	// declaration's order, then the order the last object decoded had (an
	// API writes its keys in one order, rarely the struct's). A guess
	// costs a comparison with the field's `"name":`; a wrong one, the key
	// read and looked up in byName. Racing decodes may overwrite each
	// other's guesses: only a hint.
	after []atomic.Int32
	// size is about the largest encoding Marshal wrote lately, to size
	// the next one's buffer: it follows a larger one at once and a
	// smaller one by an eighth a call.
	size atomic.Int64
}

// sizeHint is the capacity Marshal gives its buffer.
func (ti *typeInfo) sizeHint() int {
	n := int(ti.size.Load())
	return max(64, n) // the allocator rounds it up to its size class
}

// noteSize records the size of an encoding Marshal wrote.
func (ti *typeInfo) noteSize(n int) {
	old := ti.size.Load()
	next := max(int64(n), old-old/8)
	if next != old {
		ti.size.Store(next) // racing calls may lose an update: only a hint
	}
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
	rawType = reflect.TypeFor[Raw]()

	// stringTypes holds the types taught with RegisterString.
	stringTypes atomic.Pointer[map[reflect.Type]*stringCodec]

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
		if isRaw(sf.Type) {
			ti.rawOffset, ti.tracked = sf.Offset, true
			continue
		}
		if sf.Anonymous {
			panic(fmt.Sprintf("rawjson: %s embeds %s: embedded fields are not supported", t, sf.Type))
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
					panic(fmt.Sprintf("rawjson: %s.%s: the ,string option is not supported", t, sf.Name))
				}
			}
		}
		f.prefix = AppendString(nil, name)
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
		panic(fmt.Sprintf("rawjson: %s has %d fields, more than %d", t, len(ti.fields), maxFields))
	}
	ti.after = make([]atomic.Int32, len(ti.fields)+1)
	for k := range ti.after {
		ti.after[k].Store(int32(k))
	}
	for i, f := range ti.fields {
		if _, dup := ti.byName[f.name]; dup {
			panic(fmt.Sprintf("rawjson: %s declares %q twice", t, f.name))
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
	if stringTypeOf(t) != nil || implementsUnmarshaler(t) {
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
		// Every map is a pointer to the runtime's map, whose length len
		// reads the same whatever the key and element types.
		return func(p unsafe.Pointer) bool { return len(*(*map[string]struct{})(p)) == 0 }
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

// ptrTo makes the addressable reflect.Value of a T from its pointer, as
// reflect.NewAt(T, p).Elem() does, without NewAt's look-up of *T (a
// sync.Map read, for each value).
type ptrTo struct {
	nilPtr any // a nil *T: its type word is *T's
}

func newPtrTo(t reflect.Type) ptrTo {
	return ptrTo{reflect.Zero(reflect.PointerTo(t)).Interface()}
}

// elem returns the T at p.
func (pt ptrTo) elem(p unsafe.Pointer) reflect.Value {
	e := pt.nilPtr
	// A pointer is stored in the interface itself: its data word is p.
	(*[2]unsafe.Pointer)(unsafe.Pointer(&e))[1] = p
	return reflect.ValueOf(e).Elem()
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

// isRaw reports whether a field of type t is a struct's Raw: a Raw, or a
// struct type whose one field is a Raw.
func isRaw(t reflect.Type) bool {
	return t == rawType || t.Kind() == reflect.Struct && t.NumField() == 1 && t.Field(0).Type == rawType
}

// rawAt returns the Raw of the struct of table ti at p.
func (ti *typeInfo) rawAt(p unsafe.Pointer) *Raw {
	return (*Raw)(unsafe.Add(p, ti.rawOffset))
}
