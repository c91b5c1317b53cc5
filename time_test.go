package gorgias

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimeUnmarshalJSONRefusesWhatIsNotAString: called directly (json
// decoders only pass well-formed values), UnmarshalJSON refuses input that
// is not a whole JSON string, short or unterminated, with an error rather
// than a panic or a guess.
func TestTimeUnmarshalJSONRefusesWhatIsNotAString(t *testing.T) {
	for _, data := range []string{``, `"`, `1"`, `"2026-01-02x`, `"2026-01-02`} {
		var got Time
		require.NotPanics(t, func() {
			assert.ErrorContains(t, got.UnmarshalJSON([]byte(data)), "a datetime must be a string", "%q", data)
		}, "%q", data)
	}
}

// TestTimeDecodesJSONEscapes: a datetime whose string holds JSON escapes
// (as some encoders write "+" or "/") is unescaped before it is parsed.
func TestTimeDecodesJSONEscapes(t *testing.T) {
	var got Time
	require.NoError(t, got.UnmarshalJSON([]byte(`"2026-08-26T18:38:33.416987\u002b00:00"`)))
	assert.True(t, time.Date(2026, 8, 26, 18, 38, 33, 416987000, time.UTC).Equal(got.Time), "got %s", got.Time)
}

// TestTimeMarshalJSONAllocatesOnce: encoding a Time writes into one
// buffer sized for the layout and its quotes.
func TestTimeMarshalJSONAllocatesOnce(t *testing.T) {
	v := Time{time.Date(2026, 8, 26, 18, 38, 33, 416987000, time.UTC)}
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := v.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 1.0, allocs)
}
