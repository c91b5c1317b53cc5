package gorgias

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// IntegrationsService manages the account's integrations: /api/integrations.
// An integration of type "http" (an HTTP integration) is how Gorgias calls
// a URL when a ticket is created or updated or gets a message: its
// webhooks. The webhook package registers one and serves its deliveries.
type IntegrationsService struct{ service }

// IntegrationType is the kind of an integration.
type IntegrationType string

// IntegrationTypeHTTP is the type of HTTP integrations, the ones this SDK
// creates and reads; the account's other integrations (email, Shopify…)
// come back from List with their own type.
const IntegrationTypeHTTP IntegrationType = "http"

// Integration is an integration of the account. HTTP is set for an HTTP
// integration.
type Integration struct {
	ID          int64           `json:"id"`
	URI         string          `json:"uri"`
	Name        string          `json:"name"`
	Type        IntegrationType `json:"type"`
	Description *string         `json:"description"`

	CreatedDatetime *Time `json:"created_datetime"`
	UpdatedDatetime *Time `json:"updated_datetime"`
	// DeactivatedDatetime is set when the integration is off: turned off
	// by a user, or by Gorgias after it kept failing.
	DeactivatedDatetime *Time `json:"deactivated_datetime"`
	LockedDatetime      *Time `json:"locked_datetime,omitempty"`
	Managed             *bool `json:"managed,omitempty"`
	// ApplicationID is the app that manages the integration, if any (a
	// string in the reference's object page).
	ApplicationID *string `json:"application_id"`
	// User is who created the integration.
	User *User            `json:"user"`
	HTTP *HTTPIntegration `json:"http"`

	// Raw keeps what the API sent that the fields above do not hold as
	// sent: see RawFields.
	Raw RawFields `json:"-"`
}

func (i *Integration) validate() error { return requireID("integration", i.ID) }

// Active reports whether the integration is on: it has no deactivation
// datetime.
func (i *Integration) Active() bool { return i.DeactivatedDatetime == nil }

// HTTPIntegration is what an HTTP integration sends, and when.
type HTTPIntegration struct {
	// URL is where the request goes; it may hold template variables
	// such as {{ticket.id}}.
	URL string `json:"url"`
	// Method is GET, POST, PUT, DELETE, HEAD or PATCH (the API's default
	// is GET).
	Method string `json:"method"`
	// Headers are sent with each request; values may hold templates.
	Headers map[string]string `json:"headers"`
	// Form is the body's template: a JSON object, or a string.
	Form json.RawMessage `json:"form"`
	// RequestContentType is how Form is encoded: "application/json" or
	// "application/x-www-form-urlencoded".
	RequestContentType  string `json:"request_content_type"`
	ResponseContentType string `json:"response_content_type"`
	// Triggers are the events that send the request, by name: true when
	// on. Gorgias's pages spell them with hyphens ("ticket-created") or,
	// in v1.1, underscores ("ticket_created"); Triggered reads both.
	Triggers map[string]bool `json:"triggers"`

	Raw RawFields `json:"-"`
}

// Triggered reports whether trigger (hyphenated, as "ticket-created") is
// on, under either spelling.
func (h *HTTPIntegration) Triggered(trigger string) bool {
	if h == nil {
		return false
	}
	return h.Triggers[trigger] || h.Triggers[strings.ReplaceAll(trigger, "-", "_")]
}

// httpMethods are the methods an HTTP integration can send.
var httpMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead, http.MethodPatch}

// Content types of an HTTP integration's request.
const (
	ContentTypeJSON = "application/json"
	ContentTypeForm = "application/x-www-form-urlencoded"
)

// httpTriggers are the trigger names an HTTP integration accepts, as they
// are sent (hyphenated). The first five are documented by Gorgias; the
// last three are named by third-party guides only.
var httpTriggers = []string{
	"ticket-created", "ticket-updated", "ticket-message-created", "ticket-self-unsnoozed", "ticket-message-failed",
	"ticket-status-updated", "ticket-assignment-updated", "ticket-handed-over",
}

// MaxIntegrationNameLength bounds an integration's name, in characters.
const MaxIntegrationNameLength = 256

// HTTPIntegrationRequest is the http part of CreateIntegrationRequest and
// UpdateIntegrationRequest. URL is required; the rest is optional.
type HTTPIntegrationRequest struct {
	URL string `json:"url"`
	// Method is GET, POST, PUT, DELETE, HEAD or PATCH; empty leaves the API's default (GET).
	Method  string            `json:"method,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	// Form is the body's template: a string, or a value encoding to a
	// JSON object (a map, a struct, a json.RawMessage).
	Form                any    `json:"form,omitempty"`
	RequestContentType  string `json:"request_content_type,omitempty"`
	ResponseContentType string `json:"response_content_type,omitempty"`
	// Triggers turns triggers on (true) or off, by their hyphenated
	// names: ticket-created, ticket-updated, ticket-message-created,
	// ticket-self-unsnoozed, ticket-message-failed (documented), and
	// ticket-status-updated, ticket-assignment-updated,
	// ticket-handed-over (named by third-party guides only).
	Triggers map[string]bool `json:"triggers,omitempty"`
}

// CreateIntegrationRequest is the body of Integrations.Create. Name and
// Type are required, and HTTP for an HTTP integration.
type CreateIntegrationRequest struct {
	Name        string                  `json:"name"`
	Type        IntegrationType         `json:"type"`
	Description string                  `json:"description,omitempty"`
	HTTP        *HTTPIntegrationRequest `json:"http,omitempty"`
}

// UpdateIntegrationRequest is the body of Integrations.Update: only the
// fields set change (at least one must be). HTTP, when set, is sent whole.
// DeactivatedDatetime set to Null turns a deactivated integration back on.
type UpdateIntegrationRequest struct {
	Name                *string                 `json:"name,omitempty"`
	Description         Nullable[string]        `json:"description,omitzero"`
	HTTP                *HTTPIntegrationRequest `json:"http,omitempty"`
	DeactivatedDatetime Nullable[Time]          `json:"deactivated_datetime,omitzero"`
}

// ListIntegrationsOptions are the filters of Integrations.List and All;
// none is required.
type ListIntegrationsOptions struct {
	ListOptions
	// Type keeps the integrations of one type, such as IntegrationTypeHTTP.
	Type IntegrationType `url:"type,omitempty"`
}

func integrationPath(id int64) string { return "integrations/" + strconv.FormatInt(id, 10) }

func validateIntegrationName(v *validator, name string) {
	v.check(strings.TrimSpace(name) != "", "name", "is required")
	v.check(utf8.RuneCountInString(name) <= MaxIntegrationNameLength, "name", "at most 256 characters")
}

func validateIntegrationType(v *validator, field string, t IntegrationType) {
	v.check(strings.TrimSpace(string(t)) != "", field, "is required")
	v.check(strings.TrimSpace(string(t)) == string(t) && !strings.ContainsAny(string(t), "/?#&"), field, "is not an integration type")
}

func (h *HTTPIntegrationRequest) validate(v *validator) {
	u := strings.TrimSpace(h.URL)
	v.check(u != "", "http.url", "is required")
	if u != "" {
		lower := strings.ToLower(u)
		parsed, err := url.Parse(u)
		v.check((strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")) && err == nil && parsed.Host != "",
			"http.url", "must be an absolute http:// or https:// URL")
	}
	if h.Method != "" {
		ok := false
		for _, m := range httpMethods {
			ok = ok || h.Method == m
		}
		v.check(ok, "http.method", "must be one of GET, POST, PUT, DELETE, HEAD, PATCH")
	}
	for name, value := range h.Headers {
		v.check(validHeaderName(name), "http.headers", "holds the invalid header name "+strconv.Quote(name))
		if problem := headerValueProblem(value); problem != "" {
			v.check(false, "http.headers."+name, problem)
		}
	}
	switch h.RequestContentType {
	case "", ContentTypeJSON, ContentTypeForm:
	default:
		v.check(false, "http.request_content_type", "must be application/json or application/x-www-form-urlencoded")
	}
	switch h.ResponseContentType {
	case "", ContentTypeJSON:
	default:
		v.check(false, "http.response_content_type", "must be application/json")
	}
	if h.Form != nil {
		raw, err := json.Marshal(h.Form)
		raw = bytes.TrimSpace(raw)
		v.check(err == nil && len(raw) > 0 && (raw[0] == '{' || raw[0] == '"'), "http.form", "must be a string or encode to a JSON object")
	}
	for name := range h.Triggers {
		known := false
		for _, t := range httpTriggers {
			known = known || name == t
		}
		switch {
		case known:
		case strings.Contains(name, "_"):
			v.check(false, "http.triggers", "send "+strconv.Quote(name)+" hyphenated, as "+strconv.Quote(strings.ReplaceAll(name, "_", "-")))
		default:
			v.check(false, "http.triggers", "holds the unknown trigger "+strconv.Quote(name))
		}
	}
}

// List returns one page of integrations (GET /api/integrations). opts may
// be nil; set opts.Type to IntegrationTypeHTTP for the HTTP integrations.
//
// Gorgias API docs: https://developers.gorgias.com/reference/list-integrations
func (s *IntegrationsService) List(ctx context.Context, opts *ListIntegrationsOptions, callOpts ...CallOption) (*Page[Integration], error) {
	v := newValidator("Integrations.List")
	if opts != nil {
		opts.validate(v)
		if opts.Type != "" {
			validateIntegrationType(v, "type", opts.Type)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return listPage[Integration](ctx, s.client, "Integrations.List", "integrations", opts, callOpts)
}

// All iterates over every integration matching opts, fetching pages as the
// loop advances. Stop early with break.
func (s *IntegrationsService) All(ctx context.Context, opts *ListIntegrationsOptions, callOpts ...CallOption) iter.Seq2[*Integration, error] {
	return listAll(ctx, "integrations", opts, s.List, callOpts)
}

// Get returns an integration (GET /api/integrations/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/get-integration
func (s *IntegrationsService) Get(ctx context.Context, id int64, callOpts ...CallOption) (*Integration, error) {
	return getByID[Integration](ctx, s.client, "Integrations.Get", "integrations", id, callOpts)
}

// Create creates an integration (POST /api/integrations).
//
// Gorgias API docs: https://developers.gorgias.com/reference/create-integration
func (s *IntegrationsService) Create(ctx context.Context, req *CreateIntegrationRequest, callOpts ...CallOption) (*Integration, error) {
	v := newValidator("Integrations.Create")
	v.check(req != nil, "request", "is required")
	if req != nil {
		validateIntegrationName(v, req.Name)
		validateIntegrationType(v, "type", req.Type)
		v.check(req.Type != IntegrationTypeHTTP || req.HTTP != nil, "http", "is required for an HTTP integration")
		if req.HTTP != nil {
			v.check(req.Type == IntegrationTypeHTTP, "http", "is for integrations of type http")
			req.HTTP.validate(v)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Integration](ctx, s.client, request{op: "Integrations.Create", method: http.MethodPost, path: "integrations", body: req, opts: callOpts})
}

// Update changes the fields set in req (PUT /api/integrations/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/update-integration
func (s *IntegrationsService) Update(ctx context.Context, id int64, req *UpdateIntegrationRequest, callOpts ...CallOption) (*Integration, error) {
	v := newValidator("Integrations.Update")
	v.id("id", id)
	v.check(req != nil, "request", "is required")
	if req != nil {
		if req.Name != nil {
			validateIntegrationName(v, *req.Name)
		}
		if req.HTTP != nil {
			req.HTTP.validate(v)
		}
		v.check(!isEmptyUpdate(req), "request", "sets no field: nothing to update")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[Integration](ctx, s.client, request{op: "Integrations.Update", method: http.MethodPut, path: integrationPath(id), body: req, opts: callOpts})
}

// Delete deletes an integration (DELETE /api/integrations/{id}).
//
// Gorgias API docs: https://developers.gorgias.com/reference/delete-integration
func (s *IntegrationsService) Delete(ctx context.Context, id int64, callOpts ...CallOption) error {
	return deleteByID(ctx, s.client, "Integrations.Delete", "integrations", id, callOpts)
}
