package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata/osv holds three made-up OSV entries (re-introduced and
// pre-release fixes, several ranges, a module named twice in one entry,
// an entry in a subdirectory) and two files to skip; testdata/golden is
// what golang.org/x/vulndb's own indexer made of them, its .json files
// (the .json.gz copies left out, as govulncheck does not read them):
//
//	go run golang.org/x/vulndb/cmd/indexdb@v0.0.0-20261105234957-e22db6528018 \
//	  -vulns testdata/osv -out testdata/golden
//	find testdata/golden -name '*.gz' -delete
func TestBuildMatchesIndexdb(t *testing.T) {
	out := t.TempDir()
	n, err := build("testdata/osv", out)
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	want, got := readTree(t, "testdata/golden"), readTree(t, out)
	require.ElementsMatch(t, keys(want), keys(got), "the files written")
	for name, w := range want {
		assert.Equal(t, string(w), string(got[name]), name)
	}
}

func TestModifiedIsWrittenInUTCToTheSecond(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	writeEntry(t, in, "GO-1.json", `{"id":"GO-1","modified":"2024-05-06T10:00:00.75+02:00",
		"affected":[{"package":{"name":"example.com/m"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.1"}]}]}]}`)
	writeEntry(t, in, "GO-2.json", `{"id":"GO-2","modified":"2024-05-06T07:59:59Z","aliases":[],"affected":[]}`)
	_, err := build(in, out)
	require.NoError(t, err)

	assert.JSONEq(t, `{"modified":"2024-05-06T08:00:00Z"}`, readFile(t, out, "index/db.json"))
	assert.Equal(t, `[{"path":"example.com/m","vulns":[{"id":"GO-1","modified":"2024-05-06T08:00:00Z","fixed":"1.0.1"}]}]`,
		readFile(t, out, "index/modules.json"))
	assert.Equal(t, `[{"id":"GO-1","modified":"2024-05-06T08:00:00Z"},{"id":"GO-2","modified":"2024-05-06T07:59:59Z"}]`,
		readFile(t, out, "index/vulns.json"), "an empty aliases list is left out")
	// The entry itself is the source's, compacted.
	assert.Equal(t, `{"id":"GO-2","modified":"2024-05-06T07:59:59Z","aliases":[],"affected":[]}`,
		readFile(t, out, "ID/GO-2.json"))
}

func TestRefusesWhatIndexdbRefusesAndUnsafeIDs(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"an id twice": {
			"a.json": `{"id":"GO-1","modified":"2024-01-01T00:00:00Z"}`,
			"b.json": `{"id":"GO-1","modified":"2024-01-02T00:00:00Z"}`,
		},
		"not JSON":               {"a.json": `{"id":"GO-1",`},
		"not an entry":           {"a.json": `[1, 2]`},
		"a time not RFC 3339":    {"a.json": `{"id":"GO-1","modified":"2024-01-01"}`},
		"a null time":            {"a.json": `{"id":"GO-1","modified":null}`},
		"no id":                  {"a.json": `{"modified":"2024-01-01T00:00:00Z"}`},
		"an id that is a path":   {"a.json": `{"id":"../GO-1"}`},
		"an id that is a parent": {"a.json": `{"id":".."}`},
		"an id with a backslash": {"a.json": `{"id":"GO\\1"}`},
	} {
		t.Run(name, func(t *testing.T) {
			in, out := t.TempDir(), t.TempDir()
			for file, content := range files {
				writeEntry(t, in, file, content)
			}
			_, err := build(in, out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), filepath.Join(in, ""), "the error names the file")
			entries, err := os.ReadDir(out)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing is written")
		})
	}
	_, err := build(filepath.Join(t.TempDir(), "missing"), t.TempDir())
	require.Error(t, err)
}

func TestLatestFixed(t *testing.T) {
	semver := func(events ...event) osvRange { return osvRange{Type: "SEMVER", Events: events} }
	in, fix := func(v string) event { return event{Introduced: v} }, func(v string) event { return event{Fixed: v} }
	for _, c := range []struct {
		name   string
		ranges []osvRange
		want   string
	}{
		{"no ranges", nil, ""},
		{"never fixed", []osvRange{semver(in("0"))}, ""},
		{"fixed", []osvRange{semver(in("0"), fix("1.2.3"))}, "1.2.3"},
		{"the latest of two fixes", []osvRange{semver(in("0"), fix("1.21.9"), in("1.22.0-0"), fix("1.22.2"))}, "1.22.2"},
		{"fixes in any order", []osvRange{semver(in("1.22.0-0"), fix("1.22.2"), in("0"), fix("1.21.9"))}, "1.22.2"},
		{"re-introduced after the fix", []osvRange{semver(in("0"), fix("1.0.0"), in("1.1.0"))}, ""},
		{"introduced at the fix is not after it", []osvRange{semver(in("1.0.0"), fix("1.0.0"))}, "1.0.0"},
		{"across ranges", []osvRange{semver(in("0"), fix("1.5.0")), semver(in("1.2.0"), fix("1.3.0"))}, "1.5.0"},
		{"re-introduced in a later range", []osvRange{semver(in("0"), fix("1.5.0")), semver(in("2.0.0"))}, ""},
		{"a later range re-fixes", []osvRange{semver(in("2.0.0")), semver(in("0"), fix("2.1.0"))}, "2.1.0"},
		{"pre-releases compare by number", []osvRange{semver(in("3.0.0-rc.1"), fix("3.0.0-rc.10"), in("3.0.0-rc.2"), fix("3.0.0-rc.9"))}, "3.0.0-rc.10"},
		{"a pseudo-version", []osvRange{semver(in("0"), fix("0.0.0-20240101000000-abcdefabcdef"))}, "0.0.0-20240101000000-abcdefabcdef"},
		{"not semver is never the fix", []osvRange{semver(in("0"), fix("v1.0.0"))}, ""},
		{"not semver after a fix", []osvRange{semver(in("0"), fix("1.0.0"), fix("1.x"))}, "1.0.0"},
		{"other range types are skipped", []osvRange{semver(in("0"), fix("1.0.0")), {Type: "ECOSYSTEM", Events: []event{fix("9.0.0"), in("8.0.0")}}}, "1.0.0"},
	} {
		assert.Equal(t, c.want, latestFixed(c.ranges), c.name)
	}
}

func TestCompareSemver(t *testing.T) {
	// Each strictly before the next (semver.org's §11 example, and more).
	ordered := []string{
		"v0.0.0-0", "v0.0.0", "v0.0.1", "v0.1.0", "v1", "v1.0.1", "v1.1", "v1.1.1", "v1.2.0-0",
		"v1.2.0-alpha", "v1.2.0-alpha.1", "v1.2.0-alpha.beta", "v1.2.0-beta", "v1.2.0-beta.2",
		"v1.2.0-beta.11", "v1.2.0-rc.1", "v1.2.0", "v1.10.0", "v2.0.0-20240101000000-abcdefabcdef",
		"v2.0.0", "v10.0.0", "v18446744073709551616.0.0",
	}
	for i, v := range ordered {
		assert.Equal(t, 0, compareSemver(v, v), v)
		for _, w := range ordered[i+1:] {
			assert.Equal(t, -1, compareSemver(v, w), "%s < %s", v, w)
			assert.Equal(t, 1, compareSemver(w, v), "%s > %s", w, v)
		}
	}
	for _, equal := range [][2]string{
		{"v1", "v1.0.0"}, {"v1.2", "v1.2.0"}, {"v1.2.3+build", "v1.2.3"}, {"v1.2.3-rc.1+a", "v1.2.3-rc.1+b"},
		{"v1.3.0+incompatible", "v1.3.0"},
	} {
		assert.Equal(t, 0, compareSemver(equal[0], equal[1]), "%s = %s", equal[0], equal[1])
	}
	invalid := []string{
		"", "v", "1.2.3", "vv1.0.0", "v01.2.3", "v1.02.3", "v1.2.03", "v1.2.3-01", "v1.2.3-", "v1.2.3-a..b",
		"v1.2.3+", "v1.2.3+a_b", "v1.2.3-a_b", "v1.2-rc.1", "v1-rc.1", "v1.2.3.4", "v1.x", "v-1.2.3", "v1.2.3 ",
	}
	for _, v := range invalid {
		// Invalid versions are before every valid one, and equal to each other.
		assert.Equal(t, -1, compareSemver(v, "v0.0.0-0"), "%q", v)
		assert.Equal(t, 1, compareSemver("v0.0.0-0", v), "%q", v)
		assert.Equal(t, 0, compareSemver(v, "x"), "%q", v)
	}
	// A build's identifiers may have leading zeros; a pre-release's alphanumeric ones too.
	assert.Equal(t, 0, compareSemver("v1.2.3+001", "v1.2.3"))
	assert.Equal(t, -1, compareSemver("v1.2.3-0a", "v1.2.3"))
}

func writeEntry(t *testing.T, dir, name, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

// readTree returns the files under dir by their slash-separated path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	}))
	return files
}

func keys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
