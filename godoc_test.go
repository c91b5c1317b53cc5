package gorgias

import (
	"testing"

	"github.com/go-gorgias/gorgias/internal/godoccheck"
)

// TestEveryExportedNameIsDocumented holds godoc to the standard library's
// style: every exported name has a doc comment that starts with its name.
func TestEveryExportedNameIsDocumented(t *testing.T) { godoccheck.Check(t, ".", "gorgias") }
