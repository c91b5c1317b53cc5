package gorgias

// The machinery every service shares: the base each service embeds, the
// request a method describes, and the helpers that turn one into a typed
// answer. The transport (Client.do) is in gorgias.go, the validator in
// validate.go, the page walk in pagination.go.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// service is the base embedded in every service: a back-pointer to the
// client that owns the transport, error decoding and pagination.
type service struct {
	client *Client
}

// Format prints the client a service belongs to, never its credentials,
// under every fmt verb.
func (s service) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "gorgias service of ")
	if s.client == nil {
		_, _ = io.WriteString(f, "no client")
		return
	}
	_, _ = io.WriteString(f, s.client.String())
}

// request describes one API call. path is relative to the /api/ root.
type request struct {
	// op names the operation for observers, as "Tickets.List": every
	// method sets it (TestEveryRequestNamesItsOperation).
	op     string
	method string
	path   string
	query  any // a struct with `url` tags, url.Values, or nil
	body   any // marshalled to JSON, or nil
	opts   []CallOption
}

// doValue sends req and returns its answer decoded into a new T: the
// shape of every method that returns one object.
func doValue[T any](ctx context.Context, c *Client, req request) (*T, error) {
	v := new(T)
	if err := c.do(ctx, req, v); err != nil {
		return nil, err
	}
	return v, nil
}

// getByID validates the id and fetches the object at path/{id}: the Get of
// the services whose Get takes nothing else.
func getByID[T any](ctx context.Context, c *Client, op, path string, id int64, callOpts []CallOption) (*T, error) {
	v := newValidator(op)
	v.id("id", id)
	if err := v.err(); err != nil {
		return nil, err
	}
	return doValue[T](ctx, c, request{op: op, method: http.MethodGet, path: path + "/" + strconv.FormatInt(id, 10), opts: callOpts})
}

// requireID rejects a decoded object without an id: an answer that is not
// the object asked for.
func requireID(what string, id int64) error {
	if id == 0 {
		return errors.New("the response is not a " + what + ": it has no id")
	}
	return nil
}

// itoa formats an index for a validation problem's field name, such as
// "changes.2.id".
func itoa(i int) string { return strconv.Itoa(i) }
