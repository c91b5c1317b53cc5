// Webhook reacts to tickets as they change, through an HTTP integration
// (Gorgias's webhooks), and catches up with Tickets.Changes after a
// downtime. Run it with
//
//	go run ./examples/webhook
//
// It runs against the embedded gorgiastest fake, which delivers as Gorgias
// does (a real account would need a public https:// URL for the
// receiver), in three steps:
//
//  1. it serves webhook.NewHandler on a loopback port and registers an
//     HTTP integration pointing at it (webhook.Register: calling it again
//     updates the same one);
//  2. it creates a ticket and adds a message: the fake calls the handler,
//     which prints each event with the ticket it fetched;
//  3. it stops the receiver, changes the ticket while it is down (the
//     delivery fails, is retried, and is given up), and on restart walks
//     Tickets.Changes since the last event it saw, so nothing is missed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	"github.com/go-gorgias/gorgias/webhook"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fake := gorgiastest.NewServer(gorgiastest.WithSeedData(gorgiastest.SeedConfig{Tickets: 20}), gorgiastest.WithoutRateLimit())
	defer fake.Close()
	if err := run(ctx, fake, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// receiver serves the handler on a loopback port, and remembers the last
// change it saw: where a catch-up with Changes starts.
type receiver struct {
	client *gorgias.Client
	out    io.Writer
	srv    *http.Server
	hook   *webhook.Handler
	url    string

	mu   sync.Mutex
	seen time.Time
}

func startReceiver(ctx context.Context, client *gorgias.Client, secret string, out io.Writer) (*receiver, error) {
	r := &receiver{client: client, out: out}
	r.hook = webhook.NewHandler(secret, r.handle)
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r.url = "http://" + l.Addr().String() + "/gorgias"
	mux := http.NewServeMux()
	mux.Handle("POST /gorgias", r.hook)
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = r.srv.Serve(l) }()
	return r, nil
}

// handle is called once per event: it fetches what changed through the API.
func (r *receiver) handle(ctx context.Context, ev webhook.Event) error {
	ticket, err := ev.Ticket(ctx, r.client)
	if err != nil {
		return err // 500: Gorgias retries the delivery
	}
	line := fmt.Sprintf("event %-22s ticket %d %q, %s", ev.Trigger, ticket.ID, gorgias.Deref(ticket.Subject), ticket.Status)
	if ev.MessageID != 0 {
		msg, err := ev.Message(ctx, r.client)
		if err != nil {
			return err
		}
		line += fmt.Sprintf(", message %d: %q", msg.ID, gorgias.Deref(msg.BodyText))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(r.out, line)
	if ev.UpdatedDatetime.After(r.seen) {
		r.seen = ev.UpdatedDatetime
	}
	return nil
}

func (r *receiver) lastSeen() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.seen }

func (r *receiver) stop(ctx context.Context) error {
	err := r.srv.Shutdown(ctx)
	return errors.Join(err, r.hook.Close(ctx))
}

func run(ctx context.Context, fake *gorgiastest.Server, out io.Writer) error {
	client := fake.Client()
	secret := "example-secret-0123456789abcdef" // in production: random, from your secret store

	recv, err := startReceiver(ctx, client, secret, out)
	if err != nil {
		return err
	}
	defer func() { _ = recv.stop(context.Background()) }()

	// 1. Register (or update) the HTTP integration.
	hook, err := webhook.Register(ctx, client, webhook.Config{Name: "example-webhook", URL: recv.url, Secret: secret})
	if err != nil {
		return fmt.Errorf("registering: %w", err)
	}
	if _, err := webhook.Register(ctx, client, webhook.Config{Name: "example-webhook", URL: recv.url, Secret: secret}); err != nil {
		return fmt.Errorf("registering again: %w", err)
	}
	fmt.Fprintf(out, "Registered HTTP integration %d %q for %v\n", hook.ID, hook.Name, webhook.DefaultTriggers())

	// 2. Changes arrive as events.
	ticket, err := client.Tickets.Create(ctx, &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "ada@example.com", Name: "Ada Lovelace"},
		Subject:  "Where is my order?",
		Messages: []gorgias.CreateMessageRequest{{Channel: gorgias.ChannelEmail, FromAgent: gorgias.Ptr(false),
			Sender: &gorgias.CustomerRef{Email: "ada@example.com"}, BodyText: "Order #1815 has not arrived."}},
	})
	if err != nil {
		return err
	}
	if err := fake.WaitDeliveries(ctx); err != nil {
		return err
	}
	if _, err := client.Messages.Create(ctx, ticket.ID, gorgias.InternalNote("Shipped yesterday, tracking sent.")); err != nil {
		return err
	}
	if err := fake.WaitDeliveries(ctx); err != nil {
		return err
	}

	// 3. The receiver goes down; the ticket changes meanwhile.
	checkpoint := recv.lastSeen()
	if err := recv.stop(ctx); err != nil {
		return err
	}
	fmt.Fprintln(out, "Receiver down.")
	if _, err := client.Tickets.Update(ctx, ticket.ID, &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed}); err != nil {
		return err
	}
	if err := fake.WaitDeliveries(ctx); err != nil {
		return err
	}
	d := fake.Deliveries()
	last := d[len(d)-1]
	fmt.Fprintf(out, "The %s delivery failed after %d attempts.\n", last.Trigger, last.Attempts)

	// Back up: catch up with what changed since the last event seen.
	// (Changes' checkpoint margin makes the last seen ticket come back too:
	// treat a ticket seen twice as an update.)
	fmt.Fprintf(out, "Back up: catching up with Tickets.Changes since the last event seen:\n")
	changes := client.Tickets.Changes(ctx, checkpoint)
	for t, err := range changes.All() {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  ticket %d %q, %s\n", t.ID, gorgias.Deref(t.Subject), t.Status)
	}
	next, err := changes.Checkpoint()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Next catch-up from %s; deliveries: %+v\n", next.Format(time.RFC3339), fake.Stats().Deliveries)
	return nil
}
