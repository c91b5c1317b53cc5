package gorgias

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkPageEncoding holds Page.MarshalJSON to the bytes of
// marshalByEncodingJSON: how every page was written up to 0.2 (encoding/json
// around each item's MarshalJSON), still the way for other item types.
func checkPageEncoding[T any](t *testing.T, fixture string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", fixture))
	require.NoError(t, err)
	var p Page[T]
	require.NoError(t, json.Unmarshal(data, &p), fixture)
	want, err := p.marshalByEncodingJSON()
	require.NoError(t, err)
	got, err := p.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), fixture)
	via, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(via), "json.Marshal of %s", fixture)
}

// TestPageMarshalJSONWritesWhatItDid: writing the items in place into one
// buffer leaves the page's encoding as it was, odd values, unknown keys,
// nulls and escaping included; so do the empty, nil and meta cases.
func TestPageMarshalJSONWritesWhatItDid(t *testing.T) {
	checkPageEncoding[Ticket](t, "tickets_page.json")
	checkPageEncoding[Message](t, "messages_page.json")
	checkPageEncoding[Message](t, "odd_messages_page.json")
	checkPageEncoding[Tag](t, "odd_tags_page.json")
	checkPageEncoding[Survey](t, "odd_surveys_page.json")
	checkPageEncoding[VoiceCall](t, "odd_voice_calls_page.json")
	checkPageEncoding[VoiceCallEvent](t, "odd_voice_call_events_page.json")
	checkPageEncoding[CustomFieldValue](t, "odd_custom_fields.json")

	total := int64(12)
	for _, p := range []Page[Tag]{
		{},
		{Data: []Tag{}},
		{Data: []Tag{{ID: 1, Name: "a<b>&c"}}, NextCursor: "n", PrevCursor: "p", TotalResources: &total},
	} {
		want, err := p.marshalByEncodingJSON()
		require.NoError(t, err)
		got, err := p.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
	// A type the codec does not encode itself goes through encoding/json.
	p := Page[map[string]int]{Data: []map[string]int{{"b": 2, "a": 1}, nil}}
	want, err := p.marshalByEncodingJSON()
	require.NoError(t, err)
	got, err := p.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

// TestPageMarshalJSONIsOneAllocation: the items are encoded in place into
// one buffer sized from the previous encoding, not each into a buffer of
// its own that encoding/json then checks and copies.
func TestPageMarshalJSONIsOneAllocation(t *testing.T) {
	p := Page[Ticket]{NextCursor: "next"}
	for i := range 20 {
		p.Data = append(p.Data, Ticket{ID: int64(i + 1), Status: StatusOpen, Channel: "email"})
	}
	_, err := p.MarshalJSON() // sizes the next one's buffer
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := p.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 1.0)
}
