package rawjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"math"
	"math/bits"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The decoder reads the JSON once: it validates it as it goes, writes the
// typed fields straight from the bytes, and notes on the way which keys
// each object had and what it could not type. A value that does not fit
// its field never fails the object holding it: the nearest struct with a
// Raw keeps it there. Only malformed JSON is an error.

// decodeFn decodes the JSON value starting at data[i] into the value at p
// and returns the index just past it. errMisfit means the value is valid
// JSON that does not fit the Go type (it has been skipped).
type decodeFn func(ds *decodeState, i int, p unsafe.Pointer) (int, error)

// errMisfit is returned, with the value's end, for a valid JSON value that
// does not fit its Go type.
var errMisfit = errors.New("rawjson: the value does not fit its field")

var (
	rawMessageType     = reflect.TypeFor[json.RawMessage]()
	stringType         = reflect.TypeFor[string]()
	anyType            = reflect.TypeFor[any]()
	boolType           = reflect.TypeFor[bool]()
	unmarshalerType    = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerTyp = reflect.TypeFor[encoding.TextUnmarshaler]()
	nullJSON           = []byte("null")
	zeroBase           [0]uint64 // the data of empty, non-nil slices
)

func decodeInto(data []byte, t reflect.Type, p unsafe.Pointer, reset func()) error {
	c := codecOf(t)
	ds := decodeState{data: data}
	i := skipWS(data, 0)
	if i == len(data) {
		return &syntaxError{"unexpected end of JSON input", int64(i)}
	}
	if t.Kind() == reflect.Struct && data[i] == 'n' {
		// null leaves a struct unchanged, as with encoding/json.
		end, err := ds.literal(i, "null")
		if err != nil {
			return err
		}
		return ds.end(end)
	}
	reset()
	end, err := c.dec(&ds, i, p)
	ds.releaseScratch()
	if errors.Is(err, errMisfit) {
		return &json.UnmarshalTypeError{Value: ds.misfitValue, Type: ds.misfitType, Offset: int64(ds.misfitOff)}
	}
	if err != nil {
		return err
	}
	return ds.end(end)
}

// misfit skips the value at i, which does not fit type t.
func (ds *decodeState) misfit(i int, t reflect.Type) (int, error) {
	end, err := ds.skip(i)
	if err != nil {
		return end, err
	}
	return ds.misfitAt(i, end, t)
}

// misfitAt records that data[i:end] does not fit type t.
func (ds *decodeState) misfitAt(i, end int, t reflect.Type) (int, error) {
	if ds.misfitType == nil {
		ds.misfitType, ds.misfitOff = t, i
		switch ds.data[i] {
		case '{':
			ds.misfitValue = "object"
		case '[':
			ds.misfitValue = "array"
		case '"':
			ds.misfitValue = "string"
		case 't', 'f':
			ds.misfitValue = "bool"
		case 'n':
			ds.misfitValue = "null"
		default:
			ds.misfitValue = "number " + string(ds.data[i:end])
		}
	}
	return end, errMisfit
}

// ---- objects ----

// decode decodes a JSON object into the struct at p.
func (ti *typeInfo) decode(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
	d := ds.data
	if d[i] != '{' {
		return ds.misfit(i, ti.typ)
	}
	var (
		present uint64
		rec     *record
		misfit  bool // an untracked struct has a field that does not fit
		prev    int  // where in ti.after the next key's guess is: 0, then 1 + the last field found
	)
	guess := int(ti.after[0].Load()) // the field expected next: keys mostly come in one order
	i, more, err := ds.open(i, '}')
	if err != nil {
		return i, err
	}
	for more {
		var (
			key   []byte
			vi    int
			fi    int
			known bool
		)
		if guess < len(ti.fields) && bytes.HasPrefix(d[i:], ti.fields[guess].prefix) {
			// The next field's `"name":`, as the encoder writes it: the
			// key is read and matched at once.
			fi, known = guess, true
			if vi = skipWS(d, i+len(ti.fields[guess].prefix)); vi >= len(d) {
				return vi, ds.syntax(vi, "")
			}
		} else {
			if key, vi, err = ds.key(i); err != nil {
				return vi, err
			}
			fi, known = ti.byName[string(key)]
			ds.lookups++
		}
		if known {
			if fi != guess {
				ti.after[prev].Store(int32(fi)) // learnt: the next object likely has the same order
			}
			prev = fi + 1
			guess = int(ti.after[prev].Load())
		}
		var end int
		if !known {
			if end, err = ds.skip(vi); err != nil {
				return end, err
			}
			if ti.tracked {
				if rec == nil {
					rec = new(record)
				}
				rec.addUnknown(ds, ds.string(key), cloneBytes(d[vi:end]))
			}
		} else {
			f := &ti.fields[fi]
			fp := unsafe.Add(p, f.offset)
			if present&(1<<fi) != 0 { // a repeated key: the last one wins
				zeroAt(f.typ, fp)
				if rec != nil {
					rec.dropKept(fi)
				}
			}
			present |= 1 << fi
			ok := true
			if d[vi] == '"' && f.objectLike {
				end, ok, err = ti.decodeQuoted(ds, vi, fi, fp, &rec)
			} else {
				// The field's own decoder, called from here: the usual
				// value costs no call beside it.
				lossy := ds.lossy
				ds.lossy = false
				end, err = f.dec(ds, vi, fp)
				gotLossy := ds.lossy
				ds.lossy = lossy
				if err != nil || gotLossy {
					ok, err = ti.unusualField(ds, vi, end, fi, fp, &rec, err)
				}
			}
			if err != nil {
				return end, err
			}
			misfit = misfit || !ok
		}
		if end+1 < len(d) && d[end] == ',' && d[end+1] == '"' {
			i = end + 1 // the next key, as compact JSON has it: no call
			continue
		}
		if i, more, err = ds.next(end, '}', "after object key:value pair"); err != nil {
			return i, err
		}
	}
	if err := ds.close(misfit); err != nil {
		return i, err
	}
	if ti.tracked {
		if rec == nil && !ti.usual(present, p) {
			rec = new(record)
		}
		if rec != nil {
			rec.present = present | decodedBit
			ti.rawAt(p).r = rec
		}
	}
	return i, nil
}

// unusualField settles field fi at fp, whose value data[i:end] its
// decoder did not decode as usual: err is errMisfit (the value does not
// fit, and is kept in *rec), another error (malformed JSON, returned), or
// nil for a lossy value (kept in *rec with what it decoded to, to be
// written as sent while unchanged). An untracked struct has no record: a
// misfit is reported with ok false.
func (ti *typeInfo) unusualField(ds *decodeState, i, end, fi int, fp unsafe.Pointer, rec **record, err error) (ok bool, _ error) {
	f := &ti.fields[fi]
	switch {
	case errors.Is(err, errMisfit):
		zeroAt(f.typ, fp)
		if !ti.tracked {
			return false, nil
		}
		ds.misfitType = nil
		keep(rec, keptField{field: fi, key: f.name, raw: cloneBytes(ds.data[i:end])})
	case err != nil:
		return false, err
	case ti.tracked: // lossy
		if snap, err := f.enc(nil, fp); err == nil {
			keep(rec, keptField{field: fi, key: f.name, raw: cloneBytes(ds.data[i:end]), snapshot: snap})
		}
	}
	return true, nil
}

// decodeQuoted decodes a string sent for an object or list field: the
// string's content when it is the JSON of a value that fits, and the
// string is kept to be written back as sent.
func (ti *typeInfo) decodeQuoted(ds *decodeState, i, fi int, fp unsafe.Pointer, rec **record) (int, bool, error) {
	f := &ti.fields[fi]
	content, end, view, err := ds.content(i)
	if err != nil {
		return end, false, err
	}
	if !view { // its own copy: the decode below uses scratch
		content = append([]byte(nil), content...)
	}
	sub := decodeState{data: content, depth: ds.depth, scratch: ds.scratch}
	fits := false
	if j := skipWS(content, 0); j < len(content) {
		e, err := f.dec(&sub, j, fp)
		fits = err == nil && skipWS(content, e) == len(content)
	}
	ds.scratch = sub.scratch
	var snap []byte
	if fits {
		snap, err = f.enc(nil, fp)
		fits = err == nil
	}
	if !fits {
		zeroAt(f.typ, fp)
		if !ti.tracked {
			_, _ = ds.misfitAt(i, end, f.typ)
			return end, false, nil
		}
		keep(rec, keptField{field: fi, key: f.name, raw: cloneBytes(ds.data[i:end])})
		return end, true, nil
	}
	if ti.tracked {
		keep(rec, keptField{field: fi, key: f.name, raw: cloneBytes(ds.data[i:end]), snapshot: snap, quoted: true})
	}
	return end, true, nil
}

func keep(rec **record, k keptField) {
	if *rec == nil {
		*rec = new(record)
	}
	(*rec).kept = append((*rec).kept, k)
}

func (r *record) dropKept(fi int) {
	kept := r.kept[:0]
	for _, k := range r.kept {
		if k.field != fi {
			kept = append(kept, k)
		}
	}
	r.kept = kept
}

// indexFrom is how many undeclared keys an object may have before the
// decoder looks them up in a map rather than one by one.
const indexFrom = 8

// addUnknown keeps an undeclared key's value; a repeated key replaces the
// value kept (the last one wins). r.index finds the keys once there are
// many, so that n keys cost O(n), not O(n²).
func (r *record) addUnknown(ds *decodeState, key string, raw []byte) {
	if r.index == nil && len(r.unknown) >= indexFrom {
		r.index = make(map[string]int, 2*len(r.unknown))
		for i, m := range r.unknown {
			r.index[m.key] = i
		}
		ds.compared += len(r.unknown)
	}
	if r.index != nil {
		ds.compared++
		if i, ok := r.index[key]; ok {
			r.unknown[i].raw = raw
			return
		}
		r.index[key] = len(r.unknown)
	} else {
		for i := range r.unknown {
			ds.compared++
			if r.unknown[i].key == key {
				r.unknown[i].raw = raw
				return
			}
		}
	}
	r.unknown = append(r.unknown, member{key, raw})
}

// usual reports whether the decoded struct had exactly the keys its tags
// would write: then it needs no record to encode as it came.
func (ti *typeInfo) usual(present uint64, p unsafe.Pointer) bool {
	if present&ti.always != ti.always {
		return false
	}
	for m := present & ti.omit; m != 0; m &= m - 1 {
		f := &ti.fields[bits.TrailingZeros64(m)]
		fp := unsafe.Add(p, f.offset)
		if f.omitEmpty && f.empty(fp) || f.omitZero && isZeroAt(f.typ, fp) {
			return false
		}
	}
	return true
}

// ---- compiling ----

func hasRawFields(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		if isRaw(t.Field(i).Type) {
			return true
		}
	}
	return false
}

// plainStruct reports whether the decoder can handle struct type t field
// by field: no embedded fields, no ,string option.
func plainStruct(t reflect.Type) bool {
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			return false
		}
		for _, opt := range bytes.Split([]byte(sf.Tag.Get("json")), []byte(",")) {
			if string(opt) == "string" {
				return false
			}
		}
	}
	return true
}

func implementsUnmarshaler(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(unmarshalerType) || pt.Implements(textUnmarshalerTyp)
}

func compileDecoder(t reflect.Type) decodeFn {
	if st := stringTypeOf(t); st != nil {
		return stringDecoder(t, st)
	}
	switch {
	case t == rawMessageType:
		return decodeRawMessage
	case hasRawFields(t):
		return infoLocked(t).decode
	case reflect.PointerTo(t).Implements(unmarshalerType):
		return unmarshalerDecoder(t)
	case implementsUnmarshaler(t):
		return fallbackDecoder(t)
	}
	switch t.Kind() {
	case reflect.Struct:
		if plainStruct(t) {
			return infoLocked(t).decode
		}
	case reflect.Pointer:
		return pointerDecoder(t)
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			return sliceDecoder(t)
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return mapDecoder(t)
		}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return decodeInterface
		}
	case reflect.String:
		return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
			if ds.data[i] != '"' {
				return ds.misfit(i, t)
			}
			s, end, err := ds.str(i)
			*(*string)(p) = s
			return end, err
		}
	case reflect.Bool:
		return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
			switch ds.data[i] {
			case 't':
				*(*bool)(p) = true
				return ds.literal(i, "true")
			case 'f':
				*(*bool)(p) = false
				return ds.literal(i, "false")
			}
			return ds.misfit(i, t)
		}
	case reflect.Int, reflect.Int64:
		if t.Size() == 8 { // int and int64 (on 32-bit platforms, int goes to encoding/json)
			return intDecoder(t)
		}
	case reflect.Float64:
		return floatDecoder(t)
	}
	return fallbackDecoder(t)
}

// fallbackDecoder hands the value to encoding/json (types with their own
// UnmarshalJSON, and any the decoder does not handle itself).
func fallbackDecoder(t reflect.Type) decodeFn {
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		end, err := ds.skip(i)
		if err != nil {
			return end, err
		}
		if json.Unmarshal(ds.data[i:end], reflect.NewAt(t, p).Interface()) != nil {
			return ds.misfitAt(i, end, t)
		}
		return end, nil
	}
}

// unmarshalerDecoder calls the UnmarshalJSON of type t (FieldValue…).
func unmarshalerDecoder(t reflect.Type) decodeFn {
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		end, err := ds.skip(i)
		if err != nil {
			return end, err
		}
		if reflect.NewAt(t, p).Interface().(json.Unmarshaler).UnmarshalJSON(ds.data[i:end]) != nil {
			return ds.misfitAt(i, end, t)
		}
		return end, nil
	}
}

// stringDecoder decodes a type taught with RegisterString.
func stringDecoder(t reflect.Type, st *stringCodec) decodeFn {
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		d := ds.data
		if d[i] == 'n' {
			st.zero(p) // the zero value encodes as null
			return ds.literal(i, "null")
		}
		if d[i] != '"' {
			return ds.misfit(i, t)
		}
		s, end, _, err := ds.content(i)
		if err != nil {
			return end, err
		}
		// A view of the bytes, not a copy: Parse does not keep it.
		ok, exact := st.parse(unsafe.String(unsafe.SliceData(s), len(s)), p)
		if !ok { // kept as sent
			return ds.misfitAt(i, end, t)
		}
		if !exact {
			ds.lossy = true // it does not write back as sent: keep it while unchanged
		}
		return end, nil
	}
}

func decodeRawMessage(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
	end, err := ds.skip(i)
	if err != nil {
		return end, err
	}
	*(*json.RawMessage)(p) = append(json.RawMessage(nil), ds.data[i:end]...)
	return end, nil
}

func pointerDecoder(t reflect.Type) decodeFn {
	elem := t.Elem()
	ec := codecLocked(elem) // its dec may still be compiling: read it at run time
	alloc := func() unsafe.Pointer { return reflect.New(elem).UnsafePointer() }
	if elem.Size() <= 8 && elem.Align() <= 8 && !hasPointers(elem) && stringTypeOf(elem) == nil {
		// *bool, *int64, *float64…: a word of the decode's slab.
		return scalarPointerDecoder(ec)
	}
	st := stringTypeOf(elem)
	var sk *structKind
	if st == nil && elem.Kind() == reflect.Struct && elem.Size() > 0 {
		sk = newStructKind(elem)
	}
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		if ds.data[i] == 'n' {
			*(*unsafe.Pointer)(p) = nil
			return ds.literal(i, "null")
		}
		var np unsafe.Pointer
		switch {
		case st != nil: // *Time…: from the decode's slab
			np = ds.newValue(st)
		case elem == stringType:
			return ds.decodeStringPointer(ec, i, p)
		case sk != nil: // *Customer…: from the decode's slab of them
			np = ds.newStruct(sk)
		default:
			np = alloc()
		}
		end, err := ec.dec(ds, i, np)
		if err != nil {
			if sk != nil {
				zeroAt(elem, np) // its slot is spent: it keeps nothing alive
			}
			return end, err
		}
		*(*unsafe.Pointer)(p) = np
		return end, nil
	}
}

// structKind is a struct type that pointers point to, for the decode's
// slabs of them.
type structKind struct {
	slot int // in decodeState.structs
	// arrays[k] is [1<<k]T, up to the most values a slab holds (a slab
	// is one array: reflect.New allocates it alone, where MakeSlice
	// would allocate a slice header too).
	arrays []reflect.Type
	size   uintptr
}

// Slabs of pointed-to structs: a decode keeps one slab for each of
// structSlots kinds at once (kinds that share a slot take turns), and a
// slab holds at most 16 values and at most about structSlabBytes (at
// least one value): what a value kept keeps alive with it is bounded.
const (
	structSlots     = 16
	structSlabBytes = 4096
)

// structKinds counts the kinds made, under infoMu: each takes the next
// slot, round.
var structKinds int

func newStructKind(t reflect.Type) *structKind {
	sk := &structKind{slot: structKinds % structSlots, size: t.Size()}
	structKinds++
	for n := uintptr(1); n <= 16 && (n == 1 || n*t.Size() <= structSlabBytes); n *= 2 {
		sk.arrays = append(sk.arrays, reflect.ArrayOf(int(n), t))
	}
	return sk
}

// structSlab is a slab of pointed-to structs of one kind.
type structSlab struct {
	kind    *structKind
	base    unsafe.Pointer // n values in a row
	used, n int32
	grown   uint8
}

// newStruct returns a pointer to a new zero struct of kind sk, from the
// decode's slab of them: the decode's first alone, then for each kind the
// first alone and slabs of 2, 4…
// up to the largest of sk.arrays (a small answer allocates about what it
// needs).
func (ds *decodeState) newStruct(sk *structKind) unsafe.Pointer {
	if ds.structs == nil {
		if !ds.oneStruct { // the first alone: an answer with one needs no slabs
			ds.oneStruct = true
			return reflect.New(sk.arrays[0]).UnsafePointer()
		}
		ds.structs = new([structSlots]structSlab)
	}
	s := &ds.structs[sk.slot]
	if s.kind != sk {
		*s = structSlab{kind: sk}
	}
	if s.used == s.n {
		// Each value takes two bytes of the input at least ({}).
		k := max(0, min(int(s.grown), len(sk.arrays)-1, bits.Len(uint(len(ds.data)/2))-1))
		if k == int(s.grown) {
			s.grown++
		}
		s.base, s.used, s.n = reflect.New(sk.arrays[k]).UnsafePointer(), 0, 1<<k
	}
	// Never past the last value: a pointer past an object is no pointer
	// the collector may see.
	p := unsafe.Add(s.base, uintptr(s.used)*sk.size)
	s.used++
	return p
}

// decodeStringPointer decodes a *string: a short string's header from
// the decode's slab, a long one's alone (a value kept keeps at most
// strSlabLen short strings alive with it).
func (ds *decodeState) decodeStringPointer(ec *codec, i int, p unsafe.Pointer) (int, error) {
	if len(ds.strSlab) == 0 {
		ds.strSlab = make([]string, ds.slabLen(&ds.strSlabGrown, strSlabLen))
	}
	sp := &ds.strSlab[0]
	end, err := ec.dec(ds, i, unsafe.Pointer(sp))
	if err != nil {
		*sp = "" // the slot goes to the next one
		return end, err
	}
	if len(*sp) > shortStr {
		long := new(string)
		*long, *sp = *sp, ""
		sp = long
	} else {
		ds.strSlab = ds.strSlab[1:]
	}
	*(*unsafe.Pointer)(p) = unsafe.Pointer(sp)
	return end, nil
}

// slabWords is how many pointed-to scalars (*bool, *int64…) a decode
// allocates at once: a scalar kept keeps at most this many words alive.
const slabWords = 32

// scalarPointerDecoder decodes a pointer to a type of at most a word
// without pointers, taking the word from the decode's slab.
func scalarPointerDecoder(ec *codec) decodeFn {
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		if ds.data[i] == 'n' {
			*(*unsafe.Pointer)(p) = nil
			return ds.literal(i, "null")
		}
		if len(ds.slab) == 0 {
			ds.slab = make([]uint64, ds.slabLen(&ds.slabGrown, slabWords))
		}
		np := unsafe.Pointer(&ds.slab[0])
		end, err := ec.dec(ds, i, np)
		if err != nil {
			*(*uint64)(np) = 0 // the word goes to the next one
			return end, err
		}
		ds.slab = ds.slab[1:]
		*(*unsafe.Pointer)(p) = np
		return end, nil
	}
}

// hasPointers reports whether a value of type t holds pointers.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}

func sliceDecoder(t reflect.Type) decodeFn {
	ec := codecLocked(t.Elem())
	size := t.Elem().Size()
	at := newPtrTo(t)
	// The length of the list this decoder last decoded: the next one
	// (most often the same field of the next object of a page) starts
	// with that many slots rather than doubling from one, so a page's
	// lists are allocated once, at their size. It only ever sizes one
	// allocation, never more than the input left could fill (each
	// element takes at least two bytes of it), so what a decode
	// allocates stays linear in its input.
	var hint atomic.Int32
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		d := ds.data
		h := (*sliceHeader)(p)
		switch d[i] {
		case 'n':
			*h = sliceHeader{}
			return ds.literal(i, "null")
		case '[':
		default:
			return ds.misfit(i, t)
		}
		h.len = 0
		if h.data == nil {
			h.data = unsafe.Pointer(&zeroBase) // [] is an empty list, not null
		}
		i, more, err := ds.open(i, ']')
		if err != nil {
			return i, err
		}
		if more {
			if n := min(int(hint.Load()), (len(d)-i)/2+1); n > h.cap {
				at.elem(p).Grow(n)
			}
		}
		misfit := false
		for more {
			if i >= len(d) {
				return i, ds.syntax(i, "")
			}
			if h.len == h.cap {
				at.elem(p).Grow(1)
			}
			h.len++
			end, err := ec.dec(ds, i, unsafe.Add(h.data, uintptr(h.len-1)*size))
			if err = noteMisfit(err, &misfit); err != nil {
				return end, err
			}
			if i, more, err = ds.next(end, ']', "after array element"); err != nil {
				return i, err
			}
		}
		if n := int32(min(h.len, math.MaxInt32)); hint.Load() != n {
			hint.Store(n) // written only when it changes: one cache line, shared by every decode
		}
		if err := ds.close(misfit); err != nil {
			return i, err
		}
		return i, nil
	}
}

func mapDecoder(t reflect.Type) decodeFn {
	kt, et := t.Key(), t.Elem()
	if kt == stringType {
		// The maps the model has, without reflect: a map of them cost
		// reflect.MakeMap, a key and an element from reflect.New, and
		// SetZero, SetString and SetMapIndex an entry.
		switch et {
		case anyType:
			return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
				if end, ok, err := mapStart[any](ds, i, t, p); !ok {
					return end, err
				}
				v, end, err := ds.object(i)
				if err == nil {
					*(*map[string]any)(p) = v
				}
				return end, err
			}
		case rawMessageType:
			return plainMapDecoder(t, func(ds *decodeState, i int) (json.RawMessage, int, error) {
				end, err := ds.skip(i)
				if err != nil {
					return nil, end, err
				}
				return append(json.RawMessage(nil), ds.data[i:end]...), end, nil
			})
		case stringType:
			return plainMapDecoder(t, func(ds *decodeState, i int) (string, int, error) {
				if ds.data[i] != '"' {
					end, err := ds.misfit(i, stringType)
					return "", end, err
				}
				return ds.str(i)
			})
		case boolType:
			return plainMapDecoder(t, func(ds *decodeState, i int) (bool, int, error) {
				switch ds.data[i] {
				case 't':
					end, err := ds.literal(i, "true")
					return true, end, err
				case 'f':
					end, err := ds.literal(i, "false")
					return false, end, err
				}
				end, err := ds.misfit(i, boolType)
				return false, end, err
			})
		}
	}
	ec := codecLocked(et)
	at := newPtrTo(t)
	// One key and one element for all the entries of a map (SetMapIndex
	// copies them), and for the maps after it.
	type scratch struct{ k, e reflect.Value }
	var pool sync.Pool
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		d := ds.data
		switch d[i] {
		case 'n':
			*(*unsafe.Pointer)(p) = nil // a map is a pointer
			return ds.literal(i, "null")
		case '{':
		default:
			return ds.misfit(i, t)
		}
		m := reflect.MakeMap(t)
		i, more, err := ds.open(i, '}')
		if err != nil {
			return i, err
		}
		misfit := false
		var sc *scratch
		if more {
			if sc, _ = pool.Get().(*scratch); sc == nil {
				sc = &scratch{reflect.New(kt).Elem(), reflect.New(et).Elem()}
			}
		}
		for more {
			key, vi, err := ds.key(i)
			if err != nil {
				return vi, err
			}
			end, err := ec.dec(ds, vi, sc.e.Addr().UnsafePointer())
			switch {
			case errors.Is(err, errMisfit):
				misfit = true
			case err != nil:
				return end, err
			default:
				sc.k.SetString(ds.string(key))
				m.SetMapIndex(sc.k, sc.e)
			}
			sc.e.SetZero() // for the next entry, and keeping nothing alive
			if i, more, err = ds.next(end, '}', "after object key:value pair"); err != nil {
				return i, err
			}
		}
		if sc != nil {
			sc.k.SetString("")
			pool.Put(sc)
		}
		if err := ds.close(misfit); err != nil {
			return i, err
		}
		at.elem(p).Set(m)
		return i, nil
	}
}

// mapStart reads what a map[string]V (of type t) at p starts with: ok
// when it is an object, at data[i]. A null sets the map to nil and a value
// of another kind is a misfit; either ends the map at end.
func mapStart[V any](ds *decodeState, i int, t reflect.Type, p unsafe.Pointer) (end int, ok bool, err error) {
	switch ds.data[i] {
	case '{':
		return i, true, nil
	case 'n':
		*(*map[string]V)(p) = nil
		end, err = ds.literal(i, "null")
	default:
		end, err = ds.misfit(i, t)
	}
	return end, false, err
}

// plainMapDecoder decodes a map[string]V (of type t), reading each value
// with elem: a value that does not fit leaves its key out, and the map is
// a misfit.
func plainMapDecoder[V any](t reflect.Type, elem func(ds *decodeState, i int) (V, int, error)) decodeFn {
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		if end, ok, err := mapStart[V](ds, i, t, p); !ok {
			return end, err
		}
		m := map[string]V{}
		i, more, err := ds.open(i, '}')
		if err != nil {
			return i, err
		}
		misfit := false
		for more {
			key, vi, err := ds.key(i)
			if err != nil {
				return vi, err
			}
			v, end, err := elem(ds, vi)
			switch {
			case errors.Is(err, errMisfit):
				misfit = true
			case err != nil:
				return end, err
			default:
				m[ds.string(key)] = v
			}
			if i, more, err = ds.next(end, '}', "after object key:value pair"); err != nil {
				return i, err
			}
		}
		if err := ds.close(misfit); err != nil {
			return i, err
		}
		*(*map[string]V)(p) = m
		return i, nil
	}
}

func decodeInterface(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
	v, end, err := ds.any(i)
	if err == nil {
		*(*any)(p) = v
	}
	return end, err
}

// any decodes the value at data[i] as encoding/json does into an
// interface: map[string]any, []any, float64, string, bool or nil.
func (ds *decodeState) any(i int) (any, int, error) {
	d := ds.data
	switch c := d[i]; {
	case c == '{':
		v, end, err := ds.object(i)
		return v, end, err
	case c == '[':
		list := []any{}
		i, more, err := ds.open(i, ']')
		if err != nil {
			return nil, i, err
		}
		misfit := false
		for more {
			if i >= len(d) {
				return nil, i, ds.syntax(i, "")
			}
			v, end, err := ds.any(i)
			if err = noteMisfit(err, &misfit); err != nil {
				return nil, end, err
			}
			list = append(list, v)
			if i, more, err = ds.next(end, ']', "after array element"); err != nil {
				return nil, i, err
			}
		}
		if err := ds.close(misfit); err != nil {
			return nil, i, err
		}
		return list, i, nil
	case c == '"':
		s, end, err := ds.str(i)
		return ds.boxString(s), end, err
	case c == 't':
		end, err := ds.literal(i, "true")
		return true, end, err
	case c == 'f':
		end, err := ds.literal(i, "false")
		return false, end, err
	case c == 'n':
		end, err := ds.literal(i, "null")
		return nil, end, err
	case c == '-' || '0' <= c && c <= '9':
		end, isInt, err := ds.scanNumber(i)
		if err != nil {
			return nil, end, err
		}
		num := d[i:end]
		if isInt && len(num) <= 15 { // exact in a float64
			n, _ := parseInt(num)
			return ds.boxFloat(float64(n)), end, nil
		}
		f, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			_, err = ds.misfitAt(i, end, reflect.TypeFor[float64]())
			return nil, end, err
		}
		if !exactFloat(num, isInt, f) {
			ds.lossy = true
		}
		return ds.boxFloat(f), end, nil
	}
	end, err := ds.skip(i)
	return nil, end, err
}

// object decodes the object at data[i] into a map[string]any.
func (ds *decodeState) object(i int) (map[string]any, int, error) {
	m := map[string]any{}
	i, more, err := ds.open(i, '}')
	if err != nil {
		return nil, i, err
	}
	misfit := false
	for more {
		key, vi, err := ds.key(i)
		if err != nil {
			return nil, vi, err
		}
		v, end, err := ds.any(vi)
		if err = noteMisfit(err, &misfit); err != nil {
			return nil, end, err
		}
		m[ds.string(key)] = v
		if i, more, err = ds.next(end, '}', "after object key:value pair"); err != nil {
			return nil, i, err
		}
	}
	if err := ds.close(misfit); err != nil {
		return nil, i, err
	}
	return m, i, nil
}

// noteMisfit notes in *misfit a member or element that did not fit: that
// is no error for the object or list holding it.
func noteMisfit(err error, misfit *bool) error {
	if err == nil { // the usual case, without a call
		return nil
	}
	if errors.Is(err, errMisfit) {
		*misfit = true
		return nil
	}
	return err
}

// exactFloat reports whether float f, parsed from literal num, encodes
// back to the same number. A decimal of at most 15 significant digits is
// the only one of them a normal float64 rounds from; more digits, an
// underflow to zero or a subnormal may not come back (trailing zeros
// count: it may say false of an exact one, never true of a lost one).
func exactFloat(num []byte, isInt bool, f float64) bool {
	if isInt {
		return exactInt(num, f)
	}
	digits, zero := 0, true
	for _, c := range num {
		if c == 'e' || c == 'E' {
			break
		}
		if c < '0' || c > '9' || zero && c == '0' {
			continue // a sign, the point, a leading zero
		}
		zero = false
		digits++
	}
	return zero || digits <= 15 && math.Abs(f) >= 0x1p-1022
}

// exactInt reports whether float f holds integer literal num exactly, so
// that it encodes back to the same digits.
func exactInt(num []byte, f float64) bool {
	if len(num) <= 15 {
		return true
	}
	n, ok := parseInt(num)
	return ok && float64(n) == f && int64(f) == n
}

// parseInt parses a validated integer literal; ok is false if it does
// not fit an int64.
func parseInt(b []byte) (int64, bool) {
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

// number reads the number at data[i] for a field of type t: a value of
// another kind is a misfit.
func (ds *decodeState) number(i int, t reflect.Type) (num []byte, isInt bool, end int, err error) {
	if c := ds.data[i]; c != '-' && (c < '0' || c > '9') {
		end, err = ds.misfit(i, t)
		return nil, false, end, err
	}
	if end, isInt, err = ds.scanNumber(i); err != nil {
		return nil, false, end, err
	}
	return ds.data[i:end], isInt, end, nil
}

// intDecoder decodes a 64-bit integer type (int, int64).
func intDecoder(t reflect.Type) decodeFn {
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		num, isInt, end, err := ds.number(i, t)
		if err != nil {
			return end, err
		}
		n, ok := int64(0), false
		if isInt {
			n, ok = parseInt(num)
		}
		if !ok {
			return ds.misfitAt(i, end, t)
		}
		*(*int64)(p) = n
		return end, nil
	}
}

// floatDecoder decodes float64.
func floatDecoder(t reflect.Type) decodeFn {
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		num, isInt, end, err := ds.number(i, t)
		if err != nil {
			return end, err
		}
		f, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			return ds.misfitAt(i, end, t)
		}
		if !exactFloat(num, isInt, f) {
			ds.lossy = true
		}
		*(*float64)(p) = f
		return end, nil
	}
}
