package gorgiastest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Lists are written once, here, for every cursor list: the orders kept
// sorted as records change (so a page costs O(log n + page), whatever the
// size), the limit, order_by and cursor checks, the opaque cursors and the
// envelope.

const (
	defaultLimit = 30
	maxLimit     = 100
)

// key is a record's position in one order: n (a datetime in
// microseconds, or a usage count), then s (a name), then the id.
type key struct {
	n  int64
	s  string
	id int64
}

func (a key) cmp(b key) int {
	switch {
	case a.n != b.n:
		return cmpInt(a.n, b.n)
	case a.s != b.s:
		return strings.Compare(a.s, b.s)
	}
	return cmpInt(a.id, b.id)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// keyKind says how a key shows in a cursor.
type keyKind int

const (
	timeKey  keyKind = iota // n is a datetime: the cursor holds it as the API does
	nameKey                 // s
	countKey                // n then s
)

// keyFunc is one order's key, and its kind.
type keyFunc[T record] struct {
	of   func(T) key
	kind keyKind
}

func byCreated[T record](at func(T) ts) keyFunc[T] {
	return keyFunc[T]{of: func(v T) key { return key{n: int64(at(v)), id: v.ID()} }, kind: timeKey}
}

// index keeps records sorted by one key as they are added, changed and
// removed.
type index[T record] struct {
	keyFunc[T]
	xs []T
}

func newIndex[T record](k keyFunc[T]) *index[T] { return &index[T]{keyFunc: k} }

func (ix *index[T]) search(k key) (int, bool) {
	return slices.BinarySearchFunc(ix.xs, k, func(v T, k key) int { return ix.of(v).cmp(k) })
}

func (ix *index[T]) insert(v T) {
	i, _ := ix.search(ix.of(v))
	ix.xs = slices.Insert(ix.xs, i, v)
}

func (ix *index[T]) remove(v T) {
	if i, ok := ix.search(ix.of(v)); ok {
		ix.xs = slices.Delete(ix.xs, i, i+1)
	}
}

// update changes a record's key: change runs between its removal and its
// reinsertion.
func (ix *index[T]) update(v T, change func()) {
	ix.remove(v)
	change()
	ix.insert(v)
}

// order is one documented order_by value.
type order struct {
	by   string // the key's name in the listSpec
	desc bool
}

// listSpec describes one list: its keys, its order_by values, its default.
type listSpec[T record] struct {
	keys         map[string]keyFunc[T]
	orders       map[string]order
	defaultOrder string
	// totalResources adds "total_resources": null to meta, as /api/tags.
	totalResources bool
}

// createdSpec is the list ordered by created_datetime, as most are.
func createdSpec[T record](at func(T) ts, defaultOrder string) listSpec[T] {
	return listSpec[T]{
		keys: map[string]keyFunc[T]{"created": byCreated(at)},
		orders: map[string]order{
			"created_datetime:asc":  {by: "created"},
			"created_datetime:desc": {by: "created", desc: true},
		},
		defaultOrder: defaultOrder,
	}
}

// cursor is the opaque cursor's content, like the live API's
// base64(["next", "<datetime>", <id>]).
type cursor struct {
	dir string // "next" or "prev"
	key key
}

func encodeCursor(dir string, kind keyKind, k key) string {
	var pos any
	switch kind {
	case timeKey:
		pos = ts(k.n).Time().Format(timeLayout) + "+00:00"
	case nameKey:
		pos = k.s
	default:
		pos = []any{k.n, k.s}
	}
	b, _ := json.Marshal([]any{dir, pos, k.id})
	return base64.StdEncoding.EncodeToString(b)
}

func decodeCursor(s string, kind keyKind) (cursor, bool) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false
	}
	var parts []json.RawMessage
	if json.Unmarshal(raw, &parts) != nil || len(parts) != 3 {
		return cursor{}, false
	}
	var c cursor
	if json.Unmarshal(parts[0], &c.dir) != nil || json.Unmarshal(parts[2], &c.key.id) != nil || (c.dir != "next" && c.dir != "prev") {
		return cursor{}, false
	}
	switch kind {
	case timeKey:
		var at string
		if json.Unmarshal(parts[1], &at) != nil {
			return cursor{}, false
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return cursor{}, false
		}
		c.key.n = int64(tsOf(t))
	case nameKey:
		if json.Unmarshal(parts[1], &c.key.s) != nil {
			return cursor{}, false
		}
	default:
		var pos []json.RawMessage
		if json.Unmarshal(parts[1], &pos) != nil || len(pos) != 2 ||
			json.Unmarshal(pos[0], &c.key.n) != nil || json.Unmarshal(pos[1], &c.key.s) != nil {
			return cursor{}, false
		}
	}
	return c, true
}

// listQuery is what every list reads from the query string.
type listQuery struct {
	limit  int
	order  order
	cursor *cursor
}

func parseListQuery[T record](r *http.Request, spec listSpec[T]) (listQuery, *apiError) {
	q := r.URL.Query()
	lq := listQuery{limit: defaultLimit, order: spec.orders[spec.defaultOrder]}
	fields := fieldErrors{}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			fields.add("Must be greater than or equal to 1 and less than or equal to 100.", "limit")
		}
		lq.limit = n
	}
	if v := q.Get("order_by"); v != "" {
		o, ok := spec.orders[v]
		if !ok {
			fields.add("Must be one of: "+strings.Join(sortedKeys(spec.orders), ", ")+".", "order_by")
		}
		lq.order = o
	}
	if v := q.Get("cursor"); v != "" && len(fields) == 0 {
		c, ok := decodeCursor(v, spec.keys[lq.order.by].kind)
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

// sortedKeys returns the keys of m (names or ids) in order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// view is a sorted slice read in one direction: position i is the i-th
// record of the order asked for.
type sortedView[T record] struct {
	xs   []T
	of   func(T) key
	desc bool
}

func (v sortedView[T]) at(i int) T {
	if v.desc {
		return v.xs[len(v.xs)-1-i]
	}
	return v.xs[i]
}

// after is the position of the first record strictly after k in the
// view's order.
func (v sortedView[T]) after(k key) int {
	n := len(v.xs)
	if v.desc { // records with a smaller key, read from the largest
		return n - sort.Search(n, func(i int) bool { return v.of(v.xs[i]).cmp(k) >= 0 })
	}
	return sort.Search(n, func(i int) bool { return v.of(v.xs[i]).cmp(k) > 0 })
}

// atOrAfter is the position of the first record at or after k.
func (v sortedView[T]) atOrAfter(k key) int {
	n := len(v.xs)
	if v.desc {
		return n - sort.Search(n, func(i int) bool { return v.of(v.xs[i]).cmp(k) > 0 })
	}
	return sort.Search(n, func(i int) bool { return v.of(v.xs[i]).cmp(k) >= 0 })
}

// page cuts the page a query asks for from a view, keeping the records
// keep accepts. It reads O(log n) records to find the cursor and then
// only as many as the page needs (more when keep refuses many).
func page[T record](v sortedView[T], lq listQuery, kind keyKind, keep func(T) bool) (items []T, next, prev *string) {
	n := len(v.xs)
	items = make([]T, 0, min(lq.limit, n))
	var start int // the first position looked at
	var more bool // a kept record lies beyond the page
	if lq.cursor == nil || lq.cursor.dir == "next" {
		if lq.cursor != nil {
			start = v.after(lq.cursor.key)
		}
		for i := start; i < n; i++ {
			if it := v.at(i); keep(it) {
				if len(items) == lq.limit {
					more = true
					break
				}
				items = append(items, it)
			}
		}
		if more {
			next = ptr(encodeCursor("next", kind, v.of(items[len(items)-1])))
		}
		if start > 0 && len(items) > 0 && anyKept(v, start-1, -1, keep) {
			prev = ptr(encodeCursor("prev", kind, v.of(items[0])))
		}
		return items, next, prev
	}
	// prev: the limit kept records just before the cursor, in order.
	end := v.atOrAfter(lq.cursor.key)
	i := end - 1
	for ; i >= 0; i-- {
		if it := v.at(i); keep(it) {
			if len(items) == lq.limit {
				more = true
				break
			}
			items = append(items, it)
		}
	}
	slices.Reverse(items)
	if more {
		prev = ptr(encodeCursor("prev", kind, v.of(items[0])))
	}
	if len(items) > 0 && anyKept(v, end, 1, keep) {
		next = ptr(encodeCursor("next", kind, v.of(items[len(items)-1])))
	}
	return items, next, prev
}

// anyKept says whether keep accepts a record from position i on, going
// in direction step.
func anyKept[T record](v sortedView[T], i, step int, keep func(T) bool) bool {
	for ; i >= 0 && i < len(v.xs); i += step {
		if keep(v.at(i)) {
			return true
		}
	}
	return false
}

// listSource gives a list's records sorted by a key: the store's index,
// or a small set sorted for the occasion.
type listSource[T record] func(by string) []T

// fromIndexes serves a list from the store's indexes, by key name.
func fromIndexes[T record](ixs map[string]*index[T]) listSource[T] {
	return func(by string) []T { return ixs[by].xs }
}

// fromSet serves a list from a small set, sorted by the key asked for.
func fromSet[T record](spec listSpec[T], set []T) listSource[T] {
	return func(by string) []T {
		of := spec.keys[by].of
		sorted := slices.Clone(set)
		slices.SortFunc(sorted, func(a, b T) int { return of(a).cmp(of(b)) })
		return sorted
	}
}

// serveFiltered answers a list served from its created index that the
// optional id filter param (such as ticket_id) narrows to the items whose
// parent, the id they have for it, is the one asked for.
func serveFiltered[T record](c *call, param string, spec listSpec[T], created *index[T], parent func(T) int64, write func(*enc, T)) *apiError {
	id, err := filterID(c, param)
	if err != nil {
		return err
	}
	var keep func(T) bool
	if id != 0 { // a filter is a positive id: an item without a parent (0) is left out
		keep = func(v T) bool { return parent(v) == id }
	}
	return serveList(c, spec, fromIndexes(map[string]*index[T]{"created": created}), keep, write)
}

// ticketIDOf is the id of t, 0 for none.
func ticketIDOf(t *ticket) int64 {
	if t == nil {
		return 0
	}
	return t.id
}

// serveList answers a cursor list: src gives the candidates, keep (nil
// for all) filters them, write writes one item. Records not yet visible
// are left out.
func serveList[T record](c *call, spec listSpec[T], src listSource[T], keep func(T) bool, write func(*enc, T)) *apiError {
	lq, apiErr := parseListQuery(c.r, spec)
	if apiErr != nil {
		return apiErr
	}
	kf := spec.keys[lq.order.by]
	now := c.st.peek()
	visible := func(v T) bool { return !v.hidden(now) && (keep == nil || keep(v)) }
	items, next, prev := page(sortedView[T]{xs: src(lq.order.by), of: kf.of, desc: lq.order.desc}, lq, kf.kind, visible)
	c.json(http.StatusOK, func(e *enc) {
		e.open()
		e.k("object").str("list")
		e.k("uri").str(c.r.URL.RequestURI())
		e.k("data").arr()
		for _, it := range items {
			write(e, it)
		}
		e.end()
		e.k("meta").open()
		e.k("prev_cursor").strp(prev)
		e.k("next_cursor").strp(next)
		if spec.totalResources {
			e.k("total_resources").null()
		}
		e.close()
		e.close()
	})
	return nil
}
