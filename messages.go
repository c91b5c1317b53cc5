package gorgias

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
	"strings"
)

// MessagesService manages the messages of tickets: /api/tickets/{ticket_id}/messages
// and /api/messages.
type MessagesService struct{ service }

// Message is a ticket message (TicketMessage in the API reference), as
// embedded in a ticket and as returned by the Messages service. A message
// with Public false is an internal note.
type Message struct {
	ID                   int64           `json:"id"`
	URI                  string          `json:"uri"`
	TicketID             int64           `json:"ticket_id"`
	MessageID            *string         `json:"message_id"`
	ExternalID           *string         `json:"external_id"`
	Public               *bool           `json:"public"`
	Channel              Channel         `json:"channel"`
	Via                  Via             `json:"via"`
	Source               *MessageSource  `json:"source"`
	Sender               *User           `json:"sender"`
	Receiver             *User           `json:"receiver"`
	AuthCustomerIdentity json.RawMessage `json:"auth_customer_identity"`
	IntegrationID        *int64          `json:"integration_id"`
	Intents              []Intent        `json:"intents"`
	RuleID               *int64          `json:"rule_id"`
	FromAgent            *bool           `json:"from_agent"`
	Subject              *string         `json:"subject"`
	BodyText             *string         `json:"body_text"`
	BodyHTML             *string         `json:"body_html"`
	StrippedText         *string         `json:"stripped_text"`
	StrippedHTML         *string         `json:"stripped_html"`
	StrippedSignature    *string         `json:"stripped_signature"`
	Attachments          []Attachment    `json:"attachments"`
	Macros               []MessageMacro  `json:"macros"`
	// Actions are the macro actions applied ({name, title, type,
	// arguments, …}).
	Actions  []map[string]any `json:"actions"`
	Headers  map[string]any   `json:"headers"`
	Imported *bool            `json:"imported"`
	Meta     map[string]any   `json:"meta"`
	// LastSendingError is why the message failed to send. Some accounts
	// send a bare string instead of the object: then it is nil and
	// Raw.Get("last_sending_error") returns the string.
	LastSendingError *SendingError   `json:"last_sending_error"`
	IsRetriable      *bool           `json:"is_retriable,omitempty"`
	RepliedBy        json.RawMessage `json:"replied_by,omitempty"`
	RepliedTo        json.RawMessage `json:"replied_to,omitempty"`

	CreatedDatetime   *Time `json:"created_datetime"`
	ProcessedDatetime *Time `json:"processed_datetime"`
	SentDatetime      *Time `json:"sent_datetime"`
	FailedDatetime    *Time `json:"failed_datetime"`
	DeletedDatetime   *Time `json:"deleted_datetime"`
	OpenedDatetime    *Time `json:"opened_datetime"`

	// Raw keeps what the API sent that the fields above do not hold as
	// sent, such as fields Gorgias added later: see RawFields.
	Raw RawFields `json:"-"`
}

func (m *Message) validate() error { return requireID("message", m.ID) }

// MessageSource says where a message came from and went to. In a decoded
// message, To, Cc and Bcc sent as [] or null (or left out) are written
// back the same way.
type MessageSource struct {
	Type  SourceType     `json:"type"`
	From  *Address       `json:"from,omitempty"`
	To    []Address      `json:"to,omitempty"`
	Cc    []Address      `json:"cc,omitempty"`
	Bcc   []Address      `json:"bcc,omitempty"`
	Extra map[string]any `json:"extra,omitempty"`
	Raw   RawFields      `json:"-"`
}

// Address is a name and an address (email, phone number…). Name may be null.
type Address struct {
	// ID is the address's id in Gorgias, in messages it sends.
	ID      *int64    `json:"id,omitempty"`
	Name    *string   `json:"name"`
	Address string    `json:"address"`
	Raw     RawFields `json:"-"`
}

// Attachment is a file attached to a message. On requests, URL, Name and
// ContentType are required.
type Attachment struct {
	URL  string `json:"url"`
	Name string `json:"name"`
	// Size is in bytes. The API may send null: Size is then 0, and
	// Raw.Get("size") returns null.
	Size        int64          `json:"size,omitempty"`
	ContentType string         `json:"content_type"`
	Public      *bool          `json:"public,omitempty"`
	Extra       map[string]any `json:"extra"`
	Raw         RawFields      `json:"-"`
}

// Intent is an intent Gorgias detected in a message.
type Intent struct {
	Name           string `json:"name"`
	Rejected       *bool  `json:"rejected"`
	IsUserFeedback bool   `json:"is_user_feedback"`
	// Confidence is how sure Gorgias is of the intent.
	Confidence *float64  `json:"confidence,omitempty"`
	Raw        RawFields `json:"-"`
}

// SendingError is why a message failed to send: Error in older
// responses, Code and Message in newer ones.
type SendingError struct {
	Error   string    `json:"error"`
	Code    string    `json:"code,omitempty"`
	Message string    `json:"message,omitempty"`
	Raw     RawFields `json:"-"`
}

// MessageMacro is a macro applied to a message.
type MessageMacro struct {
	ID   int64     `json:"id"`
	Name string    `json:"name,omitempty"`
	Raw  RawFields `json:"-"`
}

// CreateMessageRequest is a message to create, in Tickets.Create and
// Messages.Create. Channel and FromAgent are required; Via is required by
// the API too, and the SDK sends ViaAPI when it is left empty.
//
// With SentDatetime set, the message is imported as already sent: Gorgias
// stores it and sends nothing. Without it, an outbound message (FromAgent
// true on a channel like email) is sent by Gorgias through the channel.
//
// An internal note is a message with Channel ChannelInternalNote, Via
// ViaInternalNote (or ViaAPI), Source of type SourceTypeInternalNote,
// Public false and FromAgent true: see InternalNote.
type CreateMessageRequest struct {
	// Action, sent in the query string, tells Gorgias what to do with a
	// message that failed to send: MessageActionForce, Retry or Cancel.
	Action MessageAction `json:"-" url:"action,omitempty"`

	Channel   Channel `json:"channel"`
	FromAgent *bool   `json:"from_agent"`
	// Via tells how the message was created; empty sends ViaAPI.
	Via Via `json:"via"`
	// Public false makes the message an internal note.
	Public            *bool          `json:"public,omitempty"`
	Subject           string         `json:"subject,omitempty"`
	BodyText          string         `json:"body_text,omitempty"`
	BodyHTML          string         `json:"body_html,omitempty"`
	StrippedText      string         `json:"stripped_text,omitempty"`
	StrippedHTML      string         `json:"stripped_html,omitempty"`
	StrippedSignature string         `json:"stripped_signature,omitempty"`
	Source            *MessageSource `json:"source,omitempty"`
	// Sender and Receiver pick a customer or user by id or by email.
	Sender      *CustomerRef     `json:"sender,omitempty"`
	Receiver    *CustomerRef     `json:"receiver,omitempty"`
	Attachments []Attachment     `json:"attachments,omitempty"`
	Macros      []IDRef          `json:"macros,omitempty"`
	Actions     []map[string]any `json:"actions,omitempty"`
	Headers     map[string]any   `json:"headers,omitempty"`
	Meta        map[string]any   `json:"meta,omitempty"`
	// IntegrationID is the integration (email address, chat…) to send from.
	IntegrationID *int64  `json:"integration_id,omitempty"`
	MessageID     string  `json:"message_id,omitempty"`
	ExternalID    string  `json:"external_id,omitempty"`
	MentionIDs    []int64 `json:"mention_ids,omitempty"`
	Imported      *bool   `json:"imported,omitempty"`
	// LastSendingError records why an imported message failed to send,
	// such as {"error": "Mailbox full"}.
	LastSendingError map[string]any `json:"last_sending_error,omitempty"`

	CreatedDatetime *Time `json:"created_datetime,omitempty"`
	// SentDatetime set imports the message as already sent.
	SentDatetime    *Time `json:"sent_datetime,omitempty"`
	FailedDatetime  *Time `json:"failed_datetime,omitempty"`
	DeletedDatetime *Time `json:"deleted_datetime,omitempty"`
	OpenedDatetime  *Time `json:"opened_datetime,omitempty"`
}

// validate checks the required fields; prefix names the message in a
// larger request ("messages.0.").
func (r *CreateMessageRequest) validate(v *validator, prefix string) {
	v.check(strings.TrimSpace(string(r.Channel)) != "", prefix+"channel", "is required")
	v.check(r.FromAgent != nil, prefix+"from_agent", "is required (true for an agent, false for a customer)")
	r.Sender.validate(v, prefix+"sender")
	r.Receiver.validate(v, prefix+"receiver")
	if r.IntegrationID != nil {
		v.id(prefix+"integration_id", *r.IntegrationID)
	}
	v.check(len(r.ExternalID) <= 255, prefix+"external_id", "at most 255 characters")
	v.check(strings.TrimSpace(r.BodyText) != "" || strings.TrimSpace(r.BodyHTML) != "" || len(r.Attachments) > 0,
		prefix+"body_text", "a message needs a body_text, a body_html or attachments")
	validateAttachments(v, prefix, r.Attachments)
	for i, m := range r.Macros {
		v.id(prefix+"macros."+itoa(i)+".id", m.ID)
	}
}

// withDefaults returns a copy of r as it is sent: Via defaults to ViaAPI.
func (r *CreateMessageRequest) withDefaults() *CreateMessageRequest {
	m := *r
	m.Via = viaOrAPI(m.Via)
	return &m
}

// viaOrAPI is via, or ViaAPI when via is empty: the operation catalog
// requires via on every ticket and message created, and a program using
// this SDK creates them through the API.
func viaOrAPI(via Via) Via {
	if via == "" {
		return ViaAPI
	}
	return via
}

func validateAttachments(v *validator, prefix string, attachments []Attachment) {
	for i, a := range attachments {
		p := prefix + "attachments." + itoa(i) + "."
		v.check(a.URL != "", p+"url", "is required")
		v.check(a.Name != "", p+"name", "is required")
		v.check(a.ContentType != "", p+"content_type", "is required")
	}
}

func validateMessageAction(v *validator, action MessageAction) {
	switch action {
	case "", MessageActionForce, MessageActionRetry, MessageActionCancel:
	default:
		v.check(false, "action", "must be force, retry or cancel")
	}
}

// MessageAction tells Gorgias what to do with a message that failed to
// send, on Messages.Create and Messages.Update.
type MessageAction string

// Actions for a message that failed to send.
const (
	MessageActionForce  MessageAction = "force"
	MessageActionRetry  MessageAction = "retry"
	MessageActionCancel MessageAction = "cancel"
)

// MessageOrder is a sort order for Messages.List.
type MessageOrder string

// Sort orders for Messages.List.
const (
	MessageOrderCreatedAsc  MessageOrder = "created_datetime:asc"
	MessageOrderCreatedDesc MessageOrder = "created_datetime:desc" // the API's default
)

// InternalNote returns a request for an internal note: a private message
// only agents see (channel, via and source internal-note, public false,
// from an agent). Post it with Messages.Create.
func InternalNote(bodyText string) *CreateMessageRequest {
	return &CreateMessageRequest{
		Channel:   ChannelInternalNote,
		Via:       ViaInternalNote,
		Source:    &MessageSource{Type: SourceTypeInternalNote},
		Public:    Ptr(false),
		FromAgent: Ptr(true),
		BodyText:  bodyText,
	}
}

// messageQuery is the query string of Messages.Create and Update.
type messageQuery struct {
	Action MessageAction `url:"action,omitempty"`
}

// actionQuery is the query string carrying action, or nil without one.
func actionQuery(action MessageAction) *messageQuery {
	if action == "" {
		return nil
	}
	return &messageQuery{Action: action}
}

// UpdateMessageRequest is the body of Messages.Update: only the fields set
// are sent and changed; none is required. A nil pointer or slice leaves a
// field unchanged; a Nullable field can also be cleared with Null. An
// update with no field set (and no Action) is refused before sending.
type UpdateMessageRequest struct {
	// Action, sent in the query string, tells Gorgias what to do with a
	// message that failed to send: MessageActionForce, Retry or Cancel.
	Action MessageAction `json:"-" url:"action,omitempty"`

	Channel   Channel `json:"channel,omitempty"`
	Via       Via     `json:"via,omitempty"`
	FromAgent *bool   `json:"from_agent,omitempty"`
	Subject   *string `json:"subject,omitempty"`
	BodyText  *string `json:"body_text,omitempty"`
	BodyHTML  *string `json:"body_html,omitempty"`
	// Source, Sender and Receiver route the message, as on creation.
	Source   *MessageSource `json:"source,omitempty"`
	Sender   *CustomerRef   `json:"sender,omitempty"`
	Receiver *CustomerRef   `json:"receiver,omitempty"`
	// Attachments replaces the attachments; an empty, non-nil slice
	// removes them all.
	Attachments []Attachment     `json:"attachments,omitzero"`
	MessageID   *string          `json:"message_id,omitempty"`
	ExternalID  Nullable[string] `json:"external_id,omitzero"`

	SentDatetime   Nullable[Time] `json:"sent_datetime,omitzero"`
	FailedDatetime Nullable[Time] `json:"failed_datetime,omitzero"`
}

func (r *UpdateMessageRequest) validate(v *validator) {
	validateMessageAction(v, r.Action)
	r.Sender.validate(v, "sender")
	r.Receiver.validate(v, "receiver")
	if id, ok := r.ExternalID.Get(); ok {
		v.check(len(id) <= 255, "external_id", "at most 255 characters")
	}
	validateAttachments(v, "", r.Attachments)
	if r.Action == "" {
		v.check(!isEmptyUpdate(r), "request", "sets no field: nothing to update")
	}
}

// ListMessagesOptions are the filters of Messages.List and Messages.All;
// none is required.
type ListMessagesOptions struct {
	ListOptions
	// TicketID lists the messages of one ticket.
	TicketID int64        `url:"ticket_id,omitempty"`
	OrderBy  MessageOrder `url:"order_by,omitempty"`
}

func messagePath(ticketID, id int64) string {
	return ticketPath(ticketID) + "/messages/" + strconv.FormatInt(id, 10)
}

// Create adds a message to a ticket (POST /api/tickets/{ticket_id}/messages).
//
// With req.SentDatetime set, the message is imported as already sent:
// Gorgias stores it and sends nothing, which is how to record a customer's
// message or migrate history. Without it, a message from an agent on a
// channel such as email is sent by Gorgias through that channel, as a reply
// written in the helpdesk would be. For a private note only agents see,
// post InternalNote(text).
//
// Create is never retried once the request may have reached the server, so
// it cannot post a message twice.
//
// Gorgias API docs: https://developers.gorgias.com/reference/create-ticket-message
func (s *MessagesService) Create(ctx context.Context, ticketID int64, req *CreateMessageRequest, callOpts ...CallOption) (*Message, error) {
	v := newValidator("Messages.Create")
	v.id("ticket_id", ticketID)
	v.check(req != nil, "request", "is required")
	if req != nil {
		req.validate(v, "")
		validateMessageAction(v, req.Action)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Message](ctx, s.client, request{op: "Messages.Create", method: http.MethodPost, path: ticketPath(ticketID) + "/messages",
		query: actionQuery(req.Action), body: req.withDefaults(), opts: callOpts})
}

// Get returns a message of a ticket
// (GET /api/tickets/{ticket_id}/messages/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-ticket-message
func (s *MessagesService) Get(ctx context.Context, ticketID, id int64, callOpts ...CallOption) (*Message, error) {
	v := newValidator("Messages.Get")
	v.id("ticket_id", ticketID)
	v.id("id", id)
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Message](ctx, s.client, request{op: "Messages.Get", method: http.MethodGet, path: messagePath(ticketID, id), opts: callOpts})
}

// Update changes the fields set in req
// (PUT /api/tickets/{ticket_id}/messages/{id}). Only the two ids are
// required; Action retries, forces or cancels a message that failed to
// send.
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-ticket-message
func (s *MessagesService) Update(ctx context.Context, ticketID, id int64, req *UpdateMessageRequest, callOpts ...CallOption) (*Message, error) {
	v := newValidator("Messages.Update")
	v.id("ticket_id", ticketID)
	v.id("id", id)
	v.check(req != nil, "request", "is required")
	if req != nil {
		req.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Message](ctx, s.client, request{op: "Messages.Update", method: http.MethodPut, path: messagePath(ticketID, id),
		query: actionQuery(req.Action), body: req, opts: callOpts})
}

// Delete deletes a message (DELETE /api/tickets/{ticket_id}/messages/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/delete-ticket-message
func (s *MessagesService) Delete(ctx context.Context, ticketID, id int64, callOpts ...CallOption) error {
	v := newValidator("Messages.Delete")
	v.id("ticket_id", ticketID)
	v.id("id", id)
	if err := v.err(); err != nil {
		return err
	}
	return s.client.do(ctx, request{op: "Messages.Delete", method: http.MethodDelete, path: messagePath(ticketID, id), opts: callOpts}, nil)
}

// List returns one page of messages (GET /api/messages), of every ticket or
// of opts.TicketID. opts may be nil.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-messages
func (s *MessagesService) List(ctx context.Context, opts *ListMessagesOptions, callOpts ...CallOption) (*Page[Message], error) {
	v := newValidator("Messages.List")
	if opts != nil {
		opts.validate(v)
		v.check(opts.TicketID >= 0, "ticket_id", "must be a positive id")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return listPage[Message](ctx, s.client, "Messages.List", "messages", opts, callOpts)
}

// All iterates over every message matching opts, fetching pages as the
// loop advances. Stop early with break.
func (s *MessagesService) All(ctx context.Context, opts *ListMessagesOptions, callOpts ...CallOption) iter.Seq2[*Message, error] {
	return listAll(ctx, "messages", opts, s.List, callOpts)
}
