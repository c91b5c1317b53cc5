// Csat prints the average satisfaction score per week, from the answered
// satisfaction surveys.
//
//	go run ./examples/csat
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"sort"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/examples/internal/exampleenv"
)

func main() {
	env, err := exampleenv.Connect(os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	if err := run(context.Background(), env.Client, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// week is an ISO year and week number.
type week struct{ year, number int }

type tally struct {
	surveys, sum int
}

func run(ctx context.Context, client *gorgias.Client, out io.Writer) error {
	weeks := map[week]*tally{}
	unanswered := 0
	for s, err := range client.Surveys.All(ctx, nil) {
		if err != nil {
			return fmt.Errorf("listing surveys: %w", err)
		}
		if s.Score == nil || s.ScoredDatetime == nil {
			unanswered++
			continue
		}
		y, n := s.ScoredDatetime.ISOWeek()
		w := week{y, n}
		if weeks[w] == nil {
			weeks[w] = &tally{}
		}
		weeks[w].surveys++
		weeks[w].sum += s.GetScore()
	}
	keys := make([]week, 0, len(weeks))
	for w := range weeks {
		keys = append(keys, w)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].year != keys[j].year {
			return keys[i].year < keys[j].year
		}
		return keys[i].number < keys[j].number
	})
	fmt.Fprintln(out, "Week      Surveys  Average score")
	total, sum := 0, 0
	for _, w := range keys {
		t := weeks[w]
		fmt.Fprintf(out, "%d-W%02d  %7d  %5.2f / 5\n", w.year, w.number, t.surveys, float64(t.sum)/float64(t.surveys))
		total += t.surveys
		sum += t.sum
	}
	if total > 0 {
		fmt.Fprintf(out, "All       %7d  %5.2f / 5 (%d surveys not answered)\n", total, float64(sum)/float64(total), unanswered)
	}
	return nil
}
