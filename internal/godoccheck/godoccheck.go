// Package godoccheck holds a package's godoc to the standard library's
// style, for the tests of the SDK and of its fake.
package godoccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Check fails t unless every exported type, function, method, constant and
// variable of the package pkgName in dir has a doc comment that starts with
// the name it documents (a constant or variable may be documented by its
// group's comment instead).
func Check(t *testing.T, dir, pkgName string) {
	t.Helper()
	fset := token.NewFileSet()
	//lint:ignore SA1019 ParseDir is deprecated since Go 1.25 for ignoring build tags; these packages have no build-tagged files outside their tests
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	require.NoError(t, err)
	pkg := pkgs[pkgName]
	require.NotNil(t, pkg)
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
	for _, file := range pkg.Files {
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
