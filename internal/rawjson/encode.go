package rawjson

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The encoder writes what encoding/json would for a value built in Go,
// and, for a decoded one, what was decoded: the keys that came (and no
// others, unless set since), values kept as sent, and unknown fields.

// encodeFn appends the JSON of the value at p to b.
type encodeFn func(b []byte, p unsafe.Pointer) ([]byte, error)

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// encode appends the JSON object of the struct at p.
func (ti *typeInfo) encode(b []byte, p unsafe.Pointer) ([]byte, error) {
	var rec *record
	if ti.tracked {
		rec = ti.rawAt(p).r
	}
	decoded := rec != nil && rec.present&decodedBit != 0
	b = append(b, '{')
	n := 0
	var err error
	for fi := range ti.fields {
		f := &ti.fields[fi]
		fp := unsafe.Add(p, f.offset)
		var emit bool
		switch {
		case !decoded: // the struct tags decide
			emit = (!f.omitEmpty || !f.empty(fp)) && (!f.omitZero || !isZeroAt(f.typ, fp))
		case rec.present&(1<<fi) != 0: // it came: it goes back
			emit = true
		default: // it did not come: only if set since
			emit = !isZeroAt(f.typ, fp)
		}
		if !emit {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, f.prefix...)
		if rec != nil && len(rec.kept) > 0 {
			if k := rec.keptFor(fi); k != nil {
				var done bool
				if b, done, err = k.write(b, f, fp); err != nil {
					return nil, err
				} else if done {
					continue
				}
			}
		}
		if b, err = f.enc(b, fp); err != nil {
			return nil, err
		}
	}
	if rec != nil {
		for _, m := range rec.unknown {
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = AppendString(b, m.key)
			b = append(b, ':')
			b = append(b, m.raw...)
		}
	}
	return append(b, '}'), nil
}

// write appends the kept value while it stands; done is false when the
// field has changed since and is to be encoded from its value.
func (k *keptField) write(b []byte, f *fieldInfo, fp unsafe.Pointer) ([]byte, bool, error) {
	if k.snapshot == nil {
		if isZeroAt(f.typ, fp) {
			return append(b, k.raw...), true, nil
		}
		return b, false, nil
	}
	cur, err := f.enc(nil, fp)
	switch {
	case err != nil:
		return b, false, err
	case bytes.Equal(cur, k.snapshot):
		return append(b, k.raw...), true, nil
	case k.quoted: // the API's shape: a string holding the JSON
		return AppendString(b, string(cur)), true, nil
	}
	return append(b, cur...), true, nil
}

func compileEncoder(t reflect.Type) encodeFn {
	if st := stringTypeOf(t); st != nil {
		return func(b []byte, p unsafe.Pointer) ([]byte, error) { return st.append(b, p), nil }
	}
	switch {
	case hasRawFields(t):
		return infoLocked(t).encode
	case t.Kind() == reflect.Pointer && t.Elem().Implements(marshalerType):
		// The promoted MarshalJSON of a value receiver: the pointer
		// encoder below encodes the value in place, with the value's own
		// encoder, rather than through a copy and a buffer of its own.
	case t.Implements(marshalerType):
		return marshalerEncoder(t)
	case t.Implements(textMarshalerType), reflect.PointerTo(t).Implements(marshalerType),
		reflect.PointerTo(t).Implements(textMarshalerType):
		return fallbackEncoder(t)
	}
	switch t.Kind() {
	case reflect.Struct:
		if plainStruct(t) {
			return infoLocked(t).encode
		}
	case reflect.String:
		return func(b []byte, p unsafe.Pointer) ([]byte, error) { return AppendString(b, *(*string)(p)), nil }
	case reflect.Bool:
		return func(b []byte, p unsafe.Pointer) ([]byte, error) { return strconv.AppendBool(b, *(*bool)(p)), nil }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			return strconv.AppendInt(b, reflect.NewAt(t, p).Elem().Int(), 10), nil
		}
	case reflect.Float32, reflect.Float64:
		bits := int(t.Size() * 8)
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			return appendFloat(b, reflect.NewAt(t, p).Elem().Float(), bits)
		}
	case reflect.Pointer:
		ec := codecLocked(t.Elem())
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			ep := *(*unsafe.Pointer)(p)
			if ep == nil {
				return append(b, "null"...), nil
			}
			return ec.enc(b, ep)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			break // base64, as encoding/json writes []byte
		}
		ec := codecLocked(t.Elem())
		size := t.Elem().Size()
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			h := (*sliceHeader)(p)
			if h.data == nil {
				return append(b, "null"...), nil
			}
			b = append(b, '[')
			var err error
			for i := range h.len {
				if i > 0 {
					b = append(b, ',')
				}
				if b, err = ec.enc(b, unsafe.Add(h.data, uintptr(i)*size)); err != nil {
					return nil, err
				}
			}
			return append(b, ']'), nil
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String && !t.Key().Implements(textMarshalerType) {
			return mapEncoder(t)
		}
	case reflect.Interface:
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			return appendAny(b, reflect.NewAt(t, p).Elem().Interface())
		}
	}
	return fallbackEncoder(t)
}

// marshalerEncoder calls the MarshalJSON of type t (json.RawMessage,
// FieldValue…).
func marshalerEncoder(t reflect.Type) encodeFn {
	if t == rawMessageType { // what its MarshalJSON returns, without boxing it
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			if m := *(*json.RawMessage)(p); m != nil {
				return append(b, m...), nil
			}
			return append(b, "null"...), nil
		}
	}
	if k := t.Kind(); k != reflect.Pointer && k != reflect.Interface {
		// A value receiver, called through a pointer to the value: the
		// same method, and no copy of the value boxed in an interface.
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			out, err := reflect.NewAt(t, p).Interface().(json.Marshaler).MarshalJSON()
			if err != nil {
				return nil, err
			}
			return append(b, out...), nil
		}
	}
	return func(b []byte, p unsafe.Pointer) ([]byte, error) {
		v := reflect.NewAt(t, p).Elem()
		if (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface) && v.IsNil() {
			return append(b, "null"...), nil
		}
		out, err := v.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return nil, err
		}
		return append(b, out...), nil
	}
}

// fallbackEncoder hands the value to encoding/json.
func fallbackEncoder(t reflect.Type) encodeFn {
	return func(b []byte, p unsafe.Pointer) ([]byte, error) {
		out, err := json.Marshal(reflect.NewAt(t, p).Elem().Interface())
		if err != nil {
			return nil, err
		}
		return append(b, out...), nil
	}
}

func mapEncoder(t reflect.Type) encodeFn {
	if t.Key() == stringType && t.Elem() == anyType {
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			return appendAnyMap(b, *(*map[string]any)(p))
		}
	}
	if t.Key() == stringType && t.Elem() == rawMessageType {
		// Integrations, external data…: each value as it came, in the
		// order of the sorted keys, nothing copied.
		return func(b []byte, p unsafe.Pointer) ([]byte, error) {
			m := *(*map[string]json.RawMessage)(p)
			if m == nil {
				return append(b, "null"...), nil
			}
			var small [smallMap]string
			b = append(b, '{')
			for i, k := range sortedKeys(small[:0], m) {
				if i > 0 {
					b = append(b, ',')
				}
				b = AppendString(b, k)
				b = append(b, ':')
				if v := m[k]; v != nil {
					b = append(b, v...)
				} else {
					b = append(b, "null"...)
				}
			}
			return append(b, '}'), nil
		}
	}
	ec := codecLocked(t.Elem())
	valsType := reflect.SliceOf(t.Elem())
	size := t.Elem().Size()
	// The values are copied into a slice and the keys sorted beside
	// their index in it, both kept from one map to the next in a pool:
	// no allocation a map once the pool holds one as large.
	type entry struct {
		key string
		i   int
	}
	type scratch struct {
		key     reflect.Value // settable, of the key type
		vals    reflect.Value // []elem, its length its capacity
		entries []entry
	}
	var pool sync.Pool
	return func(b []byte, p unsafe.Pointer) ([]byte, error) {
		m := reflect.NewAt(t, p).Elem()
		if m.IsNil() {
			return append(b, "null"...), nil
		}
		n := m.Len()
		if n == 0 {
			return append(b, "{}"...), nil
		}
		s, _ := pool.Get().(*scratch)
		if s == nil {
			s = &scratch{key: reflect.New(t.Key()).Elem()}
		}
		if !s.vals.IsValid() || s.vals.Len() < n {
			s.vals = reflect.MakeSlice(valsType, n, n)
		}
		entries := s.entries[:0]
		var it reflect.MapIter
		it.Reset(m)
		for it.Next() && len(entries) < n {
			s.key.SetIterKey(&it)
			s.vals.Index(len(entries)).SetIterValue(&it)
			entries = append(entries, entry{s.key.String(), len(entries)})
		}
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		base := s.vals.UnsafePointer()
		b = append(b, '{')
		var err error
		for i, e := range entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, e.key)
			b = append(b, ':')
			if b, err = ec.enc(b, unsafe.Add(base, uintptr(e.i)*size)); err != nil {
				break
			}
		}
		// What goes back to the pool holds nothing of this map.
		for i := range entries {
			s.vals.Index(i).SetZero()
		}
		s.key.SetZero()
		clear(entries)
		if s.entries = entries[:0]; n <= maxPooledMap {
			pool.Put(s)
		}
		if err != nil {
			return nil, err
		}
		return append(b, '}'), nil
	}
}

// maxPooledMap is the most entries of a map whose scratch space goes back
// to its encoder's pool.
const maxPooledMap = 1024

// appendAny appends v as encoding/json would.
func appendAny(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return AppendString(b, x), nil
	case float64:
		return appendFloat(b, x, 64)
	case bool:
		return strconv.AppendBool(b, x), nil
	case map[string]any:
		return appendAnyMap(b, x)
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		var err error
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendAny(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, out...), nil
}

func appendAnyMap(b []byte, m map[string]any) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	var small [smallMap]string
	b = append(b, '{')
	var err error
	for i, k := range sortedKeys(small[:0], m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, k)
		b = append(b, ':')
		if b, err = appendAny(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// smallMap is the most keys a map's encoder sorts in an array on its
// stack, rather than in a slice it allocates.
const smallMap = 16

// sortedKeys appends m's keys to keys, sorted.
func sortedKeys[V any](keys []string, m map[string]V) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// appendFloat writes f as encoding/json does (ES6 number formatting).
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, &json.UnsupportedValueError{Value: reflect.ValueOf(f), Str: strconv.FormatFloat(f, 'g', -1, bits)}
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' { // e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// Tracks reports whether T is a struct with a Raw field, encoded by its
// table: in place inside another value (MarshalArray), it writes what its
// MarshalJSON, rawjson.Marshal, writes.
func Tracks[T any]() bool { return hasRawFields(reflect.TypeFor[T]()) }

// arraySizes holds, for each element type, about the largest encoding
// MarshalArray wrote lately (*atomic.Int64), as typeInfo.size does for a
// struct.
var arraySizes sync.Map // reflect.Type → *atomic.Int64

// MarshalArray returns head, the JSON array of items, and what tail
// appends, in one buffer sized from the previous encoding of a list of T.
// Each item is encoded in place into that buffer, as a field is, rather
// than into a buffer of its own that is checked and copied: the array is
// what encoding/json writes around each item's MarshalJSON (compacted,
// <, >, &, U+2028 and U+2029 escaped). An item is rewritten so only when
// a value it keeps as sent (an unknown key's, a json.RawMessage) holds
// one of those or a space between tokens: one quick pass tells. items nil
// is []: a list is never null.
func MarshalArray[T any](head string, items []T, tail func(b []byte) []byte) ([]byte, error) {
	t := reflect.TypeFor[T]()
	size, ok := arraySizes.Load(t)
	if !ok {
		size, _ = arraySizes.LoadOrStore(t, new(atomic.Int64))
	}
	hint := size.(*atomic.Int64)
	old := hint.Load()
	b := make([]byte, 0, max(64, int(old)))
	b = append(b, head...)
	b = append(b, '[')
	if len(items) > 0 {
		ec := codecOf(t)
		var err error
		for i := range items {
			if i > 0 {
				b = append(b, ',')
			}
			start := len(b)
			if b, err = ec.enc(b, unsafe.Pointer(&items[i])); err != nil {
				return nil, err
			}
			if !htmlSafeCompact(b[start:]) {
				// What encoding/json makes of a MarshalJSON's output.
				fixed, err := json.Marshal(json.RawMessage(b[start:]))
				if err != nil {
					return nil, err
				}
				b = append(b[:start], fixed...)
			}
		}
	}
	b = tail(append(b, ']'))
	if next := max(int64(len(b)), old-old/8); next != old {
		hint.Store(next) // racing calls may lose an update: only a hint
	}
	return b, nil
}

// htmlSafeCompact reports whether the JSON b is as encoding/json leaves a
// MarshalJSON's output: no space between tokens, and no <, >, &, U+2028
// or U+2029 in a string. It reads eight bytes at a time: <, >, &, a
// control byte (a tab, a newline: in valid JSON, only between tokens) or
// U+2028 anywhere is one; a space is one outside a string, which the
// parity of the quotes before it tells (a word with a backslash is read
// byte by byte, for its escaped quotes).
func htmlSafeCompact(b []byte) bool {
	in, esc := false, false // in a string; the byte is escaped
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if (zeroBytes(w|loBits*2^loBits*'>')|zeroBytes(w^loBits*'&')|(w-loBits*0x20)&^w)&hiBits != 0 {
			return false // the lowest bit of each term is exact: one is there
		}
		if w&hiBits != 0 && lineSeparatorIn(b, i, exactZeroBytes(w^loBits*0xE2)) {
			return false
		}
		if esc || zeroBytes(w^loBits*'\\')&hiBits != 0 {
			for _, c := range b[i : i+8] {
				if !compactStep(c, &in, &esc) {
					return false
				}
			}
			continue
		}
		sp := zeroBytes(w^loBits*' ') & hiBits   // not 0: a space is there
		if zeroBytes(w^loBits*'"')&hiBits == 0 { // no quote: in or out throughout
			if sp != 0 && !in {
				return false
			}
			continue
		}
		q := exactZeroBytes(w ^ loBits*'"')
		if sp != 0 {
			sp = exactZeroBytes(w ^ loBits*' ')
			// The high bit of each byte: in a string up to it (its own
			// quote included), from the quotes' running parity.
			inside := q ^ q<<8
			inside ^= inside << 16
			inside ^= inside << 32
			if in {
				inside ^= hiBits
			}
			if sp&^inside != 0 {
				return false
			}
		}
		if bits.OnesCount64(q)&1 == 1 {
			in = !in
		}
	}
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '<' || c == '>' || c == '&' || c < ' ':
			return false
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && b[i+2]&^1 == 0xA8:
			return false
		case !compactStep(c, &in, &esc):
			return false
		}
	}
	return true
}

// compactStep follows one byte of htmlSafeCompact's input through strings
// and their escapes, and reports false for a space outside a string.
func compactStep(c byte, in, esc *bool) bool {
	switch {
	case *esc:
		*esc = false
	case c == '\\':
		*esc = true
	case c == '"':
		*in = !*in
	case c == ' ' && !*in:
		return false
	}
	return true
}

// lineSeparatorIn reports whether one of the bytes 0xE2 that e marks (the
// high bit of each, in the word at b[i:]) starts U+2028 or U+2029.
func lineSeparatorIn(b []byte, i int, e uint64) bool {
	for ; e != 0; e &= e - 1 {
		j := i + bits.TrailingZeros64(e)/8
		if j+2 < len(b) && b[j+1] == 0x80 && b[j+2]&^1 == 0xA8 {
			return true
		}
	}
	return false
}

// zeroBytes has the high bit set of w's lowest zero byte, and perhaps of
// bytes above it, but of none below it.
func zeroBytes(w uint64) uint64 { return (w - loBits) &^ w }

// exactZeroBytes has the high bit set of each zero byte of w, and of no
// other.
func exactZeroBytes(w uint64) uint64 {
	const low7 = loBits * 0x7F
	return ^((w&low7 + low7) | w | low7)
}
