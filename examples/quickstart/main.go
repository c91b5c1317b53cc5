// Quickstart walks through the SDK's main calls: create a ticket with a
// customer's message, reply as an agent, tag it, set a dropdown custom
// field found by its label, list the open tickets with the iterator,
// close the ticket and read it back.
//
//	go run ./examples/quickstart
//
// With no credentials it runs against an embedded fake Gorgias
// (gorgiastest); set GORGIAS_ACCOUNT, GORGIAS_EMAIL and GORGIAS_API_KEY to
// run it against your account (it creates, then closes, one ticket, and
// sets its "Contact reason" when the account has that dropdown;
// GORGIAS_CUSTOM_FIELD_LABEL names another).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/examples/internal/exampleenv"
)

func main() {
	env, err := exampleenv.Connect(os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()

	label := "Contact reason" // a dropdown of the demo help desk, and of many accounts
	if env.Fake == nil && os.Getenv("GORGIAS_CUSTOM_FIELD_LABEL") != "" {
		label = os.Getenv("GORGIAS_CUSTOM_FIELD_LABEL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, env.Client, label, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run is the tutorial; label names a dropdown custom field to set.
func run(ctx context.Context, client *gorgias.Client, label string, out io.Writer) error {
	// 1. A customer writes in. SentDatetime set means "this message was
	// already sent": Gorgias records it and sends nothing.
	ticket, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "marie.curie@example.com", Name: "Marie Curie"},
		Subject:  "My mug arrived broken",
		Channel:  gorgias.ChannelEmail,
		Messages: []gorgias.CreateMessageRequest{{
			Channel:      gorgias.ChannelEmail,
			Via:          gorgias.ViaAPI,
			FromAgent:    gorgias.Ptr(false),
			Sender:       &gorgias.CustomerRef{Email: "marie.curie@example.com"},
			Subject:      "My mug arrived broken",
			BodyText:     "Hello, the mug from order #1042 arrived in pieces. Can I get a refund?",
			SentDatetime: gorgias.NewTime(time.Now()),
		}},
	})
	if err != nil {
		return fmt.Errorf("creating the ticket: %w", err)
	}
	fmt.Fprintf(out, "Created ticket %d: %q from %s\n", ticket.ID, ticket.GetSubject(), ticket.GetCustomer().GetEmail())

	// 2. An agent replies. Without SentDatetime, Gorgias sends the reply
	// to the customer by email.
	reply, err := client.Messages.Create(ctx, ticket.ID, &gorgias.CreateMessageRequest{
		Channel:   gorgias.ChannelEmail,
		Via:       gorgias.ViaAPI,
		FromAgent: gorgias.Ptr(true),
		Receiver:  &gorgias.CustomerRef{Email: "marie.curie@example.com"},
		BodyText:  "Sorry about that, Marie! A refund is on its way.",
	})
	if err != nil {
		return fmt.Errorf("replying: %w", err)
	}
	fmt.Fprintf(out, "Replied as an agent: message %d\n", reply.ID)

	// An internal note: only agents see it.
	if _, err := client.Messages.Create(ctx, ticket.ID, gorgias.InternalNote("Refund approved, order #1042.")); err != nil {
		return fmt.Errorf("adding a note: %w", err)
	}

	// 3. Tag it. Unknown tag names are created.
	if err := client.Tickets.AddTags(ctx, ticket.ID, &gorgias.TicketTagsRequest{Names: []string{"refund", "damaged"}}); err != nil {
		return fmt.Errorf("tagging: %w", err)
	}
	tags, err := client.Tickets.ListTags(ctx, ticket.ID)
	if err != nil {
		return fmt.Errorf("reading the tags: %w", err)
	}
	fmt.Fprintf(out, "Tagged with %d tags:", len(tags))
	for _, tag := range tags {
		fmt.Fprintf(out, " %s", tag.Name)
	}
	fmt.Fprintln(out)

	// 4. Set a dropdown custom field, found by its label: its definition
	// gives its id and its choices (dropdown values are strings).
	field, err := client.CustomFields.FindByLabel(ctx, gorgias.FieldObjectTicket, label)
	switch {
	case errors.Is(err, gorgias.ErrNotFound):
		fmt.Fprintf(out, "No custom field labelled %q: skipping it\n", label)
	case err != nil:
		return fmt.Errorf("finding the custom field: %w", err)
	case len(field.Definition.InputSettings.Choices) == 0:
		fmt.Fprintf(out, "Custom field %q is not a dropdown: skipping it\n", label)
	default:
		choice := field.Definition.InputSettings.Choices[0]
		value, err := client.Tickets.UpdateCustomField(ctx, ticket.ID, field.ID, choice)
		if err != nil {
			return fmt.Errorf("setting the custom field: %w", err)
		}
		fmt.Fprintf(out, "Set custom field %q (one of %d choices) to %s\n", value.Field.GetLabel(),
			len(field.Definition.InputSettings.Choices), value.Value)
	}

	// 5. List open tickets. All fetches pages of 100 as the loop goes;
	// break stops it.
	fmt.Fprintln(out, "Open tickets, newest first:")
	shown := 0
	for t, err := range client.Tickets.All(ctx, &gorgias.ListTicketsOptions{Trashed: gorgias.Ptr(false)}) {
		if err != nil {
			return fmt.Errorf("listing tickets: %w", err)
		}
		if t.Status != gorgias.StatusOpen {
			continue
		}
		subject := t.GetSubject() // "" when the ticket has none (null)
		if subject == "" {
			subject = "(no subject)"
		}
		fmt.Fprintf(out, "  #%d %s\n", t.ID, subject)
		if shown++; shown == 5 {
			break
		}
	}

	// 6. Close it, clearing any snooze: Null sends null, which clears a
	// field; fields left zero are not changed.
	if _, err := client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{
		Status:         gorgias.StatusClosed,
		SnoozeDatetime: gorgias.Null[gorgias.Time](),
	}); err != nil {
		return fmt.Errorf("closing: %w", err)
	}

	// 7. Read it back.
	final, err := client.Tickets.Get(ctx, ticket.ID, nil)
	if err != nil {
		return fmt.Errorf("reading the ticket back: %w", err)
	}
	fmt.Fprintf(out, "Ticket %d is %s with %d messages, closed at %s\n",
		final.ID, final.Status, len(final.Messages), final.GetClosedDatetime().Format(time.RFC3339))
	return nil
}
