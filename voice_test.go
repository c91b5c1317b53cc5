//go:build !mutation

package gorgias

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVoiceOperations(t *testing.T) {
	ctx := context.Background()
	checkCall := func(t *testing.T, result any) {
		call := result.(*VoiceCall)
		assert.Equal(t, int64(123), call.ID)
		assert.Equal(t, int64(345), *call.TicketID)
		assert.Equal(t, "CA777a8b2bfef8cdf709896080fe94cd10", *call.ExternalID)
		assert.Equal(t, CallStatusCompleted, *call.Status)
		assert.Equal(t, CallDirectionInbound, call.Direction)
		assert.Equal(t, 60, *call.Duration)
		assert.Nil(t, call.InitiatedByAgentID)
		assert.Equal(t, int64(678), *call.LastAnsweredByAgentID)
		assert.True(t, *call.HasCallRecording)
		require.Len(t, call.Summaries, 1)
		assert.Equal(t, int64(234), call.Summaries[0].RecordingID)
		assert.Equal(t, CallTerminationAnswered, *call.TerminationStatus)
		assert.Equal(t, "waiting", *call.StatusInQueue)
		assert.Equal(t, CallMonitoringNone, call.MonitoringStatus)
	}
	checkRecording := func(t *testing.T, result any) {
		r := result.(*VoiceCallRecording)
		assert.Equal(t, int64(123), r.ID)
		assert.Equal(t, RecordingTypeVoicemail, r.Type)
		assert.Equal(t, 20, *r.Duration)
		assert.Contains(t, *r.URL, ".mp3")
		assert.Nil(t, r.DeletedDatetime)
		assert.Nil(t, r.ErrorCode)
		assert.Equal(t, TranscriptionCompleted, *r.TranscriptionStatus)
	}
	runOpCases(t, []opCase{
		{
			name: "list calls",
			call: func(c *Client) (any, error) {
				return c.Voice.ListCalls(ctx, &ListCallsOptions{TicketID: 345, ListOptions: ListOptions{Limit: 10, Cursor: "c"}})
			},
			fixture: "voice_calls_page.json", method: "GET", path: "/api/phone/voice-calls",
			query: "cursor=c&limit=10&ticket_id=345",
			check: func(t *testing.T, result any) {
				page := result.(*Page[VoiceCall])
				require.NotEmpty(t, page.Data)
				call := page.Data[0]
				assert.Equal(t, int64(123), call.ID)
				assert.Equal(t, CallStatusCompleted, *call.Status)
				assert.Equal(t, 60, *call.Duration)
			},
		},
		{
			name:    "get a call",
			call:    func(c *Client) (any, error) { return c.Voice.GetCall(ctx, 123) },
			fixture: "voice_call.json", method: "GET", path: "/api/phone/voice-calls/123",
			check: checkCall,
		},
		{
			name:    "list call events (envelope)",
			call:    func(c *Client) (any, error) { return c.Voice.ListCallEvents(ctx, &ListCallItemsOptions{CallID: 123}) },
			fixture: "voice_call_events_page.json", method: "GET", path: "/api/phone/voice-call-events", query: "call_id=123",
			check: func(t *testing.T, result any) {
				page := result.(*Page[VoiceCallEvent])
				require.NotEmpty(t, page.Data)
				assert.Equal(t, int64(123), page.Data[0].CallID)
			},
		},
		{
			name:    "list call events (bare array)",
			call:    func(c *Client) (any, error) { return c.Voice.ListCallEvents(ctx, nil) },
			fixture: "voice_call_events_array.json", method: "GET", path: "/api/phone/voice-call-events",
			check: func(t *testing.T, result any) {
				page := result.(*Page[VoiceCallEvent])
				require.Len(t, page.Data, 1)
				assert.Empty(t, page.NextCursor, "a bare array is a single, last page")
			},
		},
		{
			name:    "get a call event",
			call:    func(c *Client) (any, error) { return c.Voice.GetCallEvent(ctx, 1001) },
			fixture: "voice_call_event.json", method: "GET", path: "/api/phone/voice-call-events/1001",
			check: func(t *testing.T, result any) {
				e := result.(*VoiceCallEvent)
				assert.Equal(t, CallEventAnswered, e.Type)
				assert.Equal(t, int64(678), *e.UserID)
				assert.Empty(t, e.Meta)
			},
		},
		{
			name:    "list recordings",
			call:    func(c *Client) (any, error) { return c.Voice.ListRecordings(ctx, &ListCallItemsOptions{CallID: 234}) },
			fixture: "voice_call_recordings_page.json", method: "GET", path: "/api/phone/voice-call-recordings", query: "call_id=234",
			check: func(t *testing.T, result any) {
				page := result.(*Page[VoiceCallRecording])
				require.NotEmpty(t, page.Data)
			},
		},
		{
			name:    "get a recording",
			call:    func(c *Client) (any, error) { return c.Voice.GetRecording(ctx, 123) },
			fixture: "voice_call_recording.json", method: "GET", path: "/api/phone/voice-call-recordings/123",
			check: checkRecording,
		},
		{
			name:   "delete a recording",
			call:   func(c *Client) (any, error) { return nil, c.Voice.DeleteRecording(ctx, 123) },
			status: 204, method: "DELETE", path: "/api/phone/voice-call-recordings/123",
		},
	})
}

func TestVoiceAllStopsAfterBareArray(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "voice_call_events_array.json")))
	n := 0
	for e, err := range c.Voice.AllCallEvents(context.Background(), &ListCallItemsOptions{CallID: 123}) {
		require.NoError(t, err)
		assert.NotZero(t, e.ID)
		n++
	}
	assert.Equal(t, 1, n)
	require.Len(t, ts.Requests(), 1)
	assert.Equal(t, "call_id=123&limit=100", ts.Requests()[0].Query.Encode(), "only cursor, limit and the filter are sent")
}

func TestVoiceAllCallsAndRecordings(t *testing.T) {
	c, _ := newTestClient(t, respond(200, fixture(t, "voice_calls_page.json")))
	for call, err := range c.Voice.AllCalls(context.Background(), nil) {
		require.NoError(t, err)
		assert.NotZero(t, call.ID)
	}
	c, _ = newTestClient(t, respond(200, fixture(t, "voice_call_recordings_page.json")))
	for r, err := range c.Voice.AllRecordings(context.Background(), &ListCallItemsOptions{CallID: 234}) {
		require.NoError(t, err)
		assert.NotZero(t, r.ID)
	}
}

// TestEventMetaDecodesObjectOrString: an event's meta may come as an
// object or as a string holding one; a string that holds none, or another
// odd value, leaves Meta nil and is reachable in Raw. Each is written back
// as it came.
func TestEventMetaDecodesObjectOrString(t *testing.T) {
	cases := []struct {
		in   string
		want map[string]any
		raw  bool // kept in Raw
	}{
		{`{}`, map[string]any{}, false},
		{`{"digit":"1"}`, map[string]any{"digit": "1"}, false},
		{`"{}"`, map[string]any{}, true},
		{`"{\"digit\":\"1\"}"`, map[string]any{"digit": "1"}, true},
		{`"queue full"`, nil, true},
		{`null`, nil, false},
		{`""`, nil, true},
		{`[1]`, nil, true},
	}
	for _, c := range cases {
		in := `{"id":1,"meta":` + c.in + `}`
		var e VoiceCallEvent
		require.NoError(t, json.Unmarshal([]byte(in), &e), in)
		assert.Equal(t, c.want, e.Meta, in)
		raw, ok := e.Raw.Get("meta")
		assert.Equal(t, c.raw, ok, in)
		if c.raw {
			assert.JSONEq(t, c.in, string(raw), in)
		}
		out, err := json.Marshal(e)
		require.NoError(t, err)
		assert.JSONEq(t, in, string(out), in)
	}
}

func TestVoiceUnknownEnumsDecode(t *testing.T) {
	var call VoiceCall
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"status":"teleported","direction":"sideways","termination_status":"vanished","monitoring_status":"recording"}`), &call))
	assert.Equal(t, CallStatus("teleported"), *call.Status)
	assert.Equal(t, CallTerminationStatus("vanished"), *call.TerminationStatus)
	var e VoiceCallEvent
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"type":"phone-call-beamed"}`), &e))
	assert.Equal(t, CallEventType("phone-call-beamed"), e.Type)
}

func TestVoiceErrors(t *testing.T) {
	ctx := context.Background()
	checkErrorPaths(t, func(c *Client) error { _, err := c.Voice.GetCall(ctx, 1); return err })
	checkErrorPaths(t, func(c *Client) error { return c.Voice.DeleteRecording(ctx, 1) })
	checkRejected(t, map[string]func(c *Client) error{
		"id | get call: id 0":         func(c *Client) error { _, err := c.Voice.GetCall(ctx, 0); return err },
		"id | get event: id -1":       func(c *Client) error { _, err := c.Voice.GetCallEvent(ctx, -1); return err },
		"id | get recording: id 0":    func(c *Client) error { _, err := c.Voice.GetRecording(ctx, 0); return err },
		"id | delete recording: id 0": func(c *Client) error { return c.Voice.DeleteRecording(ctx, 0) },
		"limit | list calls: limit 101": func(c *Client) error {
			_, err := c.Voice.ListCalls(ctx, &ListCallsOptions{ListOptions: ListOptions{Limit: 101}})
			return err
		},
		"ticket_id | list calls: ticket -1": func(c *Client) error { _, err := c.Voice.ListCalls(ctx, &ListCallsOptions{TicketID: -1}); return err },
		"call_id | list events: call -1": func(c *Client) error {
			_, err := c.Voice.ListCallEvents(ctx, &ListCallItemsOptions{CallID: -1})
			return err
		},
		"limit | list recordings: limit -5": func(c *Client) error {
			_, err := c.Voice.ListRecordings(ctx, &ListCallItemsOptions{ListOptions: ListOptions{Limit: -5}})
			return err
		},
		"call_id | list recordings: call -5": func(c *Client) error {
			_, err := c.Voice.ListRecordings(ctx, &ListCallItemsOptions{CallID: -5})
			return err
		},
	})
}

func TestVoiceFixturesRoundTrip(t *testing.T) {
	assertRoundTrip[VoiceCall](t, "voice_call.json")
	assertRoundTrip[Page[VoiceCall]](t, "voice_calls_page.json")
	assertRoundTrip[VoiceCallEvent](t, "voice_call_event.json")
	assertRoundTrip[Page[VoiceCallEvent]](t, "voice_call_events_page.json")
	assertRoundTrip[VoiceCallRecording](t, "voice_call_recording.json")
	assertRoundTrip[Page[VoiceCallRecording]](t, "voice_call_recordings_page.json")
}
