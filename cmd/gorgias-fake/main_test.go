package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/go-gorgias/gorgias"
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
}

func TestRunRejectsBadFlags(t *testing.T) {
	assert.Error(t, run([]string{"-tickets", "many"}, &bytes.Buffer{}, func() {}))
}
