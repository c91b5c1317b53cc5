package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/go-gorgias/gorgias/webhook"
)

func ExampleNewHandler() {
	secret := "a-long-random-secret-from-your-vault"
	h := webhook.NewHandler(secret, func(ctx context.Context, ev webhook.Event) error {
		// Fetch what changed through the API (ev.Ticket, ev.Message) and
		// act on it; an error answers 500, and Gorgias retries.
		fmt.Println(ev.Trigger, ev.TicketID, ev.MessageID)
		return nil
	})
	defer func() { _ = h.Close(context.Background()) }()
	srv := httptest.NewServer(h)
	defer srv.Close()

	// What Gorgias sends for a new message, twice (a retry).
	for range 2 {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(
			`{"trigger":"ticket-message-created","ticket_id":"82759724","message_id":"218874102","updated_datetime":"2026-11-20T10:05:00.123456"}`))
		req.Header.Set(webhook.SecretHeader, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		_ = resp.Body.Close()
		fmt.Println(resp.Status)
	}
	// Output:
	// ticket-message-created 82759724 218874102
	// 200 OK
	// 200 OK
}

func ExampleWithAsync() {
	secret := "a-long-random-secret-from-your-vault"
	worked := make(chan int64, 1)
	// Acknowledge at once, and run the work after, four at a time, with
	// up to 100 deliveries waiting.
	h := webhook.NewHandler(secret, func(ctx context.Context, ev webhook.Event) error {
		worked <- ev.TicketID // the slow work goes here
		return nil
	}, webhook.WithAsync(4, 100))
	srv := httptest.NewServer(h)
	defer srv.Close()

	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(`{"trigger":"ticket-created","ticket_id":"42"}`))
	req.Header.Set(webhook.SecretHeader, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	_ = resp.Body.Close()
	fmt.Println(resp.Status)
	fmt.Println("worked on ticket", <-worked)
	// Close waits for queued work (give it a deadline in a server's shutdown).
	_ = h.Close(context.Background())
	// Output:
	// 202 Accepted
	// worked on ticket 42
}

func ExampleParseTrigger() {
	for _, name := range []string{"ticket-created", "ticket_message_created"} {
		t, _ := webhook.ParseTrigger(name)
		fmt.Println(t, t.Known())
	}
	// Output:
	// ticket-created true
	// ticket-message-created true
}
