package gorgias

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeDecoding(t *testing.T) {
	cases := map[string]time.Time{
		`"2026-08-26T18:38:33.416987+00:00"`: time.Date(2026, 8, 26, 18, 38, 33, 416987000, time.UTC),
		`"2026-08-26T12:00:00+00:00"`:        time.Date(2026, 8, 26, 12, 0, 0, 0, time.UTC),
		`"2019-11-16T15:59:41.966927"`:       time.Date(2019, 11, 16, 15, 59, 41, 966927000, time.UTC),
		`"2019-11-16T15:59:41"`:              time.Date(2019, 11, 16, 15, 59, 41, 0, time.UTC),
		`"2018-12-04T03:29:37-08:00"`:        time.Date(2018, 12, 4, 11, 29, 37, 0, time.UTC),
		`"2026-08-26T18:38:33Z"`:             time.Date(2026, 8, 26, 18, 38, 33, 0, time.UTC),
	}
	for in, want := range cases {
		var got Time
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		assert.True(t, want.Equal(got.Time), "%s: got %s", in, got.Time)
	}
	var p *Time
	require.NoError(t, json.Unmarshal([]byte(`null`), &p))
	assert.Nil(t, p)
	var v Time
	require.NoError(t, json.Unmarshal([]byte(`null`), &v))
	assert.True(t, v.IsZero())
	for _, bad := range []string{`"yesterday"`, `12`, `{}`, `"2026-13-01T00:00:00"`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &v), bad)
	}
}

func TestTimeEncoding(t *testing.T) {
	out, err := json.Marshal(Time{time.Date(2026, 8, 26, 18, 38, 33, 416987000, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, `"2026-08-26T18:38:33.416987+00:00"`, string(out))
	out, err = json.Marshal(Time{time.Date(2026, 8, 26, 12, 0, 0, 0, time.FixedZone("", -8*3600))})
	require.NoError(t, err)
	assert.Equal(t, `"2026-08-26T12:00:00.000000-08:00"`, string(out))
	out, err = json.Marshal(Time{})
	require.NoError(t, err)
	assert.Equal(t, `null`, string(out))
}

func TestNullable(t *testing.T) {
	type body struct {
		Snooze Nullable[Time]   `json:"snooze_datetime,omitzero"`
		Team   Nullable[IDRef]  `json:"assignee_team,omitzero"`
		Lang   Nullable[string] `json:"language,omitzero"`
	}
	when := Time{time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)}
	out, err := json.Marshal(body{Snooze: NewNullable(when), Team: Null[IDRef]()})
	require.NoError(t, err)
	assert.JSONEq(t, `{"snooze_datetime":"2026-09-01T09:00:00.000000+00:00","assignee_team":null}`, string(out))

	out, err = json.Marshal(body{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(out), "unset fields are left out")

	var back body
	require.NoError(t, json.Unmarshal([]byte(`{"snooze_datetime":null,"language":"fr"}`), &back))
	assert.True(t, back.Snooze.IsNull())
	assert.True(t, back.Team.IsZero())
	lang, ok := back.Lang.Get()
	assert.True(t, ok)
	assert.Equal(t, "fr", lang)
	_, ok = back.Snooze.Get()
	assert.False(t, ok)
}

func TestUnknownEnumValuesDecode(t *testing.T) {
	var tk Ticket
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"status":"pending-review","priority":"urgent-ish","channel":"tiktok-shop","via":"new-app"}`), &tk))
	assert.Equal(t, Status("pending-review"), tk.Status)
	assert.Equal(t, Priority("urgent-ish"), *tk.Priority)
	assert.Equal(t, Channel("tiktok-shop"), tk.Channel)
	assert.Equal(t, Via("new-app"), tk.Via)
}

func TestFieldValueAccessors(t *testing.T) {
	var v struct{ A, B, C, D FieldValue }
	require.NoError(t, json.Unmarshal([]byte(`{"A":"Order::Status::Delivered","B":42.5,"C":true,"D":null}`), &v))
	s, ok := v.A.Text()
	assert.True(t, ok)
	assert.Equal(t, "Order::Status::Delivered", s)
	_, ok = v.A.Number()
	assert.False(t, ok)
	n, ok := v.B.Number()
	assert.True(t, ok)
	assert.Equal(t, 42.5, n)
	b, ok := v.C.Bool()
	assert.True(t, ok)
	assert.True(t, b)
	assert.True(t, v.D.IsNull())
	_, ok = v.D.Text()
	assert.False(t, ok)
}
