// Command vulnindex makes a Go vulnerability database that
// `govulncheck -db file://DIR` reads out of a directory of OSV entries, such
// as the data/osv folder of the golang.org/x/vulndb module.
// scripts/govulncheck runs it:
//
//	go run ./internal/cmd/vulnindex -vulns DIR -out DIR
//
// It writes what golang.org/x/vulndb's cmd/indexdb writes (the v1 layout of
// https://go.dev/security/vuln/database#api), with the standard library only,
// so it builds in seconds where indexdb's dependencies take minutes:
//
//   - index/db.json: {"modified"}, the latest time an entry was modified;
//   - index/modules.json: for each module an entry names, sorted by path,
//     {"path", "vulns": [{"id", "modified", "fixed"}]} sorted by id, one
//     item an affected block (an entry naming a module twice is listed
//     twice), "fixed" the latest SEMVER fix of its ranges, none when the
//     vulnerability comes back after it;
//   - index/vulns.json: {"id", "modified", "aliases"} of each entry, sorted
//     by id;
//   - ID/<id>.json: each entry, compacted. indexdb decodes and re-encodes
//     it, which gives the same bytes for entries written by that encoder,
//     as data/osv's are; here fields it does not know are kept too.
//
// Times are RFC 3339 in UTC, to the second, as indexdb writes them. It reads
// the *.json files under -vulns but index.json (the legacy index), as
// indexdb does, and refuses an id seen twice, a time not RFC 3339, and an
// id that is not a file name. It writes nothing unless every entry reads;
// it does not write the .json.gz copies, which only HTTP clients fetch.
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	vulns := flag.String("vulns", "", "directory of OSV entries (*.json), such as golang.org/x/vulndb's data/osv")
	out := flag.String("out", "", "directory to write the database to")
	flag.Parse()
	if *vulns == "" || *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: vulnindex -vulns DIR -out DIR")
		os.Exit(2)
	}
	if _, err := build(*vulns, *out); err != nil {
		fmt.Fprintln(os.Stderr, "vulnindex:", err)
		os.Exit(1)
	}
}

// entry is what the index needs of an OSV entry.
type entry struct {
	ID       string    `json:"id"`
	Modified osvTime   `json:"modified"`
	Aliases  []string  `json:"aliases"`
	Affected []affects `json:"affected"`
}

type affects struct {
	Module struct {
		Path string `json:"name"`
	} `json:"package"`
	Ranges []osvRange `json:"ranges"`
}

type osvRange struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

type event struct {
	Introduced string `json:"introduced"`
	Fixed      string `json:"fixed"`
}

// osvTime reads an RFC 3339 time (null is not one) and writes it in UTC,
// to the second, as vulndb's osv.Time does.
type osvTime struct{ time.Time }

func (t *osvTime) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	parsed, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return err
	}
	t.Time = parsed.UTC()
	return nil
}

func (t osvTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.UTC().Format(time.RFC3339))
}

type dbMeta struct {
	Modified osvTime `json:"modified"`
}

type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type moduleVuln struct {
	ID       string  `json:"id"`
	Modified osvTime `json:"modified"`
	Fixed    string  `json:"fixed,omitempty"`
}

type vuln struct {
	ID       string   `json:"id"`
	Modified osvTime  `json:"modified"`
	Aliases  []string `json:"aliases,omitempty"`
}

// build indexes the entries under vulnsDir into a database in outDir and
// returns how many entries it holds.
func build(vulnsDir, outDir string) (int, error) {
	var (
		db      dbMeta
		modules = map[string]*module{}
		vulns   []vuln
		files   = map[string][]byte{} // ID/<id>.json
	)
	err := filepath.WalkDir(vulnsDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "index.json" || filepath.Ext(d.Name()) != ".json" {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if e.ID == "" || e.ID != filepath.Base(e.ID) || strings.ContainsAny(e.ID, `/\`) || !filepath.IsLocal(e.ID) {
			return fmt.Errorf("%s: id %q is not a file name", path, e.ID)
		}
		name := filepath.Join("ID", e.ID+".json")
		if _, ok := files[name]; ok {
			return fmt.Errorf("%s: id %q appears twice", path, e.ID)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		// As encoding/json writes strings: <, >, & and U+2028/9 escaped.
		var escaped bytes.Buffer
		json.HTMLEscape(&escaped, compact.Bytes())
		files[name] = escaped.Bytes()

		vulns = append(vulns, vuln{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		if e.Modified.After(db.Modified.Time) {
			db.Modified = e.Modified
		}
		for _, a := range e.Affected {
			m := modules[a.Module.Path]
			if m == nil {
				m = &module{Path: a.Module.Path, Vulns: []moduleVuln{}}
				modules[a.Module.Path] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: latestFixed(a.Ranges)})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}

	byPath := make([]*module, 0, len(modules))
	for _, m := range modules {
		slices.SortStableFunc(m.Vulns, func(a, b moduleVuln) int { return strings.Compare(a.ID, b.ID) })
		byPath = append(byPath, m)
	}
	slices.SortFunc(byPath, func(a, b *module) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(vulns, func(a, b vuln) int { return strings.Compare(a.ID, b.ID) })
	for name, v := range map[string]any{"db.json": db, "modules.json": byPath, "vulns.json": vulns} {
		b, err := json.Marshal(v)
		if err != nil {
			return 0, err
		}
		files[filepath.Join("index", name)] = b
	}

	for _, dir := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(outDir, dir), 0o755); err != nil {
			return 0, err
		}
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(outDir, name), b, 0o644); err != nil {
			return 0, err
		}
	}
	return len(vulns), nil
}

// latestFixed is the version from which on no version is affected, as
// vulndb's osvutils.LatestFixed finds it: the latest fix of the SEMVER
// ranges, or "" when none or when a range introduces the vulnerability
// again after it.
func latestFixed(ranges []osvRange) string {
	var latest string
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && compareSemver("v"+latest, "v"+e.Fixed) < 0 {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && compareSemver("v"+latest, "v"+e.Introduced) < 0 {
				latest = ""
				break
			}
		}
	}
	return latest
}

// semver is a parsed semantic version: vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]],
// MINOR and PATCH 0 when left out (but then with neither PRERELEASE nor BUILD).
type semver struct {
	major, minor, patch string
	prerelease          []string
}

// compareSemver compares two semantic versions, prefixed with "v", as
// golang.org/x/mod/semver.Compare does: -1, 0 or +1 as v is before, equal
// to or after w; build metadata is ignored; an invalid version is before
// every valid one and equal to another invalid one.
func compareSemver(v, w string) int {
	pv, okv := parseSemver(v)
	pw, okw := parseSemver(w)
	switch {
	case !okv && !okw:
		return 0
	case !okv:
		return -1
	case !okw:
		return 1
	}
	for _, c := range [][2]string{{pv.major, pw.major}, {pv.minor, pw.minor}, {pv.patch, pw.patch}} {
		if n := compareNumbers(c[0], c[1]); n != 0 {
			return n
		}
	}
	// A release is after its pre-releases, which compare identifier by
	// identifier: numbers by value, before words, which compare as text;
	// a prefix of another is before it.
	switch a, b := pv.prerelease, pw.prerelease; {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return 1
	case len(b) == 0:
		return -1
	}
	for i := 0; i < len(pv.prerelease) && i < len(pw.prerelease); i++ {
		a, b := pv.prerelease[i], pw.prerelease[i]
		aNum, bNum := isNumber(a), isNumber(b)
		var n int
		switch {
		case aNum && bNum:
			n = compareNumbers(a, b)
		case aNum:
			n = -1
		case bNum:
			n = 1
		default:
			n = strings.Compare(a, b)
		}
		if n != 0 {
			return n
		}
	}
	return cmp.Compare(len(pv.prerelease), len(pw.prerelease))
}

func parseSemver(v string) (semver, bool) {
	rest, ok := strings.CutPrefix(v, "v")
	if !ok {
		return semver{}, false
	}
	core, build, hasBuild := strings.Cut(rest, "+")
	core, pre, hasPre := strings.Cut(core, "-")
	nums := strings.Split(core, ".")
	if len(nums) > 3 || (len(nums) < 3 && (hasPre || hasBuild)) {
		return semver{}, false
	}
	for _, n := range nums {
		if !isNumber(n) || (len(n) > 1 && n[0] == '0') {
			return semver{}, false
		}
	}
	for len(nums) < 3 {
		nums = append(nums, "0")
	}
	p := semver{major: nums[0], minor: nums[1], patch: nums[2]}
	if hasPre {
		p.prerelease = strings.Split(pre, ".")
		for _, id := range p.prerelease {
			if !isIdentifier(id) || (isNumber(id) && len(id) > 1 && id[0] == '0') {
				return semver{}, false
			}
		}
	}
	if hasBuild {
		for _, id := range strings.Split(build, ".") {
			if !isIdentifier(id) {
				return semver{}, false
			}
		}
	}
	return p, true
}

// isNumber reports whether s is a non-empty string of ASCII digits.
func isNumber(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// isIdentifier reports whether s is a non-empty string of ASCII letters, digits and hyphens.
func isIdentifier(s string) bool {
	return s != "" && strings.Trim(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") == ""
}

// compareNumbers compares two strings of digits without leading zeros by value.
func compareNumbers(a, b string) int {
	if n := cmp.Compare(len(a), len(b)); n != 0 {
		return n
	}
	return strings.Compare(a, b)
}
