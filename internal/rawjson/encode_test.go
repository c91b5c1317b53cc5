package rawjson

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodingJSONsOwn is what encoding/json makes of a MarshalJSON's output:
// checked, compacted, <, >, &, U+2028 and U+2029 escaped.
func encodingJSONsOwn(t testing.TB, data []byte) []byte {
	t.Helper()
	out, err := json.Marshal(json.RawMessage(data))
	require.NoError(t, err, "%s", data)
	return out
}

var compactCases = []string{
	``, `{}`, `[1,2]`, `{"a":1}`, `{"a": 1}`, "{\"a\":1}\n", "[1,\t2]", " 1", `"x y, z: w"`,
	`"a<b"`, `"a>b"`, `"a&b"`, `"\u003c"`, `"\\"`, `"\\<"`, `"\"<"`, `"quote\"d"`, `{"k":"v"} `,
	`"` + "\u2028" + `"`, `"` + "\u2029" + `"`, `"` + "\u2027\u202a" + `"`, `"é ☃ 😀 — €"`,
	`"` + strings.Repeat("x", 15) + `<"`, `"` + strings.Repeat("é", 9) + `&"`, `[` + strings.Repeat(`"ab",`, 9) + `"c"]`,
	`{"long":"` + strings.Repeat("0123456789", 5) + `","n":` + strings.Repeat("1", 20) + `}`,
	`{"long":"` + strings.Repeat("0123456789", 5) + `", "n":1}`,
	`[true,false,null,-1.5e+10]`, `[true, false]`,
}

// TestHTMLSafeCompactIsEncodingJSONs: the quick pass says a JSON value
// is clean exactly when encoding/json would leave it unchanged.
func TestHTMLSafeCompactIsEncodingJSONs(t *testing.T) {
	docs := append([]string{}, compactCases...)
	docs = append(docs, oddDocuments...)
	for _, doc := range docs {
		if doc == "" {
			assert.True(t, htmlSafeCompact(nil))
			continue
		}
		want := bytes.Equal(encodingJSONsOwn(t, []byte(doc)), []byte(doc))
		assert.Equal(t, want, htmlSafeCompact([]byte(doc)), "%q", doc)
	}
}

// FuzzHTMLSafeCompact: the same for any JSON.
func FuzzHTMLSafeCompact(f *testing.F) {
	for _, doc := range append(compactCases, oddDocuments...) {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		want := bytes.Equal(encodingJSONsOwn(t, data), data)
		if got := htmlSafeCompact(data); got != want {
			t.Fatalf("%q: htmlSafeCompact %v, encoding/json leaves it unchanged: %v", data, got, want)
		}
	})
}

// TestMarshalArrayIsEncodingJSONAroundItems: the array MarshalArray writes
// is the one encoding/json writes around each item's MarshalJSON, odd
// values kept as sent (spaces, <, >, &) included.
func TestMarshalArrayIsEncodingJSONAroundItems(t *testing.T) {
	var items []item
	for _, doc := range oddDocuments {
		var v item
		if json.Unmarshal([]byte(doc), &v) == nil {
			items = append(items, v)
		}
	}
	require.NotEmpty(t, items)
	var odd item
	require.NoError(t, json.Unmarshal([]byte(`{"id":1, "extra": {"a": "<b> & \u2028"}, "Body": [1, "<i>"]}`), &odd))
	items = append(items, odd)
	for _, list := range [][]item{nil, {}, items, items[len(items)-1:], items[:1]} {
		want, err := json.Marshal(append([]item{}, list...))
		require.NoError(t, err)
		got, err := MarshalArray(`{"data":`, list, func(b []byte) []byte { return append(b, '}') })
		require.NoError(t, err)
		assert.Equal(t, `{"data":`+string(want)+`}`, string(got))
	}
}

// TestMarshalArrayIsOneAllocation: a list of decoded items is encoded into
// one buffer, sized from the encoding before it.
func TestMarshalArrayIsOneAllocation(t *testing.T) {
	items := make([]item, 30)
	for i := range items {
		require.NoError(t, json.Unmarshal([]byte(`{"id":1,"name":"n","tags":[{"id":1,"color":"red"}],"owner":{"email":"a@example.com"},"extra":{"x":[1,2]}}`), &items[i]))
	}
	tail := func(b []byte) []byte { return append(b, '}') }
	first, err := MarshalArray(`{"data":`, items, tail)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(20, func() {
		out, err := MarshalArray(`{"data":`, items, tail)
		if err != nil || !bytes.Equal(out, first) {
			panic("another encoding")
		}
	})
	assert.Equal(t, 1.0, allocs)
}

// BenchmarkHTMLSafeCompact is the quick pass over a list of decoded items.
func BenchmarkHTMLSafeCompact(b *testing.B) {
	var v item
	require.NoError(b, json.Unmarshal([]byte(`{"id":1,"name":"Where is my order? I ordered it, last week: nothing.","title":"t",`+
		`"tags":[{"id":1,"color":"red"},{"id":2,"color":"dark blue"}],"owner":{"email":"a@example.com"},"meta":{"a":"b c","d":[1,2,3]}}`), &v))
	items := make([]item, 100)
	for i := range items {
		items[i] = v
	}
	data, err := MarshalArray("", items, func(b []byte) []byte { return b })
	require.NoError(b, err)
	require.True(b, htmlSafeCompact(data))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		htmlSafeCompact(data)
	}
}

type mapHolder struct {
	Labels map[string]int             `json:"labels"`
	Tags   map[string]tag             `json:"tags"`
	Data   map[string]json.RawMessage `json:"data"`
	Meta   map[string]any             `json:"meta"`
	Raw    Raw                        `json:"-"`
}

// TestMapsEncodeWithoutAllocating: a map's keys are sorted, and its values
// copied, in space the encoder keeps (or on its stack), not allocated a
// map: encoding a value holding maps is its one buffer.
func TestMapsEncodeWithoutAllocating(t *testing.T) {
	data := `{"labels":{"b":2,"a":1,"c":3},"tags":{"y":{"id":2,"color":null},"x":{"id":1,"color":"red","odd":true}},` +
		`"data":{"2":{"plan": "pro"},"1":null,"3":[1]},"meta":{"z":{"k":[1,"v"]},"a":null}}`
	var v mapHolder
	require.NoError(t, Unmarshal([]byte(data), &v))
	first, err := Marshal(&v)
	require.NoError(t, err)
	assert.Equal(t, `{"labels":{"a":1,"b":2,"c":3},"tags":{"x":{"id":1,"color":"red","odd":true},"y":{"id":2,"color":null}},`+
		`"data":{"1":null,"2":{"plan": "pro"},"3":[1]},"meta":{"a":null,"z":{"k":[1,"v"]}}}`, string(first))
	allocs := testing.AllocsPerRun(50, func() {
		out, err := Marshal(&v)
		if err != nil || !bytes.Equal(out, first) {
			panic("another encoding")
		}
	})
	if !raceEnabled {
		assert.Equal(t, 1.0, allocs)
	}

	// Many keys: sorted all the same.
	big := mapHolder{Labels: map[string]int{}, Data: map[string]json.RawMessage{}, Meta: map[string]any{}}
	for i := range 40 {
		k := string(rune('A'+i%26)) + strings.Repeat("k", i)
		big.Labels[k], big.Data[k], big.Meta[k] = i, json.RawMessage(`1`), float64(i)
	}
	want, err := json.Marshal(struct {
		Labels map[string]int             `json:"labels"`
		Tags   map[string]tag             `json:"tags"`
		Data   map[string]json.RawMessage `json:"data"`
		Meta   map[string]any             `json:"meta"`
	}{big.Labels, nil, big.Data, big.Meta})
	require.NoError(t, err)
	got, err := Marshal(&big)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}
