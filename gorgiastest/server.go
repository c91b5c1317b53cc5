package gorgiastest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
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
	planned              []Fault
	seed                 *SeedConfig
	clock                *time.Time
	channels             []string
	deliveries           DeliveryConfig
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
// faster for tests. Requests with the bearer token fill a bucket of their
// own, twice as large over the same window, as OAuth2 apps get on the
// live API (80 per 20 s by default). Server.Client paces itself to match.
func WithRateLimit(capacity int, window time.Duration) Option {
	return func(c *config) { c.capacity, c.window = capacity, window }
}

// WithoutRateLimit turns the bucket off: no request is ever limited (the
// call-limit header still counts requests).
func WithoutRateLimit() Option {
	return func(c *config) { c.capacity = 0 }
}

// WithChannels accepts channels beyond the documented ones (§3.12 of the
// reference), as an account with app-defined channels does. Other
// channels are refused with a 400.
func WithChannels(channels ...string) Option {
	return func(c *config) { c.channels = append(c.channels, channels...) }
}

// Stats counts what the fake did.
type Stats struct {
	// Requests is every authenticated request received.
	Requests int
	// RateLimited counts 429 answers, from the bucket or injected.
	RateLimited int
	// OverLimit counts the 429 answers of the bucket alone: requests sent
	// while the account was over its limit. A client that paces itself
	// keeps it at 0.
	OverLimit int
	// ServerErrors counts injected 5xx answers.
	ServerErrors int
	// Dropped counts connections closed without an answer.
	Dropped int
	// Unauthorized counts 401 answers.
	Unauthorized int
	// ByRoute counts the requests of Requests per route, as
	// "POST /api/tickets", whatever their answer (refused by the bucket,
	// faulted, dropped): its counts sum to Requests. Unknown paths count
	// as "not found", a known path with another method as
	// "DELETE (not allowed)".
	ByRoute map[string]int
	// Deliveries counts the deliveries of HTTP integrations.
	Deliveries DeliveryStats
}

// Server is a running fake Gorgias.
type Server struct {
	// URL is the server's root, for gorgias.WithBaseURL.
	URL string
	// Email, APIKey and BearerToken are the credentials it accepts.
	Email, APIKey, BearerToken string

	http  *httptest.Server
	mux   *http.ServeMux
	clock *clock

	capacity int
	window   time.Duration

	mu      sync.Mutex // guards everything below, and the store
	store   *store
	bucket  *bucket // Basic auth: the API key's
	oauth   *bucket // the bearer token's: twice the capacity
	faults  Faults
	planned []*plannedFault
	rng     *rand.Rand
	stats   Stats
	reqSeq  uint64
}

// NewServer starts a fake on a loopback port. Close it when done. Inside
// a testing/synctest bubble, use NewTestServer instead: the listener's
// goroutine, blocked on the network, would keep the bubble's clock from
// moving.
func NewServer(opts ...Option) *Server {
	s := newServer(opts...)
	s.http = httptest.NewServer(s)
	s.URL = s.http.URL
	return s
}

// NewTestServer starts a fake that closes itself when t's test ends.
//
// Inside a testing/synctest bubble (synctest.Test), it opens no socket,
// whose goroutine would keep the bubble's clock from moving: URL is then
// http://127.0.0.1:0, which nothing answers, and the fake is reached
// through Client, or Transport for other HTTP clients. Everything else
// runs on the bubble's clock: the client's pacing, its retry backoff and
// Retry-After waits, the fake's bucket, Latency, visibility delays and
// Server.Advance, so the test takes no wall time for them:
//
//	synctest.Test(t, func(t *testing.T) {
//		srv := gorgiastest.NewTestServer(t)
//		client := srv.Client()
//		…
//	})
func NewTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	var s *Server
	if inBubble(t) {
		s = newServer(opts...)
		s.URL = noListenerURL
	} else {
		s = NewServer(opts...)
	}
	t.Cleanup(s.Close)
	return s
}

// Listen starts a fake on addr, such as "127.0.0.1:8080".
func Listen(addr string, opts ...Option) (*Server, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(opts...)
	s.http = httptest.NewUnstartedServer(s)
	_ = s.http.Listener.Close() // the unstarted server's own listener, replaced by l
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
	clk := &clock{}
	if cfg.clock != nil {
		clk.fixed, clk.at = true, cfg.clock.UTC().Truncate(time.Microsecond)
	}
	s := &Server{
		Email: cfg.email, APIKey: cfg.apiKey, BearerToken: cfg.token,
		clock:    clk,
		capacity: cfg.capacity, window: cfg.window,
		store:  newStore(clk),
		bucket: newBucket(cfg.capacity, cfg.window, gorgias.APIKeyRequestsPerWindow),
		oauth:  newBucket(2*cfg.capacity, cfg.window, gorgias.OAuthRequestsPerWindow),
		faults: cfg.faults,
		rng:    rand.New(rand.NewPCG(cfg.faults.Seed, cfg.faults.Seed^0x9e3779b97f4a7c15)),
		stats:  Stats{ByRoute: map[string]int{}},
	}
	s.store.channels = cfg.channels
	s.store.webhooks = newWebhooks(cfg.deliveries, clk)
	for _, f := range cfg.planned {
		s.planned = append(s.planned, &plannedFault{Fault: f})
	}
	if cfg.seed != nil {
		s.store.seed(*cfg.seed)
	}
	s.mux = s.routes()
	return s
}

// Client returns a gorgias client pointed at the fake with its Basic
// credentials and pacing that matches the fake's bucket
// (gorgias.WithRateLimit with the same capacity and window, or
// gorgias.WithoutRateLimit when the bucket is off), then opts, which may
// override the pacing (a WithBearerToken among them replaces the Basic
// credentials).
//
// The client always reaches the fake in memory, through Transport, with
// no socket: inside a testing/synctest bubble as outside it. A
// gorgias.WithHTTPClient among opts replaces that transport, and then
// needs a fake with a listener (URL).
func (s *Server) Client(opts ...gorgias.Option) *gorgias.Client {
	base := []gorgias.Option{gorgias.WithBaseURL(s.URL), gorgias.WithHTTPClient(s.httpClient()), s.pacing(1), gorgias.WithBasicAuth(s.Email, s.APIKey)}
	c, err := gorgias.NewClient("", append(base, opts...)...)
	if errors.Is(err, gorgias.ErrConflictingCredentials) {
		// opts bring a bearer token: use it instead of the API key, paced
		// to the OAuth2 bucket.
		base = []gorgias.Option{base[0], base[1], s.pacing(2)}
		c, err = gorgias.NewClient("", append(base, opts...)...)
	}
	if err != nil {
		panic(fmt.Sprintf("gorgiastest: Client: %v", err))
	}
	return c
}

// httpClient is the *http.Client of Client: the SDK's default timeout,
// in memory.
func (s *Server) httpClient() *http.Client {
	return &http.Client{Transport: s.Transport(), Timeout: time.Minute}
}

// pacing matches the bucket of times the configured capacity.
func (s *Server) pacing(times int) gorgias.Option {
	if s.capacity <= 0 || s.window <= 0 {
		return gorgias.WithoutRateLimit()
	}
	return gorgias.WithRateLimit(times*s.capacity, s.window)
}

// Close shuts the server down, and stops its deliveries.
func (s *Server) Close() {
	if s.http != nil {
		s.http.Close()
	}
	s.store.webhooks.stop()
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Deliveries = s.store.webhooks.snapshot()
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
