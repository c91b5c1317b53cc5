package gorgiastest

import "slices"

// Views and rules select tickets with filters; GET /api/tickets applies
// one given as view_id or rule_id.

// Filter is what a view or a rule selects. Every condition set must hold.
type Filter struct {
	// Status is "open" or "closed" ("" for any).
	Status string
	// Tag is the name of a tag the ticket must have.
	Tag string
	// AssigneeUserID is the agent the ticket must be assigned to.
	AssigneeUserID int64
	// Unassigned selects tickets assigned to no agent.
	Unassigned bool
}

func (f Filter) match(t *ticket) bool {
	switch {
	case f.Status != "" && t.status != f.Status,
		f.Tag != "" && !slices.ContainsFunc(t.tags, func(tg *tag) bool { return tg.name == f.Tag }),
		f.AssigneeUserID != 0 && (t.assigneeUser == nil || t.assigneeUser.id != f.AssigneeUserID),
		f.Unassigned && t.assigneeUser != nil:
		return false
	}
	return true
}

type view struct {
	base
	name   string
	filter Filter
}

func (st *store) addView(kind, name string, f Filter) *view {
	v := &view{base: base{id: st.id(kind)}, name: name, filter: f}
	if kind == "rule" {
		st.rules[v.id] = v
	} else {
		st.views[v.id] = v
	}
	return v
}

// seedAccount creates what every fake has: the custom field definitions,
// teams, and a few views and rules.
func (st *store) seedAccount() {
	st.seedFields()
	st.addTeam("Returns", "📦")
	st.addTeam("Billing", "💳")
	st.addTeam("Tier 2", "")
	st.addView("view", "Open tickets", Filter{Status: "open"})
	st.addView("view", "Closed tickets", Filter{Status: "closed"})
	st.addView("view", "Unassigned open tickets", Filter{Status: "open", Unassigned: true})
	st.addView("view", "My tickets", Filter{AssigneeUserID: st.agent.id})
	st.addView("view", "Refunds", Filter{Tag: "refund"})
	st.addView("rule", "Tag urgent open tickets", Filter{Status: "open", Tag: "urgent"})
	st.addView("rule", "Auto-close spam", Filter{Tag: "spam"})
}

// AddView adds a view selecting the tickets f matches, and returns it.
func (s *Server) AddView(name string, f Filter) View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.store.addView("view", name, f).public()
}

// AddRule adds a rule whose conditions are f, and returns it.
func (s *Server) AddRule(name string, f Filter) Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Rule(*s.store.addView("rule", name, f).public())
}

func (v *view) public() *View { return &View{ID: v.id, Name: v.name, Filter: v.filter} }
