package gorgias

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The decoder reads the JSON once: it validates it as it goes, writes the
// typed fields straight from the bytes, and notes on the way which keys
// each object had and what it could not type. A value that does not fit
// its field never fails the object holding it: the nearest response type
// keeps it in its RawFields. Only malformed JSON is an error.

// decodeFn decodes the JSON value starting at data[i] into the value at p
// and returns the index just past it. errMisfit means the value is valid
// JSON that does not fit the Go type (it has been skipped).
type decodeFn func(ds *decodeState, i int, p unsafe.Pointer) (int, error)

// errMisfit is returned, with the value's end, for a valid JSON value that
// does not fit its Go type.
var errMisfit = errors.New("gorgias: the value does not fit its field")

// maxDepth bounds nesting, as encoding/json does.
const maxDepth = 10000

type decodeState struct {
	data  []byte
	depth int
	// lossy: the value decoded does not encode back to what was sent (a
	// number decoded into an interface lost digits, a datetime has
	// nanoseconds): the nearest response type keeps it as sent.
	lossy bool
	// The innermost value that did not fit, for the error when nothing
	// can keep it.
	misfitValue string
	misfitType  reflect.Type
	misfitOff   int
}

// syntaxError is malformed JSON, at byte Offset.
type syntaxError struct {
	msg    string
	Offset int64
}

func (e *syntaxError) Error() string { return e.msg }

var (
	timeType           = reflect.TypeFor[Time]()
	rawMessageType     = reflect.TypeFor[json.RawMessage]()
	stringType         = reflect.TypeFor[string]()
	anyType            = reflect.TypeFor[any]()
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
	if errors.Is(err, errMisfit) {
		return &json.UnmarshalTypeError{Value: ds.misfitValue, Type: ds.misfitType, Offset: int64(ds.misfitOff)}
	}
	if err != nil {
		return err
	}
	return ds.end(end)
}

// end checks nothing but spaces follows the top-level value.
func (ds *decodeState) end(i int) error {
	i = skipWS(ds.data, i)
	if i != len(ds.data) {
		return ds.syntax(i, "after top-level value")
	}
	return nil
}

func skipWS(d []byte, i int) int {
	for i < len(d) {
		switch d[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func (ds *decodeState) syntax(i int, context string) error {
	if i >= len(ds.data) {
		return &syntaxError{"unexpected end of JSON input", int64(i)}
	}
	return &syntaxError{fmt.Sprintf("invalid character %s %s", quoteChar(ds.data[i]), context), int64(i)}
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
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

func (ds *decodeState) literal(i int, lit string) (int, error) {
	d := ds.data
	for k := 0; k < len(lit); k++ {
		if i+k >= len(d) {
			return i + k, ds.syntax(i+k, "")
		}
		if d[i+k] != lit[k] {
			return i + k, ds.syntax(i+k, "in literal "+lit+" (expecting "+quoteChar(lit[k])+")")
		}
	}
	return i + len(lit), nil
}

// scanString validates the string starting at data[i] (a quote) and
// returns the index past its closing quote, and whether it is plain: no
// escapes and only ASCII, so its bytes are its value.
func (ds *decodeState) scanString(i int) (end int, plain bool, err error) {
	d := ds.data
	plain = true
	i++
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			return i + 1, plain, nil
		case c == '\\':
			plain = false
			i++
			if i >= len(d) {
				return i, false, ds.syntax(i, "")
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				for k := 1; k <= 4; k++ {
					if i+k >= len(d) {
						return i + k, false, ds.syntax(i+k, "")
					}
					if !isHex(d[i+k]) {
						return i + k, false, ds.syntax(i+k, "in \\u hexadecimal character escape")
					}
				}
				i += 5
			default:
				return i, false, ds.syntax(i, "in string escape code")
			}
		case c < 0x20:
			return i, false, ds.syntax(i, "in string literal")
		default:
			if c >= utf8.RuneSelf {
				plain = false
			}
			i++
		}
	}
	return i, false, ds.syntax(i, "")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// str decodes the string at data[i] (a quote).
func (ds *decodeState) str(i int) (string, int, error) {
	end, plain, err := ds.scanString(i)
	if err != nil {
		return "", end, err
	}
	if plain {
		return string(ds.data[i+1 : end-1]), end, nil
	}
	return string(unquote(ds.data[i+1 : end-1])), end, nil
}

// scanNumber validates the number at data[i] and returns its end and
// whether it is an integer (no fraction, no exponent).
func (ds *decodeState) scanNumber(i int) (end int, isInt bool, err error) {
	d := ds.data
	j := i
	if d[j] == '-' {
		j++
	}
	if j >= len(d) {
		return j, false, ds.syntax(j, "")
	}
	switch c := d[j]; {
	case c == '0':
		j++
	case '1' <= c && c <= '9':
		j++
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
	default:
		return j, false, ds.syntax(j, "in numeric literal")
	}
	isInt = true
	if j < len(d) && d[j] == '.' {
		isInt = false
		j++
		if j >= len(d) || d[j] < '0' || d[j] > '9' {
			return j, false, ds.syntax(j, "after decimal point in numeric literal")
		}
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
	}
	if j < len(d) && (d[j] == 'e' || d[j] == 'E') {
		isInt = false
		j++
		if j < len(d) && (d[j] == '+' || d[j] == '-') {
			j++
		}
		if j >= len(d) || d[j] < '0' || d[j] > '9' {
			return j, false, ds.syntax(j, "in exponent of numeric literal")
		}
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
	}
	return j, isInt, nil
}

// skip validates the value at data[i] and returns its end.
func (ds *decodeState) skip(i int) (int, error) {
	d := ds.data
	if i >= len(d) {
		return i, ds.syntax(i, "")
	}
	switch c := d[i]; {
	case c == '"':
		end, _, err := ds.scanString(i)
		return end, err
	case c == '{':
		if ds.depth++; ds.depth > maxDepth {
			return i, errors.New("exceeded max depth")
		}
		i = skipWS(d, i+1)
		if i < len(d) && d[i] == '}' {
			ds.depth--
			return i + 1, nil
		}
		for {
			if i >= len(d) || d[i] != '"' {
				return i, ds.syntax(i, "looking for beginning of object key string")
			}
			end, _, err := ds.scanString(i)
			if err != nil {
				return end, err
			}
			if i, err = ds.colon(end); err != nil {
				return i, err
			}
			if i, err = ds.skip(i); err != nil {
				return i, err
			}
			i = skipWS(d, i)
			if i < len(d) && d[i] == ',' {
				i = skipWS(d, i+1)
				continue
			}
			if i < len(d) && d[i] == '}' {
				ds.depth--
				return i + 1, nil
			}
			return i, ds.syntax(i, "after object key:value pair")
		}
	case c == '[':
		if ds.depth++; ds.depth > maxDepth {
			return i, errors.New("exceeded max depth")
		}
		i = skipWS(d, i+1)
		if i < len(d) && d[i] == ']' {
			ds.depth--
			return i + 1, nil
		}
		for {
			var err error
			if i, err = ds.skip(i); err != nil {
				return i, err
			}
			i = skipWS(d, i)
			if i < len(d) && d[i] == ',' {
				i = skipWS(d, i+1)
				continue
			}
			if i < len(d) && d[i] == ']' {
				ds.depth--
				return i + 1, nil
			}
			return i, ds.syntax(i, "after array element")
		}
	case c == '-' || '0' <= c && c <= '9':
		end, _, err := ds.scanNumber(i)
		return end, err
	case c == 't':
		return ds.literal(i, "true")
	case c == 'f':
		return ds.literal(i, "false")
	case c == 'n':
		return ds.literal(i, "null")
	}
	return i, ds.syntax(i, "looking for beginning of value")
}

// colon expects a colon after an object key ending at i and returns the
// start of the value.
func (ds *decodeState) colon(i int) (int, error) {
	i = skipWS(ds.data, i)
	if i >= len(ds.data) || ds.data[i] != ':' {
		return i, ds.syntax(i, "after object key")
	}
	i = skipWS(ds.data, i+1)
	if i >= len(ds.data) {
		return i, ds.syntax(i, "")
	}
	return i, nil
}

// key reads the object key at data[i] (a quote) and returns it, as a view
// of the input when it has no escapes, and the start of its value.
func (ds *decodeState) key(i int) ([]byte, int, error) {
	if i >= len(ds.data) || ds.data[i] != '"' {
		return nil, i, ds.syntax(i, "looking for beginning of object key string")
	}
	end, plain, err := ds.scanString(i)
	if err != nil {
		return nil, end, err
	}
	k := ds.data[i+1 : end-1]
	if !plain {
		k = unquote(k)
	}
	i, err = ds.colon(end)
	return k, i, err
}

// next moves past the comma or closing byte after a member or element:
// it returns more=true after a comma.
func (ds *decodeState) next(i int, closing byte, context string) (int, bool, error) {
	i = skipWS(ds.data, i)
	if i < len(ds.data) {
		switch ds.data[i] {
		case ',':
			return skipWS(ds.data, i+1), true, nil
		case closing:
			return i + 1, false, nil
		}
	}
	return i, false, ds.syntax(i, context)
}

// unquote returns the value of the validated string s (without quotes),
// as encoding/json does: escapes resolved, invalid UTF-8 and lone
// surrogates replaced by U+FFFD.
func unquote(s []byte) []byte {
	r := 0
	for r < len(s) {
		c := s[r]
		if c == '\\' || c < ' ' {
			break
		}
		if c < utf8.RuneSelf {
			r++
			continue
		}
		rr, size := utf8.DecodeRune(s[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+2*utf8.UTFMax)
	b = append(b, s[:r]...)
	for r < len(s) {
		switch c := s[r]; {
		case c == '\\':
			r++
			switch s[r] {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r-1:])
				r += 4
				if utf16.IsSurrogate(rr) {
					if rr1 := getu4(s[r+1:]); rr1 >= 0 {
						if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
							b = utf8.AppendRune(b, dec)
							r += 7
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
			default: // " \ /
				b = append(b, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return b
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

func cloneBytes(b []byte) []byte {
	if len(b) == 4 && string(b) == "null" {
		return nullJSON
	}
	return append([]byte(nil), b...)
}

// ---- objects ----

// decode decodes a JSON object into the struct at p.
func (ti *typeInfo) decode(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
	d := ds.data
	if d[i] != '{' {
		return ds.misfit(i, ti.typ)
	}
	if ds.depth++; ds.depth > maxDepth {
		return i, errors.New("exceeded max depth")
	}
	var (
		present uint64
		rec     *rawRecord
		misfit  bool // an untracked struct has a field that does not fit
	)
	i = skipWS(d, i+1)
	more := i >= len(d) || d[i] != '}'
	if !more {
		i++
	}
	for more {
		key, vi, err := ds.key(i)
		if err != nil {
			return vi, err
		}
		fi, known := ti.byName[string(key)]
		var end int
		if !known {
			if end, err = ds.skip(vi); err != nil {
				return end, err
			}
			if ti.tracked {
				if rec == nil {
					rec = new(rawRecord)
				}
				rec.addUnknown(string(key), cloneBytes(d[vi:end]))
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
			var ok bool
			if end, ok, err = ti.decodeField(ds, vi, fi, fp, &rec); err != nil {
				return end, err
			}
			misfit = misfit || !ok
		}
		if i, more, err = ds.next(end, '}', "after object key:value pair"); err != nil {
			return i, err
		}
	}
	ds.depth--
	if misfit {
		return i, errMisfit
	}
	if ti.tracked {
		if rec == nil && !ti.usual(present, p) {
			rec = new(rawRecord)
		}
		if rec != nil {
			rec.present = present | decodedBit
			(*RawFields)(unsafe.Add(p, ti.rawOffset)).r = rec
		}
	}
	return i, nil
}

// decodeField decodes the value at data[i] into field fi at fp. A value
// that does not fit is kept in *rec (ok stays true); an untracked struct
// has no record, and reports it with ok false.
func (ti *typeInfo) decodeField(ds *decodeState, i, fi int, fp unsafe.Pointer, rec **rawRecord) (end int, ok bool, err error) {
	f := &ti.fields[fi]
	d := ds.data
	if d[i] == '"' && f.objectLike {
		return ti.decodeQuoted(ds, i, fi, fp, rec)
	}
	lossy := ds.lossy
	ds.lossy = false
	end, err = f.dec(ds, i, fp)
	gotLossy := ds.lossy
	ds.lossy = lossy
	switch {
	case errors.Is(err, errMisfit):
		zeroAt(f.typ, fp)
		if !ti.tracked {
			return end, false, nil
		}
		ds.misfitType = nil
		keep(rec, keptField{field: fi, key: f.name, raw: cloneBytes(d[i:end])})
		return end, true, nil
	case err != nil:
		return end, false, err
	case gotLossy && ti.tracked:
		if snap, err := f.enc(nil, fp); err == nil {
			keep(rec, keptField{field: fi, key: f.name, raw: cloneBytes(d[i:end]), snapshot: snap})
		}
	}
	return end, true, nil
}

// decodeQuoted decodes a string sent for an object or list field: the
// string's content when it is the JSON of a value that fits, and the
// string is kept to be written back as sent.
func (ti *typeInfo) decodeQuoted(ds *decodeState, i, fi int, fp unsafe.Pointer, rec **rawRecord) (int, bool, error) {
	f := &ti.fields[fi]
	end, plain, err := ds.scanString(i)
	if err != nil {
		return end, false, err
	}
	content := ds.data[i+1 : end-1]
	if !plain {
		content = unquote(content)
	}
	sub := decodeState{data: content, depth: ds.depth}
	fits := false
	if j := skipWS(content, 0); j < len(content) {
		e, err := f.dec(&sub, j, fp)
		fits = err == nil && skipWS(content, e) == len(content)
	}
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

func keep(rec **rawRecord, k keptField) {
	if *rec == nil {
		*rec = new(rawRecord)
	}
	(*rec).kept = append((*rec).kept, k)
}

func (r *rawRecord) dropKept(fi int) {
	kept := r.kept[:0]
	for _, k := range r.kept {
		if k.field != fi {
			kept = append(kept, k)
		}
	}
	r.kept = kept
}

func (r *rawRecord) addUnknown(key string, raw []byte) {
	for i := range r.unknown {
		if r.unknown[i].key == key { // a repeated key: the last one wins
			r.unknown[i].raw = raw
			return
		}
	}
	r.unknown = append(r.unknown, rawMember{key, raw})
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
		if t.Field(i).Type == rawFieldsType {
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
	switch {
	case t == timeType:
		return decodeTime
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
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intDecoder(t)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintDecoder(t)
	case reflect.Float32, reflect.Float64:
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

func decodeTime(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
	d := ds.data
	if d[i] == 'n' {
		*(*Time)(p) = Time{} // the zero Time encodes as null
		return ds.literal(i, "null")
	}
	if d[i] != '"' {
		return ds.misfit(i, timeType)
	}
	end, plain, err := ds.scanString(i)
	if err != nil {
		return end, err
	}
	s := d[i+1 : end-1]
	if !plain {
		s = unquote(s)
	}
	t, err := ParseTime(string(s))
	if err != nil || t.IsZero() { // kept as sent: "" or a datetime that does not parse
		return ds.misfitAt(i, end, timeType)
	}
	*(*Time)(p) = t
	if t.Nanosecond()%1000 != 0 {
		ds.lossy = true // finer than the microseconds Time writes: keep as sent
	}
	return end, nil
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
	var alloc func() unsafe.Pointer
	switch elem {
	case stringType:
		alloc = func() unsafe.Pointer { return unsafe.Pointer(new(string)) }
	case timeType:
		alloc = func() unsafe.Pointer { return unsafe.Pointer(new(Time)) }
	default:
		alloc = func() unsafe.Pointer { return reflect.New(elem).UnsafePointer() }
	}
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		if ds.data[i] == 'n' {
			*(*unsafe.Pointer)(p) = nil
			return ds.literal(i, "null")
		}
		np := alloc()
		end, err := ec.dec(ds, i, np)
		if err != nil {
			return end, err
		}
		*(*unsafe.Pointer)(p) = np
		return end, nil
	}
}

func sliceDecoder(t reflect.Type) decodeFn {
	ec := codecLocked(t.Elem())
	size := t.Elem().Size()
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
		if ds.depth++; ds.depth > maxDepth {
			return i, errors.New("exceeded max depth")
		}
		h.len = 0
		if h.data == nil {
			h.data = unsafe.Pointer(&zeroBase) // [] is an empty list, not null
		}
		i = skipWS(d, i+1)
		more := i >= len(d) || d[i] != ']'
		if !more {
			i++
		}
		misfit := false
		for more {
			if i >= len(d) {
				return i, ds.syntax(i, "")
			}
			if h.len == h.cap {
				reflect.NewAt(t, p).Elem().Grow(1)
			}
			h.len++
			end, err := ec.dec(ds, i, unsafe.Add(h.data, uintptr(h.len-1)*size))
			switch {
			case errors.Is(err, errMisfit):
				misfit = true
			case err != nil:
				return end, err
			}
			if i, more, err = ds.next(end, ']', "after array element"); err != nil {
				return i, err
			}
		}
		ds.depth--
		if misfit {
			return i, errMisfit
		}
		return i, nil
	}
}

func mapDecoder(t reflect.Type) decodeFn {
	kt, et := t.Key(), t.Elem()
	if kt == stringType && et == anyType {
		return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
			switch ds.data[i] {
			case 'n':
				*(*map[string]any)(p) = nil
				return ds.literal(i, "null")
			case '{':
			default:
				return ds.misfit(i, t)
			}
			v, end, err := ds.object(i)
			if err == nil {
				*(*map[string]any)(p) = v
			}
			return end, err
		}
	}
	ec := codecLocked(et)
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		d := ds.data
		switch d[i] {
		case 'n':
			zeroAt(t, p)
			return ds.literal(i, "null")
		case '{':
		default:
			return ds.misfit(i, t)
		}
		if ds.depth++; ds.depth > maxDepth {
			return i, errors.New("exceeded max depth")
		}
		m := reflect.MakeMap(t)
		i = skipWS(d, i+1)
		more := i >= len(d) || d[i] != '}'
		if !more {
			i++
		}
		misfit := false
		for more {
			key, vi, err := ds.key(i)
			if err != nil {
				return vi, err
			}
			ev := reflect.New(et)
			end, err := ec.dec(ds, vi, ev.UnsafePointer())
			switch {
			case errors.Is(err, errMisfit):
				misfit = true
			case err != nil:
				return end, err
			default:
				kv := reflect.ValueOf(string(key))
				if kt != stringType {
					kv = kv.Convert(kt)
				}
				m.SetMapIndex(kv, ev.Elem())
			}
			if i, more, err = ds.next(end, '}', "after object key:value pair"); err != nil {
				return i, err
			}
		}
		ds.depth--
		if misfit {
			return i, errMisfit
		}
		reflect.NewAt(t, p).Elem().Set(m)
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
		if ds.depth++; ds.depth > maxDepth {
			return nil, i, errors.New("exceeded max depth")
		}
		list := []any{}
		i = skipWS(d, i+1)
		more := i >= len(d) || d[i] != ']'
		if !more {
			i++
		}
		misfit := false
		for more {
			if i >= len(d) {
				return nil, i, ds.syntax(i, "")
			}
			v, end, err := ds.any(i)
			switch {
			case errors.Is(err, errMisfit):
				misfit = true
			case err != nil:
				return nil, end, err
			}
			list = append(list, v)
			if i, more, err = ds.next(end, ']', "after array element"); err != nil {
				return nil, i, err
			}
		}
		ds.depth--
		if misfit {
			return nil, i, errMisfit
		}
		return list, i, nil
	case c == '"':
		return ds.str(i)
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
			return float64(n), end, nil
		}
		f, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			_, err = ds.misfitAt(i, end, reflect.TypeFor[float64]())
			return nil, end, err
		}
		if isInt && !exactInt(num, f) {
			ds.lossy = true
		}
		return f, end, nil
	}
	end, err := ds.skip(i)
	return nil, end, err
}

// object decodes the object at data[i] into a map[string]any.
func (ds *decodeState) object(i int) (map[string]any, int, error) {
	d := ds.data
	if ds.depth++; ds.depth > maxDepth {
		return nil, i, errors.New("exceeded max depth")
	}
	m := map[string]any{}
	i = skipWS(d, i+1)
	more := i >= len(d) || d[i] != '}'
	if !more {
		i++
	}
	misfit := false
	for more {
		key, vi, err := ds.key(i)
		if err != nil {
			return nil, vi, err
		}
		v, end, err := ds.any(vi)
		switch {
		case errors.Is(err, errMisfit):
			misfit = true
		case err != nil:
			return nil, end, err
		}
		m[string(key)] = v
		if i, more, err = ds.next(end, '}', "after object key:value pair"); err != nil {
			return nil, i, err
		}
	}
	ds.depth--
	if misfit {
		return nil, i, errMisfit
	}
	return m, i, nil
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

func intDecoder(t reflect.Type) decodeFn {
	bitSize := int(t.Size() * 8)
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		c := ds.data[i]
		if c != '-' && (c < '0' || c > '9') {
			return ds.misfit(i, t)
		}
		end, isInt, err := ds.scanNumber(i)
		if err != nil {
			return end, err
		}
		n, ok := int64(0), false
		if isInt {
			n, ok = parseInt(ds.data[i:end])
		}
		if !ok || bitSize < 64 && (n < -1<<(bitSize-1) || n >= 1<<(bitSize-1)) {
			return ds.misfitAt(i, end, t)
		}
		switch bitSize {
		case 8:
			*(*int8)(p) = int8(n)
		case 16:
			*(*int16)(p) = int16(n)
		case 32:
			*(*int32)(p) = int32(n)
		default:
			*(*int64)(p) = n
		}
		return end, nil
	}
}

func uintDecoder(t reflect.Type) decodeFn {
	bitSize := int(t.Size() * 8)
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		c := ds.data[i]
		if c != '-' && (c < '0' || c > '9') {
			return ds.misfit(i, t)
		}
		end, isInt, err := ds.scanNumber(i)
		if err != nil {
			return end, err
		}
		num := ds.data[i:end]
		if !isInt || num[0] == '-' {
			return ds.misfitAt(i, end, t)
		}
		n, err := strconv.ParseUint(string(num), 10, bitSize)
		if err != nil {
			return ds.misfitAt(i, end, t)
		}
		switch bitSize {
		case 8:
			*(*uint8)(p) = uint8(n)
		case 16:
			*(*uint16)(p) = uint16(n)
		case 32:
			*(*uint32)(p) = uint32(n)
		default:
			*(*uint64)(p) = n
		}
		return end, nil
	}
}

func floatDecoder(t reflect.Type) decodeFn {
	bitSize := int(t.Size() * 8)
	return func(ds *decodeState, i int, p unsafe.Pointer) (int, error) {
		c := ds.data[i]
		if c != '-' && (c < '0' || c > '9') {
			return ds.misfit(i, t)
		}
		end, isInt, err := ds.scanNumber(i)
		if err != nil {
			return end, err
		}
		num := ds.data[i:end]
		f, err := strconv.ParseFloat(string(num), bitSize)
		if err != nil {
			return ds.misfitAt(i, end, t)
		}
		if isInt && !exactInt(num, f) {
			ds.lossy = true
		}
		if bitSize == 32 {
			*(*float32)(p) = float32(f)
		} else {
			*(*float64)(p) = f
		}
		return end, nil
	}
}
