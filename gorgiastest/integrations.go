package gorgiastest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// Integrations: GET, POST /api/integrations and GET, PUT, DELETE
// /api/integrations/{id} (§15 of the API notes). HTTP integrations are
// delivered to (deliveries.go); other types are kept and listed only.

// integration is one integration of the account.
type integration struct {
	base
	name, typ                     string
	description                   nstr
	created, updated, deactivated ts
	http                          *httpSettings
	failures                      int // consecutive failed deliveries
}

// httpSettings is an HTTP integration's http object.
type httpSettings struct {
	url, method       string
	headers           map[string]string
	form              json.RawMessage // an object or a string; nil: none
	reqType, respType string
	triggers          map[string]bool
}

// triggered reports whether trigger (hyphenated) is on, in either spelling.
func (h *httpSettings) triggered(trigger string) bool {
	return h.triggers[trigger] || h.triggers[strings.ReplaceAll(trigger, "-", "_")]
}

var (
	integrationList = createdSpec(func(i *integration) ts { return i.created }, "created_datetime:asc")
	httpMethods     = []string{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"}
	contentTypes    = []string{"application/json", "application/x-www-form-urlencoded"}
)

// integrationRoutes registers the integration operations.
func (st *store) integrationRoutes(handle func(pattern string, h func(*call) *apiError)) {
	handle("GET /api/integrations", st.listIntegrations)
	handle("POST /api/integrations", st.createIntegration)
	handle("GET /api/integrations/{id}", st.getIntegration)
	handle("PUT /api/integrations/{id}", st.updateIntegration)
	handle("DELETE /api/integrations/{id}", st.deleteIntegration)
}

func (st *store) listIntegrations(c *call) *apiError {
	w := st.webhooks
	w.mu.Lock()
	defer w.mu.Unlock()
	typ := c.r.URL.Query().Get("type")
	set := make([]*integration, 0, len(w.integrations))
	for _, in := range w.integrations {
		set = append(set, in)
	}
	keep := func(in *integration) bool { return typ == "" || in.typ == typ }
	return serveList(c, integrationList, fromSet(integrationList, set), keep, st.writeIntegration)
}

func (st *store) getIntegration(c *call) *apiError {
	w := st.webhooks
	w.mu.Lock()
	defer w.mu.Unlock()
	return getOne(c, w.integrations, st.writeIntegration)
}

func (st *store) createIntegration(c *call) *apiError {
	o, err := readObject(c)
	if err != nil {
		return err
	}
	o.require("name", "type")
	in := &integration{}
	in.name = o.str("name").v
	in.typ = o.str("type").v
	in.description = o.nstr("description").v
	o.maxLen("name", o.str("name"), 256)
	if in.typ == "http" {
		o.require("http")
	}
	if o.has("http") && !isNull(o.fields["http"]) {
		in.http = readHTTP(o)
	}
	if err := o.fail("Failed to create integration"); err != nil {
		return err
	}
	w := st.webhooks
	w.mu.Lock()
	defer w.mu.Unlock()
	if st.nextID["integration"] == 0 {
		st.nextID["integration"] = 4500 // ids like the account's others, not 1
	}
	in.base = st.born("integration")
	in.created = st.now()
	in.updated = in.created
	w.integrations[in.id] = in
	c.json(http.StatusCreated, func(e *enc) { st.writeIntegration(e, in) })
	return nil
}

func (st *store) updateIntegration(c *call) *apiError {
	w := st.webhooks
	w.mu.Lock()
	defer w.mu.Unlock()
	in, o, err := findWithBody(c, w.integrations)
	if err != nil {
		return err
	}
	name := o.str("name")
	o.maxLen("name", name, 256)
	if name.set && (name.null || strings.TrimSpace(name.v) == "") {
		o.err(msgMissing, "name")
	}
	description := o.nstr("description")
	deactivated := o.time("deactivated_datetime")
	var settings *httpSettings
	if o.has("http") && !isNull(o.fields["http"]) {
		settings = readHTTP(o)
	}
	if err := o.fail("Failed to update integration"); err != nil {
		return err
	}
	if name.val() {
		in.name = name.v
	}
	if description.set {
		in.description = description.v
	}
	if settings != nil {
		in.http = settings // the http object is replaced whole
	}
	if deactivated.set {
		in.deactivated = deactivated.v // null turns it back on
		if deactivated.null {
			in.failures = 0
		}
	}
	in.updated = st.now()
	c.ok(func(e *enc) { st.writeIntegration(e, in) })
	return nil
}

func (st *store) deleteIntegration(c *call) *apiError {
	w := st.webhooks
	w.mu.Lock()
	defer w.mu.Unlock()
	return deleteOne(c, w.integrations, func(in *integration) { delete(w.integrations, in.id) })
}

// readHTTP reads and checks the http object.
func readHTTP(o *obj) *httpSettings {
	h := o.child("http")
	if h == nil {
		return nil
	}
	h.require("url")
	s := &httpSettings{
		url: h.str("url").v, method: orStr(h.enum("method", httpMethods), "GET"),
		reqType:  orStr(h.enum("request_content_type", contentTypes), "application/json"),
		respType: orStr(h.enum("response_content_type", []string{"application/json"}), "application/json"),
		headers:  map[string]string{}, triggers: map[string]bool{},
	}
	if u := h.str("url"); u.val() && !strings.HasPrefix(u.v, "http://") && !strings.HasPrefix(u.v, "https://") {
		h.err("Not a valid URL.", "url")
	}
	if raw := h.mapping("headers"); raw.val() {
		var headers map[string]any
		_ = json.Unmarshal(raw.v, &headers)
		for k, v := range headers {
			if str, ok := v.(string); ok {
				s.headers[k] = str
			} else {
				h.err(msgString, "headers", k)
			}
		}
	}
	if raw, ok := h.fields["form"]; ok && !isNull(raw) {
		if raw[0] != '{' && raw[0] != '"' {
			h.err("Not a valid mapping type or string.", "form")
		}
		s.form = slices.Clone(raw)
	}
	if raw := h.mapping("triggers"); raw.val() {
		var triggers map[string]any
		_ = json.Unmarshal(raw.v, &triggers)
		for k, v := range triggers {
			if b, ok := v.(bool); ok {
				s.triggers[k] = b
			} else {
				h.err(msgBoolean, "triggers", k)
			}
		}
	}
	return s
}

// writeIntegration writes an integration as the API answers it.
func (st *store) writeIntegration(e *enc, in *integration) {
	e.open()
	e.k("id").int(in.id)
	e.k("uri").str("/api/integrations/" + itoa(in.id) + "/")
	e.k("name").str(in.name)
	e.k("type").str(in.typ)
	e.k("description").nstr(in.description)
	e.k("created_datetime").time(in.created)
	e.k("updated_datetime").time(in.updated)
	e.k("deactivated_datetime").time(in.deactivated)
	e.k("locked_datetime").null()
	e.k("managed").bool(false)
	e.k("application_id").null()
	e.k("user").open()
	e.k("id").int(st.agent.id)
	e.close()
	e.k("http")
	if h := in.http; h == nil {
		e.null()
	} else {
		e.open()
		e.k("url").str(h.url)
		e.k("method").str(h.method)
		e.k("headers").open()
		for _, k := range sortedKeys(h.headers) {
			e.k(k).str(h.headers[k])
		}
		e.close()
		e.k("form").raw(h.form)
		e.k("request_content_type").str(h.reqType)
		e.k("response_content_type").str(h.respType)
		e.k("triggers").open()
		for _, k := range sortedKeys(h.triggers) {
			e.k(k).bool(h.triggers[k])
		}
		e.close()
		e.close()
	}
	e.close()
}
