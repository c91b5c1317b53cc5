// Shared-limit paces several workers of one Gorgias account through one
// rate limit held in Redis, as separate processes (or machines) of the
// account would: each worker has its own Redis client, its own
// redislimit.Limiter and its own gorgias.Client, and they share nothing
// but Redis.
//
//	eval "$(../../scripts/redis start)"    # a throwaway redis-server; prints REDIS_ADDR=…
//	REDIS_ADDR=$REDIS_ADDR go run .
//	../../scripts/redis stop "$REDIS_ADDR"
//
// By default the workers read from an embedded gorgiastest server whose
// bucket drains ten times faster than Gorgias's (40 requests per 2 s), and
// the program reports what each got and how many 429s the account saw.
// To run the workers as real processes, start a fake of your own
// (go run ../../cmd/gorgias-fake -rate-window 2s) and run this program in
// several terminals with -url http://127.0.0.1:8080 -workers 1.
//
// Without a Redis (REDIS_ADDR unset and nothing on 127.0.0.1:6379) it runs
// all the same: each Limiter logs once that it paces in process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/go-gorgias/gorgias/redislimit"
	"github.com/redis/go-redis/v9"
)

// config is what the flags set.
type config struct {
	redisAddr string
	url       string // a fake to use instead of the embedded one
	account   string
	workers   int
	duration  time.Duration
	logger    *slog.Logger
}

func main() {
	cfg := config{logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	defaultRedis := os.Getenv("REDIS_ADDR")
	if defaultRedis == "" {
		defaultRedis = "127.0.0.1:6379"
	}
	flag.StringVar(&cfg.redisAddr, "redis", defaultRedis, "Redis address (default $REDIS_ADDR, else 127.0.0.1:6379)")
	flag.StringVar(&cfg.url, "url", "", "base URL of a gorgias-fake to use instead of the embedded one")
	flag.StringVar(&cfg.account, "account", "acme", "the account whose bucket the workers share")
	flag.IntVar(&cfg.workers, "workers", 3, "workers, each with its own Limiter, as separate processes would have")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "how long the workers read")
	flag.Parse()
	// go-redis logs every failed dial; the Limiter says once when Redis
	// goes away and once when it is back.
	redis.SetLogger(quiet{})
	if err := run(context.Background(), cfg, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// The embedded fake's bucket, and so the Limiters' starting model: the API
// key's 40 requests per 20 s, ten times faster.
const (
	requests = 40
	window   = 2 * time.Second
)

// run starts the workers, waits for them and reports.
func run(ctx context.Context, cfg config, out io.Writer) error {
	baseURL := cfg.url
	var fake *gorgiastest.Server
	if baseURL == "" {
		fake = gorgiastest.NewServer(gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 50}),
			gorgiastest.WithRateLimit(requests, window))
		defer fake.Close()
		baseURL = fake.URL
		fmt.Fprintf(out, "An embedded gorgiastest server at %s, with a bucket of %d requests per %s.\n", baseURL, requests, window)
	}
	fmt.Fprintf(out, "%d workers share account %q's bucket through Redis at %s for %s.\n", cfg.workers, cfg.account, cfg.redisAddr, cfg.duration)

	ctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	counts := make([]int, cfg.workers)
	limiters := make([]*redislimit.Limiter, cfg.workers)
	errs := make(chan error, cfg.workers)
	var wg sync.WaitGroup
	for i := range cfg.workers {
		// What each process of the account does once at start.
		rdb := redis.NewClient(&redis.Options{Addr: cfg.redisAddr, ContextTimeoutEnabled: true})
		defer func() { _ = rdb.Close() }()
		limiter, err := redislimit.New(rdb, cfg.account, redislimit.WithRate(requests, window),
			redislimit.WithLogger(cfg.logger.With("worker", i)))
		if err != nil {
			return err
		}
		client, err := gorgias.NewClient("", gorgias.WithBaseURL(baseURL),
			gorgias.WithBasicAuth(gorgiastest.DefaultEmail, gorgiastest.DefaultAPIKey),
			gorgias.WithRateLimiter(limiter))
		if err != nil {
			return err
		}
		limiters[i] = limiter

		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 10}})
				switch {
				case err == nil:
					counts[i]++
				case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
					return // the time is up, or no slot is left before it is
				default:
					errs <- fmt.Errorf("worker %d: %w", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}

	total := 0
	for i, n := range counts {
		where := "through Redis"
		if !limiters[i].Shared() {
			where = "in process (Redis did not answer)"
		}
		fmt.Fprintf(out, "  worker %d: %d requests, paced %s\n", i, n, where)
		total += n
	}
	st := limiters[0].State()
	fmt.Fprintf(out, "Together: %d requests in %s (%.1f/s); the bucket's last level %d/%d, draining in %s.\n",
		total, cfg.duration, float64(total)/cfg.duration.Seconds(), st.Used, st.Limit, st.Window.Round(10*time.Millisecond))
	if fake != nil {
		allowed := requests + cfg.duration.Seconds()*requests/window.Seconds()
		fmt.Fprintf(out, "The account allowed %.0f; it answered %d with 429.\n", allowed, fake.Stats().RateLimited)
	}
	return nil
}
