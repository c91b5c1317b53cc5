package gorgiastest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
)

func Example() {
	srv := gorgiastest.NewServer() // in a test: gorgiastest.NewTestServer(t)
	defer srv.Close()
	client := srv.Client() // already pointed at the fake, with its credentials
	ctx := context.Background()

	created, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "marie@example.com", Name: "Marie Curie"},
		Subject:  "Broken mug",
		Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: "It broke."}},
	})
	if err != nil {
		log.Fatal(err)
	}
	ticket, err := client.Tickets.Get(ctx, created.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*ticket.Subject, ticket.Status, len(ticket.Messages), *ticket.Customer.Name)
	fmt.Println(srv.TicketCount(), "ticket")
	// Output:
	// Broken mug open 1 Marie Curie
	// 1 ticket
}

func ExampleWithFaults() {
	// A flaky account: a fifth of the answers are 5xx. Reads ride it out
	// with the SDK's retries.
	srv := gorgiastest.NewServer(
		gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 150}),
		gorgiastest.WithFaults(gorgiastest.Faults{ServerErrorRate: 0.2, Seed: 1}),
	)
	defer srv.Close()
	client := srv.Client(gorgias.WithRetryPolicy(5, 0, 0))

	n := 0
	for _, err := range client.Tickets.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "tickets read")
	// Output: 150 tickets read
}
