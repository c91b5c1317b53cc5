package gorgiastest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gorgias/gorgias"
)

// Lists are written once here and shared by all seven cursor lists: the
// limit and order_by checks, the opaque cursors and the envelope.

const (
	defaultLimit = 30
	maxLimit     = 100
)

// order is one documented order_by value: how to compute an item's sort
// key, and the direction.
type order[T any] struct {
	key  func(*T) string
	desc bool
}

// listSpec describes one list: its orders and its default.
type listSpec[T any] struct {
	orders       map[string]order[T]
	defaultOrder string
	id           func(*T) int64
	// totalResources adds "total_resources": null to meta, as /api/tags.
	totalResources bool
}

// byCreated is the created_datetime:asc|desc pair most lists offer.
func byCreated[T any](created func(*T) string) map[string]order[T] {
	return map[string]order[T]{
		"created_datetime:asc":  {key: created},
		"created_datetime:desc": {key: created, desc: true},
	}
}

// createdList is the spec of a list ordered by created_datetime, as most
// are; key gives an item's creation time and id.
func createdList[T any](key func(*T) (*gorgias.Time, int64), defaultOrder string) listSpec[T] {
	return listSpec[T]{
		orders: byCreated(func(v *T) string {
			t, _ := key(v)
			return timeKey(t)
		}),
		defaultOrder: defaultOrder,
		id: func(v *T) int64 {
			_, id := key(v)
			return id
		},
	}
}

// cursor is the opaque cursor's content, like the live API's
// base64(["next", "<sort key>", <id>]).
type cursor struct {
	dir string // "next" or "prev"
	key string
	id  int64
}

func (c cursor) encode() string {
	b, _ := json.Marshal([]any{c.dir, c.key, c.id})
	return base64.StdEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, bool) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false
	}
	var parts []json.RawMessage
	if json.Unmarshal(raw, &parts) != nil || len(parts) != 3 {
		return cursor{}, false
	}
	var c cursor
	if json.Unmarshal(parts[0], &c.dir) != nil || json.Unmarshal(parts[1], &c.key) != nil || json.Unmarshal(parts[2], &c.id) != nil {
		return cursor{}, false
	}
	return c, c.dir == "next" || c.dir == "prev"
}

// listQuery is what every list reads from the query string.
type listQuery struct {
	limit  int
	order  string
	cursor *cursor
}

func parseListQuery[T any](r *http.Request, spec listSpec[T]) (listQuery, *apiError) {
	q := r.URL.Query()
	lq := listQuery{limit: defaultLimit, order: spec.defaultOrder}
	fields := fieldErrors{}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			fields.add("Must be greater than or equal to 1 and less than or equal to 100.", "limit")
		}
		lq.limit = n
	}
	if v := q.Get("order_by"); v != "" {
		if _, ok := spec.orders[v]; !ok {
			fields.add("Must be one of: "+strings.Join(sortedKeys(spec.orders), ", ")+".", "order_by")
		}
		lq.order = v
	}
	if v := q.Get("cursor"); v != "" {
		c, ok := decodeCursor(v)
		if !ok {
			fields.add("Invalid cursor.", "cursor")
		}
		lq.cursor = &c
	}
	if len(fields) > 0 {
		return lq, badRequest(fields)
	}
	return lq, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// paginate sorts items by the order and cuts the page the cursor asks for.
func paginate[T any](items []*T, spec listSpec[T], lq listQuery) (page []*T, next, prev *string) {
	ord := spec.orders[lq.order]
	type entry struct {
		key  string
		id   int64
		item *T
	}
	entries := make([]entry, len(items))
	for i, it := range items {
		entries[i] = entry{ord.key(it), spec.id(it), it}
	}
	compare := func(a, b entry) int {
		c := strings.Compare(a.key, b.key)
		if c == 0 {
			c = cmpInt64(a.id, b.id)
		}
		if ord.desc {
			c = -c
		}
		return c
	}
	slices.SortFunc(entries, compare)

	start, end := 0, min(lq.limit, len(entries))
	if c := lq.cursor; c != nil {
		pos := entry{key: c.key, id: c.id}
		// The first entry strictly after the cursor's position.
		after, _ := slices.BinarySearchFunc(entries, pos, func(e, target entry) int {
			if compare(e, target) <= 0 {
				return -1
			}
			return 1
		})
		if c.dir == "next" {
			start, end = after, min(after+lq.limit, len(entries))
		} else {
			before, _ := slices.BinarySearchFunc(entries, pos, compare)
			start, end = max(0, before-lq.limit), before
		}
	}
	for _, e := range entries[start:end] {
		page = append(page, e.item)
	}
	if end < len(entries) && end > start {
		last := entries[end-1]
		s := cursor{dir: "next", key: last.key, id: last.id}.encode()
		next = &s
	}
	if start > 0 && start < len(entries) {
		first := entries[start]
		s := cursor{dir: "prev", key: first.key, id: first.id}.encode()
		prev = &s
	}
	return page, next, prev
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sortInt64s(ids []int64) { slices.Sort(ids) }

// listEnvelope is the live API's list answer.
type listEnvelope struct {
	Object string   `json:"object"`
	URI    string   `json:"uri"`
	Data   any      `json:"data"`
	Meta   listMeta `json:"meta"`
}

type listMeta struct {
	PrevCursor     *string `json:"prev_cursor"`
	NextCursor     *string `json:"next_cursor"`
	TotalResources *any    `json:"total_resources,omitempty"`
}

// serveList answers a cursor list: items are filtered already, render
// turns each into its wire form.
func serveList[T any, R any](w http.ResponseWriter, r *http.Request, spec listSpec[T], items []*T, render func(*T) R) {
	lq, apiErr := parseListQuery(r, spec)
	if apiErr != nil {
		apiErr.write(w)
		return
	}
	page, next, prev := paginate(items, spec, lq)
	data := make([]R, 0, len(page))
	for _, it := range page {
		data = append(data, render(it))
	}
	env := listEnvelope{Object: "list", URI: r.URL.RequestURI(), Data: data, Meta: listMeta{PrevCursor: prev, NextCursor: next}}
	if spec.totalResources {
		var null any
		env.Meta.TotalResources = &null
	}
	writeJSON(w, http.StatusOK, env)
}

// dataOnly is the {"data": […]} answer of ticket tags and custom fields.
type dataOnly struct {
	Data any `json:"data"`
}
