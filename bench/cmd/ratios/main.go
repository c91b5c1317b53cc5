// Command ratios reads rounds of benchmark output, one file a round (a
// file compares only the implementations it holds), and
// prints for each measure the SDK's figure divided by each peer's: the
// median of the per-round ratios, with their minimum and maximum. A ratio
// under 1 means the SDK takes less.
//
//	go run ./cmd/ratios round-*.txt
//
// Benchmarks are named Benchmark<Group>/<key>=<value>…/impl=<name>. In
// each round and measure, every impl whose name starts with "sdk" is
// divided by every other impl; BenchmarkValid's impls (the floor of
// decoding) are compared with BenchmarkDecode's SDK. A floor impl (its
// name ends in "floor": the least any json.Marshaler costs under
// json.Marshal) is also divided by the peers, so that its distance from
// encoding/json shows beside the SDK's.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// line matches "BenchmarkDecode/payload=page100/impl=sdk-2   120   9876 ns/op   …".
var line = regexp.MustCompile(`^Benchmark(\S+?)/impl=(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

type key struct{ group, name, unit, subject, peer string }

func main() {
	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: ratios round-1.txt round-2.txt …")
		os.Exit(2)
	}
	ratios := map[key][]float64{}
	for _, name := range os.Args[1:] {
		round, err := read(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for k, v := range compare(round) {
			ratios[k] = append(ratios[k], v)
		}
	}
	// One table per group: a row per case, SDK variant and unit, a column
	// per peer.
	type row struct{ group, name, subject, unit string }
	peers := map[string][]string{}
	rows := map[row]map[string][]float64{}
	for k, r := range ratios {
		rw := row{k.group, k.name, k.subject, k.unit}
		if rows[rw] == nil {
			rows[rw] = map[string][]float64{}
		}
		rows[rw][k.peer] = r
		if !slices.Contains(peers[k.group], k.peer) {
			peers[k.group] = append(peers[k.group], k.peer)
		}
	}
	order := make([]row, 0, len(rows))
	for rw := range rows {
		order = append(order, rw)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.group != b.group || a.name != b.name || a.subject != b.subject {
			return a.group+"\x00"+a.name+"\x00"+a.subject < b.group+"\x00"+b.name+"\x00"+b.subject
		}
		return unitOrder(a.unit) < unitOrder(b.unit)
	})
	group := ""
	for _, rw := range order {
		if rw.group != group {
			group = rw.group
			cols := peers[group]
			slices.SortFunc(cols, func(a, b string) int { return peerOrder(a) - peerOrder(b) })
			n := 0
			for k, r := range ratios {
				if k.group == group {
					n = max(n, len(r))
				}
			}
			fmt.Printf("\n%s: SDK ÷ peer, median of %d rounds (min–max)\n\n", group, n)
			fmt.Printf("| case | SDK | unit | %s |\n|---|---|---|%s\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
		}
		name := strings.TrimPrefix(rw.name, "payload=")
		if name == "" {
			name = "Tags.Get"
		}
		fmt.Printf("| %s | %s | %s |", name, rw.subject, rw.unit)
		for _, peer := range peers[group] {
			r := rows[rw][peer]
			if len(r) == 0 {
				fmt.Print(" |")
				continue
			}
			slices.Sort(r)
			fmt.Printf(" %.2f× (%.2f–%.2f) |", median(r), r[0], r[len(r)-1])
		}
		fmt.Println()
	}
}

// round maps group → case → impl → unit → value.
type round map[string]map[string]map[string]map[string]float64

func read(name string) (round, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	r := round{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		group, name, _ := strings.Cut(m[1], "/")
		fields := strings.Fields(m[3])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			unit := fields[i+1]
			if unit == "ns/op" {
				unit, v = "sec/op", v/1e9
			}
			if r[group] == nil {
				r[group] = map[string]map[string]map[string]float64{}
			}
			if r[group][name] == nil {
				r[group][name] = map[string]map[string]float64{}
			}
			if r[group][name][m[2]] == nil {
				r[group][name][m[2]] = map[string]float64{}
			}
			r[group][name][m[2]][unit] = v
		}
	}
	return r, sc.Err()
}

func compare(r round) map[key]float64 {
	out := map[key]float64{}
	for group, cases := range r {
		subjects := cases
		if group == "Valid" {
			subjects = r["Decode"]
		}
		for name, impls := range cases {
			for subject, sv := range subjects[name] {
				if !isSubject(subject) || group == "Valid" && subject != "sdk" {
					continue
				}
				for peer, pv := range impls {
					if strings.HasPrefix(peer, "sdk") || peer == subject {
						continue
					}
					for unit, v := range sv {
						if p, ok := pv[unit]; ok && p > 0 && unit != "MB/s" {
							out[key{group, name, unit, subject, peer}] = v / p
						}
					}
				}
			}
		}
	}
	return out
}

// isSubject: the impl is divided by the others (the SDK's, and floors).
func isSubject(impl string) bool {
	return strings.HasPrefix(impl, "sdk") || strings.HasSuffix(impl, "floor")
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func peerOrder(peer string) int {
	i := slices.Index([]string{"encoding-json", "jsonv2", "goccy", "sonic"}, peer)
	if i < 0 {
		return 100 + len(peer)
	}
	return i
}

func unitOrder(unit string) int {
	return slices.Index([]string{"sec/op", "cpu-sec/op", "B/op", "allocs/op"}, unit)
}
