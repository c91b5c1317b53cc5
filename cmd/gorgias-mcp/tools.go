package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-gorgias/gorgias"
)

// callFunc makes the SDK call a tool stands for, with arguments already
// decoded, and returns what to show the assistant as JSON.
type callFunc func(ctx context.Context, c *gorgias.Client) (any, error)

// binding ties a catalog operation to the typed SDK: our description of the
// tool, its safety annotations, and how its arguments become an SDK call.
type binding struct {
	name        string
	description string

	// readOnly tools only read; in -read-only mode they are the only ones
	// served.
	readOnly bool
	// destructive tools delete or replace data: deletes, merges, and the
	// two "replace all" operations.
	destructive bool
	// idempotent tools have no further effect when called again with the
	// same arguments.
	idempotent bool
	// openWorld tools may reach people outside the helpdesk: a message
	// created without sent_datetime is sent to the customer.
	openWorld bool

	// coerce adapts parameters whose catalog type is not what the SDK takes.
	coerce map[string]coercion
	// fieldNames renames the SDK's field names to this tool's parameter
	// names in error messages, where they differ.
	fieldNames map[string]string
	// prepare decodes the checked arguments into SDK request values; it
	// sends nothing.
	prepare func(in *input) (callFunc, error)

	// out is what the tool answers, for its output schema.
	out *output
	// enums are the values a parameter (or an array parameter's items)
	// takes, where the catalog or the API reference lists them all.
	enums map[string][]string
	// optional are parameters the catalog requires but the SDK does not
	// (it fills in a default), with the note saying so.
	optional map[string]string
	// extra are parameters of this server, not of the API, such as the
	// list tools' full.
	extra []Param
}

// getFunc is an SDK method that fetches one object by its id.
type getFunc[T any] func(ctx context.Context, id int64, callOpts ...gorgias.CallOption) (*T, error)

// getByID is the prepare of the tools that fetch one object by its id.
func getByID[T any](method func(c *gorgias.Client) getFunc[T]) func(in *input) (callFunc, error) {
	return func(in *input) (callFunc, error) {
		id := in.int("id")
		return func(ctx context.Context, c *gorgias.Client) (any, error) { return method(c)(ctx, id) }, nil
	}
}

// listFunc is an SDK method that lists one page with options O.
type listFunc[O, T any] func(ctx context.Context, opts *O, callOpts ...gorgias.CallOption) (*gorgias.Page[T], error)

// listPage is the prepare of the tools that list one page: the arguments
// but full are the list's query options. The page holds compact views of
// its items, or with full true the items as the SDK decoded them.
func listPage[O, T, C any](method func(c *gorgias.Client) listFunc[O, T], view func(*T) C) func(in *input) (callFunc, error) {
	return func(in *input) (callFunc, error) {
		full := in.bool(fullParam.Name)
		opts, err := query[O](in, fullParam.Name)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, c *gorgias.Client) (any, error) {
			p, err := method(c)(ctx, opts)
			if err != nil || full {
				return p, err
			}
			return compactPage(p, view), nil
		}, nil
	}
}

// createFunc is an SDK method that creates one object from a request R.
type createFunc[R, T any] func(ctx context.Context, req *R, callOpts ...gorgias.CallOption) (*T, error)

// create is the prepare of the tools that create one object: the arguments
// are the request's body.
func create[R, T any](method func(c *gorgias.Client) createFunc[R, T]) func(in *input) (callFunc, error) {
	return func(in *input) (callFunc, error) {
		req, err := body[R](in)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, c *gorgias.Client) (any, error) { return method(c)(ctx, req) }, nil
	}
}

// updateFunc is an SDK method that changes one object, by its id, with a
// request R.
type updateFunc[R, T any] func(ctx context.Context, id int64, req *R, callOpts ...gorgias.CallOption) (*T, error)

// updateByID is the prepare of the tools that change one object: the
// arguments but id are the request's body.
func updateByID[R, T any](method func(c *gorgias.Client) updateFunc[R, T]) func(in *input) (callFunc, error) {
	return func(in *input) (callFunc, error) {
		id := in.int("id")
		req, err := body[R](in, "id")
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, c *gorgias.Client) (any, error) { return method(c)(ctx, id, req) }, nil
	}
}

// deleteFunc is an SDK method that deletes one object by its id.
type deleteFunc func(ctx context.Context, id int64, callOpts ...gorgias.CallOption) error

// deleteByID is the prepare of the tools that delete one object by its id;
// the result's message is format with the id.
func deleteByID(method func(c *gorgias.Client) deleteFunc, format string) func(in *input) (callFunc, error) {
	return func(in *input) (callFunc, error) {
		id := in.int("id")
		return func(ctx context.Context, c *gorgias.Client) (any, error) {
			return doneIf(method(c)(ctx, id), format, id)
		}, nil
	}
}

// ticketTagsFunc is an SDK method that changes a ticket's tags.
type ticketTagsFunc func(ctx context.Context, ticketID int64, req *gorgias.TicketTagsRequest, callOpts ...gorgias.CallOption) error

// ticketTags is the prepare of the tools that add, set or remove a ticket's
// tags: the arguments but ticket_id name the tags; the result's message is
// format with the ticket's id.
func ticketTags(method func(c *gorgias.Client) ticketTagsFunc, format string) func(in *input) (callFunc, error) {
	return func(in *input) (callFunc, error) {
		ticketID := in.int("ticket_id")
		req, err := body[gorgias.TicketTagsRequest](in, "ticket_id")
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, c *gorgias.Client) (any, error) {
			return doneIf(method(c)(ctx, ticketID, req), format, ticketID)
		}, nil
	}
}

// fullParam is the list tools' choice between compact items and full
// objects.
var fullParam = Param{Name: "full", Type: "boolean",
	Description: "false (the default): each item in a compact form, enough to pick one; true: the full objects, as the get tool returns them (several times larger)."}

// done is the result of the operations Gorgias answers with no object.
type done struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

func donef(format string, args ...any) done {
	return done{OK: true, Message: fmt.Sprintf(format, args...)}
}

// body decodes the arguments but skip into a new T by their JSON names.
func body[T any](in *input, skip ...string) (*T, error) {
	v := new(T)
	return v, in.decode(v, "json", skip...)
}

// query decodes the arguments but skip into a new T by their query names.
func query[T any](in *input, skip ...string) (*T, error) {
	v := new(T)
	return v, in.decode(v, "url", skip...)
}

// whole wraps a list the API answers at once as {"data": [...]} (a
// structured result is an object), an empty list as [] rather than null.
func whole[T any](s []T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	if s == nil {
		s = []T{}
	}
	return items[T]{Data: s}, nil
}

// The values the API reference lists in full, from the SDK's constants.
var (
	statuses       = values(gorgias.StatusOpen, gorgias.StatusClosed)
	priorities     = values(gorgias.PriorityCritical, gorgias.PriorityHigh, gorgias.PriorityNormal, gorgias.PriorityLow)
	messageActions = values(gorgias.MessageActionForce, gorgias.MessageActionRetry, gorgias.MessageActionCancel)
	ticketOrders   = values(gorgias.TicketOrderCreatedAsc, gorgias.TicketOrderCreatedDesc, gorgias.TicketOrderUpdatedAsc, gorgias.TicketOrderUpdatedDesc)
	messageOrders  = values(gorgias.MessageOrderCreatedAsc, gorgias.MessageOrderCreatedDesc)
	surveyOrders   = values(gorgias.SurveyOrderCreatedAsc, gorgias.SurveyOrderCreatedDesc)
	// tagOrders leaves out the bare name, created_datetime and usage,
	// which the API still takes but has deprecated.
	tagOrders = values(gorgias.TagOrderCreatedAsc, gorgias.TagOrderCreatedDesc, gorgias.TagOrderNameAsc, gorgias.TagOrderNameDesc,
		gorgias.TagOrderUsageAsc, gorgias.TagOrderUsageDesc)
	vias = values(gorgias.ViaAircall, gorgias.ViaAPI, gorgias.ViaChat, gorgias.ViaContactForm, gorgias.ViaEmail, gorgias.ViaFacebook,
		gorgias.ViaFacebookMention, gorgias.ViaFacebookMessenger, gorgias.ViaFacebookRecommendations, gorgias.ViaForm, gorgias.ViaGorgiasChat,
		gorgias.ViaHelpCenter, gorgias.ViaHelpdesk, gorgias.ViaInstagram, gorgias.ViaInstagramAdComment, gorgias.ViaInstagramComment,
		gorgias.ViaInstagramDirectMessage, gorgias.ViaInstagramMention, gorgias.ViaInternalNote, gorgias.ViaOfflineCapture, gorgias.ViaPhone,
		gorgias.ViaRule, gorgias.ViaSelfService, gorgias.ViaShopify, gorgias.ViaSMS, gorgias.ViaTwilio, gorgias.ViaTwitter,
		gorgias.ViaTwitterDirectMessage, gorgias.ViaWhatsApp, gorgias.ViaYotpo, gorgias.ViaYotpoReview, gorgias.ViaZendesk)
	// channels are the documented channels. The API takes others too
	// (channels an app defines on the account), so no schema lists them
	// as an enum: descriptions name them.
	channels = values(gorgias.ChannelAircall, gorgias.ChannelAPI, gorgias.ChannelChat, gorgias.ChannelContactForm, gorgias.ChannelEmail,
		gorgias.ChannelFacebook, gorgias.ChannelFacebookMention, gorgias.ChannelFacebookMessenger, gorgias.ChannelFacebookRecommendations,
		gorgias.ChannelHelpCenter, gorgias.ChannelInstagramAdComment, gorgias.ChannelInstagramComment, gorgias.ChannelInstagramDirectMessage,
		gorgias.ChannelInstagramMention, gorgias.ChannelInternalNote, gorgias.ChannelPhone, gorgias.ChannelSMS, gorgias.ChannelTwitter,
		gorgias.ChannelTwitterDirectMessage, gorgias.ChannelWhatsApp, gorgias.ChannelYotpoReview)
)

func values[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// viaDefault is the note on a via the SDK fills in.
const viaDefault = ` Optional: left out, it is "api" (as the SDK sends it), which is right for a ticket or message made through these tools.`

// channelsNote names the documented channels, and says others exist.
var channelsNote = " The documented channels are " + strings.Join(channels, ", ") +
	"; an account may also have channels an app defines, which are accepted by their names."

// channelString lists the channels in a string channel's description.
var channelString = coercion{
	note: channelsNote,
	apply: func(v json.RawMessage) (json.RawMessage, string) {
		if kindOf(v) == "string" {
			return v, ""
		}
		return nil, fmt.Sprintf("must be a string, got %s", jsonKind(v))
	},
}

// channelObject lets a channel the catalog types as an object be given as
// {"name": "email"} or, as the API takes it, as the string "email".
var channelObject = coercion{
	note: ` Give it as {"name": "email"} (the plain string "email" is accepted too).` + channelsNote,
	refine: func(props map[string]any) []string {
		props["name"] = map[string]any{"type": "string", "description": "The channel, such as email, chat, phone, sms, api or internal-note, or one an app defines on the account."}
		return []string{"name"}
	},
	apply: func(v json.RawMessage) (json.RawMessage, string) {
		switch kindOf(v) {
		case "string":
			return v, ""
		case "object":
			var obj map[string]json.RawMessage
			if json.Unmarshal(v, &obj) == nil && len(obj) == 1 && kindOf(obj["name"]) == "string" {
				return obj["name"], ""
			}
		}
		return nil, fmt.Sprintf(`must be an object {"name": "<channel>"}, such as {"name": "email"}, got %s`, jsonKind(v))
	},
}

// fieldValueBody lets the value of one custom field, which the catalog
// types as an object, be given as {"value": …} or as the bare value.
var fieldValueBody = coercion{
	note: ` Give it as {"value": …}: text (dropdown values too, such as "Order::Status::Delivered"), a number or a boolean, matching the field's type.`,
	refine: func(props map[string]any) []string {
		props["value"] = map[string]any{"type": []string{"string", "number", "boolean"}, "description": "The field's new value."}
		return []string{"value"}
	},
	apply: func(v json.RawMessage) (json.RawMessage, string) {
		switch kindOf(v) {
		case "string", "number", "boolean":
			return v, ""
		case "object":
			var obj map[string]json.RawMessage
			if json.Unmarshal(v, &obj) == nil && len(obj) == 1 {
				if inner, ok := obj["value"]; ok {
					switch kindOf(inner) {
					case "string", "number", "boolean":
						return inner, ""
					}
				}
			}
		}
		return nil, fmt.Sprintf(`must be an object {"value": …} holding a string, a number or a boolean, got %s`, jsonKind(v))
	},
}

// ticketTagsNames names the SDK's "request" problem (no tag at all) by
// the tool's parameters.
var ticketTagsNames = map[string]string{"request": "ids/names"}

// bindings are the 36 tools, by catalog name.
var bindings = map[string]*binding{
	// Tickets.
	"gorgias_tickets_list_tickets": {
		enums: map[string][]string{"order_by": ticketOrders},
		out:   pageOf[gorgias.Ticket, ticketView](),
		extra: []Param{fullParam},
		description: "List the helpdesk's tickets, newest first by default, one page at a time (up to 100 per page with limit). " +
			"Filter by customer_id, external_id, view_id, rule_id or ticket_ids, and choose trashed to include or leave out trashed tickets. " +
			"Each ticket comes as a compact view (id, subject, status, priority, channel, customer_email, updated_datetime, messages_count and the names of its tags); " +
			"pass full true for the full tickets (without messages: get a ticket for those). The answer's meta.next_cursor, passed back as cursor, fetches the next page. " +
			"order_by takes created_datetime:asc|desc or updated_datetime:asc|desc.",
		readOnly: true,
		prepare:  listPage(func(c *gorgias.Client) listFunc[gorgias.ListTicketsOptions, gorgias.Ticket] { return c.Tickets.List }, compactTicket),
	},
	"gorgias_tickets_get_ticket": {
		enums: map[string][]string{"relationships": {"custom_fields"}},
		out:   objectOf[gorgias.Ticket](),
		description: "Fetch one ticket by id, with its messages, customer, assignee, tags and satisfaction survey. " +
			`Pass relationships ["custom_fields"] to include the ticket's custom field values as well.`,
		readOnly: true,
		prepare: func(in *input) (callFunc, error) {
			id := in.int("id")
			opts, err := query[gorgias.GetTicketOptions](in, "id")
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context, c *gorgias.Client) (any, error) { return c.Tickets.Get(ctx, id, opts) }, nil
		},
	},
	"gorgias_tickets_create_ticket": {
		enums:    map[string][]string{"status": statuses, "priority": priorities, "via": vias},
		optional: map[string]string{"via": viaDefault},
		out:      objectOf[gorgias.Ticket](),
		description: "Open a new ticket together with its first message(s). Each message needs channel and from_agent (via is optional and defaults to api, for the ticket and each message); " +
			`the ticket's customer is given as {"email": …, "name": …} or {"id": …}, or else named by the first message (its sender, or its receiver when from_agent is true). ` +
			"A message with sent_datetime set is recorded as already sent; without it, a message from an agent is actually sent to the customer through its channel (an email, say). " +
			`Tags are given as [{"name": …}] or [{"id": …}], custom fields as [{"id": <field id>, "value": …}]. Creating is not idempotent: calling twice makes two tickets.`,
		openWorld: true,
		coerce:    map[string]coercion{"channel": channelObject},
		prepare: create(func(c *gorgias.Client) createFunc[gorgias.CreateTicketRequest, gorgias.Ticket] {
			return c.Tickets.Create
		}),
	},
	"gorgias_tickets_update_ticket": {
		enums: map[string][]string{"status": statuses, "priority": priorities, "via": vias},
		out:   objectOf[gorgias.Ticket](),
		description: "Change fields of an existing ticket; only the parameters given change. Typical uses: status open|closed, priority, subject, " +
			`assignee_user {"id": …} or assignee_team {"id": …} (null unassigns), snooze_datetime (null un-snoozes), trashed_datetime (null restores from the trash), spam, is_unread. ` +
			"tags given here replace the ticket's tags; prefer the ticket tag tools to add or remove some.",
		idempotent: true,
		coerce:     map[string]coercion{"channel": channelObject},
		prepare: updateByID(func(c *gorgias.Client) updateFunc[gorgias.UpdateTicketRequest, gorgias.Ticket] {
			return c.Tickets.Update
		}),
	},
	"gorgias_tickets_delete_ticket": {
		out: doneOutput,
		description: "Permanently delete a ticket with its messages, tags, custom field values and survey. This cannot be undone; " +
			"to keep the ticket recoverable, move it to the trash instead by updating its trashed_datetime.",
		destructive: true, idempotent: true,
		prepare: deleteByID(func(c *gorgias.Client) deleteFunc { return c.Tickets.Delete }, "deleted ticket %d"),
	},

	// A ticket's tags.
	"gorgias_tickets_get_api_tickets_ticket_id_tags": {
		out:         listOf[gorgias.Tag](),
		description: "List the tags on one ticket (id, name and decoration of each).",
		readOnly:    true,
		prepare: func(in *input) (callFunc, error) {
			ticketID := in.int("ticket_id")
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return whole(c.Tickets.ListTags(ctx, ticketID))
			}, nil
		},
	},
	"gorgias_tickets_create_ticket_tags": {
		out: doneOutput,
		description: "Add tags to a ticket, keeping the tags it already has. Name the tags by ids, by names, or both; " +
			"a name that no tag has yet creates that tag.",
		idempotent: true,
		fieldNames: ticketTagsNames,
		prepare:    ticketTags(func(c *gorgias.Client) ticketTagsFunc { return c.Tickets.AddTags }, "added the tags to ticket %d"),
	},
	"gorgias_tickets_update_ticket_tags": {
		out: doneOutput,
		description: "Replace ALL the tags of a ticket with the ones named (by ids and/or names): tags not named are taken off the ticket. " +
			"To add or remove a few tags, use the add and remove ticket tag tools instead.",
		destructive: true, idempotent: true,
		fieldNames: ticketTagsNames,
		prepare:    ticketTags(func(c *gorgias.Client) ticketTagsFunc { return c.Tickets.SetTags }, "set the tags of ticket %d"),
	},
	"gorgias_tickets_delete_ticket_tags": {
		out: doneOutput,
		description: "Take tags off a ticket, named by ids and/or names. The tags themselves still exist afterwards; " +
			"only their link to this ticket goes.",
		destructive: true, idempotent: true,
		fieldNames: ticketTagsNames,
		prepare:    ticketTags(func(c *gorgias.Client) ticketTagsFunc { return c.Tickets.RemoveTags }, "removed the tags from ticket %d"),
	},

	// A ticket's custom fields.
	"gorgias_tickets_list_ticket_custom_fields": {
		out: listOf[gorgias.CustomFieldValue](),
		description: "List a ticket's custom field values, each with the field's definition: its id, label, data type " +
			"(text, number or boolean) and, for dropdowns, the allowed choices.",
		readOnly: true,
		prepare: func(in *input) (callFunc, error) {
			ticketID := in.int("ticket_id")
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return whole(c.Tickets.ListCustomFields(ctx, ticketID))
			}, nil
		},
	},
	"gorgias_tickets_update_ticket_custom_field": {
		out: objectOf[gorgias.CustomFieldValue](),
		description: "Set the value of one custom field on a ticket; the ticket's other fields keep their values. " +
			"id is the custom field's id (see the list of the ticket's custom field values).",
		idempotent: true,
		coerce:     map[string]coercion{"body": fieldValueBody},
		fieldNames: map[string]string{"field_id": "id", "value": "body"},
		prepare: func(in *input) (callFunc, error) {
			ticketID, fieldID := in.int("ticket_id"), in.int("id")
			var value any
			if err := in.decodeArg("body", &value); err != nil {
				return nil, err
			}
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return c.Tickets.UpdateCustomField(ctx, ticketID, fieldID, value)
			}, nil
		},
	},
	"gorgias_tickets_update_ticket_custom_fields": {
		out: listOf[gorgias.CustomFieldValue](),
		description: `Replace ALL the custom field values of a ticket with body, a list of {"id": <field id>, "value": …}: ` +
			"fields left out lose their values, and an empty list clears them all. To change one field, use the single custom field update instead.",
		destructive: true, idempotent: true,
		fieldNames: map[string]string{"updates": "body"},
		prepare: func(in *input) (callFunc, error) {
			ticketID := in.int("ticket_id")
			var updates []gorgias.CustomFieldUpdate
			if err := in.decodeArg("body", &updates); err != nil {
				return nil, err
			}
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return whole(c.Tickets.UpdateCustomFields(ctx, ticketID, updates))
			}, nil
		},
	},
	"gorgias_tickets_delete_ticket_custom_field": {
		out:         doneOutput,
		description: "Clear a ticket's value for one custom field (id is the field's id). The field itself stays defined.",
		destructive: true, idempotent: true,
		fieldNames: map[string]string{"field_id": "id"},
		prepare: func(in *input) (callFunc, error) {
			ticketID, fieldID := in.int("ticket_id"), in.int("id")
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return doneIf(c.Tickets.DeleteCustomField(ctx, ticketID, fieldID), "cleared custom field %d of ticket %d", fieldID, ticketID)
			}, nil
		},
	},

	// Messages.
	"gorgias_tickets_list_messages": {
		enums: map[string][]string{"order_by": messageOrders},
		out:   pageOf[gorgias.Message, messageView](),
		extra: []Param{fullParam},
		description: "List messages across the helpdesk, or of one ticket with ticket_id, newest first by default, one page at a time. " +
			"Internal notes (public false) are included. Pass meta.next_cursor back as cursor for the next page.",
		readOnly: true,
		prepare:  listPage(func(c *gorgias.Client) listFunc[gorgias.ListMessagesOptions, gorgias.Message] { return c.Messages.List }, compactMessage),
	},
	"gorgias_tickets_get_ticket_message": {
		out:         objectOf[gorgias.Message](),
		description: "Fetch one message of a ticket by the ticket's id and the message's id: sender, receiver, channel, bodies, attachments and datetimes.",
		readOnly:    true,
		prepare: func(in *input) (callFunc, error) {
			ticketID, id := in.int("ticket_id"), in.int("id")
			return func(ctx context.Context, c *gorgias.Client) (any, error) { return c.Messages.Get(ctx, ticketID, id) }, nil
		},
	},
	"gorgias_tickets_create_ticket_message": {
		enums:    map[string][]string{"action": messageActions, "via": vias},
		optional: map[string]string{"via": viaDefault},
		out:      objectOf[gorgias.Message](),
		description: "Add a message to a ticket. For a private note only agents see, use channel internal-note, via internal-note, from_agent true, public false. " +
			"For a reply to the customer use their channel (such as email) with from_agent true: without sent_datetime Gorgias really sends it to the customer; " +
			"with sent_datetime it is only recorded as already sent. Not idempotent: calling twice posts twice.",
		openWorld: true,
		coerce:    map[string]coercion{"channel": channelObject},
		prepare: func(in *input) (callFunc, error) {
			ticketID := in.int("ticket_id")
			req, err := body[gorgias.CreateMessageRequest](in, "ticket_id", "action")
			if err != nil {
				return nil, err
			}
			req.Action = gorgias.MessageAction(in.str("action")) // sent in the query string: the SDK's field has no JSON name
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return c.Messages.Create(ctx, ticketID, req)
			}, nil
		},
	},
	"gorgias_tickets_update_ticket_message": {
		enums:  map[string][]string{"action": messageActions, "via": vias},
		coerce: map[string]coercion{"channel": channelString},
		out:    objectOf[gorgias.Message](),
		description: "Change a message of a ticket, for example its body or its datetimes. " +
			"With action retry or force, Gorgias tries again to send a message that failed (which reaches the customer); cancel deletes it.",
		openWorld: true, // and not idempotent: each retry may send again
		prepare: func(in *input) (callFunc, error) {
			ticketID, id := in.int("ticket_id"), in.int("id")
			req, err := body[gorgias.UpdateMessageRequest](in, "ticket_id", "id", "action")
			if err != nil {
				return nil, err
			}
			req.Action = gorgias.MessageAction(in.str("action"))
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return c.Messages.Update(ctx, ticketID, id, req)
			}, nil
		},
	},
	"gorgias_tickets_delete_ticket_message": {
		out:         doneOutput,
		description: "Permanently delete one message of a ticket. This cannot be undone.",
		destructive: true, idempotent: true,
		prepare: func(in *input) (callFunc, error) {
			ticketID, id := in.int("ticket_id"), in.int("id")
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return doneIf(c.Messages.Delete(ctx, ticketID, id), "deleted message %d of ticket %d", id, ticketID)
			}, nil
		},
	},

	// Tags.
	"gorgias_tickets_list_tags": {
		enums: map[string][]string{"order_by": tagOrders},
		out:   pageOf[gorgias.Tag, tagView](),
		extra: []Param{fullParam},
		description: "List the helpdesk's tags with how many tickets use each, one page at a time. search keeps the tags whose name contains the text (ignoring case); " +
			"order_by takes created_datetime:asc, created_datetime:desc, name:asc, name:desc, usage:asc,name:asc or usage:desc,name:desc (most used first). " +
			"Pass meta.next_cursor back as cursor for the next page.",
		readOnly: true,
		prepare:  listPage(func(c *gorgias.Client) listFunc[gorgias.ListTagsOptions, gorgias.Tag] { return c.Tags.List }, compactTag),
	},
	"gorgias_tickets_get_tag": {
		out:         objectOf[gorgias.Tag](),
		description: "Fetch one tag by id: name, description, color and usage count.",
		readOnly:    true,
		prepare:     getByID(func(c *gorgias.Client) getFunc[gorgias.Tag] { return c.Tags.Get }),
	},
	"gorgias_tickets_create_tag": {
		out:         objectOf[gorgias.Tag](),
		description: `Create a tag. Names are unique and case-sensitive (a duplicate is refused with a conflict); decoration is {"color": "#d85a17"}.`,
		prepare:     create(func(c *gorgias.Client) createFunc[gorgias.CreateTagRequest, gorgias.Tag] { return c.Tags.Create }),
	},
	"gorgias_tickets_update_tag": {
		out:         objectOf[gorgias.Tag](),
		description: "Rename a tag or change its description or color; only the parameters given change. The tickets carrying the tag keep it.",
		idempotent:  true,
		prepare:     updateByID(func(c *gorgias.Client) updateFunc[gorgias.UpdateTagRequest, gorgias.Tag] { return c.Tags.Update }),
	},
	"gorgias_tickets_delete_tag": {
		out:         doneOutput,
		description: "Permanently delete one tag, taking it off every ticket; views filtering on it are deactivated. A tag used by macros or rules cannot be deleted.",
		destructive: true, idempotent: true,
		prepare: deleteByID(func(c *gorgias.Client) deleteFunc { return c.Tags.Delete }, "deleted tag %d"),
	},
	"gorgias_tickets_delete_tags": {
		out:         doneOutput,
		description: "Permanently delete several tags at once, by ids, taking them off every ticket.",
		destructive: true, idempotent: true,
		prepare: func(in *input) (callFunc, error) {
			var ids []int64
			if err := in.decodeArg("ids", &ids); err != nil {
				return nil, err
			}
			return func(ctx context.Context, c *gorgias.Client) (any, error) {
				return doneIf(c.Tags.DeleteMany(ctx, ids), "deleted tags %v", ids)
			}, nil
		},
	},
	"gorgias_tickets_merge_tags": {
		out: objectOf[gorgias.Tag](),
		description: "Merge tags into one: every ticket carrying a source tag (source_tags_ids) carries the destination tag instead, " +
			"and the source tags are deleted. This cannot be undone. Returns the destination tag.",
		destructive: true, idempotent: true,
		prepare: func(in *input) (callFunc, error) {
			dest := in.int("destination_tag_id")
			var sources []int64
			if err := in.decodeArg("source_tags_ids", &sources); err != nil {
				return nil, err
			}
			return func(ctx context.Context, c *gorgias.Client) (any, error) { return c.Tags.Merge(ctx, dest, sources) }, nil
		},
	},

	// Satisfaction surveys.
	"gorgias_tickets_list_satisfaction_surveys": {
		enums: map[string][]string{"order_by": surveyOrders},
		out:   pageOf[gorgias.Survey, surveyView](),
		extra: []Param{fullParam},
		description: "List satisfaction surveys (CSAT), or the one of a ticket with ticket_id, newest first by default, one page at a time. " +
			"score is 1 to 5, or null until the customer answers. Pass meta.next_cursor back as cursor for the next page.",
		readOnly: true,
		prepare:  listPage(func(c *gorgias.Client) listFunc[gorgias.ListSurveysOptions, gorgias.Survey] { return c.Surveys.List }, compactSurvey),
	},
	"gorgias_tickets_get_satisfaction_survey": {
		out:         objectOf[gorgias.Survey](),
		description: "Fetch one satisfaction survey by id: its ticket, customer, score, comment and when it was sent and answered.",
		readOnly:    true,
		prepare:     getByID(func(c *gorgias.Client) getFunc[gorgias.Survey] { return c.Surveys.Get }),
	},
	"gorgias_tickets_create_satisfaction_survey": {
		out: objectOf[gorgias.Survey](),
		description: "Create the satisfaction survey of a ticket (a ticket has at most one) for the ticket's customer. " +
			"score (1 to 5) and body_text record an answer; should_send_datetime schedules sending, and null means it is never sent.",
		prepare: create(func(c *gorgias.Client) createFunc[gorgias.CreateSurveyRequest, gorgias.Survey] {
			return c.Surveys.Create
		}),
	},
	"gorgias_tickets_update_satisfaction_survey": {
		out: objectOf[gorgias.Survey](),
		description: "Change a satisfaction survey: record or correct its score (1 to 5) and comment, or reschedule it; only the parameters given change, " +
			"and null clears a value (should_send_datetime null stops it from being sent).",
		idempotent: true,
		prepare: updateByID(func(c *gorgias.Client) updateFunc[gorgias.UpdateSurveyRequest, gorgias.Survey] {
			return c.Surveys.Update
		}),
	},

	// Voice.
	"gorgias_tickets_list_voice_calls": {
		out:   pageOf[gorgias.VoiceCall, callView](),
		extra: []Param{fullParam},
		description: "List phone calls handled by Gorgias Voice, or those of one ticket with ticket_id, one page at a time: direction, status, numbers, duration, agents. " +
			"Pass meta.next_cursor back as cursor for the next page.",
		readOnly: true,
		prepare: listPage(func(c *gorgias.Client) listFunc[gorgias.ListCallsOptions, gorgias.VoiceCall] {
			return c.Voice.ListCalls
		}, compactCall),
	},
	"gorgias_tickets_get_voice_call": {
		out:         objectOf[gorgias.VoiceCall](),
		description: "Fetch one phone call by id, with its status, how it ended, its duration, the agents involved and any AI summaries.",
		readOnly:    true,
		prepare:     getByID(func(c *gorgias.Client) getFunc[gorgias.VoiceCall] { return c.Voice.GetCall }),
	},
	"gorgias_tickets_list_voice_call_events": {
		out:         pageOf[gorgias.VoiceCallEvent, callEventView](),
		extra:       []Param{fullParam},
		description: "List the steps of phone calls (ringing, answered, transferred, voicemail…), or those of one call with call_id, in order.",
		readOnly:    true,
		prepare: listPage(func(c *gorgias.Client) listFunc[gorgias.ListCallItemsOptions, gorgias.VoiceCallEvent] {
			return c.Voice.ListCallEvents
		}, compactCallEvent),
	},
	"gorgias_tickets_get_voice_call_event": {
		out:         objectOf[gorgias.VoiceCallEvent](),
		description: "Fetch one step of a phone call by the event's id.",
		readOnly:    true,
		prepare:     getByID(func(c *gorgias.Client) getFunc[gorgias.VoiceCallEvent] { return c.Voice.GetCallEvent }),
	},
	"gorgias_tickets_list_voice_call_recordings": {
		out:         pageOf[gorgias.VoiceCallRecording, recordingView](),
		extra:       []Param{fullParam},
		description: "List call recordings and voicemails, or those of one call with call_id: type, duration, the audio's URL and the transcription's status.",
		readOnly:    true,
		prepare: listPage(func(c *gorgias.Client) listFunc[gorgias.ListCallItemsOptions, gorgias.VoiceCallRecording] {
			return c.Voice.ListRecordings
		}, compactRecording),
	},
	"gorgias_tickets_get_voice_call_recording": {
		out:         objectOf[gorgias.VoiceCallRecording](),
		description: "Fetch one call recording or voicemail by id, with the URL of its audio.",
		readOnly:    true,
		prepare:     getByID(func(c *gorgias.Client) getFunc[gorgias.VoiceCallRecording] { return c.Voice.GetRecording }),
	},
	"gorgias_tickets_delete_voice_call_recording": {
		out:         doneOutput,
		description: "Permanently delete a call recording or voicemail (its audio is gone for good; the call stays).",
		destructive: true, idempotent: true,
		prepare: deleteByID(func(c *gorgias.Client) deleteFunc { return c.Voice.DeleteRecording }, "deleted voice call recording %d"),
	},
}

// doneIf turns the error of an operation that returns no object into a
// result.
func doneIf(err error, format string, args ...any) (any, error) {
	if err != nil {
		return nil, err
	}
	return donef(format, args...), nil
}

func init() {
	for name, b := range bindings {
		b.name = name
	}
}
