// Package godoccheck holds a package's godoc to the standard library's
// style, for the tests of the SDK and of its fake.
package godoccheck

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

// GoFiles parses the Go files of dir (its _test.go files too when
// withTests), in the order of their names: what go/parser.ParseDir did
// before Go 1.25 deprecated it.
func GoFiles(t testing.TB, fset *token.FileSet, dir string, withTests bool, mode parser.Mode) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	var files []*ast.File
	for _, name := range names {
		if !withTests && strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, mode)
		require.NoError(t, err)
		files = append(files, f)
	}
	require.NotEmpty(t, files, "no Go files in %s", dir)
	return files
}

// Check fails t unless every exported type, function, method, constant and
// variable of the package pkgName in dir has a doc comment that starts with
// the name it documents (a constant or variable may be documented by its
// group's comment instead).
func Check(t *testing.T, dir, pkgName string) {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, f := range GoFiles(t, fset, dir, false, parser.ParseComments) {
		if f.Name.Name == pkgName {
			files = append(files, f)
		}
	}
	require.NotEmpty(t, files, "package %s in %s", pkgName, dir)
	check := func(pos token.Pos, name string, doc *ast.CommentGroup) {
		where := fset.Position(pos)
		if !assert.NotNil(t, doc, "%s (%s:%d) has no doc comment", name, where.Filename, where.Line) {
			return
		}
		text := doc.Text()
		first := strings.TrimPrefix(strings.TrimPrefix(text, "Deprecated: "), "A ")
		first = strings.TrimPrefix(first, "An ")
		assert.True(t, strings.HasPrefix(first, name+" ") || strings.HasPrefix(first, name+",") || strings.HasPrefix(first, name+"'"),
			"the doc comment of %s (%s:%d) starts with its name: %.60q", name, where.Filename, where.Line, text)
	}
	for _, file := range files {
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() || d.Recv != nil && !exportedReceiver(d.Recv) {
					continue
				}
				check(d.Pos(), d.Name.Name, d.Doc)
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						doc := s.Doc
						if doc == nil && len(d.Specs) == 1 {
							doc = d.Doc
						}
						check(s.Pos(), s.Name.Name, doc)
					case *ast.ValueSpec:
						for _, name := range s.Names {
							if !name.IsExported() {
								continue
							}
							if s.Doc != nil {
								check(name.Pos(), name.Name, s.Doc)
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

// exportedReceiver reports whether a method's receiver type is exported.
func exportedReceiver(recv *ast.FieldList) bool {
	typ := recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if index, ok := typ.(*ast.IndexExpr); ok {
		typ = index.X
	}
	if index, ok := typ.(*ast.IndexListExpr); ok {
		typ = index.X
	}
	id, ok := typ.(*ast.Ident)
	return ok && id.IsExported()
}
