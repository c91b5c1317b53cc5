package gorgiastest_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walk pages forward with next_cursor, then back with prev_cursor from the
// last page, and returns the ids both ways.
func walk(t *testing.T, client *gorgias.Client, opts gorgias.ListTicketsOptions) (forward, backward []int64) {
	t.Helper()
	var pages []*gorgias.Page[gorgias.Ticket]
	for {
		page, err := client.Tickets.List(ctx, &opts)
		require.NoError(t, err)
		pages = append(pages, page)
		for _, tk := range page.Data {
			forward = append(forward, tk.ID)
		}
		if page.NextCursor == "" {
			break
		}
		opts.Cursor = page.NextCursor
	}
	last := pages[len(pages)-1]
	for _, tk := range slices.Backward(last.Data) {
		backward = append(backward, tk.ID)
	}
	for cursor := last.PrevCursor; cursor != ""; {
		opts.Cursor = cursor
		page, err := client.Tickets.List(ctx, &opts)
		require.NoError(t, err)
		for _, tk := range slices.Backward(page.Data) {
			backward = append(backward, tk.ID)
		}
		cursor = page.PrevCursor
	}
	slices.Reverse(backward)
	return forward, backward
}

func TestEveryOrderPagesBothWays(t *testing.T) {
	srv, client := seeded(t, 120)
	// Some updates, so updated_datetime order differs from creation order.
	page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 50}, OrderBy: gorgias.TicketOrderCreatedAsc})
	require.NoError(t, err)
	for i := 0; i < 50; i += 7 {
		_, err := client.Tickets.Update(ctx, page.Data[i].ID, &gorgias.UpdateTicketRequest{Priority: gorgias.PriorityHigh})
		require.NoError(t, err)
	}
	for _, order := range []gorgias.TicketOrder{gorgias.TicketOrderCreatedAsc, gorgias.TicketOrderCreatedDesc,
		gorgias.TicketOrderUpdatedAsc, gorgias.TicketOrderUpdatedDesc} {
		forward, backward := walk(t, client, gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 7}, OrderBy: order})
		require.Len(t, forward, srv.TicketCount(), order)
		assert.Equal(t, forward, backward, "%s: prev cursors walk the same list back", order)
		want := slices.Clone(forward)
		full := map[int64]*gorgias.Ticket{}
		for tk, err := range client.Tickets.All(ctx, &gorgias.ListTicketsOptions{OrderBy: order}) {
			require.NoError(t, err)
			full[tk.ID] = tk
		}
		at := func(id int64) gorgias.Time {
			if strings.HasPrefix(string(order), "updated") {
				return *full[id].UpdatedDatetime
			}
			return *full[id].CreatedDatetime
		}
		slices.SortStableFunc(want, func(a, b int64) int {
			c := at(a).Compare(at(b).Time)
			if c == 0 {
				c = cmp.Compare(a, b)
			}
			if strings.HasSuffix(string(order), "desc") {
				c = -c
			}
			return c
		})
		assert.Equal(t, want, forward, order)
	}
	// The updated order really differs.
	created, _ := walk(t, client, gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 100}, OrderBy: gorgias.TicketOrderCreatedAsc})
	updated, _ := walk(t, client, gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 100}, OrderBy: gorgias.TicketOrderUpdatedAsc})
	assert.NotEqual(t, created, updated)
}

func TestFilteredListsPageBothWays(t *testing.T) {
	srv, client := seeded(t, 150)
	open := viewNamed(t, srv.Views(), "Open tickets")
	forward, backward := walk(t, client, gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 4}, ViewID: open.ID})
	require.NotEmpty(t, forward)
	assert.Equal(t, forward, backward)
	for _, id := range forward {
		tk, err := client.Tickets.Get(ctx, id, nil)
		require.NoError(t, err)
		assert.Equal(t, gorgias.StatusOpen, tk.Status)
	}
	live, _ := walk(t, client, gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 50}, ViewID: open.ID, Trashed: gorgias.Ptr(false)})
	assert.Less(t, len(live), len(forward), "trashed=false leaves out the trashed tickets the view holds")
	page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ExternalID: "no-such-ticket"})
	require.NoError(t, err)
	assert.Empty(t, page.Data)
	assert.Empty(t, page.NextCursor, "an empty page has no next cursor")
}

// usageOf is a tag's usage, 0 when null (as a tag not counted yet
// orders).
func usageOf(tg *gorgias.Tag) int {
	n, _ := deref(tg.Usage).(int)
	return n
}

func TestTagOrdersPage(t *testing.T) {
	srv := gorgiastest.NewTestServer(t, gorgiastest.WithoutRateLimit(), gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 200}))
	client := fastClient(srv)
	for _, c := range []struct {
		order gorgias.TagOrder
		less  func(a, b *gorgias.Tag) bool
	}{
		{gorgias.TagOrderNameAsc, func(a, b *gorgias.Tag) bool { return a.Name < b.Name }},
		{gorgias.TagOrderUsageDesc, func(a, b *gorgias.Tag) bool {
			return usageOf(a) > usageOf(b) || usageOf(a) == usageOf(b) && a.Name > b.Name
		}},
	} {
		var tags []*gorgias.Tag
		for tag, err := range client.Tags.All(ctx, &gorgias.ListTagsOptions{ListOptions: gorgias.ListOptions{Limit: 5}, OrderBy: c.order}) {
			require.NoError(t, err)
			tags = append(tags, tag)
		}
		require.Len(t, tags, len(srv.Tags()), c.order)
		for i := 1; i < len(tags); i++ {
			assert.True(t, c.less(tags[i-1], tags[i]), "%s: %s before %s", c.order, tags[i-1].Name, tags[i].Name)
		}
	}
}
