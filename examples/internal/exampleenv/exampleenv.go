// Package exampleenv connects the example programs to Gorgias: to a real
// account when GORGIAS_ACCOUNT, GORGIAS_EMAIL and GORGIAS_API_KEY are set,
// else to an embedded gorgiastest server seeded with a demo help desk.
package exampleenv

import (
	"fmt"
	"io"
	"os"

	"github.com/go-gorgias/gorgias"
	"github.com/go-gorgias/gorgias/gorgiastest"
)

// Env is where an example runs.
type Env struct {
	Client *gorgias.Client
	// Fake is the embedded server, nil against a real account.
	Fake *gorgiastest.Server
}

// Close stops the embedded server, if any.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// Connect picks the real account or the embedded fake, and says which on
// the first line of out.
func Connect(out io.Writer) (*Env, error) {
	account, email, key := os.Getenv("GORGIAS_ACCOUNT"), os.Getenv("GORGIAS_EMAIL"), os.Getenv("GORGIAS_API_KEY")
	if account != "" && email != "" && key != "" {
		client, err := gorgias.NewClient(account, gorgias.WithBasicAuth(email, key), gorgias.WithUserAgent("gorgias-go-examples"))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "Running against the Gorgias account %s.\n", client.BaseURL())
		return &Env{Client: client}, nil
	}
	fake := gorgiastest.NewServer(gorgiastest.WithSeedData(gorgiastest.SeedConfig{}), gorgiastest.WithoutRateLimit())
	fmt.Fprintf(out, "Running against an embedded gorgiastest server at %s (set GORGIAS_ACCOUNT, GORGIAS_EMAIL and GORGIAS_API_KEY to use your account).\n", fake.URL)
	return &Env{Client: fake.Client(gorgias.WithoutRateLimit()), Fake: fake}, nil
}
