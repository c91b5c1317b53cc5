package gorgias

import (
	"fmt"
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

// sameTime reports whether a and b are the same instant in the same zone
// (name and offset), as ParseTime's callers can tell them apart.
func sameTime(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo && a.Location().String() == b.Location().String()
}

// TestParseTimeFastIsTheLayouts: the hand-written parser takes the forms
// the API sends and gives what time.Parse gives with timeLayouts; what it
// leaves (odd forms, out-of-range fields) parseTimeLayouts decides.
func TestParseTimeFastIsTheLayouts(t *testing.T) {
	taken := []string{
		"2026-08-26T18:38:33.416987+00:00", "2026-08-26T12:00:00+00:00", "2019-11-16T15:59:41.966927",
		"2018-12-04T03:29:37-08:00", "2018-12-04T03:29:37.1-08:00", "2024-02-29T23:59:59.999999999Z",
		"2026-01-02T00:00:00Z", "2026-01-02T00:00:00", "2026-01-02 03:04:05.123+05:30", "2026-01-02 03:04:05",
		"2026-01-02 03:04:05Z", "2026-01-02", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.5+23:59",
		"2000-02-29", "2026-03-08T02:30:00-23:00", "2018-12-04T03:29:37-05:00", "2018-07-04T03:29:37.25-04:00", "2026-08-26T18:38:33.000000+00:00",
	}
	left := []string{
		"", "2026", "2026-1-02", "2026-13-01", "2026-00-01", "2026-02-29", "1900-02-29", "2026-04-31",
		"2026-01-02T24:00:00Z", "2026-01-02T23:60:00Z", "2026-01-02T23:59:60Z", "2026-01-02T3:04:05Z",
		"2026-01-02T03:04:05.Z", "2026-01-02T03:04:05.1234567891Z", "2026-01-02T03:04:05,123Z",
		"2026-01-02T03:04:05+24:00", "2026-01-02T03:04:05+05:60", "2026-01-02T03:04:05+0530",
		"2026-01-02t03:04:05Z", "2026-01-02T03:04:05z", "2026-01-02T03:04:05Zx", "+026-01-02", "2026-01-02x",
		"2026-01-02T03:04:05 +00:00", "2026-01-02T03:04:05+00:00 ", "20260-01-02T03:04:05Z", "2026-01-02T03:04",
	}
	for _, s := range taken {
		got, ok := parseTimeFast(s)
		require.True(t, ok, "%q", s)
		want, err := parseTimeLayouts(s)
		require.NoError(t, err, "%q", s)
		assert.True(t, sameTime(want.Time, got), "%q: got %v, want %v", s, got, want.Time)
		if want.Location() == got.Location() { // the same value, to the bit
			assert.Equal(t, want.Time, got, "%q", s) // reflect.DeepEqual: wall, ext and loc alike
		}
	}
	// Every day of years where the calendar turns (leap rules, the epoch,
	// the ends of the range), in every form.
	for _, year := range []int{0, 1, 3, 4, 99, 100, 399, 400, 401, 1582, 1900, 1969, 1970, 2000, 2024, 2026, 2100, 9999} {
		for day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == year; day = day.AddDate(0, 0, 1) {
			date := fmt.Sprintf("%04d-%02d-%02d", year, day.Month(), day.Day())
			for _, s := range []string{date, date + "T23:59:59.000001Z", date + " 00:00:01", date + "T12:30:00-03:00"} {
				got, ok := parseTimeFast(s)
				require.True(t, ok, "%q", s)
				want, err := parseTimeLayouts(s)
				require.NoError(t, err, "%q", s)
				require.True(t, sameTime(want.Time, got), "%q: got %v, want %v", s, got, want.Time)
			}
		}
	}
	for _, s := range left {
		_, ok := parseTimeFast(s)
		assert.False(t, ok, "%q", s)
	}
	got, err := ParseTime("2026-01-02T03:04:05.1234567891Z") // past the fast path, still read
	require.NoError(t, err)
	assert.Equal(t, 123456789, got.Nanosecond())
}
