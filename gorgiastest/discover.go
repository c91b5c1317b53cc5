package gorgiastest

import "encoding/json"

// What a test can learn about the fake's account in Go: the ids of the
// seeded agents, teams, customers, tags, views, rules and custom field
// definitions. Each list is sorted by id and is a copy.

// Agent is a helpdesk user.
type Agent struct {
	ID          int64
	Email, Name string
}

// Team is a team tickets can be assigned to.
type Team struct {
	ID   int64
	Name string
}

// Customer is a customer of the help desk.
type Customer struct {
	ID          int64
	Email, Name string
	// Tickets is how many tickets the customer has.
	Tickets int
}

// Tag is a tag.
type Tag struct {
	ID   int64
	Name string
	// Usage is how many tickets carry the tag, even while the API
	// answers null for it (see WithSeedData).
	Usage int
}

// View is a view: GET /api/tickets?view_id=ID lists the tickets its
// Filter matches.
type View struct {
	ID     int64
	Name   string
	Filter Filter
}

// Rule is a rule: GET /api/tickets?rule_id=ID lists the tickets its
// Filter matches.
type Rule View

// CustomField is a custom field definition.
type CustomField struct {
	ID int64
	// ObjectType is "Ticket" or "Customer": only Ticket fields take
	// ticket values.
	ObjectType string
	// Label is "" for a field whose label is null.
	Label string
	// DataType is "text", "number" or "boolean".
	DataType string
	// Choices are the values a dropdown accepts (nil: any of the type).
	Choices []any
	// Min and Max bound a number field.
	Min, Max *float64
	// Archived fields refuse new values.
	Archived bool
}

func collect[T record, P any](s *Server, m map[int64]T, public func(T) P) []P {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]P, 0, len(m))
	for _, id := range sortedKeys(m) {
		out = append(out, public(m[id]))
	}
	return out
}

// Agent returns the agent the credentials act as: the sender of agents'
// messages that name no sender.
func (s *Server) Agent() Agent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return publicAgent(s.store.agent)
}

func publicAgent(u *user) Agent { return Agent{ID: u.id, Email: u.email, Name: u.name()} }

// Agents returns the helpdesk users.
func (s *Server) Agents() []Agent { return collect(s, s.store.users, publicAgent) }

// Teams returns the teams.
func (s *Server) Teams() []Team {
	return collect(s, s.store.teams, func(t *team) Team { return Team{ID: t.id, Name: t.name} })
}

// Customers returns the customers.
func (s *Server) Customers() []Customer {
	return collect(s, s.store.customers, func(c *customer) Customer {
		return Customer{ID: c.id, Email: c.email, Name: c.name.v, Tickets: len(c.tickets)}
	})
}

// Tags returns the tags.
func (s *Server) Tags() []Tag {
	return collect(s, s.store.tags, func(t *tag) Tag { return Tag{ID: t.id, Name: t.name, Usage: t.usage} })
}

// Views returns the views.
func (s *Server) Views() []View {
	return collect(s, s.store.views, func(v *view) View { return *v.public() })
}

// Rules returns the rules.
func (s *Server) Rules() []Rule {
	return collect(s, s.store.rules, func(v *view) Rule { return Rule(*v.public()) })
}

// CustomFields returns the custom field definitions: the account's, and
// those created through the API, archived ones included.
func (s *Server) CustomFields() []CustomField {
	return collect(s, s.store.fields, func(d *fieldDef) CustomField {
		f := CustomField{ID: d.id, ObjectType: d.objectType, Label: d.label.v, DataType: d.dataType,
			Archived: d.archived()}
		if d.min != nil { // copies: the caller may change them
			f.Min = ptr(*d.min)
		}
		if d.max != nil {
			f.Max = ptr(*d.max)
		}
		for _, c := range d.choices {
			var v any
			_ = json.Unmarshal(c, &v)
			f.Choices = append(f.Choices, v)
		}
		return f
	})
}
