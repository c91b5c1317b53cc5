package gorgias

import (
	"context"
	"iter"
)

// VoiceService reads voice calls, their events and recordings:
// /api/phone/voice-calls, /api/phone/voice-call-events and
// /api/phone/voice-call-recordings. Only recordings can be deleted.
type VoiceService struct{ service }

// VoiceCall is a phone call handled by Gorgias Voice (Twilio).
type VoiceCall struct {
	ID            int64         `json:"id"`
	IntegrationID *int64        `json:"integration_id"`
	TicketID      *int64        `json:"ticket_id"`
	PhoneNumberID int64         `json:"phone_number_id"`
	ExternalID    *string       `json:"external_id"` // Twilio's CallSid
	Provider      *string       `json:"provider"`
	Status        *CallStatus   `json:"status"`
	Direction     CallDirection `json:"direction"`

	PhoneNumberSource      *string `json:"phone_number_source"`
	CountrySource          *string `json:"country_source"`
	PhoneNumberDestination *string `json:"phone_number_destination"`
	CountryDestination     *string `json:"country_destination"`
	// Duration is in seconds; nil while the call is going on.
	Duration *int `json:"duration"`

	StartedDatetime *Time `json:"started_datetime"`
	CreatedDatetime *Time `json:"created_datetime"`
	UpdatedDatetime *Time `json:"updated_datetime"`

	InitiatedByAgentID    *int64        `json:"initiated_by_agent_id"`
	LastAnsweredByAgentID *int64        `json:"last_answered_by_agent_id"`
	CustomerID            *int64        `json:"customer_id"`
	LastRangAgentID       *int64        `json:"last_rang_agent_id"`
	HasVoicemail          *bool         `json:"has_voicemail"`
	HasCallRecording      *bool         `json:"has_call_recording"`
	Summaries             []CallSummary `json:"summaries"`

	TerminationStatus            *CallTerminationStatus `json:"termination_status"`
	QueueID                      *int64                 `json:"queue_id"`
	StatusInQueue                *string                `json:"status_in_queue"`
	AnsweredByExternalNumber     *string                `json:"answered_by_external_number"`
	AnsweredByExternalCustomerID *int64                 `json:"answered_by_external_customer_id"`
	MonitoringStatus             CallMonitoringStatus   `json:"monitoring_status"`
	LastMonitoringAgentID        *int64                 `json:"last_monitoring_agent_id"`

	// Raw keeps what the API sent that the fields above do not hold as
	// sent, such as fields Gorgias added later: see RawFields.
	Raw RawFields `json:"-"`
}

func (c *VoiceCall) validate() error { return requireID("voice call", c.ID) }

// CallSummary is an AI summary of a recorded call.
type CallSummary struct {
	ID              int64     `json:"id"`
	RecordingID     int64     `json:"recording_id"`
	Summary         string    `json:"summary"`
	CreatedDatetime *Time     `json:"created_datetime"`
	Raw             RawFields `json:"-"`
}

// CallStatus is a voice call's status. Unknown values decode as they are.
type CallStatus string

// Voice call statuses.
const (
	CallStatusAnswered   CallStatus = "answered"
	CallStatusConnected  CallStatus = "connected"
	CallStatusInProgress CallStatus = "in-progress"
	CallStatusInitiated  CallStatus = "initiated"
	CallStatusQueued     CallStatus = "queued"
	CallStatusRinging    CallStatus = "ringing"
	CallStatusEnding     CallStatus = "ending"
	CallStatusBusy       CallStatus = "busy"
	CallStatusCanceled   CallStatus = "canceled"
	CallStatusCompleted  CallStatus = "completed"
	CallStatusFailed     CallStatus = "failed"
	CallStatusNoAnswer   CallStatus = "no-answer"
	CallStatusMissed     CallStatus = "missed"
)

// CallDirection is inbound or outbound.
type CallDirection string

// Voice call directions.
const (
	CallDirectionInbound  CallDirection = "inbound"
	CallDirectionOutbound CallDirection = "outbound"
)

// CallTerminationStatus is how a call ended.
type CallTerminationStatus string

// Voice call termination statuses.
const (
	CallTerminationAnswered          CallTerminationStatus = "answered"
	CallTerminationCancelled         CallTerminationStatus = "cancelled"
	CallTerminationMissed            CallTerminationStatus = "missed"
	CallTerminationAbandoned         CallTerminationStatus = "abandoned"
	CallTerminationCallbackRequested CallTerminationStatus = "callback-requested"
)

// CallMonitoringStatus tells whether a supervisor is listening to a call.
type CallMonitoringStatus string

// Voice call monitoring statuses.
const (
	CallMonitoringListening  CallMonitoringStatus = "listening"
	CallMonitoringWhispering CallMonitoringStatus = "whispering"
	CallMonitoringNone       CallMonitoringStatus = "none"
)

// VoiceCallEvent is one step of a call: ringing, answered, transferred…
type VoiceCallEvent struct {
	ID              int64         `json:"id"`
	Type            CallEventType `json:"type"`
	AccountID       int64         `json:"account_id"`
	CallID          int64         `json:"call_id"`
	UserID          *int64        `json:"user_id"`
	CustomerID      *int64        `json:"customer_id"`
	CreatedDatetime *Time         `json:"created_datetime"`
	// Meta is the event's free-form data. The API documents an object
	// but its example sends the object as a JSON string ("{}"): both
	// decode, as for every object field (see RawFields), and the string
	// is written back as it came. A string that does not hold a JSON
	// object leaves Meta nil; Raw.Get("meta") returns it.
	Meta map[string]any `json:"meta"`

	// Raw keeps what the API sent that the fields above do not hold as
	// sent, such as fields Gorgias added later: see RawFields.
	Raw RawFields `json:"-"`
}

func (e *VoiceCallEvent) validate() error { return requireID("voice call event", e.ID) }

// CallEventType is the type of a voice call event.
type CallEventType string

// Voice call event types.
const (
	CallEventAnswered                   CallEventType = "phone-call-answered"
	CallEventRinging                    CallEventType = "phone-call-ringing"
	CallEventDialFailed                 CallEventType = "phone-call-dial-failed"
	CallEventAgentDialed                CallEventType = "phone-call-agent-dialed"
	CallEventIncoming                   CallEventType = "incoming-phone-call"
	CallEventOutgoing                   CallEventType = "outgoing-phone-call"
	CallEventCompleted                  CallEventType = "completed-phone-call"
	CallEventRecording                  CallEventType = "call-recording"
	CallEventMissed                     CallEventType = "missed-phone-call"
	CallEventDeclined                   CallEventType = "declined-phone-call"
	CallEventEndingTriggered            CallEventType = "call-ending-triggered"
	CallEventVoicemailRecording         CallEventType = "voicemail-recording"
	CallEventConversationStarted        CallEventType = "phone-call-conversation-started"
	CallEventForwardedToExternalNumber  CallEventType = "phone-call-forwarded-to-external-number"
	CallEventForwardedToGorgiasNumber   CallEventType = "phone-call-forwarded-to-gorgias-number"
	CallEventForwarded                  CallEventType = "phone-call-forwarded"
	CallEventMessagePlayed              CallEventType = "message-played"
	CallEventOutgoingConnected          CallEventType = "outgoing-phone-call-connected"
	CallEventChildCallNotAnswered       CallEventType = "child-call-not_answered"
	CallEventTransferInitiated          CallEventType = "phone-call-transfer-initiated"
	CallEventTransferFailed             CallEventType = "phone-call-transfer-failed"
	CallEventEnqueued                   CallEventType = "phone-call-enqueued"
	CallEventEnqueueSkipped             CallEventType = "phone-call-enqueue-skipped"
	CallEventDequeued                   CallEventType = "phone-call-dequeued"
	CallEventWrapUpStarted              CallEventType = "phone-call-wrap-up-started"
	CallEventWrapUpEnded                CallEventType = "phone-call-wrap-up-ended"
	CallEventIVRMenuPresented           CallEventType = "ivr-menu-presented"
	CallEventIVROptionSelected          CallEventType = "ivr-option-selected"
	CallEventDeflectedToSMS             CallEventType = "phone-call-deflected-to-sms"
	CallEventCustomerFieldConditionEval CallEventType = "customer-field-conditional-evaluated"
	CallEventMonitoringStarted          CallEventType = "monitoring-started"
	CallEventMonitoringEnded            CallEventType = "monitoring-ended"
	CallEventMonitoringUpdated          CallEventType = "monitoring-updated"
)

// VoiceCallRecording is a call recording or a voicemail.
type VoiceCallRecording struct {
	ID         int64   `json:"id"`
	CallID     int64   `json:"call_id"`
	ExternalID *string `json:"external_id"` // Twilio's RecordingSid
	// URL of the MP3; nil once deleted.
	URL                 *string              `json:"url"`
	Duration            *int                 `json:"duration"` // seconds
	Type                RecordingType        `json:"type"`
	CreatedDatetime     *Time                `json:"created_datetime"`
	DeletedDatetime     *Time                `json:"deleted_datetime"`
	DeletedByUserID     *int64               `json:"deleted_by_user_id"`
	ErrorCode           *string              `json:"error_code"` // e.g. RECORDING_IS_PRIVATE
	TranscriptionStatus *TranscriptionStatus `json:"transcription_status"`

	// Raw keeps what the API sent that the fields above do not hold as
	// sent, such as fields Gorgias added later: see RawFields.
	Raw RawFields `json:"-"`
}

func (r *VoiceCallRecording) validate() error { return requireID("voice call recording", r.ID) }

// RecordingType tells a call recording from a voicemail.
type RecordingType string

// Recording types.
const (
	RecordingTypeCallRecording RecordingType = "call-recording"
	RecordingTypeVoicemail     RecordingType = "voicemail"
)

// TranscriptionStatus is where a recording's transcription stands.
type TranscriptionStatus string

// Transcription statuses.
const (
	TranscriptionRequested               TranscriptionStatus = "requested"
	TranscriptionCompleted               TranscriptionStatus = "completed"
	TranscriptionFailed                  TranscriptionStatus = "failed"
	TranscriptionRecordingTooShort       TranscriptionStatus = "recording_too_short"
	TranscriptionRecordingTooLong        TranscriptionStatus = "recording_too_long"
	TranscriptionLowQualityTranscription TranscriptionStatus = "low_quality_transcription"
)

// ListCallsOptions are the filters of Voice.ListCalls and AllCalls.
type ListCallsOptions struct {
	ListOptions
	// TicketID lists the calls of one ticket.
	TicketID int64 `url:"ticket_id,omitempty"`
}

// ListCallItemsOptions are the filters of the lists of a call's events and
// recordings.
type ListCallItemsOptions struct {
	ListOptions
	// CallID lists the events or recordings of one call.
	CallID int64 `url:"call_id,omitempty"`
}

const (
	callsPath      = "phone/voice-calls"
	callEventsPath = "phone/voice-call-events"
	recordingsPath = "phone/voice-call-recordings"
)

// listVoice validates list options with an optional id filter and fetches
// one page: the three voice lists differ only in path and filter name.
func listVoice[T any](ctx context.Context, c *Client, op, path string, lo *ListOptions, filter string, filterID int64, opts any, callOpts []CallOption) (*Page[T], error) {
	v := newValidator(op)
	lo.validate(v)
	v.check(filterID >= 0, filter, "must be a positive id")
	if err := v.err(); err != nil {
		return nil, err
	}
	return listPage[T](ctx, c, op, path, opts, callOpts)
}

// ListCalls returns one page of voice calls (GET /api/phone/voice-calls).
// opts may be nil.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-voice-calls
func (s *VoiceService) ListCalls(ctx context.Context, opts *ListCallsOptions, callOpts ...CallOption) (*Page[VoiceCall], error) {
	var o ListCallsOptions
	if opts != nil {
		o = *opts
	}
	return listVoice[VoiceCall](ctx, s.client, "Voice.ListCalls", callsPath, &o.ListOptions, "ticket_id", o.TicketID, &o, callOpts)
}

// AllCalls iterates over every voice call matching opts.
func (s *VoiceService) AllCalls(ctx context.Context, opts *ListCallsOptions, callOpts ...CallOption) iter.Seq2[*VoiceCall, error] {
	return listAll(ctx, callsPath, opts, s.ListCalls, callOpts)
}

// GetCall returns a voice call (GET /api/phone/voice-calls/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-voice-call
func (s *VoiceService) GetCall(ctx context.Context, id int64, callOpts ...CallOption) (*VoiceCall, error) {
	return getByID[VoiceCall](ctx, s.client, "Voice.GetCall", callsPath, id, callOpts)
}

// ListCallEvents returns one page of voice call events
// (GET /api/phone/voice-call-events). The API documents a bare array for
// this list; it decodes as a single, last page. opts may be nil.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-voice-call-events
func (s *VoiceService) ListCallEvents(ctx context.Context, opts *ListCallItemsOptions, callOpts ...CallOption) (*Page[VoiceCallEvent], error) {
	var o ListCallItemsOptions
	if opts != nil {
		o = *opts
	}
	return listVoice[VoiceCallEvent](ctx, s.client, "Voice.ListCallEvents", callEventsPath, &o.ListOptions, "call_id", o.CallID, &o, callOpts)
}

// AllCallEvents iterates over every voice call event matching opts.
func (s *VoiceService) AllCallEvents(ctx context.Context, opts *ListCallItemsOptions, callOpts ...CallOption) iter.Seq2[*VoiceCallEvent, error] {
	return listAll(ctx, callEventsPath, opts, s.ListCallEvents, callOpts)
}

// GetCallEvent returns a voice call event
// (GET /api/phone/voice-call-events/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-voice-call-event
func (s *VoiceService) GetCallEvent(ctx context.Context, id int64, callOpts ...CallOption) (*VoiceCallEvent, error) {
	return getByID[VoiceCallEvent](ctx, s.client, "Voice.GetCallEvent", callEventsPath, id, callOpts)
}

// ListRecordings returns one page of call recordings and voicemails
// (GET /api/phone/voice-call-recordings). The API documents a bare array
// for this list; it decodes as a single, last page. opts may be nil.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-voice-call-recordings
func (s *VoiceService) ListRecordings(ctx context.Context, opts *ListCallItemsOptions, callOpts ...CallOption) (*Page[VoiceCallRecording], error) {
	var o ListCallItemsOptions
	if opts != nil {
		o = *opts
	}
	return listVoice[VoiceCallRecording](ctx, s.client, "Voice.ListRecordings", recordingsPath, &o.ListOptions, "call_id", o.CallID, &o, callOpts)
}

// AllRecordings iterates over every recording matching opts.
func (s *VoiceService) AllRecordings(ctx context.Context, opts *ListCallItemsOptions, callOpts ...CallOption) iter.Seq2[*VoiceCallRecording, error] {
	return listAll(ctx, recordingsPath, opts, s.ListRecordings, callOpts)
}

// GetRecording returns a call recording
// (GET /api/phone/voice-call-recordings/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-voice-call-recording
func (s *VoiceService) GetRecording(ctx context.Context, id int64, callOpts ...CallOption) (*VoiceCallRecording, error) {
	return getByID[VoiceCallRecording](ctx, s.client, "Voice.GetRecording", recordingsPath, id, callOpts)
}

// DeleteRecording deletes a call recording
// (DELETE /api/phone/voice-call-recordings/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/delete-voice-call-recording
func (s *VoiceService) DeleteRecording(ctx context.Context, id int64, callOpts ...CallOption) error {
	return deleteByID(ctx, s.client, "Voice.DeleteRecording", recordingsPath, id, callOpts)
}
