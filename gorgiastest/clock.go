package gorgiastest

import (
	"sync"
	"time"
)

// clock is the fake's time: package time's clock (the wall clock, or a
// testing/synctest bubble's), or a fixed instant that only Advance moves
// (WithClock).
type clock struct {
	mu    sync.Mutex
	fixed bool
	at    time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed {
		return time.Now().UTC()
	}
	return c.at
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed {
		c.fixed, c.at = true, time.Now().UTC().Truncate(time.Microsecond)
	}
	c.at = c.at.Add(d)
}

// WithClock fixes the fake's clock at start: created and updated
// datetimes are taken from it (each write still moves them forward by at
// least a microsecond, so updated_datetime changes on every write), the
// seeded history ends the day before it, and visibility delays are
// measured on it. Only Server.Advance moves it. The leaky bucket keeps to
// package time's clock, as the SDK's pacing does: the wall clock, or the
// bubble's inside testing/synctest.
func WithClock(start time.Time) Option {
	return func(c *config) { c.clock = &start }
}

// Now returns the fake's current time.
func (s *Server) Now() time.Time { return s.clock.now() }

// Advance moves the fake's clock forward by d. On a fake without
// WithClock, the clock is fixed from then on at the current time plus d.
func (s *Server) Advance(d time.Duration) { s.clock.advance(d) }
