package gorgias

// The machinery every service shares: the base each service embeds, the
// request a method describes, and the helpers that turn one into a typed
// answer. The transport (Client.do) is in gorgias.go, the validator in
// validate.go, the page walk in pagination.go.

import (
	"context"
	"encoding/json"
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
// shape of every method that returns one object. T is a response type,
// whose UnmarshalJSON is the SDK's decoder (TestDirectDecodeMatchesEncodingJSON
// lists them).
func doValue[T any](ctx context.Context, c *Client, req request) (*T, error) {
	v := new(T)
	if err := c.do(ctx, req, selfChecked[T]{v}); err != nil {
		return nil, err
	}
	return v, nil
}

// selfChecked is the out of doValue: a response type, whose UnmarshalJSON
// (the SDK's decoder) checks the whole input itself. decodeJSON calls it
// directly, rather than through encoding/json, which would first scan the
// answer once more only to check it. (A struct of one pointer: passing it
// as an interface allocates nothing.)
type selfChecked[T any] struct{ v *T }

func (s selfChecked[T]) decode(data []byte) error {
	return any(s.v).(json.Unmarshaler).UnmarshalJSON(data)
}

func (s selfChecked[T]) validate() error {
	if v, ok := any(s.v).(interface{ validate() error }); ok {
		return v.validate()
	}
	return nil
}

// getByID validates the id and fetches the object at path/{id}: the Get of
// the services whose Get takes nothing else.
func getByID[T any](ctx context.Context, c *Client, op, path string, id int64, callOpts []CallOption) (*T, error) {
	v := newValidator(op)
	v.id("id", id)
	if err := v.err(); err != nil {
		return nil, err
	}
	var digits [20]byte // the id is formatted on the stack, the path built in one allocation
	return doValue[T](ctx, c, request{op: op, method: http.MethodGet, path: path + "/" + string(strconv.AppendInt(digits[:0], id, 10)), opts: callOpts})
}

// deleteByID validates the id and deletes the object at path/{id}: the
// Delete of the services whose Delete takes nothing else, as getByID is
// their Get.
func deleteByID(ctx context.Context, c *Client, op, path string, id int64, callOpts []CallOption) error {
	v := newValidator(op)
	v.id("id", id)
	if err := v.err(); err != nil {
		return err
	}
	return c.do(ctx, request{op: op, method: http.MethodDelete, path: path + "/" + strconv.FormatInt(id, 10), opts: callOpts}, nil)
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
