package gorgias

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorDecoding(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		body       []byte
		headers    []string
		wantMsg    string
		wantFields map[string][]string
		wantIs     error
	}{
		{name: "validation", status: 400, body: fixture(t, "error_400.json"), wantMsg: "Failed to create ticket",
			wantFields: map[string][]string{"sender": {"Missing data for required field."}, "channel": {"Missing data for required field."}}},
		{name: "not found", status: 404, body: fixture(t, "error_404.json"), wantMsg: "Resource not found.", wantIs: ErrNotFound},
		{name: "conflict", status: 409, body: fixture(t, "error_409.json"), wantMsg: "The resource already exists.", wantIs: ErrConflict},
		{name: "error as string", status: 401, body: []byte(`{"error": "Invalid credentials"}`), wantMsg: "Invalid credentials", wantIs: ErrUnauthorized},
		{name: "forbidden", status: 403, body: []byte(`{"error":{"msg":"Your role does not allow this"}}`), wantMsg: "Your role does not allow this", wantIs: ErrForbidden},
		{name: "nested field errors", status: 400, body: []byte(`{"error":{"msg":"Bad","data":{"messages":{"0":{"channel":["Missing data for required field."]}},"tags":[["too long"]]}}}`),
			wantMsg: "Bad", wantFields: map[string][]string{"messages.0.channel": {"Missing data for required field."}, "tags.0": {"too long"}}},
		{name: "html from a proxy", status: 502, body: []byte("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"), wantMsg: "502 Bad Gateway"},
		{name: "plain text", status: 500, body: []byte("upstream\n  connect error"), wantMsg: "upstream connect error"},
		{name: "empty body", status: 404, body: nil, wantMsg: "", wantIs: ErrNotFound},
		{name: "rate limited", status: 429, body: []byte(`{"error":{"msg":"Too Many Requests"}}`), headers: []string{"Retry-after", "7"}, wantMsg: "Too Many Requests", wantIs: ErrRateLimited},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			headers := append([]string{"X-Request-Id", "8593a1fc"}, tc.headers...)
			c, _ := newTestClient(t, respond(tc.status, tc.body, headers...), WithRetryPolicy(0, 0, 0))
			_, err := c.Tickets.Get(context.Background(), 42, nil)
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.wantMsg, apiErr.Message)
			assert.Equal(t, tc.wantFields, apiErr.Fields)
			assert.Equal(t, "8593a1fc", apiErr.RequestID)
			assert.Equal(t, "GET", apiErr.Method)
			assert.Equal(t, "/api/tickets/42", apiErr.Path)
			if tc.wantIs != nil {
				assert.ErrorIs(t, err, tc.wantIs)
			}
			for _, other := range []error{ErrNotFound, ErrConflict, ErrUnauthorized, ErrForbidden, ErrRateLimited} {
				if !errors.Is(other, tc.wantIs) {
					assert.False(t, errors.Is(err, other), "%v should not match %v", err, other)
				}
			}
			assert.Contains(t, err.Error(), tc.wantMsg)
		})
	}
}

func TestErrorMessageFormat(t *testing.T) {
	e := &Error{StatusCode: 400, Method: "POST", Path: "/api/tickets", Message: "Failed to create ticket",
		Fields: map[string][]string{"sender": {"Missing"}, "channel": {"Missing", "Bad"}}, RequestID: "r1"}
	assert.Equal(t, "gorgias: POST /api/tickets: 400 Bad Request: Failed to create ticket (channel: Missing, Bad; sender: Missing) [request id r1]", e.Error())
	e = &Error{StatusCode: 429, Method: "GET", Path: "/api/tags", RetryAfter: 5 * time.Second}
	assert.Equal(t, "gorgias: GET /api/tags: 429 Too Many Requests [retry after 5s]", e.Error())
}

func TestErrorBodyIsBounded(t *testing.T) {
	huge := "<html><body>" + strings.Repeat("x", 3<<20) + "</body></html>"
	c, _ := newTestClient(t, respond(500, []byte(huge)), WithRetryPolicy(0, 0, 0))
	_, err := c.Tickets.Get(context.Background(), 1, nil)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.LessOrEqual(t, len(apiErr.Message), 210)
}

func TestValidationErrorListsEveryProblem(t *testing.T) {
	c, ts := newTestClient(t, respond(200, nil))
	_, err := c.Tickets.Create(context.Background(), &CreateTicketRequest{
		Messages: []CreateMessageRequest{{BodyText: "hi"}, {Channel: ChannelEmail, FromAgent: Ptr(true)}},
		Customer: &CustomerRef{},
		Tags:     []TagRef{{}},
	})
	requireNoRequest(t, ts, err)
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "Tickets.Create", verr.Op)
	var fields []string
	for _, p := range verr.Problems {
		fields = append(fields, p.Field)
	}
	assert.ElementsMatch(t, []string{"messages.0.channel", "messages.0.from_agent", "messages.1.body_text", "customer", "tags.0"}, fields)
	assert.Contains(t, err.Error(), "messages.0.channel: is required")
}

// TestSuccessBodyIsBounded: a 2xx larger than the limit is an error, not
// an unbounded read.
func TestSuccessBodyIsBounded(t *testing.T) {
	_, err := readAll(strings.NewReader(strings.Repeat("x", 101)), 100, -1)
	require.Error(t, err)
	data, err := readAll(strings.NewReader(strings.Repeat("x", 100)), 100, 100)
	require.NoError(t, err)
	assert.Len(t, data, 100)
}
