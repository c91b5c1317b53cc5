//go:build !mutation

package gorgias_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/go-gorgias/gorgias"
)

// echoServer answers like Gorgias and echoes in its answers what it
// received, so the examples print what the SDK sent.
func echoServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req-"+r.Header.Get("X-Correlation-Id"))
		w.Header().Set("X-Gorgias-Account-Api-Call-Limit", "3/40")
		switch r.URL.Path {
		case "/api/customers":
			if r.URL.Query().Get("cursor") == "" {
				fmt.Fprintf(w, `{"data":[{"id":1,"email":"ada@example.com"}],"meta":{"next_cursor":"c2"}}`)
				return
			}
			fmt.Fprintf(w, `{"data":[{"id":2,"email":"%s@example.com"}],"meta":{"next_cursor":null}}`, r.URL.Query().Get("channel"))
		case "/api/customers/7":
			fmt.Fprintf(w, `{"id":7,"email":"marie@example.com","name":"Marie Curie","channel_seen":%q}`, r.URL.Query().Get("relationships"))
		default:
			fmt.Fprintf(w, `{"id":82759724,"status":"open","subject":"Seen with %s"}`, r.Header.Get("X-Correlation-Id"))
		}
	}))
}

// Call options change one call: here a header, a timeout for all its
// attempts, no retries, and capturing the answer's metadata.
func ExampleCallOption() {
	srv := echoServer()
	defer srv.Close()
	client, err := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))
	if err != nil {
		log.Fatal(err)
	}
	var meta gorgias.ResponseMeta
	ticket, err := client.Tickets.Get(context.Background(), 82759724, nil,
		gorgias.CallHeader("X-Correlation-Id", "job-42"),
		gorgias.CallTimeout(5*time.Second),
		gorgias.CallRetries(0),
		gorgias.CallMeta(&meta),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ticket.GetSubject())
	fmt.Println(meta.StatusCode, meta.RequestID, meta.Attempts)
	fmt.Printf("bucket: %d/%d\n", meta.CallLimitUsed, meta.CallLimit)
	// Output:
	// Seen with job-42
	// 200 req-job-42 1
	// bucket: 3/40
}

// CallMeta on a walk describes the page being walked, with the cursor
// that fetched it: save it to resume the walk at that page later.
func ExampleCallMeta() {
	srv := echoServer()
	defer srv.Close()
	client, _ := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))
	var meta gorgias.ResponseMeta
	for c, err := range gorgias.All[customer](context.Background(), client, "/api/customers", url.Values{"channel": {"sms"}}, gorgias.CallMeta(&meta)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (page at cursor %q, next %q)\n", c.Email, meta.Cursor, meta.NextCursor)
	}
	// Output:
	// ada@example.com (page at cursor "", next "c2")
	// sms@example.com (page at cursor "c2", next "")
}

// customer is a program's own type for an endpoint the SDK does not model.
type customer struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Client.Do reaches any endpoint under /api/ with the client's
// credentials, pacing, retries and error decoding: here a customer.
func ExampleClient_Do() {
	srv := echoServer()
	defer srv.Close()
	client, _ := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))
	var c customer
	if err := client.Do(context.Background(), http.MethodGet, "/api/customers/7", nil, &c); err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID, c.Name, c.Email)

	err := client.Do(context.Background(), http.MethodGet, "https://elsewhere.example/api/customers/7", nil, &c)
	fmt.Println(err)
	// Output:
	// 7 Marie Curie marie@example.com
	// gorgias: Client.Do: invalid input: path: "https://elsewhere.example/api/customers/7" is not a path under /api/: give the path alone, such as "/api/customers/1"
}

// All walks any cursor-paginated list into a type of your own.
func ExampleAll() {
	srv := echoServer()
	defer srv.Close()
	client, _ := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))
	for c, err := range gorgias.All[customer](context.Background(), client, "/api/customers", url.Values{"channel": {"email"}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.ID, c.Email)
	}
	// Output:
	// 1 ada@example.com
	// 2 email@example.com
}
