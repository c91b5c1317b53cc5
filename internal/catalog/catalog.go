// Package catalog holds the operation catalog of the Gorgias tickets API
// (gorgias-tickets-operations.txt, a verbatim copy of
// ../shared/seed/gorgias-tickets-operations.txt beside the repository):
// each operation's name, summary and parameter table. It is the spec the
// SDK is written from, and the one copy the SDK's catalog tests and the
// MCP server (cmd/gorgias-mcp, which names and types its tools after it)
// read.
package catalog

import _ "embed"

//go:embed gorgias-tickets-operations.txt
var text string

// Text returns the catalog's text as the seed holds it, byte for byte.
func Text() string { return text }
