package webhook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-gorgias/gorgias"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// integrationsAPI is the least of /api/integrations Register needs, with
// the integrations kept as JSON objects.
type integrationsAPI struct {
	mu    sync.Mutex
	items map[int64]map[string]any
	next  int64
	calls []string
}

func (a *integrationsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json")
	body, _ := io.ReadAll(r.Body)
	var in map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			w.WriteHeader(400)
			return
		}
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/api/integrations/"), 10, 64)
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/integrations":
		ids := make([]int64, 0, len(a.items))
		for id := range a.items {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] > ids[j] }) // newest first
		data := []any{}
		for _, id := range ids {
			if t := r.URL.Query().Get("type"); t == "" || a.items[id]["type"] == t {
				data = append(data, a.items[id])
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "meta": map[string]any{"next_cursor": nil}})
	case r.Method == "POST" && r.URL.Path == "/api/integrations":
		a.next++
		in["id"] = a.next
		in["deactivated_datetime"] = nil
		a.items[a.next] = in
		w.WriteHeader(201)
		_ = json.NewEncoder(w).Encode(in)
	case r.Method == "PUT" && a.items[id] != nil:
		for k, v := range in {
			a.items[id][k] = v
		}
		_ = json.NewEncoder(w).Encode(a.items[id])
	case r.Method == "DELETE" && a.items[id] != nil:
		delete(a.items, id)
		w.WriteHeader(204)
	default:
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"error":{"msg":"not found"}}`)
	}
}

func newIntegrationsAPI(t *testing.T) (*integrationsAPI, *gorgias.Client) {
	api := &integrationsAPI{items: map[int64]map[string]any{}}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	c, err := gorgias.NewClient("", gorgias.WithBaseURL(srv.URL), gorgias.WithBasicAuth("a@example.com", "key"), gorgias.WithRetryPolicy(0, 0, 0))
	require.NoError(t, err)
	return api, c
}

func TestRegisterTwiceLeavesOne(t *testing.T) {
	ctx := context.Background()
	api, c := newIntegrationsAPI(t)
	api.items[99] = map[string]any{"id": 99, "name": "orders", "type": "email"} // same name, not HTTP: left alone
	cfg := Config{Name: "orders", URL: "https://hooks.example.com/gorgias", Secret: testSecret}
	first, err := Register(ctx, c, cfg)
	require.NoError(t, err)
	assert.Equal(t, "orders", first.Name)
	require.NotNil(t, first.HTTP)
	assert.Equal(t, "POST", first.HTTP.Method)
	assert.Equal(t, testSecret, first.HTTP.Headers[SecretHeader])
	assert.Equal(t, "application/json", first.HTTP.RequestContentType)
	var form map[string]string
	require.NoError(t, json.Unmarshal(first.HTTP.Form, &form))
	assert.Equal(t, Template(), form)
	for _, tr := range DefaultTriggers() {
		assert.True(t, first.HTTP.Triggered(string(tr)), tr)
	}
	assert.False(t, first.HTTP.Triggered(string(TicketSelfUnsnoozed)))

	// Again, with other triggers and a new URL: the same integration.
	cfg.Triggers = []Trigger{TicketMessageCreated}
	cfg.URL = "https://hooks.example.com/v2"
	second, err := Register(ctx, c, cfg)
	require.NoError(t, err)
	assert.Equal(t, first.ID, second.ID)
	assert.Equal(t, "https://hooks.example.com/v2", second.HTTP.URL)
	assert.True(t, second.HTTP.Triggered(string(TicketMessageCreated)))
	assert.False(t, second.HTTP.Triggered(string(TicketCreated)), "a trigger no longer wanted is turned off")
	http := 0
	for _, in := range api.items {
		if in["type"] == "http" {
			http++
		}
	}
	assert.Equal(t, 1, http)
	assert.Len(t, api.items, 2)
}

func TestRegisterReactivatesAndRemovesDuplicates(t *testing.T) {
	ctx := context.Background()
	api, c := newIntegrationsAPI(t)
	api.items[5] = map[string]any{"id": 5, "name": "orders", "type": "http", "deactivated_datetime": "2026-11-01T00:00:00+00:00"}
	api.items[8] = map[string]any{"id": 8, "name": "orders", "type": "http", "deactivated_datetime": nil}
	api.items[9] = map[string]any{"id": 9, "name": "other", "type": "http", "deactivated_datetime": nil}
	in, err := Register(ctx, c, Config{Name: "orders", URL: "http://127.0.0.1:9/h", Secret: testSecret})
	require.NoError(t, err)
	assert.Equal(t, int64(5), in.ID, "the oldest is kept")
	assert.True(t, in.Active(), "and turned back on")
	assert.Contains(t, api.items, int64(9))
	assert.NotContains(t, api.items, int64(8), "the duplicate is deleted")
}

func TestRegisterRefusesABadConfig(t *testing.T) {
	api, c := newIntegrationsAPI(t)
	good := Config{Name: "n", URL: "https://h.example.com/", Secret: testSecret}
	for name, change := range map[string]func(*Config){
		"Name":     func(c *Config) { c.Name = " " },
		"URL":      func(c *Config) { c.URL = "" },
		"URL ":     func(c *Config) { c.URL = "/relative" },
		"URL  ":    func(c *Config) { c.URL = "http://hooks.example.com/" },
		"URL   ":   func(c *Config) { c.URL = "ftp://hooks.example.com/" },
		"Secret":   func(c *Config) { c.Secret = "short" },
		"Secret ":  func(c *Config) { c.Secret = testSecret + "\n" },
		"Triggers": func(c *Config) { c.Triggers = []Trigger{"ticket-archived"} },
	} {
		cfg := good
		change(&cfg)
		_, err := Register(context.Background(), c, cfg)
		var cerr *ConfigError
		require.ErrorAs(t, err, &cerr, name)
		assert.Equal(t, strings.TrimSpace(name), cerr.Field)
		assert.NotContains(t, err.Error(), testSecret)
	}
	assert.Empty(t, api.calls, "nothing is sent")
}
