// Package gorgiastest is an in-memory fake of the Gorgias tickets API, for
// testing code that uses the gorgias SDK, or any Gorgias client, without an
// account: what httptest is to net/http.
//
// It serves the 36 operations of the tickets area, the five of custom
// field definitions (list, get, create, replace, update many) and the five
// of integrations (/api/integrations: list, get, create, update, delete),
// in memory (Server.Client, Server.Transport) and on a loopback server
// (URL), with the live API's paths, status codes, list envelopes,
// cursors, error bodies, datetimes and rate-limit headers, keeps
// relations consistent (a ticket's messages, tags, custom field values
// checked against their definitions, survey and calls), delivers HTTP
// integrations' requests as Gorgias does (see Webhooks below), and can
// inject faults:
//
//	srv := gorgiastest.NewTestServer(t, gorgiastest.WithSeedData(gorgiastest.SeedConfig{}))
//	client := srv.Client() // a *gorgias.Client pointed at the fake, paced to its bucket
//	for ticket, err := range client.Tickets.All(ctx, nil) { … }
//
// # Tests at CPU speed
//
// Inside a testing/synctest bubble, a test takes no wall time for its
// waits: Server.Client reaches the fake in memory (Server.Transport, no
// socket), NewTestServer opens no listener, and every wait — the client's
// pacing, retry backoff and Retry-After, the fake's leaky bucket, Latency,
// visibility delays — runs on package time's clock, the bubble's. Pacing
// still holds: Stats.OverLimit stays 0.
//
//	synctest.Test(t, func(t *testing.T) {
//		srv := gorgiastest.NewTestServer(t)
//		client := srv.Client()
//		…
//	})
//
// Outside a bubble nothing changes: URL serves HTTP on loopback for other
// clients, and the waits are real.
//
// # Webhooks
//
// When a ticket is created or updated or gets a message through the
// fake's API, each active HTTP integration with that trigger on is
// delivered, asynchronously, by bounded workers: its URL, headers and form
// rendered over the ticket and message ({{ticket.id}}, {{message.id}}…),
// retried MaxDeliveryRetries times when it fails, and the integration
// deactivated after DeliveryConfig.DeactivateAfter failed deliveries in a
// row. Deliveries go over a socket to loopback addresses only, or, for an
// origin given to Server.HandleDeliveries, to an http.Handler in memory,
// which is how a receiver (a webhook.NewHandler) is tested inside a
// bubble; retry delays and delay faults then run on the bubble's clock:
//
//	synctest.Test(t, func(t *testing.T) {
//		srv := gorgiastest.NewTestServer(t)
//		srv.HandleDeliveries(origin, webhook.NewHandler(secret, fn)) // origin: a made-up https host
//		c := srv.Client()
//		webhook.Register(ctx, c, webhook.Config{Name: "events", URL: origin + "/gorgias", Secret: secret})
//		c.Tickets.Create(ctx, …)
//		srv.WaitDeliveries(ctx) // fn has seen the ticket-created event
//	})
//
// Server.InjectDelivery aims faults at deliveries (a duplicate, a delay,
// one out of order); Server.Deliveries lists them and Stats.Deliveries
// counts them. The workers stop with Server.Close.
//
// # As strict as the live API
//
// Every write is checked as the API checks it, and refused with a 400
// whose error.data holds marshmallow-style field errors, nested like the
// body ({"messages": {"0": {"channel": ["Missing data for required
// field."]}}}): wrong JSON types, values outside the documented enums
// (status, priority, channel, via, source.type, action), ids that name no
// user, team, customer, tag, ticket or custom field definition, and custom
// field values that do not fit their definition (a number field given a
// string, a dropdown given a value not among its choices, a number out of
// its bounds). Ids in the path that name nothing answer 404. Channels an
// account defines itself can be allowed with WithChannels.
//
// The fields each write requires, as the operation catalog
// (internal/catalog/gorgias-tickets-operations.txt in the module) lists
// them; the SDK mirrors this table:
//
//	operation                                         required
//	POST /api/tickets                                 messages (at least one), via
//	  each of its messages                            channel, from_agent, via
//	  customer                                        optional: derived from the first message (its sender,
//	                                                  or its receiver when from_agent is true, by id or
//	                                                  email); 400 on "customer" when nothing is derived
//	PUT  /api/tickets/{id}                            nothing
//	POST /api/tickets/{id}/messages                   channel, from_agent, via
//	PUT  /api/tickets/{id}/messages/{id}              nothing
//	POST /api/tickets/{id}/tags, DELETE …/tags        ids or names
//	PUT  /api/tickets/{id}/custom-fields              a list of {id, value}
//	PUT  /api/tickets/{id}/custom-fields/{field}      an object {"id": field, "value": v}: value (null
//	                                                  clears it); id, when sent, must be the path's field.
//	                                                  A bare v is refused
//	POST /api/tags                                    name
//	DELETE /api/tags                                  ids
//	PUT  /api/tags/{id}/merge                         source_tags_ids
//	POST /api/satisfaction-surveys                    customer_id, ticket_id
//	PUT  /api/satisfaction-surveys/{id}               nothing (customer_id and ticket_id may change)
//	POST /api/custom-fields                           object_type, label, definition (data_type, input_settings
//	                                                  with input_type); a text dropdown needs choices
//	PUT  /api/custom-fields/{id}                      object_type, label, definition again, even unchanged
//	PUT  /api/custom-fields                           a list of {id, …}: id in each item
//
// # Tests that know the account
//
// WithClock fixes the fake's clock, and Server.Advance moves it; the ids
// of the seeded agents, teams, customers, tags, views, rules and custom
// field definitions are on the Server (Agents, Teams, Customers, Tags,
// Views, Rules, CustomFields). WithFaults injects faults at random;
// WithFault and Server.Inject aim one at chosen requests, including a
// create that commits and then loses its answer, and an object that shows
// in reads and lists only some time after it was created.
//
// The fake is safe for concurrent use; it serves one request at a time.
package gorgiastest

// What the writes require; doc.go's table lists them.
var (
	ticketCreateRequires  = []string{"messages", "via"}
	messageCreateRequires = []string{"channel", "from_agent", "via"}
	surveyCreateRequires  = []string{"customer_id", "ticket_id"}
	fieldCreateRequires   = []string{"object_type", "label", "definition"}
)
