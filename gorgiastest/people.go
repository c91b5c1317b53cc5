package gorgiastest

import "strconv"

// Users (agents), teams and customers: how they are written, and how
// requests name them.

func writeUser(e *enc, u *user, withBio bool) {
	if u == nil {
		e.null()
		return
	}
	e.open()
	e.k("id").int(u.id)
	e.k("email").str(u.email)
	e.k("name").str(u.name())
	e.k("firstname").str(u.first)
	e.k("lastname").str(u.last)
	e.k("meta").open()
	e.k("name_set_via").str("agent")
	e.close()
	if withBio {
		e.k("bio").null()
	}
	e.close()
}

func writeTeam(e *enc, t *team) {
	if t == nil {
		e.null()
		return
	}
	e.open()
	e.k("id").int(t.id)
	e.k("name").str(t.name)
	e.k("decoration").open()
	if t.emoji != "" {
		e.k("emoji").str(t.emoji)
	}
	e.close()
	e.close()
}

// writeCustomer writes the compact customer of lists and messages.
func writeCustomer(e *enc, c *customer) {
	e.open()
	writeCustomerKeys(e, c)
	e.close()
}

func writeCustomerKeys(e *enc, c *customer) {
	e.k("id").int(c.id)
	e.k("email").strOrNull(c.email) // seeded visitors who gave none
	e.k("name").nstr(c.name)
	e.k("firstname").str(c.first)
	e.k("lastname").str(c.last)
	e.k("meta").open()
	e.k("name_set_via").str("email")
	e.close()
}

// writeFullCustomer writes the customer of a single ticket.
func writeFullCustomer(e *enc, c *customer) {
	e.open()
	writeCustomerKeys(e, c)
	e.k("channels").arr()
	if c.email != "" {
		writeEmailChannel(e, c)
	}
	e.end()
	e.k("data").null()
	e.k("customer").null()
	e.k("integrations").raw(emptyObject)
	e.k("external_id").null()
	e.k("note").null()
	e.k("external_data").raw(emptyObject)
	e.k("ecommerce_data").raw(emptyObject)
	e.close()
}

// writeEmailChannel writes a customer's email address as a channel.
func writeEmailChannel(e *enc, c *customer) {
	e.open()
	e.k("id").int(c.id + 1_000_000_000)
	e.k("type").str("email")
	e.k("address").str(c.email)
	e.k("preferred").bool(true)
	e.k("created_datetime").time(c.created)
	e.k("updated_datetime").time(c.created)
	e.k("deleted_datetime").null()
	for _, k := range []string{"user", "customer"} {
		e.k(k).open()
		e.k("id").int(c.id)
		e.k("name").nstr(c.name)
		e.close()
	}
	e.close()
}

var emptyObject = []byte("{}")

func writeParty(e *enc, p party) {
	switch {
	case p.user != nil:
		writeUser(e, p.user, false)
	case p.customer != nil:
		writeCustomer(e, p.customer)
	default:
		e.null()
	}
}

// (name, address) of a party, for derived message sources.
func (p party) address() (name nstr, address string) {
	switch {
	case p.user != nil:
		return some("Acme Support"), "support@acme.example"
	case p.customer != nil:
		return p.customer.name, p.customer.email
	}
	return nstr{}, ""
}

// personRef is a customer, user or new customer a request names, found
// while validating and created only once the whole request is valid.
type personRef struct {
	user     *user
	customer *customer
	email    string // a customer to create
	name     string
}

func (r personRef) empty() bool { return r.user == nil && r.customer == nil && r.email == "" }

// resolve creates the named customer if needed.
func (r personRef) resolve(st *store) party {
	switch {
	case r.user != nil:
		return party{user: r.user}
	case r.customer != nil:
		return party{customer: r.customer}
	case r.email != "":
		if c, ok := st.byEmail[r.email]; ok { // created by an earlier ref of the same request
			return party{customer: c}
		}
		return party{customer: st.addCustomer(r.name, r.email)}
	}
	return party{}
}

// readPerson reads {"id": …} or {"email": …[, "name": …]}: a customer,
// or when users is true an agent too. Unknown emails name new customers.
func (st *store) readPerson(o *obj, name string, users bool) personRef {
	c := o.child(name)
	if c == nil {
		return personRef{}
	}
	id := c.int("id")
	email := c.str("email")
	nm := c.str("name")
	switch {
	case id.val():
		if cu, ok := st.customers[id.v]; ok {
			return personRef{customer: cu}
		}
		if u, ok := st.users[id.v]; ok && users {
			return personRef{user: u}
		}
		what := "Customer"
		if users {
			what = "User or customer"
		}
		c.err(what+" with id "+strconv.FormatInt(id.v, 10)+" does not exist.", "id")
	case email.val() && email.v != "":
		if cu, ok := st.byEmail[email.v]; ok {
			return personRef{customer: cu}
		}
		if users {
			for _, u := range st.users {
				if u.email == email.v {
					return personRef{user: u}
				}
			}
		}
		return personRef{email: email.v, name: nm.v}
	case !c.has("id") && !c.has("email"):
		c.err("An id or an email is required.", "id")
	}
	return personRef{}
}
