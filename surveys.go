package gorgias

// SurveysService manages satisfaction surveys: /api/satisfaction-surveys.
type SurveysService service

// Survey is a satisfaction survey. Embedded in a ticket it has no URI.
type Survey struct {
	ID         int64  `json:"id"`
	URI        string `json:"uri,omitempty"`
	TicketID   int64  `json:"ticket_id"`
	CustomerID int64  `json:"customer_id"`
	// Score is 1 to 5, or nil until the customer answers.
	Score    *int           `json:"score"`
	BodyText *string        `json:"body_text"`
	Meta     map[string]any `json:"meta"`

	CreatedDatetime *Time `json:"created_datetime"`
	SentDatetime    *Time `json:"sent_datetime"`
	ScoredDatetime  *Time `json:"scored_datetime"`
	// ShouldSendDatetime is when the survey is due; nil means never sent.
	ShouldSendDatetime *Time `json:"should_send_datetime"`
}

func (s *Survey) validate() error { return requireID("satisfaction survey", s.ID) }
