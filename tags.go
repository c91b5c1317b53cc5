package gorgias

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TagsService manages the account's tags: /api/tags.
type TagsService struct{ service }

// Tag is a tag of the account.
type Tag struct {
	ID          int64       `json:"id"`
	URI         string      `json:"uri"`
	Name        string      `json:"name"`
	Description *string     `json:"description"`
	Decoration  *Decoration `json:"decoration"`
	// Usage is how many tickets carry the tag (nil when the API sends null).
	Usage           *int  `json:"usage"`
	CreatedDatetime *Time `json:"created_datetime"`
	DeletedDatetime *Time `json:"deleted_datetime"`

	// Raw keeps what the API sent that the fields above do not hold as
	// sent, such as fields Gorgias added later: see RawFields.
	Raw RawFields `json:"-"`
}

func (t *Tag) validate() error { return requireID("tag", t.ID) }

// Limits on tags' text, in characters.
const (
	MaxTagNameLength        = 256
	MaxTagDescriptionLength = 1024
)

// CreateTagRequest is the body of Tags.Create. Name is required, at most 256
// characters, and unique (case-sensitively): a duplicate is ErrConflict.
type CreateTagRequest struct {
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Decoration  *Decoration `json:"decoration,omitempty"`
}

// UpdateTagRequest is the body of Tags.Update: no field is required, only
// the fields set change (at least one must be). Description and Decoration
// can be cleared with Null.
type UpdateTagRequest struct {
	Name        *string              `json:"name,omitempty"`
	Description Nullable[string]     `json:"description,omitzero"`
	Decoration  Nullable[Decoration] `json:"decoration,omitzero"`
}

// TagOrder is a sort order for Tags.List.
type TagOrder string

// Sort orders for Tags.List.
const (
	TagOrderCreatedAsc  TagOrder = "created_datetime:asc"
	TagOrderCreatedDesc TagOrder = "created_datetime:desc" // the API's default
	TagOrderNameAsc     TagOrder = "name:asc"
	TagOrderNameDesc    TagOrder = "name:desc"
	TagOrderUsageAsc    TagOrder = "usage:asc,name:asc"
	TagOrderUsageDesc   TagOrder = "usage:desc,name:desc"
)

// ListTagsOptions are the filters of Tags.List and Tags.All; none is
// required.
type ListTagsOptions struct {
	ListOptions
	// Search keeps the tags whose name contains it, ignoring case.
	Search  string   `url:"search,omitempty"`
	OrderBy TagOrder `url:"order_by,omitempty"`
}

func tagPath(id int64) string { return "tags/" + strconv.FormatInt(id, 10) }

func validateTagName(v *validator, name string) {
	v.check(strings.TrimSpace(name) != "", "name", "is required")
	v.check(utf8.RuneCountInString(name) <= MaxTagNameLength, "name", "at most 256 characters")
}

func validateDecoration(v *validator, d *Decoration) {
	v.check(d == nil || d.Color != "", "decoration.color", "is required in a decoration")
}

// Create creates a tag (POST /api/tags).
//
// Gorgias API docs: https://developers.gorgias.com/reference/create-tag
func (s *TagsService) Create(ctx context.Context, req *CreateTagRequest, callOpts ...CallOption) (*Tag, error) {
	v := newValidator("Tags.Create")
	v.check(req != nil, "request", "is required")
	if req != nil {
		validateTagName(v, req.Name)
		v.check(utf8.RuneCountInString(req.Description) <= MaxTagDescriptionLength, "description", "at most 1024 characters")
		validateDecoration(v, req.Decoration)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Tag](ctx, s.client, request{op: "Tags.Create", method: http.MethodPost, path: "tags", body: req, opts: callOpts})
}

// Get returns a tag (GET /api/tags/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-tag
func (s *TagsService) Get(ctx context.Context, id int64, callOpts ...CallOption) (*Tag, error) {
	return getByID[Tag](ctx, s.client, "Tags.Get", "tags", id, callOpts)
}

// List returns one page of tags (GET /api/tags). opts may be nil.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-tags
func (s *TagsService) List(ctx context.Context, opts *ListTagsOptions, callOpts ...CallOption) (*Page[Tag], error) {
	v := newValidator("Tags.List")
	if opts != nil {
		opts.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return listPage[Tag](ctx, s.client, "Tags.List", "tags", opts, callOpts)
}

// All iterates over every tag matching opts, fetching pages as the loop
// advances. Stop early with break.
func (s *TagsService) All(ctx context.Context, opts *ListTagsOptions, callOpts ...CallOption) iter.Seq2[*Tag, error] {
	return listAll(ctx, "tags", opts, s.List, callOpts)
}

// Update changes the fields set in req (PUT /api/tags/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-tag
func (s *TagsService) Update(ctx context.Context, id int64, req *UpdateTagRequest, callOpts ...CallOption) (*Tag, error) {
	v := newValidator("Tags.Update")
	v.id("id", id)
	v.check(req != nil, "request", "is required")
	if req != nil {
		if req.Name != nil {
			validateTagName(v, *req.Name)
		}
		if d, ok := req.Description.Get(); ok {
			v.check(utf8.RuneCountInString(d) <= MaxTagDescriptionLength, "description", "at most 1024 characters")
		}
		if d, ok := req.Decoration.Get(); ok {
			validateDecoration(v, &d)
		}
		v.check(!isEmptyUpdate(req), "request", "sets no field: nothing to update")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Tag](ctx, s.client, request{op: "Tags.Update", method: http.MethodPut, path: tagPath(id), body: req, opts: callOpts})
}

// Delete deletes a tag (DELETE /api/tags/{id}). Views filtering on it are
// deactivated; a tag used by macros or rules cannot be deleted.
//
// Gorgias API docs: https://developers.gorgias.com/reference/delete-tag
func (s *TagsService) Delete(ctx context.Context, id int64, callOpts ...CallOption) error {
	return deleteByID(ctx, s.client, "Tags.Delete", "tags", id, callOpts)
}

// DeleteMany deletes several tags at once (DELETE /api/tags).
//
// Gorgias API docs: https://developers.gorgias.com/reference/delete-tags
func (s *TagsService) DeleteMany(ctx context.Context, ids []int64, callOpts ...CallOption) error {
	v := newValidator("Tags.DeleteMany")
	validateIDs(v, "ids", ids)
	if err := v.err(); err != nil {
		return err
	}
	body := struct {
		IDs []int64 `json:"ids"`
	}{ids}
	return s.client.do(ctx, request{op: "Tags.DeleteMany", method: http.MethodDelete, path: "tags", body: body, opts: callOpts}, nil)
}

// Merge merges the source tags into the destination tag
// (PUT /api/tags/{id}/merge): tickets carrying a source tag carry the
// destination instead, and the sources are deleted. It returns the
// destination tag.
//
// Gorgias API docs: https://developers.gorgias.com/reference/merge-tags
func (s *TagsService) Merge(ctx context.Context, destinationID int64, sourceIDs []int64, callOpts ...CallOption) (*Tag, error) {
	v := newValidator("Tags.Merge")
	v.id("destination_tag_id", destinationID)
	validateIDs(v, "source_tags_ids", sourceIDs)
	for _, id := range sourceIDs {
		v.check(id != destinationID, "source_tags_ids", "cannot hold the destination tag")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	body := struct {
		SourceTagsIDs []int64 `json:"source_tags_ids"`
	}{sourceIDs}
	return doValue[Tag](ctx, s.client, request{op: "Tags.Merge", method: http.MethodPut, path: tagPath(destinationID) + "/merge", body: body, opts: callOpts})
}

// validateIDs requires a non-empty list of positive ids.
func validateIDs(v *validator, field string, ids []int64) {
	v.check(len(ids) > 0, field, "at least one id is required")
	for i, id := range ids {
		v.id(field+"."+itoa(i), id)
	}
}

// TicketTagsRequest names tags for Tickets.AddTags, SetTags and RemoveTags:
// by IDs, by Names, or both. AddTags and RemoveTags need at least one tag;
// SetTags with none (an empty request) removes every tag of the ticket.
type TicketTagsRequest struct {
	IDs   []int64  `json:"ids,omitempty"`
	Names []string `json:"names,omitempty"`
}

// clearAll is the body of SetTags with no tag: the API clears a ticket's
// tags when both lists are sent empty.
var clearAll = struct {
	IDs   []int64  `json:"ids"`
	Names []string `json:"names"`
}{IDs: []int64{}, Names: []string{}}

func (r *TicketTagsRequest) empty() bool { return r == nil || len(r.IDs)+len(r.Names) == 0 }

func (r *TicketTagsRequest) validate(v *validator, emptyClears bool) {
	v.check(emptyClears || !r.empty(), "request", "name at least one tag, by id or by name")
	if r == nil {
		return
	}
	for i, id := range r.IDs {
		v.id("ids."+itoa(i), id)
	}
	for i, name := range r.Names {
		v.check(strings.TrimSpace(name) != "", "names."+itoa(i), "is blank")
		v.check(utf8.RuneCountInString(name) <= MaxTagNameLength, "names."+itoa(i), "at most 256 characters")
	}
}

// ListTags returns the tags of a ticket (GET /api/tickets/{ticket_id}/tags).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get_api-tickets-ticket-id-tags
func (s *TicketsService) ListTags(ctx context.Context, ticketID int64, callOpts ...CallOption) ([]Tag, error) {
	v := newValidator("Tickets.ListTags")
	v.id("ticket_id", ticketID)
	if err := v.err(); err != nil {
		return nil, err
	}
	page, err := listPage[Tag](ctx, s.client, "Tickets.ListTags", ticketPath(ticketID)+"/tags", nil, callOpts)
	if err != nil {
		return nil, err
	}
	return page.Data, nil
}

// AddTags adds tags to a ticket (POST /api/tickets/{ticket_id}/tags). The
// API answers 200 with an empty body or 204: both are success.
//
// Gorgias API docs: https://developers.gorgias.com/reference/create-ticket-tags
func (s *TicketsService) AddTags(ctx context.Context, ticketID int64, req *TicketTagsRequest, callOpts ...CallOption) error {
	return s.ticketTags(ctx, "Tickets.AddTags", http.MethodPost, ticketID, req, callOpts...)
}

// SetTags replaces all the tags of a ticket with those named
// (PUT /api/tickets/{ticket_id}/tags). An empty request (or nil) removes
// every tag in one call; to remove some, use RemoveTags.
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-ticket-tags
func (s *TicketsService) SetTags(ctx context.Context, ticketID int64, req *TicketTagsRequest, callOpts ...CallOption) error {
	return s.ticketTags(ctx, "Tickets.SetTags", http.MethodPut, ticketID, req, callOpts...)
}

// RemoveTags removes tags from a ticket
// (DELETE /api/tickets/{ticket_id}/tags, with a JSON body).
//
// Gorgias API docs: https://developers.gorgias.com/reference/delete-ticket-tags
func (s *TicketsService) RemoveTags(ctx context.Context, ticketID int64, req *TicketTagsRequest, callOpts ...CallOption) error {
	return s.ticketTags(ctx, "Tickets.RemoveTags", http.MethodDelete, ticketID, req, callOpts...)
}

func (s *TicketsService) ticketTags(ctx context.Context, op, method string, ticketID int64, req *TicketTagsRequest, callOpts ...CallOption) error {
	v := newValidator(op)
	v.id("ticket_id", ticketID)
	set := method == http.MethodPut
	req.validate(v, set)
	if err := v.err(); err != nil {
		return err
	}
	var body any = req
	if set && req.empty() {
		body = clearAll
	}
	return s.client.do(ctx, request{op: op, method: method, path: ticketPath(ticketID) + "/tags", body: body, opts: callOpts}, nil)
}
