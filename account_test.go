//go:build !mutation

package gorgias_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAccountSubdomain: every spelling NewClient accepts names one
// subdomain, the one in the client's address; what NewClient refuses,
// AccountSubdomain refuses with the same reason.
func TestAccountSubdomain(t *testing.T) {
	for _, account := range []string{"acme", "ACME", " acme ", " acme", "Acme.Gorgias.com", "acme.gorgias.com",
		"https://acme.gorgias.com", "https://acme.gorgias.com/", "https://acme.gorgias.com/api", "HTTPS://ACME.GORGIAS.COM/api/"} {
		c, err := gorgias.NewClient(account)
		require.NoError(t, err, account)
		sub, err := gorgias.AccountSubdomain(account)
		require.NoError(t, err, account)
		assert.Equal(t, "acme", sub, "%q", account)
		assert.Equal(t, "https://"+sub+".gorgias.com/api/", c.BaseURL(), "%q", account)
	}
	sub, err := gorgias.AccountSubdomain("my-shop-2")
	require.NoError(t, err)
	assert.Equal(t, "my-shop-2", sub)
	for _, account := range []string{"", "  ", "ac me", "}x", "{acme}", "acme/tickets", "http://acme.gorgias.com",
		"https://acme.gorgias.com/api/tickets", "acme.example.com", "-acme", "acme-", "ftp://acme.gorgias.com",
		"acme.gorgias.com:8080", "ac_me", "acmé", strings.Repeat("a", 64)} {
		sub, err := gorgias.AccountSubdomain(account)
		require.Error(t, err, "%q", account)
		assert.Empty(t, sub)
		_, clientErr := gorgias.NewClient(account)
		require.Error(t, clientErr, "%q", account)
		assert.True(t, strings.HasPrefix(err.Error(), "gorgias: "), err.Error())
		assert.Equal(t, strings.TrimPrefix(clientErr.Error(), "gorgias: NewClient: "), strings.TrimPrefix(err.Error(), "gorgias: "),
			"the same reason")
	}
}

// Every spelling of an account names one subdomain: key what belongs to
// the account by it.
func ExampleAccountSubdomain() {
	for _, account := range []string{"ACME", "acme.gorgias.com", "https://acme.gorgias.com/api/"} {
		sub, err := gorgias.AccountSubdomain(account)
		fmt.Println(sub, err)
	}
	_, err := gorgias.AccountSubdomain("acme.example.com")
	fmt.Println(err)
	// Output:
	// acme <nil>
	// acme <nil>
	// acme <nil>
	// gorgias: account "acme.example.com": not a gorgias.com helpdesk; use WithBaseURL for other hosts
}
