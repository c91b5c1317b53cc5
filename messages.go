package gorgias

import (
	"encoding/json"
	"strings"
)

// MessagesService manages the messages of tickets: /api/tickets/{ticket_id}/messages
// and /api/messages.
type MessagesService service

// Message is a ticket message (TicketMessage in the API reference), as
// embedded in a ticket and as returned by the Messages service. A message
// with Public false is an internal note.
type Message struct {
	ID                   int64           `json:"id"`
	URI                  string          `json:"uri"`
	TicketID             int64           `json:"ticket_id"`
	MessageID            *string         `json:"message_id"`
	ExternalID           *string         `json:"external_id"`
	Public               bool            `json:"public"`
	Channel              Channel         `json:"channel"`
	Via                  Via             `json:"via"`
	Source               *MessageSource  `json:"source"`
	Sender               *User           `json:"sender"`
	Receiver             *User           `json:"receiver"`
	AuthCustomerIdentity json.RawMessage `json:"auth_customer_identity,omitempty"`
	IntegrationID        *int64          `json:"integration_id"`
	Intents              []Intent        `json:"intents,omitempty"`
	RuleID               *int64          `json:"rule_id"`
	FromAgent            bool            `json:"from_agent"`
	Subject              *string         `json:"subject"`
	BodyText             *string         `json:"body_text"`
	BodyHTML             *string         `json:"body_html"`
	StrippedText         *string         `json:"stripped_text"`
	StrippedHTML         *string         `json:"stripped_html"`
	StrippedSignature    *string         `json:"stripped_signature"`
	Attachments          []Attachment    `json:"attachments"`
	Macros               []IDRef         `json:"macros,omitempty"`
	// Actions are the macro actions applied ({name, title, type,
	// arguments, …}).
	Actions          []map[string]any `json:"actions"`
	Headers          map[string]any   `json:"headers,omitempty"`
	Imported         *bool            `json:"imported"`
	Meta             map[string]any   `json:"meta"`
	LastSendingError *SendingError    `json:"last_sending_error"`
	IsRetriable      *bool            `json:"is_retriable,omitempty"`
	RepliedBy        json.RawMessage  `json:"replied_by,omitempty"`
	RepliedTo        json.RawMessage  `json:"replied_to,omitempty"`

	CreatedDatetime   *Time `json:"created_datetime"`
	ProcessedDatetime *Time `json:"processed_datetime"`
	SentDatetime      *Time `json:"sent_datetime"`
	FailedDatetime    *Time `json:"failed_datetime"`
	DeletedDatetime   *Time `json:"deleted_datetime,omitempty"`
	OpenedDatetime    *Time `json:"opened_datetime"`
}

func (m *Message) validate() error { return requireID("message", m.ID) }

// MessageSource says where a message came from and went to.
type MessageSource struct {
	Type  SourceType     `json:"type"`
	From  *Address       `json:"from,omitempty"`
	To    []Address      `json:"to,omitempty"`
	Cc    []Address      `json:"cc,omitempty"`
	Bcc   []Address      `json:"bcc,omitempty"`
	Extra map[string]any `json:"extra,omitempty"`
}

// Address is a name and an address (email, phone number…). Name may be null.
type Address struct {
	Name    *string `json:"name"`
	Address string  `json:"address"`
}

// Attachment is a file attached to a message. On requests, URL, Name and
// ContentType are required.
type Attachment struct {
	URL         string         `json:"url"`
	Name        string         `json:"name"`
	Size        int64          `json:"size,omitempty"`
	ContentType string         `json:"content_type"`
	Public      *bool          `json:"public,omitempty"`
	Extra       map[string]any `json:"extra"`
}

// Intent is an intent Gorgias detected in a message.
type Intent struct {
	Name           string `json:"name"`
	Rejected       *bool  `json:"rejected"`
	IsUserFeedback bool   `json:"is_user_feedback"`
}

// SendingError is why a message failed to send.
type SendingError struct {
	Error string `json:"error"`
}

// CreateMessageRequest is a message to create, in Tickets.Create and
// Messages.Create. Channel and FromAgent are required.
//
// With SentDatetime set, the message is imported as already sent: Gorgias
// stores it and sends nothing. Without it, an outbound message (FromAgent
// true on a channel like email) is sent by Gorgias through the channel.
//
// An internal note is a message with Channel ChannelInternalNote, Via
// ViaInternalNote (or ViaAPI), Source of type SourceTypeInternalNote,
// Public false and FromAgent true: see InternalNote.
type CreateMessageRequest struct {
	Channel   Channel `json:"channel"`
	FromAgent *bool   `json:"from_agent"`
	Via       Via     `json:"via,omitempty"`
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
	for i, a := range r.Attachments {
		p := prefix + "attachments." + itoa(i) + "."
		v.check(a.URL != "", p+"url", "is required")
		v.check(a.Name != "", p+"name", "is required")
		v.check(a.ContentType != "", p+"content_type", "is required")
	}
	for i, m := range r.Macros {
		v.id(prefix+"macros."+itoa(i)+".id", m.ID)
	}
}
