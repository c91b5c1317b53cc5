package gorgias

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
)

// MaxPageSize is the largest page the API serves (limit=100).
const MaxPageSize = 100

// ListOptions is embedded in every list's options: Cursor picks the page
// (empty for the first; Page.NextCursor or Page.PrevCursor for others) and
// Limit its size, 1 to 100 (0: the API's default of 30; All uses 100).
type ListOptions struct {
	Cursor string `url:"cursor,omitempty"`
	Limit  int    `url:"limit,omitempty"`
}

func (o *ListOptions) listOptions() *ListOptions { return o }

// validate reports a limit outside 1–100 (0 means the default).
func (o *ListOptions) validate(v *validator) {
	v.check(o.Limit >= 0 && o.Limit <= MaxPageSize, "limit",
		fmt.Sprintf("must be between 1 and %d, got %d", MaxPageSize, o.Limit))
}

// Page is one page of a list. The cursors are empty when there is no page
// in that direction.
type Page[T any] struct {
	Data       []T
	NextCursor string
	PrevCursor string
	// TotalResources is the total count, on the lists that send it (and
	// not null); nil otherwise.
	TotalResources *int64
}

// UnmarshalJSON accepts the list envelope
// {"object", "uri", "data", "meta": {"next_cursor", "prev_cursor"}}, a bare
// {"data": […]}, and a bare array (a single, last page).
func (p *Page[T]) UnmarshalJSON(data []byte) error { return p.decode(data) }

// decode is UnmarshalJSON's body; the client calls it directly so a page
// is scanned once, not twice.
func (p *Page[T]) decode(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		*p = Page[T]{}
		return decodeValue(data, &p.Data)
	}
	if len(data) == 0 || data[0] != '{' {
		return fmt.Errorf("gorgias: a list must be a JSON object or array, got %.40q", data)
	}
	var envelope struct {
		Data *[]T `json:"data"`
		Meta *struct {
			NextCursor     *string `json:"next_cursor"`
			PrevCursor     *string `json:"prev_cursor"`
			TotalResources *int64  `json:"total_resources"`
		} `json:"meta"`
	}
	// The response types' decoder, in one pass over the page: items keep
	// what their fields do not hold (see RawFields).
	if err := decodeValue(data, &envelope); err != nil {
		return err
	}
	if envelope.Data == nil {
		return fmt.Errorf("gorgias: the list response has no \"data\" array")
	}
	*p = Page[T]{Data: *envelope.Data}
	if m := envelope.Meta; m != nil {
		if m.NextCursor != nil {
			p.NextCursor = *m.NextCursor
		}
		if m.PrevCursor != nil {
			p.PrevCursor = *m.PrevCursor
		}
		p.TotalResources = m.TotalResources
	}
	return nil
}

// MarshalJSON writes the API's list envelope.
func (p Page[T]) MarshalJSON() ([]byte, error) {
	type meta struct {
		NextCursor     *string `json:"next_cursor"`
		PrevCursor     *string `json:"prev_cursor"`
		TotalResources *int64  `json:"total_resources,omitempty"`
	}
	cursor := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	data := p.Data
	if data == nil {
		data = []T{}
	}
	return json.Marshal(struct {
		Object string `json:"object"`
		Data   []T    `json:"data"`
		Meta   meta   `json:"meta"`
	}{"list", data, meta{cursor(p.NextCursor), cursor(p.PrevCursor), p.TotalResources}})
}

// pager is implemented by every list's options through its embedded
// ListOptions.
type pager interface {
	listOptions() *ListOptions
}

// listAll walks every page of a list, lazily: a page is fetched only when
// the previous one has been consumed, one page is held at a time, and the
// walk stops at once when the loop breaks or ctx ends. It uses pages of 100
// unless opts sets a limit. opts is copied, never modified.
func listAll[T any, O any, PO interface {
	*O
	pager
}](ctx context.Context, opts PO, list func(context.Context, PO) (*Page[T], error)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var o O
		if opts != nil {
			o = *opts
		}
		po := PO(&o)
		lo := po.listOptions()
		if lo.Limit == 0 {
			lo.Limit = MaxPageSize
		}
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			page, err := list(ctx, po)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page.Data {
				if !yield(&page.Data[i], nil) {
					return
				}
			}
			next := page.NextCursor
			if next == "" {
				return
			}
			if next == lo.Cursor {
				yield(nil, fmt.Errorf("gorgias: the API returned the cursor it was given as the next one; stopping to avoid an endless walk"))
				return
			}
			lo.Cursor = next
		}
	}
}

// listPage fetches one page of a list at path (relative to /api/). opts is
// a struct with `url` tags, or a nil pointer.
func listPage[T any](ctx context.Context, c *Client, path string, opts any) (*Page[T], error) {
	page := new(Page[T])
	if err := c.do(ctx, request{method: "GET", path: path, query: opts}, page); err != nil {
		return nil, err
	}
	return page, nil
}
