// Tags finds tags whose names differ only in case or spacing ("Refund",
// "refund", "re fund") and merges each group into its most used tag.
//
//	go run ./examples/tags            # merge
//	go run ./examples/tags -dry-run   # only show what would be merged
//
// Merging moves the tags on every ticket and deletes the duplicates: try
// -dry-run first on a real account.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"unicode"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/examples/internal/exampleenv"
)

func main() {
	dryRun := flag.Bool("dry-run", false, "show the merges without making them")
	flag.Parse()
	env, err := exampleenv.Connect(os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	if err := run(context.Background(), env.Client, *dryRun, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// normalize folds case and drops spaces: "Re Fund" and "refund" match.
func normalize(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, name)
}

func run(ctx context.Context, client *gorgias.Client, dryRun bool, out io.Writer) error {
	groups := map[string][]gorgias.Tag{}
	for tag, err := range client.Tags.All(ctx, &gorgias.ListTagsOptions{OrderBy: gorgias.TagOrderUsageDesc}) {
		if err != nil {
			return fmt.Errorf("listing tags: %w", err)
		}
		key := normalize(tag.Name)
		groups[key] = append(groups[key], *tag)
	}
	keys := make([]string, 0, len(groups))
	for key, tags := range groups {
		if len(tags) > 1 {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		fmt.Fprintln(out, "No duplicate tags.")
		return nil
	}
	for _, key := range keys {
		tags := groups[key] // most used first, as listed
		dest, sources := tags[0], tags[1:]
		ids := make([]int64, len(sources))
		names := make([]string, len(sources))
		for i, s := range sources {
			ids[i], names[i] = s.ID, fmt.Sprintf("%q (%d tickets)", s.Name, s.GetUsage())
		}
		if dryRun {
			fmt.Fprintf(out, "Would merge %s into %q (%d tickets)\n", strings.Join(names, ", "), dest.Name, dest.GetUsage())
			continue
		}
		merged, err := client.Tags.Merge(ctx, dest.ID, ids)
		if err != nil {
			return fmt.Errorf("merging into %q: %w", dest.Name, err)
		}
		fmt.Fprintf(out, "Merged %s into %q, now on %d tickets\n", strings.Join(names, ", "), merged.Name, merged.GetUsage())
	}
	return nil
}
