package redislimit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryExportedNameIsDocumented holds godoc to the standard library's
// style, as the root package does: every exported name has a doc comment
// that starts with the name (a constant may be documented by its group's
// comment instead).
func TestEveryExportedNameIsDocumented(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	require.NotEmpty(t, files)
	check := func(name string, doc *ast.CommentGroup) {
		if !assert.NotNil(t, doc, "%s has no doc comment", name) {
			return
		}
		text := strings.TrimPrefix(strings.TrimPrefix(doc.Text(), "A "), "An ")
		assert.True(t, strings.HasPrefix(text, name+" ") || strings.HasPrefix(text, name+","),
			"the doc comment of %s starts with its name: %.60q", name, doc.Text())
	}
	for _, file := range files {
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() {
					check(d.Name.Name, d.Doc) // every receiver type here is exported or has no exported methods
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							doc := s.Doc
							if doc == nil && len(d.Specs) == 1 {
								doc = d.Doc
							}
							check(s.Name.Name, doc)
						}
					case *ast.ValueSpec:
						for _, name := range s.Names {
							if !name.IsExported() {
								continue
							}
							if s.Doc != nil {
								check(name.Name, s.Doc)
							} else {
								assert.NotNil(t, d.Doc, "%s has no doc comment, nor has its group", name.Name)
							}
						}
					}
				}
			}
		}
	}
}
