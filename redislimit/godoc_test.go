package redislimit

import (
	"testing"

	"github.com/go-gorgias/gorgias/internal/godoccheck"
)

// TestEveryExportedNameIsDocumented holds godoc to the standard library's
// style, as the root package does: every exported name has a doc comment
// that starts with its name.
func TestEveryExportedNameIsDocumented(t *testing.T) { godoccheck.Check(t, ".", "redislimit") }
