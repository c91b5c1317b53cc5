package gorgias

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
)

// TicketsService manages tickets: GET, POST, PUT and DELETE on
// /api/tickets, plus a ticket's tags and custom field values.
type TicketsService struct{ service }

// Ticket is a Gorgias ticket. Get, Create and Update return the full ticket;
// List returns a compact form without Messages, SatisfactionSurvey and
// ReplyOptions, but with Excerpt, MessagesCount and Integrations.
type Ticket struct {
	ID         int64             `json:"id"`
	URI        string            `json:"uri"`
	ExternalID *string           `json:"external_id"`
	Events     []json.RawMessage `json:"events"` // deprecated by Gorgias: use the Events API
	Status     Status            `json:"status"`
	Priority   *Priority         `json:"priority,omitempty"`
	Channel    Channel           `json:"channel"`
	Via        Via               `json:"via"`
	FromAgent  *bool             `json:"from_agent"`
	Spam       *bool             `json:"spam"`
	Imported   *bool             `json:"imported,omitempty"`
	Customer   *Customer         `json:"customer"`
	// Requester is a legacy alias of Customer that some responses carry.
	Requester      *Customer `json:"requester,omitempty"`
	AssigneeUser   *User     `json:"assignee_user"`
	AssigneeUserID *int64    `json:"assignee_user_id"`
	AssigneeTeam   *Team     `json:"assignee_team"`
	AssigneeTeamID *int64    `json:"assignee_team_id"`
	// Language is the ISO 639-1 code Gorgias detected, such as "en".
	Language *string        `json:"language"`
	Subject  *string        `json:"subject"`
	Summary  *TicketSummary `json:"summary"`
	Meta     map[string]any `json:"meta"`
	Tags     []TicketTag    `json:"tags"`
	// CustomFields is keyed by the field definition id, as a string. Get
	// fills it when asked for with Relationships: []string{"custom_fields"}.
	CustomFields map[string]TicketCustomField `json:"custom_fields,omitempty"`
	Messages     []Message                    `json:"messages,omitempty"`

	// Excerpt, MessagesCount and Integrations come with List only.
	Excerpt                     *string             `json:"excerpt,omitempty"`
	MessagesCount               *int                `json:"messages_count,omitempty"`
	Integrations                []TicketIntegration `json:"integrations,omitempty"`
	LastSentMessageNotDelivered *bool               `json:"last_sent_message_not_delivered,omitempty"`
	IsUnread                    *bool               `json:"is_unread"`

	CreatedDatetime             *Time `json:"created_datetime"`
	ProcessedDatetime           *Time `json:"processed_datetime,omitempty"`
	OpenedDatetime              *Time `json:"opened_datetime"`
	LastReceivedMessageDatetime *Time `json:"last_received_message_datetime"`
	LastMessageDatetime         *Time `json:"last_message_datetime"`
	UpdatedDatetime             *Time `json:"updated_datetime"`
	ClosedDatetime              *Time `json:"closed_datetime"`
	TrashedDatetime             *Time `json:"trashed_datetime"`
	// SnoozeDatetime is when a snoozed ticket re-opens.
	SnoozeDatetime *Time `json:"snooze_datetime"`

	SatisfactionSurvey *Survey `json:"satisfaction_survey,omitempty"`
	// ReplyOptions is keyed by channel ("email", "internal-note"…).
	ReplyOptions map[string]ReplyOption `json:"reply_options,omitempty"`

	// Raw keeps what the API sent that the fields above do not hold as
	// sent, such as fields Gorgias added later: see RawFields.
	Raw RawFields `json:"-"`
}

func (t *Ticket) validate() error { return requireID("ticket", t.ID) }

// TicketSummary is the AI summary of a ticket.
type TicketSummary struct {
	Content         *string         `json:"content"`
	CreatedDatetime *Time           `json:"created_datetime"`
	UpdatedDatetime *Time           `json:"updated_datetime"`
	TriggeredBy     json.RawMessage `json:"triggered_by,omitempty"`
	Raw             RawFields       `json:"-"`
}

// TicketTag is a tag as embedded in a ticket.
type TicketTag struct {
	ID         int64       `json:"id"`
	Name       string      `json:"name"`
	Decoration *Decoration `json:"decoration"`
	Raw        RawFields   `json:"-"`
}

// TicketCustomField is a custom field value as embedded in a ticket.
type TicketCustomField struct {
	ID    int64      `json:"id"`
	Value FieldValue `json:"value"`
	Raw   RawFields  `json:"-"`
}

// TicketIntegration is an integration (such as an email address) a ticket
// of the list came through.
type TicketIntegration struct {
	Name    string    `json:"name"`
	Address string    `json:"address"`
	Type    string    `json:"type"`
	Raw     RawFields `json:"-"`
}

// ReplyOption tells whether a ticket can be answered on a channel.
type ReplyOption struct {
	Answerable   bool               `json:"answerable"`
	Reason       *string            `json:"reason,omitempty"`
	Integrations []ReplyIntegration `json:"integrations,omitempty"`
	Raw          RawFields          `json:"-"`
}

// ReplyIntegration is an integration a reply can be sent through.
type ReplyIntegration struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Address string    `json:"address"`
	Raw     RawFields `json:"-"`
}

// TagRef names a tag in a ticket request: by ID, or by Name (created if no
// tag has that name), optionally with a Decoration for a new tag.
type TagRef struct {
	ID         int64       `json:"id,omitempty"`
	Name       string      `json:"name,omitempty"`
	Decoration *Decoration `json:"decoration,omitempty"`
}

// CreateTicketRequest is the body of Tickets.Create. Messages is required,
// and each message needs Channel and FromAgent. Via is required by the API
// on the ticket and on each message; the SDK sends ViaAPI where it is left
// empty. Customer may be left out when the first message names the
// customer: its Sender when FromAgent is false, its Receiver when true.
type CreateTicketRequest struct {
	// Messages are the ticket's first messages; at least one is required.
	Messages []CreateMessageRequest `json:"messages"`
	Customer *CustomerRef           `json:"customer,omitempty"`
	Subject  string                 `json:"subject,omitempty"`
	Channel  Channel                `json:"channel,omitempty"`
	// Via tells how the ticket was created; empty sends ViaAPI.
	Via          Via                 `json:"via"`
	Status       Status              `json:"status,omitempty"`
	Priority     Priority            `json:"priority,omitempty"`
	FromAgent    *bool               `json:"from_agent,omitempty"`
	Spam         *bool               `json:"spam,omitempty"`
	Imported     *bool               `json:"imported,omitempty"`
	Language     string              `json:"language,omitempty"`
	ExternalID   string              `json:"external_id,omitempty"`
	AssigneeUser *IDRef              `json:"assignee_user,omitempty"`
	AssigneeTeam *IDRef              `json:"assignee_team,omitempty"`
	Tags         []TagRef            `json:"tags,omitempty"`
	CustomFields []CustomFieldUpdate `json:"custom_fields,omitempty"`
	Meta         map[string]any      `json:"meta,omitempty"`

	CreatedDatetime             *Time `json:"created_datetime,omitempty"`
	OpenedDatetime              *Time `json:"opened_datetime,omitempty"`
	LastMessageDatetime         *Time `json:"last_message_datetime,omitempty"`
	LastReceivedMessageDatetime *Time `json:"last_received_message_datetime,omitempty"`
	UpdatedDatetime             *Time `json:"updated_datetime,omitempty"`
	ClosedDatetime              *Time `json:"closed_datetime,omitempty"`
	SnoozeDatetime              *Time `json:"snooze_datetime,omitempty"`
	TrashedDatetime             *Time `json:"trashed_datetime,omitempty"`
}

func (r *CreateTicketRequest) validate(v *validator) {
	v.check(len(r.Messages) > 0, "messages", "at least one message is required")
	for i := range r.Messages {
		r.Messages[i].validate(v, "messages."+strconv.Itoa(i)+".")
		v.check(r.Messages[i].Action == "", "messages."+strconv.Itoa(i)+".action", "is only used by Messages.Create and Messages.Update")
	}
	r.Customer.validate(v, "customer")
	if r.Customer == nil && len(r.Messages) > 0 {
		first := &r.Messages[0]
		named := first.Sender
		if first.FromAgent != nil && *first.FromAgent {
			named = first.Receiver
		}
		v.check(named != nil, "customer", "is required unless the first message names the customer (its sender, or its receiver when from_agent is true)")
	}
	validateTagRefs(v, r.Tags)
	validateCustomFieldUpdates(v, "custom_fields", r.CustomFields, false)
}

// withDefaults returns a copy of r as it is sent: Via defaults to ViaAPI on
// the ticket and on each message.
func (r *CreateTicketRequest) withDefaults() *CreateTicketRequest {
	t := *r
	t.Via = viaOrAPI(t.Via)
	t.Messages = make([]CreateMessageRequest, len(r.Messages))
	for i := range r.Messages {
		t.Messages[i] = *r.Messages[i].withDefaults()
	}
	return &t
}

func validateTagRefs(v *validator, tags []TagRef) {
	for i, t := range tags {
		v.check(t.ID > 0 || t.Name != "", "tags."+strconv.Itoa(i), "needs an id or a name")
	}
}

// UpdateTicketRequest is the body of Tickets.Update: no field is required;
// only the fields set are changed, and an update that sets none is refused
// before sending. Fields
// the API lets you clear are Nullable: for example SnoozeDatetime:
// gorgias.Null[gorgias.Time]() un-snoozes the ticket, AssigneeUser:
// gorgias.Null[gorgias.IDRef]() unassigns it, Subject:
// gorgias.Null[string]() removes the subject. Tags and CustomFields, when
// not nil, replace the ticket's; an empty slice removes them all.
type UpdateTicketRequest struct {
	Customer     *CustomerRef             `json:"customer,omitempty"`
	Subject      Nullable[string]         `json:"subject,omitzero"`
	Channel      Channel                  `json:"channel,omitempty"`
	Via          Via                      `json:"via,omitempty"`
	Status       Status                   `json:"status,omitempty"`
	Priority     Priority                 `json:"priority,omitempty"`
	FromAgent    *bool                    `json:"from_agent,omitempty"`
	Spam         *bool                    `json:"spam,omitempty"`
	IsUnread     *bool                    `json:"is_unread,omitempty"`
	Language     Nullable[string]         `json:"language,omitzero"`
	ExternalID   Nullable[string]         `json:"external_id,omitzero"`
	AssigneeUser Nullable[IDRef]          `json:"assignee_user,omitzero"`
	AssigneeTeam Nullable[IDRef]          `json:"assignee_team,omitzero"`
	Tags         []TagRef                 `json:"tags,omitzero"`
	CustomFields []CustomFieldUpdate      `json:"custom_fields,omitzero"`
	Meta         Nullable[map[string]any] `json:"meta,omitzero"`

	OpenedDatetime              Nullable[Time] `json:"opened_datetime,omitzero"`
	LastMessageDatetime         Nullable[Time] `json:"last_message_datetime,omitzero"`
	LastReceivedMessageDatetime Nullable[Time] `json:"last_received_message_datetime,omitzero"`
	UpdatedDatetime             *Time          `json:"updated_datetime,omitempty"`
	ClosedDatetime              Nullable[Time] `json:"closed_datetime,omitzero"`
	SnoozeDatetime              Nullable[Time] `json:"snooze_datetime,omitzero"`
	TrashedDatetime             Nullable[Time] `json:"trashed_datetime,omitzero"`
}

func (r *UpdateTicketRequest) validate(v *validator) {
	v.check(!isEmptyUpdate(r), "request", "sets no field: nothing to update")
	r.Customer.validate(v, "customer")
	if ref, ok := r.AssigneeUser.Get(); ok {
		v.id("assignee_user.id", ref.ID)
	}
	if ref, ok := r.AssigneeTeam.Get(); ok {
		v.id("assignee_team.id", ref.ID)
	}
	validateTagRefs(v, r.Tags)
	validateCustomFieldUpdates(v, "custom_fields", r.CustomFields, true)
}

// GetTicketOptions are the options of Tickets.Get.
type GetTicketOptions struct {
	// Relationships asks for more data; the only documented value is
	// "custom_fields", which fills Ticket.CustomFields.
	Relationships []string `url:"relationships,omitempty"`
}

// TicketOrder is a sort order for Tickets.List.
type TicketOrder string

// Sort orders for Tickets.List.
const (
	TicketOrderCreatedAsc  TicketOrder = "created_datetime:asc"
	TicketOrderCreatedDesc TicketOrder = "created_datetime:desc" // the API's default
	TicketOrderUpdatedAsc  TicketOrder = "updated_datetime:asc"
	TicketOrderUpdatedDesc TicketOrder = "updated_datetime:desc"
)

// ListTicketsOptions are the filters of Tickets.List and Tickets.All; none
// is required.
//
// The API cannot filter tickets by status, priority, channel or tag. To
// list the open tickets, give the ViewID of a view that selects them (the
// helpdesk's "Open" view, or one of your own), or walk with All and keep
// the tickets you want:
//
//	for t, err := range client.Tickets.All(ctx, &gorgias.ListTicketsOptions{ViewID: openViewID}) { … }
type ListTicketsOptions struct {
	ListOptions
	OrderBy    TicketOrder `url:"order_by,omitempty"`
	CustomerID int64       `url:"customer_id,omitempty"`
	ExternalID string      `url:"external_id,omitempty"`
	ViewID     int64       `url:"view_id,omitempty"`
	RuleID     int64       `url:"rule_id,omitempty"`
	// TicketIDs restricts the list to these tickets (1 to 100 ids), sent
	// as repeated ticket_ids= parameters.
	TicketIDs []int64 `url:"ticket_ids,omitempty"`
	// Trashed says whether the list includes trashed tickets, as the
	// catalog defines the parameter: Ptr(false) sends trashed=false and
	// leaves the trash out; Ptr(true) sends trashed=true and includes it.
	// Left nil, the SDK sends no trashed parameter at all, and the API
	// applies its default, which its reference gives as true: trashed
	// tickets are included (gorgiastest does the same). Set Ptr(false) to
	// list only the tickets in use.
	Trashed *bool `url:"trashed,omitempty"`
}

func (o *ListTicketsOptions) validate(v *validator) {
	o.ListOptions.validate(v)
	v.check(o.CustomerID >= 0, "customer_id", "must be a positive id")
	v.check(o.ViewID >= 0, "view_id", "must be a positive id")
	v.check(o.RuleID >= 0, "rule_id", "must be a positive id")
	v.check(len(o.TicketIDs) <= MaxPageSize, "ticket_ids", "at most 100 ids")
	for i, id := range o.TicketIDs {
		v.id("ticket_ids."+strconv.Itoa(i), id)
	}
}

func ticketPath(id int64) string { return "tickets/" + strconv.FormatInt(id, 10) }

// Create creates a ticket with its first messages (POST /api/tickets). A
// message with SentDatetime set is imported as already sent; without it,
// Gorgias sends it through its channel. Create is never retried once the
// request may have reached the server, so it cannot create a duplicate.
//
// Gorgias API docs: https://developers.gorgias.com/reference/create-ticket
func (s *TicketsService) Create(ctx context.Context, req *CreateTicketRequest, callOpts ...CallOption) (*Ticket, error) {
	v := newValidator("Tickets.Create")
	v.check(req != nil, "request", "is required")
	if req != nil {
		req.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Ticket](ctx, s.client, request{op: "Tickets.Create", method: http.MethodPost, path: "tickets", body: req.withDefaults(), opts: callOpts})
}

// Get returns a ticket with its messages (GET /api/tickets/{id}). opts may
// be nil.
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-ticket
func (s *TicketsService) Get(ctx context.Context, id int64, opts *GetTicketOptions, callOpts ...CallOption) (*Ticket, error) {
	v := newValidator("Tickets.Get")
	v.id("id", id)
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Ticket](ctx, s.client, request{op: "Tickets.Get", method: http.MethodGet, path: ticketPath(id), query: opts, opts: callOpts})
}

// List returns one page of tickets (GET /api/tickets), in their compact
// form. opts may be nil.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-tickets
func (s *TicketsService) List(ctx context.Context, opts *ListTicketsOptions, callOpts ...CallOption) (*Page[Ticket], error) {
	v := newValidator("Tickets.List")
	if opts != nil {
		opts.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return listPage[Ticket](ctx, s.client, "Tickets.List", "tickets", opts, callOpts)
}

// All iterates over every ticket matching opts, fetching pages of 100 (or
// opts.Limit) as the loop advances. Stop early with break.
//
//	for t, err := range client.Tickets.All(ctx, nil) {
//		if err != nil { return err }
//		fmt.Println(t.ID)
//	}
func (s *TicketsService) All(ctx context.Context, opts *ListTicketsOptions, callOpts ...CallOption) iter.Seq2[*Ticket, error] {
	return listAll(ctx, "tickets", opts, s.List, callOpts)
}

// Update changes the fields set in req (PUT /api/tickets/{id}) and returns
// the updated ticket.
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-ticket
func (s *TicketsService) Update(ctx context.Context, id int64, req *UpdateTicketRequest, callOpts ...CallOption) (*Ticket, error) {
	v := newValidator("Tickets.Update")
	v.id("id", id)
	v.check(req != nil, "request", "is required")
	if req != nil {
		req.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Ticket](ctx, s.client, request{op: "Tickets.Update", method: http.MethodPut, path: ticketPath(id), body: req, opts: callOpts})
}

// Delete deletes a ticket (DELETE /api/tickets/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/delete-ticket
func (s *TicketsService) Delete(ctx context.Context, id int64, callOpts ...CallOption) error {
	return deleteByID(ctx, s.client, "Tickets.Delete", "tickets", id, callOpts)
}
