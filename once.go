package gorgias

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Gorgias has no idempotency keys: when the answer to a create is lost (the
// connection drops after the request was written, or a proxy answers 5xx),
// the program cannot tell whether the ticket exists. The helpers here use
// the external_id Gorgias stores on tickets and messages to find out.

// DefaultVisibilityWindow is how long CreateOnce keeps looking for an
// object whose create's answer was lost before it concludes the create did
// not happen and sends it again (see WithVisibilityWindow).
const DefaultVisibilityWindow = 30 * time.Second

// maxCreateSends bounds how many times CreateOnce sends one create.
const maxCreateSends = 3

// WithVisibilityWindow sets how long CreateOnce and Upsert look for an
// object whose create's answer was lost before sending the create again:
// the longest delay the account may take between creating a ticket and
// listing it by external_id (default DefaultVisibilityWindow).
func WithVisibilityWindow(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("gorgias: WithVisibilityWindow(%s): the window must be positive", d)
		}
		c.visibilityWindow = d
		return nil
	}
}

// NewExternalID returns a random external id ("gorgias-go-" and 32 hex
// digits) for a ticket or message that has none of its own: generate it
// once, store it with your record, and pass the same id when you try
// again.
func NewExternalID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "gorgias-go-" + hex.EncodeToString(b[:])
}

// UnknownOutcomeError is returned by CreateOnce when it could not find out
// whether its create happened: the context ended while it was looking, or
// the create was sent maxCreateSends times without an answer. Call
// CreateOnce again with the same external id later: it looks before it
// sends.
type UnknownOutcomeError struct {
	// ExternalID is the external id of the object that may exist.
	ExternalID string
	// Err is the last failure.
	Err error
}

// Error says what is unknown.
func (e *UnknownOutcomeError) Error() string {
	return fmt.Sprintf("gorgias: whether the object with external id %q was created is unknown: %v", e.ExternalID, e.Err)
}

// Unwrap returns the last failure.
func (e *UnknownOutcomeError) Unwrap() error { return e.Err }

// FilterIgnoredError is returned by a lookup whose answer shows the server
// did not apply a filter it depends on (it listed objects the filter
// excludes), so absence cannot be concluded: Tickets.FindByExternalID
// (and so CreateOnce and Upsert, which then send nothing) when it lists
// tickets with another external_id and has more pages, and
// Messages.CreateOnce when the messages' list holds other tickets'
// messages.
type FilterIgnoredError struct {
	// Op names the lookup, such as "Tickets.FindByExternalID".
	Op string
	// Filter and Value are the filter the server ignored, such as
	// "external_id" and the external id.
	Filter, Value string
	// Got describes an object of the answer that the filter excludes.
	Got string
}

// Error says which filter was ignored, and what the answer held.
func (e *FilterIgnoredError) Error() string {
	return fmt.Sprintf("gorgias: %s: the server ignored the filter %s=%q (its answer holds %s): whether the object exists is unknown",
		e.Op, e.Filter, e.Value, e.Got)
}

// outcomeUnknown reports whether a failed create may still have created
// its object: a 5xx (possibly from a proxy that forwarded the request) or
// no answer after the request may have been written. A 4xx, a 429 and a
// failure before anything was written are certain: nothing was created.
func outcomeUnknown(err error, o callOutcome) bool {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500
	}
	var verr *ValidationError
	if errors.As(err, &verr) {
		return false
	}
	return o.mayHaveReached
}

// createFlights coalesces a client's concurrent CreateOnce calls for one
// object (a resource and an external id): the first call's protocol runs
// once, in a goroutine of its own, and every call for the same object
// while it runs waits for its outcome. Each caller waits only as long as
// its context allows; the protocol is cancelled when every caller has
// given up, and stays in flights until it has ended, so a later call for
// the object waits for it before it looks.
type createFlights struct {
	mu      sync.Mutex
	flights map[string]*createFlight
	joined  func() // tests: runs when a call joins a create in progress
}

// createFlight is one run of the protocol and its outcome, which is set
// before done is closed.
type createFlight struct {
	done      chan struct{}
	cancel    context.CancelFunc
	waiters   int  // guarded by createFlights.mu
	abandoned bool // every waiter gave up; guarded by createFlights.mu
	value     any
	created   bool
	err       error
	meta      ResponseMeta // the last answer, for the callers' CallMeta
}

// do runs run once for key, or waits for the run in progress, and returns
// its outcome, copying its last answer's metadata to meta (if not nil).
func (g *createFlights) do(ctx context.Context, key, externalID string, meta *ResponseMeta,
	run func(ctx context.Context, meta *ResponseMeta) (any, bool, error),
) (any, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err // nothing sent
	}
	for {
		g.mu.Lock()
		f := g.flights[key]
		switch {
		case f == nil:
			f = g.start(ctx, key, run)
		case f.abandoned: // winding down: wait for its end, then look
			g.mu.Unlock()
			select {
			case <-f.done:
				continue
			case <-ctx.Done():
				return nil, false, &UnknownOutcomeError{ExternalID: externalID, Err: ctx.Err()}
			}
		case g.joined != nil:
			g.joined()
		}
		f.waiters++
		g.mu.Unlock()
		select {
		case <-f.done:
			return f.outcome(meta)
		case <-ctx.Done():
		}
		select {
		case <-f.done: // ended meanwhile: its outcome is known
			return f.outcome(meta)
		default:
		}
		g.mu.Lock()
		if f.waiters--; f.waiters == 0 {
			f.abandoned = true
			f.cancel()
		}
		g.mu.Unlock()
		return nil, false, &UnknownOutcomeError{ExternalID: externalID, Err: ctx.Err()}
	}
}

// start runs run for key in a goroutine, on a context that keeps ctx's
// values but ends only when every waiter has given up. g.mu is held.
func (g *createFlights) start(ctx context.Context, key string, run func(ctx context.Context, meta *ResponseMeta) (any, bool, error)) *createFlight {
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &createFlight{done: make(chan struct{}), cancel: cancel}
	if g.flights == nil {
		g.flights = map[string]*createFlight{}
	}
	g.flights[key] = f
	go func() {
		defer cancel()
		f.value, f.created, f.err = run(runCtx, &f.meta)
		g.mu.Lock()
		delete(g.flights, key)
		g.mu.Unlock()
		close(f.done)
	}()
	return f
}

// outcome returns what the run found, once done is closed.
func (f *createFlight) outcome(meta *ResponseMeta) (any, bool, error) {
	if meta != nil {
		*meta = f.meta
	}
	return f.value, f.created, f.err
}

// createOnce runs CreateOnce's protocol for the object of resource with
// externalID, coalesced with the client's other calls for it. find looks
// the object up by its external id; create sends the create. Both are
// given the call options to use.
func createOnce[T any](ctx context.Context, c *Client, resource, externalID string, callOpts []CallOption,
	find func(ctx context.Context, callOpts []CallOption) (*T, error), create func(ctx context.Context, callOpts []CallOption) (*T, error),
) (*T, bool, error) {
	if ctx == nil {
		return nil, false, errNilContext
	}
	cs, err := settings(callOpts)
	if err != nil {
		return nil, false, err
	}
	v, created, err := c.creates.do(ctx, resource+"\x00"+externalID, externalID, cs.meta, func(ctx context.Context, meta *ResponseMeta) (any, bool, error) {
		// The caller's options, but the answers' metadata goes to the
		// run, which copies it to each caller.
		opts := append(callOpts[:len(callOpts):len(callOpts)], CallMeta(meta))
		return runCreateOnce(ctx, c, externalID,
			func(ctx context.Context) (*T, error) { return find(ctx, opts) },
			func(ctx context.Context, extra ...CallOption) (*T, error) { return create(ctx, append(extra, opts...)) })
	})
	found, _ := v.(*T)
	return found, created, err
}

// runCreateOnce runs the lookup-create-lookup protocol for one object.
func runCreateOnce[T any](ctx context.Context, c *Client, externalID string,
	find func(ctx context.Context) (*T, error), create func(ctx context.Context, opts ...CallOption) (*T, error),
) (*T, bool, error) {
	// A previous run may have created it and lost the answer.
	if found, err := find(ctx); err != nil || found != nil {
		return found, false, err
	}
	var last error
	for range maxCreateSends {
		var outcome callOutcome
		created, err := create(ctx, withOutcome(&outcome))
		if err == nil {
			return created, true, nil
		}
		if !outcomeUnknown(err, outcome) {
			return nil, false, err
		}
		last = err
		found, err := lookAgain(ctx, c, find)
		if err != nil {
			return nil, false, &UnknownOutcomeError{ExternalID: externalID, Err: errors.Join(last, err)}
		}
		if found != nil {
			return found, true, nil
		}
		// Not visible after the whole window: the create did not land.
	}
	return nil, false, &UnknownOutcomeError{ExternalID: externalID, Err: last}
}

// lookAgain looks for an object with backoff (0.5 s, 1 s, 2 s… on the
// client's clock, starting at a sixteenth of a shorter window) until the
// visibility window has passed.
func lookAgain[T any](ctx context.Context, c *Client, find func(ctx context.Context) (*T, error)) (*T, error) {
	window := c.visibilityWindow
	if window <= 0 {
		window = DefaultVisibilityWindow
	}
	wait, waited := min(500*time.Millisecond, max(window/16, time.Millisecond)), time.Duration(0)
	for {
		if err := c.clock.sleep(ctx, wait); err != nil {
			return nil, err
		}
		waited += wait
		found, err := find(ctx)
		if err != nil || found != nil {
			return found, err
		}
		if waited >= window {
			return nil, nil
		}
		wait = min(wait*2, window-waited)
	}
}

// CreateOnce creates a ticket at most once, identified by req.ExternalID
// (required; NewExternalID makes one), and reports whether this call
// created it.
//
// It first looks the ticket up by external id (a previous run may have
// created it), then creates it. When the create's outcome is unknown (the
// request was written and no answer came, or a proxy answered 5xx), it
// looks again with backoff for the visibility window (WithVisibilityWindow,
// 30 s by default) and returns the ticket if it appears; only when it has
// not appeared after the whole window does it send the create again (at
// most 3 sends in all).
//
// What is certain: a ticket found is returned and never created twice by
// this call; a 4xx or 429 answer means nothing was created. What is
// probable: a ticket not visible by external id after the window was not
// created. A duplicate needs the account to take longer than the window to
// list a created ticket by its external id. When the context ends while
// the outcome is unknown, the error is an *UnknownOutcomeError: call
// CreateOnce again with the same request later. The external id must be
// unique to this ticket: CreateOnce returns any ticket that carries it.
//
// Concurrent calls on one client for the same external id are coalesced:
// one lookup and one create go out, with the first call's request and call
// options, and every call gets their outcome (the same ticket, and created
// for all when it was created; a CallMeta describes the last answer). Each
// call waits only as long as its own context allows: one whose context
// ends returns an *UnknownOutcomeError while the create goes on for the
// others. The create is cancelled only when every caller has given up, and
// a later call for the external id waits for it to end before it looks.
func (s *TicketsService) CreateOnce(ctx context.Context, req *CreateTicketRequest, callOpts ...CallOption) (*Ticket, bool, error) {
	v := newValidator("Tickets.CreateOnce")
	v.check(req != nil, "request", "is required")
	if req != nil {
		v.check(req.ExternalID != "", "external_id", "is required: it is how CreateOnce finds a ticket whose create's answer was lost")
		req.validate(v)
	}
	if err := v.err(); err != nil {
		return nil, false, err
	}
	find := func(ctx context.Context, opts []CallOption) (*Ticket, error) {
		return s.FindByExternalID(ctx, req.ExternalID, opts...)
	}
	create := func(ctx context.Context, opts []CallOption) (*Ticket, error) {
		return s.Create(ctx, req, opts...)
	}
	return createOnce(ctx, s.client, "tickets", req.ExternalID, callOpts, find, create)
}

// FindByExternalID returns the ticket whose external_id is externalID
// (GET /api/tickets?external_id=…), nil when there is none, and an error
// when several tickets carry it.
//
// It never concludes absence from an answer it cannot trust: it walks the
// filtered list until it has seen its end (or two matches), and when the
// answer holds a ticket with another external_id while more pages follow
// (the server ignored the filter), it returns a *FilterIgnoredError rather
// than nil, so CreateOnce and Upsert send nothing. An ignored filter on a
// single, last page is not an error: the whole list was seen.
func (s *TicketsService) FindByExternalID(ctx context.Context, externalID string, callOpts ...CallOption) (*Ticket, error) {
	const op = "Tickets.FindByExternalID"
	v := newValidator(op)
	v.check(externalID != "", "external_id", "is required")
	if err := v.err(); err != nil {
		return nil, err
	}
	cs, err := settings(callOpts)
	if err != nil {
		return nil, err
	}
	var meta ResponseMeta // the page being walked: ours, then the caller's
	if cs.meta != nil {
		defer func() { *cs.meta = meta }()
	}
	opts := &ListTicketsOptions{ExternalID: externalID, ListOptions: ListOptions{Limit: 2}}
	var match *Ticket
	for t, err := range s.All(ctx, opts, append(callOpts[:len(callOpts):len(callOpts)], CallMeta(&meta))...) {
		switch {
		case err != nil:
			return nil, err
		case t.ExternalID == nil || *t.ExternalID != externalID: // keep only exact matches, whatever the filter did
			if meta.NextCursor != "" {
				return nil, &FilterIgnoredError{Op: op, Filter: "external_id", Value: externalID, Got: describe("ticket", t.ID, "external_id", t.ExternalID)}
			}
		case match != nil:
			return nil, fmt.Errorf("gorgias: several tickets carry the external id %q", externalID)
		default:
			match = t
		}
	}
	return match, nil
}

// describe names an object of an answer and the value of one of its
// fields, for a FilterIgnoredError.
func describe(what string, id int64, field string, value *string) string {
	if value == nil {
		return fmt.Sprintf("%s %d, whose %s is null", what, id, field)
	}
	return fmt.Sprintf("%s %d, whose %s is %q", what, id, field, *value)
}

// CreateOnce adds a message to a ticket at most once, identified by
// req.ExternalID (required), with the same protocol and guarantee as
// Tickets.CreateOnce; the lookup reads the ticket's messages to the end.
// When that list holds another ticket's message (the server ignored the
// ticket_id filter), it returns a *FilterIgnoredError and sends nothing.
// Concurrent calls on one client for the same ticket and external id are
// coalesced as Tickets.CreateOnce's are.
func (s *MessagesService) CreateOnce(ctx context.Context, ticketID int64, req *CreateMessageRequest, callOpts ...CallOption) (*Message, bool, error) {
	v := newValidator("Messages.CreateOnce")
	v.id("ticket_id", ticketID)
	v.check(req != nil, "request", "is required")
	if req != nil {
		v.check(req.ExternalID != "", "external_id", "is required: it is how CreateOnce finds a message whose create's answer was lost")
		req.validate(v, "")
	}
	if err := v.err(); err != nil {
		return nil, false, err
	}
	find := func(ctx context.Context, opts []CallOption) (*Message, error) {
		for m, err := range s.All(ctx, &ListMessagesOptions{TicketID: ticketID}, opts...) {
			if err != nil {
				return nil, err
			}
			if m.TicketID != 0 && m.TicketID != ticketID { // the list is not the ticket's: its absence proves nothing
				return nil, &FilterIgnoredError{Op: "Messages.CreateOnce", Filter: "ticket_id", Value: strconv.FormatInt(ticketID, 10),
					Got: fmt.Sprintf("message %d of ticket %d", m.ID, m.TicketID)}
			}
			if m.ExternalID != nil && *m.ExternalID == req.ExternalID {
				return m, nil
			}
		}
		return nil, nil
	}
	create := func(ctx context.Context, opts []CallOption) (*Message, error) {
		return s.Create(ctx, ticketID, req, opts...)
	}
	return createOnce(ctx, s.client, "tickets/"+strconv.FormatInt(ticketID, 10)+"/messages", req.ExternalID, callOpts, find, create)
}

// UpsertResult says what Tickets.Upsert did.
type UpsertResult int

// What Tickets.Upsert did.
const (
	// Updated means a ticket with the external id existed and was updated.
	Updated UpsertResult = iota + 1
	// Created means no ticket had the external id, and one was created.
	Created
	// Unchanged means the ticket existed and the update set nothing.
	Unchanged
)

// String names the result.
func (r UpsertResult) String() string {
	switch r {
	case Updated:
		return "updated"
	case Created:
		return "created"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}

// Upsert makes Gorgias match a record of your own, identified by
// externalID: it updates the ticket carrying externalID with update, or,
// when there is none, creates one from create (with the external id set),
// with CreateOnce's safety when the create's answer is lost. It says which
// it did. update may be nil or empty to leave an existing ticket as it is.
// When the lookup cannot conclude (the server ignored the external_id
// filter: a *FilterIgnoredError, see FindByExternalID), it sends nothing.
// Concurrent Upserts on one client that both find no ticket send one
// create (CreateOnce coalesces them), and both report Created.
func (s *TicketsService) Upsert(ctx context.Context, externalID string, create *CreateTicketRequest, update *UpdateTicketRequest, callOpts ...CallOption) (*Ticket, UpsertResult, error) {
	v := newValidator("Tickets.Upsert")
	v.check(externalID != "", "external_id", "is required")
	v.check(create != nil, "create", "is required, for when no ticket has the external id")
	if create != nil {
		v.check(create.ExternalID == "" || create.ExternalID == externalID, "create.external_id", "differs from external_id")
	}
	if err := v.err(); err != nil {
		return nil, 0, err
	}
	existing, err := s.FindByExternalID(ctx, externalID, callOpts...)
	if err != nil {
		return nil, 0, err
	}
	if existing != nil {
		if update == nil || isEmptyUpdate(update) {
			return existing, Unchanged, nil
		}
		t, err := s.Update(ctx, existing.ID, update, callOpts...)
		return t, Updated, err
	}
	req := *create
	req.ExternalID = externalID
	t, created, err := s.CreateOnce(ctx, &req, callOpts...)
	if err != nil {
		return nil, 0, err
	}
	if !created { // it appeared between the lookup and the create
		if update == nil || isEmptyUpdate(update) {
			return t, Unchanged, nil
		}
		t, err = s.Update(ctx, t.ID, update, callOpts...)
		return t, Updated, err
	}
	return t, Created, nil
}

// DefaultChangesMargin is how far before a walk's start the checkpoint of
// Tickets.Changes is set (see TicketChanges.Checkpoint).
const DefaultChangesMargin = time.Minute

// maxClockSkew bounds how far past the local clock a server's Date header
// may put the start of a Tickets.Changes walk: a Date further ahead is not
// believed.
const maxClockSkew = time.Minute

// TicketChanges is a walk over the tickets created or updated since a
// checkpoint, made by Tickets.Changes.
type TicketChanges struct {
	s        *TicketsService
	ctx      context.Context
	since    time.Time
	margin   time.Duration
	callOpts []CallOption
	start    time.Time // the server's time when the walk began
	// localStart is the client's clock when the walk began.
	localStart time.Time
	done       bool
}

// Changes walks the tickets created or updated at or after since, newest
// change first (GET /api/tickets?order_by=updated_datetime:desc), and stops
// at the first older one: a sync of what changed since its last run,
// instead of a walk of the whole account.
//
//	changes := client.Tickets.Changes(ctx, checkpoint)
//	for t, err := range changes.All() { … store t … }
//	next, err := changes.Checkpoint() // save it for the next run
//
// A ticket updated while the walk runs may be passed over by this walk
// (its new place is at the head of the list, already walked); it is not
// missed, because the next checkpoint is the walk's start, less a safety
// margin (DefaultChangesMargin, or margin if given): the next run returns
// it. Tickets changed within that margin of a run's start come back in the
// next run too: a sync must treat a ticket seen twice as an update.
//
// The walk's start is read on the server's clock (the Date header of its
// first answer), but never later than a minute past the client's clock when
// the walk began, whatever Date says: a Date ahead by more (a proxy's or a
// server's wrong clock) cannot move the checkpoint into the future, and the
// checkpoint is never more than a minute past the client's clock (with the
// default margin, never past it). When the two clocks disagree, the earlier
// one sets the checkpoint: a change made while they disagree comes back in
// the next run (with more tickets seen again, the larger the gap), and is
// missed only when both clocks run ahead of the clock Gorgias stamps its
// changes with. A Date behind moves the checkpoint back, never before
// since.
//
// Stopping at the first older ticket is only right on a list in that
// order: a ticket changed later than the one before it (a server or proxy
// that ignored order_by) ends the walk with a *FilterIgnoredError, and
// then Checkpoint fails, so the next run starts from the same checkpoint.
func (s *TicketsService) Changes(ctx context.Context, since time.Time, callOpts ...CallOption) *TicketChanges {
	return &TicketChanges{s: s, ctx: ctx, since: since, margin: DefaultChangesMargin, callOpts: callOpts}
}

// WithMargin sets the safety margin of the next checkpoint and returns c.
func (c *TicketChanges) WithMargin(margin time.Duration) *TicketChanges {
	if margin >= 0 {
		c.margin = margin
	}
	return c
}

// All iterates over the changed tickets, newest change first.
func (c *TicketChanges) All() iter.Seq2[*Ticket, error] {
	return func(yield func(*Ticket, error) bool) {
		c.done, c.start = false, time.Time{}
		c.localStart = c.s.client.clock.now()
		var meta ResponseMeta
		var previous time.Time // the last change seen: the list must not go back up
		opts := &ListTicketsOptions{OrderBy: TicketOrderUpdatedDesc}
		for t, err := range c.s.All(c.ctx, opts, append([]CallOption{CallMeta(&meta)}, c.callOpts...)...) {
			if c.start.IsZero() && meta.StatusCode != 0 {
				c.start = serverTime(meta.Header, c.localStart)
			}
			if err != nil {
				yield(nil, err)
				return
			}
			changed := changedAt(t)
			if !changed.IsZero() && !previous.IsZero() && changed.After(previous) {
				// Later than the ticket before it: the list is not ordered
				// by updated_datetime, so stopping at an older ticket could
				// miss newer ones further on.
				yield(nil, &FilterIgnoredError{Op: "Tickets.Changes", Filter: "order_by", Value: string(TicketOrderUpdatedDesc),
					Got: fmt.Sprintf("ticket %d, changed at %s after one changed at %s", t.ID,
						changed.Format(time.RFC3339Nano), previous.Format(time.RFC3339Nano))})
				return
			}
			if !changed.IsZero() {
				previous = changed
			}
			if !changed.IsZero() && changed.Before(c.since) {
				c.done = true
				return
			}
			if !yield(t, nil) {
				return
			}
		}
		if c.start.IsZero() { // no ticket: the (last) answer's Date
			c.start = c.localStart
			if meta.StatusCode != 0 {
				c.start = serverTime(meta.Header, c.localStart)
			}
		}
		c.done = true
	}
}

// Checkpoint returns the checkpoint to give Changes next time: the walk's
// start on the server's clock (never more than a minute past the client's
// clock at the start; see Changes) less the margin, and never before since.
// It fails unless All ran to its end (a walk stopped early has not seen
// every change).
func (c *TicketChanges) Checkpoint() (time.Time, error) {
	if !c.done {
		return time.Time{}, errors.New("gorgias: TicketChanges.Checkpoint: the walk did not run to its end")
	}
	start := c.start
	if latest := c.localStart.Add(maxClockSkew); start.After(latest) {
		start = latest // a Date further ahead is not believed
	}
	next := start.Add(-c.margin)
	if next.Before(c.since) {
		next = c.since // never go back further than the run began
	}
	return next, nil
}

// changedAt is when a ticket last changed: its updated datetime, else its
// creation.
func changedAt(t *Ticket) time.Time {
	if t.UpdatedDatetime != nil && !t.UpdatedDatetime.IsZero() {
		return t.UpdatedDatetime.Time
	}
	if t.CreatedDatetime != nil {
		return t.CreatedDatetime.Time
	}
	return time.Time{}
}

// serverTime reads an answer's Date header, or returns fallback.
func serverTime(h http.Header, fallback time.Time) time.Time {
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		return t
	}
	return fallback
}
