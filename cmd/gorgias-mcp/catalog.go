package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/go-gorgias/gorgias/internal/catalog"
)

// catalogText is the operation catalog the tools are named and typed
// after: the SDK's one copy, in internal/catalog.
var catalogText = catalog.Text()

// Operation is one tool of the catalog.
type Operation struct {
	// Name is the tool's name, such as "gorgias_tickets_get_ticket".
	Name string
	// Summary is the catalog's short title, such as "Retrieve a ticket".
	Summary string
	// Params are the tool's parameters, in the catalog's order.
	Params []Param
}

// Param is one parameter of an operation.
type Param struct {
	Name string
	// Type is the catalog's type: string, integer, boolean, object, or an
	// array of one of them (object[], integer[], string[], any[]).
	Type        string
	Required    bool
	Description string
}

// Param returns the parameter called name.
func (op *Operation) Param(name string) (Param, bool) {
	for _, p := range op.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// catalogTypes are the parameter types the catalog may use.
var catalogTypes = map[string]bool{
	"string": true, "integer": true, "number": true, "boolean": true, "object": true,
	"string[]": true, "integer[]": true, "number[]": true, "boolean[]": true, "object[]": true, "any[]": true,
}

var (
	toolNameRE  = regexp.MustCompile(`^gorgias_tickets_[a-z0-9_]+$`)
	paramNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

const (
	paramsMarker = " Parameters:"
	tableHeader  = "| Parameter | Type | Required | Default | Description |"
	tableRule    = "|---|---|---|---|---|"
)

// ParseCatalog reads the catalog's text: a header line, "Tools", then for
// each tool its name, a line "<summary> Parameters:| Parameter | Type |
// Required | Default | Description |", the table's rule and one row per
// parameter ("name | type | Yes | — | description |"). It is strict: any
// line it does not understand is an error, so a changed format fails
// loudly instead of yielding wrong schemas.
func ParseCatalog(text string) ([]Operation, error) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var ops []Operation
	seen := map[string]bool{}
	i := 0
	next := func() (string, int, bool) {
		for i < len(lines) {
			line := strings.TrimSpace(lines[i])
			i++
			if line != "" {
				return line, i, true
			}
		}
		return "", i, false
	}
	if line, n, ok := next(); !ok || !strings.HasPrefix(line, "/") {
		return nil, fmt.Errorf("catalog line %d: want the header line starting with '/'", n)
	}
	if line, n, ok := next(); !ok || line != "Tools" {
		return nil, fmt.Errorf("catalog line %d: want \"Tools\"", n)
	}
	var cur *Operation
	for {
		line, n, ok := next()
		if !ok {
			break
		}
		switch {
		case toolNameRE.MatchString(line):
			if seen[line] {
				return nil, fmt.Errorf("catalog line %d: tool %s appears twice", n, line)
			}
			seen[line] = true
			ops = append(ops, Operation{Name: line})
			cur = &ops[len(ops)-1]
			summary, n, ok := next()
			if !ok {
				return nil, fmt.Errorf("catalog line %d: tool %s has no summary line", n, line)
			}
			title, header, found := strings.Cut(summary, paramsMarker)
			if !found || strings.TrimSpace(header) != tableHeader || strings.TrimSpace(title) == "" {
				return nil, fmt.Errorf("catalog line %d: want \"<summary>%s%s\", got %q", n, paramsMarker, tableHeader, summary)
			}
			cur.Summary = strings.TrimSpace(title)
			if rule, n, ok := next(); !ok || rule != tableRule {
				return nil, fmt.Errorf("catalog line %d: want the table rule %q", n, tableRule)
			}
		case cur == nil:
			return nil, fmt.Errorf("catalog line %d: a parameter row before any tool: %q", n, line)
		default:
			p, err := parseParamRow(line)
			if err != nil {
				return nil, fmt.Errorf("catalog line %d (%s): %w", n, cur.Name, err)
			}
			if _, dup := cur.Param(p.Name); dup {
				return nil, fmt.Errorf("catalog line %d (%s): parameter %s appears twice", n, cur.Name, p.Name)
			}
			cur.Params = append(cur.Params, p)
		}
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf("catalog: no tools")
	}
	return ops, nil
}

// parseParamRow reads "name | type | Yes | — | description |".
func parseParamRow(line string) (Param, error) {
	cells := strings.SplitN(strings.TrimSuffix(line, "|"), " | ", 5)
	if len(cells) != 5 {
		return Param{}, fmt.Errorf("want 5 cells separated by \" | \", got %q", line)
	}
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	p := Param{Name: cells[0], Type: cells[1], Description: cells[4]}
	if !paramNameRE.MatchString(p.Name) {
		return Param{}, fmt.Errorf("bad parameter name %q", p.Name)
	}
	if !catalogTypes[p.Type] {
		return Param{}, fmt.Errorf("parameter %s: unknown type %q", p.Name, p.Type)
	}
	switch cells[2] {
	case "Yes":
		p.Required = true
	case "No":
	default:
		return Param{}, fmt.Errorf("parameter %s: Required is %q, want Yes or No", p.Name, cells[2])
	}
	if cells[3] != "—" {
		return Param{}, fmt.Errorf("parameter %s: a default (%q) is not supported", p.Name, cells[3])
	}
	return p, nil
}

// mustCatalog parses the embedded catalog; it cannot fail for the copy
// the tests check.
func mustCatalog() []Operation {
	ops, err := ParseCatalog(catalogText)
	if err != nil {
		panic(err)
	}
	return ops
}
