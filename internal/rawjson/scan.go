package rawjson

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The scanner: it validates JSON as encoding/json does, with the same
// errors, and reads strings, numbers and literals for the decoder.

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
	// compared counts the entries of records compared while decoding
	// (the test that holds decoding linear reads it).
	compared int
	// lookups counts the keys looked up in a struct's fields by name: the
	// ones that were not the field guessed (the test of the guess reads it).
	lookups int
	// slab is where pointed-to scalars (*bool, *int64…) and the floats
	// of interfaces are taken from.
	slab []uint64
	// strs is where short strings' bytes are taken from; strSlab, the
	// short strings *string fields and interfaces point to; vals, the
	// values of a type taught with RegisterString that pointers point to
	// (*Time). A long string never shares: what a value kept keeps alive
	// with it is bounded.
	strs    []byte
	strSlab []string
	vals    valueSlab
	// structs has the slabs that pointed-to structs come from (see
	// newStruct), from the first one.
	structs   *[structSlots]structSlab
	oneStruct bool // the first came alone, before structs
	// scratch is where content writes a string's value when it has
	// escapes (scratchPool's, from the first until the decode ends).
	scratch []byte
	// How often each slab grew (see slabLen).
	slabGrown, strSlabGrown, valsGrown uint8
}

// valueSlab holds values of one registered string type for its pointers.
type valueSlab struct {
	st   *stringCodec
	base unsafe.Pointer // n values in a row
	used int
	n    int
}

// slabLen is the length of a new slab of at most limit values, the kind
// counted by grown: 4, then twice the last, up to limit and no more than
// the input can fill (each value takes a few bytes of it). A small answer
// allocates about what it needs, not whole slabs.
func (ds *decodeState) slabLen(grown *uint8, limit int) int {
	n := min(limit, 4<<*grown, len(ds.data)/4+1)
	if n < limit {
		*grown++
	}
	return n
}

// Sizes of the decode's slabs: what one value kept alive keeps with it.
const (
	strChunk   = 2048 // bytes of short strings
	shortStr   = 128  // the longest string taken from strChunk
	strSlabLen = 16   // short strings for *string fields and interfaces
	valSlabLen = 16   // values of a registered type, for pointers to it
)

// string returns b as a string of its own: a short one copied into the
// decode's chunk of string bytes (one allocation for many strings; a
// string kept keeps at most strChunk bytes alive), a long one alone.
func (ds *decodeState) string(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > shortStr {
		return string(b)
	}
	if len(ds.strs) < n {
		// At most half the input (keys and quotes take the rest): a small
		// answer's strings take about what they need, not a whole chunk.
		ds.strs = make([]byte, max(min(strChunk, len(ds.data)/2), n))
	}
	copy(ds.strs, b)
	s := unsafe.String(unsafe.SliceData(ds.strs), n)
	ds.strs = ds.strs[n:]
	return s
}

// eface is the layout of an interface{}.
type eface struct {
	typ, data unsafe.Pointer
}

// The type words of string and float64 in an interface.
var (
	stringTypeWord = typeWord("")
	floatTypeWord  = typeWord(0.0)
)

func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// boxString returns s in an interface, a short one's string header taken
// from the decode's slab of strings (an interface holds a pointer to its
// value; the value is never written again).
func (ds *decodeState) boxString(s string) (v any) {
	if len(s) == 0 || len(s) > shortStr { // a long one alone
		return s
	}
	if len(ds.strSlab) == 0 {
		ds.strSlab = make([]string, ds.slabLen(&ds.strSlabGrown, strSlabLen))
	}
	p := &ds.strSlab[0]
	ds.strSlab = ds.strSlab[1:]
	*p = s
	*(*eface)(unsafe.Pointer(&v)) = eface{stringTypeWord, unsafe.Pointer(p)}
	return v
}

// boxFloat returns f in an interface, its value taken from the decode's
// slab of words.
func (ds *decodeState) boxFloat(f float64) (v any) {
	if len(ds.slab) == 0 {
		ds.slab = make([]uint64, ds.slabLen(&ds.slabGrown, slabWords))
	}
	p := &ds.slab[0]
	ds.slab = ds.slab[1:]
	*p = math.Float64bits(f)
	*(*eface)(unsafe.Pointer(&v)) = eface{floatTypeWord, unsafe.Pointer(p)}
	return v
}

// newValue returns a pointer to a new zero value of registered type st,
// from the decode's slab of them.
func (ds *decodeState) newValue(st *stringCodec) unsafe.Pointer {
	v := &ds.vals
	if v.st != st || v.used == v.n {
		n := ds.slabLen(&ds.valsGrown, valSlabLen)
		*v = valueSlab{st: st, base: st.allocN(n), n: n}
	}
	// Never past the last value: a pointer past an object is no pointer
	// the collector may see.
	p := unsafe.Add(v.base, uintptr(v.used)*st.size)
	v.used++
	return p
}

// syntaxError is malformed JSON, at byte Offset.
type syntaxError struct {
	msg    string
	Offset int64
}

func (e *syntaxError) Error() string { return e.msg }

// end checks nothing but spaces follows the top-level value.
func (ds *decodeState) end(i int) error {
	i = skipWS(ds.data, i)
	if i != len(ds.data) {
		return ds.syntax(i, "after top-level value")
	}
	return nil
}

// skipWS returns the index of the first byte at or after d[i] that is not
// JSON whitespace. Any byte above a space is not: one comparison decides
// the usual case, a compact payload's.
func skipWS(d []byte, i int) int {
	for i < len(d) {
		if c := d[i]; c > ' ' || c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
		i++
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

// literal reads lit (null, true or false) at data[i] and returns the index
// past it. Inlined with a constant lit, the usual case is one comparison
// of a word.
func (ds *decodeState) literal(i int, lit string) (int, error) {
	if d := ds.data; len(d)-i >= len(lit) && string(d[i:i+len(lit)]) == lit {
		return i + len(lit), nil
	}
	return ds.misliteral(i, lit)
}

// misliteral is literal's error: at the first byte that is not lit's.
func (ds *decodeState) misliteral(i int, lit string) (int, error) {
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
		// Eight bytes at a time up to the next quote, backslash or
		// control byte (SWAR: one 64-bit word holds eight bytes).
		for i+8 <= len(d) {
			w := binary.LittleEndian.Uint64(d[i:])
			if m := specialBytes(w); m != 0 {
				first := bits.TrailingZeros64(m) / 8
				if w&(1<<(8*first)-1)&hiBits != 0 { // non-ASCII before it
					plain = false
				}
				i += first
				break
			}
			if w&hiBits != 0 {
				plain = false
			}
			i += 8
		}
		if i >= len(d) {
			break
		}
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

const (
	loBits = 0x0101010101010101
	hiBits = 0x8080808080808080
)

// specialBytes has the high bit of each byte of w that is a quote, a
// backslash or a control byte (below 0x20) set, and of none before the
// first such byte: its lowest set bit marks the first.
func specialBytes(w uint64) uint64 {
	q := w ^ (loBits * '"')
	bs := w ^ (loBits * '\\')
	return (((q - loBits) &^ q) | ((bs - loBits) &^ bs) | ((w - loBits*0x20) &^ w)) & hiBits
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// str decodes the string at data[i] (a quote).
func (ds *decodeState) str(i int) (string, int, error) {
	v, end, _, err := ds.content(i)
	if err != nil {
		return "", end, err
	}
	return ds.string(v), end, nil // a copy: v is the input's or scratch
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
	case c == '{' || c == '[':
		closing, context := byte(']'), "after array element"
		if c == '{' {
			closing, context = '}', "after object key:value pair"
		}
		i, more, err := ds.open(i, closing)
		for more && err == nil {
			if c == '{' {
				var end int
				if end, _, err = ds.scanKey(i); err != nil {
					return end, err
				}
				if i, err = ds.colon(end); err != nil {
					return i, err
				}
			}
			if i, err = ds.skip(i); err != nil {
				return i, err
			}
			i, more, err = ds.next(i, closing, context)
		}
		if err == nil {
			err = ds.close(false)
		}
		return i, err
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

// open enters the object or list starting at data[i] ('{' or '['), that
// closing ends: it returns the index of its first member, or more false
// and the index past closing when it is empty. close leaves it.
func (ds *decodeState) open(i int, closing byte) (int, bool, error) {
	if ds.depth++; ds.depth > maxDepth {
		return i, false, errors.New("exceeded max depth")
	}
	i = skipWS(ds.data, i+1)
	if i < len(ds.data) && ds.data[i] == closing {
		return i + 1, false, nil
	}
	return i, true, nil
}

// close leaves the object or list that open entered: errMisfit when one
// of its members or elements did not fit.
func (ds *decodeState) close(misfit bool) error {
	ds.depth--
	if misfit {
		return errMisfit
	}
	return nil
}

// scanKey validates the object key at data[i], as scanString does, after
// checking there is one.
func (ds *decodeState) scanKey(i int) (end int, plain bool, err error) {
	if i >= len(ds.data) || ds.data[i] != '"' {
		return i, false, ds.syntax(i, "looking for beginning of object key string")
	}
	return ds.scanString(i)
}

// content returns the value of the string at data[i] (a quote), and
// the index past it: a view of the input when it has no escapes and is
// valid UTF-8 (view true), otherwise the decoded value in ds.scratch,
// valid until the next call (the caller copies what it keeps). It
// validates and decodes in one pass, as scanString and encoding/json do
// (escapes resolved, invalid UTF-8 and lone surrogates replaced by
// U+FFFD), eight bytes at a time up to the next quote, backslash,
// control or non-ASCII byte.
func (ds *decodeState) content(i int) (v []byte, end int, view bool, err error) {
	d := ds.data
	r := i + 1
	for {
		for r+8 <= len(d) {
			w := binary.LittleEndian.Uint64(d[r:])
			if m := specialBytes(w) | w&hiBits; m != 0 {
				r += bits.TrailingZeros64(m) / 8
				break
			}
			r += 8
		}
		if r >= len(d) {
			return nil, len(d), false, ds.syntax(len(d), "")
		}
		switch c := d[r]; {
		case c == '"':
			return d[i+1 : r], r + 1, true, nil
		case c == '\\':
			v, end, err := ds.unescapeFrom(i, r)
			return v, end, false, err
		case c < 0x20:
			return nil, r, false, ds.syntax(r, "in string literal")
		case c < utf8.RuneSelf:
			r++ // the last few bytes, one at a time
		default:
			if n := multiByte(d, r); n != 0 {
				r += n // valid
				continue
			}
			if rr, size := utf8.DecodeRune(d[r:]); rr != utf8.RuneError || size != 1 {
				r += size // valid
				continue
			}
			v, end, err := ds.unescapeFrom(i, r)
			return v, end, false, err
		}
	}
}

// unescapeFrom decodes the string at data[i] (a quote) whose bytes
// before data[r] are plain, into ds.scratch, which keeps what it grew to.
func (ds *decodeState) unescapeFrom(i, r int) ([]byte, int, error) {
	b, end, err := ds.unescape(append(ds.scratchBuf(), ds.data[i+1:r]...), r)
	ds.scratch = b
	if err != nil {
		return nil, end, err
	}
	return b, end, nil
}

// unescape goes on with the string whose value up to data[r], an escape
// or invalid UTF-8, is b: it appends the rest of the value to b and
// returns b, grown, also with an error. Plain bytes are copied a word at a time as they
// are read (b keeps room for a word past its end).
func (ds *decodeState) unescape(b []byte, r int) ([]byte, int, error) {
	d := ds.data
	for {
		for r+8 <= len(d) {
			if cap(b)-len(b) < 8 {
				b = slices.Grow(b, 8)
			}
			w := binary.LittleEndian.Uint64(d[r:])
			o := len(b)
			binary.LittleEndian.PutUint64(b[o:o+8], w)
			if m := specialBytes(w) | w&hiBits; m != 0 {
				k := bits.TrailingZeros64(m) / 8
				b = b[:o+k]
				r += k
				break
			}
			b = b[:o+8]
			r += 8
		}
		if r >= len(d) {
			return b, len(d), ds.syntax(len(d), "")
		}
		switch c := d[r]; {
		case c == '"':
			return b, r + 1, nil
		case c == '\\':
			if r+1 >= len(d) {
				return b, r + 1, ds.syntax(r+1, "")
			}
			n := 2 // a backslash and its escape
			switch d[r+1] {
			case '"', '\\', '/':
				b = append(b, d[r+1])
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
				for k := 2; k <= 5; k++ {
					if r+k >= len(d) {
						return b, r + k, ds.syntax(r+k, "")
					}
					if !isHex(d[r+k]) {
						return b, r + k, ds.syntax(r+k, "in \\u hexadecimal character escape")
					}
				}
				rr := getu4(d[r:])
				n = 6
				if utf16.IsSurrogate(rr) {
					pair := unicode.ReplacementChar // a lone surrogate
					// The next escape is validated on its own turn when it
					// is not the pair's second half.
					if rr1 := getu4(d[r+6:]); rr1 >= 0 {
						if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
							pair, n = dec, 12
						}
					}
					rr = pair
				}
				b = utf8.AppendRune(b, rr)
			default:
				return b, r + 1, ds.syntax(r+1, "in string escape code")
			}
			r += n
		case c < 0x20:
			return b, r, ds.syntax(r, "in string literal")
		case c < utf8.RuneSelf:
			b = append(b, c) // the last few bytes, one at a time
			r++
		default:
			switch multiByte(d, r) {
			case 2:
				b = append(b, c, d[r+1])
				r += 2
				continue
			case 3:
				b = append(b, c, d[r+1], d[r+2])
				r += 3
				continue
			}
			rr, size := utf8.DecodeRune(d[r:])
			if rr == utf8.RuneError && size == 1 {
				b = append(b, "\uFFFD"...)
			} else {
				b = append(b, d[r:r+size]...)
			}
			r += size
		}
	}
}

// multiByte returns the length of the valid two- or three-byte UTF-8
// sequence at d[r], or 0 for any other (four bytes, invalid, cut short):
// the common non-ASCII characters (accented letters, €, —, most scripts)
// without utf8.DecodeRune's call, which takes the rest.
func multiByte(d []byte, r int) int {
	if r+2 >= len(d) { // the string's closing quote is still to come
		return 0
	}
	c, c1 := d[r], d[r+1]
	switch {
	case c1&0xC0 != 0x80:
		return 0
	case c < 0xE0:
		if c >= 0xC2 {
			return 2
		}
		return 0
	// Three bytes: no overlong form (E0 under A0) and no surrogate (ED
	// from A0).
	case c < 0xF0 && d[r+2]&0xC0 == 0x80 && (c != 0xE0 || c1 >= 0xA0) && (c != 0xED || c1 < 0xA0):
		return 3
	}
	return 0
}

// scratchBuf returns the decode's scratch buffer, emptied: taken from
// scratchPool on first use, returned to it when the decode ends.
func (ds *decodeState) scratchBuf() []byte {
	if ds.scratch == nil {
		if p, ok := scratchPool.Get().(*[]byte); ok {
			ds.scratch = *p
		} else {
			ds.scratch = make([]byte, 0, 256)
		}
	}
	return ds.scratch[:0]
}

// releaseScratch returns the decode's scratch buffer to scratchPool,
// unless it is large: what the pool holds stays bounded.
func (ds *decodeState) releaseScratch() {
	if ds.scratch != nil && cap(ds.scratch) <= maxPooledScratch {
		b := ds.scratch[:0]
		scratchPool.Put(&b)
	}
	ds.scratch = nil
}

// maxPooledScratch is the largest scratch buffer scratchPool keeps.
const maxPooledScratch = 1 << 20

// scratchPool holds scratch buffers of ended decodes (*[]byte).
var scratchPool sync.Pool

// key reads the object key at data[i] (a quote) and returns it, as a view
// of the input when it has no escapes, and the start of its value.
func (ds *decodeState) key(i int) ([]byte, int, error) {
	if i >= len(ds.data) || ds.data[i] != '"' {
		return nil, i, ds.syntax(i, "looking for beginning of object key string")
	}
	k, end, view, err := ds.content(i)
	if err != nil {
		return nil, end, err
	}
	if !view { // escaped: its own copy, as the value may use scratch
		k = append([]byte(nil), k...)
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
