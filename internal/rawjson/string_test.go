package rawjson

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAppendStringIsEncodingJSON compares AppendString with encoding/json
// on the strings whose escaping differs from one encoder to another.
func TestAppendStringIsEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote" back\`, "a<b>&c", "\x00\x01\b\f\n\r\t\x1f\x7f", "é ☃ 😀",
		"line\u2028para\u2029", string([]byte{0xff, 'x', 0xc3}), "\xed\xa0\x80"} {
		t.Run(s, func(t *testing.T) {
			want, err := json.Marshal(s)
			require.NoError(t, err)
			got := AppendString(nil, s)
			if utf8.ValidString(s) {
				assert.Equal(t, string(want), string(got))
			} else {
				// Invalid UTF-8 is U+FFFD either way; GOEXPERIMENT=jsonv2's
				// encoding/json writes it literally, not as \ufffd.
				var a, b string
				require.NoError(t, json.Unmarshal(want, &a))
				require.NoError(t, json.Unmarshal(got, &b))
				assert.Equal(t, a, b)
			}
			assert.Equal(t, "x"+string(got), string(AppendString([]byte("x"), s)), "appends")
		})
	}
}

// TestScanStringEveryPosition: a quote, a backslash, a control byte or a
// non-ASCII byte at every position of strings of every length up to 40
// is found as one byte at a time would (the scanner reads eight at a
// time), by scanString and by content alike.
func TestScanStringEveryPosition(t *testing.T) {
	for n := range 40 {
		for pos := range n {
			for _, special := range []string{`"`, `\n`, "\x01", "\x1f", "é", "\x7f", " ", "\xff"} {
				body := strings.Repeat("a", pos) + special + strings.Repeat("b", n-pos)
				doc := []byte(`"` + body + `"`)
				ds := decodeState{data: doc}
				end, plain, err := ds.scanString(0)
				// content validates as it decodes: the same end, the same error.
				_, cend, view, cerr := ds.content(0)
				require.Equal(t, end, cend, "%q", doc)
				require.Equal(t, err, cerr, "%q", doc)
				require.Equal(t, plain, view && err == nil && special[0] < 0x80, "%q", doc)
				if special == `"` {
					require.NoError(t, err, "%q", doc)
					require.Equal(t, pos+2, end, "%q", doc)
					continue
				}
				var want string
				if json.Unmarshal(doc, &want) != nil {
					require.Error(t, err, "%q", doc)
					continue
				}
				require.NoError(t, err, "%q", doc)
				require.Equal(t, len(doc), end, "%q", doc)
				require.Equal(t, special[0] < 0x80 && special[0] != '\\', plain, "%q", doc)
			}
		}
	}
}

// TestUnquoteIsEncodingJSON: strings with escapes, surrogates (paired,
// lone, reversed) and invalid UTF-8 at every position decode to what
// encoding/json decodes them to (content copies the bytes between escapes
// a word at a time).
func TestUnquoteIsEncodingJSON(t *testing.T) {
	specials := []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00e9`, `\u2028`, `\ud83d\ude00`,
		`\ud83d`, `\ude00`, `\ude00\ud83d`, `\ud83dx`, `\ud83d\n`, `\ud83d\u0041`, "é", "😀", "\xff", "\xc3", "\xed\xa0\x80", "\xf0\x9f\x98"}
	for n := range 20 {
		for pos := range n + 1 {
			for _, a := range specials {
				for _, b := range []string{"", `\n`, "é", "\xff", `\ud83d`} {
					doc := []byte(`"` + strings.Repeat("a", pos) + a + strings.Repeat("b", n-pos) + b + `"`)
					var want string
					require.NoError(t, json.Unmarshal(doc, &want), "%q", doc)
					ds := decodeState{data: doc}
					got, end, err := ds.str(0)
					require.NoError(t, err, "%q", doc)
					require.Equal(t, len(doc), end, "%q", doc)
					require.Equal(t, want, got, "%q", doc)
				}
			}
		}
	}
}

// TestContentFailsAsScanString: a malformed string fails content with
// scanString's error at scanString's offset, whether it comes before the
// first escape (content's first loop) or after one (unescape's).
func TestContentFailsAsScanString(t *testing.T) {
	for _, before := range []string{"", `\t`, "\xff", "é"} {
		for n := range 20 {
			for _, bad := range []string{`\`, `\q`, `\u12`, `\u12x4`, `\ud83d\u12`, `\ud83d\uzzzz`, "\x01", "\x1f", "a", `\"`} {
				doc := []byte(`"` + strings.Repeat("a", n) + before + strings.Repeat("b", n%9) + bad)
				ds := decodeState{data: doc}
				end, _, err := ds.scanString(0)
				require.Error(t, err, "%q", doc)
				_, cend, _, cerr := ds.content(0)
				require.Equal(t, end, cend, "%q", doc)
				require.Equal(t, err, cerr, "%q", doc)
			}
		}
	}
}

// TestMultiByteIsUTF8 checks the two- and three-byte fast path against
// utf8.DecodeRune for every lead byte and every following pair: it says
// "valid, n bytes" only where DecodeRune decodes n bytes, and takes every
// valid two- and three-byte sequence.
func TestMultiByteIsUTF8(t *testing.T) {
	d := make([]byte, 4)
	taken := 0
	for c := 0x80; c <= 0xFF; c++ {
		for c1 := range 256 {
			for c2 := range 256 {
				d[0], d[1], d[2], d[3] = byte(c), byte(c1), byte(c2), '"'
				n := multiByte(d, 0)
				r, size := utf8.DecodeRune(d)
				valid := r != utf8.RuneError || size != 1
				if n != 0 {
					taken++
					if !valid || size != n {
						t.Fatalf("% x: multiByte says %d bytes, DecodeRune %q of %d", d[:3], n, r, size)
					}
				} else if valid && size < 4 {
					t.Fatalf("% x: multiByte refuses a valid %d-byte sequence", d[:3], size)
				}
			}
		}
	}
	// Every two-byte sequence (1,920 leads and seconds, times 256 thirds)
	// and three-byte one (61,440 of them), counted once per third byte.
	assert.Equal(t, 1920*256+61440, taken)
	// Cut short by the end of the input: left to DecodeRune.
	assert.Zero(t, multiByte([]byte("\xc3\xa9"), 0))
}

// TestLiteralFastPathAgrees: literal's one comparison takes exactly the
// inputs that hold the literal, and fails every other as misliteral (the
// byte-by-byte reading) does, at the same offset.
func TestLiteralFastPathAgrees(t *testing.T) {
	for _, lit := range []string{"null", "true", "false"} {
		for cut := range len(lit) + 1 {
			for _, tail := range []string{"", ",", "x", "}"} {
				for _, bad := range []string{"", "X"} {
					in := lit[:cut] + bad + lit[min(cut+len(bad), len(lit)):] + tail
					ds := decodeState{data: []byte(" " + in)}
					end, err := ds.literal(1, lit)
					if strings.HasPrefix(in, lit) {
						require.NoError(t, err, "%q", in)
						assert.Equal(t, 1+len(lit), end, "%q", in)
						continue
					}
					wantEnd, wantErr := ds.misliteral(1, lit)
					require.Error(t, err, "%q", in)
					assert.Equal(t, wantEnd, end, "%q", in)
					assert.Equal(t, wantErr, err, "%q", in)
				}
			}
		}
	}
}
