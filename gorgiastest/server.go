// Package gorgiastest is an in-memory fake of the Gorgias tickets API, for
// testing code that uses the gorgias SDK, or any Gorgias client, without an
// account: what httptest is to net/http.
//
// It serves the 36 operations of the tickets area on a loopback server,
// with the live API's paths, status codes, list envelopes, cursors, error
// bodies, datetimes and rate-limit headers, keeps relations consistent
// (a ticket's messages, tags, custom field values, survey and calls), and
// can inject faults:
//
//	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{}))
//	client := srv.Client() // a *gorgias.Client pointed at the fake
//	for ticket, err := range client.Tickets.All(ctx, nil) { … }
//
// The fake follows ../shared/gorgias-api.md, the project's API reference.
// It is safe for concurrent use.
package gorgiastest

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-gorgias/gorgias"
)

// Default credentials the fake accepts.
const (
	DefaultEmail       = "agent@acme.example"
	DefaultAPIKey      = "gorgiastest-api-key"
	DefaultBearerToken = "gorgiastest-oauth-token"
)

// maxBody is the largest request body the fake reads.
const maxBody = 10 << 20

// Option configures a Server.
type Option func(*config)

type config struct {
	email, apiKey, token string
	capacity             int
	window               time.Duration
	faults               Faults
	seed                 *SeedConfig
}

// WithCredentials sets the email and API key the fake accepts with Basic
// auth (default DefaultEmail and DefaultAPIKey).
func WithCredentials(email, apiKey string) Option {
	return func(c *config) { c.email, c.apiKey = email, apiKey }
}

// WithBearerToken sets the OAuth2 access token the fake accepts (default
// DefaultBearerToken).
func WithBearerToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithRateLimit sets the account's leaky bucket: capacity requests,
// draining completely in window. The default is 40 per 20 s, like an API
// key; WithRateLimit(40, 2*time.Second) runs the same bucket ten times
// faster for tests.
func WithRateLimit(capacity int, window time.Duration) Option {
	return func(c *config) { c.capacity, c.window = capacity, window }
}

// WithoutRateLimit turns the bucket off: no request is ever limited (the
// call-limit header still counts requests).
func WithoutRateLimit() Option {
	return func(c *config) { c.capacity = 0 }
}

// Faults makes the fake misbehave, deterministically for a given Seed and
// order of requests. Rates are shares of requests, from 0 to 1.
type Faults struct {
	// ServerErrorRate answers 500, 502, 503 or 504 without acting.
	ServerErrorRate float64
	// DropRate closes the connection without answering. Half of the
	// dropped requests (or AppliedDropShare of them) are acted on first:
	// the client cannot tell whether a dropped create happened.
	DropRate         float64
	AppliedDropShare *float64
	// RateLimitRate answers 429 with Retry-after: 1 without acting.
	RateLimitRate float64
	// Latency delays every answer.
	Latency time.Duration
	// Methods restricts the faults to these HTTP methods (all if empty).
	Methods []string
	// Seed makes the faults reproducible.
	Seed uint64
}

// WithFaults injects faults.
func WithFaults(f Faults) Option {
	return func(c *config) { c.faults = f }
}

// SeedConfig describes the help desk WithSeedData creates.
type SeedConfig struct {
	// Tickets is how many tickets to create (default 300).
	Tickets int
	// Seed makes the data reproducible (default 1).
	Seed uint64
}

// WithSeedData fills the fake with a realistic, deterministic help desk:
// customers, agents, tags, the custom field definitions, tickets across
// channels, statuses and priorities with their messages (internal notes
// among them), tags, custom field values, surveys on closed tickets, and
// voice calls with events and recordings on phone tickets. Without it the
// fake starts with only the agents, tags and custom field definitions.
func WithSeedData(cfg SeedConfig) Option {
	return func(c *config) { c.seed = &cfg }
}

// Stats counts what the fake did.
type Stats struct {
	// Requests is every authenticated request received.
	Requests int
	// RateLimited counts 429 answers, from the bucket or injected.
	RateLimited int
	// ServerErrors counts injected 5xx answers.
	ServerErrors int
	// Dropped counts connections closed without an answer.
	Dropped int
	// Unauthorized counts 401 answers.
	Unauthorized int
	// ByRoute counts requests per route, as "POST /api/tickets".
	ByRoute map[string]int
}

// Server is a running fake Gorgias.
type Server struct {
	// URL is the server's root, for gorgias.WithBaseURL.
	URL string
	// Email, APIKey and BearerToken are the credentials it accepts.
	Email, APIKey, BearerToken string

	http *httptest.Server
	mux  *http.ServeMux

	mu     sync.Mutex // guards everything below, and the store
	store  *store
	bucket *bucket
	faults Faults
	rng    *rand.Rand
	stats  Stats
	reqSeq uint64
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := newServer(opts...)
	s.http = httptest.NewServer(s)
	s.URL = s.http.URL
	return s
}

// NewTestServer starts a fake that closes itself when t's test ends.
func NewTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// Listen starts a fake on addr, such as "127.0.0.1:8080".
func Listen(addr string, opts ...Option) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(opts...)
	s.http = httptest.NewUnstartedServer(s)
	s.http.Listener.Close()
	s.http.Listener = l
	s.http.Start()
	s.URL = s.http.URL
	return s, nil
}

func newServer(opts ...Option) *Server {
	cfg := config{email: DefaultEmail, apiKey: DefaultAPIKey, token: DefaultBearerToken,
		capacity: gorgias.APIKeyRequestsPerWindow, window: gorgias.RateLimitWindow}
	for _, opt := range opts {
		opt(&cfg)
	}
	s := &Server{
		Email: cfg.email, APIKey: cfg.apiKey, BearerToken: cfg.token,
		store:  newStore(),
		faults: cfg.faults,
		rng:    rand.New(rand.NewPCG(cfg.faults.Seed, cfg.faults.Seed^0x9e3779b97f4a7c15)),
		stats:  Stats{ByRoute: map[string]int{}},
	}
	if cfg.capacity > 0 && cfg.window > 0 {
		s.bucket = &bucket{capacity: float64(cfg.capacity), rate: float64(cfg.capacity) / cfg.window.Seconds()}
	} else {
		s.bucket = &bucket{capacity: math.Inf(1)}
	}
	if cfg.seed != nil {
		s.store.seed(*cfg.seed)
	}
	s.mux = s.routes()
	return s
}

// Client returns a gorgias client pointed at the fake with its Basic
// credentials, then opts (a WithBearerToken among them replaces the Basic
// credentials).
func (s *Server) Client(opts ...gorgias.Option) *gorgias.Client {
	base := []gorgias.Option{gorgias.WithBaseURL(s.URL), gorgias.WithBasicAuth(s.Email, s.APIKey)}
	c, err := gorgias.NewClient("", append(base, opts...)...)
	if errors.Is(err, gorgias.ErrConflictingCredentials) {
		// opts bring a bearer token: use it instead of the API key.
		c, err = gorgias.NewClient("", append(base[:1:1], opts...)...)
	}
	if err != nil {
		panic(fmt.Sprintf("gorgiastest: Client: %v", err))
	}
	return c
}

// Close shuts the server down.
func (s *Server) Close() { s.http.Close() }

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.ByRoute = make(map[string]int, len(s.stats.ByRoute))
	for k, v := range s.stats.ByRoute {
		st.ByRoute[k] = v
	}
	return st
}

// TicketCount returns how many tickets the fake holds.
func (s *Server) TicketCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.store.tickets)
}

// bucket is the account's leaky bucket.
type bucket struct {
	capacity float64
	rate     float64 // requests drained per second
	level    float64
	last     time.Time
}

// take adds a request to the bucket, or says how long to wait.
func (b *bucket) take(now time.Time) (ok bool, retryAfter time.Duration) {
	if math.IsInf(b.capacity, 1) {
		b.level++
		return true, 0
	}
	if !b.last.IsZero() {
		b.level = math.Max(0, b.level-now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.level+1 > b.capacity {
		return false, time.Duration((b.level + 1 - b.capacity) / b.rate * float64(time.Second))
	}
	b.level++
	return true, 0
}

func (b *bucket) header() string {
	capacity := b.capacity
	if math.IsInf(capacity, 1) {
		return fmt.Sprintf("%d/%d", int(b.level), gorgias.APIKeyRequestsPerWindow)
	}
	return fmt.Sprintf("%d/%d", int(math.Ceil(b.level)), int(capacity))
}

// faultFor picks the fault, if any, for one request.
type fault int

const (
	noFault fault = iota
	fault5xx
	fault429
	faultDrop
	faultDropAfterApplying
)

func (s *Server) pickFault(method string) fault {
	f := s.faults
	if len(f.Methods) > 0 {
		found := false
		for _, m := range f.Methods {
			found = found || m == method
		}
		if !found {
			return noFault
		}
	}
	roll := s.rng.Float64()
	switch {
	case roll < f.RateLimitRate:
		return fault429
	case roll < f.RateLimitRate+f.ServerErrorRate:
		return fault5xx
	case roll < f.RateLimitRate+f.ServerErrorRate+f.DropRate:
		share := 0.5
		if f.AppliedDropShare != nil {
			share = *f.AppliedDropShare
		}
		if s.rng.Float64() < share {
			return faultDropAfterApplying
		}
		return faultDrop
	}
	return noFault
}

// ServeHTTP authenticates, rate-limits, injects faults and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Read the body before taking the lock, so a slow client holds no one up.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return
	}
	if len(body) > maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, "Request entity too large.", nil)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if s.faults.Latency > 0 {
		select {
		case <-time.After(s.faults.Latency):
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	s.reqSeq++
	w.Header().Set("X-Request-Id", hex.EncodeToString([]byte(strconv.FormatUint(s.reqSeq, 10)+"-gorgiastest")))
	w.Header().Set("X-Gorgias-Release", "gorgiastest")
	if !s.authorized(r) {
		w.Header().Set("X-Gorgias-Account-Api-Call-Limit", s.bucket.header())
		s.stats.Unauthorized++
		s.mu.Unlock()
		writeError(w, http.StatusUnauthorized, "Unauthorized. Check your credentials.", nil)
		return
	}
	s.stats.Requests++
	ok, wait := s.bucket.take(time.Now())
	w.Header().Set("X-Gorgias-Account-Api-Call-Limit", s.bucket.header())
	if !ok {
		s.stats.RateLimited++
		s.mu.Unlock()
		writeRateLimited(w, wait)
		return
	}
	flt := s.pickFault(r.Method)
	switch flt {
	case fault429:
		s.stats.RateLimited++
		s.mu.Unlock()
		writeRateLimited(w, time.Second)
		return
	case fault5xx:
		s.stats.ServerErrors++
		s.mu.Unlock()
		code := []int{500, 502, 503, 504}[s.reqSeq%4]
		writeError(w, code, "An external service had an issue.", nil)
		return
	case faultDrop:
		s.stats.Dropped++
		s.mu.Unlock()
		dropConnection(w)
		return
	}
	handler, pattern := s.route(r)
	s.stats.ByRoute[pattern]++
	if flt == faultDropAfterApplying {
		s.stats.Dropped++
		handler.ServeHTTP(discardWriter{header: http.Header{}}, r)
		s.mu.Unlock()
		dropConnection(w)
		return
	}
	handler.ServeHTTP(w, r)
	s.mu.Unlock()
}

func (s *Server) authorized(r *http.Request) bool {
	if user, pass, ok := r.BasicAuth(); ok {
		return user == s.Email && pass == s.APIKey
	}
	return s.BearerToken != "" && r.Header.Get("Authorization") == "Bearer "+s.BearerToken
}

func writeRateLimited(w http.ResponseWriter, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header()["Retry-after"] = []string{strconv.Itoa(secs)} // Gorgias's casing
	writeError(w, http.StatusTooManyRequests, "Too Many Requests", nil)
}

func dropConnection(w http.ResponseWriter) {
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
