package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/go-gorgias/gorgias"
)

// SecretHeader is the header a registered integration sends the secret in,
// and the one the handler checks.
const SecretHeader = "X-Gorgias-Webhook-Secret"

// MinSecretLength is the shortest secret Register and NewHandler accept.
const MinSecretLength = 16

// Config describes the HTTP integration Register keeps.
type Config struct {
	// Name identifies the integration: Register updates the HTTP
	// integration of this name, or creates it.
	Name string
	// URL receives the deliveries: https:// (http:// only for loopback).
	URL string
	// Secret is sent in SecretHeader with every delivery: at least 16
	// characters, random (for example 32 bytes of crypto/rand, in hex).
	Secret string
	// Triggers are the events delivered; none means TicketCreated,
	// TicketUpdated and TicketMessageCreated.
	Triggers []Trigger
}

// DefaultTriggers are the triggers of a Config that names none.
func DefaultTriggers() []Trigger {
	return []Trigger{TicketCreated, TicketUpdated, TicketMessageCreated}
}

// ConfigError reports a Config that Register refuses, before any request.
type ConfigError struct {
	Field, Problem string
}

// Error names the field and the problem, never the secret.
func (e *ConfigError) Error() string { return "webhook: Config." + e.Field + ": " + e.Problem }

func (cfg *Config) check() error {
	bad := func(field, problem string) error { return &ConfigError{field, problem} }
	if strings.TrimSpace(cfg.Name) == "" {
		return bad("Name", "is required")
	}
	u, err := url.Parse(cfg.URL)
	switch {
	case strings.TrimSpace(cfg.URL) == "":
		return bad("URL", "is required")
	case err != nil || u.Host == "":
		return bad("URL", "is not an absolute URL")
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return bad("URL", "http:// is accepted for loopback hosts only; use https://")
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("URL", "must be https://")
	}
	if err := checkSecret(cfg.Secret); err != nil {
		return bad("Secret", err.Error())
	}
	for _, t := range cfg.Triggers {
		if !t.Known() {
			return bad("Triggers", fmt.Sprintf("%.64q is not a trigger of this package", string(t)))
		}
	}
	return nil
}

func checkSecret(secret string) error {
	if len(secret) < MinSecretLength {
		return fmt.Errorf("must be at least %d characters", MinSecretLength)
	}
	for i := 0; i < len(secret); i++ {
		if c := secret[i]; c <= ' ' || c == 0x7f {
			return errors.New("holds a space or a control character, which a header cannot carry as is")
		}
	}
	return nil
}

func loopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// request is the HTTP integration cfg describes: every known trigger is
// sent, on or off, so an update turns off the ones no longer wanted.
func (cfg *Config) request() *gorgias.HTTPIntegrationRequest {
	want := cfg.Triggers
	if len(want) == 0 {
		want = DefaultTriggers()
	}
	triggers := make(map[string]bool, len(knownTriggers))
	for _, t := range knownTriggers {
		triggers[string(t)] = false
	}
	for _, t := range want {
		triggers[string(t)] = true
	}
	return &gorgias.HTTPIntegrationRequest{
		URL:                 cfg.URL,
		Method:              http.MethodPost,
		Headers:             map[string]string{SecretHeader: cfg.Secret},
		Form:                Template(),
		RequestContentType:  gorgias.ContentTypeJSON,
		ResponseContentType: gorgias.ContentTypeJSON,
		Triggers:            triggers,
	}
}

const description = "Registered by the gorgias Go SDK (package webhook)"

// Register makes the account hold one HTTP integration named cfg.Name
// that sends cfg's triggers to cfg.URL with the secret in SecretHeader and
// the SDK's body (see Template). It updates the HTTP integration of that
// name if there is one (turning it back on if Gorgias deactivated it), and
// creates it otherwise, so calling it again, with the same Config or a
// changed one, leaves one integration. Should there be several of that
// name (two processes registering at once), it keeps the oldest and
// deletes the others.
func Register(ctx context.Context, c *gorgias.Client, cfg Config) (*gorgias.Integration, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	var same []*gorgias.Integration
	for in, err := range c.Integrations.All(ctx, &gorgias.ListIntegrationsOptions{Type: gorgias.IntegrationTypeHTTP}) {
		if err != nil {
			return nil, fmt.Errorf("webhook: Register: listing the HTTP integrations: %w", err)
		}
		if in.Type == gorgias.IntegrationTypeHTTP && in.Name == cfg.Name {
			same = append(same, in)
		}
	}
	if len(same) == 0 {
		in, err := c.Integrations.Create(ctx, &gorgias.CreateIntegrationRequest{
			Name: cfg.Name, Type: gorgias.IntegrationTypeHTTP, Description: description, HTTP: cfg.request(),
		})
		if err != nil {
			return nil, fmt.Errorf("webhook: Register: %w", err)
		}
		return in, nil
	}
	sort.Slice(same, func(i, j int) bool { return same[i].ID < same[j].ID })
	keep := same[0]
	update := &gorgias.UpdateIntegrationRequest{Name: &cfg.Name, HTTP: cfg.request()}
	if !keep.Active() {
		update.DeactivatedDatetime = gorgias.Null[gorgias.Time]()
	}
	in, err := c.Integrations.Update(ctx, keep.ID, update)
	if err != nil {
		return nil, fmt.Errorf("webhook: Register: %w", err)
	}
	for _, extra := range same[1:] {
		if err := c.Integrations.Delete(ctx, extra.ID); err != nil && !errors.Is(err, gorgias.ErrNotFound) {
			return nil, fmt.Errorf("webhook: Register: deleting the duplicate integration %d: %w", extra.ID, err)
		}
	}
	return in, nil
}
