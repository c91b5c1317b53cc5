//go:build !mutation

package gorgias

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias/internal/godoccheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryExportedNameIsDocumented holds godoc to the standard library's
// style: every exported name has a doc comment that starts with its name.
func TestEveryExportedNameIsDocumented(t *testing.T) { godoccheck.Check(t, ".", "gorgias") }

// referenceSlug is the name of a catalog operation's page under
// https://developers.gorgias.com/reference/: the operation's name with
// hyphens ("create-ticket-message"), but for the one operation the
// reference names after its method and path ("get_api-tickets-ticket-id-tags").
func referenceSlug(operation string) string {
	name := strings.TrimPrefix(operation, "gorgias_tickets_")
	if rest, ok := strings.CutPrefix(name, "get_api_"); ok {
		return "get_api-" + strings.ReplaceAll(rest, "_", "-")
	}
	return strings.ReplaceAll(name, "_", "-")
}

func TestReferenceSlug(t *testing.T) {
	for operation, slug := range map[string]string{
		"gorgias_tickets_create_satisfaction_survey":     "create-satisfaction-survey",
		"gorgias_tickets_get_api_tickets_ticket_id_tags": "get_api-tickets-ticket-id-tags",
		"gorgias_tickets_update_ticket_custom_fields":    "update-ticket-custom-fields",
	} {
		assert.Equal(t, slug, referenceSlug(operation), operation)
	}
}

// TestEveryOperationLinksItsReferencePage: each service method that maps
// one API operation (its doc comment names it, "(PUT /api/tags/{id})") ends
// its doc comment with the line "Gorgias API docs: <its reference page>",
// as go-github's methods do, and each of the catalog's 36 operations and
// the 5 custom field definition operations (§14) and the 5 integration
// operations (§15) is linked from exactly one method. Helpers built on an operation ("(GET /api/tickets?external_id=…)")
// are not operations of their own.
func TestEveryOperationLinksItsReferencePage(t *testing.T) {
	operationRe := regexp.MustCompile(`\((GET|POST|PUT|DELETE) /api/[^\s?),]*[\s),]`)
	linkRe := regexp.MustCompile(`(?m)^Gorgias API docs: https://developers\.gorgias\.com/reference/([a-z0-9_-]+)$`)
	fset := token.NewFileSet()
	linkedBy := map[string]string{} // reference slug → the method linking it
	for _, file := range godoccheck.GoFiles(t, fset, ".", false, parser.ParseComments) {
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Doc == nil || !fn.Name.IsExported() {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			recv, ok := star.X.(*ast.Ident)
			if !ok || !strings.HasSuffix(recv.Name, "Service") {
				continue
			}
			method := recv.Name + "." + fn.Name.Name
			doc := fn.Doc.Text()
			links := linkRe.FindAllStringSubmatch(doc, -1)
			if !operationRe.MatchString(doc) {
				assert.Empty(t, links, "%s names no operation but links a reference page", method)
				continue
			}
			if !assert.Len(t, links, 1, "%s maps an operation: its doc comment links the reference page once", method) {
				continue
			}
			assert.True(t, strings.HasSuffix(doc, links[0][0]+"\n"), "%s: the link is the doc comment's last line", method)
			slug := links[0][1]
			if other, dup := linkedBy[slug]; dup {
				t.Errorf("%s and %s both link %s", other, method, slug)
			}
			linkedBy[slug] = method
		}
	}
	want := []string{"list-custom-fields", "get-custom-field", "create-custom-field", "update-custom-field", "update-custom-fields",
		"list-integrations", "get-integration", "create-integration", "update-integration", "delete-integration"}
	for _, op := range parseCatalog(t) {
		want = append(want, referenceSlug(op.Name))
	}
	require.Len(t, want, 46)
	for _, slug := range want {
		assert.Contains(t, linkedBy, slug, "no method links the reference page of %s", slug)
	}
	assert.Len(t, linkedBy, len(want), "every linked page is one of the 46 operations': %v", linkedBy)
}
