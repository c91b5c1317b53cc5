package gorgiastest

import (
	"net/http"
	"strings"
	"time"
)

// Faults makes the fake misbehave at random, deterministically for a
// given Seed and order of requests. Rates are shares of requests, from 0
// to 1. For a fault on one chosen request, see Fault.
type Faults struct {
	// ServerErrorRate answers 500, 502, 503 or 504 without acting.
	ServerErrorRate float64
	// DropRate closes the connection without answering. Half of the
	// dropped requests (or AppliedDropShare of them) are acted on first:
	// the client cannot tell whether a dropped create happened.
	DropRate         float64
	AppliedDropShare *float64
	// RateLimitRate answers 429 without acting, with a Retry-after of
	// RetryAfter (default 1 s) in whole seconds, rounded up.
	RateLimitRate float64
	RetryAfter    *time.Duration
	// Latency delays every answer.
	Latency time.Duration
	// Methods restricts the faults to these HTTP methods (all if empty).
	Methods []string
	// Seed makes the faults reproducible.
	Seed uint64
}

// WithFaults injects faults at random.
func WithFaults(f Faults) Option {
	return func(c *config) { c.faults = f }
}

// FaultKind is what a Fault does.
type FaultKind int

const (
	// FaultServerError answers Status (default 503) without acting.
	FaultServerError FaultKind = iota + 1
	// FaultRateLimit answers 429 with a Retry-after of RetryAfter (0 is
	// allowed) without acting.
	FaultRateLimit
	// FaultDrop closes the connection without acting or answering.
	FaultDrop
	// FaultCommitThenDrop acts (a create creates), then closes the
	// connection without answering: the client cannot tell it happened.
	FaultCommitThenDrop
	// FaultDelayVisibility acts and answers as usual; with VisibleAfter,
	// what the request created stays invisible for that long.
	FaultDelayVisibility
)

// Fault is one planned misbehaviour, aimed at chosen requests:
//
//	// The 3rd POST /api/tickets commits, then the connection drops.
//	gorgiastest.Fault{On: "POST /api/tickets", Call: 3, Kind: gorgiastest.FaultCommitThenDrop}
//	// The next GET answers 429 with Retry-After: 0.
//	gorgiastest.Fault{On: "GET", Kind: gorgiastest.FaultRateLimit}
//
// Requests are counted from when the fault is planned (WithFault, or
// Server.Inject), after authentication and the leaky bucket: a request
// refused with 401, or with 429 by the bucket, does not count.
type Fault struct {
	// On selects the requests: "" (all), a method ("GET"), or a method
	// and a route as Stats.ByRoute names them ("GET /api/tickets/{id}")
	// or a path ("GET /api/tickets/82750001").
	On string
	// Call is which matching request fails first, from 1 (default 1: the
	// next one).
	Call int
	// Times is how many matching requests in a row fail (default 1).
	Times int
	Kind  FaultKind
	// Status is the status of FaultServerError (default 503).
	Status int
	// RetryAfter is the Retry-after of FaultRateLimit, in whole seconds
	// rounded up.
	RetryAfter time.Duration
	// VisibleAfter, with FaultCommitThenDrop or FaultDelayVisibility,
	// hides what the request created from reads and lists until the fake's
	// clock has moved on by that much (see WithClock and Server.Advance).
	VisibleAfter time.Duration
}

// WithFault plans faults from the first request on.
func WithFault(faults ...Fault) Option {
	return func(c *config) { c.planned = append(c.planned, faults...) }
}

// Inject plans faults, counting requests from now on.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		s.planned = append(s.planned, &plannedFault{Fault: f})
	}
}

type plannedFault struct {
	Fault
	seen, hit int
}

func (f *plannedFault) matches(r *http.Request, pattern string) bool {
	if f.On == "" {
		return true
	}
	method, path, _ := strings.Cut(f.On, " ")
	if method != r.Method {
		return false
	}
	_, route, _ := strings.Cut(pattern, " ")
	return path == "" || path == route || path == r.URL.Path
}

// fault is what happens to one request.
type fault struct {
	kind         FaultKind // 0: none
	status       int
	retryAfter   time.Duration
	visibleAfter time.Duration
}

// pickFault counts the request against the planned faults and returns the
// first that fires, or else rolls the random ones.
func (s *Server) pickFault(r *http.Request, pattern string) fault {
	var chosen *plannedFault
	for _, f := range s.planned {
		if !f.matches(r, pattern) {
			continue
		}
		f.seen++
		if f.seen >= max(f.Call, 1) && f.hit < max(f.Times, 1) && chosen == nil {
			f.hit++
			chosen = f
		}
	}
	if chosen != nil {
		s.planned = deleteDone(s.planned)
		return fault{kind: chosen.Kind, status: chosen.Status, retryAfter: chosen.RetryAfter, visibleAfter: chosen.VisibleAfter}
	}
	return s.rollFault(r.Method)
}

func deleteDone(fs []*plannedFault) []*plannedFault {
	out := fs[:0]
	for _, f := range fs {
		if f.hit < max(f.Times, 1) {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) rollFault(method string) fault {
	f := s.faults
	if len(f.Methods) > 0 && !contains(f.Methods, method) {
		return fault{}
	}
	roll := s.rng.Float64()
	switch {
	case roll < f.RateLimitRate:
		wait := time.Second
		if f.RetryAfter != nil {
			wait = *f.RetryAfter
		}
		return fault{kind: FaultRateLimit, retryAfter: wait}
	case roll < f.RateLimitRate+f.ServerErrorRate:
		return fault{kind: FaultServerError, status: []int{500, 502, 503, 504}[s.reqSeq%4]}
	case roll < f.RateLimitRate+f.ServerErrorRate+f.DropRate:
		share := 0.5
		if f.AppliedDropShare != nil {
			share = *f.AppliedDropShare
		}
		if s.rng.Float64() < share {
			return fault{kind: FaultCommitThenDrop}
		}
		return fault{kind: FaultDrop}
	}
	return fault{}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func dropConnection(w http.ResponseWriter) {
	if mw, ok := w.(*memWriter); ok {
		mw.drop(errDropped)
		return
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// discardWriter runs a handler whose answer is lost.
type discardWriter struct{ header http.Header }

func (d discardWriter) Header() http.Header         { return d.header }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}
