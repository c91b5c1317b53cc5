package gorgias

import (
	"math/rand/v2"
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

// TestAppendTimeIsAppendFormat: the codec's hand-written datetime writer
// gives AppendFormat's bytes, for instants across the years 0–9999 (and
// beyond, where it hands over), in zones east and west, odd ones included.
func TestAppendTimeIsAppendFormat(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 25))
	zones := []*time.Location{time.UTC, time.FixedZone("", -(3*3600 + 30*60)), time.FixedZone("", 5*3600+45*60),
		time.FixedZone("", 14*3600), time.FixedZone("", -12*3600), time.FixedZone("", -59), time.FixedZone("", 3599),
		time.FixedZone("", -(25*3600 + 61)), time.FixedZone("", 100*3600), time.FixedZone("", -(100*3600 - 1))}
	instants := []time.Time{
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 2, 3, 4, 5, 600700, time.UTC), {},
	}
	for range 2000 {
		instants = append(instants, time.Unix(rng.Int64N(253402300800+62135596800)-62135596800, rng.Int64N(1e9)))
	}
	for _, at := range instants {
		for _, zone := range zones {
			in := at.In(zone)
			want := string(in.AppendFormat([]byte("x"), timeLayout))
			require.Equal(t, want, string(appendTime([]byte("x"), in)), "%v", in)
		}
	}
}
