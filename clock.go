package gorgias

import (
	"context"
	"time"
)

// clock is the one source of time for a client and its limiter: every
// wait (retry backoff, Retry-After, pacing) goes through sleep, so tests
// can check what was asked of the clock instead of measuring elapsed
// time.
type clock interface {
	now() time.Time
	// sleep waits for d, or until ctx ends, returning ctx.Err() then.
	sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) now() time.Time { return time.Now() }

func (realClock) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
