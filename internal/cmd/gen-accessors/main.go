// Command gen-accessors writes accessors.go, the nil-safe GetX methods of
// the SDK's response types (see package internal/accessorgen for what it
// generates). The root package runs it with `go generate`:
//
//	//go:generate go run ./internal/cmd/gen-accessors
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-gorgias/gorgias/internal/accessorgen"
)

func main() {
	dir := flag.String("dir", ".", "the package's directory")
	flag.Parse()
	src, err := accessorgen.Generate(*dir)
	if err == nil {
		err = os.WriteFile(filepath.Join(*dir, accessorgen.FileName), src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-accessors:", err)
		os.Exit(1)
	}
}
