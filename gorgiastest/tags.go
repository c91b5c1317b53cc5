package gorgiastest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Tags (/api/tags…) and a ticket's tags (/api/tickets/{id}/tags).

var (
	tagByName = keyFunc[*tag]{of: func(t *tag) key { return key{s: t.name, id: t.id} }, kind: nameKey}
	// tagByUsage orders a tag whose usage is null as 0, as it shows.
	tagByUsage = keyFunc[*tag]{of: func(t *tag) key {
		if t.usageNull {
			return key{s: t.name, id: t.id}
		}
		return key{n: int64(t.usage), s: t.name, id: t.id}
	}, kind: countKey}
)

var tagList = listSpec[*tag]{
	keys: map[string]keyFunc[*tag]{
		"created": byCreated(func(t *tag) ts { return t.created }),
		"name":    tagByName,
		"usage":   tagByUsage,
	},
	orders: map[string]order{
		"created_datetime:asc": {by: "created"}, "created_datetime:desc": {by: "created", desc: true},
		"name:asc": {by: "name"}, "name:desc": {by: "name", desc: true},
		"usage:asc,name:asc": {by: "usage"}, "usage:desc,name:desc": {by: "usage", desc: true},
		// deprecated bare forms
		"created_datetime": {by: "created"}, "name": {by: "name"}, "usage": {by: "usage"},
	},
	defaultOrder:   "created_datetime:desc",
	totalResources: true,
}

func (st *store) listTags(c *call) *apiError {
	search := strings.ToLower(c.r.URL.Query().Get("search"))
	var keep func(*tag) bool
	if search != "" {
		keep = func(t *tag) bool { return strings.Contains(strings.ToLower(t.name), search) }
	}
	src := fromIndexes(map[string]*index[*tag]{"created": st.tagsBy.created, "name": st.tagsBy.name, "usage": st.tagsBy.usage})
	return serveList(c, tagList, src, keep, writeTag)
}

func (st *store) getTag(c *call) *apiError { return getOne(c, st.tags, writeTag) }

// readTagFields reads name, description and decoration.
func readTagFields(o *obj) (name opt[string], description opt[nstr], color opt[string]) {
	name = o.str("name")
	if name.val() && strings.TrimSpace(name.v) == "" {
		o.err("Shorter than minimum length 1.", "name")
	}
	o.maxLen("name", name, 256)
	description = o.nstr("description")
	o.maxLen("description", opt[string]{v: description.v.v, set: description.val()}, 1024)
	if o.has("decoration") && isNull(o.fields["decoration"]) {
		color = opt[string]{set: true, null: true}
	} else if d := o.child("decoration"); d != nil {
		d.require("color")
		color = d.str("color")
	}
	return name, description, color
}

func (st *store) createTag(c *call) *apiError {
	o, err := readObject(c)
	if err != nil {
		return err
	}
	o.require("name")
	name, description, color := readTagFields(o)
	if err := o.fail("Failed to create tag"); err != nil {
		return err
	}
	if _, ok := st.byName[name.v]; ok {
		return conflict()
	}
	t := st.addTag(name.v, description.v, color.v)
	c.ok(func(e *enc) { writeTag(e, t) })
	return nil
}

func (st *store) updateTag(c *call) *apiError {
	t, o, err := findWithBody(c, st.tags)
	if err != nil {
		return err
	}
	name, description, color := readTagFields(o)
	if name.null {
		o.err(msgNull, "name")
	}
	if err := o.fail("Failed to update tag"); err != nil {
		return err
	}
	if name.val() && name.v != t.name {
		if _, ok := st.byName[name.v]; ok {
			return conflict()
		}
		st.renameTag(t, name.v)
	}
	if description.set {
		t.description = description.v
	}
	if color.set {
		t.color = color.v
	}
	c.ok(func(e *enc) { writeTag(e, t) })
	return nil
}

func (st *store) deleteTagHandler(c *call) *apiError { return deleteOne(c, st.tags, st.deleteTag) }

// readTagIDs reads a list of ids of existing tags.
func (st *store) readTagIDs(o *obj, name string) []*tag {
	ids, _ := o.ints(name)
	var out []*tag
	for i, id := range ids {
		t, ok := st.tags[id]
		if !ok {
			o.err("Tag with id "+strconv.FormatInt(id, 10)+" does not exist.", name, strconv.Itoa(i))
			continue
		}
		out = append(out, t)
	}
	return out
}

func (st *store) deleteTags(c *call) *apiError {
	o, err := readObject(c)
	if err != nil {
		return err
	}
	o.require("ids")
	tags := st.readTagIDs(o, "ids")
	if err := o.fail("Failed to delete tags"); err != nil {
		return err
	}
	for _, t := range tags {
		if st.tags[t.id] != nil {
			st.deleteTag(t)
		}
	}
	c.status(http.StatusNoContent)
	return nil
}

func (st *store) mergeTags(c *call) *apiError {
	dest, o, err := findWithBody(c, st.tags)
	if err != nil {
		return err
	}
	o.require("source_tags_ids")
	sources := st.readTagIDs(o, "source_tags_ids")
	for i, t := range sources {
		if t == dest {
			o.err("The destination tag cannot be merged into itself.", "source_tags_ids", strconv.Itoa(i))
		}
	}
	if err := o.fail("Failed to merge tags"); err != nil {
		return err
	}
	for _, t := range st.tickets {
		for _, src := range sources {
			if st.removeTicketTag(t, src) {
				st.addTicketTag(t, dest)
			}
		}
	}
	for _, src := range sources {
		if st.tags[src.id] != nil {
			st.deleteTag(src)
		}
	}
	c.ok(func(e *enc) { writeTag(e, dest) })
	return nil
}

// tagRef is a tag a ticket body names: an existing one, or a name to
// find or create once the body is valid.
type tagRef struct {
	tag   *tag
	name  string
	color string
}

func (r tagRef) resolve(st *store) *tag {
	if r.tag != nil {
		return r.tag
	}
	t := st.tagNamed(r.name)
	if r.color != "" {
		t.color = r.color
	}
	return t
}

// readTagRefs reads [{"id": …} | {"name": …[, "decoration": …]}].
func (st *store) readTagRefs(o *obj, name string) ([]tagRef, bool) {
	items, ok := o.children(name)
	var refs []tagRef
	for _, it := range items {
		if it == nil {
			continue
		}
		id, nm := it.int("id"), it.str("name")
		switch {
		case id.val():
			t, found := st.tags[id.v]
			if !found {
				it.err("Tag with id "+strconv.FormatInt(id.v, 10)+" does not exist.", "id")
				continue
			}
			refs = append(refs, tagRef{tag: t})
		case nm.val() && strings.TrimSpace(nm.v) != "":
			it.maxLen("name", nm, 256)
			r := tagRef{name: nm.v}
			if d := it.child("decoration"); d != nil {
				r.color = d.str("color").v
			}
			refs = append(refs, r)
		default:
			it.err("An id or a name is required.", "name")
		}
	}
	return refs, ok
}

func (st *store) listTicketTags(c *call) *apiError {
	t, err := find(c, st.tickets, "id")
	if err != nil {
		return err
	}
	c.data(func(e *enc) {
		for _, tg := range t.tags {
			writeTag(e, tg)
		}
	})
	return nil
}

// changeTicketTags adds (POST), replaces (PUT) or removes (DELETE) a
// ticket's tags. Unknown names are created, except by DELETE.
func (st *store) changeTicketTags(c *call) *apiError {
	t, o, err := findWithBody(c, st.tickets)
	if err != nil {
		return err
	}
	tags := st.readTagIDs(o, "ids")
	names, _ := o.strs("names")
	if !o.has("ids") && !o.has("names") && c.r.Method != http.MethodPut {
		o.err("ids or names is required.", "ids")
	}
	if err := o.fail("Failed to change the ticket's tags"); err != nil {
		return err
	}
	for _, name := range names {
		if c.r.Method != http.MethodDelete {
			tags = append(tags, st.tagNamed(name))
		} else if tg, ok := st.byName[name]; ok {
			tags = append(tags, tg)
		}
	}
	switch c.r.Method {
	case http.MethodPost:
		for _, tg := range tags {
			st.addTicketTag(t, tg)
		}
	case http.MethodPut:
		for _, tg := range slices.Clone(t.tags) {
			if !slices.Contains(tags, tg) {
				st.removeTicketTag(t, tg)
			}
		}
		for _, tg := range tags {
			st.addTicketTag(t, tg)
		}
	case http.MethodDelete:
		for _, tg := range tags {
			st.removeTicketTag(t, tg)
		}
		st.touch(t, 0)
		c.status(http.StatusNoContent)
		return nil
	}
	st.touch(t, 0)
	c.status(http.StatusOK) // the live API: 200 with an empty body
	return nil
}

func writeTag(e *enc, t *tag) {
	e.open()
	e.k("id").int(t.id)
	writeDecoration(e, t)
	e.k("description").nstr(t.description)
	e.k("name").str(t.name)
	e.k("usage")
	if t.usageNull {
		e.null()
	} else {
		e.int(int64(t.usage))
	}
	e.k("uri").str("/api/tags/" + strconv.FormatInt(t.id, 10) + "/")
	e.k("created_datetime").time(t.created)
	e.k("deleted_datetime").null()
	e.close()
}

func writeDecoration(e *enc, t *tag) {
	e.k("decoration")
	if t.color == "" {
		e.null()
		return
	}
	e.open()
	e.k("color").str(t.color)
	e.close()
}
