package webhook

import (
	"context"
	"sync"
	"time"
)

// DefaultDedupWindow is how long a handled delivery is remembered, so a
// redelivery of it is acknowledged without running the function again.
// Gorgias's retries of one call come within minutes.
const DefaultDedupWindow = 24 * time.Hour

// Deduper remembers which deliveries have been handled. The handler
// claims a delivery before running the function, and releases the claim
// when the function fails, so a retry runs it again. The in-memory one
// (NewMemoryDeduper, the default) serves one process; replicas behind one
// URL share one that keeps its claims elsewhere (a Redis one is in the
// redislimit module).
type Deduper interface {
	// Claim records deliveryID for window and reports whether this call
	// claimed it: false when it was claimed before and not released, and
	// the claim has not expired.
	Claim(ctx context.Context, deliveryID string, window time.Duration) (bool, error)
	// Release forgets a claim, so the delivery can be claimed again.
	Release(ctx context.Context, deliveryID string) error
}

// DefaultMaxRemembered bounds the deliveries a MemoryDeduper remembers.
const DefaultMaxRemembered = 100_000

// MemoryDeduper is a Deduper in this process's memory. It remembers at
// most a bound of deliveries (DefaultMaxRemembered): past it, it forgets
// the oldest first. Safe for concurrent use.
type MemoryDeduper struct {
	mu    sync.Mutex
	max   int
	now   func() time.Time
	until map[string]time.Time // claimed delivery → when the claim expires
	order []claim              // claims in the order they were made
	head  int                  // order[:head] are gone
}

type claim struct {
	id    string
	until time.Time
}

// NewMemoryDeduper returns an empty MemoryDeduper remembering at most max
// deliveries (DefaultMaxRemembered when max <= 0).
func NewMemoryDeduper(max int) *MemoryDeduper {
	if max <= 0 {
		max = DefaultMaxRemembered
	}
	return &MemoryDeduper{max: max, now: time.Now, until: map[string]time.Time{}}
}

// Claim implements Deduper.
func (d *MemoryDeduper) Claim(_ context.Context, id string, window time.Duration) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if until, ok := d.until[id]; ok && now.Before(until) {
		return false, nil
	}
	d.forget(now)
	until := now.Add(window)
	d.until[id] = until
	d.order = append(d.order, claim{id, until})
	return true, nil
}

// Release implements Deduper.
func (d *MemoryDeduper) Release(_ context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.until, id)
	return nil
}

// Len returns how many deliveries are remembered.
func (d *MemoryDeduper) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.until)
}

// forget drops expired claims, and the oldest while there are too many.
// Claims are made with the handler's one window, so the oldest expire
// first; an entry of order whose claim was released or remade is skipped.
func (d *MemoryDeduper) forget(now time.Time) {
	for d.head < len(d.order) {
		c := d.order[d.head]
		until, ok := d.until[c.id]
		live := ok && until.Equal(c.until)
		if live && now.Before(c.until) && len(d.until) < d.max {
			break
		}
		if live {
			delete(d.until, c.id)
		}
		d.order[d.head] = claim{}
		d.head++
	}
	switch {
	case len(d.order)-d.head > 2*d.max: // many released claims: keep the live ones
		live := d.order[:0]
		for _, c := range d.order[d.head:] {
			if until, ok := d.until[c.id]; ok && until.Equal(c.until) {
				live = append(live, c)
			}
		}
		clear(d.order[len(live):])
		d.order, d.head = live, 0
	case d.head > len(d.order)/2 && d.head > 64: // compact
		d.order = append(d.order[:0], d.order[d.head:]...)
		d.head = 0
	}
}
