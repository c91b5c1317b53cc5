package gorgiastest_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/go-gorgias/gorgias/webhook"
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
	fmt.Println(ticket.GetSubject(), ticket.Status, len(ticket.Messages), ticket.GetCustomer().GetName())
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

func ExampleFault() {
	// The 3rd create commits, then its connection drops: the client gets
	// an error, yet the ticket exists, and shows only 30 s later.
	srv := gorgiastest.NewServer(gorgiastest.WithoutRateLimit(), gorgiastest.WithClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)),
		gorgiastest.WithFault(gorgiastest.Fault{On: "POST /api/tickets", Call: 3, Kind: gorgiastest.FaultCommitThenDrop,
			VisibleAfter: 30 * time.Second}))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	for i := range 3 {
		_, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
			ExternalID: fmt.Sprintf("order-%d", i+1),
			Customer:   &gorgias.CustomerRef{Email: "marie@example.com"},
			Messages:   []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: "Hi"}},
		})
		fmt.Println("create", i+1, "failed:", err != nil)
	}
	third := &gorgias.ListTicketsOptions{ExternalID: "order-3"}
	page, _ := client.Tickets.List(ctx, third)
	fmt.Println("order-3 listed:", len(page.Data))
	srv.Advance(30 * time.Second)
	page, _ = client.Tickets.List(ctx, third)
	fmt.Println("30 s later:", len(page.Data), "of", srv.TicketCount())
	// Output:
	// create 1 failed: false
	// create 2 failed: false
	// create 3 failed: true
	// order-3 listed: 0
	// 30 s later: 1 of 3
}

func ExampleServer_Views() {
	srv := gorgiastest.NewServer(gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 100}))
	defer srv.Close()
	for _, v := range srv.Views()[:2] {
		page, err := srv.Client().Tickets.List(context.Background(), &gorgias.ListTicketsOptions{ViewID: v.ID})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: status %s, first page %d tickets\n", v.Name, v.Filter.Status, len(page.Data))
	}
	// Output:
	// Open tickets: status open, first page 30 tickets
	// Closed tickets: status closed, first page 30 tickets
}

func ExampleServer_HandleDeliveries() {
	// In a test, inside synctest.Test(t, func(t *testing.T) { … }) and
	// with gorgiastest.NewTestServer(t): no socket, no wall time.
	srv := gorgiastest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	secret := "a-long-random-test-secret"
	h := webhook.NewHandler(secret, func(_ context.Context, ev webhook.Event) error {
		fmt.Println(ev.Trigger, ev.MessageID != 0)
		return nil
	})
	srv.HandleDeliveries("https://hooks.test", h) // deliveries to https://hooks.test/… reach h in memory

	client := srv.Client()
	if _, err := webhook.Register(ctx, client, webhook.Config{Name: "events", URL: "https://hooks.test/gorgias", Secret: secret}); err != nil {
		log.Fatal(err)
	}
	ticket, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "marie@example.com"},
		Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false), BodyText: "It broke."}},
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Messages.Create(ctx, ticket.ID, gorgias.InternalNote("Replacing it.")); err != nil {
		log.Fatal(err)
	}
	if err := srv.WaitDeliveries(ctx); err != nil {
		log.Fatal(err)
	}
	// Output:
	// ticket-created false
	// ticket-message-created true
}
