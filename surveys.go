package gorgias

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// SurveysService manages satisfaction surveys: /api/satisfaction-surveys.
type SurveysService struct{ service }

// Survey is a satisfaction survey. Embedded in a ticket it has no URI.
type Survey struct {
	ID         int64  `json:"id"`
	URI        string `json:"uri,omitempty"`
	TicketID   *int64 `json:"ticket_id"`
	CustomerID *int64 `json:"customer_id"`
	// Score is 1 to 5, or nil until the customer answers.
	Score    *int           `json:"score"`
	BodyText *string        `json:"body_text"`
	Meta     map[string]any `json:"meta"`

	CreatedDatetime *Time `json:"created_datetime"`
	SentDatetime    *Time `json:"sent_datetime"`
	ScoredDatetime  *Time `json:"scored_datetime"`
	// ShouldSendDatetime is when the survey is due; nil means never sent.
	ShouldSendDatetime *Time `json:"should_send_datetime"`

	// Raw keeps what the API sent that the fields above do not hold as
	// sent, such as fields Gorgias added later: see RawFields.
	Raw RawFields `json:"-"`
}

func (s *Survey) validate() error { return requireID("satisfaction survey", s.ID) }

// MaxSurveyBodyLength is the longest comment a survey may carry.
const MaxSurveyBodyLength = 1000

// CreateSurveyRequest is the body of Surveys.Create. CustomerID and TicketID
// are required; a ticket has at most one survey. ShouldSendDatetime
// schedules the survey; Null[Time]() sends an explicit null, which means it
// is never sent (left unset, Gorgias applies the account's settings).
type CreateSurveyRequest struct {
	CustomerID int64 `json:"customer_id"`
	TicketID   int64 `json:"ticket_id"`
	// Score is 1 to 5.
	Score    *int           `json:"score,omitempty"`
	BodyText string         `json:"body_text,omitempty"`
	Meta     map[string]any `json:"meta,omitempty"`

	CreatedDatetime    *Time          `json:"created_datetime,omitempty"`
	SentDatetime       *Time          `json:"sent_datetime,omitempty"`
	ScoredDatetime     *Time          `json:"scored_datetime,omitempty"`
	ShouldSendDatetime Nullable[Time] `json:"should_send_datetime,omitzero"`
}

// UpdateSurveyRequest is the body of Surveys.Update: no field is required,
// only the fields set change (at least one must be), and Null clears one.
// ShouldSendDatetime: Null stops a survey from being sent.
type UpdateSurveyRequest struct {
	// CustomerID and TicketID move the survey to another customer or
	// ticket.
	CustomerID *int64 `json:"customer_id,omitempty"`
	TicketID   *int64 `json:"ticket_id,omitempty"`

	Score    Nullable[int]            `json:"score,omitzero"`
	BodyText Nullable[string]         `json:"body_text,omitzero"`
	Meta     Nullable[map[string]any] `json:"meta,omitzero"`

	CreatedDatetime    *Time          `json:"created_datetime,omitempty"`
	SentDatetime       Nullable[Time] `json:"sent_datetime,omitzero"`
	ScoredDatetime     Nullable[Time] `json:"scored_datetime,omitzero"`
	ShouldSendDatetime Nullable[Time] `json:"should_send_datetime,omitzero"`
}

// SurveyOrder is a sort order for Surveys.List.
type SurveyOrder string

// Sort orders for Surveys.List.
const (
	SurveyOrderCreatedAsc  SurveyOrder = "created_datetime:asc"
	SurveyOrderCreatedDesc SurveyOrder = "created_datetime:desc" // the API's default
)

// ListSurveysOptions are the filters of Surveys.List and Surveys.All; none
// is required.
type ListSurveysOptions struct {
	ListOptions
	// TicketID lists the survey of one ticket.
	TicketID int64       `url:"ticket_id,omitempty"`
	OrderBy  SurveyOrder `url:"order_by,omitempty"`
}

func surveyPath(id int64) string { return "satisfaction-surveys/" + strconv.FormatInt(id, 10) }

func validateScore(v *validator, score int) {
	if score < 1 || score > 5 {
		v.check(false, "score", fmt.Sprintf("must be 1 to 5, got %d", score))
	}
}

func validateSurveyBody(v *validator, body string) {
	v.check(utf8.RuneCountInString(body) <= MaxSurveyBodyLength, "body_text", "at most 1000 characters")
}

// Create creates a satisfaction survey for a ticket
// (POST /api/satisfaction-surveys).
//
// Gorgias API docs: https://developers.gorgias.com/reference/create-satisfaction-survey
func (s *SurveysService) Create(ctx context.Context, req *CreateSurveyRequest, callOpts ...CallOption) (*Survey, error) {
	v := newValidator("Surveys.Create")
	v.check(req != nil, "request", "is required")
	if req != nil {
		v.id("customer_id", req.CustomerID)
		v.id("ticket_id", req.TicketID)
		if req.Score != nil {
			validateScore(v, *req.Score)
		}
		validateSurveyBody(v, req.BodyText)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Survey](ctx, s.client, request{op: "Surveys.Create", method: http.MethodPost, path: "satisfaction-surveys", body: req, opts: callOpts})
}

// Get returns a satisfaction survey (GET /api/satisfaction-surveys/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-satisfaction-survey
func (s *SurveysService) Get(ctx context.Context, id int64, callOpts ...CallOption) (*Survey, error) {
	return getByID[Survey](ctx, s.client, "Surveys.Get", "satisfaction-surveys", id, callOpts)
}

// List returns one page of satisfaction surveys
// (GET /api/satisfaction-surveys). opts may be nil.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-satisfaction-surveys
func (s *SurveysService) List(ctx context.Context, opts *ListSurveysOptions, callOpts ...CallOption) (*Page[Survey], error) {
	v := newValidator("Surveys.List")
	if opts != nil {
		opts.validate(v)
		v.check(opts.TicketID >= 0, "ticket_id", "must be a positive id")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return listPage[Survey](ctx, s.client, "Surveys.List", "satisfaction-surveys", opts, callOpts)
}

// All iterates over every satisfaction survey matching opts, fetching
// pages as the loop advances. Stop early with break.
func (s *SurveysService) All(ctx context.Context, opts *ListSurveysOptions, callOpts ...CallOption) iter.Seq2[*Survey, error] {
	return listAll(ctx, "satisfaction-surveys", opts, s.List, callOpts)
}

// Update changes the fields set in req (PUT /api/satisfaction-surveys/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-satisfaction-survey
func (s *SurveysService) Update(ctx context.Context, id int64, req *UpdateSurveyRequest, callOpts ...CallOption) (*Survey, error) {
	v := newValidator("Surveys.Update")
	v.id("id", id)
	v.check(req != nil, "request", "is required")
	if req != nil {
		if req.CustomerID != nil {
			v.id("customer_id", *req.CustomerID)
		}
		if req.TicketID != nil {
			v.id("ticket_id", *req.TicketID)
		}
		v.check(!isEmptyUpdate(req), "request", "sets no field: nothing to update")
		if score, ok := req.Score.Get(); ok {
			validateScore(v, score)
		}
		if body, ok := req.BodyText.Get(); ok {
			validateSurveyBody(v, body)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Survey](ctx, s.client, request{op: "Surveys.Update", method: http.MethodPut, path: surveyPath(id), body: req, opts: callOpts})
}
