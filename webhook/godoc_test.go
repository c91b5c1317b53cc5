package webhook

import (
	"testing"

	"github.com/go-gorgias/gorgias/internal/godoccheck"
)

// TestEveryExportedNameIsDocumented holds the package to the standard
// library's godoc style, as the SDK's other packages are.
func TestEveryExportedNameIsDocumented(t *testing.T) { godoccheck.Check(t, ".", "webhook") }
