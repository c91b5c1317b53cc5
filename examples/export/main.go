// Export streams every ticket, oldest first, to JSON Lines: one ticket per
// line, optionally with its messages. It prints its progress on stderr
// and resumes an interrupted export where it stopped.
//
// Each line is the ticket exactly as Gorgias sent it: every key, every
// null, and the fields Gorgias added that this SDK does not declare (the
// SDK's types keep them: see gorgias.RawFields). With -messages, the
// ticket's messages, as sent too, are added under "messages".
//
//	go run ./examples/export -o tickets.jsonl -messages -state export.state
//	go run ./examples/export -o changes.jsonl -changes   # then again, later
//
// Run the same command again after an interruption (Ctrl-C, a crash, a
// network failure) and the file ends up holding every ticket exactly once,
// each line valid JSON: the state file records the cursor of the page being
// written and the file's length before it; a resumed run cuts the file back
// to that length and writes the page again. With no credentials it exports
// the embedded fake's demo help desk (see examples/internal/exampleenv).
//
// With -changes it appends only the tickets created or updated since its
// last -changes run, with gorgias.TicketsService.Changes, and saves the
// next checkpoint in the state file.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/examples/internal/exampleenv"
)

// options are the command's flags.
type options struct {
	withMessages bool
	stateFile    string // where to save progress after each page; "" for none
	// saveState replaces the state file; nil for saveStateFile. Tests
	// make it fail.
	saveState func(path string, st state) error
}

// output is where the export goes: a file, which a resumed run can cut
// back to the end of the last complete page.
type output interface {
	io.Writer
	io.Seeker
	Truncate(size int64) error
	Sync() error
}

// state is the progress saved after each page: the cursor of the next page
// and the output's length before it. In -changes mode, Since is the
// checkpoint of the next run and Offset the output's length after the last
// finished run.
type state struct {
	Cursor string    `json:"cursor,omitempty"`
	Offset int64     `json:"offset"`
	Since  time.Time `json:"since,omitzero"`
}

func main() {
	outPath := flag.String("o", "tickets.jsonl", "file to write (resumed if -state holds progress)")
	withMessages := flag.Bool("messages", false, "include each ticket's messages (one more request per ticket)")
	stateFile := flag.String("state", "", "save progress here and resume from it (default: the output file's name + .state)")
	changes := flag.Bool("changes", false, "append only the tickets created or updated since the last -changes run (the first run takes every ticket)")
	flag.Parse()
	if *stateFile == "" {
		*stateFile = *outPath + ".state"
	}

	env, err := exampleenv.Connect(os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()

	out, err := os.OpenFile(*outPath, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	export := run
	if *changes {
		export = runChanges
	}
	n, err := export(ctx, env.Client, options{withMessages: *withMessages, stateFile: *stateFile}, out, os.Stderr)
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		log.Fatalf("stopped after %d tickets: %v (run again to resume)", n, err)
	}
}

// maxEmptyPages is how many empty pages in a row, each with a next cursor,
// the export follows, as All does.
const maxEmptyPages = 10

// run exports every ticket after the saved state to out, reports progress
// on progress and returns how many tickets it wrote in this run.
func run(ctx context.Context, client *gorgias.Client, opts options, out output, progress io.Writer) (int, error) {
	st, err := loadState(opts.stateFile)
	if err != nil {
		return 0, err
	}
	if st != (state{}) {
		fmt.Fprintln(progress, "Resuming from the saved state.")
	}
	// Cut what a previous run wrote after its last complete page: half a
	// record, or records of a page it had not finished.
	if err := cutBack(out, st.Offset, opts.stateFile); err != nil {
		return 0, err
	}
	written := 0
	// A server that sends a cursor again, or empty page after empty page
	// each with a fresh cursor, would keep the export asking forever: All
	// ends such walks, and this loop, which follows the cursors itself,
	// ends them the same way.
	followed := map[string]bool{st.Cursor: true}
	empty := 0
	for {
		// List, not All: the export keeps each page's cursor to resume.
		page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{
			ListOptions: gorgias.ListOptions{Cursor: st.Cursor, Limit: gorgias.MaxPageSize},
			OrderBy:     gorgias.TicketOrderCreatedAsc, // new tickets land at the end
		})
		if err != nil {
			return written, err
		}
		for i := range page.Data {
			if err := writeTicket(ctx, client, &page.Data[i], opts.withMessages, out, &st); err != nil {
				return written, err
			}
			written++
		}
		if err := out.Sync(); err != nil { // on disk before the state says so
			return written, err
		}
		if page.NextCursor == "" {
			fmt.Fprintf(progress, "Exported %d tickets. Done.\n", written)
			return written, clearState(opts.stateFile)
		}
		if followed[page.NextCursor] {
			return written, fmt.Errorf("the server sent the cursor %q again: stopping rather than exporting pages twice", page.NextCursor)
		}
		followed[page.NextCursor] = true
		if len(page.Data) == 0 {
			if empty++; empty >= maxEmptyPages {
				return written, fmt.Errorf("%d empty pages in a row, each with a next cursor: %w", empty, gorgias.ErrEmptyPages)
			}
		} else {
			empty = 0
		}
		st.Cursor = page.NextCursor
		save := opts.saveState
		if save == nil {
			save = saveStateFile
		}
		if err := save(opts.stateFile, st); err != nil {
			return written, err
		}
		fmt.Fprintf(progress, "Exported %d tickets…\n", written)
	}
}

// runChanges appends the tickets created or updated since the saved
// checkpoint, newest change first, and saves the next checkpoint once all
// are written. A run that stops early leaves the checkpoint where it was:
// the next run cuts its partial output and writes the changes again. A
// ticket changed while a run walks, or within a minute of its start, comes
// again in the next run: read the file as a log of changes, the last line
// of a ticket being its latest state.
func runChanges(ctx context.Context, client *gorgias.Client, opts options, out output, progress io.Writer) (int, error) {
	st, err := loadState(opts.stateFile)
	if err != nil {
		return 0, err
	}
	if !st.Since.IsZero() {
		fmt.Fprintf(progress, "Exporting the tickets changed since %s.\n", st.Since.Format(time.RFC3339))
	}
	if err := cutBack(out, st.Offset, opts.stateFile); err != nil {
		return 0, err
	}
	changes := client.Tickets.Changes(ctx, st.Since)
	written := 0
	for ticket, err := range changes.All() {
		if err != nil {
			return written, err
		}
		if err := writeTicket(ctx, client, ticket, opts.withMessages, out, &st); err != nil {
			return written, err
		}
		written++
	}
	if err := out.Sync(); err != nil {
		return written, err
	}
	if st.Since, err = changes.Checkpoint(); err != nil {
		return written, err
	}
	save := opts.saveState
	if save == nil {
		save = saveStateFile
	}
	if err := save(opts.stateFile, st); err != nil {
		return written, err
	}
	fmt.Fprintf(progress, "Exported %d changed tickets. Next run: changes since %s.\n", written, st.Since.Format(time.RFC3339))
	return written, nil
}

// cutBack truncates out to offset, the length the state saw, so what an
// interrupted run wrote after it is gone.
func cutBack(out output, offset int64, stateFile string) error {
	end, err := out.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if end < offset {
		return fmt.Errorf("the output holds %d bytes, fewer than the %d the state file saw: start over without %s", end, offset, stateFile)
	}
	if err := out.Truncate(offset); err != nil {
		return err
	}
	_, err = out.Seek(offset, io.SeekStart)
	return err
}

// writeTicket appends the line of one ticket to out in a single write and
// counts its bytes in st.Offset. One write per complete line: an
// interruption between records leaves whole lines, and a crash inside a
// write is cut off by the next run.
func writeTicket(ctx context.Context, client *gorgias.Client, ticket *gorgias.Ticket, withMessages bool, out output, st *state) error {
	line, err := exportLine(ctx, client, ticket, withMessages)
	if err != nil {
		return err
	}
	n, err := out.Write(line)
	st.Offset += int64(n)
	return err
}

// exportLine builds the whole line of one ticket (with its messages)
// before anything is written: the ticket as Gorgias sent it, unknown
// fields included.
func exportLine(ctx context.Context, client *gorgias.Client, ticket *gorgias.Ticket, withMessages bool) ([]byte, error) {
	if withMessages {
		// The list's tickets have no "messages" key: setting Messages
		// adds it, the rest is written as it came.
		for m, err := range client.Messages.All(ctx, &gorgias.ListMessagesOptions{TicketID: ticket.ID, OrderBy: gorgias.MessageOrderCreatedAsc}) {
			if err != nil {
				return nil, err
			}
			ticket.Messages = append(ticket.Messages, *m)
		}
	}
	line, err := json.Marshal(ticket)
	if err != nil {
		return nil, err
	}
	return append(line, '\n'), nil
}

func loadState(path string) (state, error) {
	var st state
	if path == "" {
		return st, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil || st.Offset < 0 {
		return state{}, fmt.Errorf("%s is not a state file of this export: %w", path, err)
	}
	return st, nil
}

// saveStateFile replaces the state file atomically: a crash leaves the old
// state or the new one, never half of one.
func saveStateFile(path string, st state) error {
	if path == "" {
		return nil
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func clearState(path string) error {
	if path == "" {
		return nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
