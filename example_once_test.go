//go:build !mutation

package gorgias_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
)

// An order system opens one ticket per failed delivery. CreateOnce, keyed
// by the order's id, never opens a second one, even when the answer to the
// create is lost and the program tries again.
func ExampleTicketsService_CreateOnce() {
	srv := gorgiastest.NewServer(gorgiastest.WithoutRateLimit())
	defer srv.Close()
	client := srv.Client(gorgias.WithoutRateLimit())
	ctx := context.Background()

	req := &gorgias.CreateTicketRequest{
		ExternalID: "delivery-failed-1042",
		Customer:   &gorgias.CustomerRef{Email: "marie.curie@example.com"},
		Subject:    "Order #1042 could not be delivered",
		Messages: []gorgias.CreateMessageRequest{{
			Channel: gorgias.ChannelAPI, FromAgent: gorgias.Ptr(false), BodyText: "The carrier returned the parcel.",
		}},
	}
	first, created, err := client.Tickets.CreateOnce(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("first run created a ticket:", created)

	again, created, err := client.Tickets.CreateOnce(ctx, req) // a retry of the whole job
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("second run created a ticket:", created, "- same ticket:", again.ID == first.ID)
	// Output:
	// first run created a ticket: true
	// second run created a ticket: false - same ticket: true
}

// Upsert makes Gorgias match a record of your own, whether or not its
// ticket exists yet, and says which it did.
func ExampleTicketsService_Upsert() {
	srv := gorgiastest.NewServer(gorgiastest.WithoutRateLimit())
	defer srv.Close()
	client := srv.Client(gorgias.WithoutRateLimit())
	ctx := context.Background()

	create := &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "marie.curie@example.com"},
		Subject:  "Return RMA-77",
		Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelAPI, FromAgent: gorgias.Ptr(false), BodyText: "Return opened."}},
	}
	update := &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed}
	for range 2 {
		ticket, result, err := client.Tickets.Upsert(ctx, "rma-77", create, update)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(result, ticket.Status)
	}
	// Output:
	// created open
	// updated closed
}

// A warehouse sync takes the tickets changed since its last run, and saves
// the checkpoint for the next one.
func ExampleTicketsService_Changes() {
	srv := gorgiastest.NewServer(gorgiastest.WithoutRateLimit(), gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 40}))
	defer srv.Close()
	client := srv.Client(gorgias.WithoutRateLimit())
	ctx := context.Background()

	var checkpoint time.Time // the first run takes everything
	changes := client.Tickets.Changes(ctx, checkpoint)
	n := 0
	for _, err := range changes.All() {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	checkpoint, err := changes.Checkpoint()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("first run:", n, "tickets; checkpoint set:", !checkpoint.IsZero())
	// Output: first run: 40 tickets; checkpoint set: true
}

// Custom field values refer to definitions by id: find the definition by
// its label, then set a ticket's value to one of its choices.
func ExampleCustomFieldsService_FindByLabel() {
	srv := gorgiastest.NewServer(gorgiastest.WithoutRateLimit(), gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 5}))
	defer srv.Close()
	client := srv.Client(gorgias.WithoutRateLimit())
	ctx := context.Background()

	reason, err := client.CustomFields.FindByLabel(ctx, gorgias.FieldObjectTicket, "contact reason")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reason.GetLabel(), reason.Definition.InputSettings.InputType)
	choice := reason.Definition.InputSettings.Choices[0]

	ticket, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "marie.curie@example.com"},
		Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelAPI, FromAgent: gorgias.Ptr(false), BodyText: "Where is my order?"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	value, err := client.Tickets.UpdateCustomField(ctx, ticket.ID, reason.ID, choice)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("set to", value.Value)
	// Output:
	// Contact reason dropdown
	// set to Order::Status::Delivered
}
