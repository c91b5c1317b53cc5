package gorgias

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"strconv"

	"github.com/go-gorgias/gorgias/internal/rawjson"
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
	if o.Limit < 0 || o.Limit > MaxPageSize {
		v.check(false, "limit", fmt.Sprintf("must be between 1 and %d, got %d", MaxPageSize, o.Limit))
	}
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
		return rawjson.Unmarshal(data, &p.Data)
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
	if err := rawjson.Unmarshal(data, &envelope); err != nil {
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

func (p *Page[T]) cursors() (next, prev string) { return p.NextCursor, p.PrevCursor }

// MarshalJSON writes the API's list envelope.
func (p Page[T]) MarshalJSON() ([]byte, error) {
	if !rawjson.Tracks[T]() {
		return p.marshalByEncodingJSON()
	}
	// The response types' encoder, each item in place in one buffer: what
	// encoding/json writes around each item's MarshalJSON, without
	// checking and copying each item's output again.
	return rawjson.MarshalArray(`{"object":"list","data":`, p.Data, func(b []byte) []byte {
		b = append(b, `,"meta":{"next_cursor":`...)
		b = appendCursor(b, p.NextCursor)
		b = append(b, `,"prev_cursor":`...)
		b = appendCursor(b, p.PrevCursor)
		if p.TotalResources != nil {
			b = append(b, `,"total_resources":`...)
			b = strconv.AppendInt(b, *p.TotalResources, 10)
		}
		return append(b, "}}"...)
	})
}

// appendCursor appends a cursor as the API sends it: null when empty.
func appendCursor(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return rawjson.AppendString(b, s)
}

// marshalByEncodingJSON is MarshalJSON for items of a type the response
// types' encoder does not handle itself.
func (p Page[T]) marshalByEncodingJSON() ([]byte, error) {
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

// listAll walks every page of the list at path (relative to /api/),
// lazily: a page is fetched only when the previous one has been consumed,
// one page is held at a time, and the walk stops as soon as the loop
// breaks or ctx ends, before the next item (not at the end of the page).
// It uses pages of 100 unless opts sets a limit. opts is copied, never
// modified. A cursor the walk has already followed ends it with an error:
// a server sending cursors in a cycle cannot make it loop; so do
// maxEmptyPages empty pages in a row, each with a fresh cursor
// (ErrEmptyPages).
func listAll[T any, O any, PO interface {
	*O
	pager
}](ctx context.Context, path string, opts PO, list func(context.Context, PO, ...CallOption) (*Page[T], error), callOpts []CallOption) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		fail := func(err error) { yield(nil, fmt.Errorf("gorgias: GET /api/%s: %w", path, err)) }
		if ctx == nil {
			yield(nil, errNilContext)
			return
		}
		var o O
		if opts != nil {
			o = *opts
		}
		po := PO(&o)
		lo := po.listOptions()
		if lo.Limit == 0 {
			lo.Limit = MaxPageSize
		}
		var followed cursorSet
		followed.repeated(lo.Cursor)
		empty := 0 // empty pages in a row
		for {
			if err := ctx.Err(); err != nil {
				fail(err)
				return
			}
			page, err := list(ctx, po, callOpts...)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page.Data {
				if err := ctx.Err(); err != nil {
					fail(err)
					return
				}
				if !yield(&page.Data[i], nil) {
					return
				}
			}
			next := page.NextCursor
			if len(page.Data) == 0 {
				empty++
			} else {
				empty = 0
			}
			switch {
			case next == "":
				return
			case empty >= maxEmptyPages:
				fail(fmt.Errorf("%w: %d empty pages in a row; stopping rather than asking for pages forever", ErrEmptyPages, empty))
				return
			case len(next) > maxCursorLength:
				fail(fmt.Errorf("the next cursor is %d bytes long, more than the %d a cursor may be; stopping", len(next), maxCursorLength))
				return
			case followed.repeated(next):
				fail(fmt.Errorf("the API sent a next cursor this walk has already followed (%.40q); stopping rather than walking in a cycle", next))
				return
			}
			lo.Cursor = next
		}
	}
}

// maxEmptyPages bounds the empty pages in a row, each with a next cursor,
// that a walk follows: Gorgias never sends one, so ten are a server
// making the walk go on forever.
const maxEmptyPages = 10

// ErrEmptyPages is wrapped by the error that ends a walk (All, and the
// walks built on it, such as Tickets.Changes) after 10 empty pages in a
// row that each sent a next cursor:
//
//	if errors.Is(err, gorgias.ErrEmptyPages) { … }
var ErrEmptyPages = errors.New("the API sent empty pages, each with a next cursor")

// maxCursorLength bounds a cursor read off the wire: Gorgias's are a few
// dozen bytes.
const maxCursorLength = 4096

// maxRememberedCursors bounds the memory of a walk's cursors (8 bytes
// each): 65,536 pages are 6.5 million items at 100 a page.
const maxRememberedCursors = 1 << 16

// cursorSet tells whether a walk has followed a cursor before. It keeps a
// 64-bit hash of each of the first maxRememberedCursors cursors; past
// those, Brent's cycle detection catches a cycle among the later ones
// with constant memory.
type cursorSet struct {
	seed   maphash.Seed
	hashes map[uint64]struct{}
	// Brent's algorithm: the cursor saved at the last power of two, and
	// the steps since.
	saved        uint64
	power, steps int
}

// repeated records cursor and reports whether it was seen before.
func (s *cursorSet) repeated(cursor string) bool {
	if s.hashes == nil {
		s.seed = maphash.MakeSeed()
		s.hashes = map[uint64]struct{}{}
	}
	h := maphash.String(s.seed, cursor)
	if _, ok := s.hashes[h]; ok {
		return true
	}
	if len(s.hashes) < maxRememberedCursors {
		s.hashes[h] = struct{}{}
		return false
	}
	if s.power == 0 {
		s.saved, s.power = h, 1
		return false
	}
	if h == s.saved {
		return true
	}
	if s.steps++; s.steps == s.power {
		s.saved, s.power, s.steps = h, s.power*2, 0
	}
	return false
}

// listPage fetches one page of a list at path (relative to /api/), for the
// operation op. opts is a struct with `url` tags, or a nil pointer.
func listPage[T any](ctx context.Context, c *Client, op, path string, opts any, callOpts []CallOption) (*Page[T], error) {
	page := new(Page[T])
	if err := c.do(ctx, request{op: op, method: "GET", path: path, query: opts, opts: callOpts}, page); err != nil {
		return nil, err
	}
	return page, nil
}
