// Command gorgias-fake serves the in-memory Gorgias of package gorgiastest
// (the gorgiastest directory of this module) over HTTP, for testing
// Gorgias clients written in any language, or trying the API with curl:
//
//	go run ./cmd/gorgias-fake -addr 127.0.0.1:8080
//
// It prints the base URL, the credentials it accepts and the ids of the
// seeded views and ticket custom fields, and stops on Ctrl-C. -h lists the
// flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/go-gorgias/gorgias/gorgiastest"
)

func main() {
	os.Exit(exitCode(run(os.Args[1:], os.Stdout, waitForSignal)))
}

// exitCode is 0 for success and for -h (the flag package printed the
// usage), 2 for other flag errors and 1 for the rest.
func exitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(flagError)):
		return 2
	}
	log.Print(err)
	return 1
}

// flagError is a flag the flag package refused; it printed why.
type flagError struct{ error }

func waitForSignal() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}

// run parses the flags, starts the fake, describes it on out and serves
// until wait returns.
func run(args []string, out io.Writer, wait func()) error {
	fs := flag.NewFlagSet("gorgias-fake", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (loopback by default)")
	tickets := fs.Int("tickets", 300, "how many tickets to seed (0: an empty help desk)")
	seed := fs.Uint64("seed", 1, "seed of the generated data and of the faults")
	limit := fs.Int("rate-limit", 40, "leaky bucket size for the API key, in requests; the bearer token's is twice as large, as OAuth2 apps get (0: no rate limit)")
	window := fs.Duration("rate-window", 20*time.Second, "time the full bucket takes to drain")
	errorRate := fs.Float64("error-rate", 0, "share of requests answered with a 5xx")
	dropRate := fs.Float64("drop-rate", 0, "share of connections dropped without an answer")
	limitedRate := fs.Float64("429-rate", 0, "share of requests answered with a 429")
	latency := fs.Duration("latency", 0, "delay added to every answer")
	fs.SetOutput(out)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return flagError{err}
	}
	opts := []gorgiastest.Option{
		gorgiastest.WithFaults(gorgiastest.Faults{ServerErrorRate: *errorRate, DropRate: *dropRate,
			RateLimitRate: *limitedRate, Latency: *latency, Seed: *seed}),
	}
	if *limit > 0 {
		opts = append(opts, gorgiastest.WithRateLimit(*limit, *window))
	} else {
		opts = append(opts, gorgiastest.WithoutRateLimit())
	}
	if *tickets > 0 {
		opts = append(opts, gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: *tickets, Seed: *seed}))
	}
	srv, err := gorgiastest.Listen(*addr, opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(out, "gorgias-fake: an in-memory Gorgias with %d tickets at %s/api/\n", srv.TicketCount(), srv.URL)
	fmt.Fprintf(out, "  Basic auth: email %s, API key %s\n", srv.Email, srv.APIKey)
	fmt.Fprintf(out, "  Bearer token: %s\n", srv.BearerToken)
	for _, v := range srv.Views() {
		fmt.Fprintf(out, "  view %d: %s (GET /api/tickets?view_id=%d)\n", v.ID, v.Name, v.ID)
	}
	var fields []string
	for _, f := range srv.CustomFields() {
		if f.ObjectType == "Ticket" && !f.Archived && f.Label != "" {
			fields = append(fields, fmt.Sprintf("%d %s", f.ID, f.Label))
		}
	}
	fmt.Fprintf(out, "  ticket custom fields: %s (GET /api/custom-fields?object_type=Ticket)\n", strings.Join(fields, ", "))
	fmt.Fprintf(out, "  try: curl -u '%s:%s' '%s/api/tickets?limit=2'\n", srv.Email, srv.APIKey, srv.URL)
	fmt.Fprintln(out, "  Ctrl-C stops it.")
	wait()
	return nil
}
