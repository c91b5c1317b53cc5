//go:build !mutation

package gorgias_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/go-gorgias/gorgias"
)

// exampleServer stands in for a Gorgias account in the examples.
func exampleServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/api/tickets":
			if r.URL.Query().Get("cursor") == "" {
				fmt.Fprint(w, `{"object":"list","data":[{"id":1,"status":"open","subject":"Where is my order?"},{"id":2,"status":"open","subject":"Refund"}],"meta":{"next_cursor":"c2","prev_cursor":null}}`)
				return
			}
			fmt.Fprint(w, `{"object":"list","data":[{"id":3,"status":"closed","subject":"Thanks!"}],"meta":{"next_cursor":null,"prev_cursor":"c1"}}`)
		case r.Method == http.MethodPost:
			fmt.Fprint(w, `{"id":82759724,"status":"open","subject":"Refund request for order #1042","created_datetime":"2026-08-26T19:25:16.763796+00:00"}`)
		default:
			fmt.Fprint(w, `{"id":82759724,"status":"open","subject":"Refund request for order #1042","snooze_datetime":null,"assignee_user":null}`)
		}
	}))
}

func ExampleNewClient() {
	// A private integration authenticates with a user's email and REST
	// API key (Settings → REST API in the helpdesk).
	client, err := gorgias.NewClient("acme",
		gorgias.WithBasicAuth("agent@acme.example", os.Getenv("GORGIAS_API_KEY")+"api-key"),
		gorgias.WithUserAgent("order-sync/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	// Output: https://acme.gorgias.com/api/
}

func ExampleTicketsService_Create() {
	srv := exampleServer()
	defer srv.Close()
	client, _ := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))

	ticket, err := client.Tickets.Create(context.Background(), &gorgias.CreateTicketRequest{
		Customer: &gorgias.CustomerRef{Email: "marie.curie@example.com", Name: "Marie Curie"},
		Subject:  "Refund request for order #1042",
		Channel:  gorgias.ChannelEmail,
		Messages: []gorgias.CreateMessageRequest{{
			Channel:   gorgias.ChannelEmail,
			Via:       gorgias.ViaAPI,
			FromAgent: gorgias.Ptr(false),
			Sender:    &gorgias.CustomerRef{Email: "marie.curie@example.com"},
			BodyText:  "The mug arrived broken. Can I get a refund?",
			// Set: the message is imported as already received, and
			// Gorgias sends nothing.
			SentDatetime: gorgias.NewTime(time.Date(2026, 8, 26, 19, 25, 16, 0, time.UTC)),
		}},
	})
	var verr *gorgias.ValidationError
	if errors.As(err, &verr) {
		log.Fatal("bad input, nothing was sent: ", verr)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ticket.ID, ticket.Status, ticket.GetSubject())
	// Output: 82759724 open Refund request for order #1042
}

func ExampleTicketsService_All() {
	srv := exampleServer()
	defer srv.Close()
	client, _ := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))

	// All fetches pages of 100 as the loop advances; break stops it.
	opts := &gorgias.ListTicketsOptions{OrderBy: gorgias.TicketOrderCreatedAsc, Trashed: gorgias.Ptr(false)}
	for ticket, err := range client.Tickets.All(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ticket.ID, ticket.Status, ticket.GetSubject())
	}
	// Output:
	// 1 open Where is my order?
	// 2 open Refund
	// 3 closed Thanks!
}

func ExampleTicketsService_Update() {
	srv := exampleServer()
	defer srv.Close()
	client, _ := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))

	// Fields left zero are not sent. Null clears a field: here the ticket
	// is un-snoozed and unassigned, and its priority raised.
	ticket, err := client.Tickets.Update(context.Background(), 82759724, &gorgias.UpdateTicketRequest{
		Priority:       gorgias.PriorityHigh,
		SnoozeDatetime: gorgias.Null[gorgias.Time](),
		AssigneeUser:   gorgias.Null[gorgias.IDRef](),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ticket.ID, ticket.SnoozeDatetime == nil, ticket.AssigneeUser == nil)
	// Output: 82759724 true true
}

func ExampleError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "8593a1fc")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"msg":"Resource not found."}}`)
	}))
	defer srv.Close()
	client, _ := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))

	_, err := client.Tickets.Get(context.Background(), 404, nil)
	if errors.Is(err, gorgias.ErrNotFound) {
		fmt.Println("no such ticket")
	}
	var apiErr *gorgias.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message, apiErr.RequestID)
	}
	// Output:
	// no such ticket
	// 404 Resource not found. 8593a1fc
}

// ticketCloser is what closeIfAnswered needs from Gorgias: a small
// interface of the program's own, which *gorgias.TicketsService satisfies.
type ticketCloser interface {
	Get(ctx context.Context, id int64, opts *gorgias.GetTicketOptions, callOpts ...gorgias.CallOption) (*gorgias.Ticket, error)
	Update(ctx context.Context, id int64, req *gorgias.UpdateTicketRequest, callOpts ...gorgias.CallOption) (*gorgias.Ticket, error)
}

// closeIfAnswered closes an open ticket whose last message was sent.
func closeIfAnswered(ctx context.Context, tickets ticketCloser, id int64) (bool, error) {
	t, err := tickets.Get(ctx, id, nil)
	if err != nil {
		return false, err
	}
	if t.Status != gorgias.StatusOpen || t.LastMessageDatetime == nil {
		return false, nil
	}
	_, err = tickets.Update(ctx, id, &gorgias.UpdateTicketRequest{Status: gorgias.StatusClosed})
	return err == nil, err
}

// fakeTickets is a hand-written fake for closeIfAnswered's tests.
type fakeTickets struct {
	ticket gorgias.Ticket
	closed []int64
}

func (f *fakeTickets) Get(_ context.Context, id int64, _ *gorgias.GetTicketOptions, _ ...gorgias.CallOption) (*gorgias.Ticket, error) {
	t := f.ticket
	t.ID = id
	return &t, nil
}

func (f *fakeTickets) Update(_ context.Context, id int64, req *gorgias.UpdateTicketRequest, _ ...gorgias.CallOption) (*gorgias.Ticket, error) {
	f.closed = append(f.closed, id)
	return &gorgias.Ticket{ID: id, Status: req.Status}, nil
}

// A program can depend on a small interface of its own rather than on the
// SDK: *gorgias.TicketsService satisfies it, and so does a fake in tests.
func Example_consumerInterface() {
	client, _ := gorgias.NewClient("acme", gorgias.WithBasicAuth("agent@acme.example", "api-key"))
	var _ ticketCloser = client.Tickets // the real service fits

	fake := &fakeTickets{ticket: gorgias.Ticket{Status: gorgias.StatusOpen, LastMessageDatetime: gorgias.NewTime(time.Now())}}
	closed, err := closeIfAnswered(context.Background(), fake, 42)
	fmt.Println(closed, err, fake.closed)
	// Output: true <nil> [42]
}
