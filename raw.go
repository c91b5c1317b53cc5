package gorgias

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Do calls any endpoint of the API under /api/ (customers, users, views,
// events…) through the same machinery as the typed methods: the client's
// credentials, pacing, method-aware retries (a POST is never sent twice
// once it may have reached the server), error decoding and call options.
// path is the endpoint's path with an optional query, such as
// "/api/customers/123" or "/api/customers?email=marie%40example.com";
// body, when not nil, is sent as JSON; a 2xx answer is decoded into out
// (nil: discarded).
//
// An absolute URL, a path outside /api/ ("..", a scheme, a host) and bytes
// a URL cannot carry are refused before anything is sent.
//
//	var customer struct {
//		ID    int64  `json:"id"`
//		Email string `json:"email"`
//	}
//	err := client.Do(ctx, http.MethodGet, "/api/customers/123", nil, &customer)
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...CallOption) error {
	rel, query, err := rawPath("Client.Do", path)
	if err != nil {
		return err
	}
	if err := checkMethod(method); err != nil {
		return err
	}
	req := request{op: "Client.Do", method: method, path: rel, body: body, opts: opts}
	if len(query) > 0 {
		req.query = query
	}
	return c.do(ctx, req, out)
}

// List returns one page of any cursor-paginated list under /api/ (see
// Client.Do for path), with query as its filters, decoded into a Page of
// the item type of your choice.
func List[T any](ctx context.Context, c *Client, path string, query url.Values, opts ...CallOption) (*Page[T], error) {
	rel, lo, err := rawList("gorgias.List", path, query)
	if err != nil {
		return nil, err
	}
	return listPage[T](ctx, c, "gorgias.List", rel, lo, opts)
}

// All iterates over every item of any cursor-paginated list under /api/,
// with the machinery of the services' All methods: pages of 100 (unless
// query sets a limit) fetched as the loop advances, one page held at a
// time, stopping when the loop breaks or ctx ends, and a cursor cycle
// ending the walk with an error.
//
//	for customer, err := range gorgias.All[Customer](ctx, client, "/api/customers", nil) { … }
func All[T any](ctx context.Context, c *Client, path string, query url.Values, opts ...CallOption) iter.Seq2[*T, error] {
	rel, lo, err := rawList("gorgias.All", path, query)
	if err != nil {
		return func(yield func(*T, error) bool) { yield(nil, err) }
	}
	list := func(ctx context.Context, o *rawListOptions, callOpts ...CallOption) (*Page[T], error) {
		return listPage[T](ctx, c, "gorgias.List", rel, o, callOpts)
	}
	return listAll(ctx, rel, lo, list, opts)
}

// rawListOptions are the filters of a raw list: the caller's query, with
// the cursor and limit the walk manages.
type rawListOptions struct {
	ListOptions
	values url.Values
}

// encodeQuery merges the walk's cursor and limit into the caller's query.
func (o *rawListOptions) encodeQuery() url.Values {
	v := make(url.Values, len(o.values)+2)
	for key, values := range o.values {
		v[key] = values
	}
	if o.Cursor != "" {
		v.Set("cursor", o.Cursor)
	}
	if o.Limit != 0 {
		v.Set("limit", strconv.Itoa(o.Limit))
	}
	return v
}

// rawList checks a raw list's path and query and splits out its cursor and
// limit.
func rawList(op, path string, query url.Values) (string, *rawListOptions, error) {
	rel, inPath, err := rawPath(op, path)
	if err != nil {
		return "", nil, err
	}
	values := url.Values{}
	for _, q := range []url.Values{inPath, query} {
		for key, vs := range q {
			values[key] = append(values[key], vs...)
		}
	}
	lo := &rawListOptions{values: values}
	v := newValidator(op)
	if limit := values.Get("limit"); limit != "" {
		n, err := strconv.Atoi(limit)
		v.check(err == nil, "limit", "must be a number")
		lo.Limit = n
	}
	lo.Cursor = values.Get("cursor")
	values.Del("limit")
	values.Del("cursor")
	lo.validate(v)
	return rel, lo, v.err()
}

// rawPath checks a raw call's path and returns it relative to /api/, and
// its query.
func rawPath(op, path string) (string, url.Values, error) {
	bad := func(why string) (string, url.Values, error) {
		return "", nil, &ValidationError{Op: op, Problems: []Problem{{Field: "path", Message: why}}}
	}
	for i := 0; i < len(path); i++ {
		if b := path[i]; b <= ' ' || b == 0x7f || b == '\\' {
			return bad(fmt.Sprintf("holds the byte %#02x at %d, which a URL path cannot carry", b, i))
		}
	}
	u, err := url.Parse(path)
	if err != nil {
		return bad(err.Error())
	}
	if u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || strings.HasPrefix(path, "//") {
		return bad(fmt.Sprintf("%q is not a path under /api/: give the path alone, such as \"/api/customers/1\"", path))
	}
	if u.Fragment != "" || strings.Contains(path, "#") {
		return bad("a path cannot carry a fragment")
	}
	decoded, ok := strings.CutPrefix(u.Path, "/api/")
	rest := strings.TrimPrefix(u.EscapedPath(), "/api/")
	if !ok || decoded == "" {
		return bad(fmt.Sprintf("%q is not under /api/", u.Path))
	}
	if strings.Contains(strings.ToLower(u.EscapedPath()), "%2f") {
		return bad("an encoded / in a path segment is ambiguous")
	}
	for _, segment := range strings.Split(decoded, "/") {
		if segment == "." || segment == ".." {
			return bad(fmt.Sprintf("%q leaves /api/ with a %q segment", path, segment))
		}
	}
	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad("the query: " + err.Error())
	}
	return rest, query, nil
}

// checkMethod accepts the methods the API answers.
func checkMethod(method string) error {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead:
		return nil
	}
	return &ValidationError{Op: "Client.Do", Problems: []Problem{{Field: "method",
		Message: fmt.Sprintf("%q is not GET, POST, PUT, DELETE, PATCH or HEAD", method)}}}
}
