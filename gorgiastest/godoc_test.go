package gorgiastest_test

import (
	"testing"

	"github.com/go-gorgias/gorgias/internal/godoccheck"
)

// TestEveryExportedNameIsDocumented holds the fake's godoc, as the root
// package's test holds the SDK's, to the standard library's style.
func TestEveryExportedNameIsDocumented(t *testing.T) { godoccheck.Check(t, ".", "gorgiastest") }
