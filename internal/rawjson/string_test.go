package rawjson

import (
	"encoding/json"
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
