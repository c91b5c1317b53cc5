// Command gorgias-mcp serves the Gorgias tickets API to AI assistants as
// Model Context Protocol tools: the 36 operations of the catalog
// (gorgias_tickets_*), each calling the typed SDK.
//
//	cd cmd/gorgias-mcp && go run . -fake        # try it: an embedded fake helpdesk, no account
//	gorgias-mcp                                 # stdio, for desktop MCP clients
//	gorgias-mcp -http 127.0.0.1:8787            # streamable HTTP at http://127.0.0.1:8787/mcp
//
// Credentials come only from the environment: GORGIAS_ACCOUNT with
// GORGIAS_EMAIL and GORGIAS_API_KEY, or with GORGIAS_ACCESS_TOKEN. They are
// never written to a tool result or to the log (stderr): every result,
// error text and log line goes through a redactor that hides them (and
// their Authorization-header forms), should Gorgias or a proxy echo one.
package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "gorgias-mcp:", err)
		os.Exit(1)
	}
}

// config is what the flags and the environment say.
type config struct {
	httpAddr         string
	allowNonLoopback bool
	readOnly         bool
	fake             bool
	baseURL          string
	timeout          time.Duration
	logLevel         slog.Level
}

// run parses args, builds the Gorgias client from the environment (or the
// embedded fake), and serves MCP on stdin/stdout or over HTTP until ctx
// ends or, on stdio, the client hangs up.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	redact := newRedactor(credentialsFromGetenv(getenv))
	return redact.err(serve(ctx, args, getenv, redact, stdin, stdout, stderr))
}

// serve is run's body; run hides the credentials in the error it returns.
func serve(ctx context.Context, args []string, getenv func(string) string, redact *redactor, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(redact.logHandler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel})))
	if cfg.httpAddr != "" {
		if err := checkBind(cfg.httpAddr, cfg.allowNonLoopback); err != nil {
			return err
		}
	}

	client, where, closeFake, err := newClient(cfg, getenv, logger)
	if err != nil {
		return err
	}
	defer closeFake()
	server, err := newServer(client, serverOptions{readOnly: cfg.readOnly, timeout: cfg.timeout, logger: logger, redact: redact})
	if err != nil {
		return err
	}
	mode := "read-write"
	if cfg.readOnly {
		mode = "read-only"
	}
	if cfg.httpAddr == "" {
		logger.Info("gorgias-mcp serving on stdio", "gorgias", where, "mode", mode)
		if isTerminal(stdin) {
			logger.Info("stdin is a terminal: an MCP client is meant to start gorgias-mcp and talk to it over stdin/stdout " +
				"(see the README for the configuration), or serve HTTP with -http 127.0.0.1:8787; Ctrl-C stops it")
		}
		err := server.Run(ctx, &mcp.IOTransport{Reader: io.NopCloser(stdin), Writer: nopWriteCloser{stdout}})
		if err != nil && ctx.Err() == nil && !errors.Is(err, io.EOF) {
			return err
		}
		return nil
	}
	return serveHTTP(ctx, server, cfg, getenv, logger, where, mode)
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("gorgias-mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.httpAddr, "http", "", "serve streamable HTTP on this address, such as 127.0.0.1:8787 (endpoint /mcp), instead of stdio")
	fs.BoolVar(&cfg.allowNonLoopback, "allow-non-loopback", false, "let -http bind an address other than loopback (anyone who reaches it acts with your Gorgias credentials: set GORGIAS_MCP_TOKEN)")
	fs.BoolVar(&cfg.readOnly, "read-only", false, "serve only the tools that read (list and get)")
	fs.BoolVar(&cfg.fake, "fake", false, "run against an embedded in-memory Gorgias with generated data (no account, nothing leaves the machine)")
	fs.StringVar(&cfg.baseURL, "base-url", "", "send requests to this server instead of https://$GORGIAS_ACCOUNT.gorgias.com (a proxy, or cmd/gorgias-fake); http:// only for loopback")
	fs.DurationVar(&cfg.timeout, "timeout", 2*time.Minute, "longest a tool call may take, rate-limit waits and retries included")
	level := fs.String("log-level", "info", "log level on stderr: debug, info, warn or error")
	fs.Usage = func() {
		fmt.Fprint(stderr, `gorgias-mcp serves the Gorgias tickets API as MCP tools, over stdio (default) or streamable HTTP.

Credentials come from the environment only:
  GORGIAS_ACCOUNT        the helpdesk's subdomain ("acme" for acme.gorgias.com)
  GORGIAS_EMAIL and GORGIAS_API_KEY    a user's REST API key, or
  GORGIAS_ACCESS_TOKEN   an OAuth2 access token
  GORGIAS_MCP_TOKEN      optional: with -http, clients must send "Authorization: Bearer <it>"

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q: credentials are read from the environment, not the command line", fs.Args())
	}
	if err := cfg.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return cfg, fmt.Errorf("-log-level: %w", err)
	}
	if cfg.fake && cfg.baseURL != "" {
		return cfg, errors.New("-fake and -base-url do not go together")
	}
	if cfg.timeout < 0 {
		return cfg, errors.New("-timeout cannot be negative")
	}
	return cfg, nil
}

// newClient makes the Gorgias client: on the embedded fake with -fake,
// otherwise with the environment's credentials. where describes the
// target for the log, without secrets.
func newClient(cfg config, getenv func(string) string, logger *slog.Logger) (client *gorgias.Client, where string, closeFake func(), err error) {
	common := []gorgias.Option{gorgias.WithUserAgent("gorgias-mcp/" + gorgias.Version), gorgias.WithLogger(logger)}
	if cfg.fake {
		if getenv("GORGIAS_EMAIL") != "" || getenv("GORGIAS_API_KEY") != "" || getenv("GORGIAS_ACCESS_TOKEN") != "" {
			logger.Warn("-fake ignores the GORGIAS_* credentials in the environment")
		}
		srv, err := gorgiastest.Listen("127.0.0.1:0", gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 100}))
		if err != nil {
			return nil, "", nil, fmt.Errorf("starting the embedded fake: %w", err)
		}
		return srv.Client(common...), "embedded fake at " + srv.URL, srv.Close, nil
	}
	auth, err := credentialsFromEnv(getenv)
	if err != nil {
		return nil, "", nil, err
	}
	account := strings.TrimSpace(getenv("GORGIAS_ACCOUNT"))
	opts := append(common, auth)
	if cfg.baseURL != "" {
		opts = append(opts, gorgias.WithBaseURL(cfg.baseURL))
	} else if account == "" {
		return nil, "", nil, errors.New("GORGIAS_ACCOUNT is not set: give the helpdesk's subdomain (\"acme\" for acme.gorgias.com), or run with -fake to try gorgias-mcp without an account")
	}
	client, err = gorgias.NewClient(account, opts...)
	if err != nil {
		return nil, "", nil, err
	}
	return client, client.BaseURL(), func() {}, nil
}

// credentialsFromEnv reads GORGIAS_EMAIL and GORGIAS_API_KEY, or
// GORGIAS_ACCESS_TOKEN. Its errors name variables, never values.
func credentialsFromEnv(getenv func(string) string) (gorgias.Option, error) {
	email, key, token := strings.TrimSpace(getenv("GORGIAS_EMAIL")), strings.TrimSpace(getenv("GORGIAS_API_KEY")), strings.TrimSpace(getenv("GORGIAS_ACCESS_TOKEN"))
	basic := email != "" || key != ""
	switch {
	case basic && token != "":
		return nil, errors.New("both GORGIAS_ACCESS_TOKEN and GORGIAS_EMAIL/GORGIAS_API_KEY are set: set only one kind of credentials")
	case token != "":
		return gorgias.WithBearerToken(token), nil
	case email == "" && key == "":
		return nil, errors.New("no credentials: set GORGIAS_EMAIL and GORGIAS_API_KEY (Settings → REST API), or GORGIAS_ACCESS_TOKEN; or run with -fake to try gorgias-mcp without an account")
	case email == "":
		return nil, errors.New("GORGIAS_API_KEY is set but GORGIAS_EMAIL is not")
	case key == "":
		return nil, errors.New("GORGIAS_EMAIL is set but GORGIAS_API_KEY is not")
	}
	return gorgias.WithBasicAuth(email, key), nil
}

// checkBind refuses to listen beyond loopback unless allowed: whoever
// reaches the port acts with the account's credentials.
func checkBind(addr string, allowed bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-http %q: %w", addr, err)
	}
	if isLoopback(host) || allowed {
		return nil
	}
	shown := host
	if shown == "" {
		shown = "every interface"
	}
	return fmt.Errorf("-http %s: refusing to listen on %s, which is not loopback: whoever reaches it acts with your Gorgias credentials. "+
		"Use 127.0.0.1 or localhost, or add -allow-non-loopback (and set GORGIAS_MCP_TOKEN)", addr, shown)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveHTTP serves the streamable HTTP transport at /mcp until ctx ends.
func serveHTTP(ctx context.Context, server *mcp.Server, cfg config, getenv func(string) string, logger *slog.Logger, where, mode string) error {
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.httpAddr)
	if err != nil {
		return err
	}
	handler := httpHandler(server, getenv("GORGIAS_MCP_TOKEN"))
	if getenv("GORGIAS_MCP_TOKEN") == "" && !isLoopback(hostOf(cfg.httpAddr)) {
		logger.Warn("serving beyond loopback without GORGIAS_MCP_TOKEN: anyone who reaches the port acts with your Gorgias credentials")
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	logger.Info("gorgias-mcp serving streamable HTTP", "url", "http://"+l.Addr().String()+"/mcp", "gorgias", where, "mode", mode,
		"token_required", getenv("GORGIAS_MCP_TOKEN") != "")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
		return nil
	}
}

func hostOf(addr string) string {
	host, _, _ := net.SplitHostPort(addr)
	return host
}

// httpHandler serves MCP at /mcp, refusing cross-origin browser requests
// and, when token is set, requests without "Authorization: Bearer token".
// The SDK's handler also refuses DNS-rebinding requests on loopback.
func httpHandler(server *mcp.Server, token string) http.Handler {
	mcpHandler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server },
		&mcp.StreamableHTTPOptions{SessionTimeout: 30 * time.Minute})
	var h http.Handler = mcpHandler
	if token != "" {
		want := []byte("Bearer " + token)
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="gorgias-mcp"`)
				http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	mux := http.NewServeMux()
	mux.Handle("/mcp", http.NewCrossOriginProtection().Handler(h))
	return mux
}

// isTerminal reports whether r is a terminal, where a person rather than
// an MCP client would be typing. A character device is not enough:
// /dev/null is one, and is what a service manager gives as stdin.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// nopWriteCloser keeps the server from closing the process's stdout.
type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
