package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catalogPath is the repository's one copy of the catalog, which
// internal/catalog embeds.
const catalogPath = "../../internal/catalog/gorgias-tickets-operations.txt"

func TestCatalogTextIsTheRepositoryCopy(t *testing.T) {
	want, err := os.ReadFile(catalogPath)
	require.NoError(t, err)
	// Byte for byte: not require.Equal's diff of two 22 kB strings.
	require.True(t, string(want) == catalogText, "catalogText is not %s", catalogPath)
}

func TestParseCatalog(t *testing.T) {
	data, err := os.ReadFile(catalogPath)
	require.NoError(t, err)
	ops, err := ParseCatalog(string(data))
	require.NoError(t, err)
	require.Len(t, ops, 36)

	get, ok := find(ops, "gorgias_tickets_get_ticket")
	require.True(t, ok)
	assert.Equal(t, "Retrieve a ticket", get.Summary)
	assert.Equal(t, []Param{
		{Name: "id", Type: "integer", Required: true, Description: "The ID of the ticket to retrieve."},
		{Name: "relationships", Type: "string[]", Description: "Names of relations that should be included in returned data."},
	}, get.Params)

	create, ok := find(ops, "gorgias_tickets_create_ticket")
	require.True(t, ok)
	assert.Len(t, create.Params, 24)
	var required []string
	for _, p := range create.Params {
		if p.Required {
			required = append(required, p.Name)
		}
	}
	assert.Equal(t, []string{"messages", "via"}, required)

	total := 0
	for _, op := range ops {
		total += len(op.Params)
	}
	assert.Equal(t, 186, total, "parameter rows in the catalog")
}

func find(ops []Operation, name string) (Operation, bool) {
	for _, op := range ops {
		if op.Name == name {
			return op, true
		}
	}
	return Operation{}, false
}

func TestParseCatalogIsStrict(t *testing.T) {
	const head = "/gorgias-tickets | Type: Application | PCID required: Yes\nTools\n"
	const tool = "gorgias_tickets_get_tag\nRetrieve a tag Parameters:| Parameter | Type | Required | Default | Description |\n|---|---|---|---|---|\n"
	_, err := ParseCatalog(head + tool + "id | integer | Yes | — | The ID. |\n")
	require.NoError(t, err)

	for name, text := range map[string]string{
		"empty":             "",
		"no tools line":     "/gorgias-tickets\n" + tool,
		"no tools":          head,
		"unknown type":      head + tool + "id | int64 | Yes | — | The ID. |\n",
		"bad required":      head + tool + "id | integer | Maybe | — | The ID. |\n",
		"a default":         head + tool + "id | integer | Yes | 5 | The ID. |\n",
		"too few cells":     head + tool + "id | integer | Yes |\n",
		"duplicate param":   head + tool + "id | integer | Yes | — | a |\nid | integer | No | — | b |\n",
		"duplicate tool":    head + tool + tool,
		"no table rule":     head + "gorgias_tickets_get_tag\nRetrieve a tag Parameters:| Parameter | Type | Required | Default | Description |\nid | integer | Yes | — | x |\n",
		"no summary marker": head + "gorgias_tickets_get_tag\nRetrieve a tag\n|---|---|---|---|---|\n",
		"row before a tool": head + "id | integer | Yes | — | x |\n",
		"bad param name":    head + tool + "Id-x | integer | Yes | — | x |\n",
	} {
		_, err := ParseCatalog(text)
		assert.Error(t, err, name)
	}
}

func TestCatalogDescriptionsHaveNoHTMLInSchemas(t *testing.T) {
	ops := mustCatalog()
	tools, err := catalogTools(ops)
	require.NoError(t, err)
	for _, tl := range tools {
		s := inputSchema(tl.op, tl.b)
		for name, p := range s["properties"].(map[string]any) {
			desc, _ := p.(map[string]any)["description"].(string)
			assert.False(t, strings.ContainsAny(desc, "<>"), "%s.%s: %q", tl.op.Name, name, desc)
		}
	}
}
