package gorgias_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/go-gorgias/gorgias"
)

// answer starts a server that answers every request with body, standing
// in for a Gorgias account in the examples.
func answer(body string) (*gorgias.Client, func()) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	client, err := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("agent@acme.example", "api-key"))
	if err != nil {
		log.Fatal(err)
	}
	return client, srv.Close
}

func ExampleMessagesService_Create() {
	client, done := answer(`{"id":218874102,"ticket_id":82759724,"public":false,"channel":"internal-note","from_agent":true}`)
	defer done()
	ctx := context.Background()

	// An internal note: only agents see it, nothing is sent.
	note, err := client.Messages.Create(ctx, 82759724, gorgias.InternalNote("Checked with the warehouse: refund approved."))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(note.ID, note.Channel, note.Public)

	// A reply by email: without SentDatetime, Gorgias sends it to the
	// customer through the ticket's email integration.
	_, err = client.Messages.Create(ctx, 82759724, &gorgias.CreateMessageRequest{
		Channel:   gorgias.ChannelEmail,
		Via:       gorgias.ViaAPI,
		FromAgent: gorgias.Ptr(true),
		Receiver:  &gorgias.CustomerRef{Email: "marie.curie@example.com"},
		BodyText:  "Your refund has been issued.",
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output: 218874102 internal-note false
}

func ExampleTicketsService_AddTags() {
	client, done := answer(``) // the API answers 200 with an empty body
	defer done()

	// Tags named but unknown are created.
	err := client.Tickets.AddTags(context.Background(), 82759724, &gorgias.TicketTagsRequest{Names: []string{"refund", "vip"}})
	fmt.Println(err)
	// Output: <nil>
}

func ExampleTagsService_Merge() {
	client, done := answer(`{"id":1814124,"name":"refund","usage":42,"decoration":{"color":"#d85a17"}}`)
	defer done()

	// "Refund" and "refunds" become "refund" on every ticket, and are deleted.
	tag, err := client.Tags.Merge(context.Background(), 1814124, []int64{1812990, 1812976})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tag.Name, tag.Usage)
	// Output: refund 42
}

func ExampleSurveysService_Create() {
	client, done := answer(`{"id":6960684,"ticket_id":82697494,"customer_id":519598046,"score":5,"should_send_datetime":null}`)
	defer done()

	// Import a survey the customer already answered elsewhere; with no
	// ShouldSendDatetime it is never sent.
	survey, err := client.Surveys.Create(context.Background(), &gorgias.CreateSurveyRequest{
		TicketID:   82697494,
		CustomerID: 519598046,
		Score:      gorgias.Ptr(5),
		BodyText:   "Fast answer, thanks!",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(survey.ID, *survey.Score, survey.ShouldSendDatetime == nil)
	// Output: 6960684 5 true
}
