//go:build !mutation

package gorgias

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTagsOperations(t *testing.T) {
	ctx := context.Background()
	checkTag := func(t *testing.T, result any) {
		tag := result.(*Tag)
		assert.Equal(t, int64(1814124), tag.ID)
		assert.Equal(t, "urgent", tag.Name)
		assert.Equal(t, "Mark a ticket as urgent", *tag.Description)
		assert.Equal(t, "#ff0000", tag.Decoration.Color)
		assert.Equal(t, 12, *tag.Usage)
		assert.Nil(t, tag.DeletedDatetime)
		assert.Equal(t, 2026, tag.CreatedDatetime.Year())
	}
	runOpCases(t, []opCase{
		{
			name: "create",
			call: func(c *Client) (any, error) {
				return c.Tags.Create(ctx, &CreateTagRequest{Name: "urgent", Description: "Mark a ticket as urgent", Decoration: &Decoration{Color: "#ff0000"}})
			},
			fixture: "tag.json", method: "POST", path: "/api/tags",
			body:  `{"name":"urgent","description":"Mark a ticket as urgent","decoration":{"color":"#ff0000"}}`,
			check: checkTag,
		},
		{
			name:    "get",
			call:    func(c *Client) (any, error) { return c.Tags.Get(ctx, 1814124) },
			fixture: "tag.json", method: "GET", path: "/api/tags/1814124",
			check: checkTag,
		},
		{
			name: "list",
			call: func(c *Client) (any, error) {
				return c.Tags.List(ctx, &ListTagsOptions{Search: "Refund", OrderBy: TagOrderUsageDesc, ListOptions: ListOptions{Limit: 3}})
			},
			fixture: "tags_page.json", method: "GET", path: "/api/tags",
			query: "limit=3&order_by=usage%3Adesc%2Cname%3Adesc&search=Refund",
			check: func(t *testing.T, result any) {
				page := result.(*Page[Tag])
				require.Len(t, page.Data, 3)
				assert.Equal(t, "WyJuZXh0IiwgIjIwMjYtMDgtMjZUMTI6NDY6MDYuMjg0OTMwIiwgMTgxMjk3Nl0=", page.NextCursor)
				assert.Nil(t, page.TotalResources, "total_resources is null")
			},
		},
		{
			name: "update: rename and clear the description",
			call: func(c *Client) (any, error) {
				return c.Tags.Update(ctx, 1814124, &UpdateTagRequest{Name: Ptr("urgent"), Description: Null[string](),
					Decoration: NewNullable(Decoration{Color: "#ff0000"})})
			},
			fixture: "tag.json", method: "PUT", path: "/api/tags/1814124",
			body:  `{"name":"urgent","description":null,"decoration":{"color":"#ff0000"}}`,
			check: checkTag,
		},
		{
			name:   "delete",
			call:   func(c *Client) (any, error) { return nil, c.Tags.Delete(ctx, 1814124) },
			status: 204, method: "DELETE", path: "/api/tags/1814124",
		},
		{
			name:   "delete many",
			call:   func(c *Client) (any, error) { return nil, c.Tags.DeleteMany(ctx, []int64{1, 2, 3}) },
			status: 204, method: "DELETE", path: "/api/tags", body: `{"ids":[1,2,3]}`,
		},
		{
			name:    "merge",
			call:    func(c *Client) (any, error) { return c.Tags.Merge(ctx, 1814124, []int64{1812990, 1812976}) },
			fixture: "tag.json", method: "PUT", path: "/api/tags/1814124/merge",
			body:  `{"source_tags_ids":[1812990,1812976]}`,
			check: checkTag,
		},
		{
			name:    "list a ticket's tags",
			call:    func(c *Client) (any, error) { return c.Tickets.ListTags(ctx, 82759724) },
			fixture: "ticket_tags.json", method: "GET", path: "/api/tickets/82759724/tags",
			check: func(t *testing.T, result any) {
				tags := result.([]Tag)
				require.Len(t, tags, 2)
				assert.NotEmpty(t, tags[0].Name)
			},
		},
		{
			name: "add tags to a ticket (200, empty body)",
			call: func(c *Client) (any, error) {
				return nil, c.Tickets.AddTags(ctx, 82759724, &TicketTagsRequest{IDs: []int64{1814124}, Names: []string{"refund"}})
			},
			method: "POST", path: "/api/tickets/82759724/tags", body: `{"ids":[1814124],"names":["refund"]}`,
		},
		{
			name: "set a ticket's tags (204)",
			call: func(c *Client) (any, error) {
				return nil, c.Tickets.SetTags(ctx, 82759724, &TicketTagsRequest{Names: []string{"vip"}})
			},
			status: 204, method: "PUT", path: "/api/tickets/82759724/tags", body: `{"names":["vip"]}`,
		},
		{
			name: "remove tags from a ticket",
			call: func(c *Client) (any, error) {
				return nil, c.Tickets.RemoveTags(ctx, 82759724, &TicketTagsRequest{IDs: []int64{5}})
			},
			status: 204, method: "DELETE", path: "/api/tickets/82759724/tags", body: `{"ids":[5]}`,
		},
	})
}

func TestTagsAll(t *testing.T) {
	c, ts := newTestClient(t, sequence(respond(200, fixture(t, "tags_page.json")), respond(200, []byte(`{"data":[],"meta":{"next_cursor":null}}`))))
	n := 0
	for tag, err := range c.Tags.All(context.Background(), &ListTagsOptions{OrderBy: TagOrderNameAsc}) {
		require.NoError(t, err)
		assert.NotEmpty(t, tag.Name)
		n++
	}
	assert.Equal(t, 3, n)
	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "WyJuZXh0IiwgIjIwMjYtMDgtMjZUMTI6NDY6MDYuMjg0OTMwIiwgMTgxMjk3Nl0=", reqs[1].Query.Get("cursor"))
	assert.Equal(t, "name:asc", reqs[1].Query.Get("order_by"))
}

func TestTagsErrors(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, respond(409, fixture(t, "error_409.json")))
	_, err := c.Tags.Create(ctx, &CreateTagRequest{Name: "urgent"})
	require.ErrorIs(t, err, ErrConflict)
	checkErrorPaths(t, func(c *Client) error { _, err := c.Tags.Get(ctx, 1); return err })
	checkErrorPaths(t, func(c *Client) error { return c.Tickets.AddTags(ctx, 1, &TicketTagsRequest{Names: []string{"x"}}) })

	long := strings.Repeat("é", 257)
	checkRejected(t, map[string]func(c *Client) error{
		"request | create: nil":    func(c *Client) error { _, err := c.Tags.Create(ctx, nil); return err },
		"name | create: no name":   func(c *Client) error { _, err := c.Tags.Create(ctx, &CreateTagRequest{Name: "  "}); return err },
		"name | create: 257 chars": func(c *Client) error { _, err := c.Tags.Create(ctx, &CreateTagRequest{Name: long}); return err },
		"decoration.color | create: empty color": func(c *Client) error {
			_, err := c.Tags.Create(ctx, &CreateTagRequest{Name: "a", Decoration: &Decoration{}})
			return err
		},
		"description | create: long desc": func(c *Client) error {
			_, err := c.Tags.Create(ctx, &CreateTagRequest{Name: "a", Description: strings.Repeat("x", 1025)})
			return err
		},
		"id | get: id 0":                       func(c *Client) error { _, err := c.Tags.Get(ctx, 0); return err },
		"name | update: blank name":            func(c *Client) error { _, err := c.Tags.Update(ctx, 1, &UpdateTagRequest{Name: Ptr("")}); return err },
		"request | update: nil":                func(c *Client) error { _, err := c.Tags.Update(ctx, 1, nil); return err },
		"id | delete: id -1":                   func(c *Client) error { return c.Tags.Delete(ctx, -1) },
		"ids | delete many: none":              func(c *Client) error { return c.Tags.DeleteMany(ctx, nil) },
		"ids.1 | delete many: id 0":            func(c *Client) error { return c.Tags.DeleteMany(ctx, []int64{1, 0}) },
		"source_tags_ids | merge: no sources":  func(c *Client) error { _, err := c.Tags.Merge(ctx, 1, nil); return err },
		"source_tags_ids | merge: into itself": func(c *Client) error { _, err := c.Tags.Merge(ctx, 1, []int64{2, 1}); return err },
		"limit | list: limit 101": func(c *Client) error {
			_, err := c.Tags.List(ctx, &ListTagsOptions{ListOptions: ListOptions{Limit: 101}})
			return err
		},
		"request | add tags: empty":         func(c *Client) error { return c.Tickets.AddTags(ctx, 1, &TicketTagsRequest{}) },
		"request | add tags: nil":           func(c *Client) error { return c.Tickets.AddTags(ctx, 1, nil) },
		"names.0 | set tags: blank name":    func(c *Client) error { return c.Tickets.SetTags(ctx, 1, &TicketTagsRequest{Names: []string{" "}}) },
		"ticket_id | remove tags: ticket 0": func(c *Client) error { return c.Tickets.RemoveTags(ctx, 0, &TicketTagsRequest{IDs: []int64{1}}) },
		"ticket_id | list tags: ticket 0":   func(c *Client) error { _, err := c.Tickets.ListTags(ctx, 0); return err },
	})
}

func TestTagsFixturesRoundTrip(t *testing.T) {
	assertRoundTrip[Tag](t, "tag.json")
	assertRoundTrip[Page[Tag]](t, "tags_page.json")
	assertRoundTrip[Page[Tag]](t, "ticket_tags.json")
}
