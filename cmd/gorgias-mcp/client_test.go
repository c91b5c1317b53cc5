package main

import (
	"testing"
)

// TestAllToolsInMemory connects the protocol SDK's client in memory and
// calls each of the 36 tools against gorgiastest.
func TestAllToolsInMemory(t *testing.T) {
	srv := newFake(t)
	cs := connect(t, srv.Client(), serverOptions{})
	exerciseAllTools(t, cs)
}
