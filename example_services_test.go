//go:build !mutation

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
	fmt.Println(note.ID, note.Channel, note.GetPublic())

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
	fmt.Println(tag.Name, tag.GetUsage())
	// Output: refund 42
}

func ExampleSurveysService_Create() {
	client, done := answer(`{"id":6960684,"ticket_id":82697494,"customer_id":519598046,"score":5,"should_send_datetime":null}`)
	defer done()

	// Import a survey the customer already answered elsewhere; a null
	// ShouldSendDatetime means it is never sent.
	survey, err := client.Surveys.Create(context.Background(), &gorgias.CreateSurveyRequest{
		TicketID:   82697494,
		CustomerID: 519598046,
		Score:      gorgias.Ptr(5),
		BodyText:   "Fast answer, thanks!",
		// Null sends null: never sent.
		ShouldSendDatetime: gorgias.Null[gorgias.Time](),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(survey.ID, survey.GetScore(), survey.ShouldSendDatetime == nil)
	// Output: 6960684 5 true
}

func ExampleTicketsService_ListCustomFields() {
	client, done := answer(`{"data":[{"field":{"id":319613,"label":"Contact reason","definition":{"data_type":"text",
		"input_settings":{"input_type":"dropdown","choices":["Order::Status::Delivered","Other::Other::Other"]}}},
		"prediction":null,"value":"Order::Status::Delivered"}]}`)
	defer done()

	values, err := client.Tickets.ListCustomFields(context.Background(), 82759724)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range values {
		// Dropdown values are text: read them with Text, not a type switch.
		if reason, ok := v.Value.Text(); ok {
			fmt.Printf("%s: %s\n", v.Field.GetLabel(), reason)
		}
	}
	// Output: Contact reason: Order::Status::Delivered
}

func ExampleTicketsService_UpdateCustomField() {
	client, done := answer(`{"field":{"id":319613,"label":"Contact reason"},"prediction":null,"value":"Other::Other::Other"}`)
	defer done()

	// Sets one field; the ticket's other fields keep their values.
	v, err := client.Tickets.UpdateCustomField(context.Background(), 82759724, 319613, "Other::Other::Other")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Field.GetLabel(), "=", v.Value)
	// Output: Contact reason = Other::Other::Other
}

func ExampleVoiceService_AllRecordings() {
	client, done := answer(`[{"id":9001,"call_id":123,"type":"voicemail","duration":20,"url":"https://uploads.gorgias.io/v.mp3"}]`)
	defer done()

	for rec, err := range client.Voice.AllRecordings(context.Background(), &gorgias.ListCallItemsOptions{CallID: 123}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.ID, rec.Type, rec.GetDuration(), "s")
	}
	// Output: 9001 voicemail 20 s
}
