//go:build !mutation

package gorgias

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// The integration types decode through the lossless codec: the round-trip
// tests walking responseTypes cover them too. (At merge, their place is
// rawjson_types.go's list.)
// integrationJSON is an HTTP integration as §15 of the API notes describes
// it, with the keys Gorgias sends null and one the SDK does not declare.
const integrationJSON = `{
  "id": 4521, "uri": "/api/integrations/4521/", "name": "orders-webhook", "type": "http",
  "description": null,
  "created_datetime": "2026-11-20T10:00:00.000000+00:00",
  "updated_datetime": "2026-11-21T10:00:00.000000+00:00",
  "deactivated_datetime": null,
  "application_id": null,
  "user": {"id": 7},
  "business_hours_id": 12,
  "http": {
    "url": "https://hooks.example.com/gorgias?t={{ticket.id}}",
    "method": "POST",
    "headers": {"X-Webhook-Secret": "s3cret"},
    "form": {"ticket_id": "{{ticket.id}}"},
    "request_content_type": "application/json",
    "response_content_type": "application/json",
    "triggers": {"ticket-created": true, "ticket_updated": true, "ticket-message-created": false}
  }
}`

func integrationsPageJSON(next string) string {
	cursor := "null"
	if next != "" {
		cursor = `"` + next + `"`
	}
	return `{"object":"list","uri":"/api/integrations","data":[` + integrationJSON +
		`,{"id":9,"name":"Support email","type":"email","http":null,"description":"x","deactivated_datetime":"2026-01-01T00:00:00+00:00"}],` +
		`"meta":{"next_cursor":` + cursor + `,"prev_cursor":null}}`
}

func TestIntegrationOperations(t *testing.T) {
	ctx := context.Background()
	checkHook := func(t *testing.T, result any) {
		in := result.(*Integration)
		assert.Equal(t, int64(4521), in.ID)
		assert.Equal(t, "orders-webhook", in.Name)
		assert.Equal(t, IntegrationTypeHTTP, in.Type)
		assert.Nil(t, in.Description)
		assert.True(t, in.Active())
		assert.Equal(t, int64(7), in.User.ID)
		require.NotNil(t, in.HTTP)
		assert.Equal(t, "https://hooks.example.com/gorgias?t={{ticket.id}}", in.HTTP.URL)
		assert.Equal(t, "POST", in.HTTP.Method)
		assert.Equal(t, "s3cret", in.HTTP.Headers["X-Webhook-Secret"])
		assert.JSONEq(t, `{"ticket_id":"{{ticket.id}}"}`, string(in.HTTP.Form))
		assert.Equal(t, ContentTypeJSON, in.HTTP.RequestContentType)
		assert.True(t, in.HTTP.Triggered("ticket-created"))
		assert.True(t, in.HTTP.Triggered("ticket-updated"), "the underscored spelling is read too")
		assert.False(t, in.HTTP.Triggered("ticket-message-created"))
		assert.Equal(t, []string{"business_hours_id"}, in.Raw.Keys())
		// Lossless: nulls stay nulls, the unknown key comes back.
		out, err := json.Marshal(in)
		require.NoError(t, err)
		assert.JSONEq(t, integrationJSON, string(out))
	}
	hook := &HTTPIntegrationRequest{
		URL: "https://hooks.example.com/gorgias", Method: http.MethodPost,
		Headers:            map[string]string{"X-Webhook-Secret": "s3cret"},
		Form:               map[string]string{"ticket_id": "{{ticket.id}}"},
		RequestContentType: ContentTypeJSON,
		Triggers:           map[string]bool{"ticket-created": true, "ticket-message-created": true},
	}
	hookBody := `{"url":"https://hooks.example.com/gorgias","method":"POST","headers":{"X-Webhook-Secret":"s3cret"},
		"form":{"ticket_id":"{{ticket.id}}"},"request_content_type":"application/json",
		"triggers":{"ticket-created":true,"ticket-message-created":true}}`
	cases := []struct {
		name, method, path, query, body, answer string
		status                                  int
		call                                    func(c *Client) (any, error)
		check                                   func(t *testing.T, result any)
	}{
		{
			name: "list the HTTP integrations", method: "GET", path: "/api/integrations", query: "limit=20&type=http",
			answer: integrationsPageJSON("abc"),
			call: func(c *Client) (any, error) {
				return c.Integrations.List(ctx, &ListIntegrationsOptions{Type: IntegrationTypeHTTP, ListOptions: ListOptions{Limit: 20}})
			},
			check: func(t *testing.T, result any) {
				page := result.(*Page[Integration])
				require.Len(t, page.Data, 2)
				assert.Equal(t, "abc", page.NextCursor)
				checkHook(t, &page.Data[0])
				assert.Nil(t, page.Data[1].HTTP)
				assert.False(t, page.Data[1].Active())
			},
		},
		{
			name: "list with no options", method: "GET", path: "/api/integrations", answer: integrationsPageJSON(""),
			call: func(c *Client) (any, error) { return c.Integrations.List(ctx, nil) },
		},
		{
			name: "get", method: "GET", path: "/api/integrations/4521", answer: integrationJSON,
			call:  func(c *Client) (any, error) { return c.Integrations.Get(ctx, 4521) },
			check: checkHook,
		},
		{
			name: "create", method: "POST", path: "/api/integrations", answer: integrationJSON, status: 201,
			body: `{"name":"orders-webhook","type":"http","description":"Orders","http":` + hookBody + `}`,
			call: func(c *Client) (any, error) {
				return c.Integrations.Create(ctx, &CreateIntegrationRequest{Name: "orders-webhook", Type: IntegrationTypeHTTP, Description: "Orders", HTTP: hook})
			},
			check: checkHook,
		},
		{
			name: "update: rename, clear the description, reactivate", method: "PUT", path: "/api/integrations/4521", answer: integrationJSON,
			body: `{"name":"orders","description":null,"deactivated_datetime":null}`,
			call: func(c *Client) (any, error) {
				return c.Integrations.Update(ctx, 4521, &UpdateIntegrationRequest{Name: Ptr("orders"), Description: Null[string](), DeactivatedDatetime: Null[Time]()})
			},
			check: checkHook,
		},
		{
			name: "update the http settings", method: "PUT", path: "/api/integrations/4521", answer: integrationJSON,
			body: `{"http":` + hookBody + `}`,
			call: func(c *Client) (any, error) {
				return c.Integrations.Update(ctx, 4521, &UpdateIntegrationRequest{HTTP: hook})
			},
		},
		{
			name: "delete", method: "DELETE", path: "/api/integrations/4521", status: 204,
			call: func(c *Client) (any, error) { return nil, c.Integrations.Delete(ctx, 4521) },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status := tc.status
			if status == 0 {
				status = 200
			}
			c, sent := newGockClient(t, tc.method, tc.path, status, []byte(tc.answer))
			result, err := tc.call(c)
			require.NoError(t, err)
			require.True(t, gock.IsDone())
			reqs := sent()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, tc.path, r.Path)
			assert.Equal(t, tc.query, r.Query.Encode())
			if tc.body == "" {
				assert.Empty(t, r.Body)
			} else {
				assert.JSONEq(t, tc.body, string(r.Body))
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			}
			if tc.check != nil {
				tc.check(t, result)
			}
		})
	}
}

func TestIntegrationsAllWalksThePages(t *testing.T) {
	c, ts := newTestClient(t, sequence(
		respond(200, []byte(integrationsPageJSON("p2"))),
		respond(200, []byte(integrationsPageJSON(""))),
	))
	var ids []int64
	for in, err := range c.Integrations.All(context.Background(), &ListIntegrationsOptions{Type: IntegrationTypeHTTP}) {
		require.NoError(t, err)
		ids = append(ids, in.ID)
	}
	assert.Equal(t, []int64{4521, 9, 4521, 9}, ids)
	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "limit=100&type=http", reqs[0].Query.Encode())
	assert.Equal(t, "cursor=p2&limit=100&type=http", reqs[1].Query.Encode())
}

func TestIntegrationErrorPaths(t *testing.T) {
	ctx := context.Background()
	for name, call := range map[string]func(c *Client) error{
		"list": func(c *Client) error { _, err := c.Integrations.List(ctx, nil); return err },
		"get":  func(c *Client) error { _, err := c.Integrations.Get(ctx, 1); return err },
		"create": func(c *Client) error {
			_, err := c.Integrations.Create(ctx, &CreateIntegrationRequest{Name: "n", Type: IntegrationTypeHTTP, HTTP: &HTTPIntegrationRequest{URL: "https://x.example"}})
			return err
		},
		"update": func(c *Client) error {
			_, err := c.Integrations.Update(ctx, 1, &UpdateIntegrationRequest{Name: Ptr("n")})
			return err
		},
		"delete": func(c *Client) error { return c.Integrations.Delete(ctx, 1) },
	} {
		t.Run(name, func(t *testing.T) { checkErrorPaths(t, call) })
	}
	// An answer that is not an integration is an error, not a zero value.
	c, _ := newTestClient(t, respond(200, []byte(`{"name":"x"}`)))
	_, err := c.Integrations.Get(ctx, 1)
	require.ErrorContains(t, err, "not a integration")
}

func TestIntegrationsAreValidatedBeforeSending(t *testing.T) {
	ctx := context.Background()
	create := func(req *CreateIntegrationRequest) func(c *Client) error {
		return func(c *Client) error { _, err := c.Integrations.Create(ctx, req); return err }
	}
	withHTTP := func(h HTTPIntegrationRequest) func(c *Client) error {
		if h.URL == "" {
			h.URL = "https://hooks.example.com/x"
		}
		return create(&CreateIntegrationRequest{Name: "n", Type: IntegrationTypeHTTP, HTTP: &h})
	}
	update := func(id int64, req *UpdateIntegrationRequest) func(c *Client) error {
		return func(c *Client) error { _, err := c.Integrations.Update(ctx, id, req); return err }
	}
	checkRejected(t, map[string]func(c *Client) error{
		"request | create without a request":                     create(nil),
		"name | create without a name":                           create(&CreateIntegrationRequest{Name: " ", Type: IntegrationTypeHTTP, HTTP: &HTTPIntegrationRequest{URL: "https://x.example"}}),
		"name | a name too long":                                 create(&CreateIntegrationRequest{Name: strings.Repeat("n", 257), Type: "email"}),
		"type | create without a type":                           create(&CreateIntegrationRequest{Name: "n"}),
		"type | a type with a slash":                             create(&CreateIntegrationRequest{Name: "n", Type: "http/x"}),
		"http | an HTTP integration without http":                create(&CreateIntegrationRequest{Name: "n", Type: IntegrationTypeHTTP}),
		"http | http settings on another type":                   create(&CreateIntegrationRequest{Name: "n", Type: "email", HTTP: &HTTPIntegrationRequest{URL: "https://x.example"}}),
		"http.url | no URL":                                      create(&CreateIntegrationRequest{Name: "n", Type: IntegrationTypeHTTP, HTTP: &HTTPIntegrationRequest{}}),
		"http.url | a relative URL":                              withHTTP(HTTPIntegrationRequest{URL: "/hooks"}),
		"http.url | an ftp URL":                                  withHTTP(HTTPIntegrationRequest{URL: "ftp://x.example/"}),
		"http.method | an unknown method":                        withHTTP(HTTPIntegrationRequest{Method: "post"}),
		"http.method | CONNECT":                                  withHTTP(HTTPIntegrationRequest{Method: "CONNECT"}),
		"http.headers | a header name with a space":              withHTTP(HTTPIntegrationRequest{Headers: map[string]string{"X Secret": "v"}}),
		"http.headers.X-Secret | a line break in a header value": withHTTP(HTTPIntegrationRequest{Headers: map[string]string{"X-Secret": "v\r\nX-Other: 1"}}),
		"http.request_content_type | text/plain":                 withHTTP(HTTPIntegrationRequest{RequestContentType: "text/plain"}),
		"http.response_content_type | text/html":                 withHTTP(HTTPIntegrationRequest{ResponseContentType: "text/html"}),
		"http.form | an array":                                   withHTTP(HTTPIntegrationRequest{Form: []int{1}}),
		"http.form | a number":                                   withHTTP(HTTPIntegrationRequest{Form: 3}),
		"http.form | a value that does not encode":               withHTTP(HTTPIntegrationRequest{Form: map[string]any{"f": func() {}}}),
		"http.triggers | an underscored trigger":                 withHTTP(HTTPIntegrationRequest{Triggers: map[string]bool{"ticket_created": true}}),
		"http.triggers | an unknown trigger":                     withHTTP(HTTPIntegrationRequest{Triggers: map[string]bool{"ticket-deleted": true}}),
		"id | update id 0":                                       update(0, &UpdateIntegrationRequest{Name: Ptr("n")}),
		"request | update without a request":                     update(1, nil),
		"request | an update that sets nothing":                  update(1, &UpdateIntegrationRequest{}),
		"name | update to a blank name":                          update(1, &UpdateIntegrationRequest{Name: Ptr("")}),
		"http.url | update to settings without a URL":            update(1, &UpdateIntegrationRequest{HTTP: &HTTPIntegrationRequest{Method: "GET"}}),
		"id | get id 0":                                          func(c *Client) error { _, err := c.Integrations.Get(ctx, 0); return err },
		"id | delete id -1":                                      func(c *Client) error { return c.Integrations.Delete(ctx, -1) },
		"limit | list 101": func(c *Client) error {
			_, err := c.Integrations.List(ctx, &ListIntegrationsOptions{ListOptions: ListOptions{Limit: 101}})
			return err
		},
		"type | list a type with a query": func(c *Client) error {
			_, err := c.Integrations.List(ctx, &ListIntegrationsOptions{Type: "http&x=1"})
			return err
		},
	})
	// What is valid is sent: a form string template, every method.
	for _, m := range []string{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"} {
		c, ts := newTestClient(t, respond(200, []byte(integrationJSON)))
		_, err := c.Integrations.Create(ctx, &CreateIntegrationRequest{Name: "n", Type: IntegrationTypeHTTP,
			HTTP: &HTTPIntegrationRequest{URL: "http://127.0.0.1:8080/h?id={{ticket.id}}", Method: m, Form: "{{context}}",
				RequestContentType: ContentTypeForm, Triggers: map[string]bool{"ticket-self-unsnoozed": true, "ticket-message-failed": false}}})
		require.NoError(t, err, m)
		require.Len(t, ts.Requests(), 1)
	}
}

func TestIntegrationDatetimesDecode(t *testing.T) {
	var in Integration
	require.NoError(t, json.Unmarshal([]byte(integrationJSON), &in))
	assert.Equal(t, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), in.CreatedDatetime.UTC())
}

func ExampleIntegrationsService_Create() {
	srv := httptestJSON(`{"id":4521,"name":"orders-webhook","type":"http","http":{"url":"https://hooks.example.com/gorgias","method":"POST","triggers":{"ticket-created":true}}}`)
	defer srv.Close()
	client, err := NewClient("", WithBaseURL(srv.URL), WithBasicAuth("agent@acme.example", "api-key"))
	if err != nil {
		panic(err)
	}
	// An HTTP integration: Gorgias POSTs the form to the URL when a
	// ticket is created. The webhook package's Register does this for you.
	in, err := client.Integrations.Create(context.Background(), &CreateIntegrationRequest{
		Name: "orders-webhook",
		Type: IntegrationTypeHTTP,
		HTTP: &HTTPIntegrationRequest{
			URL:                "https://hooks.example.com/gorgias",
			Method:             http.MethodPost,
			Headers:            map[string]string{"X-Webhook-Secret": "a long random secret"},
			Form:               map[string]string{"ticket_id": "{{ticket.id}}"},
			RequestContentType: ContentTypeJSON,
			Triggers:           map[string]bool{"ticket-created": true},
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(in.ID, in.Name, in.HTTP.Triggered("ticket-created"))
	// Output: 4521 orders-webhook true
}

// httptestJSON starts a loopback server answering every request with body.
func httptestJSON(body string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
}
