package otel_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
	gorgiasotel "github.com/go-gorgias/gorgias/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// A client traced into an in-memory recorder, against the gorgiastest
// fake. In a service, give NewObserver nothing (the global providers,
// which an exporter's setup configures) or your TracerProvider and
// MeterProvider.
func Example() {
	fake := gorgiastest.NewServer()
	defer fake.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))

	obs, err := gorgiasotel.NewObserver(gorgiasotel.WithTracerProvider(tp))
	if err != nil {
		log.Fatal(err)
	}
	client := fake.Client(gorgias.WithObserver(obs))

	ctx := context.Background()
	tag, err := client.Tags.Create(ctx, &gorgias.CreateTagRequest{Name: "vip"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Tags.Get(ctx, tag.ID); err != nil {
		log.Fatal(err)
	}

	for _, s := range spans.Ended() {
		if strings.HasPrefix(s.Name(), "gorgias.") {
			continue // the rate limiter's waits, if any lasted 1 ms
		}
		var attrs []string
		for _, kv := range s.Attributes() {
			switch kv.Key {
			case "url.template", "http.response.status_code", "gorgias.attempts":
				attrs = append(attrs, fmt.Sprintf("%s=%s", kv.Key, kv.Value.String()))
			}
		}
		fmt.Println(s.Name(), s.SpanKind(), strings.Join(attrs, " "))
	}
	// Output:
	// POST /api/tags client url.template=/api/tags http.response.status_code=200
	// Tags.Create internal url.template=/api/tags gorgias.attempts=1 http.response.status_code=200
	// GET /api/tags/{id} client url.template=/api/tags/{id} http.response.status_code=200
	// Tags.Get internal url.template=/api/tags/{id} gorgias.attempts=1 http.response.status_code=200
}
