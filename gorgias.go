// Package gorgias is a typed client for the Gorgias helpdesk REST API
// (tickets, messages, tags, satisfaction surveys, ticket custom fields and
// voice calls).
//
// Create a [Client] with [NewClient], then call the services it holds:
//
//	client, err := gorgias.NewClient("acme", gorgias.WithBasicAuth(email, apiKey))
//	if err != nil { ... }
//	ticket, err := client.Tickets.Get(ctx, 123, nil)
//
// Every method takes a [context.Context] first and honours its cancellation
// and deadline, including while waiting to retry. Non-2xx answers come back
// as [*Error]; bad input is reported as [*ValidationError] before any request
// is sent. List operations return one [Page] at a time, and have an All
// variant that walks every page with a range-over-func iterator.
//
// # Requests
//
// Request types follow one rule. In a Create…Request, a field left at its
// zero value is not sent. In an Update…Request only the fields set are sent
// and changed, and an update that sets none is refused before sending:
//
//   - a field the API lets you clear is a [Nullable]: leave it unset to keep
//     the value, [Null] to clear it, [NewNullable] to set it;
//   - a field you can only set is a pointer (set it with [Ptr]), or a typed
//     enum such as [Status] whose empty value means unchanged;
//   - a list (tags, custom fields, attachments) is left alone when nil, and
//     replaced when not: an empty, non-nil slice clears it.
//
// Each request type's doc says which fields are required; they are
// checked, with every other problem found, before anything is sent.
//
// # Call options
//
// Every method takes [CallOption]s last, to change one call: an extra
// header, a timeout, the retry count, or capturing the answer's
// [ResponseMeta]. [Client.Do], [List] and [All] reach endpoints beyond the
// typed methods with the same machinery.
package gorgias

// accessors.go: the nil-safe GetX methods of the response types.
//go:generate go run ./internal/cmd/gen-accessors

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Version is the version of this SDK, sent in the User-Agent header.
const Version = "0.3.0"

const (
	defaultUserAgent   = "gorgias-go/" + Version + " (+https://github.com/go-gorgias/gorgias)"
	defaultMaxRetries  = 3
	defaultMinWait     = 1 * time.Second
	defaultMaxWait     = 30 * time.Second
	defaultHTTPTimeout = 60 * time.Second
	// maxResponseBody bounds how much of a successful response is read, so a
	// misbehaving server or proxy cannot exhaust memory.
	maxResponseBody = 64 << 20
)

// Client talks to one Gorgias account. It is safe for concurrent use by
// multiple goroutines; create one per account and share it.
type Client struct {
	baseURL *url.URL // always ends in "/api/"
	apiRoot string   // baseURL as a string, for building each request's URL
	// httpClient is the caller's *http.Client (or the SDK's), copied, with
	// the SDK's redirect rules in front of its own.
	httpClient *http.Client
	// standardTransport is set when httpClient sends through an
	// *http.Transport, whose trace tells a local failure from a network one.
	standardTransport bool
	retry             *retryablehttp.Client // one for every call
	auth              *credentials          // a pointer: printing a Client's fields shows no secret
	userAgent         string
	logger            *slog.Logger
	maxRetries        int
	minWait           time.Duration
	maxWait           time.Duration
	limiter           Limiter // nil: no pacing
	limiterSet        bool    // an option chose the limiter
	clock             clock
	visibilityWindow  time.Duration  // for CreateOnce; 0: DefaultVisibilityWindow
	creates           *createFlights // the CreateOnce calls in progress (once.go)
	observers         *observers     // WithObserver's; nil: none (a pointer keeps Client comparable)

	// Tickets manages tickets, their tags and their custom field values.
	Tickets *TicketsService
	// Messages manages the messages of tickets.
	Messages *MessagesService
	// Tags manages the account's tags.
	Tags *TagsService
	// Surveys manages satisfaction surveys.
	Surveys *SurveysService
	// Voice reads voice calls, their events and recordings.
	Voice *VoiceService
	// CustomFields manages the definitions of custom fields, which the
	// values of Tickets.ListCustomFields and UpdateCustomField refer to.
	CustomFields *CustomFieldsService
	// Integrations manages integrations, HTTP integrations (webhooks)
	// among them.
	Integrations *IntegrationsService
}

// credentials holds the Authorization header value. Its String and GoString
// methods never reveal it, so printing a Client cannot leak a secret.
type credentials struct {
	header string
	kind   authKind
}

type authKind int

const (
	authNone authKind = iota
	authBasic
	authBearer
)

// String names the kind of credentials, never their value.
func (c credentials) String() string {
	switch c.kind {
	case authBasic:
		return "basic(REDACTED)"
	case authBearer:
		return "bearer(REDACTED)"
	}
	return "none"
}

// GoString is String, for %#v.
func (c credentials) GoString() string { return c.String() }

// Format makes every fmt verb print String.
func (c credentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// String describes the client without revealing its credentials.
func (c Client) String() string {
	auth := credentials{}
	if c.auth != nil {
		auth = *c.auth
	}
	return fmt.Sprintf("gorgias.Client{BaseURL: %s, Auth: %s}", c.baseURL, auth.String())
}

// GoString is like String, so %#v does not reveal credentials either.
func (c Client) GoString() string { return c.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s, %q, %x, %d…) print String,
// so credentials never reach a log through fmt.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// BaseURL returns the API root the client sends requests to, ending in
// "/api/".
func (c *Client) BaseURL() string { return c.baseURL.String() }

// Option configures a Client in NewClient. Options apply to every call of
// the client; to change one call, pass a CallOption to the method.
type Option func(*Client) error

// WithBasicAuth authenticates with a Gorgias user's email and REST API key
// (Settings → REST API). The key acts as that user, with that user's role.
// It cannot be combined with WithBearerToken.
func WithBasicAuth(email, apiKey string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(email) == "" || strings.TrimSpace(apiKey) == "" {
			return errors.New("gorgias: WithBasicAuth needs a non-empty email and API key")
		}
		if problem := secretProblem(email); problem != "" {
			return fmt.Errorf("gorgias: WithBasicAuth: the email %s", problem)
		}
		if problem := secretProblem(apiKey); problem != "" {
			return fmt.Errorf("gorgias: WithBasicAuth: the API key %s", problem)
		}
		return c.setAuth(credentials{
			header: "Basic " + base64.StdEncoding.EncodeToString([]byte(email+":"+apiKey)),
			kind:   authBasic,
		})
	}
}

// WithBearerToken authenticates with an OAuth2 access token, as public apps
// do. Access tokens expire after 24 hours; to refresh them automatically,
// pass an oauth2.Client through WithHTTPClient instead. It cannot be
// combined with WithBasicAuth.
func WithBearerToken(token string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(token) == "" {
			return errors.New("gorgias: WithBearerToken needs a non-empty token")
		}
		if problem := secretProblem(token); problem != "" {
			return fmt.Errorf("gorgias: WithBearerToken: the token %s", problem)
		}
		return c.setAuth(credentials{header: "Bearer " + token, kind: authBearer})
	}
}

// ErrConflictingCredentials is returned by NewClient given both
// WithBasicAuth and WithBearerToken: the client would have to guess which
// one the caller meant.
var ErrConflictingCredentials = errors.New("gorgias: WithBasicAuth and WithBearerToken were both given; use one")

func (c *Client) setAuth(auth credentials) error {
	if c.auth != nil && c.auth.kind != auth.kind {
		return ErrConflictingCredentials
	}
	c.auth = &auth
	return nil
}

// secretProblem says what makes s unusable as a credential in a header,
// or "" when nothing does. Credentials never hold spaces at their ends.
func secretProblem(s string) string {
	if problem := headerValueProblem(s); problem != "" {
		return problem
	}
	if strings.TrimSpace(s) != s {
		return "starts or ends with a space (trim it)"
	}
	return ""
}

// headerValueProblem says what makes s invalid in an HTTP header value,
// or "" when nothing does. These are checked once, when the option is
// given, rather than failing every request later.
func headerValueProblem(s string) string {
	if strings.HasSuffix(s, "\n") {
		return "ends in a line break (read from a file? trim it)"
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < ' ' && b != '\t' || b == 0x7f {
			return fmt.Sprintf("holds the control character %#02x at byte %d, which a header cannot carry", b, i)
		}
	}
	return ""
}

// WithHTTPClient sets the *http.Client that sends each attempt, underneath
// the SDK's retries and pacing. Use it for an oauth2.NewClient, a proxy, or
// custom timeouts. The client is copied, never changed: its Transport, Jar
// and Timeout are used as they are, and its CheckRedirect is consulted
// after the SDK's own rules (no redirect from https to http, none for
// writes).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("gorgias: WithHTTPClient needs a non-nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithBaseURL sends requests to another server than
// https://{account}.gorgias.com: a test server, the gorgiastest fake, or a
// proxy. Give the server root with its scheme (for example
// "http://127.0.0.1:8080"); the SDK appends "/api/" unless the URL already
// ends in it. Plain http:// is accepted only for loopback hosts, so
// credentials never travel in clear text over a network.
func WithBaseURL(rawURL string) Option {
	return func(c *Client) error {
		u, err := parseBaseURL(rawURL)
		if err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithUserAgent puts product (for example "my-app/1.2") in front of the
// SDK's own User-Agent.
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		product = strings.TrimSpace(product)
		if problem := headerValueProblem(product); problem != "" {
			return fmt.Errorf("gorgias: WithUserAgent: the user agent %s", problem)
		}
		if product != "" {
			c.userAgent = product + " " + defaultUserAgent
		}
		return nil
	}
}

// WithRetryPolicy sets how many times a failed request is retried and the
// bounds of the exponential backoff between attempts (defaults: 3 retries,
// 1 s to 30 s). WithRetryPolicy(0, 0, 0) disables retries. A 429 waits for
// the server's Retry-After (at most MaxRetryAfter) instead of the backoff.
func WithRetryPolicy(maxRetries int, minWait, maxWait time.Duration) Option {
	return func(c *Client) error {
		if maxRetries < 0 || minWait < 0 || maxWait < 0 {
			return errors.New("gorgias: WithRetryPolicy: retries and waits cannot be negative")
		}
		if maxWait < minWait {
			return errors.New("gorgias: WithRetryPolicy: maxWait is shorter than minWait")
		}
		c.maxRetries, c.minWait, c.maxWait = maxRetries, minWait, maxWait
		return nil
	}
}

// WithLogger logs every attempt at debug level (method, path, status,
// attempt, duration, request id) and retries at info level. Headers and
// bodies are never logged, so credentials never reach the log.
func WithLogger(logger *slog.Logger) Option {
	return func(c *Client) error {
		if logger == nil {
			logger = slog.New(slog.DiscardHandler)
		}
		c.logger = logger
		return nil
	}
}

// withClock makes the client (and the limiter it makes) read time and
// wait through clk: tests give a fake clock. Give it first.
func withClock(clk clock) Option {
	return func(c *Client) error {
		c.clock = clk
		return nil
	}
}

// NewClient returns a client for a Gorgias account. account is the
// helpdesk's subdomain ("acme" for https://acme.gorgias.com); the spellings
// people paste are accepted too: "acme.gorgias.com",
// "https://acme.gorgias.com/", "https://acme.gorgias.com/api/". With
// WithBaseURL the account may be empty.
func NewClient(account string, opts ...Option) (*Client, error) {
	c := &Client{
		userAgent:  defaultUserAgent,
		logger:     slog.New(slog.DiscardHandler),
		maxRetries: defaultMaxRetries,
		minWait:    defaultMinWait,
		maxWait:    defaultMaxWait,
		clock:      realClock{},
		creates:    new(createFlights),
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.auth == nil {
		c.auth = &credentials{}
	}
	if c.baseURL == nil || strings.TrimSpace(account) != "" {
		u, err := accountURL(account)
		if err != nil {
			return nil, err
		}
		if c.baseURL == nil {
			c.baseURL = u
		}
	}
	c.apiRoot = c.baseURL.String()
	c.httpClient = withRedirectRules(c.httpClient)
	switch c.httpClient.Transport.(type) {
	case nil, *http.Transport:
		c.standardTransport = true
	}
	c.retry = newRetryClient(c)
	if !c.limiterSet {
		c.limiter = c.defaultLimiter()
	}
	common := service{client: c}
	c.Tickets = &TicketsService{common}
	c.Messages = &MessagesService{common}
	c.Tags = &TagsService{common}
	c.Surveys = &SurveysService{common}
	c.Voice = &VoiceService{common}
	c.CustomFields = &CustomFieldsService{common}
	c.Integrations = &IntegrationsService{common}
	return c, nil
}

// withRedirectRules returns a copy of hc (or a new client) that refuses
// the redirects that would leak credentials or misreport a write: one from
// https to http, and any redirect of a POST, PUT or DELETE. The redirect
// answer is then returned as is, and becomes an *Error naming its status
// and Location. Other redirects go to hc's own CheckRedirect, if any.
func withRedirectRules(hc *http.Client) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	} else {
		cp.Timeout = defaultHTTPTimeout
	}
	next := cp.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			return http.ErrUseLastResponse
		}
		if req.URL.Scheme != "https" && first.URL.Scheme == "https" {
			return http.ErrUseLastResponse
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// accountURL turns "acme", "acme.gorgias.com", "https://acme.gorgias.com"
// (with or without a trailing "/", "/api" or "/api/") into
// https://acme.gorgias.com/api/.
func accountURL(account string) (*url.URL, error) {
	sub, err := accountSubdomain(account, "gorgias: NewClient: ")
	if err != nil {
		return nil, err
	}
	return &url.URL{Scheme: "https", Host: sub + ".gorgias.com", Path: "/api/"}, nil
}

// AccountSubdomain returns the subdomain that names a Gorgias account
// ("acme" for acme.gorgias.com), from any spelling NewClient accepts:
// "acme", "ACME", " acme ", "acme.gorgias.com", "https://acme.gorgias.com",
// with or without a trailing "/", "/api" or "/api/". It fails, as NewClient
// does, on anything else. Every spelling of one account gives the same
// answer, which holds only lowercase letters, digits and '-': use it to key
// what belongs to the account, such as a shared rate limit.
func AccountSubdomain(account string) (string, error) {
	return accountSubdomain(account, "gorgias: ")
}

// accountSubdomain is AccountSubdomain, its errors starting with prefix.
func accountSubdomain(account, prefix string) (string, error) {
	orig := account
	account = strings.TrimSpace(account)
	if account == "" {
		return "", errors.New(prefix + "the account is empty; give the subdomain, e.g. \"acme\" for acme.gorgias.com")
	}
	bad := func(why string) error {
		return fmt.Errorf("%saccount %q: %s", prefix, orig, why)
	}
	lower := strings.ToLower(account)
	if rest, ok := strings.CutPrefix(lower, "https://"); ok {
		lower = rest
	} else if strings.Contains(lower, "://") {
		return "", bad("only https:// is accepted")
	}
	host, path, _ := strings.Cut(lower, "/")
	switch strings.TrimSuffix(path, "/") {
	case "", "api":
	default:
		return "", bad("give the helpdesk's address without a path, e.g. \"acme\" or \"https://acme.gorgias.com\"")
	}
	sub, hasDomain := strings.CutSuffix(host, ".gorgias.com")
	if !hasDomain && strings.Contains(host, ".") {
		return "", bad("not a gorgias.com helpdesk; use WithBaseURL for other hosts")
	}
	if sub == "" || len(sub) > 63 {
		return "", bad("the subdomain is empty or too long")
	}
	for _, r := range sub {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return "", bad("the subdomain may hold only letters, digits and '-'")
		}
	}
	if sub[0] == '-' || sub[len(sub)-1] == '-' {
		return "", bad("the subdomain cannot start or end with '-'")
	}
	return sub, nil
}

// parseBaseURL validates a WithBaseURL argument and normalises its path to
// end in "/api/".
func parseBaseURL(rawURL string) (*url.URL, error) {
	trimmed := strings.TrimSpace(rawURL)
	if !strings.Contains(trimmed, "://") {
		return nil, fmt.Errorf("gorgias: WithBaseURL: %q has no scheme; add one, as in \"http://%s\" for a local server or \"https://%s\"", rawURL, trimmed, trimmed)
	}
	u, err := url.Parse(trimmed)
	if err != nil {
		return nil, fmt.Errorf("gorgias: WithBaseURL: %w", err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("gorgias: WithBaseURL: %q has no host", rawURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("gorgias: WithBaseURL: %q: credentials, query and fragment are not allowed", u.Redacted())
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("gorgias: WithBaseURL: http:// is accepted only for loopback hosts; use https:// for %s", u.Host)
		}
	default:
		return nil, fmt.Errorf("gorgias: WithBaseURL: scheme %q is not http or https", u.Scheme)
	}
	p := strings.TrimSuffix(u.Path, "/")
	if !strings.HasSuffix(p, "/api") {
		if strings.Contains(p+"/", "/api/") {
			return nil, fmt.Errorf("gorgias: WithBaseURL: %q ends in an API path; give the server root (the SDK appends /api/)", rawURL)
		}
		p += "/api"
	}
	u.Path = p + "/"
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// errNilContext is returned by every method given a nil context.
var errNilContext = errors.New("gorgias: nil context; pass context.Background() or a request's context")

// do sends req and decodes a 2xx JSON answer into out (nil: discard it).
// It is the single path every service method goes through.
func (c *Client) do(ctx context.Context, req request, out any) error {
	if ctx == nil {
		return errNilContext
	}
	if c.observers != nil {
		return c.observedDo(ctx, req, out)
	}
	return c.doCall(ctx, req, out, nil)
}

// doCall is do, telling ob (nil: no observer) what the call does.
func (c *Client) doCall(ctx context.Context, req request, out any, ob *callObs) error {
	cs, err := settings(req.opts)
	if err != nil {
		return err
	}
	if cs.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cs.timeout)
		defer cancel()
	}
	cl := &call{client: c, method: req.method, maxRetries: c.maxRetries}
	if cs.retries >= 0 {
		cl.maxRetries = cs.retries
	}
	if ob != nil {
		ob.cl, cl.obs = cl, ob
	}
	resp, err := c.send(ctx, cl, req, cs) //nolint:bodyclose // closed below, once err is checked
	if cs.meta != nil {
		defer func() { cs.meta.fill(cl, req, out, err == nil) }()
	}
	if cs.outcome != nil {
		cs.outcome.mayHaveReached = cl.wrote.Load()
	}
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer closeBody(resp.Body)
		return newError(req.method, cl.path, resp)
	}
	if out == nil {
		closeBody(resp.Body)
		return nil
	}
	return decodeBody(req, resp, out)
}

// send builds the HTTP request of cl and runs it through the retry
// policy, with the extra headers of the call's options. On success the
// caller owns resp.Body.
func (c *Client) send(ctx context.Context, cl *call, req request, cs callSettings) (*http.Response, error) {
	// req.path is relative to /api/ and already escaped: the services
	// build it from ids, Client.Do from a checked path. apiRoot ends in
	// "/api/", so the call's path is the end of the URL, query aside.
	target := c.apiRoot + req.path
	cl.path = target[len(c.apiRoot)-len("/api/"):]
	var rawQuery string
	switch q := req.query.(type) {
	case nil:
	case url.Values:
		rawQuery = q.Encode()
	case interface{ encodeQuery() url.Values }:
		rawQuery = q.encodeQuery().Encode()
	default:
		v, err := query.Values(q)
		if err != nil {
			return nil, fmt.Errorf("gorgias: encoding query for %s /api/%s: %w", req.method, req.path, err)
		}
		rawQuery = v.Encode()
	}
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	var body []byte
	if req.body != nil {
		var err error
		if body, err = json.Marshal(req.body); err != nil {
			return nil, fmt.Errorf("gorgias: encoding body for %s /api/%s: %w", req.method, req.path, err)
		}
	}

	ctx = cl.start(ctx, cs.outcome != nil)
	if body != nil {
		// retryablehttp gives every attempt a fresh reader of body.
		hreq, err := retryablehttp.NewRequestWithContext(ctx, req.method, target, body)
		if err != nil {
			return nil, fmt.Errorf("gorgias: building %s %s: %w", req.method, cl.path, err)
		}
		cl.req = *hreq
	} else {
		// Without a body, a retryablehttp.Request is only its
		// *http.Request: the one in cl saves an allocation.
		hreq, err := http.NewRequestWithContext(ctx, req.method, target, nil)
		if err != nil {
			return nil, fmt.Errorf("gorgias: building %s %s: %w", req.method, cl.path, err)
		}
		cl.req.Request = hreq
	}
	c.setHeaders(cl.req.Header, cs.header, body != nil)

	if err := cl.pace(ctx); err != nil {
		return nil, fmt.Errorf("gorgias: %s %s: %w", req.method, cl.path, err)
	}
	resp, err := c.retry.Do(&cl.req)
	if err != nil {
		if resp != nil {
			closeBody(resp.Body)
		}
		if cl.paced { // the first attempt never started: give the slot back
			cl.observe(nil)
		}
		var named namedError
		if errors.As(err, &named) {
			return nil, named.error
		}
		return nil, cl.transportError(err)
	}
	return resp, nil
}

// setHeaders sets the headers of a request: the call's extra ones, then
// the SDK's own, whose values share one allocation (each a slice of
// capacity 1, so that an Add elsewhere copies rather than writes over
// the next).
func (c *Client) setHeaders(h, extra http.Header, hasBody bool) {
	for key, values := range extra {
		h[key] = values
	}
	values := make([]string, 4)
	values[0], values[1] = "application/json", c.userAgent
	h["Accept"], h["User-Agent"] = values[0:1:1], values[1:2:2]
	if hasBody {
		values[2] = "application/json"
		h["Content-Type"] = values[2:3:3]
	}
	if c.auth.header != "" {
		values[3] = c.auth.header
		h["Authorization"] = values[3:4:4]
	}
}

// decodeBody reads a successful answer into out. An empty body, or one that
// is not the JSON expected, is an error: never a zero value as success.
func decodeBody(req request, resp *http.Response, out any) error {
	data, err := readAll(resp.Body, maxResponseBody, resp.ContentLength)
	if err != nil {
		closeBody(resp.Body)
		return fmt.Errorf("gorgias: %s /api/%s: reading the response: %w", req.method, req.path, err)
	}
	_ = resp.Body.Close() // read to its end: nothing is left to drain
	if err := decodeJSON(data, out); err != nil {
		return fmt.Errorf("gorgias: %s /api/%s: %d %s: %w", req.method, req.path, resp.StatusCode,
			http.StatusText(resp.StatusCode), err)
	}
	return nil
}

// errEmptyResponse is wrapped by the error returned when the API answers
// 2xx with no body to an operation that returns an object.
var errEmptyResponse = errors.New("the response has no body where a JSON value was expected")

// decodeJSON unmarshals data into out and checks the result looks like what
// was asked for.
func decodeJSON(data []byte, out any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return errEmptyResponse
	}
	if bytes.Equal(trimmed, []byte("null")) {
		return fmt.Errorf("the response is null where a JSON value was expected")
	}
	var err error
	if d, ok := out.(interface{ decode([]byte) error }); ok {
		err = d.decode(trimmed)
	} else {
		err = json.Unmarshal(trimmed, out)
	}
	if err != nil {
		return fmt.Errorf("decoding the response: %w", err)
	}
	if v, ok := out.(interface{ validate() error }); ok {
		return v.validate()
	}
	return nil
}

// readAll reads r to its end, up to limit bytes, failing if there is
// more; it never reads more than limit+1 bytes. sizeHint (Content-Length,
// or -1) sizes the buffer up front: with a right one, the body is read
// into one allocation of its size.
func readAll(r io.Reader, limit, sizeHint int64) ([]byte, error) {
	size := int64(512)
	if sizeHint >= 0 && sizeHint <= limit {
		size = sizeHint + 1 // the extra byte is where the reader says io.EOF
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):min(int64(cap(buf)), limit+1)]
		n, err := r.Read(room)
		if n < 0 || n > len(room) {
			return nil, fmt.Errorf("the body's reader returned %d bytes for a buffer of %d", n, len(room))
		}
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("the response is larger than %d bytes", limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readAtMost reads r up to limit bytes and returns what it read, cut at
// limit, with any read error.
func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(io.LimitReader(r, limit))
	return buf.Bytes(), err
}

// closeBody drains a little of the body, so the connection can be reused,
// and closes it.
func closeBody(body io.ReadCloser) {
	if body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

// Ptr returns a pointer to v, for the optional fields of request structs:
// gorgias.Ptr(true), gorgias.Ptr("subject").
func Ptr[T any](v T) *T { return &v }
