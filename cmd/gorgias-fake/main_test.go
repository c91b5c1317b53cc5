package main

import (
	"bytes"
	"context"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/internal/godoccheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun starts the command on a free port and drives it with the SDK,
// using the URL and credentials it printed.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"-addr", "127.0.0.1:0", "-tickets", "40", "-rate-limit", "0"}, &out, func() {
		text := out.String()
		url := regexp.MustCompile(`at (http://[^ ]+)/api/`).FindStringSubmatch(text)
		key := regexp.MustCompile(`API key (\S+)`).FindStringSubmatch(text)
		email := regexp.MustCompile(`email (\S+),`).FindStringSubmatch(text)
		require.NotNil(t, url, text)
		client, err := gorgias.NewClient("", gorgias.WithBaseURL(url[1]), gorgias.WithBasicAuth(email[1], key[1]))
		require.NoError(t, err)
		page, err := client.Tickets.List(context.Background(), &gorgias.ListTicketsOptions{ListOptions: gorgias.ListOptions{Limit: 100}})
		require.NoError(t, err)
		assert.Len(t, page.Data, 40)
	})
	require.NoError(t, err)
	assert.Contains(t, out.String(), "with 40 tickets")
	assert.Contains(t, out.String(), "curl -u")
	assert.Regexp(t, `view \d+: Open tickets`, out.String())
	assert.Regexp(t, `ticket custom fields: \d+ Order number, .*\d+ Gift order \(GET /api/custom-fields\?object_type=Ticket\)`, out.String())
}

func TestRunRejectsBadFlags(t *testing.T) {
	err := run([]string{"-tickets", "many"}, &bytes.Buffer{}, func() {})
	assert.Error(t, err)
	assert.Equal(t, 2, exitCode(err))
}

func TestHelpExitsZero(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"-h"}, &out, func() { t.Fatal("-h must not start the server") })
	assert.Equal(t, 0, exitCode(err))
	assert.Contains(t, out.String(), "-rate-limit", "the usage lists the flags")
}

// TestHelpAsAProgram runs the built command: -h exits 0.
func TestHelpAsAProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "gorgias-fake")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin, "-h").CombinedOutput()
	require.NoError(t, err, "exit status of -h: %s", out)
	assert.Contains(t, string(out), "Usage of gorgias-fake")
}

// TestDocLinksStayInTheRepository: the commands' and the fake's package
// docs point only at files of this module.
func TestDocLinksStayInTheRepository(t *testing.T) {
	for _, dir := range []string{".", "../../gorgiastest"} {
		fset := token.NewFileSet()
		for _, f := range godoccheck.GoFiles(t, fset, dir, true, parser.ParseComments|parser.PackageClauseOnly) {
			if f.Doc == nil {
				continue
			}
			name := fset.Position(f.Package).Filename
			doc := f.Doc.Text()
			assert.NotContains(t, doc, "../shared", name)
			assert.NotRegexp(t, `https?://`, doc, "%s links outside the repository", name)
		}
	}
}
