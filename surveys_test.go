//go:build !mutation

package gorgias

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSurveysOperations(t *testing.T) {
	ctx := context.Background()
	checkSurvey := func(t *testing.T, result any) {
		s := result.(*Survey)
		assert.Equal(t, int64(6960684), s.ID)
		assert.Equal(t, int64(82697494), *s.TicketID)
		assert.Equal(t, int64(519598046), *s.CustomerID)
		assert.Equal(t, 4, *s.Score)
		assert.Equal(t, "Such speed, much pertinent.", *s.BodyText)
		assert.Equal(t, map[string]any{"externalData": map[string]any{"id": float64(1234)}}, s.Meta)
		assert.Nil(t, s.ShouldSendDatetime, "null: never sent")
		assert.Equal(t, time.Date(2026, 8, 26, 12, 30, 0, 0, time.UTC), s.ScoredDatetime.UTC())
	}
	scored := Time{time.Date(2026, 8, 26, 12, 30, 0, 0, time.UTC)}
	runOpCases(t, []opCase{
		{
			name: "create",
			call: func(c *Client) (any, error) {
				return c.Surveys.Create(ctx, &CreateSurveyRequest{CustomerID: 519598046, TicketID: 82697494, Score: Ptr(4),
					BodyText: "Such speed, much pertinent.", ScoredDatetime: &scored, Meta: map[string]any{"source": "import"},
					ShouldSendDatetime: Null[Time]()})
			},
			fixture: "survey.json", method: "POST", path: "/api/satisfaction-surveys",
			body: `{"customer_id":519598046,"ticket_id":82697494,"score":4,"body_text":"Such speed, much pertinent.",
				"scored_datetime":"2026-08-26T12:30:00.000000+00:00","meta":{"source":"import"},"should_send_datetime":null}`,
			check: checkSurvey,
		},
		{
			name:    "get",
			call:    func(c *Client) (any, error) { return c.Surveys.Get(ctx, 6960684) },
			fixture: "survey.json", method: "GET", path: "/api/satisfaction-surveys/6960684",
			check: checkSurvey,
		},
		{
			name: "list",
			call: func(c *Client) (any, error) {
				return c.Surveys.List(ctx, &ListSurveysOptions{TicketID: 82697494, OrderBy: SurveyOrderCreatedAsc})
			},
			fixture: "surveys_page.json", method: "GET", path: "/api/satisfaction-surveys",
			query: "order_by=created_datetime%3Aasc&ticket_id=82697494",
			check: func(t *testing.T, result any) {
				page := result.(*Page[Survey])
				require.Len(t, page.Data, 2)
				assert.Empty(t, page.NextCursor)
			},
		},
		{
			name: "update: score it and never send it",
			call: func(c *Client) (any, error) {
				return c.Surveys.Update(ctx, 6960684, &UpdateSurveyRequest{Score: NewNullable(4), BodyText: NewNullable("Such speed, much pertinent."),
					ScoredDatetime: NewNullable(scored), ShouldSendDatetime: Null[Time]()})
			},
			fixture: "survey.json", method: "PUT", path: "/api/satisfaction-surveys/6960684",
			body: `{"score":4,"body_text":"Such speed, much pertinent.","scored_datetime":"2026-08-26T12:30:00.000000+00:00",
				"should_send_datetime":null}`,
			check: checkSurvey,
		},
	})
}

func TestSurveysAll(t *testing.T) {
	c, ts := newTestClient(t, respond(200, fixture(t, "surveys_page.json")))
	n := 0
	for s, err := range c.Surveys.All(context.Background(), nil) {
		require.NoError(t, err)
		assert.NotZero(t, s.TicketID)
		n++
	}
	assert.Equal(t, 2, n)
	assert.Equal(t, "limit=100", ts.Requests()[0].Query.Encode())
}

func TestSurveysErrors(t *testing.T) {
	ctx := context.Background()
	checkErrorPaths(t, func(c *Client) error {
		_, err := c.Surveys.Create(ctx, &CreateSurveyRequest{CustomerID: 1, TicketID: 2})
		return err
	})
	checkErrorPaths(t, func(c *Client) error { _, err := c.Surveys.Get(ctx, 1); return err })
	checkRejected(t, map[string]func(c *Client) error{
		"request | create: nil":             func(c *Client) error { _, err := c.Surveys.Create(ctx, nil); return err },
		"customer_id | create: no customer": func(c *Client) error { _, err := c.Surveys.Create(ctx, &CreateSurveyRequest{TicketID: 1}); return err },
		"ticket_id | create: no ticket": func(c *Client) error {
			_, err := c.Surveys.Create(ctx, &CreateSurveyRequest{CustomerID: 1})
			return err
		},
		"score | create: score 6": func(c *Client) error {
			_, err := c.Surveys.Create(ctx, &CreateSurveyRequest{CustomerID: 1, TicketID: 1, Score: Ptr(6)})
			return err
		},
		"score | create: score 0": func(c *Client) error {
			_, err := c.Surveys.Create(ctx, &CreateSurveyRequest{CustomerID: 1, TicketID: 1, Score: Ptr(0)})
			return err
		},
		"body_text | create: long body": func(c *Client) error {
			_, err := c.Surveys.Create(ctx, &CreateSurveyRequest{CustomerID: 1, TicketID: 1, BodyText: strings.Repeat("x", 1001)})
			return err
		},
		"score | update: score 6": func(c *Client) error {
			_, err := c.Surveys.Update(ctx, 1, &UpdateSurveyRequest{Score: NewNullable(6)})
			return err
		},
		"id | update: id 0": func(c *Client) error { _, err := c.Surveys.Update(ctx, 0, &UpdateSurveyRequest{}); return err },
		"id | get: id -1":   func(c *Client) error { _, err := c.Surveys.Get(ctx, -1); return err },
		"limit | list: limit 101": func(c *Client) error {
			_, err := c.Surveys.List(ctx, &ListSurveysOptions{ListOptions: ListOptions{Limit: 101}})
			return err
		},
		"ticket_id | list: ticket -1": func(c *Client) error { _, err := c.Surveys.List(ctx, &ListSurveysOptions{TicketID: -1}); return err },
	})
}

func TestSurveysFixturesRoundTrip(t *testing.T) {
	assertRoundTrip[Survey](t, "survey.json")
	assertRoundTrip[Page[Survey]](t, "surveys_page.json")
}
