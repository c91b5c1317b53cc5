package gorgiastest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// bucket is the account's leaky bucket, on package time's clock: the wall
// clock, or a testing/synctest bubble's.
type bucket struct {
	capacity float64 // +Inf: off
	rate     float64 // requests drained per second
	level    float64
	last     time.Time
	shown    int // the limit the call-limit header gives when off
}

// newBucket makes a bucket; off, its header gives shown as the limit.
func newBucket(capacity int, window time.Duration, shown int) *bucket {
	if capacity <= 0 || window <= 0 {
		return &bucket{capacity: math.Inf(1), shown: shown}
	}
	return &bucket{capacity: float64(capacity), rate: float64(capacity) / window.Seconds()}
}

func (b *bucket) off() bool { return math.IsInf(b.capacity, 1) }

// take adds a request to the bucket, or says how long to wait.
func (b *bucket) take(now time.Time) (ok bool, retryAfter time.Duration) {
	if b.off() {
		b.level++
		return true, 0
	}
	if !b.last.IsZero() {
		// A clock that went back (a bubble's clock after the wall clock's)
		// drains nothing, and fills nothing either.
		b.level = math.Max(0, b.level-max(now.Sub(b.last), 0).Seconds()*b.rate)
	}
	b.last = now
	if b.level+1 > b.capacity {
		return false, time.Duration((b.level + 1 - b.capacity) / b.rate * float64(time.Second))
	}
	b.level++
	return true, 0
}

func (b *bucket) header() string {
	if b.off() {
		return fmt.Sprintf("%d/%d", int(b.level), b.shown)
	}
	return fmt.Sprintf("%d/%d", int(math.Ceil(b.level)), int(b.capacity))
}

// writeRateLimited answers 429 with Retry-after in whole seconds, rounded
// up (at least minSecs).
func writeRateLimited(w http.ResponseWriter, wait time.Duration, minSecs int) {
	secs := max(int(math.Ceil(wait.Seconds())), minSecs)
	w.Header()["Retry-after"] = []string{strconv.Itoa(secs)} // Gorgias's casing
	writeError(w, http.StatusTooManyRequests, "Too Many Requests", nil)
}
