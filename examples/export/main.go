// Export streams every ticket, oldest first, to JSON Lines: one ticket per
// line, optionally with its messages. It prints its progress on stderr
// and can resume an interrupted export from a saved cursor.
//
// Each line is the ticket exactly as Gorgias sent it: every key, every
// null, and the fields Gorgias added that this SDK does not declare (the
// SDK's types keep them: see gorgias.RawFields). With -messages, the
// ticket's messages, as sent too, are added under "messages".
//
//	go run ./examples/export -o tickets.jsonl -messages -cursor-file export.cursor
//
// Run the same command again after an interruption: it appends from where
// it stopped. With no credentials it exports the embedded fake's demo help
// desk (see examples/internal/exampleenv).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/examples/internal/exampleenv"
)

// options are the command's flags.
type options struct {
	withMessages bool
	cursorFile   string // where to save the cursor after each page; "" for none
}

func main() {
	output := flag.String("o", "-", "file to write, - for stdout (appended to when resuming)")
	withMessages := flag.Bool("messages", false, "include each ticket's messages (one more request per ticket)")
	cursorFile := flag.String("cursor-file", "", "save progress here and resume from it")
	flag.Parse()

	env, err := exampleenv.Connect(os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()

	out := os.Stdout
	if *output != "-" {
		if out, err = os.OpenFile(*output, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err != nil {
			log.Fatal(err)
		}
		defer out.Close()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	n, err := run(ctx, env.Client, options{withMessages: *withMessages, cursorFile: *cursorFile}, out, os.Stderr)
	if err != nil {
		log.Fatalf("stopped after %d tickets: %v (run again to resume)", n, err)
	}
}

// run exports every ticket after the saved cursor to out, reports progress
// on progress and returns how many tickets it wrote.
func run(ctx context.Context, client *gorgias.Client, opts options, out io.Writer, progress io.Writer) (int, error) {
	cursor, err := loadCursor(opts.cursorFile)
	if err != nil {
		return 0, err
	}
	if cursor != "" {
		fmt.Fprintln(progress, "Resuming from the saved cursor.")
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	written := 0
	for {
		// List, not All: the export keeps each page's cursor to resume.
		page, err := client.Tickets.List(ctx, &gorgias.ListTicketsOptions{
			ListOptions: gorgias.ListOptions{Cursor: cursor, Limit: gorgias.MaxPageSize},
			OrderBy:     gorgias.TicketOrderCreatedAsc, // new tickets land at the end
		})
		if err != nil {
			return written, err
		}
		for i := range page.Data {
			ticket := &page.Data[i]
			if opts.withMessages {
				// The list's tickets have no "messages" key: setting
				// Messages adds it, the rest is written as it came.
				for m, err := range client.Messages.All(ctx, &gorgias.ListMessagesOptions{TicketID: ticket.ID, OrderBy: gorgias.MessageOrderCreatedAsc}) {
					if err != nil {
						return written, err
					}
					ticket.Messages = append(ticket.Messages, *m)
				}
			}
			if err := enc.Encode(ticket); err != nil {
				return written, err
			}
			written++
		}
		// Flush the page before saving the cursor that skips it, so an
		// interruption never loses a ticket (at worst a page is written
		// twice, and a reader can drop duplicate ids).
		if err := w.Flush(); err != nil {
			return written, err
		}
		if page.NextCursor == "" {
			fmt.Fprintf(progress, "Exported %d tickets. Done.\n", written)
			return written, clearCursor(opts.cursorFile)
		}
		cursor = page.NextCursor
		if err := saveCursor(opts.cursorFile, cursor); err != nil {
			return written, err
		}
		fmt.Fprintf(progress, "Exported %d tickets…\n", written)
	}
}

func loadCursor(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return strings.TrimSpace(string(data)), err
}

func saveCursor(path, cursor string) error {
	if path == "" {
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(cursor+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path) // atomic: never a half-written cursor
}

func clearCursor(path string) error {
	if path == "" {
		return nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
