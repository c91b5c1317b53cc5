package redislimit_test

import (
	"context"
	"fmt"
	"log"

	"github.com/alicebob/miniredis/v2"
	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/go-gorgias/gorgias/redislimit"
	"github.com/redis/go-redis/v9"
)

// Every process of the account makes a Limiter for the account on the
// same Redis, and paces its client through it.
func Example() {
	// miniredis stands in for your Redis here, gorgiastest for Gorgias.
	server, err := miniredis.Run()
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	fake := gorgiastest.NewServer()
	defer fake.Close()

	rdb := redis.NewClient(&redis.Options{
		Addr:                  server.Addr(),
		ContextTimeoutEnabled: true, // lets the Limiter's timeout cut a slow call short
	})
	defer func() { _ = rdb.Close() }()
	limiter, err := redislimit.New(rdb, "acme") // 40 requests per 20 s until the answers say more
	if err != nil {
		log.Fatal(err)
	}
	client := fake.Client(gorgias.WithRateLimiter(limiter))

	if _, err := client.Tags.List(context.Background(), nil); err != nil {
		log.Fatal(err)
	}
	st, _ := client.RateLimit()
	fmt.Printf("shared through Redis: %v; the bucket holds %d of %d requests\n", limiter.Shared(), st.Used, st.Limit)
	fmt.Println("key:", limiter.Key())
	// Output:
	// shared through Redis: true; the bucket holds 1 of 40 requests
	// key: gorgias:ratelimit:{acme}
}
