package rawjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test types: a tracked object (item) holding tracked and untracked
// values, as the SDK's response types do, and a string-held type (day)
// taught with RegisterString.

type item struct {
	ID     int64          `json:"id"`
	Name   *string        `json:"name"`
	Title  string         `json:"title,omitempty"`
	Score  *float64       `json:"score"`
	Open   *bool          `json:"open"`
	Day    *day           `json:"day"`
	Since  day            `json:"since,omitzero"`
	Tags   []tag          `json:"tags"`
	Owner  *owner         `json:"owner"`
	Meta   map[string]any `json:"meta"`
	Labels map[string]int `json:"labels,omitempty"`
	Body   json.RawMessage
	Any    any    `json:"any"`
	Small  uint16 `json:"small,omitempty"` // not a type the decoder handles itself: encoding/json's
	Raw    Raw    `json:"-"`
}

// holder holds an untracked struct. plain is untracked: a value of it
// that does not fit goes to the nearest tracked struct, and one decoded
// encodes by its tags alone (keys it lacked are written).
type holder struct {
	Plain plain `json:"plain"`
	Raw   Raw   `json:"-"`
}

func (v *holder) UnmarshalJSON(data []byte) error { return Unmarshal(data, v) }
func (v holder) MarshalJSON() ([]byte, error)     { return Marshal(&v) }

func (v *item) UnmarshalJSON(data []byte) error { return Unmarshal(data, v) }
func (v item) MarshalJSON() ([]byte, error)     { return Marshal(&v) }

type tag struct {
	ID    int64   `json:"id"`
	Color *string `json:"color"`
	Raw   Raw     `json:"-"`
}

func (v *tag) UnmarshalJSON(data []byte) error { return Unmarshal(data, v) }
func (v tag) MarshalJSON() ([]byte, error)     { return Marshal(&v) }

// owner keeps its Raw in a wrapper type, as the SDK's RawFields does.
type owner struct {
	Email string     `json:"email"`
	Raw   namedRaw   `json:"-"`
	Tags  []tag      `json:"tags,omitempty"`
	Extra *ownerMore `json:"extra"`
}

type namedRaw struct{ raw Raw }

func (v *owner) UnmarshalJSON(data []byte) error { return Unmarshal(data, v) }
func (v owner) MarshalJSON() ([]byte, error)     { return Marshal(&v) }

type ownerMore struct {
	Note string `json:"note"`
	Raw  Raw    `json:"-"`
}

type plain struct {
	N int    `json:"n"`
	S string `json:"s"`
}

// day is a date held as "2006-01-02"; a time of day is not written back
// (inexact), "" and other strings do not fit.
type day struct{ t time.Time }

func init() {
	RegisterString(StringCodec[day]{
		Parse: func(s string) (day, bool, bool) {
			if t, err := time.Parse("2006-01-02", s); err == nil {
				return day{t}, true, true
			}
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				return day{t}, true, false
			}
			return day{}, false, false
		},
		Append: func(b []byte, d *day) []byte {
			if d.t.IsZero() {
				return append(b, "null"...)
			}
			return d.t.AppendFormat(append(b, '"'), `2006-01-02"`)
		},
	})
}

// sameJSON reports whether a and b are the same JSON, keys, nulls and
// empty lists included, numbers compared exactly.
func sameJSON(t testing.TB, a, b []byte) bool {
	t.Helper()
	return reflect.DeepEqual(generic(t, a), generic(t, b))
}

func generic(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "%s", data)
	return exactNumbers(v)
}

func exactNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = exactNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = exactNumbers(e)
		}
	case json.Number:
		if r, ok := new(big.Rat).SetString(string(x)); ok {
			return "number:" + r.RatString()
		}
	}
	return v
}

// oddDocuments are objects as a careless or hostile server may send them.
var oddDocuments = []string{
	`{}`,
	`{"id":1}`,
	`{"id":1,"name":null,"title":"","score":0.87,"open":false,"day":"2026-08-26","tags":[],"owner":null,"meta":{},"Body":null,"any":null}`,
	`{"id":"1","name":2,"score":"high","open":"no","day":"yesterday","since":"","tags":{"id":1},"owner":"Marie","meta":[1],"labels":{"a":"b"},"small":-1}`,
	`{"id":1.5,"tags":[{"id":1,"color":null,"emoji":"⭐"},{"id":"2"}],"owner":{"email":"a@example.com","loyalty":"gold","extra":{"note":1}}}`,
	`{"meta":"{\"a\":[1,2],\"big\":12345678901234567890}","owner":"{\"email\":\"b@example.com\"}","tags":"[{\"id\":3}]"}`,
	`{"meta":"not json","owner":"{\"email\":1}","tags":"[1"}`,
	`{"meta":{"big":12345678901234567890,"tiny":1e-400,"neg":-0,"exp":1E+2}}`,
	`{"day":"2026-08-26T18:38:33Z","since":"2026-01-02"}`,
	`{"day":"\u0032026-08-26","name":"caf\u00e9 \ud83d\ude00 \ud800","title":"<&>"}`,
	`{"zz":1,"aa":[null,{"b":[]}],"id":1,"zz":2,"id":3}`,
	`{"Body":{"a": [1, 2]},"any":{"x":[1.5,"y",true,null]},"unknown":{"deep":[[[{}]]]}}`,
	`{"id":12345678901234567890,"score":1e400}`,
	// An object in a string cut short: its pointed-to struct is taken
	// from a slab sized from the one byte it has.
	`{"owner":{"extra":"{"},"tags":"["}`,
	// Escaped keys and values, one after the other (each decodes in the
	// decode's one scratch buffer, and is copied out before the next).
	`{"meta":{"k\n":"v\t","n\"":{"x\\":"y\/"}},"labels":{"a\tb":1,"c\"":2},"un\"known":"v\n","title":"t\"","name":"n\\","any":{"\n":["\t",{"\"":"\\"}]},"owner":"{\"email\":\"e\\n\",\"k\\t\":\"v\\\"\"}"}`,
}

// TestRoundTrip: each odd document decodes, and encodes back to the same
// JSON.
func TestRoundTrip(t *testing.T) {
	for _, doc := range oddDocuments {
		var v item
		require.NoError(t, json.Unmarshal([]byte(doc), &v), doc)
		out, err := json.Marshal(v)
		require.NoError(t, err, doc)
		assert.True(t, sameJSON(t, []byte(doc), out), "\n in: %s\nout: %s", doc, out)
	}
}

// TestTypedFields: what fits is typed, what does not is kept in Raw.
func TestTypedFields(t *testing.T) {
	var v item
	require.NoError(t, Unmarshal([]byte(oddDocuments[5]), &v))
	assert.Equal(t, []any{1.0, 2.0}, v.Meta["a"])
	assert.Nil(t, v.Owner, "a type with its own UnmarshalJSON is not read from a string")
	assert.Equal(t, `"{\"email\":\"b@example.com\"}"`, string(mustGet(t, v.Raw, "owner")))
	assert.Equal(t, int64(3), v.Tags[0].ID)
	got, ok := v.Raw.Get("meta")
	require.True(t, ok)
	assert.Equal(t, `"{\"a\":[1,2],\"big\":12345678901234567890}"`, string(got))
	_, ok = v.Raw.Get("id")
	assert.False(t, ok)

	v = item{}
	require.NoError(t, Unmarshal([]byte(oddDocuments[3]), &v))
	assert.Zero(t, v.ID)
	assert.Nil(t, v.Name)
	assert.Nil(t, v.Day)
	for key, want := range map[string]string{"id": `"1"`, "name": `2`, "day": `"yesterday"`, "since": `""`,
		"owner": `"Marie"`, "small": `-1`} {
		got, ok := v.Raw.Get(key)
		if assert.True(t, ok, key) {
			assert.Equal(t, want, string(got), key)
		}
	}
	assert.Nil(t, v.Raw.Keys())

	var h holder
	require.NoError(t, Unmarshal([]byte(`{"plain":{"n":"1","s":"x"}}`), &h))
	assert.Equal(t, plain{}, h.Plain)
	assert.Equal(t, `{"n":"1","s":"x"}`, string(mustGet(t, h.Raw, "plain")), "kept whole by the nearest tracked struct")
	out, err := Marshal(&h)
	require.NoError(t, err)
	assert.Equal(t, `{"plain":{"n":"1","s":"x"}}`, string(out))

	v = item{}
	require.NoError(t, Unmarshal([]byte(oddDocuments[10]), &v))
	assert.Equal(t, []string{"zz", "aa"}, v.Raw.Keys())
	zz, _ := v.Raw.Get("zz")
	assert.Equal(t, "2", string(zz), "a repeated key: the last one wins")
	assert.Equal(t, int64(3), v.ID)

	v = item{}
	require.NoError(t, Unmarshal([]byte(oddDocuments[4]), &v))
	assert.Equal(t, []string{"loyalty"}, v.Owner.Raw.raw.Keys(), "a Raw in a wrapper type")
	assert.Equal(t, []string{"emoji"}, v.Tags[0].Raw.Keys())
}

func mustGet(t *testing.T, r Raw, key string) json.RawMessage {
	t.Helper()
	got, ok := r.Get(key)
	require.True(t, ok, "no %q in Raw", key)
	return got
}

// TestChangedValuesEncode: a decoded value changed in Go is written with
// the change; a key that did not come is written once it is set.
func TestChangedValuesEncode(t *testing.T) {
	var v item
	require.NoError(t, Unmarshal([]byte(`{"id":1,"meta":"{\"a\":1}","day":"2026-08-26T18:38:33Z","owner":"oops"}`), &v))
	v.Meta["b"] = "2"
	v.Owner = &owner{Email: "c@example.com"}
	v.Title = "Hello"
	out, err := Marshal(&v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":1,"meta":"{\"a\":1,\"b\":\"2\"}","day":"2026-08-26T18:38:33Z","owner":{"email":"c@example.com","extra":null},"title":"Hello"}`,
		string(out), "an inexact value unchanged is written as sent")
	v.Day.t = v.Day.t.AddDate(0, 0, 1)
	out, err = Marshal(&v)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"day":"2026-08-27"`)
}

// TestGoBuiltValuesEncodeAsTheirTags: a value built in Go encodes as
// encoding/json encodes the same struct without its methods.
func TestGoBuiltValuesEncodeAsTheirTags(t *testing.T) {
	type mirror struct {
		ID     int64          `json:"id"`
		Name   *string        `json:"name"`
		Title  string         `json:"title,omitempty"`
		Score  *float64       `json:"score"`
		Open   *bool          `json:"open"`
		Day    *string        `json:"day"`
		Since  *string        `json:"since,omitempty"`
		Tags   []tag          `json:"tags"`
		Owner  *owner         `json:"owner"`
		Meta   map[string]any `json:"meta"`
		Labels map[string]int `json:"labels,omitempty"`
		Body   json.RawMessage
		Any    any    `json:"any"`
		Small  uint16 `json:"small,omitempty"`
	}
	name, score, open := "é<\u2028>", 1e21, true
	d := day{time.Date(2026, 8, 26, 0, 0, 0, 0, time.UTC)}
	v := item{ID: 7, Name: &name, Title: "t", Score: &score, Open: &open, Day: &d, Since: d,
		Tags: []tag{{ID: 1}}, Owner: &owner{Email: "x"}, Meta: map[string]any{"b": []any{1.5, nil}, "a": "\x00"},
		Labels: map[string]int{"z": 1, "a": 2}, Body: json.RawMessage(`{"k": [1]}`), Any: 1e-7, Small: 9}
	ds := "2026-08-26"
	m := mirror{ID: 7, Name: &name, Title: "t", Score: &score, Open: &open, Day: &ds, Since: &ds,
		Tags: v.Tags, Owner: v.Owner, Meta: v.Meta, Labels: v.Labels, Body: v.Body, Any: v.Any, Small: 9}
	ours, err := json.Marshal(v) // which compacts Body, as it does for the mirror
	require.NoError(t, err)
	theirs, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Equal(t, string(theirs), string(ours))

	empty, err := Marshal(&item{})
	require.NoError(t, err)
	assert.Equal(t, `{"id":0,"name":null,"score":null,"open":null,"day":null,"tags":null,"owner":null,"meta":null,"Body":null,"any":null}`, string(empty))
}

// TestDecodedValueEqualsGoBuilt: an object decoded with exactly the keys
// its struct tags write carries no record.
func TestDecodedValueEqualsGoBuilt(t *testing.T) {
	var v tag
	require.NoError(t, Unmarshal([]byte(`{"id":1,"color":null}`), &v))
	assert.Equal(t, tag{ID: 1}, v)
	require.NoError(t, Unmarshal([]byte(`{"id":1}`), &v))
	assert.NotEqual(t, tag{ID: 1}, v, "no color key: it must stay absent")
	out, err := Marshal(&v)
	require.NoError(t, err)
	assert.Equal(t, `{"id":1}`, string(out))
}

// TestMalformedJSONIsAnError: whatever the target, malformed JSON fails
// where encoding/json fails, and a value that no Raw can keep is an
// *json.UnmarshalTypeError.
func TestMalformedJSONIsAnError(t *testing.T) {
	for _, doc := range []string{``, ` `, `{`, `{"id":1`, `{"id":1,}`, `{"id" 1}`, `{"id":01}`, `{"id":1} x`, `{"a":"\x"}`,
		"{\"a\":\"\x01\"}", `{"a":tru}`, `{"a":[1,]}`, `{"a":-}`, `{"a":1.}`, `{"a":1e}`, `{"a":"\u12"}`, `[`, `{"a":{"b":}}`,
		`{"meta":"x","tags":[{]}`, `nul`} {
		jsonErr := json.Unmarshal([]byte(doc), new(any))
		require.Error(t, jsonErr, "encoding/json accepts %q", doc)
		for name, err := range map[string]error{
			"item": Unmarshal([]byte(doc), new(item)),
			"any":  Unmarshal([]byte(doc), new(any)),
			"list": Unmarshal([]byte(doc), new([]tag)),
		} {
			require.Error(t, err, "%s accepts %q", name, doc)
		}
	}
	err := Unmarshal([]byte(`[{"n":1},"x"]`), new([]plain))
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr)
	assert.Equal(t, "string", typeErr.Value)
	assert.Equal(t, reflect.TypeFor[plain](), typeErr.Type)
	assert.Equal(t, int64(9), typeErr.Offset)
}

// TestDepthIsBounded: nesting beyond encoding/json's limit is an error,
// not a stack overflow.
func TestDepthIsBounded(t *testing.T) {
	deep := strings.Repeat(`{"unknown":[`, maxDepth) + strings.Repeat(`]}`, maxDepth)
	assert.ErrorContains(t, Unmarshal([]byte(deep), new(item)), "exceeded max depth")
	ok := strings.Repeat(`[`, maxDepth-1) + strings.Repeat(`]`, maxDepth-1)
	assert.NoError(t, Unmarshal([]byte(`{"any":`+ok+`}`), new(item)))
}

// TestDecodeAnyIsEncodingJSON: into an interface, the decoder gives what
// encoding/json gives.
func TestDecodeAnyIsEncodingJSON(t *testing.T) {
	for _, doc := range append(oddDocuments, `[1,"a",null,true,{"x":-1.5e3}]`, `"s"`, `12`, `null`) {
		var ours, theirs any
		errOurs, errTheirs := Unmarshal([]byte(doc), &ours), json.Unmarshal([]byte(doc), &theirs)
		require.Equal(t, errTheirs == nil, errOurs == nil, "%s: %v, encoding/json: %v", doc, errOurs, errTheirs)
		if errOurs == nil {
			assert.Equal(t, theirs, ours, doc)
		}
	}
}

// TestRegisterStringAfterUse: teaching a type the codec has compiled
// would change how values already decoded encode: it panics.
func TestRegisterStringAfterUse(t *testing.T) {
	type late struct{ s string }
	_, err := Marshal(&struct{ L *late }{})
	require.NoError(t, err)
	assert.PanicsWithValue(t, "rawjson: RegisterString of rawjson.late after its first use", func() {
		RegisterString(StringCodec[late]{
			Parse:  func(s string) (late, bool, bool) { return late{s}, true, true },
			Append: func(b []byte, v *late) []byte { return AppendString(b, v.s) },
		})
	})
}

// TestRefusedTypes: what the codec cannot keep faithfully is refused when
// the type is first used.
func TestRefusedTypes(t *testing.T) {
	type embedded struct{ tag }
	type withString struct {
		N   int `json:"n,string"`
		Raw Raw `json:"-"`
	}
	twice := reflect.StructOf([]reflect.StructField{ // built here: go vet refuses the tags written out
		{Name: "A", Type: reflect.TypeFor[int](), Tag: `json:"a"`},
		{Name: "B", Type: reflect.TypeFor[int](), Tag: `json:"a"`},
		{Name: "Raw", Type: rawType, Tag: `json:"-"`},
	})
	fields := make([]reflect.StructField, maxFields+1)
	for i := range fields {
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: reflect.TypeFor[int]()}
	}
	fields = append(fields, reflect.StructField{Name: "Raw", Type: rawType, Tag: `json:"-"`})
	wide := reflect.StructOf(fields)
	assert.PanicsWithValue(t, "rawjson: rawjson.withString.N: the ,string option is not supported", func() { _ = Unmarshal([]byte(`{}`), new(withString)) })
	assert.PanicsWithValue(t, `rawjson: `+twice.String()+` declares "a" twice`, func() { infoOf(twice) })
	assert.Panics(t, func() { infoOf(reflect.TypeFor[embedded]()) })
	assert.Panics(t, func() { infoOf(wide) })
	// The refusal left no half-built table behind.
	assert.NoError(t, Unmarshal([]byte(`{"id":1}`), new(tag)))
}

// probe types are used by TestFirstUseIsConcurrent only, so their tables
// are built there, by many goroutines at once.
type probeOuter struct {
	Items []probeInner           `json:"items"`
	ByKey map[string]*probeInner `json:"by_key"`
	Raw   Raw                    `json:"-"`
}

type probeInner struct {
	N   *int `json:"n"`
	Raw Raw  `json:"-"`
}

// TestFirstUseIsConcurrent decodes and encodes a type never used before
// from many goroutines at once (run with -race).
func TestFirstUseIsConcurrent(t *testing.T) {
	in := []byte(`{"items":[{"n":1,"x":true}],"by_key":{"a":{"n":null}},"extra":[1]}`)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v probeOuter
			if err := Unmarshal(in, &v); err != nil {
				errs <- err
				return
			}
			out, err := Marshal(&v)
			if err == nil && !sameJSON(t, in, out) {
				err = fmt.Errorf("round trip: %s", out)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// FuzzDecode: any bytes decode to a value or an error, never a panic; an
// error exactly when encoding/json finds the JSON malformed (or, for a
// struct, when it is not an object); into an interface, the value
// encoding/json gives.
func FuzzDecode(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := json.Valid(data)
		var v item
		err := Unmarshal(data, &v)
		trimmed := bytes.TrimLeft(data, " \t\r\n")
		isObject := len(trimmed) > 0 && (trimmed[0] == '{' || bytes.HasPrefix(trimmed, []byte("null")))
		if valid && isObject && err != nil && !strings.Contains(err.Error(), "exceeded max depth") {
			t.Fatalf("%q: valid JSON object refused: %v", data, err)
		}
		if !valid && err == nil {
			t.Fatalf("%q: malformed JSON accepted", data)
		}
		var ours, theirs any
		errOurs, errTheirs := Unmarshal(data, &ours), json.Unmarshal(data, &theirs)
		if (errOurs == nil) != (errTheirs == nil) {
			if errOurs != nil && strings.Contains(errOurs.Error(), "exceeded max depth") {
				return
			}
			t.Fatalf("%q: decoder: %v, encoding/json: %v", data, errOurs, errTheirs)
		}
		if errOurs == nil && !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("%q: decoder %#v, encoding/json %#v", data, ours, theirs)
		}
	})
}

// FuzzRoundTrip: any JSON object that decodes encodes back to the same
// JSON, however odd its fields.
func FuzzRoundTrip(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
			return
		}
		var v item
		if Unmarshal(data, &v) != nil {
			return
		}
		out, err := Marshal(&v)
		if err != nil {
			t.Fatalf("%s decoded but does not encode: %v", data, err)
		}
		if !sameJSON(t, data, out) {
			t.Fatalf("round trip:\n in: %s\nout: %s", data, out)
		}
	})
}

func seed(f *testing.F) {
	for _, doc := range oddDocuments {
		f.Add([]byte(doc))
		f.Add([]byte(doc[:len(doc)/2]))
	}
	for _, s := range []string{"", "null", "[]", `"x"`, "12", `{"tags":[null]}`, `{"a":` + strconv.Quote("\xff") + `}`} {
		f.Add([]byte(s))
	}
}

// TestMarshalWritesInPlace: encoding a decoded value allocates its one
// buffer, sized from the encodings before it: nested values, pointers
// to tracked structs included, are written into it in place, not each
// through its own MarshalJSON and buffer.
func TestMarshalWritesInPlace(t *testing.T) {
	long := strings.Repeat("x", 2000)
	var v item
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"name":"`+long+`","day":"2026-08-26","tags":[{"id":1,"color":"red"}],`+
		`"owner":{"email":"a@example.com","tags":[{"id":2,"color":null}],"extra":{"note":"x"}}}`), &v))
	first, err := Marshal(&v)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(20, func() {
		out, err := Marshal(&v)
		if err != nil || !bytes.Equal(out, first) {
			panic("another encoding")
		}
	})
	assert.Equal(t, 1.0, allocs)
}

// TestDecodedValuesDoNotAliasInput: a decoded value keeps nothing of the
// bytes it was decoded from (the caller may reuse them): overwriting them
// changes neither its fields nor its encoding.
func TestDecodedValuesDoNotAliasInput(t *testing.T) {
	for _, doc := range oddDocuments {
		data := []byte(doc)
		var v item
		require.NoError(t, json.Unmarshal(data, &v), doc)
		before, err := json.Marshal(v)
		require.NoError(t, err)
		snapshot := fmt.Sprintf("%#v", v)
		for i := range data {
			data[i] = 'X'
		}
		after, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, string(before), string(after), doc)
		assert.Equal(t, snapshot, fmt.Sprintf("%#v", v), doc)
	}
}

// TestInexactFloatsAreKept: a number that a float64 does not hold as sent
// (it underflows, is subnormal, or has more digits than a float64 keeps)
// is kept as sent while unchanged, in an interface and in a float64
// field alike (the fuzzer found 1e-700 written back as 0).
func TestInexactFloatsAreKept(t *testing.T) {
	for _, num := range []string{"1e-700", "-1e-400", "5e-324", "2.5e-310", "0.10000000000000000001", "1.00000000000000000000000001e5", "3.141592653589793238"} {
		for _, doc := range []string{`{"meta":{"x":` + num + `}}`, `{"score":` + num + `}`} {
			var v item
			require.NoError(t, Unmarshal([]byte(doc), &v), doc)
			out, err := Marshal(&v)
			require.NoError(t, err, doc)
			assert.True(t, sameJSON(t, []byte(doc), out), "%s written back as %s", doc, out)
		}
	}
	for _, num := range []string{"0", "0.0", "-0e5", "0.1", "1.5e300", "1e-300", "123456789012345e-3"} {
		var v item
		require.NoError(t, Unmarshal([]byte(`{"score":`+num+`}`), &v))
		assert.Nil(t, v.Raw.r.keptFor(3), "%s is exact: nothing kept", num)
	}
}

// TestKeysMatchHoweverWritten: a declared key is found however it is
// written (escaped, spaced, out of order, cut short), not only as the
// encoder writes it (the decoder tries the next field's `"name":` first).
func TestKeysMatchHoweverWritten(t *testing.T) {
	for _, doc := range []string{
		`{"id":7,"name":"x"}`, `{"id" :7, "name"	: "x"}`, `{"\u0069d":7,"n\u0061me":"x"}`,
		`{"name":"x","id":7}`, `{ "id":7 , "name":"x" }`, `{"id":1,"id":7,"name":"y","name":"x"}`,
	} {
		var v item
		require.NoError(t, Unmarshal([]byte(doc), &v), doc)
		assert.Equal(t, int64(7), v.ID, doc)
		if assert.NotNil(t, v.Name, doc) {
			assert.Equal(t, "x", *v.Name, doc)
		}
		assert.Empty(t, v.Raw.Keys(), doc)
	}
	for _, doc := range []string{`{"id":`, `{"id": `, `{"id":}`, `{"id"`, `{"id":1,"name":`} {
		var v item
		err := Unmarshal([]byte(doc), &v)
		want := json.Unmarshal([]byte(doc), new(any))
		require.Error(t, err, doc)
		assert.Equal(t, want.Error(), err.Error(), doc)
	}
}

// TestSmallDecodesAllocateLittle: the slabs a decode takes strings, pointed-to
// values and boxed values from are no larger than a small input can fill,
// so a small answer (a tag) does not allocate whole slabs of them.
func TestSmallDecodesAllocateLittle(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what is allocated")
	}
	type small struct {
		Name string         `json:"name"`
		Note *string        `json:"note"`
		Meta map[string]any `json:"meta"`
	}
	data := []byte(`{"name":"vip","note":"call back","meta":{"a":1.5,"b":"x"}}`)
	var v small
	require.NoError(t, Unmarshal(data, &v))
	require.Equal(t, "call back", *v.Note)
	const runs = 200
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		var v small
		if err := Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	perDecode := (after.TotalAlloc - before.TotalAlloc) / runs
	t.Logf("%d bytes a decode of %d bytes", perDecode, len(data))
	assert.Less(t, perDecode, uint64(1024), "bytes allocated by one decode of a %d-byte object", len(data))
}

// TestPtrToIsNewAt: ptrTo gives the value reflect.NewAt does, addressable
// and settable, for a slice and a map type.
func TestPtrToIsNewAt(t *testing.T) {
	list := []int{1, 2}
	v := newPtrTo(reflect.TypeFor[[]int]()).elem(unsafe.Pointer(&list))
	require.True(t, v.CanSet())
	v.Grow(10)
	v.SetLen(3)
	assert.Equal(t, []int{1, 2, 0}, list)
	assert.GreaterOrEqual(t, cap(list), 12)
	var m map[string]bool
	newPtrTo(reflect.TypeFor[map[string]bool]()).elem(unsafe.Pointer(&m)).Set(reflect.ValueOf(map[string]bool{"a": true}))
	assert.Equal(t, map[string]bool{"a": true}, m)
}

// TestMapEmptyReadsTheLength: omitempty's test of a map reads its length
// whatever its key and element types.
func TestMapEmptyReadsTheLength(t *testing.T) {
	type wide [120]byte // a large element
	empty := emptyFunc(reflect.TypeFor[map[int64]wide]())
	var m map[int64]wide
	assert.True(t, empty(unsafe.Pointer(&m)))
	m = map[int64]wide{}
	assert.True(t, empty(unsafe.Pointer(&m)))
	for i := range 20 {
		m[int64(i)] = wide{}
	}
	assert.False(t, empty(unsafe.Pointer(&m)))
	clear(m)
	assert.True(t, empty(unsafe.Pointer(&m)))
}

// mapsOf has the map types the decoder builds without reflect, and one it
// builds through it (a struct element).
type mapsOf struct {
	Raws    map[string]json.RawMessage `json:"raws"`
	Strings map[string]string          `json:"strings"`
	Bools   map[string]bool            `json:"bools,omitempty"`
	Tags    map[string]tag             `json:"tags"`
	Raw     Raw                        `json:"-"`
}

// TestPlainMapsDecodeAsEncodingJSON: the maps built without reflect hold
// what encoding/json gives, {} is an empty map and null a nil one, a value
// that does not fit keeps the map as sent, and each writes back as sent.
func TestPlainMapsDecodeAsEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"raws":{"a":{"x":[1,"2"]},"b":null,"c":"s"},"strings":{"k":"v\u00e9","e":""},"bools":{"t":true,"f":false},"tags":{"one":{"id":1}}}`,
		`{"raws":{},"strings":{},"bools":{},"tags":{}}`,
		`{"raws":null,"strings":null,"bools":null,"tags":null}`,
		`{"raws":{"a":1,"a":2},"strings":{"k":"1","k":"2"},"bools":{"t":false,"t":true},"tags":{"x":{"id":1},"x":{"id":2}}}`,
	} {
		var got, want mapsOf
		require.NoError(t, Unmarshal([]byte(in), &got), in)
		require.NoError(t, json.Unmarshal([]byte(in), &want), in)
		assert.Equal(t, want.Raws, got.Raws, in)
		assert.Equal(t, want.Strings, got.Strings, in)
		assert.Equal(t, want.Bools, got.Bools, in)
		assert.Equal(t, want.Tags, got.Tags, in)
		if !strings.Contains(in, "null") {
			assert.NotNil(t, got.Raws, in)
			assert.NotNil(t, got.Strings, in)
		}
	}
	for _, in := range []string{
		`{"raws":{},"strings":{"k":1,"j":"v"},"bools":{"t":true},"tags":{}}`,
		`{"raws":{},"strings":{},"bools":{"t":"yes"},"tags":{}}`,
		`{"raws":[],"strings":{},"bools":{},"tags":{"x":{"id":"1"}}}`,
	} {
		var got mapsOf
		require.NoError(t, Unmarshal([]byte(in), &got), in)
		out, err := Marshal(&got)
		require.NoError(t, err, in)
		assert.JSONEq(t, in, string(out), in)
	}
	var broken mapsOf
	assert.Error(t, Unmarshal([]byte(`{"strings":{"k":"v",}}`), &broken))
}

// TestListsStartAtTheLastLength: a list decoder sizes a list at the length
// of the one it decoded before (allocated once, not doubled up to it), and
// never at more than the input left could fill.
func TestListsStartAtTheLastLength(t *testing.T) {
	// A type of its own (no other test shares its decoder), 16 bytes: 7 of
	// them fill a size class exactly.
	type elem struct{ N, M int }
	decode := func(data string) []elem {
		t.Helper()
		var list []elem
		require.NoError(t, Unmarshal([]byte(data), &list))
		return list
	}
	assert.Equal(t, []elem{}, decode(`[]`), "the hint is 0 (again, under -count)")
	seven := `[{"N":1},{"N":2},{"N":3},{"N":4},{"N":5},{"N":6},{"N":7}]`
	first := decode(seven)
	require.Len(t, first, 7)
	assert.Equal(t, elem{N: 7}, first[6])
	assert.Equal(t, 8, cap(first), "the first list doubles from one slot")
	again := decode(seven)
	assert.Equal(t, first, again)
	assert.Equal(t, 7, cap(again), "the next list is allocated at the last one's length")
	// Three bytes after the '[' hold at most two elements: the hint of 7
	// is cut to that.
	short := decode(`[{}]`)
	assert.Equal(t, []elem{{}}, short)
	assert.Equal(t, 2, cap(short))
	assert.Equal(t, 1, cap(decode(`[{}]`)), "the hint is now 1")
	assert.Equal(t, []elem{}, decode(`[]`))
	assert.Equal(t, 8, cap(decode(seven)), "an empty list set the hint to 0: doubling again")
}

// TestKeyOrderIsLearnt: the decoder guesses each key to be the field that
// followed the one before it in the last object decoded, so an API that
// writes its keys in another order than the struct declares them costs a
// lookup a key once, then none.
func TestKeyOrderIsLearnt(t *testing.T) {
	type abcd struct{ A, B, C, D int } // a type of its own: its guesses are this test's
	lookups := func(data string) int {
		t.Helper()
		var v abcd
		ds := decodeState{data: []byte(data)}
		_, err := codecOf(reflect.TypeFor[abcd]()).dec(&ds, 0, unsafe.Pointer(&v))
		require.NoError(t, err)
		require.Equal(t, abcd{1, 2, 3, 4}, v)
		return ds.lookups
	}
	ti := infoOf(reflect.TypeFor[abcd]())
	for k := range ti.after { // as built (again, under -count)
		ti.after[k].Store(int32(k))
	}
	declared := `{"A":1,"B":2,"C":3,"D":4}`
	reversed := `{"D":4,"C":3,"B":2,"A":1}`
	assert.Equal(t, 0, lookups(declared), "the declaration's order is the first guess")
	assert.Equal(t, 4, lookups(reversed), "every key of another order is looked up")
	assert.Equal(t, 0, lookups(reversed), "the same order again: every guess is right")
	assert.Equal(t, 1, lookups(`{"D":4,"C":3,"X":0,"B":2,"A":1}`), "an undeclared key is looked up, and leaves the guess for the key after it")
	// After A, B is still the guess (no key followed A yet): three wrong.
	assert.Equal(t, 3, lookups(declared), "back to the declaration's order")
	assert.Equal(t, 0, lookups(declared))
	// C after A, B after C, D after B: three wrong guesses, learnt.
	assert.Equal(t, 3, lookups(`{"A":1,"C":3,"B":2,"D":4}`), "one swap")
	assert.Equal(t, 0, lookups(`{"A":1,"C":3,"B":2,"D":4}`))
}
