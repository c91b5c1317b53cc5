package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The seed is beside the repository's clone: ../shared/seed from its root.
var seedPath = filepath.Join("..", "..", "..", "shared", "seed", "gorgias-tickets-operations.txt")

func TestTextIsTheSeedVerbatim(t *testing.T) {
	original, err := os.ReadFile(seedPath)
	if os.IsNotExist(err) {
		t.Skip("../shared/seed is not beside this clone")
	}
	require.NoError(t, err)
	// Byte for byte: not assert.Equal's diff of two 22 kB strings.
	assert.True(t, string(original) == Text(),
		"refresh the copy: cp ../shared/seed/gorgias-tickets-operations.txt internal/catalog/ (from the repository's root)")
}

func TestTextIsTheCatalog(t *testing.T) {
	lines := strings.Split(Text(), "\n")
	require.Greater(t, len(lines), 2)
	assert.True(t, strings.HasPrefix(lines[0], "/gorgias-tickets "), "first line: %q", lines[0])
	assert.Equal(t, "Tools", strings.TrimSpace(lines[1]))
	assert.Equal(t, 36, strings.Count(Text(), "\ngorgias_tickets_"), "one name line per operation")
}
